"""The detector on today's generators: `python bench/native.py [--limit N]`.

Judges every crop of ``../shared/data/native/val`` as a user's upload is judged (the face branch
when it finds a face like those it learned, else the image branch on the whole picture) and
prints, against the real validation photos (181 ImageNet crops):

- the AUC of each held-out family (FLUX.1, Chroma, Flex, Qwen-Image, Kandinsky, StyleGAN2 at
  native resolution) with its 95% interval (DeLong), "cannot judge" scored 0.5, and the share
  judged at all, the verdicts a user sees per family, and the pooled AUC;
- the history-swap test: every real re-saved as a generator site's JPEG (q85 4:2:0) and every fake
  as a camera's (q96 4:4:4); a detector that learned JPEG history falls towards 0.5 there;
- real photos called fake: ImageNet val and the camera models held out of training
  (detectors.train_native.splits), with 95% intervals;
- verdicts that change when a photo (real or fake) is re-saved as JPEG q85 or halved;
- time for a 1024 px photo judged by both branches, and the split.

None of these images was trained on or chosen on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detectors  # noqa: E402
from core.data import data_root, load_rgb  # noqa: E402
from detectors import metrics  # noqa: E402
from detectors.crops import jpeg  # noqa: E402
from detectors.evaluate import LAUNDER, ci_text, family_aucs  # noqa: E402
from detectors.train_native import splits  # noqa: E402


def score(result) -> float:
    """The number a user is given, 0.5 for "cannot judge"."""
    return 0.5 if result.unknown else result.detector_probability


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--limit", type=int, help="at most this many crops per family (quick runs)")
    p.add_argument("--image-branch", help="an image-branch checkpoint (detectors.train_native) instead of the shipped one")
    args = p.parse_args()
    torch.set_num_threads(2)
    det = detectors.create_detector()
    if args.image_branch:
        det = detectors.with_image_branch(det, args.image_branch)
    root = data_root() / "native"
    split = splits(root)
    scores: dict[str, list[float]] = defaultdict(list)
    swapped: dict[str, list[float]] = defaultdict(list)
    verdicts_of: dict[str, list[str]] = defaultdict(list)
    branch: dict[str, list[str]] = defaultdict(list)
    kept: list[tuple[str, np.ndarray, str]] = []
    for family, path in split["val"]:
        if args.limit and len(scores[family]) >= args.limit:
            continue
        image = load_rgb(path)
        result = det.detect(image)
        scores[family].append(score(result))
        verdicts_of[family].append(result.verdict)
        branch[family].append("none" if result.abstained else result.judged)
        fake = family != "real"
        swapped[family].append(score(det.detect(jpeg(image, 96, 0) if fake else jpeg(image, 85, 2))))
        if len(kept) < 400 and (not fake or len(scores[family]) <= 40):
            kept.append((family, image, result.verdict))
    real = np.asarray(scores.pop("real"))
    fams = {k: np.asarray(v) for k, v in scores.items()}
    print(f"{len(real)} real val photos (ImageNet); {sum(map(len, fams.values()))} fakes of {len(fams)} held-out "
          f"families; judged as uploads; 'cannot judge' scored 0.5")
    per_family = family_aucs(real, fams)
    for family, r in per_family.items():
        said, n = verdicts_of[family], r["n"]
        judged = n - said.count("unknown")
        print(f"  {family:12s} n={n:4d}  AUC {r['auc']:.3f} {ci_text(r['auc_ci95'])}  judged {judged / n:.0%} "
              f"(face branch {branch[family].count('faces')}, image branch {branch[family].count('whole_image')}); "
              f"verdicts: fake {said.count('fake') / n:.0%}, uncertain {said.count('uncertain') / n:.0%}, "
              f"no traces {said.count('real') / n:.0%}, cannot judge {said.count('unknown') / n:.0%}")
    every = np.concatenate(list(fams.values()))
    labels = np.r_[np.zeros(len(real)), np.ones(len(every))]
    pooled = metrics.auc(labels, np.r_[real, every])
    print(f"pooled AUC {pooled:.3f} {ci_text(metrics.auc_interval(labels, np.r_[real, every]))}; "
          f"mean over families {np.mean([r['auc'] for r in per_family.values()]):.3f}")
    sr = np.asarray(swapped.pop("real"))
    sf = np.concatenate([np.asarray(v) for v in swapped.values()])
    swap_auc = metrics.auc(labels, np.r_[sr, sf])
    print(f"history-swapped AUC {swap_auc:.3f} {ci_text(metrics.auc_interval(labels, np.r_[sr, sf]))} "
          f"(pooled held-out {pooled:.3f}; gap {pooled - swap_auc:+.3f}, gate 0.05)")
    said = verdicts_of["real"]
    n = len(said)
    print(f"ImageNet val photos: called fake {said.count('fake') / n:.1%} "
          f"{ci_text(metrics.rate_interval(said.count('fake'), n), percent=True)}, no traces {said.count('real') / n:.1%}, "
          f"uncertain {said.count('uncertain') / n:.1%}, cannot judge {said.count('unknown') / n:.1%}")
    cams = [det.detect(load_rgb(path)).verdict for _, path in split["val_camera"]]
    k = cams.count("fake")
    print(f"held-out camera models ({len({g for g, _ in split['val_camera']})} models, {len(cams)} crops): called fake "
          f"{k / len(cams):.1%} {ci_text(metrics.rate_interval(k, len(cams)), percent=True)}, cannot judge "
          f"{cams.count('unknown') / len(cams):.1%}")
    for name in ("jpeg_q85", "resize_0.5x"):
        after = [det.detect(LAUNDER[name](image)).verdict for _, image, _ in kept]
        changed = [a != v for a, (_, _, v) in zip(after, kept)]
        print(f"verdicts changing under {name} ({len(kept)} photos, real and fake): {np.mean(changed):.1%} "
              f"{ci_text(metrics.rate_interval(int(np.sum(changed)), len(changed)), percent=True)}")
        moves: dict[str, dict[str, int]] = {"real": defaultdict(int), "fake": defaultdict(int)}
        for a, (family, _, v) in zip(after, kept):
            if a != v:
                moves["real" if family == "real" else "fake"][f"{v}->{a}"] += 1
        crossed = sum(n for m in moves.values() for k, n in m.items() if k in ("fake->real", "real->fake"))
        print(f"  by class: {', '.join(f'{c} photos {dict(sorted(m.items()))}' for c, m in moves.items())}; "
              f"from 'fake' to 'no traces' or back: {crossed / len(kept):.1%}")
    speed(det)


def speed(det) -> None:
    """A 1024 px photo (sixteen val crops tiled) judged by both branches, and a 1024x768 one with a face pasted in."""
    from PIL import Image

    root = data_root()
    crops = [load_rgb(p) for _, p in splits(root / "native")["val"][:16]]
    photo = np.concatenate([np.concatenate(crops[i : i + 4], axis=1) for i in range(0, 16, 4)], axis=0)
    face = np.asarray(Image.open(sorted((root / "faces" / "val" / "real").glob("*.png"))[0]).convert("RGB"))
    canvas = np.array(Image.fromarray(photo).resize((1024, 768)))
    canvas[200:456, 300:556] = np.asarray(Image.fromarray(face).resize((256, 256)))
    for name, image in (("1024 px, no face", photo), ("1024x768, one face", canvas)):
        det.detect(image)
        total, faces, whole = [], [], []
        for _ in range(7):
            t0 = time.perf_counter()
            found = det.finder.find(image)
            t1 = time.perf_counter()
            det.read_whole(image)
            t2 = time.perf_counter()
            det.detect(image)
            total.append(time.perf_counter() - t2)
            faces.append(t1 - t0)
            whole.append(t2 - t1)
        print(f"time, {name} ({len(found)} face(s) found): median {statistics.median(total):.3f} s; face finding "
              f"{statistics.median(faces):.3f} s, image branch {statistics.median(whole):.3f} s, the face branch the rest")


if __name__ == "__main__":
    main()
