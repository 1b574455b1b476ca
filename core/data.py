"""Where the training data lives (and reading its folders the same way on every machine), and where
the app keeps its own files."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

DATA_ENV = "DEEPFAKE_LAB_DATA"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def data_root(path: str | Path | None = None) -> Path:
    """The shared data folder: ``path``, else $DEEPFAKE_LAB_DATA, else ../shared/data beside the project."""
    if path:
        return Path(path)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def cache_dir() -> Path:
    """Where training and benchmarks cache what they made (crop boxes, reconstructions, landmarks):
    $XDG_CACHE_HOME/deepfake-lab, else ~/.cache/deepfake-lab. Not created here."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "deepfake-lab"


def app_home() -> Path:
    """Where the app keeps its own files (the export registry, class rooms): $DEEPFAKE_LAB_HOME, else
    $XDG_DATA_HOME/deepfake-lab, else ~/.local/share/deepfake-lab. Not created here."""
    if os.environ.get("DEEPFAKE_LAB_HOME"):
        return Path(os.environ["DEEPFAKE_LAB_HOME"])
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "deepfake-lab"


def image_files(folder: Path) -> list[Path]:
    """The images in ``folder`` in natural order (r2 before r10), so subsets are the same everywhere."""
    files = [p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
    return sorted(files, key=lambda p: (len(p.stem), p.stem))


def load_rgb(path: str | Path) -> np.ndarray:
    """An image file as RGB uint8 (H, W, 3)."""
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))
