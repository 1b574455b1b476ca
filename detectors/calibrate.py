"""Calibrating a trained network on the validation split, and measuring it there; and fitting, on
the training faces, where its inputs are familiar (:func:`fit_familiarity`).

The calibration (Platt scaling) is fitted on the validation split, and the verdict's two edges on
its first half, so that the second half shows how often each verdict is wrong; AUC depends on
neither. Validation never feeds training: the ``val`` split, DCGAN seeds from 1,000,000 and
inpainting masks 200-299 of each band are only measured.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from PIL import Image

from core.faces import FaceFinder, crop, sides_of
from detectors import data as D
from detectors import familiar
from detectors.crops import SIZE
from detectors.detector import Calibration, Detector, enlargement_octaves
from detectors.evaluate import (
    binary_report,
    crops_of,
    flip_rates,
    map_pixel_auc,
    map_pixel_auc_interval,
    scores_of,
)
from detectors.metrics import fit_platt, operating_point, slope_through_origin

DCGAN_VAL_SEED = 1_000_000
# The verdict's operating point: "fake" for at most 5% of real faces, "real" for at most 5% of fakes.
MAX_FALSE_FAKE = 0.05
MAX_FALSE_REAL = 0.05
# ... with this probability for new faces from the validation sources, not only on average: an edge
# at the mean rank lands past 5% for about half the samples it could be chosen on.
EDGE_CONFIDENCE = 0.95
# Val faces are shrunk by these factors to learn how enlargement moves the score (Calibration.scale_slope).
SCALE_FIT = (0.85, 0.7, 0.5, 0.35)
SHRINK_FILTERS = (Image.Resampling.BOX, Image.Resampling.BILINEAR, Image.Resampling.BICUBIC, Image.Resampling.LANCZOS)


def validation_sets(root: Path, masks_root: Path, finder: FaceFinder | None, cache: Path | None, limit: int | None):
    val = D.load_split(root, "val", finder, cache, limit)
    n = len(val.real)
    dcgan = D.dcgan_faces(range(DCGAN_VAL_SEED, DCGAN_VAL_SEED + n))
    dcgan_rects = D.face_rects(dcgan, finder, cache, f"dcgan-val-{n}")
    masks = D.load_masks(masks_root, train=False)
    rng = np.random.RandomState(12345)
    inpainted, holes = [], []
    for i in range(min(n, 400)):
        image, hole = D.inpaint_fake(val.real[i], masks[i % len(masks)], rng)
        inpainted.append(D.jpeg(image, D.HISTORY_QUALITY))
        holes.append(hole > 0.5)
    return val, dcgan, dcgan_rects, np.stack(inpainted), np.stack(holes)


def shrunk_crops(images: np.ndarray, rects: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Face crops of ``images`` first shrunk by ``scale``, and each crop's side.

    Image i is shrunk with filter i mod 4 of SHRINK_FILTERS: photos reach the app resized by all
    sorts of software.
    """
    crops, sides = [], []
    for i, (image, rect) in enumerate(zip(images, rects)):
        h, w = image.shape[:2]
        small = np.asarray(Image.fromarray(image).resize((round(w * scale), round(h * scale)),
                                                         SHRINK_FILTERS[i % len(SHRINK_FILTERS)]))
        r = np.round(np.asarray(rect) * scale).astype(int)
        crops.append(crop(small, tuple(r), SIZE))
        sides.append(r[2] - r[0])
    return np.stack(crops), np.asarray(sides)


def fit_calibration(detector: Detector, val: D.FaceSplit, mirror: bool = False,
                    gan_d: tuple[str, ...] = ()) -> Calibration:
    """Scale slope, Platt scaling and the verdict's operating point, on the validation split.

    The scale slope is how far the pooled logit rises per octave a face is enlarged: it is fitted
    on the first half of each validation class shrunk by SCALE_FIT (SHRINK_FILTERS in turn), pairing each
    face with itself at full size. Platt scaling is then fitted on all of val (real vs StyleGAN2),
    and the operating point on the first halves only, so that :func:`measure` can show on the
    second halves how often each verdict is wrong on faces it was not chosen on.
    """
    detector.calibration = Calibration(mirror=mirror, gan_d=gan_d)
    classes = (("real", val.real, val.real_rects), ("fake", val.fake, val.fake_rects))
    logits = {cls: detector.face_logits(crops_of(images, rects))[1] for cls, images, rects in classes}
    shifts, octaves = [], []
    for cls, images, rects in classes:
        half = len(images) // 2
        native = enlargement_octaves(sides_of(rects[:half]))
        for scale in SCALE_FIT:
            crops, sides = shrunk_crops(images[:half], rects[:half], scale)
            shifts.append(detector.face_logits(crops)[1] - logits[cls][:half])
            octaves.append(enlargement_octaves(sides) - native)
    slope = max(0.0, slope_through_origin(np.concatenate(octaves), np.concatenate(shifts)))
    sized = Calibration(scale_slope=slope)
    real = sized.size_corrected(logits["real"], sides_of(val.real_rects))
    fake = sized.size_corrected(logits["fake"], sides_of(val.fake_rects))
    a, b = fit_platt(np.r_[real, fake], np.r_[np.zeros(len(real)), np.ones(len(fake))])
    cal = Calibration(a=a, b=b, scale_slope=round(slope, 6), mirror=mirror, gan_d=gan_d)
    first_real, first_fake = real[:len(real) // 2], fake[:len(fake) // 2]
    threshold, real_below = operating_point(cal.probability(first_real), cal.probability(first_fake),
                                            MAX_FALSE_FAKE, MAX_FALSE_REAL, EDGE_CONFIDENCE)
    return dataclasses.replace(cal, threshold=round(threshold, 6), real_below=round(real_below, 6))


def verdict_shares(cal: Calibration, probs: np.ndarray) -> dict:
    """The share of ``probs`` given each verdict, and ``n``, how many faces that is."""
    verdicts = [cal.verdict(p) for p in probs]
    shares = {v: round(verdicts.count(v) / max(1, len(verdicts)), 4) for v in ("real", "uncertain", "fake")}
    return shares | {"n": len(verdicts)}


def measure(detector: Detector, val: D.FaceSplit, dcgan, dcgan_rects, inpainted, holes) -> dict:
    """Every figure the detector issue names, with the detector's current calibration."""
    cal = detector.calibration
    p_real = scores_of(detector, val.real, val.real_rects)
    p_fake = scores_of(detector, val.fake, val.fake_rects)
    p_dcgan = scores_of(detector, dcgan, dcgan_rects)
    zeros = np.zeros(len(p_real))
    maps = detector.patch_logits(inpainted)
    return {
        "val_stylegan2": binary_report(np.r_[zeros, np.ones(len(p_fake))], np.r_[p_real, p_fake], cal.threshold),
        "val_dcgan": binary_report(np.r_[zeros, np.ones(len(p_dcgan))], np.r_[p_real, p_dcgan], cal.threshold),
        "inpaint_pixel_auc": map_pixel_auc(maps, holes),
        "inpaint_pixel_auc_ci95": map_pixel_auc_interval(maps, holes),
        "flip_rate_real": flip_rates(detector, val.real, val.real_rects),
        "uncertain_rate_real": float(np.mean([cal.verdict(p) == "uncertain" for p in p_real])),
        # Verdicts on the halves the operating point was not chosen on (DCGAN faces were never used).
        "verdicts_held_out": {"real": verdict_shares(cal, p_real[len(p_real) // 2:]),
                              "stylegan2": verdict_shares(cal, p_fake[len(p_fake) // 2:]),
                              "dcgan": verdict_shares(cal, p_dcgan)},
    }


def fit_familiarity(detector: Detector, faces_root: Path, cache: Path | None,
                    seed: int = 0) -> tuple[familiar.Familiarity, str]:
    """The detector's :class:`~detectors.familiar.Familiarity` from its training faces (FFHQ and
    StyleGAN2 train, the DCGAN faces it trained on), a random HELD_OUT share of them placing the
    limit; and one line saying what it was fitted on."""
    train = D.load_split(faces_root, "train", detector.finder, cache)
    dcgan, dcgan_rects = D.dcgan_training_faces(len(train.real), 0, detector.finder, cache)
    crops = np.concatenate([crops_of(train.real, train.real_rects), crops_of(train.fake, train.fake_rects),
                            crops_of(dcgan, dcgan_rects)])
    features = detector.face_features(crops)
    order = np.random.RandomState(seed).permutation(len(features))
    cut = round(len(features) * (1 - familiar.HELD_OUT))
    fitted = familiar.fit(features[order[:cut]], features[order[cut:]])
    return fitted, (f"{len(features)} training faces (FFHQ, StyleGAN2, DCGAN); fit on {cut}, limit "
                    f"{fitted.limit:.2f} at the {familiar.QUANTILE:.0%} quantile of the other {len(features) - cut}")
