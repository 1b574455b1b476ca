"""The detector on today's generators: `python bench/native.py [--weights PATH]`.

Judges every crop of ``../shared/data/native/val`` as a user's upload is judged (faces when MTCNN
finds one, else the whole image) and prints, against the real validation photos (ImageNet, 181):
the AUC of each held-out family (FLUX.1, Chroma, Flex, Qwen-Image, Kandinsky, StyleGAN2 at native
resolution) with its 95% interval (DeLong), and their mean, from the pixels' number even where the
detector abstains; the verdicts a user sees per family (called real / fake / cannot judge: no
face, or an unfamiliar one); the share of real photos called fake and called real; how many
verdicts change when a real photo is re-saved as JPEG q85 or halved; and the median time per crop.
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
from detectors.evaluate import LAUNDER, ci_text, family_aucs  # noqa: E402
from detectors.train_native import val_items  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", help="a detector checkpoint instead of the shipped one")
    p.add_argument("--limit", type=int, help="at most this many crops per family (quick runs)")
    args = p.parse_args()
    torch.set_num_threads(2)
    det = detectors.load_detector(args.weights) if args.weights else detectors.create_detector()
    root = data_root() / "native"
    scores: dict[str, list[float]] = defaultdict(list)
    judged: dict[str, list[str]] = defaultdict(list)
    verdicts_of: dict[str, list[str]] = defaultdict(list)
    reals, times = [], []
    for family, path in val_items(root):
        if args.limit and len(scores[family]) >= args.limit:
            continue
        image = load_rgb(path)
        t0 = time.perf_counter()
        result = det.detect(image)
        times.append(time.perf_counter() - t0)
        scores[family].append(result.detector_probability)
        judged[family].append(result.judged)
        verdicts_of[family].append(result.verdict)
        if family == "real":
            reals.append((image, result.verdict))
    real = np.asarray(scores.pop("real"))
    print(f"{len(real)} real val photos (ImageNet); {sum(map(len, scores.values()))} fakes of {len(scores)} "
          f"held-out families; judged as uploads (faces if found, else the whole image)")
    per_family = family_aucs(real, {k: np.asarray(v) for k, v in scores.items()})
    for family, r in per_family.items():
        said = verdicts_of[family]
        print(f"  {family:12s} n={r['n']:4d}  AUC {r['auc']:.3f} {ci_text(r['auc_ci95'])}"
              f"  with a face {judged[family].count('faces')}/{r['n']}; verdicts: real {said.count('real') / r['n']:.0%}"
              f", fake {said.count('fake') / r['n']:.0%}, cannot judge {said.count('unknown') / r['n']:.0%}")
    print(f"mean AUC over families: {np.mean([r['auc'] for r in per_family.values()]):.3f}")
    verdicts = [v for _, v in reals]
    n = len(verdicts)
    fake_share = verdicts.count("fake") / n
    print(f"real photos called fake {fake_share:.1%} "
          f"{ci_text(metrics.rate_interval(verdicts.count('fake'), n), percent=True)}, "
          f"real {verdicts.count('real') / n:.1%}, uncertain {verdicts.count('uncertain') / n:.1%}, "
          f"cannot judge {verdicts.count('unknown') / n:.1%}")
    for name in ("jpeg_q85", "resize_0.5x"):
        changed = sum(det.detect(LAUNDER[name](image)).verdict != v for image, v in reals)
        print(f"real photos changing verdict under {name}: {changed / n:.1%} "
              f"{ci_text(metrics.rate_interval(changed, n), percent=True)}")
    print(f"time per 256 px crop: median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
