"""How halving a real face moves the detector: `python bench/halving.py [--weights PATH ...]`.

A real face half the size (a group photo, a small upload) must not look more fake. For the real val
faces 500-999 (the half the verdict edges were not chosen on), each image is halved (bicubic, as the
flip figure does) and judged again: prints the mean change of the fake probability, and the shares
of faces whose verdict changes and that end up "fake".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detectors  # noqa: E402
from core.data import data_root  # noqa: E402
from detectors import data as D  # noqa: E402
from detectors.evaluate import laundered_scores, scores_of  # noqa: E402


def halving(det, reals: np.ndarray) -> dict:
    rects = np.tile([0, 0, reals.shape[2], reals.shape[1]], (len(reals), 1))
    before = scores_of(det, reals, rects)
    after = laundered_scores(det, reals, rects, "resize_0.5x")
    verdict = det.calibration.verdict
    return {"mean_shift": float(np.mean(after - before)),
            "flips": float(np.mean([verdict(a) != verdict(b) for a, b in zip(before, after)])),
            "fake_before": float(np.mean([verdict(b) == "fake" for b in before])),
            "fake_after": float(np.mean([verdict(a) == "fake" for a in after]))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", nargs="+", default=[], help="also checkpoints to compare with the shipped one")
    args = parser.parse_args()
    torch.set_num_threads(2)
    reals = D.load_split(data_root() / "faces", "val", None, None, None).real[500:]
    judges = {"shipped": detectors.create_detector()} | {p: detectors.load_detector(p) for p in args.weights}
    for name, det in judges.items():
        r = halving(det, reals)
        print(f"{name}: {len(reals)} real val faces halved: mean shift {r['mean_shift']:+.3f}, "
              f"verdict changed {r['flips']:.1%}, called fake {r['fake_before']:.1%} -> {r['fake_after']:.1%}")


if __name__ == "__main__":
    main()
