"""How good is the detector? Stored validation scores, and the curves and tables built from them.

``python -m detectors scores`` judges the validation images once (FFHQ val reals, StyleGAN2 val
fakes, the app's DCGAN faces from seeds 1,000,000 on, val reals inpainted with held-out masks, val
reals with another val face swapped on by the app) with
the shipped detector and, for comparison, the face GAN's discriminator (detectors.gan_d), and stores
every probability next to the weights. The Report page draws from that file, or from a user's own
labelled uploads through :func:`curves` and :func:`source_table`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from core.data import cache_dir, data_root as default_data_root
from core.faces import FaceFinder, sides_of
from core.weights import shipped_path
from detectors import metrics
from detectors.calibrate import validation_sets
from detectors.evaluate import crops_of
from detectors.gan_d import REPORT, load_shipped_gan_d

REAL = "ffhq_real"
SWAP_PAIRS = 200  # val reals 2k's face put on 2k+1's by the app's face swap (as bench/faceswap.py)
CURVE_POINTS = 200  # curves are thinned to this many points for the page


def scores_path(weights: str) -> Path:
    """Where the validation scores of the shipped weights ``weights`` (core.weights.SHIPPED) are stored."""
    path = shipped_path(weights)
    return path.with_name(path.stem + ".scores.json")


def load_scores(path: str | Path) -> dict | None:
    """The stored scores, or None if missing or malformed. ``data["real"]`` names the real source the
    fakes are ranked against (REAL unless the file says otherwise); ``data["other_reals"]``, real
    sources shown only for their false alarms."""
    try:
        data = json.loads(Path(path).read_text())
        data.setdefault("real", REAL)
        data.setdefault("other_reals", [])
        assert all(k in data["detector"] for k in [data["real"], *data["other_reals"]])
        return data
    except (OSError, ValueError, KeyError, AssertionError, TypeError):
        return None


def _thin(*arrays: np.ndarray) -> list[list[float]]:
    n = len(arrays[0])
    idx = np.unique(np.linspace(0, n - 1, min(n, CURVE_POINTS)).round().astype(int))
    return [np.round(a[idx], 4).tolist() for a in arrays]


def curves(real: np.ndarray, fake: np.ndarray, threshold: float) -> dict:
    """ROC, precision-recall, confusion at ``threshold`` and reliability bins for P(fake) scores."""
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    probs = np.r_[real, fake]
    fpr, tpr, _ = metrics.roc_curve(labels, probs)
    recall, precision = metrics.pr_curve(labels, probs)
    fpr, tpr = _thin(fpr, tpr)
    recall, precision = _thin(recall, precision)
    return {
        "fpr": fpr, "tpr": tpr, "auc": metrics.auc(labels, probs),
        "recall": recall, "precision": precision, "ap": metrics.average_precision(labels, probs),
        "confusion": metrics.confusion(labels, probs, threshold),
        "reliability": metrics.reliability(labels, probs),
        "ece": metrics.ece(labels, probs),
    }


def source_table(scores: dict[str, list[float]], threshold: float, real_key: str = REAL,
                 other_reals: tuple[str, ...] | list[str] = ()) -> list[dict]:
    """One row per fake source against the reals (``real_key``): count, AUC with its 95% interval,
    AP, share caught; and the false alarms of the reals and of ``other_reals``."""
    real = np.asarray(scores[real_key])
    rows = [{"source": k, "n": len(scores[k]), "auc": None, "auc_ci95": None, "ap": None,
             "flagged": float((np.asarray(scores[k]) >= threshold).mean()) if len(scores[k]) else None}
            for k in [real_key, *other_reals]]
    for name, fake in scores.items():
        if name == real_key or name in other_reals:
            continue
        fake = np.asarray(fake)
        labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
        probs = np.r_[real, fake]
        rows.append({"source": name, "n": len(fake), "auc": metrics.auc(labels, probs),
                     "auc_ci95": metrics.auc_interval(labels, probs),
                     "ap": metrics.average_precision(labels, probs),
                     "flagged": float((fake >= threshold).mean()) if len(fake) else None})
    return rows


def app_swaps(reals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Face 2k of ``reals`` put on face 2k+1 by the app's face swap (default options), for each pair
    with a face in both: (swapped images, indices of their targets in ``reals``)."""
    from genai.faceswap import Landmarker, SwapError, swap

    lm = Landmarker()
    images, targets = [], []
    for k in range(len(reals) // 2):
        try:
            images.append(swap(reals[2 * k], reals[2 * k + 1], landmarker=lm).image)
        except SwapError:
            continue
        targets.append(2 * k + 1)
    return np.stack(images), np.asarray(targets)


def compute_scores(detector, data_root: Path | None = None, limit: int | None = None) -> dict:
    """Every validation probability from ``detector`` and the GAN's discriminator (plain data)."""
    root = data_root or default_data_root()
    val, dcgan, dcgan_rects, inpainted, _ = validation_sets(root / "faces", root / "masks", FaceFinder(),
                                                           cache_dir(), limit)
    swapped, targets = app_swaps(val.real[: 2 * SWAP_PAIRS])
    rects = {REAL: val.real_rects, "stylegan2": val.fake_rects, "dcgan": dcgan_rects,
             "inpaint_classical": val.real_rects[: len(inpainted)], "faceswap": val.real_rects[targets]}
    images = {REAL: val.real, "stylegan2": val.fake, "dcgan": dcgan, "inpaint_classical": inpainted,
              "faceswap": swapped}
    crops = {k: crops_of(images[k], rects[k]) for k in rects}  # judged by both models
    out = {"how": "validation split only: FFHQ val reals, StyleGAN2 val fakes, DCGAN seeds 1,000,000+, "
                  "val reals inpainted (Telea/Navier-Stokes) with held-out masks, val reals 2k+1 with val real 2k's "
                  "face swapped on by the app (default options); face crops as the detector sees them",
           "detector": {k: np.round(detector.score_crops(v, sides_of(rects[k])), 5).tolist() for k, v in crops.items()}}
    gan_d = load_shipped_gan_d(REPORT)
    out["gan_d_name"] = REPORT
    out["gan_d"] = {k: np.round(gan_d.probabilities(v), 5).tolist() for k, v in crops.items()}
    return out
