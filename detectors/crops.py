"""How a face crop reaches the network, the same at training and at inference."""

from __future__ import annotations

import io

import numpy as np
import torch
from PIL import Image

SIZE = 128  # faces are cropped and resized to SIZE x SIZE
CANONICAL_QUALITY = 75  # the JPEG every crop goes through last, at training and inference


def jpeg(image: np.ndarray, quality: int, subsampling: int | None = None) -> np.ndarray:
    """Round-trip RGB uint8 through JPEG at ``quality``; ``subsampling`` 0 is 4:4:4, 2 is 4:2:0 (None:
    PIL's default, 4:2:0, as cameras)."""
    buf = io.BytesIO()
    chroma = {} if subsampling is None else {"subsampling": int(subsampling)}
    Image.fromarray(image).save(buf, format="JPEG", quality=int(quality), **chroma)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def canonical(image: np.ndarray) -> np.ndarray:
    """The last step before the network, at training and inference alike."""
    return jpeg(image, CANONICAL_QUALITY)


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """RGB uint8 (N, H, W, 3) -> float32 (N, 3, H, W) in [-1, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
