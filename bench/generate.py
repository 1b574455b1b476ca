"""Time face generation on this machine's CPU: `python bench/generate.py [--n 64] [--repeats 20]`.

Prints the median and worst wall time to turn N seeds into N RGB uint8 faces with the pretrained
generator (latents + forward pass + conversion), after one warm-up call, plus the one-off load time.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import genai  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--generator", default="dcgan-digiface")
    args = parser.parse_args()

    t0 = time.perf_counter()
    gen = genai.create_generator(args.generator)
    load_s = time.perf_counter() - t0
    gen.sample(range(args.n))  # warm-up: first call allocates and picks kernels
    times = []
    for r in range(args.repeats):
        seeds = range(r * args.n, (r + 1) * args.n)
        t = time.perf_counter()
        gen.sample(seeds)
        times.append(time.perf_counter() - t)
    print(f"generator: {gen.name} ({gen.image_size}px), torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")
    print(f"load (incl. sha256 check): {load_s:.3f} s")
    print(f"{args.n} faces: median {statistics.median(times):.3f} s, worst {max(times):.3f} s "
          f"over {args.repeats} runs")


if __name__ == "__main__":
    main()
