"""Inpainters: fill a masked hole in an image. One interface, one registry.

Every inpainter is a callable ``inpaint(image, mask) -> image`` on RGB uint8 (H, W, 3) and a bool
mask (H, W), True = hole, returning RGB uint8 (H, W, 3) whose pixels outside the hole are the input's.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

MIN_SIDE = 16


class InpaintError(ValueError):
    """An image or mask an inpainter cannot work with.

    Attributes:
        reason: "empty_mask", "full_mask", "too_small" or "shape"; pages translate it.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def fit_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """A mask of any size (bool, or grayscale with white = hole) as bool (height, width)."""
    m = np.asarray(mask)
    if m.ndim == 3:
        m = m[..., :3].mean(axis=2)
    m = m > (0.5 if m.dtype == bool or m.max() <= 1 else 127)
    if m.shape != (height, width):
        m = np.asarray(Image.fromarray(m.astype(np.uint8) * 255).resize((width, height), Image.Resampling.NEAREST)) > 127
    return m


def check(image: np.ndarray, mask: np.ndarray) -> None:
    """Raise InpaintError for inputs no inpainter can use."""
    if image.ndim != 3 or image.shape[2] != 3 or mask.shape != image.shape[:2]:
        raise InpaintError("shape", f"image {image.shape} and mask {mask.shape} must be (H, W, 3) and (H, W)")
    if min(image.shape[:2]) < MIN_SIDE:
        raise InpaintError("too_small", f"{image.shape[1]}x{image.shape[0]} pixels; at least {MIN_SIDE} needed")
    if not mask.any():
        raise InpaintError("empty_mask", "the mask marks no pixel")
    if mask.all():
        raise InpaintError("full_mask", "the mask covers the whole image: nothing is left to fill from")


def _opencv(flag: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def inpaint(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        check(image, mask)
        # Radius grows with the image so a 1000 px photo is filled as smoothly as a 128 px face.
        radius = max(3, round(min(image.shape[:2]) / 40))
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        out = cv2.inpaint(bgr, mask.astype(np.uint8) * 255, radius, flag)
        return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)

    return inpaint


_INPAINTERS: dict[str, Callable[[], Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    "telea": lambda: _opencv(cv2.INPAINT_TELEA),  # fast marching (Telea 2004)
    "navier-stokes": lambda: _opencv(cv2.INPAINT_NS),  # fluid dynamics (Bertalmio et al. 2001)
}


def list_inpainters() -> list[str]:
    """Names accepted by :func:`create_inpainter`."""
    return list(_INPAINTERS)


def create_inpainter(name: str = "telea") -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """An inpainter by name: ``inpaint(image_rgb_uint8, mask_bool) -> image_rgb_uint8``.

    Raises:
        ValueError: unknown name (the message lists the valid ones).
    """
    try:
        return _INPAINTERS[name]()
    except KeyError:
        raise ValueError(f"unknown inpainter {name!r}; valid names: {list_inpainters()}") from None
