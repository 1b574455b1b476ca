"""Detect page batch time: `python bench/detect_batch.py [--count 20]` (needs requirements-bench.txt).

Builds 20 (or --count) JPEG photos of 1024 px (the 8 photographs bundled in scikit-image, and 12 of them with a
real FFHQ val face pasted in at 300 px), then times (a) the library path the page uses per file
(decode, MTCNN, detector, provenance) and (b) the Detect page itself, driven headless by AppTest
from upload to the finished results table (first run, nothing cached).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHOTOS = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "motorcycle_left.png", "camera.png",
          "grass.png", "hubble_deep_field.jpg"]


def photos(count: int = 20) -> list[tuple[str, bytes]]:
    import skimage

    from core.data import data_root

    base = Path(skimage.__file__).parent / "data"
    backgrounds = []
    for name in PHOTOS:
        im = Image.open(base / name).convert("RGB")
        scale = 1024 / max(im.size)
        backgrounds.append(im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS))
    faces = sorted((data_root() / "faces" / "val" / "real").glob("*.png"))[:12]
    out = []
    for i, bg in enumerate(backgrounds):
        out.append((f"photo-{i}.jpg", bg))
    for i, face_path in enumerate(faces):
        bg = backgrounds[i % len(backgrounds)].copy()
        face = Image.open(face_path).convert("RGB").resize((300, 300), Image.Resampling.BICUBIC)
        bg.paste(face, ((bg.width - 300) // 2, (bg.height - 300) // 3))
        out.append((f"face-{i}.jpg", bg))
    files = []
    for k in range(count):
        # Beyond 20, the same pictures at another JPEG quality: other bytes, so nothing is cached.
        name, im = out[k % len(out)]
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=90 - k // len(out))
        files.append((f"{k // len(out)}-{name}", buf.getvalue()))
    return files


def main() -> int:
    import argparse

    import torch

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=20, help="photos in the batch (default 20)")
    p.add_argument("--weights", help="a detector checkpoint instead of the shipped one")
    args = p.parse_args()
    torch.set_num_threads(2)
    import detectors

    files = photos(args.count)
    det = detectors.load_detector(args.weights) if args.weights else detectors.create_detector()
    det.detect(np.zeros((64, 64, 3), np.uint8))  # load MTCNN once, as the page's cached resource has
    times = []
    t0 = time.perf_counter()
    for _, data in files:
        t = time.perf_counter()
        det.detect_file(data)
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - t0
    print(f"library: {len(files)} photos of 1024 px in {total:.2f} s "
          f"(median {statistics.median(times):.3f} s, worst {max(times):.3f} s per photo)")

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/detect.py").run()
    at.file_uploader(key="det_files").set_value([(n, d, "image/jpeg") for n, d in files])
    t = time.perf_counter()
    at.run()
    page = time.perf_counter() - t
    assert not at.exception, at.exception
    rows = len(at.dataframe[0].value) if at.dataframe else 0
    print(f"Detect page (AppTest, cold cache): {rows} rows in {page:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
