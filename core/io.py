"""Reading any image a user may upload into RGB uint8, or a clear reason why not.

Handles EXIF rotation, animated files (first frame), CMYK / 16-bit / alpha / grayscale / palette
modes, huge images (downscaled) and decompression bombs (refused before decoding).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Refuse before decoding anything above this: a 100-megapixel RGB image is 300 MB in memory.
MAX_PIXELS = 100_000_000
# Larger images are downscaled to this longer side on reading; the detector never needs more.
MAX_SIDE = 4096
# ISO media brands of HEIC/HEIF stills (phones' default photo format); Pillow cannot decode them here.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class ImageReadError(ValueError):
    """An input that is not a usable image.

    Attributes:
        reason: "not_image", "unsupported", "corrupt", "too_large", "too_small", "empty" or
            "unreadable"; pages translate it.
        detail: specifics for the curious (format, size, decoder message).
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class LoadedImage:
    image: np.ndarray  # RGB uint8 (H, W, 3), upright
    format: str  # "JPEG", "PNG", ... as detected from the bytes, not the file name
    original_size: tuple[int, int]  # (width, height) as stored, before rotation or downscaling
    notes: list[str] = field(default_factory=list)  # what was done: "exif_rotated", "first_frame", ...


def read_image(source: str | Path | bytes | BinaryIO, max_side: int = MAX_SIDE) -> LoadedImage:
    """Decode an image file (path, bytes or binary file object) to upright RGB uint8.

    Raises:
        ImageReadError: empty, not an image, truncated/corrupt, or a decompression bomb.
    """
    data = _read_bytes(source)
    if not data:
        raise ImageReadError("empty", "the file has no bytes")
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        raise ImageReadError("unsupported", f"HEIC/HEIF ({data[8:12].decode('ascii', 'replace')})")
    try:
        with warnings.catch_warnings():  # MAX_PIXELS below is the limit; Pillow's warning would only repeat it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageReadError("not_image", "the content is not an image format we can read") from None
    except Image.DecompressionBombError as e:
        raise ImageReadError("too_large", str(e)) from None
    except Exception as e:  # noqa: BLE001 - Pillow raises many types on malformed headers
        raise ImageReadError("corrupt", f"{type(e).__name__}: {e}") from None
    fmt = im.format or "unknown"
    w, h = im.size
    if w * h > MAX_PIXELS:
        raise ImageReadError("too_large", f"{w}x{h} pixels is more than {MAX_PIXELS // 1_000_000} megapixels")
    notes: list[str] = []
    try:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
            notes.append("first_frame")
        im.load()
        rotated = ImageOps.exif_transpose(im)
        if rotated is not None and rotated is not im:
            if (im.getexif() or {}).get(0x0112, 1) not in (1, None):
                notes.append("exif_rotated")
            im = rotated
        rgb = _to_rgb(im, notes)
    except ImageReadError:
        raise
    except Exception as e:  # noqa: BLE001 - truncated data surfaces here, at decode time
        raise ImageReadError("corrupt", f"{type(e).__name__}: {e}") from None
    if max(rgb.shape[:2]) > max_side:
        scale = max_side / max(rgb.shape[:2])
        size = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
        rgb = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BOX))
        notes.append("downscaled")
    if rgb.shape[0] < 8 or rgb.shape[1] < 8:
        raise ImageReadError("too_small", f"{rgb.shape[1]}x{rgb.shape[0]} pixels")
    return LoadedImage(np.ascontiguousarray(rgb), fmt, (w, h), notes)


def _read_bytes(source: str | Path | bytes | BinaryIO) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as e:
            raise ImageReadError("unreadable", f"{source}: {e.strerror or e}") from None
    return source.read()


def _to_rgb(im: Image.Image, notes: list[str]) -> np.ndarray:
    mode = im.mode
    if mode == "RGB":
        return np.asarray(im)
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit / 32-bit single channel: scale the real range to 8 bits (Pillow's own convert
        # would clip almost everything to white).
        a = np.asarray(im, dtype=np.float64)
        lo, hi = float(a.min()), float(a.max())
        a = (a - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(a)
        notes.append("converted_16bit")
        return np.repeat(a.round().astype(np.uint8)[..., None], 3, axis=2)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        # Transparent pixels become white, as a browser shows them on a white page.
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        notes.append("alpha_removed")
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    if mode == "CMYK":
        notes.append("converted_cmyk")
    elif mode in ("L", "1"):
        notes.append("grayscale")
    return np.asarray(im.convert("RGB"))
