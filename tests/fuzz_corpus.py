"""Hostile and odd uploads, built in code: `python tests/fuzz_corpus.py OUT_DIR` writes them as files.

``images()`` gives (name, bytes, kind) triples: broken files (truncated at many points, random
bytes, text, empty, decompression bombs, HEIC), odd but valid images (1x1 to 20000x20000, CMYK,
16-bit, palette, alpha, grey, animated GIF/WebP, every EXIF orientation, AVIF, TIFF, BMP) and
photos with 0, 1 and 30 faces. ``checkpoints()`` gives generator checkpoints that are corrupt,
wrong-shaped, or pickles whose code would write ``marker`` if anything ran it.

Everything is made from the shipped sample photos and seeded noise, so the corpus is the same on
every machine and no binary blob is committed.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.samples import list_samples, load_sample  # noqa: E402

# What a page or the API must do with each kind: "read" (an image to judge), "refuse" (a clear
# message, no verdict).
READ, REFUSE = "read", "refuse"


def _encode(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _face(k: int = 0, side: int = 256) -> Image.Image:
    names = list_samples("real")
    return Image.fromarray(load_sample(names[k % len(names)])).resize((side, side), Image.Resampling.BICUBIC)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(side: int = 20_000) -> bytes:
    """A valid 1-bit PNG of side x side pixels: about 50 KB on disk, 400 megapixels decoded."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def heic_header() -> bytes:
    """The start of an iPhone photo: an ISO media 'ftyp' box with the heic brand."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 200


def images() -> list[tuple[str, bytes, str]]:
    """The image corpus: (file name, bytes, READ or REFUSE)."""
    rng = np.random.RandomState(0)
    face = _face()
    jpeg, png = _encode(face, "JPEG", quality=90), _encode(face, "PNG")
    out: list[tuple[str, bytes, str]] = []

    # Broken files.
    for k, cut in enumerate(np.linspace(0.02, 0.98, 24)):
        out.append((f"truncated{k:02d}.jpg", jpeg[: int(len(jpeg) * cut)], REFUSE if cut < 0.05 else "either"))
        out.append((f"truncated{k:02d}.png", png[: int(len(png) * cut)], REFUSE))
    for k in range(20):
        out.append((f"random{k:02d}.{('jpg', 'png', 'webp', 'gif')[k % 4]}",
                    rng.randint(0, 256, rng.randint(1, 50_000)).astype(np.uint8).tobytes(), REFUSE))
    flipped = bytearray(jpeg)
    for k in range(8):  # bytes changed inside the picture data: decodes to something, or refuses
        bad = bytearray(flipped)
        for i in rng.randint(600, len(bad), 40):
            bad[i] = rng.randint(0, 256)
        out.append((f"bitflip{k}.jpg", bytes(bad), "either"))
    out += [("notes.jpg", "这不是图片 / not a picture\n".encode() * 40, REFUSE),
            ("page.png", b"<html><body>hello</body></html>", REFUSE),
            ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"/>', REFUSE),
            ("paper.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", REFUSE),
            ("model.jpg", pickle.dumps({"not": "an image"}), REFUSE),
            ("empty.jpg", b"", REFUSE), ("one.png", b"\x89", REFUSE),
            ("png-header-only.png", b"\x89PNG\r\n\x1a\n", REFUSE),
            ("jpeg-header-only.jpg", b"\xff\xd8\xff\xe0", REFUSE),
            ("bomb.png", bomb_png(20_000), REFUSE),
            ("bomb-wide.png", bomb_png(12_000), REFUSE),
            ("iphone.heic", heic_header(), REFUSE), ("iphone.HEIF", heic_header().replace(b"heic", b"mif1", 1), REFUSE)]

    # Odd but valid images.
    for w, h in [(1, 1), (2, 2), (7, 7), (8, 8), (600, 8), (8, 600), (11, 400)]:
        out.append((f"tiny{w}x{h}.png", _encode(face.resize((w, h)), "PNG"), REFUSE if min(w, h) < 8 else "either"))
    out.append(("huge-5000.jpg", _encode(face.resize((5000, 3000)), "JPEG", quality=60), READ))
    out.append(("cmyk.jpg", _encode(face.convert("CMYK"), "JPEG"), READ))
    grey16 = Image.fromarray((np.asarray(face.convert("L"), np.uint16) * 257).astype(np.uint16))
    out.append(("grey16.png", _encode(grey16, "PNG"), READ))
    out.append(("grey.png", _encode(face.convert("L"), "PNG"), READ))
    out.append(("bilevel.png", _encode(face.convert("1"), "PNG"), READ))
    out.append(("palette.png", _encode(face.convert("P", palette=Image.Palette.ADAPTIVE), "PNG"), READ))
    rgba = face.copy()
    rgba.putalpha(Image.fromarray(np.tile(np.linspace(0, 255, 256, dtype=np.uint8), (256, 1))))
    out.append(("alpha.png", _encode(rgba, "PNG"), READ))
    out.append(("grey-alpha.png", _encode(rgba.convert("LA"), "PNG"), READ))
    frames = [face, _face(1), _face(2)]
    out.append(("animated.gif", _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100), READ))
    out.append(("animated.webp", _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:]), READ))
    out.append(("photo.webp", _encode(face, "WEBP"), READ))
    out.append(("photo.avif", _encode(face, "AVIF"), READ))
    out.append(("photo.tiff", _encode(face, "TIFF"), READ))
    out.append(("photo.bmp", _encode(face, "BMP"), READ))
    out.append(("wrong-extension.png", jpeg, READ))
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x8825] = {2: (39, 54, 0), 4: (116, 23, 0)}  # GPS, which an export must not keep
        out.append((f"exif-orientation{orientation}.jpg", _encode(face, "JPEG", exif=exif), READ))
    out.append(("noise.png", _encode(Image.fromarray(rng.randint(0, 256, (300, 300, 3)).astype(np.uint8)), "PNG"),
                READ))
    out.append(("flat.jpg", _encode(Image.new("RGB", (640, 480), (90, 140, 200)), "JPEG"), READ))
    crowd = Image.new("RGB", (6 * 128, 5 * 128))
    for k in range(30):  # thirty faces: a class photo
        crowd.paste(_face(k, 128), ((k % 6) * 128, (k // 6) * 128))
    out.append(("thirty-faces.jpg", _encode(crowd, "JPEG", quality=92), READ))
    for k in range(6):
        out.append((f"face{k}.png", _encode(_face(k), "PNG"), READ))
    return out


class RunsCode:
    """A pickle that writes a marker file when unpickled by anything that runs pickled code."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path(self.marker).write_text, ("the checkpoint's code ran",))


def checkpoints(marker: str | Path) -> list[tuple[str, bytes]]:
    """Generator checkpoints no loader may accept: (file name, bytes)."""
    import torch

    def saved(obj) -> bytes:
        buf = io.BytesIO()
        torch.save(obj, buf)
        return buf.getvalue()

    rng = np.random.RandomState(1)
    evil = RunsCode(str(marker))
    return [("empty.pt", b""), ("random.pt", rng.randint(0, 256, 4096).astype(np.uint8).tobytes()),
            ("text.pt", b"weights go here\n"), ("truncated.pt", saved({"w": torch.zeros(100)})[:300]),
            ("plain-pickle.pt", pickle.dumps(evil)), ("torch-pickle.pt", saved({"state_dict": evil})),
            ("nested-pickle.pt", saved({"config": {"nz": 8}, "state_dict": {"main.0.weight": evil}})),
            ("wrong-shapes.pt", saved({"main.0.weight": torch.zeros(3, 3)})),
            ("a-list.pt", saved([1, 2, 3])), ("a-tensor.pt", saved(torch.zeros(4, 4))),
            ("image.pt", _encode(_face(), "PNG"))]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "fuzz-corpus")
    out.mkdir(parents=True, exist_ok=True)
    for name, data, _ in images():
        (out / name).write_bytes(data)
    for name, data in checkpoints(out / "MARKER-the-code-ran"):
        (out / name).write_bytes(data)
    print(f"wrote {len(list(out.iterdir()))} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
