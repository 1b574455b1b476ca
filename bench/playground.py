"""GAN Playground figures: `python bench/playground.py`.

- Speed: one Algorithm-1 iteration of the 1-D game (k = 1, batch 128, with its recorded curves)
  plus one redraw (the snapshot and both Plotly figures built, as the page does each frame),
  median and worst of 300 after 5 warm-up frames, on 2 torch threads.
- Convergence: from seed 0 and the default preset, the first iteration N after which JS(p_data ||
  p_g) < 0.05 and max |D(x) - 1/2| over the data's support < 0.1, for seeds 0-4; and how many of
  the 1,000 iterations after N keep the JS below 0.05.
- 2-D speed: one iteration plus one redraw with every layer (snapshot, the layered figure and the
  curves), median and worst of 200 after 5 warm-up frames, for the healthy lesson (k = 1) and the
  vanishing-gradient one (k = 20, the slowest).
- Mode collapse: modes of the ring covered (out of 8) after 1,500 iterations, for the healthy and
  the mode-collapse lessons, seeds 0-4.
- Vanishing gradients: the mean gradient norm at the generated samples after 300 iterations of the
  vanishing lesson, against the same settings with the non-saturating loss, seeds 0-4.
- GAN vs VAE on 8x8 digits: one training step of both models, median; the share of crisp pixels
  (below 0.2 or above 0.8) in each model's 16 samples after 3,000 steps, seeds 0-2, against the
  real digits'.

`--part 1d|2d|images` runs one part.
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

from dataclasses import replace  # noqa: E402

from genai.playground import Game1D, Game1DConfig  # noqa: E402
from genai.playground2d import EXTENT, FAILURES, Game2D  # noqa: E402
from ui.playground_view import LAYERS, curves_figure, game2d_figure, game_figure  # noqa: E402


# Streamlit sets its own loggers' levels on import: quiet them again (the labels' language is read outside a page).
for _name in list(logging.root.manager.loggerDict):
    if _name.startswith("streamlit"):
        logging.getLogger(_name).setLevel(logging.ERROR)


WARM_UP = 5  # frames before the timed ones


def images() -> None:
    from genai.digits import DigitsDuel, crispness, digits

    for seed in range(3):
        duel = DigitsDuel(seed)
        t0 = time.perf_counter()
        duel.train(3000)
        step_ms = (time.perf_counter() - t0) / 3000 * 1000
        s = duel.samples()
        print(f"digits, seed {seed}: {step_ms:.1f} ms per step of both; crisp pixels after 3000 steps: "
              f"GAN {crispness(s['gan']):.0%}, VAE {crispness(s['vae']):.0%} (real digits {crispness(digits()):.0%})")


def two_d() -> None:
    for lesson in ("healthy", "vanishing"):
        game, times = Game2D(FAILURES[lesson]), []
        for _ in range(WARM_UP):
            game.iteration()
            game2d_figure(game.snapshot(), set(LAYERS), EXTENT)
        for _ in range(200):
            t0 = time.perf_counter()
            game.iteration()
            game2d_figure(game.snapshot(), set(LAYERS), EXTENT)
            curves_figure(game.history)
            times.append(time.perf_counter() - t0)
        t = np.asarray(times) * 1000
        print(f"2-D game ({lesson}, k = {game.config.k}), one iteration + one redraw with all layers: "
              f"median {np.median(t):.1f} ms, worst {t.max():.1f} ms")
    for lesson in ("healthy", "mode_collapse"):
        covered = []
        for seed in range(5):
            game = Game2D(replace(FAILURES[lesson], seed=seed))
            game.iteration(1500)
            covered.append(game.snapshot()["modes"][0])
        print(f"{lesson}: modes covered after 1500 iterations, seeds 0-4: {covered} of 8 (mean {np.mean(covered):.1f})")
    sat, ns = [], []
    for seed in range(5):
        for loss, out in (("saturating", sat), ("nonsaturating", ns)):
            game = Game2D(replace(FAILURES["vanishing"], seed=seed, loss=loss))
            game.iteration(300)
            out.append(game.snapshot()["grad_mean"])
    print("vanishing lesson, mean gradient norm at the fakes after 300 iterations, seeds 0-4: saturating "
          + ", ".join(f"{g:.2g}" for g in sat) + "; non-saturating " + ", ".join(f"{g:.2g}" for g in ns))


def main() -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--part", choices=("all", "1d", "2d", "images"), default="all")
    part = p.parse_args().part
    torch.set_num_threads(2)
    if part in ("all", "1d"):
        one_d()
    if part in ("all", "2d"):
        two_d()
    if part in ("all", "images"):
        images()
    return 0


def one_d() -> None:
    game = Game1D()
    times = []
    for _ in range(WARM_UP):  # the first frames build Plotly's figure classes: a one-off, not a frame rate
        game.iteration()
        game_figure(game.snapshot())
        curves_figure(game.history)
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


if __name__ == "__main__":
    sys.exit(main())
