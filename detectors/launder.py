"""The launder experiment: what re-sharing does to an image's evidence.

Messaging apps and social sites re-encode, shrink and crop what people post, and screenshots
re-render it. Each step strips metadata (C2PA manifests, the TC260 label) and wears down pixel
traces (watermarks, generator fingerprints). :func:`reshare` imitates one re-share on a file's
bytes; :func:`evidence_after` measures what is left.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from core.io import read_image
from genai import watermark
from genai.provenance import read_c2pa, read_tc260


@dataclass(frozen=True)
class Reshare:
    jpeg_quality: int | None = None  # re-encode as JPEG at this quality; None keeps the encoding
    scale: float = 1.0  # resize factor (a site's "optimised" copy is often 0.5x or less)
    crop: float = 0.0  # share of width and height cut away, centred (0.1 = a 10% crop)
    screenshot: bool = False  # re-rendered on a screen and captured: 0.8x, display gamma, saved as PNG

    @property
    def identity(self) -> bool:
        return self.jpeg_quality is None and self.scale == 1.0 and self.crop == 0.0 and not self.screenshot


def reshare(data: bytes, how: Reshare) -> bytes:
    """The file someone receives after ``how``; the same bytes when nothing changes.

    Any change decodes and re-encodes the pixels without their metadata, as sharing services do.

    Raises:
        detectors.ImageReadError: ``data`` is not a readable image.
    """
    if how.identity:
        return data
    image = read_image(data).image
    h, w = image.shape[:2]
    if how.crop > 0:
        dy, dx = round(h * how.crop / 2), round(w * how.crop / 2)
        image = image[dy : h - dy or None, dx : w - dx or None]
    pil = Image.fromarray(image)
    if how.scale != 1.0:
        pil = pil.resize((max(1, round(pil.width * how.scale)), max(1, round(pil.height * how.scale))),
                         Image.Resampling.BICUBIC)
    if how.screenshot:
        # A browser shows the image scaled to the page, the display's gamma shifts tones a little,
        # and the screenshot tool saves a PNG of what was on screen.
        pil = pil.resize((max(1, round(pil.width * 0.8)), max(1, round(pil.height * 0.8))), Image.Resampling.BILINEAR)
        lut = [round(255 * (i / 255) ** 0.95) for i in range(256)] * 3
        pil = pil.point(lut)
    buf = io.BytesIO()
    if how.jpeg_quality is not None:
        pil.save(buf, format="JPEG", quality=int(how.jpeg_quality))
    else:
        pil.save(buf, format="PNG")
    return buf.getvalue()


@dataclass
class Evidence:
    detector_probability: float | None  # the discriminator's P(fake), pixels only; None where it abstains
    watermark_found: bool  # our payload recovered exactly (CRC match)
    bit_accuracy: float | None  # share of the original payload's bits still read; None without one
    tc260: bool  # a TC260:AIGC metadata label is present
    c2pa: bool  # a C2PA manifest is present


def original_payload(data: bytes) -> int | None:
    """The watermark payload of the unlaundered file, when it carries ours."""
    result = watermark.detect(read_image(data).image)
    return result.payload if result.found else None


def evidence_after(data: bytes, detector, payload: int | None) -> Evidence:
    """What a detector and the provenance readers still find in ``data`` (a laundered file)."""
    image = read_image(data).image
    # Without an original payload there is nothing to compare bits with (and the search is slow).
    wm = watermark.detect(image) if payload is not None else None
    judged = detector.detect(image)
    return Evidence(
        detector_probability=None if judged.abstained else float(judged.detector_probability),
        watermark_found=bool(wm and wm.found),
        bit_accuracy=None if wm is None else watermark.bit_accuracy(wm, payload),
        tc260=read_tc260(data).get("status") == "found",
        c2pa=read_c2pa(data).get("status") == "found",
    )
