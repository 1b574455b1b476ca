"""How the StyleGAN2 AUC grows with the number of generated training faces:
`python bench/learning_curve.py CHECKPOINT...`.

Each checkpoint is a run of `python -m detectors.train ... --stylegan2-faces N` (N is read from the
options the checkpoint keeps; no option means all of the train split's faces). For each it prints:
  - the AUC on the validation split (FFHQ val reals vs StyleGAN2 val fakes) with its 95% interval;
  - the AUC on the training faces it learned from (the train split's reals vs its N StyleGAN2 faces):
    the gap between the two is how much of what it learned holds only for faces it has seen.
Then, when the runs differ in N only (the same options otherwise, seed included), it fits
logit(val AUC) as a straight line in log2(N) (least squares over the runs) and prints the N at which
that line reaches the issue's target, 0.995: how many StyleGAN2 faces this recipe would need if the
trend held. With a few runs that is an extrapolation, and printed as one.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors import data as D, metrics  # noqa: E402
from detectors.detector import load_detector  # noqa: E402
from detectors.evaluate import ci_text, scores_of  # noqa: E402
from detectors.faces import FaceFinder  # noqa: E402
from detectors.train import training_args  # noqa: E402

TARGET = 0.995


def recipe(args: dict) -> dict:
    """A run's options without the one a learning curve varies and those that leave the samples and
    steps alone (where it was written, how many threads and loader processes)."""
    return {k: v for k, v in args.items() if k not in ("stylegan2_faces", "out", "threads", "workers")}


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("checkpoints", nargs="+", type=Path)
    p.add_argument("--data", default=None, help="shared data folder (default: ../shared/data)")
    args = p.parse_args(argv)
    root = D.data_root(args.data) / "faces"
    cache = Path.home() / ".cache" / "deepfake-lab"
    finder = FaceFinder()
    train = D.load_split(root, "train", finder, cache)
    val = D.load_split(root, "val", finder, cache)
    labels = np.r_[np.zeros(len(val.real)), np.ones(len(val.fake))]

    points, recipes = [], []
    for path in args.checkpoints:
        det = load_detector(path)
        run = training_args(path)
        n = min(run.get("stylegan2_faces") or len(train.fake), len(train.fake))
        recipes.append(recipe(run))
        scores = np.r_[scores_of(det, val.real, val.real_rects), scores_of(det, val.fake, val.fake_rects)]
        val_auc = metrics.auc(labels, scores)
        seen = np.r_[scores_of(det, train.real, train.real_rects),
                     scores_of(det, train.fake[:n], train.fake_rects[:n])]
        seen_auc = metrics.auc(np.r_[np.zeros(len(train.real)), np.ones(n)], seen)
        print(f"{path.name}: {n} StyleGAN2 faces; val AUC {val_auc:.4f} "
              f"{ci_text(metrics.auc_interval(labels, scores))}; "
              f"AUC on its own training faces {seen_auc:.4f}", flush=True)
        points.append((n, val_auc))

    if len({n for n, _ in points}) < 2:
        print("fit: needs runs with at least two different numbers of faces")
        return 0
    first = recipes[0]
    if differ := sorted({k for r in recipes for k in r.keys() | first.keys() if r.get(k) != first.get(k)}):
        print(f"fit: skipped, the runs differ in more than the number of faces ({', '.join(differ)})")
        return 0
    x = np.log2([n for n, _ in points])
    y = np.array([logit(a) for _, a in points])
    slope, intercept = np.polyfit(x, y, 1)
    print(f"fit: logit(val AUC) = {intercept:.3f} + {slope:.3f} * log2(N)  "
          f"(+{slope:.3f} logit per doubling of the StyleGAN2 faces)")
    if slope <= 0:
        print(f"fit: the AUC does not rise with N here; no N reaches {TARGET}")
    else:
        need = 2 ** ((logit(TARGET) - intercept) / slope)
        print(f"fit: the line reaches AUC {TARGET} at N = {need:,.0f} StyleGAN2 faces "
              f"({need / len(train.fake):.0f}x the {len(train.fake)} in the train split); an extrapolation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
