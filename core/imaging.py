"""Small image utilities shared by the generators' front ends: grids, resizing, GIFs.

All functions take and return RGB ``uint8`` arrays of shape (H, W, 3) (or stacks (N, H, W, 3)).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

UPSCALE_METHODS = {"nearest": Image.Resampling.NEAREST, "bicubic": Image.Resampling.BICUBIC}


def upscale(image: np.ndarray, size: int, method: str = "bicubic") -> np.ndarray:
    """Resize a square-ish RGB uint8 image so its longer side is ``size`` pixels.

    This only enlarges pixels for viewing; it adds no detail. ``nearest`` shows the true pixels
    as blocks, ``bicubic`` smooths them.
    """
    if method not in UPSCALE_METHODS:
        raise ValueError(f"unknown method {method!r}; valid: {list(UPSCALE_METHODS)}")
    h, w = image.shape[:2]
    scale = size / max(h, w)
    if scale == 1:
        return image
    new = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(image).resize(new, UPSCALE_METHODS[method]))


def make_grid(images: Sequence[np.ndarray] | np.ndarray, ncols: int, pad: int = 2) -> np.ndarray:
    """Tile N equally sized RGB uint8 images (N, H, W, 3) into one image, white padding between."""
    images = np.asarray(images)
    n, h, w, _ = images.shape
    ncols = max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    grid = np.full((nrows * (h + pad) + pad, ncols * (w + pad) + pad, 3), 255, np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, ncols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        grid[y : y + h, x : x + w] = img
    return grid


def hstack(images: Sequence[np.ndarray], pad: int = 2) -> np.ndarray:
    """A one-row strip of equally sized RGB uint8 images."""
    return make_grid(np.asarray(images), ncols=len(images), pad=pad)


def encode_gif(
    frames: Sequence[np.ndarray], fps: float = 8.0, bounce: bool = True, comment: str = ""
) -> bytes:
    """Animated GIF bytes from RGB uint8 frames; ``bounce`` plays forward then back, looping."""
    seq = list(frames)
    if bounce and len(seq) > 2:
        seq = seq + seq[-2:0:-1]
    pil = [Image.fromarray(f) for f in seq]
    buf = io.BytesIO()
    pil[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=pil[1:],
        duration=round(1000 / fps),
        loop=0,
        disposal=1,
        comment=comment,
    )
    return buf.getvalue()


def wipe(before: np.ndarray, after: np.ndarray, position: float) -> np.ndarray:
    """A before/after comparison: ``before`` left of ``position`` (0-1 of the width), ``after`` right.

    Both RGB uint8 (H, W, 3) of one shape; a white line marks the cut.
    """
    if before.shape != after.shape:
        raise ValueError(f"before {before.shape} and after {after.shape} differ in shape")
    w = before.shape[1]
    cut = int(round(min(max(position, 0.0), 1.0) * w))
    out = after.copy()
    out[:, :cut] = before[:, :cut]
    line = max(1, w // 200)
    out[:, max(0, cut - line) : min(w, cut + line)] = 255
    return out
