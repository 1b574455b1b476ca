"""Frequency evidence: the log power spectrum of a face crop and its azimuthal profile.

Generators leave traces in the spectrum: upsampling grids as peaks, and smoother textures as
too little (or too much) power at high frequencies. The page plots an image's azimuthal profile
against the range measured on real training faces, put through the detector's own pipeline
(128 px crop, canonical JPEG), so the comparison is like for like.

Reference: ``python -m detectors.spectrum --data ../shared/data/faces --out detectors/weights/spectrum-reference.json``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from core.data import data_root, image_files, load_rgb
from core.faces import crop
from detectors.crops import SIZE, canonical
from detectors.data import to_size

BINS = 32  # radial bins from DC to the Nyquist frequency
REFERENCE = Path(__file__).resolve().parent / "weights" / "spectrum-reference.json"


def _gray(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) @ np.array([0.299, 0.587, 0.114])


def log_spectrum(image: np.ndarray) -> np.ndarray:
    """log10 power spectrum of RGB uint8 (H, W, 3), DC in the centre: float (H, W).

    A Hann window first, so the image's borders do not draw a bright cross through the spectrum.
    """
    y = _gray(image)
    y = y - y.mean()
    window = np.outer(np.hanning(y.shape[0]), np.hanning(y.shape[1]))
    power = np.abs(np.fft.fftshift(np.fft.fft2(y * window))) ** 2
    return np.log10(power + 1e-6)


def azimuthal_profile(image: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Mean log power in rings from DC (0) to Nyquist (1), minus its own mean: float (bins,).

    Subtracting the mean removes overall contrast, which differs between photos for reasons that
    have nothing to do with how they were made; the shape of the profile remains.
    """
    spec = log_spectrum(image)
    h, w = spec.shape
    yy, xx = np.mgrid[:h, :w]
    r = np.hypot((yy - h // 2) / (h / 2), (xx - w // 2) / (w / 2))  # 1 = Nyquist along an axis
    idx = np.minimum((r * bins).astype(int), bins)  # corners beyond Nyquist fall in bin `bins`
    sums = np.bincount(idx.ravel(), spec.ravel(), minlength=bins + 1)[:bins]
    counts = np.bincount(idx.ravel(), minlength=bins + 1)[:bins]
    profile = sums / np.maximum(counts, 1)
    return profile - profile.mean()


def frequencies(bins: int = BINS) -> np.ndarray:
    """Centre of each bin as a fraction of the Nyquist frequency."""
    return (np.arange(bins) + 0.5) / bins


def load_reference(path: str | Path = REFERENCE) -> dict | None:
    """The shipped reference ranges, or None if the file is missing or malformed."""
    try:
        ref = json.loads(Path(path).read_text())
        if len(ref["real"]["p50"]) != BINS:
            return None
        return ref
    except (OSError, ValueError, KeyError, TypeError):
        return None


def outside_share(profile: np.ndarray, reference: dict, high_from: float = 0.5) -> float:
    """Share of high-frequency bins (>= ``high_from`` of Nyquist) outside the real faces' 5-95% range."""
    lo, hi = np.array(reference["real"]["p5"]), np.array(reference["real"]["p95"])
    high = frequencies(len(profile)) >= high_from
    out = (profile < lo) | (profile > hi)
    return float(out[high].mean())


def judged_crop(image: np.ndarray, rect: tuple[int, int, int, int] | None) -> np.ndarray:
    """What the detector looked at: the face crop ``rect`` (or the whole image) at 128 px, canonical JPEG."""
    h, w = image.shape[:2]
    return canonical(crop(image, rect if rect is not None else (0, 0, w, h), SIZE))


def _profiles(images: np.ndarray) -> np.ndarray:
    return np.stack([azimuthal_profile(im) for im in images])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m detectors.spectrum", description="Write the spectrum reference ranges.")
    p.add_argument("--data", help="faces folder (default: $DEEPFAKE_LAB_DATA/faces or ../shared/data/faces)")
    p.add_argument("--out", default=str(REFERENCE))
    args = p.parse_args(argv)
    root = Path(args.data) if args.data else data_root() / "faces"
    ref = {"how": "azimuthal log-power profiles of faces/train (128 px, canonical JPEG q75, as the detector sees them)",
           "bins": BINS}
    for name, folder in (("real", "real"), ("stylegan2", "fake")):
        files = image_files(root / "train" / folder)
        images = np.stack([canonical(to_size(load_rgb(f))) for f in files])
        prof = _profiles(images)
        ref[name] = {k: np.round(np.percentile(prof, q, axis=0), 4).tolist()
                     for k, q in (("p5", 5), ("p50", 50), ("p95", 95))}
        ref[name]["count"] = len(files)
        print(f"{name}: {len(files)} faces", file=sys.stderr)
    Path(args.out).write_text(json.dumps(ref, indent=1))
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
