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
- Lessons live: each 2-D lesson played as the page plays it (a frame every PLAY_FRAME_S seconds, of
  which PLAY_TRAIN_S trains, then the snapshot and both figures), seeds 0-4: the seconds from
  pressing Play until the lesson's point shows. Healthy: all 8 modes covered. Mode collapse: at
  most 2 modes covered while at least half the generated samples sit on a mode. Vanishing: the
  generator's mean gradient at its samples below 1e-3. Oscillation: that gradient above 2 (twice
  the healthy game's largest in 1,500 iterations), the players still shoving each other.
- GAN vs VAE on 8x8 digits: one training step of both models, median; the share of crisp pixels
  (below 0.2 or above 0.8) in each model's 16 samples after 3,000 steps, seeds 0-2, against the
  real digits'.

- Lessons in the app: the same, on `streamlit run` with the page open in Chromium (Playwright, 1400 x
  1000), pressing Play and reading the page's own figures (modes covered, samples on a mode, mean
  gradient) ten times a second: seconds from pressing Play until the point shows, page defaults
  (seed as the lesson sets it). The browser draws on the same two cores as the server.

- A class playing at once: 1, 3 and 10 students' 2-D games playing together in one process (a
  thread each, a frame every PLAY_FRAME_S: train, then the snapshot and both figures), 15 s each,
  each frame training either its own PLAY_TRAIN_S or its share of the process's PLAY_TIME (what the
  page does): the CPU seconds used per second, and how long another student's request waits (a
  fixed 128 px convolution stack, about a face's detector pass, and a Plotly figure built, as a page's
  Python does; twice a second: median and worst).

`--part 1d|2d|lessons|live|images|class` runs one part.
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

from genai.playground import PLAY_FRAME_S, PLAY_TRAIN_S, Game1D, Game1DConfig, PlayTime  # noqa: E402
from genai.playground2d import FAILURES, Game2D  # noqa: E402
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
            game2d_figure(game.snapshot(), set(LAYERS))
        for _ in range(200):
            t0 = time.perf_counter()
            game.iteration()
            game2d_figure(game.snapshot(), set(LAYERS))
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


POINTS = {
    "healthy": lambda snap, game: snap["modes"][0] == snap["modes"][1],
    "mode_collapse": lambda snap, game: snap["modes"][0] <= 2 and snap["on_modes"] >= 0.5,
    "vanishing": lambda snap, game: snap["grad_mean"] < 1e-3,
    "oscillation": lambda snap, game: snap["grad_mean"] > 2.0,
}


def lessons(limit_s: float = 60.0) -> None:
    for lesson, shown in POINTS.items():
        seconds, iterations = [], []
        for seed in range(5):
            game, wall, at = Game2D(replace(FAILURES[lesson], seed=seed)), 0.0, None
            while wall < limit_s:
                t0 = time.perf_counter()
                game.play(PLAY_TRAIN_S)
                snap = game.snapshot()
                game2d_figure(snap, set(LAYERS))
                curves_figure(game.history)
                wall += max(PLAY_FRAME_S, time.perf_counter() - t0)
                if shown(snap, game):
                    at = wall
                    break
            seconds.append(at)
            iterations.append(game.iterations)
        said = ", ".join("never" if s is None else f"{s:.1f}" for s in seconds)
        print(f"lesson {lesson}: its point shows after {said} s of Play (seeds 0-4; within {limit_s:.0f} s), "
              f"at iteration {', '.join(map(str, iterations))}")


def live(limit_s: float = 60.0) -> None:
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright

    from bench.screenshots import CHROMIUM_FLAGS, free_port, start_app, stop_app, wait_idle
    from ui.i18n import STRINGS

    def en(key: str) -> str:
        return STRINGS[key]["en"]

    port, home = free_port(), tempfile.mkdtemp()
    server = start_app(port, env={"DEEPFAKE_LAB_HOME": home})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
            for lesson in POINTS:
                page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/playground")
                wait_idle(page, 180)
                page.get_by_role("tab", name=en("play.tab.2d")).click()
                wait_idle(page, 60)
                panel = page.locator('[role="tabpanel"]').filter(visible=True).first
                panel.locator('[data-testid="stSelectbox"]').first.click()
                page.get_by_role("option", name=en(f"play2.lesson.{lesson}"), exact=True).click()
                wait_idle(page, 60)
                panel.get_by_text(en("play.play"), exact=True).click()
                t0, seen, at = time.monotonic(), {}, None
                while time.monotonic() - t0 < limit_s:
                    labels = panel.locator('[data-testid="stMetricLabel"]').all_inner_texts()
                    values = panel.locator('[data-testid="stMetricValue"]').all_inner_texts()
                    seen = dict(zip((x.strip() for x in labels), (v.strip() for v in values)))
                    modes = seen.get(en("play2.modes"), "0 / 8").split(" / ")
                    snap = {"modes": (int(modes[0]), int(modes[1])),
                            "on_modes": float(seen.get(en("play2.on_modes"), "0%").rstrip("%")) / 100,
                            "grad_mean": float(seen.get(en("play2.grad"), "nan"))}
                    if POINTS[lesson](snap, None):
                        at = time.monotonic() - t0
                        break
                    page.wait_for_timeout(100)
                print(f"lesson {lesson} in the app: its point shows {'never' if at is None else f'{at:.1f} s'} after "
                      f"pressing Play (within {limit_s:.0f} s; then: iteration {seen.get(en('play.iterations'))}, "
                      f"modes {seen.get(en('play2.modes'))}, on a mode {seen.get(en('play2.on_modes'))}, "
                      f"gradient {seen.get(en('play2.grad'))})")
                page.close()
            browser.close()
    finally:
        stop_app(server)
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--part", choices=("all", "1d", "2d", "lessons", "live", "images", "class"), default="all")
    part = p.parse_args().part
    torch.set_num_threads(2)
    if part in ("all", "1d"):
        one_d()
    if part in ("all", "2d"):
        two_d()
    if part in ("all", "lessons"):
        lessons()
    if part in ("all", "live"):
        live()
    if part in ("all", "images"):
        images()
    if part in ("all", "class"):
        a_class()
    return 0


def a_class(seconds: float = 15.0) -> None:
    import os
    import threading

    net = torch.nn.Sequential(*(torch.nn.Conv2d(32 if i else 3, 32, 3, padding=1) for i in range(6))).eval()
    x = torch.randn(2, 3, 128, 128)
    page = Game1D()
    page.iteration(50)

    def request() -> float:  # a network pass and a page's Python: a figure built
        t0 = time.perf_counter()
        with torch.no_grad():
            net(x)
        game_figure(page.snapshot())
        return time.perf_counter() - t0

    alone = np.median([request() for _ in range(20)]) * 1000
    print(f"a class playing at once: another student's request alone {alone:.0f} ms (median of 20)")
    for shared in (False, True):
        for students in (1, 3, 10):
            clock, stop = PlayTime(), threading.Event()

            def student(seed: int) -> None:
                game = Game2D(replace(FAILURES["healthy"], seed=seed))
                while not stop.is_set():
                    t0 = time.perf_counter()
                    game.play(clock.share(game) if shared else PLAY_TRAIN_S)
                    snap = game.snapshot()
                    game2d_figure(snap, set(LAYERS))
                    curves_figure(game.history)
                    stop.wait(max(0.0, PLAY_FRAME_S - (time.perf_counter() - t0)))

            threads = [threading.Thread(target=student, args=(k,), daemon=True) for k in range(students)]
            cpu0, wall0 = os.times(), time.perf_counter()
            for t in threads:
                t.start()
            waits = []
            while time.perf_counter() - wall0 < seconds:
                waits.append(request())
                time.sleep(0.5)
            stop.set()
            for t in threads:
                t.join()
            cpu1, wall = os.times(), time.perf_counter() - wall0
            used = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / wall
            w = np.asarray(waits) * 1000
            print(f"  {students:2d} playing, each frame {'its share of PLAY_TIME' if shared else 'PLAY_TRAIN_S':22s}: "
                  f"{used:.2f} CPU s per s; a request {np.median(w):.0f} ms median, {w.max():.0f} ms worst")


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
