"""Measuring a detector: on validation crops (fast, used by training and bench) and on folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from core.faces import crop, sides_of
from core.io import ImageReadError, read_image
from detectors import metrics
from detectors.crops import SIZE, jpeg
from detectors.detector import DetectionResult, Detector, upsample

# The re-shares a real photo commonly goes through; none of them should change its verdict.
LAUNDER: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "jpeg_q85": lambda im: jpeg(im, 85),
    "resize_0.5x": lambda im: np.asarray(
        Image.fromarray(im).resize((im.shape[1] // 2, im.shape[0] // 2), Image.Resampling.BICUBIC)),
    "png_to_jpeg": lambda im: jpeg(im, 75),  # PIL's and many tools' default quality
}


def crops_of(images: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """Face crops (N, SIZE, SIZE, 3) of aligned images by their rectangles."""
    return np.stack([crop(im, tuple(r), SIZE) for im, r in zip(images, rects)])


def scores_of(detector: Detector, images, rects) -> np.ndarray:
    """Calibrated fake probabilities of the faces at ``rects`` in ``images``, each corrected for
    its crop's enlargement."""
    return detector.score_crops(crops_of(images, rects), sides_of(rects))


def _scaled_rect(rect: np.ndarray, src: int, dst: int) -> tuple[int, int, int, int]:
    return tuple(int(round(v * dst / src)) for v in rect)


def binary_report(labels: np.ndarray, probs: np.ndarray, threshold: float) -> dict:
    """AUC with its 95% confidence interval (None when a class has fewer than two faces), AP,
    accuracy, false-positive rate at ``threshold``, and ECE."""
    labels = np.asarray(labels).astype(int)
    predicted = probs >= threshold
    return {
        "auc": metrics.auc(labels, probs),
        "auc_ci95": metrics.auc_interval(labels, probs),
        "ap": metrics.average_precision(labels, probs),
        "accuracy": float((predicted == labels.astype(bool)).mean()),
        "fpr": float(predicted[labels == 0].mean()) if (labels == 0).any() else float("nan"),
        "tpr": float(predicted[labels == 1].mean()) if (labels == 1).any() else float("nan"),
        "ece": metrics.ece(labels, probs),
        "n_real": int((labels == 0).sum()),
        "n_fake": int((labels == 1).sum()),
    }


def family_aucs(real: np.ndarray, fakes: dict[str, np.ndarray]) -> dict[str, dict]:
    """AUC of each fake family's scores against the same real scores, with its 95% interval:
    {family: {"n", "auc", "auc_ci95"}}, families sorted by name."""
    out = {}
    for family, fake in sorted(fakes.items()):
        labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
        probs = np.r_[real, fake]
        out[family] = {"n": len(fake), "auc": metrics.auc(labels, probs), "auc_ci95": metrics.auc_interval(labels, probs)}
    return out


def interval_text(interval: tuple[float, float] | None, percent: bool = False) -> str:
    """An interval as text, "0.9680–0.9800" (or "1.7%–3.7%"); "–" where there is none."""
    if interval is None:
        return "–"
    return "{:.1%}–{:.1%}".format(*interval) if percent else "{:.4f}–{:.4f}".format(*interval)


def number_text(value: float | None, digits: int = 4) -> str:
    """A figure as text, "0.9747"; "–" where there is none (the reals' own row has no AUC)."""
    return "–" if value is None else f"{value:.{digits}f}"


def ci_text(interval: tuple[float, float] | None, percent: bool = False) -> str:
    """A 95% interval in brackets, "(95% CI 0.9680–0.9800)", as the CLI and the benches print it."""
    return f"(95% CI {interval_text(interval, percent)})"


def laundered_scores(detector: Detector, images: np.ndarray, rects: np.ndarray, name: str) -> np.ndarray:
    """:func:`scores_of` the same faces after the LAUNDER transform ``name``, rectangles rescaled with them."""
    laundered = [LAUNDER[name](im) for im in images]
    moved = [_scaled_rect(r, im.shape[1], t.shape[1]) for im, r, t in zip(images, rects, laundered)]
    return scores_of(detector, laundered, moved)


def flip_rates(detector: Detector, reals: np.ndarray, rects: np.ndarray) -> dict:
    """Share of real faces whose verdict changes under each LAUNDER transform (3-way verdicts)."""
    cal = detector.calibration
    base = [cal.verdict(p) for p in scores_of(detector, reals, rects)]
    out = {}
    for name in LAUNDER:
        now = [cal.verdict(p) for p in laundered_scores(detector, reals, rects, name)]
        out[name] = float(np.mean([a != b for a, b in zip(base, now)]))
    return out


def pixel_auc(detector: Detector, images: np.ndarray, masks: np.ndarray) -> float:
    """Pixel-level AUC of the heatmap against the true inpainted pixels (masks bool (N, H, W))."""
    return map_pixel_auc(detector.patch_logits(images), masks)


def map_pixel_auc(maps: np.ndarray, masks: np.ndarray) -> float:
    """Pixel-level AUC of patch maps (N, h, w), upsampled as the heatmap is, against masks bool (N, H, W)."""
    return metrics.auc(masks.reshape(-1), _pixel_scores(maps, masks))


def map_pixel_auc_interval(maps: np.ndarray, masks: np.ndarray) -> tuple[float, float] | None:
    """95% interval of :func:`map_pixel_auc` for new faces: each face's pixels count as one group."""
    groups = np.repeat(np.arange(len(masks)), masks[0].size)
    return metrics.clustered_auc_interval(masks.reshape(-1), _pixel_scores(maps, masks), groups)


def _pixel_scores(maps: np.ndarray, masks: np.ndarray) -> np.ndarray:
    return np.concatenate([upsample(m, masks.shape[1]).ravel() for m in maps])


def localisation(heatmap: np.ndarray, mask: np.ndarray, level: float = 0.5) -> dict:
    """How well a heatmap (float (H, W) in [0, 1]) finds a known edited region (bool (H, W)).

    Returns ``{"auc": pixel AUC, "iou": IoU of heatmap >= level with the mask}``; AUC is None when
    the mask is empty or covers everything (nothing to rank).
    """
    truth = mask.reshape(-1)
    scores = heatmap.reshape(-1)
    found = scores >= level
    union = np.logical_or(found, truth).sum()
    iou = float(np.logical_and(found, truth).sum() / union) if union else 0.0
    auc = metrics.auc(truth, scores) if 0 < truth.sum() < truth.size else None
    return {"auc": auc, "iou": iou}


# A repair counts as flagged when the heatmap's >= 50% area overlaps the hole at least this much.
FLAGGED_IOU = 0.1
# A pixel AUC from which the heatmap, however faint, points at the repair.
POINTS_AT = 0.8


@dataclass
class RepairCatch:
    """How the detector did on one repaired image whose hole is known."""

    method: str  # the inpainter's name
    result: DetectionResult  # the detector's judgement of the repaired image's pixels
    auc: float | None  # pixel AUC of the heatmap against the hole (None when the hole is empty or everything)
    iou: float  # IoU of the heatmap's >= 50% area with the hole

    @property
    def judged(self) -> bool:
        """False when the detector abstained on this repair (no evidence in its pixels): no flag, no heatmap."""
        return not self.result.unknown

    @property
    def flagged(self) -> bool:
        """The detector raised a flag a person can see: a verdict of "fake" or "uncertain", or a heatmap on the hole."""
        return self.judged and (self.result.verdict in ("fake", "uncertain") or self.iou >= FLAGGED_IOU)


def catch_repairs(detector: Detector, repairs: dict[str, np.ndarray], hole: np.ndarray) -> list[RepairCatch]:
    """Judge each repaired RGB uint8 image (pixels only) and score how well its heatmap finds ``hole``
    (bool (H, W), the same for every image). Where the detector abstains, its heatmap is no evidence:
    no AUC, IoU 0."""
    out = []
    for method, image in repairs.items():
        judged = detector.detect(image)
        loc = localisation(judged.heatmap, hole) if not judged.unknown else {"auc": None, "iou": 0.0}
        out.append(RepairCatch(method, judged, loc["auc"], loc["iou"]))
    return out


@dataclass
class CatchSummary:
    """What the detector made of a set of repairs, in one word and its numbers."""

    kind: str  # "some" (flagged), "faint" (none flagged, but a heatmap ranks the hole high), "none", or
    # "unjudged" (the detector abstained on every repair)
    count: int  # the repairs flagged ("some") or ranked high ("faint"); 0 otherwise
    total: int  # repairs judged
    hid_best: str | None  # "some" only: of the repairs not flagged, the one whose heatmap ranks the hole lowest;
    # None when every repair was flagged, or none was (nothing was caught, so no repair "won")
    shrunk: bool  # the image is over twice the training crop's side: faces were judged shrunk


def summarise_catches(rows: list[RepairCatch], image_side: int) -> CatchSummary:
    """One summary of :func:`catch_repairs`' rows for an image ``image_side`` px on its longer side."""
    shrunk = image_side > 2 * SIZE
    if not any(r.judged for r in rows):
        return CatchSummary("unjudged", 0, len(rows), None, shrunk)
    flagged = [r for r in rows if r.flagged]
    missed = [r for r in rows if r.judged and not r.flagged]
    if flagged:
        best = min(missed, key=lambda r: r.auc if r.auc is not None else 1.0).method if missed else None
        return CatchSummary("some", len(flagged), len(rows), best, shrunk)
    ranked = [r for r in rows if r.auc is not None and r.auc >= POINTS_AT]
    return CatchSummary("faint" if ranked else "none", len(ranked), len(rows), None, shrunk)


@dataclass
class FolderItem:
    path: Path
    label: int  # 1 fake, 0 real
    probability: float | None
    error: str | None


def iter_folder_scores(detector: Detector, real: Path, fake: Path) -> Iterator[FolderItem]:
    """Full ``detect`` (faces and all) on every image of two folders, one at a time."""
    for label, folder in ((0, real), (1, fake)):
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            try:
                result = detector.detect(read_image(path).image)
                yield FolderItem(path, label, result.fake_probability, None)
            except ImageReadError as e:
                yield FolderItem(path, label, None, str(e))
