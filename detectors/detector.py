"""The detector: faces -> patch discriminator -> calibrated probability, verdict and heatmaps."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from core.faces import Face, FaceFinder, crop, sides_of
from core.io import LoadedImage, read_image
from core.weights import WeightsError, load_checkpoint
from detectors.crops import SIZE, canonical, to_tensor
from detectors.familiar import Familiarity
from detectors.gan_d import GanD, load_shipped_gan_d
from detectors.metrics import sigmoid
from detectors.model import DetectorConfig, PatchDiscriminator, pool_logits
from genai.provenance import inspect

CHECKPOINT_VERSION = 2

# Whole images without a face are judged at this longer side: big enough to keep the fine texture
# the patches look at, small enough to stay fast.
WHOLE_IMAGE_SIDE = 384
# A face whose crop is at least FINE_SIDE px is judged a second time at FINE_SIDE px (the network is
# fully convolutional), and its heatmap is the mean of the two maps: shrinking a large face to SIZE
# erases the fine texture a smooth repair lacks. The face's probability stays the SIZE crop's, as
# calibrated. (Pixel AUC of repairs in faces of 256 px inside photos: bench/repair_in_photos.py.)
FINE_SIDE = 256


@dataclass(frozen=True)
class Calibration:
    """How the network's patch logits become a probability of "fake", and the verdict rule.

    Fitted together on the validation split (see detectors.train.fit_calibration):

    - ``mirror``: each crop is also judged mirrored left-right (training mirrors half the faces, so
      both are faces the network knows) and the two maps averaged, the mirrored one flipped back.
      Each patch's noise is partly independent between the two, so the average changes less when a
      photo is re-saved. Both go through the network as one batch: about 1.5x the time of one view.
    - ``scale_slope``: the network scores a face enlarged from a small crop as more fake than the
      same face seen sharp (a real face halved in size moved most of the way to "fake"). The logit
      is lowered by ``scale_slope`` per octave of enlargement, so a face's size in the photo does
      not decide its verdict.
    - ``gan_d``: discriminators of the app's face GAN (detectors.gan_d, trained against its
      DCGAN only), by shipped name. The strongest of their logits is added to the face's
      when it says "generated" (logit > 0): a face any of them calls generated gets that
      evidence. When all say "real" nothing is added, because they know no other generator and
      their "real" proves nothing. They see the same canonical crop (and mirror image) as the
      network, at their 64 px.
    - Platt scaling (``a``, ``b``) of the pooled logit.
    - The rule's two edges: "fake" from ``threshold`` up, "real" below ``real_below``, "uncertain"
      between. :func:`detectors.metrics.operating_point` places both so that each verdict is wrong
      for at most a set share of faces (5% by default). A threshold chosen by the user moves only
      the "fake" edge; "real" never reaches above it.
    """

    a: float = 1.0  # Platt slope on the pooled logit (kept > 0: never reverses the ranking)
    b: float = 0.0  # Platt offset
    threshold: float = 0.5  # probability at or above which the verdict is "fake"
    real_below: float = 0.35  # probabilities below this (and below the threshold) are "real"
    scale_slope: float = 0.0  # logit removed per octave a crop was enlarged to SIZE
    mirror: bool = False  # also judge each crop mirrored and average the maps
    gan_d: tuple[str, ...] = ()  # shipped GAN discriminators (gan_d.SHIPPED) whose "generated" evidence joins

    def size_corrected(self, logits: np.ndarray, sides: np.ndarray | None = None) -> np.ndarray:
        """Pooled logits of crops whose source squares were ``sides`` px (None: SIZE), less
        ``scale_slope`` per octave of enlargement."""
        x = np.asarray(logits, np.float64)
        if sides is not None and self.scale_slope:
            x = x - self.scale_slope * enlargement_octaves(sides)
        return x

    def probability(self, logits: np.ndarray, sides: np.ndarray | None = None) -> np.ndarray:
        """Probabilities for pooled logits of crops whose source squares were ``sides`` px (None: SIZE)."""
        return sigmoid(self.a * self.size_corrected(logits, sides) + self.b)

    def verdict(self, probability: float, threshold: float | None = None) -> str:
        t = self.threshold if threshold is None else threshold
        if probability >= t:
            return "fake"
        return "real" if probability < min(self.real_below, t) else "uncertain"


def enlargement_octaves(sides) -> np.ndarray:
    """How many octaves crops of ``sides`` px were enlarged to reach SIZE (0 for larger crops)."""
    return np.maximum(0.0, np.log2(SIZE / np.maximum(np.asarray(sides, np.float64), 1.0)))


@dataclass
class FaceResult:
    box: tuple[int, int, int, int]  # MTCNN box x0, y0, x1, y1 in the input image
    crop: tuple[int, int, int, int]  # the square region that was judged
    face_score: float  # MTCNN confidence
    fake_probability: float  # calibrated
    heatmap: np.ndarray  # float32 (SIZE, SIZE) in [0, 1], patch fake probabilities over the crop
    gan_d_probability: float | None = None  # the face GAN's discriminators' strongest, when the calibration uses them
    distance: float | None = None  # from the training faces in the detector's feature space (detectors.familiar)
    familiar: bool = True  # False: unlike the faces the detector learned; its probability means little

    def to_json(self) -> dict:
        out = {"box": list(self.box), "fake_probability": round(self.fake_probability, 6),
               "face_score": round(self.face_score, 4), "familiar": self.familiar}
        if self.gan_d_probability is not None:
            out["gan_d_probability"] = round(self.gan_d_probability, 6)
        if self.distance is not None:
            out["distance"] = round(self.distance, 3)
        return out


@dataclass
class DetectionResult:
    """Everything the detector concluded about one image, made once by :meth:`Detector.detect` or
    :meth:`Detector.detect_file`; pages and the CLI only render it.

    The pixels are judged only where the detector has learned to judge: when it finds no face, or
    the face that decides is unlike the faces it learned, it abstains (``abstained`` says why) and
    the verdict is "unknown" unless provenance evidence (our watermark, a label) decides. The
    pixels' number is still computed and kept in ``detector_probability`` for research, but it is
    not a verdict.
    """

    fake_probability: float  # final: the pixels' probability, raised by provenance evidence (decided_by)
    detector_probability: float  # from the pixels alone
    verdict: str  # "real", "fake", "uncertain" or "unknown" (abstained), at the threshold it was judged with
    calibration: Calibration  # the rule behind the verdict, for :meth:`verdict_at` another threshold
    faces: list[FaceResult] = field(default_factory=list)
    heatmap: np.ndarray | None = None  # float32 (H, W) in [0, 1] over the whole input image
    judged: str = "faces"  # "faces", or "whole_image" when no face was found
    provenance: dict | None = None  # genai.provenance.inspect report, when judged from a file
    decided_by: str = "detector"  # "detector", "watermark", "tc260_label", "c2pa" or "iptc_label": what set fake_probability
    abstained: str | None = None  # "no_face" or "unfamiliar" when the pixels were not fit to judge

    @property
    def unknown(self) -> bool:
        """True when nothing decided: the detector abstained and no provenance evidence spoke."""
        return self.abstained is not None and self.decided_by == "detector"

    def verdict_at(self, threshold: float | None = None, probability: float | None = None) -> str:
        """The verdict for ``probability`` (default: this image's) with a user-chosen ``threshold``;
        "unknown" for this image's own probability when :attr:`unknown`."""
        if probability is None and self.unknown:
            return "unknown"
        p = self.fake_probability if probability is None else probability
        return self.calibration.verdict(p, threshold)

    def resized(self, scale: float, size: tuple[int, int]) -> DetectionResult:
        """The same result over the image resized by ``scale`` to ``size`` (width, height): heatmap,
        boxes and crops follow; probabilities and verdicts stay."""
        from PIL import Image

        heatmap = None if self.heatmap is None else \
            np.asarray(Image.fromarray(self.heatmap).resize(size, Image.Resampling.BILINEAR))
        faces = [dataclasses.replace(f, box=tuple(round(v * scale) for v in f.box),
                                     crop=tuple(round(v * scale) for v in f.crop)) for f in self.faces]
        return dataclasses.replace(self, heatmap=heatmap, faces=faces)

    def to_json(self) -> dict:
        """Plain-data summary (no arrays), as the CLI prints it."""
        return {
            "fake_probability": round(self.fake_probability, 6),
            "detector_probability": round(self.detector_probability, 6),
            "verdict": self.verdict,
            "judged": self.judged,
            "abstained": self.abstained,
            "decided_by": self.decided_by,
            "faces": [f.to_json() for f in self.faces],
        }


class Detector:
    """Real-vs-fake judge for RGB uint8 images.

    Args:
        model: a trained patch discriminator.
        calibration: maps pooled logits to probabilities and verdicts.
        finder: face finder; MTCNN is built on first use when None.
        device: torch device; CPU when None.
        name: registry name, for reports.
    """

    def __init__(self, model: PatchDiscriminator, calibration: Calibration, finder: FaceFinder | None = None,
                 device: str | torch.device | None = None, name: str = "detector",
                 familiarity: Familiarity | None = None):
        self.device = torch.device(device or "cpu")
        # channels_last: the same arithmetic, 15-25% faster for these convolutions on CPU.
        self.model = model.to(self.device).eval().to(memory_format=torch.channels_last)
        self.config: DetectorConfig = model.config
        self.calibration = calibration
        self.familiarity = familiarity  # None: every face counts as familiar
        self._finder = finder
        self._gan_d: tuple[tuple[str, ...], list[GanD]] | None = None
        self.name = name

    @property
    def finder(self) -> FaceFinder:
        if self._finder is None:
            self._finder = FaceFinder(self.device)
        return self._finder

    def patch_logits(self, crops: np.ndarray, batch: int = 64) -> np.ndarray:
        """Patch logits for RGB uint8 crops (N, S, S, 3), canonical JPEG applied: float32 (N, h, w).

        With ``calibration.mirror``, the mean of each crop's map and its mirror image's, flipped back.
        """
        return self._judged(crops, batch)[0]

    def face_features(self, crops: np.ndarray) -> np.ndarray:
        """The trunk's feature summaries (N, F) of RGB uint8 crops, as :mod:`detectors.familiar` measures them."""
        return self._judged(crops)[2]

    def _judged(self, crops: np.ndarray, batch: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`patch_logits`, the crops as the network saw them (after the canonical JPEG,
        uint8 (N, S, S, 3)), so the GAN discriminators look at the same pixels, and the trunk's
        feature summaries (N, F) from the same pass (with ``calibration.mirror``, both views' mean)."""
        out, seen, summaries = [], [], []
        with torch.inference_mode():
            for i in range(0, len(crops), batch):
                view = np.stack([canonical(c) for c in crops[i : i + batch]])
                seen.append(view)
                x = to_tensor(view).to(self.device)
                if self.calibration.mirror:
                    both, summary = self.model.forward_features(torch.cat([x, x.flip(-1)]))
                    maps = [both[: len(x), 0], both[len(x) :, 0].flip(-1)]
                    summary = (summary[: len(x)] + summary[len(x) :]) / 2
                else:
                    logits, summary = self.model.forward_features(x)
                    maps = [logits[:, 0]]
                out.append(torch.stack(maps).mean(0).float().cpu().numpy())
                summaries.append(summary.float().cpu().numpy())
        if not out:
            return np.zeros((0, 1, 1), np.float32), np.zeros((0, SIZE, SIZE, 3), np.uint8), np.zeros((0, 0), np.float32)
        return np.concatenate(out), np.concatenate(seen), np.concatenate(summaries)

    def pooled(self, maps: np.ndarray) -> np.ndarray:
        """Image logits (N,) from patch logit maps (N, h, w)."""
        return pool_logits(torch.from_numpy(maps)[:, None], self.config.pool_temperature).numpy()

    @property
    def gan_ds(self) -> list[GanD]:
        """The calibration's GAN discriminators, loaded on first use."""
        names = self.calibration.gan_d
        if self._gan_d is None or self._gan_d[0] != names:
            self._gan_d = (names, [load_shipped_gan_d(n) for n in names])
        return self._gan_d[1]

    def gan_d_logits(self, seen: np.ndarray) -> np.ndarray:
        """The GAN discriminators' strongest logits (N,) for face crops after the canonical JPEG
        (uint8 (N, S, S, 3)); with ``calibration.mirror``, each discriminator's is the mean over
        the crop and its mirror image, judged in one batch."""
        n = len(seen)
        if self.calibration.mirror:
            seen = np.concatenate([seen, seen[:, :, ::-1]])
        each = np.stack([d.logits(seen) for d in self.gan_ds])  # (discriminators, N or 2N)
        if self.calibration.mirror:
            each = (each[:, :n] + each[:, n:]) / 2
        return each.max(0)

    def face_logits(self, crops: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Patch maps (N, h, w), face logits (N,) and, with ``calibration.gan_d``, the GAN
        discriminators' strongest logits (N,) (else None) for RGB uint8 face crops (N, SIZE, SIZE, 3).

        A face's logit is its pooled map, plus the strongest GAN discriminator logit where that is
        positive.
        """
        return self._faces(crops)[:3]

    def _faces(self, crops: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
        """:meth:`face_logits` and the crops' feature summaries (:meth:`face_features`), from one pass."""
        maps, seen, features = self._judged(crops)
        logits = self.pooled(maps)
        if not self.calibration.gan_d:
            return maps, logits, None, features
        theirs = self.gan_d_logits(seen)
        return maps, logits + np.maximum(theirs, 0.0), theirs, features

    def score_crops(self, crops: np.ndarray, sides: np.ndarray | None = None) -> np.ndarray:
        """Calibrated fake probabilities for RGB uint8 face crops (N, SIZE, SIZE, 3).

        ``sides``: each crop's side in the source image before it was resized to SIZE; None treats
        them as taken at SIZE (no enlargement).
        """
        return self.calibration.probability(self.face_logits(crops)[1], sides)

    def detect(self, image: np.ndarray, threshold: float | None = None, max_faces: int = 30) -> DetectionResult:
        """Judge the pixels of one RGB uint8 image (H, W, 3).

        Every face MTCNN finds (up to ``max_faces``, largest first) is cropped like the training
        faces and scored; the image's probability is its most suspicious face's, and the detector
        abstains when that face is unfamiliar (:mod:`detectors.familiar`). With no face, the whole
        image is judged at reduced size, ``judged`` says so, and the detector abstains: it learned
        faces only.
        """
        return self._result(*self._pixels(image, max_faces), threshold=threshold)

    def _pixels(self, image: np.ndarray, max_faces: int) -> tuple[float, list[FaceResult], np.ndarray, str, str | None]:
        """The pixels' probability, face results, heatmap (float32 (H, W)), what was judged, and why
        the detector abstains (None: it does not)."""
        h, w = image.shape[:2]
        faces: list[Face] = self.finder.find(image)[:max_faces]
        heatmap = np.zeros((h, w), np.float32)
        results: list[FaceResult] = []
        if not faces and min(h, w) < SIZE // 2:  # too small for the network's receptive field: no number at all
            return 0.5, results, heatmap, "whole_image", "no_face"
        if not faces:
            scale = min(1.0, WHOLE_IMAGE_SIDE / max(h, w))
            small = image if scale == 1.0 else _shrink(image, scale)
            m = self.patch_logits(small[None])[0]
            prob = float(self.calibration.probability(self.pooled(m[None]))[0])
            return prob, results, upsample(sigmoid(m), (h, w)), "whole_image", "no_face"
        crops = np.stack([crop(image, f.crop, SIZE) for f in faces])
        maps, logits, theirs, features = self._faces(crops)
        distances = [None] * len(faces) if self.familiarity is None else \
            [float(d) for d in self.familiarity.distance(features)]
        sides = sides_of([f.crop for f in faces])
        probs = self.calibration.probability(logits, sides)
        gan_d = [None] * len(faces) if theirs is None else [float(g) for g in sigmoid(theirs)]
        large = np.flatnonzero(sides >= FINE_SIDE)
        fine = dict(zip(large, self.patch_logits(np.stack([crop(image, faces[i].crop, FINE_SIDE) for i in large]))
                        if len(large) else []))
        for i, (f, m, p, g, d) in enumerate(zip(faces, maps, probs, gan_d, distances)):
            x0, y0, x1, y1 = f.crop
            views = [sigmoid(m)] + ([sigmoid(fine[i])] if i in fine else [])
            face_map = np.mean([upsample(v, SIZE) for v in views], axis=0, dtype=np.float32)
            region = np.mean([upsample(v, (y1 - y0, x1 - x0)) for v in views], axis=0, dtype=np.float32)
            familiar = d is None or d <= self.familiarity.limit
            results.append(FaceResult(f.box, f.crop, f.score, float(p), face_map, g, d, familiar))
            heatmap[y0:y1, x0:x1] = np.maximum(heatmap[y0:y1, x0:x1], region)
        deciding = results[int(np.argmax(probs))]
        return float(probs.max()), results, heatmap, "faces", None if deciding.familiar else "unfamiliar"

    def _result(self, pixels: float, faces: list[FaceResult], heatmap: np.ndarray, judged: str,
                abstained: str | None, provenance: dict | None = None, threshold: float | None = None) -> DetectionResult:
        """The final result, made once: the pixels' probability, raised by provenance evidence."""
        final, decided_by = combine(pixels, provenance) if provenance is not None else (pixels, "detector")
        result = DetectionResult(final, pixels, "", self.calibration, faces, heatmap, judged, provenance, decided_by,
                                 abstained)
        result.verdict = result.verdict_at(threshold)  # one rule, DetectionResult's, also for "unknown"
        return result

    def detect_file(self, data: bytes, threshold: float | None = None, max_faces: int = 30,
                    display_side: int | None = None) -> tuple[LoadedImage, DetectionResult]:
        """Judge an encoded image file: its pixels, then its provenance (labels, watermark).

        ``detector_probability`` is the pixels' verdict; ``fake_probability`` is raised when our
        watermark or a TC260 "generated" label is found, and ``decided_by`` says which. With
        ``display_side``, the returned image is shrunk to at most that longer side and the result's
        heatmap and boxes with it (to keep many results in memory); the judging saw every pixel.

        Raises:
            ImageReadError: the bytes are not a usable image.
        """
        loaded = read_image(data)
        result = self._result(*self._pixels(loaded.image, max_faces), provenance=inspect(data), threshold=threshold)
        h, w = loaded.image.shape[:2]
        if display_side and max(h, w) > display_side:
            from PIL import Image

            scale = display_side / max(h, w)
            size = (round(w * scale), round(h * scale))
            image = np.asarray(Image.fromarray(loaded.image).resize(size, Image.Resampling.BILINEAR))
            loaded, result = dataclasses.replace(loaded, image=image), result.resized(scale, size)
        return loaded, result


def combine(detector_probability: float, provenance: dict) -> tuple[float, str]:
    """Final probability and what decided it.

    Our watermark can only come from an export of this app, so it settles the question. A TC260
    label or an intact C2PA manifest saying "generated" is its maker's declaration: strong, but a
    claim (a TC260 label can be copied onto any file), so it raises the probability without making
    it certain. Missing labels prove nothing and change nothing.
    """
    if provenance.get("watermark", {}).get("status") == "found":
        return max(detector_probability, 0.99), "watermark"
    tc260 = provenance.get("tc260", {})
    if tc260.get("status") == "found" and tc260.get("claim") == "generated":
        return max(detector_probability, 0.95), "tc260_label"
    manifest = provenance.get("c2pa", {})
    if manifest.get("status") == "found" and manifest.get("claim") and manifest.get("trust") in ("trusted", "intact"):
        return max(detector_probability, 0.95), "c2pa"  # an altered manifest never decides
    if provenance.get("iptc", {}).get("claim"):
        return max(detector_probability, 0.95), "iptc_label"
    return detector_probability, "detector"


def _shrink(image: np.ndarray, scale: float) -> np.ndarray:
    from PIL import Image

    h, w = image.shape[:2]
    size = (max(SIZE // 2, round(w * scale)), max(SIZE // 2, round(h * scale)))
    return np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))


def upsample(prob_map: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    """A patch map (h, w) resized bilinearly to ``size`` (an int for a square, or (H, W)): float32."""
    hw = (size, size) if isinstance(size, int) else size
    t = torch.from_numpy(np.asarray(prob_map, np.float32))[None, None]
    return F.interpolate(t, size=hw, mode="bilinear", align_corners=False)[0, 0].numpy()


# --- checkpoints ------------------------------------------------------------------------------


def save_detector(path: str | Path, model: PatchDiscriminator, calibration: Calibration, **extra) -> None:
    """Plain-data checkpoint: state_dict, config, calibration, version, plus ``extra`` metadata."""
    payload = {
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "config": dataclasses.asdict(model.config),
        "calibration": dataclasses.asdict(calibration),
        "version": CHECKPOINT_VERSION,
        **extra,
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    torch.save(payload, Path(path))


def load_detector(path: str | Path, sha256: str | None = None, device: str | torch.device | None = None,
                  name: str | None = None, finder: FaceFinder | None = None,
                  familiarity: Familiarity | None = None) -> Detector:
    """Load a detector checkpoint; with ``sha256``, refuse a file whose digest differs.
    ``familiarity`` (fitted to this network's features) lets it abstain on unfamiliar faces.

    Raises:
        WeightsError: missing, altered, or not a detector checkpoint.
    """
    raw = load_checkpoint(path, sha256, "detector")
    try:
        model = PatchDiscriminator(DetectorConfig(**raw["config"]))
        model.load_state_dict(raw["state_dict"])
        stored = dict(raw.get("calibration", {}))
        calibration = Calibration(**stored | {"gan_d": tuple(stored.get("gan_d", ()))})
    except Exception as e:  # noqa: BLE001 - any failure here means "not our checkpoint"
        raise WeightsError(f"{path} is not a detector checkpoint: {type(e).__name__}: {e}") from None
    return Detector(model, calibration, finder=finder, device=device, name=name or Path(path).stem,
                    familiarity=familiarity)
