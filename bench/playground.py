"""GAN Playground figures: `python bench/playground.py`.

- Speed: one Algorithm-1 iteration of the 1-D game (k = 1, batch 128, with its recorded curves)
  plus one redraw (the snapshot and both Plotly figures built, as the page does each frame),
  median and worst of 300, on 2 torch threads.
- Convergence: from seed 0 and the default preset, the first iteration N after which JS(p_data ||
  p_g) < 0.05 and max |D(x) - 1/2| over the data's support < 0.1, for seeds 0-4; and how many of
  the 1,000 iterations after N keep the JS below 0.05.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

logging.getLogger("streamlit").setLevel(logging.ERROR)  # the figures' labels are read outside a page

from genai.playground import Game1D, Game1DConfig  # noqa: E402
from ui.playground_view import curves_figure, game_figure  # noqa: E402


def main() -> int:
    torch.set_num_threads(2)
    game = Game1D()
    times = []
    for _ in range(300):
        t0 = time.perf_counter()
        game.iteration()
        snap = game.snapshot()
        game_figure(snap)
        curves_figure(game.history)
        times.append(time.perf_counter() - t0)
    t = np.asarray(times) * 1000
    print(f"1-D game, one iteration + one redraw: median {np.median(t):.1f} ms, worst {t.max():.1f} ms "
          f"(300 iterations, curves up to 300 points)")
    for seed in range(5):
        game = Game1D(Game1DConfig(seed=seed))
        n = None
        for i in range(1, 3001):
            game.iteration()
            if game.at_equilibrium():
                n = i
                break
        if n is None:
            print(f"seed {seed}: no equilibrium within 3000 iterations (JS {game.history.js[-1]:.3f})")
            continue
        game.iteration(1000)
        kept = np.mean(np.asarray(game.history.js[-1000:]) < 0.05)
        print(f"seed {seed}: equilibrium (JS < 0.05, max |D - 1/2| < 0.1) at iteration N = {n}; "
              f"JS below 0.05 in {kept:.0%} of the next 1000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
