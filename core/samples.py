"""Sample faces shipped with the app, so that every page works offline without an upload.

Real FFHQ validation faces and StyleGAN2 faces, 128 px (sources and licences in
``core/assets/samples/SOURCES.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.data import load_rgb

SAMPLES_DIR = Path(__file__).resolve().parent / "assets" / "samples"


@dataclass(frozen=True)
class Sample:
    file: str  # in SAMPLES_DIR
    kind: str  # "real" (a photo of a real person) or "stylegan2" (generated)


SAMPLES: dict[str, Sample] = {
    "ffhq-69003": Sample("ffhq-69003.png", "real"),
    "ffhq-69004": Sample("ffhq-69004.png", "real"),
    "ffhq-69019": Sample("ffhq-69019.png", "real"),
    "ffhq-69021": Sample("ffhq-69021.png", "real"),
    "stylegan2-f0": Sample("stylegan2-f0.jpg", "stylegan2"),
    "stylegan2-f6": Sample("stylegan2-f6.jpg", "stylegan2"),
}


def list_samples(kind: str | None = None) -> list[str]:
    """Sample names, all or those of one ``kind``."""
    return [name for name, s in SAMPLES.items() if kind is None or s.kind == kind]


def _path(name: str) -> Path:
    try:
        return SAMPLES_DIR / SAMPLES[name].file
    except KeyError:
        raise ValueError(f"unknown sample {name!r}; valid names: {list_samples()}") from None


def sample_bytes(name: str) -> bytes:
    """The sample's file as stored (PNG or JPEG), as an upload would arrive."""
    return _path(name).read_bytes()


def load_sample(name: str) -> np.ndarray:
    """The sample as RGB uint8 (128, 128, 3)."""
    return load_rgb(_path(name))
