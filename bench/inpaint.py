"""Inpainting quality and speed: `python bench/inpaint.py [--per-band 25]`.

For bands 1-4 of the irregular masks (10-50% of the image), pairs held-out FFHQ val faces with
held-out masks (200-299 of each band; training used 0-199 and faces/train only) and prints the
masked-region PSNR and SSIM of every inpainter, then the learned generator's time per 128 px face.
Every method goes through its public interface (``create_inpainter(name)``), face finding included.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data import data_root  # noqa: E402
from genai.inpaint import create_inpainter, list_inpainters  # noqa: E402
from genai.quality import masked_psnr, masked_ssim  # noqa: E402
from genai.train_inpaint import VAL_BANDS, load_faces, load_hole_masks  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", help="shared data folder (default: $DEEPFAKE_LAB_DATA or ../shared/data)")
    p.add_argument("--per-band", type=int, default=25, help="face/mask pairs per band (default 25)")
    p.add_argument("--methods", nargs="+", default=list_inpainters())
    args = p.parse_args()
    torch.set_num_threads(2)
    root = data_root(args.data)
    n = args.per_band
    faces = load_faces(root / "faces" / "val" / "real", n * len(VAL_BANDS))
    masks = load_hole_masks(root / "masks", VAL_BANDS, train=False, limit=n)
    pairs = [(faces[k * n + j], band, masks[band][j]) for k, band in enumerate(VAL_BANDS) for j in range(n)]
    print(f"{len(pairs)} pairs: FFHQ val faces 0-{len(pairs) - 1}, held-out masks 200-{199 + n} of bands {VAL_BANDS}")

    rows = {}
    for name in args.methods:
        inpainter = create_inpainter(name)
        scores = {band: ([], []) for band in VAL_BANDS}
        routes: dict[str, int] = {}
        t0 = time.perf_counter()
        for face, band, hole in pairs:
            result = inpainter.run(face, hole)
            out = result.image
            routes[result.route] = routes.get(result.route, 0) + 1
            scores[band][0].append(masked_psnr(out, face, hole))
            scores[band][1].append(masked_ssim(out, face, hole))
        per_image = (time.perf_counter() - t0) / len(pairs)
        rows[name] = scores
        route_note = f"  routes {routes}" if routes else ""
        print(f"  {name}: {per_image:.3f} s per face (face finding included){route_note}", file=sys.stderr)

    head = "method".ljust(15) + "".join(f"band{b} PSNR/SSIM".rjust(19) for b in VAL_BANDS) + "   mean PSNR/SSIM"
    print(head)
    for name, scores in rows.items():
        cells = [f"{np.mean(scores[b][0]):6.2f} / {np.mean(scores[b][1]):.3f}".rjust(19) for b in VAL_BANDS]
        psnr = np.mean([v for b in VAL_BANDS for v in scores[b][0]])
        ssim = np.mean([v for b in VAL_BANDS for v in scores[b][1]])
        print(name.ljust(15) + "".join(cells) + f"   {psnr:6.2f} / {ssim:.3f}")
    if "telea" in rows and "gated-unet" in rows:
        gain = np.mean([v for b in VAL_BANDS for v in rows["gated-unet"][b][0]]) - np.mean(
            [v for b in VAL_BANDS for v in rows["telea"][b][0]])
        print(f"gated-unet - telea: {gain:+.2f} dB mean masked PSNR (target >= +2)")

    if "gated-unet" in args.methods:
        # Network time for one 128 px face (the figure the issue names), then with MTCNN in front.
        from genai.inpaint import LearnedInpainter

        net = LearnedInpainter()
        face, _, hole = pairs[0]
        crop_times, full_times = [], []
        for _ in range(20):
            t = time.perf_counter()
            net.fill_crop(face, hole)
            crop_times.append(time.perf_counter() - t)
        for _ in range(10):
            t = time.perf_counter()
            net.run(face, hole)
            full_times.append(time.perf_counter() - t)
        print(f"gated-unet: {np.median(crop_times) * 1000:.0f} ms per 128 px face (median of 20; target <= 200), "
              f"{np.median(full_times) * 1000:.0f} ms with face finding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
