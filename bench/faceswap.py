"""Face swap figures: `python bench/faceswap.py [--pairs 100]`.

On FFHQ validation faces (128 px, real people, never trained on): pair k puts face 2k's face on
face 2k+1 (files in sorted order), with the default options (or ``--blend-mode`` / ``--no-colour`` /
``--no-forehead``: swaps the blend head never saw made otherwise). Prints:

- identity: the share of pairs whose swapped face is closer to the source than to the target in
  dlib's 128-d descriptor space, and the mean distances (same person: < 0.6);
- only the face changes: pairs whose pixels outside the mask (dilated by 2 px) equal the target's;
- the detector: AUC of the shipped detector's detector_probability for the swapped images against
  their original targets, both judged from the same lossless PNG (and again both saved as JPEG q90),
  the shares it calls fake at its default threshold, the AUC of the blend head's own probability
  (before it is fused with the patch head's), and the heatmap's pixel AUC against the swap mask,
  each with a 95% interval; which evidence weighed more; how well the blend head's maps find the
  swap: IoU of the heatmap above 0.5 with the swap mask, and of the boundary map from SEAM_LEVEL up
  (as the Face swap page draws it) with the mask's edge (a 5 px band);
- speed: one swap on a 1024 px photo with one face (the faces enlarged 8x), median and worst of
  10 pairs, split into landmarks / warp / blend.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detectors  # noqa: E402
from core.data import data_root, image_files, load_rgb  # noqa: E402
from detectors import metrics  # noqa: E402
from detectors.evaluate import ci_text, localisation  # noqa: E402
from detectors.evidence import SEAM_LEVEL, seam_map  # noqa: E402
from genai.faceswap import BLENDS, Landmarker, SwapError, SwapOptions, swap  # noqa: E402


def saved(image: np.ndarray, fmt: str) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def edge_band(mask: np.ndarray, width: int = 5) -> np.ndarray:
    """The mask's edge, ``width`` px wide."""
    m = mask.astype(np.uint8)
    k = np.ones((width, width), np.uint8)
    return cv2.dilate(m, k).astype(bool) & ~cv2.erode(m, k).astype(bool)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=100)
    p.add_argument("--speed-pairs", type=int, default=10)
    p.add_argument("--weights", help="a detector checkpoint to measure instead of the shipped one")
    p.add_argument("--blend", help="a blend head checkpoint (detectors.train_blend) instead of the shipped one")
    p.add_argument("--blend-mode", choices=BLENDS, default=SwapOptions.blend, help="how the swap blends the face in")
    p.add_argument("--no-colour", action="store_true", help="swap without matching the target's skin tone")
    p.add_argument("--no-forehead", action="store_true", help="a mask from the brows to the chin")
    args = p.parse_args()
    options = SwapOptions(blend=args.blend_mode, colour=not args.no_colour, forehead=not args.no_forehead)
    print(f"swap options: {options}")
    torch.set_num_threads(2)
    files = image_files(data_root() / "faces" / "val" / "real")
    lm = Landmarker()
    det = detectors.load_detector(args.weights) if args.weights else detectors.create_detector()
    if args.blend:
        det = detectors.with_blend(det, args.blend)
    closer, d_src, d_tgt, untouched, no_face, notes = [], [], [], 0, 0, {}
    probs: dict[str, list[float]] = {"png": [], "jpeg": []}
    said: dict[str, list[bool]] = {"png": [], "jpeg": []}  # the verdict "fake" at the default threshold
    head: dict[str, list[float]] = {"png": [], "jpeg": []}  # the blend head's own probability, before fusing
    labels: list[int] = []
    maps, masks, evidence, region_iou, seam_iou = [], [], {}, [], []
    for k in range(args.pairs):
        source, target = load_rgb(files[2 * k]), load_rgb(files[2 * k + 1])
        try:
            r = swap(source, target, options=options, landmarker=lm)
        except SwapError:
            no_face += 1
            continue
        for n in r.notes:
            notes[n] = notes.get(n, 0) + 1
        box = r.targets[r.swapped[0]].box
        e_src = lm.descriptor(source, r.source.box)
        e_tgt = lm.descriptor(target, box)
        e_out = lm.descriptor(r.image, box)
        d_src.append(float(np.linalg.norm(e_out - e_src)))
        d_tgt.append(float(np.linalg.norm(e_out - e_tgt)))
        closer.append(d_src[-1] < d_tgt[-1])
        outside = ~cv2.dilate(r.mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        untouched += bool((r.image[outside] == target[outside]).all())
        for fmt, key in (("PNG", "png"), ("JPEG", "jpeg")):
            original, swapped = (det.detect(saved(image, fmt)) for image in (target, r.image))
            probs[key] += [original.detector_probability, swapped.detector_probability]
            said[key] += [original.verdict == "fake", swapped.verdict == "fake"]
            head[key] += [max((f.blend_probability or 0.0 for f in r_.faces), default=0.0) for r_ in (original, swapped)]
            if key == "png":
                maps.append(swapped.heatmap)
                evidence[swapped.evidence] = evidence.get(swapped.evidence, 0) + 1
                region_iou.append(localisation(swapped.heatmap, r.mask)["iou"])
                seams = seam_map(swapped, target.shape[:2])
                if seams is not None:
                    seam_iou.append(localisation(seams, edge_band(r.mask), SEAM_LEVEL)["iou"])
        labels += [0, 1]
        masks.append(r.mask)
    n = len(closer)
    print(f"pairs: {n} swapped, {no_face} skipped (no face found); notes: {notes or 'none'}")
    share = float(np.mean(closer))
    print(f"identity: closer to the source in {share:.1%} of pairs ({sum(closer)}/{n}); mean distance to source "
          f"{np.mean(d_src):.3f}, to target {np.mean(d_tgt):.3f} (same person < 0.6)")
    print(f"only the face changes: {untouched}/{n} pairs bit-identical outside the mask (dilated 2 px)")
    y = np.asarray(labels)
    groups = np.repeat(np.arange(n), 2)
    for key in ("png", "jpeg"):
        s, fake, b = np.asarray(probs[key]), np.asarray(said[key]), np.asarray(head[key])
        print(f"detector, both {key.upper()}: AUC {metrics.auc(y, s):.4f} "
              f"{ci_text(metrics.clustered_auc_interval(y, s, groups))}; called fake at the default threshold "
              f"{det.calibration.threshold:.3f}: swapped {np.mean(fake[y == 1]):.1%}, originals {np.mean(fake[y == 0]):.1%}; "
              f"the blend head alone: AUC {metrics.auc(y, b):.4f} {ci_text(metrics.clustered_auc_interval(y, b, groups))}")
    m = np.stack(masks)
    h = np.stack(maps)
    pix_groups = np.repeat(np.arange(n), m[0].size)
    pix = metrics.auc(m.reshape(-1), h.reshape(-1))
    print(f"heatmap pixel AUC against the swap mask: {pix:.4f} "
          f"{ci_text(metrics.clustered_auc_interval(m.reshape(-1), h.reshape(-1), pix_groups))}")

    print(f"evidence weighing more in the swapped images (PNG): {evidence}")
    print(f"heatmap >= 0.5 vs swap mask: IoU mean {np.mean(region_iou):.3f}, median {np.median(region_iou):.3f}")
    if seam_iou:
        print(f"boundary map >= {SEAM_LEVEL} (what the Face swap page draws) vs the mask's edge (5 px band): "
              f"IoU mean {np.mean(seam_iou):.3f}, median {np.median(seam_iou):.3f}")

    times = []
    for k in range(args.speed_pairs):
        big = [cv2.resize(load_rgb(files[2 * k + i]), (1024, 1024), interpolation=cv2.INTER_CUBIC) for i in (0, 1)]
        t0 = time.perf_counter()
        r = swap(big[0], big[1], options=options, landmarker=lm)
        times.append((time.perf_counter() - t0, r.seconds))
    if not times:
        return 0
    total = np.array([t for t, _ in times])
    split = {k: float(np.median([s[k] for _, s in times])) for k in times[0][1]}
    print(f"speed, 1024 px photo, one face: median {np.median(total):.3f} s, worst {total.max():.3f} s "
          f"(median landmarks {split['landmarks']:.3f} s incl. finding faces in both images, "
          f"warp {split['warp']:.3f} s, blend {split['blend']:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
