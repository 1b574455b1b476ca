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
from detectors.blend import KINDS as BLEND_KINDS, BlendJudge
from detectors.familiar import Familiarity
from detectors.gan_d import GanD, load_shipped_gan_d
from detectors.metrics import sigmoid
from detectors.model import DetectorConfig, PatchDiscriminator, pool_logits
from detectors.native import NativeJudge, no_evidence
from genai.provenance import inspect

CHECKPOINT_VERSION = 2

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


def shared_scale(own: dict, reference: Calibration) -> Calibration:
    """The image branch's calibration (``own``: a, b, threshold, real_below) moved onto the face
    branch's scale, so that one threshold serves both.

    Each branch's edges were placed for its own error bounds (at most 5% of real pictures at or
    above "fake", at most 5% of fakes below "real"). An affine map of the image branch's logit sends
    its edges onto the face branch's: the verdicts at the default threshold are each branch's own,
    and a threshold a user moves shifts both edges alike in logit.
    """
    def logit(p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        return float(np.log(p / (1 - p)))

    top, bottom = logit(own["threshold"]), logit(own["real_below"])
    if not (top > bottom and reference.threshold > reference.real_below):
        return Calibration(a=own["a"], b=own["b"], threshold=own["threshold"], real_below=own["real_below"])
    slope = (logit(reference.threshold) - logit(reference.real_below)) / (top - bottom)
    shift = logit(reference.threshold) - slope * top
    return Calibration(a=slope * own["a"], b=slope * own["b"] + shift, threshold=reference.threshold,
                       real_below=reference.real_below)


def on_face_scale(own: dict, reference: Calibration) -> Calibration:
    """One blend-head map's calibration moved onto the face branch's scale (detectors.train_blend):
    its "fake" edge (``own["threshold"]``; at most 1% of held-out real faces pass either map's) lands
    on the face branch's threshold, its "quiet" edge (``own["quiet"]``; at most 5% of them pass either
    map's) on the face branch's "real" edge, so that one "fake" edge serves both heads (:func:`fused`).
    A low blend score proves nothing (a generated face has no seam): only the patch head can call a
    face real.
    """
    return shared_scale({"a": own["a"], "b": own["b"], "threshold": own["threshold"], "real_below": own["quiet"]},
                        reference)


def blend_evidence(pooled: np.ndarray, calibrations: tuple[Calibration, ...]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """What the blend head says about N faces from its pooled region logits (N, K) and each map's
    calibration on the face branch's scale (:func:`on_face_scale`): each face's probability (N,),
    from the map further past its own edge, and which map (N,), an index into BLEND_KINDS."""
    logits = np.stack([c.a * pooled[:, k] + c.b for k, c in enumerate(calibrations)], axis=1)
    kinds = logits.argmax(axis=1)  # on logits: probabilities of strong evidence all round to 1
    return sigmoid(logits[np.arange(len(pooled)), kinds]), kinds


def fused(patch: np.ndarray, seam: np.ndarray, cal: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """Faces' probabilities from the patch head's (``patch``) and the blend head's (``seam``:
    :func:`blend_evidence`), both on the face branch's scale (``cal``); and whether the seam weighed
    more (bool).

    A head at or past the "fake" edge gives the face the larger of the two. Below it the verdict is
    the patch head's, as without a blend head: below its edge the blend head's score moves with every
    re-save, and a low one proves nothing. Both heads then place the face inside that verdict's band:
    with u its place in the band by the patch head and v = seam / threshold by the blend head, at
    1 - (1 - u)(1 - v) of the band. Among faces in one band, more of either evidence ranks higher: a
    swap with a seam too faint to call ranks above a plain photo the patch head placed alike.
    """
    patch = np.asarray(patch, np.float64)
    seam = np.nan_to_num(np.asarray(seam, np.float64), nan=0.0)
    t = max(cal.threshold, 1e-9)
    r = min(cal.real_below, t)
    lo, hi = np.where(patch < r, 0.0, r), np.where(patch < r, r, t)
    u = np.clip((patch - lo) / np.maximum(hi - lo, 1e-9), 0.0, 1.0)
    v = np.clip(seam / t, 0.0, 1.0)
    inside = np.minimum(lo + (hi - lo) * (1 - (1 - u) * (1 - v)), np.nextafter(hi, 0))  # never on the band's edge
    past = (patch >= t) | (seam >= t)
    return np.where(past, np.maximum(patch, seam), inside), np.where(past, seam > patch, v > u)


def enlargement_octaves(sides) -> np.ndarray:
    """How many octaves crops of ``sides`` px were enlarged to reach SIZE (0 for larger crops)."""
    return np.maximum(0.0, np.log2(SIZE / np.maximum(np.asarray(sides, np.float64), 1.0)))


@dataclass
class FaceResult:
    box: tuple[int, int, int, int]  # MTCNN box x0, y0, x1, y1 in the input image
    crop: tuple[int, int, int, int]  # the square region that was judged
    face_score: float  # MTCNN confidence
    fake_probability: float  # calibrated
    heatmap: np.ndarray  # float32 (SIZE, SIZE) in [0, 1], patch fake probabilities over the crop (where the blend
    # head speaks, at least its cells' share blended in or refilled)
    gan_d_probability: float | None = None  # the face GAN's discriminators' strongest, when the calibration uses them
    distance: float | None = None  # from the training faces in the detector's feature space (detectors.familiar)
    familiar: bool = True  # False: unlike the faces the detector learned; its probability means little
    # Which evidence weighed more in fake_probability (detectors.detector.fused): "generated" (the patch
    # head: a generator's traces), or the blend head's "blend" (a blending boundary around the face) or
    # "repair" (a repaired region).
    evidence: str = "generated"
    blend_probability: float | None = None  # the blend head's, on the verdict's scale (counted from its edge up)
    boundary: np.ndarray | None = None  # float32 (SIZE, SIZE) in [0, 1]: where the blend head sees a seam

    def to_json(self) -> dict:
        out = {"box": list(self.box), "fake_probability": round(self.fake_probability, 6),
               "face_score": round(self.face_score, 4), "familiar": self.familiar, "evidence": self.evidence}
        if self.blend_probability is not None:
            out["blend_probability"] = round(self.blend_probability, 6)
        if self.gan_d_probability is not None:
            out["gan_d_probability"] = round(self.gan_d_probability, 6)
        if self.distance is not None:
            out["distance"] = round(self.distance, 3)
        return out


@dataclass
class ImageReading:
    """What the image branch (detectors.native) saw in the whole picture, at its own resolution."""

    probability: float | None  # calibrated; None when the pixels carry no evidence
    heatmap: np.ndarray | None  # float32 (H, W) in [0, 1]: its tiles' cells, calibrated like the verdict
    tiles: int = 0  # tiles of 256 px judged
    no_evidence: str | None = None  # "too_small" or "flat" (detectors.native.no_evidence)
    calibration: Calibration | None = None  # the image branch's own rule

    def verdict_at(self, threshold: float | None = None) -> str:
        """The image branch's own verdict ("unknown" without evidence), at a user's ``threshold``."""
        if self.probability is None or self.calibration is None:
            return "unknown"
        return self.calibration.verdict(self.probability, threshold)

    def to_json(self) -> dict:
        return {"fake_probability": None if self.probability is None else round(self.probability, 6),
                "tiles": self.tiles, "no_evidence": self.no_evidence}


@dataclass
class DetectionResult:
    """Everything the detector concluded about one image, made once by :meth:`Detector.detect` or
    :meth:`Detector.detect_file`; pages and the CLI only render it.

    Two branches look at the pixels. The face branch judges the faces it finds; the image branch
    judges the whole picture in tiles at its own resolution. The face branch decides when it found
    a face like those it learned (``judged`` "faces"); otherwise the image branch does ("whole_image").
    Only pixels that carry no evidence (tiny, flat) get no verdict: ``abstained`` says why and the
    verdict is "unknown" unless provenance evidence (our watermark, a label) decides.
    """

    fake_probability: float  # final: the pixels' probability, raised by provenance evidence (decided_by)
    detector_probability: float  # from the pixels alone
    verdict: str  # "real", "fake", "uncertain" or "unknown" (abstained), at the threshold it was judged with
    calibration: Calibration  # the rule behind the verdict, for :meth:`verdict_at` another threshold
    faces: list[FaceResult] = field(default_factory=list)
    heatmap: np.ndarray | None = None  # float32 (H, W) in [0, 1] over the whole input image
    judged: str = "faces"  # "faces", or "whole_image" when the image branch decided
    provenance: dict | None = None  # genai.provenance.inspect report, when judged from a file
    decided_by: str = "detector"  # "detector", "watermark", "tc260_label", "c2pa" or "iptc_label": what set fake_probability
    abstained: str | None = None  # "too_small" or "flat" when the pixels carry no evidence (also "no_face"
    # or "unfamiliar" from a detector without an image branch)
    image: ImageReading | None = None  # the image branch's reading, whichever branch decided
    unfamiliar_faces: bool = False  # faces were found, but unlike those the face branch learned
    evidence: str | None = None  # the deciding face's FaceResult.evidence when judged "faces"

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

        def fit(m):
            return None if m is None else np.asarray(Image.fromarray(m).resize(size, Image.Resampling.BILINEAR))

        faces = [dataclasses.replace(f, box=tuple(round(v * scale) for v in f.box),
                                     crop=tuple(round(v * scale) for v in f.crop)) for f in self.faces]
        image = None if self.image is None else dataclasses.replace(self.image, heatmap=fit(self.image.heatmap))
        return dataclasses.replace(self, heatmap=fit(self.heatmap), faces=faces, image=image)

    def to_json(self) -> dict:
        """Plain-data summary (no arrays), as the CLI prints it."""
        return {
            "fake_probability": round(self.fake_probability, 6),
            "detector_probability": round(self.detector_probability, 6),
            "verdict": self.verdict,
            "judged": self.judged,
            "evidence": self.evidence,
            "abstained": self.abstained,
            "decided_by": self.decided_by,
            "faces": [f.to_json() for f in self.faces],
            "image_branch": None if self.image is None else self.image.to_json(),
        }


class Detector:
    """Real-vs-fake judge for RGB uint8 images.

    Args:
        model: a trained patch discriminator.
        calibration: maps pooled logits to probabilities and verdicts.
        finder: face finder; MTCNN is built on first use when None.
        device: torch device; CPU when None.
        name: registry name, for reports.
        familiarity: where the face branch's training faces lie; None: every face counts as familiar.
        image_branch: the image branch (detectors.native) with its calibration; None: faces only, and
            the detector abstains on a picture without a familiar face.
        blend: the blend head (detectors.blend) with its calibration; None: faces are judged by the
            patch head alone.
    """

    def __init__(self, model: PatchDiscriminator, calibration: Calibration, finder: FaceFinder | None = None,
                 device: str | torch.device | None = None, name: str = "detector",
                 familiarity: Familiarity | None = None, image_branch: NativeJudge | None = None,
                 blend: BlendJudge | None = None):
        self.device = torch.device(device or "cpu")
        # channels_last: the same arithmetic, 15-25% faster for these convolutions on CPU.
        self.model = model.to(self.device).eval().to(memory_format=torch.channels_last)
        self.config: DetectorConfig = model.config
        self.calibration = calibration
        self.familiarity = familiarity  # None: every face counts as familiar
        self._finder = finder
        self._gan_d: tuple[tuple[str, ...], list[GanD]] | None = None
        self.name = name
        self.image_branch = image_branch
        self.blend = blend

    @property
    def image_calibration(self) -> Calibration | None:
        """The image branch's calibration on the face branch's scale (:func:`shared_scale`)."""
        return None if self.image_branch is None else \
            shared_scale(self.image_branch.meta["calibration"], self.calibration)

    @property
    def blend_calibrations(self) -> tuple[Calibration, ...] | None:
        """Each of the blend head's region maps' calibration on the face branch's scale, in the order
        of BLEND_KINDS (:func:`on_face_scale`): every map's "fake" edge lands on the same threshold."""
        if self.blend is None:
            return None
        return tuple(on_face_scale(self.blend.meta["calibration"][kind], self.calibration) for kind in BLEND_KINDS)

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

    def _faces(self, crops: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
        """:meth:`face_logits`, the crops' feature summaries (:meth:`face_features`) and the crops as
        the network saw them (after the canonical JPEG), from one pass."""
        maps, seen, features = self._judged(crops)
        logits = self.pooled(maps)
        if not self.calibration.gan_d:
            return maps, logits, None, features, seen
        theirs = self.gan_d_logits(seen)
        return maps, logits + np.maximum(theirs, 0.0), theirs, features, seen

    def score_crops(self, crops: np.ndarray, sides: np.ndarray | None = None) -> np.ndarray:
        """Calibrated fake probabilities for RGB uint8 face crops (N, SIZE, SIZE, 3).

        ``sides``: each crop's side in the source image before it was resized to SIZE; None treats
        them as taken at SIZE (no enlargement). With a blend head, each face's probability is the
        two heads' together (:func:`fused`), as :meth:`detect` judges it.
        """
        _, logits, _, _, seen = self._faces(crops)
        probs = self.calibration.probability(logits, sides)
        if self.blend is None or not len(crops):
            return probs
        seam = self.blend_says(self.blend.read(seen, canonical_done=True).pooled)
        return fused(probs, seam, self.calibration)[0]

    def blend_says(self, pooled: np.ndarray) -> np.ndarray:
        """The blend head's probabilities, on the face branch's scale, for pooled region logits (N, 2)
        (:func:`blend_evidence`)."""
        return blend_evidence(pooled, self.blend_calibrations)[0]

    def detect(self, image: np.ndarray, threshold: float | None = None, max_faces: int = 30) -> DetectionResult:
        """Judge the pixels of one RGB uint8 image (H, W, 3).

        Every face MTCNN finds (up to ``max_faces``, largest first) is cropped like the training
        faces and scored, and the image branch reads the whole picture. The image's probability is
        its most suspicious face's when that face is familiar (:mod:`detectors.familiar`), else the
        image branch's; without evidence in the pixels (tiny, flat) the detector abstains.
        """
        return self._result(self._pixels(image, max_faces), threshold=threshold)

    def read_whole(self, image: np.ndarray) -> ImageReading | None:
        """The image branch's reading of RGB uint8 ``image`` (None without an image branch)."""
        if self.image_branch is None:
            return None
        reason = no_evidence(image)
        if reason:
            return ImageReading(None, None, 0, reason)
        judged = self.image_branch.judge(image)
        cal = self.image_calibration
        # Each cell on the verdict's scale (unjudged cells at 0: nothing drawn there).
        heatmap = judged.paint(cal.probability(judged.maps).astype(np.float32), 0.0)
        return ImageReading(float(cal.probability(np.array([judged.logit]))[0]), heatmap, judged.tiles, None, cal)

    def _pixels(self, image: np.ndarray, max_faces: int) -> dict:
        """What the pixels say: the keyword arguments of :class:`DetectionResult` that do not depend
        on provenance or a threshold."""
        faces: list[Face] = self.finder.find(image)[:max_faces]
        reading = self.read_whole(image)
        results: list[FaceResult] = []
        deciding = None
        heatmap = np.zeros(image.shape[:2], np.float32)
        if faces:
            results, heatmap, probs = self._judge_faces(image, faces)
            # The most suspicious familiar face decides; an unfamiliar face's number means little.
            familiar = [i for i, r in enumerate(results) if r.familiar]
            deciding = results[max(familiar, key=lambda i: probs[i]) if familiar else int(np.argmax(probs))]
        out = {"faces": results, "image": reading, "unfamiliar_faces": deciding is not None and not deciding.familiar}
        if deciding is not None and deciding.familiar:
            return out | {"pixels": deciding.fake_probability, "heatmap": heatmap, "judged": "faces",
                          "abstained": None, "calibration": self.calibration, "evidence": deciding.evidence}
        if reading is not None and reading.probability is not None:
            # Faces it found but does not know still show where the face branch sees edits, inside
            # their crops: the image branch's tiles do not localise a repair in a face.
            both = reading.heatmap.copy()
            for r in results:  # crops lie inside the image (core.faces.square_inside)
                x0, y0, x1, y1 = r.crop
                both[y0:y1, x0:x1] = heatmap[y0:y1, x0:x1]
            return out | {"pixels": reading.probability, "heatmap": both, "judged": "whole_image",
                          "abstained": None, "calibration": self.image_calibration}
        why = reading.no_evidence if reading is not None else ("unfamiliar" if deciding is not None else "no_face")
        prob = deciding.fake_probability if deciding is not None else 0.5
        return out | {"pixels": prob, "heatmap": heatmap, "judged": "faces" if deciding else "whole_image",
                      "abstained": why, "calibration": self.calibration}

    def _judge_faces(self, image: np.ndarray, faces: list[Face]) -> tuple[list[FaceResult], np.ndarray, np.ndarray]:
        """Face results, the faces' heatmap over the image (float32 (H, W)) and their probabilities."""
        h, w = image.shape[:2]
        heatmap = np.zeros((h, w), np.float32)
        results: list[FaceResult] = []
        crops = np.stack([crop(image, f.crop, SIZE) for f in faces])
        maps, logits, theirs, features, seen = self._faces(crops)
        distances = [None] * len(faces) if self.familiarity is None else \
            [float(d) for d in self.familiarity.distance(features)]
        sides = sides_of([f.crop for f in faces])
        probs = self.calibration.probability(logits, sides)
        gan_d = [None] * len(faces) if theirs is None else [float(g) for g in sigmoid(theirs)]
        large = np.flatnonzero(sides >= FINE_SIDE)
        fine = dict(zip(large, self.patch_logits(np.stack([crop(image, faces[i].crop, FINE_SIDE) for i in large]))
                        if len(large) else []))
        blend = self.blend.read(seen, canonical_done=True) if self.blend is not None else None
        if blend is not None:
            bcals = self.blend_calibrations
            blend_probs, blend_kinds = blend_evidence(blend.pooled, bcals)
            probs, seam_weighs = fused(probs, blend_probs, self.calibration)
        for i, (f, m, p, g, d) in enumerate(zip(faces, maps, probs, gan_d, distances)):
            x0, y0, x1, y1 = f.crop
            views = [sigmoid(m)] + ([sigmoid(fine[i])] if i in fine else [])
            face_map = np.mean([upsample(v, SIZE) for v in views], axis=0, dtype=np.float32)
            region = np.mean([upsample(v, (y1 - y0, x1 - x0)) for v in views], axis=0, dtype=np.float32)
            evidence, b, boundary = "generated", None, None
            if blend is not None:
                b, kind = float(blend_probs[i]), blend_kinds[i]
                boundary = upsample(sigmoid(blend.boundary[i]), SIZE)
                if seam_weighs[i]:
                    evidence = BLEND_KINDS[kind]
                if b >= bcals[kind].threshold:  # draw the region the blend head sees, when it speaks
                    cells = sigmoid(blend.regions[i, kind]).astype(np.float32)  # each cell's share refilled or blended in
                    face_map = np.maximum(face_map, upsample(cells, SIZE))
                    region = np.maximum(region, upsample(cells, (y1 - y0, x1 - x0)))
            familiar = d is None or d <= self.familiarity.limit
            results.append(FaceResult(f.box, f.crop, f.score, float(p), face_map, g, d, familiar,
                                      evidence, b, boundary))
            heatmap[y0:y1, x0:x1] = np.maximum(heatmap[y0:y1, x0:x1], region)
        return results, heatmap, probs

    def _result(self, pixels: dict, provenance: dict | None = None, threshold: float | None = None) -> DetectionResult:
        """The final result, made once: the pixels' probability, raised by provenance evidence."""
        p = pixels["pixels"]
        final, decided_by = combine(p, provenance) if provenance is not None else (p, "detector")
        result = DetectionResult(final, p, "", pixels["calibration"], pixels["faces"], pixels["heatmap"],
                                 pixels["judged"], provenance, decided_by, pixels["abstained"], pixels["image"],
                                 pixels["unfamiliar_faces"], pixels.get("evidence"))
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
        result = self._result(self._pixels(loaded.image, max_faces), provenance=inspect(data), threshold=threshold)
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
                  familiarity: Familiarity | None = None, image_branch: NativeJudge | None = None,
                  blend: BlendJudge | None = None) -> Detector:
    """Load a detector checkpoint; with ``sha256``, refuse a file whose digest differs.
    ``familiarity`` (fitted to this network's features) hands unfamiliar faces to ``image_branch``
    (detectors.native.load_native), which judges pictures without a face; ``blend`` (detectors.blend.load_blend)
    looks for seams in every face.

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
                    familiarity=familiarity, image_branch=image_branch, blend=blend)
