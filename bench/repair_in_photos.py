"""Does the heatmap find a repair in a face inside a larger photo? `python bench/repair_in_photos.py`.

The Repair page's exercise as a class meets it: a face in a photo, part of it painted over and
filled at the photo's resolution, then judged by the detector. For FFHQ val faces 0..N-1 with the
held-out masks 200-299 (bands 1-4, never trained on): each face is enlarged to SIDE px (bicubic) and
placed on a 1024 x 768 textured background, the photo gets a camera's grain (Gaussian noise of
GRAIN levels: an enlarged 128 px face has none of the fine texture a real photo has, and that
texture is what a smooth fill lacks), the mask is enlarged with the face, and the hole is filled
by the chosen inpainter at the photo's resolution. Prints, per face side, how many faces MTCNN found and the
pixel AUC of the heatmap against the hole inside the judged face crop, with a 95% interval that
counts each face once (faces not found count with an empty heatmap). Side 128 is the training scale.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detectors  # noqa: E402
from core.data import data_root  # noqa: E402
from detectors import data as D  # noqa: E402
from detectors import metrics  # noqa: E402
from detectors.evaluate import ci_text  # noqa: E402
from genai.inpaint import create_inpainter  # noqa: E402


def photo_with_face(face: np.ndarray, hole: np.ndarray, side: int, rng: np.random.RandomState, grain: float):
    """A 1024 x 768 photo with ``face`` enlarged to ``side`` px at a random place, and the hole there."""
    bg = cv2.resize(rng.randint(40, 215, (24, 32, 3)).astype(np.uint8), (1024, 768), interpolation=cv2.INTER_CUBIC)
    x, y = rng.randint(0, 1024 - side + 1), rng.randint(0, 768 - side + 1)
    big = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC) if side != face.shape[0] else face
    bg[y : y + side, x : x + side] = big
    if grain:
        bg = np.clip(bg + rng.normal(0, grain, bg.shape), 0, 255).astype(np.uint8)
    mask = np.zeros((768, 1024), bool)
    mask[y : y + side, x : x + side] = cv2.resize(hole.astype(np.uint8), (side, side),
                                                  interpolation=cv2.INTER_NEAREST) > 0
    return bg, mask


def measure(det, faces, holes, side: int, inpainter, grain: float, seed: int = 0) -> dict:
    rng = np.random.RandomState([seed, side])
    scores, truth, groups, found = [], [], [], 0
    for i, (face, hole) in enumerate(zip(faces, holes)):
        photo, mask = photo_with_face(face, hole, side, rng, grain)
        repaired = inpainter.run(photo, mask).image
        result = det.detect(repaired)
        if result.faces:
            found += 1
            x0, y0, x1, y1 = result.faces[0].crop
        else:  # judge the face's own square: the heatmap there is what the page shows
            ys, xs = np.nonzero(mask)
            x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
        region = (slice(y0, y1), slice(x0, x1))
        scores.append(result.heatmap[region].ravel())
        truth.append(mask[region].ravel())
        groups.append(np.full(truth[-1].size, i))
    s, t, g = np.concatenate(scores), np.concatenate(truth), np.concatenate(groups)
    return {"found": found, "n": len(faces), "auc": metrics.auc(t, s),
            "ci": metrics.clustered_auc_interval(t, s, g)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", help="a detector checkpoint instead of the shipped one")
    p.add_argument("--blend", help="a blend head checkpoint (detectors.train_blend) instead of the shipped one")
    p.add_argument("--n", type=int, default=100, help="faces per side")
    p.add_argument("--sides", type=int, nargs="+", default=[128, 256, 512])
    p.add_argument("--method", default="telea", help="inpainter (genai.list_inpainters())")
    p.add_argument("--grain", type=float, default=3.0, help="camera grain: Gaussian noise, in levels")
    args = p.parse_args()
    torch.set_num_threads(2)
    det = detectors.load_detector(args.weights) if args.weights else detectors.create_detector()
    if args.blend:
        det = detectors.with_blend(det, args.blend)
    root = data_root()
    faces = D.load_split(root / "faces", "val", None, None, args.n).real
    masks = D.load_masks(root / "masks", train=False)
    holes = [masks[(i * 7) % len(masks)] for i in range(len(faces))]
    inpainter = create_inpainter(args.method)
    print(f"{len(faces)} FFHQ val faces, held-out masks, filled by {args.method}, on 1024 x 768 photos "
          f"with grain {args.grain:g}")
    for side in args.sides:
        t0 = time.perf_counter()
        r = measure(det, faces, holes, side, inpainter, args.grain)
        print(f"face {side:4d} px: found {r['found']}/{r['n']}, pixel AUC {r['auc']:.4f} {ci_text(r['ci'])} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
