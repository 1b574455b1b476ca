"""read_image: every kind of upload becomes upright RGB uint8 or a reason a person can act on."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from core.io import ImageReadError, read_image


def encode(image: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kw)
    return buf.getvalue()


def gradient(w=64, h=48) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.uint8)
    return Image.fromarray(np.stack([np.tile(x, (h, 1))] * 3, axis=2))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF"])
def test_common_formats_decode_to_rgb_uint8(fmt):
    out = read_image(encode(gradient(), fmt))
    assert out.image.dtype == np.uint8 and out.image.shape == (48, 64, 3)
    assert out.format == fmt


def test_exif_rotation_is_respected():
    im = gradient(64, 48)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    out = read_image(encode(im, "JPEG", exif=exif))
    assert out.image.shape == (64, 48, 3) and "exif_rotated" in out.notes


def test_animated_gif_uses_first_frame():
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    out = read_image(data)
    assert "first_frame" in out.notes
    assert out.image[0, 0, 0] > 200 and out.image[0, 0, 2] < 50


def test_sixteen_bit_grayscale_keeps_its_range():
    a = (np.linspace(0, 65535, 64 * 32).reshape(32, 64)).astype(np.uint16)
    out = read_image(encode(Image.fromarray(a), "PNG"))
    assert "converted_16bit" in out.notes
    assert out.image.min() == 0 and out.image.max() == 255  # not clipped to white


def test_alpha_becomes_white_and_cmyk_and_gray_convert():
    rgba = Image.new("RGBA", (16, 16), (255, 0, 0, 0))
    out = read_image(encode(rgba, "PNG"))
    assert "alpha_removed" in out.notes and (out.image == 255).all()
    cmyk = read_image(encode(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG"))
    assert "converted_cmyk" in cmyk.notes and cmyk.image[0, 0, 0] > 200
    gray = read_image(encode(Image.new("L", (16, 16), 80), "PNG"))
    assert "grayscale" in gray.notes and gray.image.shape == (16, 16, 3)


def test_huge_images_are_downscaled_with_a_note():
    out = read_image(encode(Image.new("RGB", (5000, 100), "white"), "PNG"))
    assert out.image.shape == (82, 4096, 3) and "downscaled" in out.notes
    assert out.original_size == (5000, 100)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        (b"hello, I am a text file renamed to .jpg", "not_image"),
        (_png_header_only(60000, 60000), "too_large"),  # a decompression bomb: refused before decoding
        (encode(gradient(), "PNG")[:120], "corrupt"),
        (encode(Image.new("RGB", (4, 4)), "PNG"), "too_small"),
    ],
)
def test_bad_inputs_raise_with_a_reason(data, reason):
    with pytest.raises(ImageReadError) as err:
        read_image(data)
    assert err.value.reason == reason


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(ImageReadError) as err:
        read_image(tmp_path / "nope.png")
    assert err.value.reason == "unreadable"
