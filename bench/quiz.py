"""Quiz figures: `python bench/quiz.py [--skip-detector] [--skip-load] [--skip-browser]`.

- The shipped detector on the quiz set, at its default threshold, per kind of image: the 60 real
  FFHQ photos and the 60 StyleGAN2 faces of the shipped set, and 60 fakes of each kind the quiz
  makes on the spot (DCGAN faces of seeds 3,000,000+; each real photo with one hole filled by the
  learned inpainter, the holes in turn; each real photo with the next one's face swapped on). The
  share answered right (a fake called "fake", a real photo not called "fake") and the share the
  detector could not judge.
- Class load on the storage layer: 40 student processes answer 10 rounds at once (each round, every
  student answers at a random moment within 3 s, as a class does after the teacher moves on), each
  with its own SQLite connection as each browser session has on the server; a reader polls the
  totals the teacher's page reads every 50 ms. Lost answers, errors, whether the totals equal the
  answers sent, and answer-to-total latency (from a student's write returning to the totals
  showing it), median and worst.
- The same class against a real `streamlit run` server on loopback (one headless Chromium on the
  teacher's page, which polls every 2 s): after the 40 students answer a round, how long until the
  teacher's screen shows 40 answers. 40 browsers do not fit this 2-core machine beside the server,
  so the students write through the storage layer, as the server's session threads do.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STUDENTS, ROUNDS, WINDOW_S = 40, 10, 3.0


def detector_on_the_set(blend: str | None = None) -> None:
    import torch

    import detectors
    from detectors import metrics
    from detectors.evaluate import ci_text
    from genai.quiz import HOLES, QUIZ_DCGAN_SEED, Item, Maker, detector_answer, names

    torch.set_num_threads(2)
    det, maker = detectors.create_detector(), Maker()
    if blend:
        det = detectors.with_blend(det, blend)
    real, sg2 = names("real"), names("stylegan2")
    kinds = {
        "real": [f"real/{n}" for n in real],
        "stylegan2": [f"stylegan2/{n}" for n in sg2],
        "dcgan": [f"dcgan/{QUIZ_DCGAN_SEED + i}" for i in range(60)],
        "inpaint": [f"inpaint/{n}/{HOLES[i % len(HOLES)]}" for i, n in enumerate(real)],
        "faceswap": [f"faceswap/{n}/{real[(i + 1) % len(real)]}" for i, n in enumerate(real)],
    }
    print(f"detector {det.name} on the quiz set, default threshold {det.calibration.threshold:.3f}:")
    for kind, keys in kinds.items():
        answers = [detector_answer(det.detect(maker.image(Item(k))).verdict) for k in keys]
        right = sum((a == "fake") == (kind != "real") and a != "none" for a in answers)
        print(f"  {kind:10s} n={len(keys)}  right {right / len(keys):.1%} "
              f"{ci_text(metrics.rate_interval(right, len(keys)), percent=True)}  cannot judge "
              f"{answers.count('none') / len(keys):.1%}")


def _student(path: str, code: str, k: int, start: float, sent) -> None:
    from core.classroom import Classroom

    rooms = Classroom(path)
    rng = np.random.RandomState(k)
    for r in range(ROUNDS):
        begin = start + r * (WINDOW_S + 1.0)
        time.sleep(max(0.0, begin + rng.uniform(0, WINDOW_S) - time.time()))
        answer = "fake" if rng.rand() < 0.5 else "real"
        try:
            rooms.answer(code, r, f"student-{k}", answer)
            sent.put((r, k, answer, time.time(), None))
        except Exception as e:  # noqa: BLE001 - counted as an error
            sent.put((r, k, answer, time.time(), repr(e)))


def load_on_storage(path: str) -> None:
    from core.classroom import Classroom

    rooms = Classroom(path)
    code = rooms.open_room("medium", ROUNDS).code
    sent = mp.Queue()
    start = time.time() + 2.0
    procs = [mp.Process(target=_student, args=(path, code, k, start, sent)) for k in range(STUDENTS)]
    for p in procs:
        p.start()
    seen_at: dict[int, list[float]] = {}  # round -> times the totals' count grew, one per answer
    counted = {r: 0 for r in range(ROUNDS)}
    stop = start + ROUNDS * (WINDOW_S + 1.0) + 10
    while time.time() < stop and any(c < STUDENTS for c in counted.values()):
        now, totals = time.time(), rooms.totals(code)
        for r, tot in totals.items():
            seen_at.setdefault(r, []).extend([now] * (tot.answered - counted[r]))
            counted[r] = tot.answered
        time.sleep(0.05)
    for p in procs:
        p.join()
    rows = [sent.get() for _ in range(STUDENTS * ROUNDS)]
    errors = [e for *_, e in rows if e]
    latencies = []
    for r in range(ROUNDS):
        written = sorted(t for rr, _, _, t, e in rows if rr == r and not e)
        latencies += [max(0.0, s - w) for s, w in zip(sorted(seen_at.get(r, [])), written)]
    totals = rooms.totals(code)
    expected = {r: sum(a == "fake" for rr, _, a, _, e in rows if rr == r and not e) for r in range(ROUNDS)}
    right = all(totals[r].answered == STUDENTS and totals[r].said_fake == expected[r] for r in range(ROUNDS))
    lost = STUDENTS * ROUNDS - sum(t.answered for t in totals.values())
    ms = np.asarray(latencies) * 1000
    print(f"class load, storage layer: {STUDENTS} students x {ROUNDS} rounds = {len(rows)} answers sent; "
          f"lost {lost}, errors {len(errors)}, teacher's totals equal the answers sent: {right}; "
          f"answer-to-total latency median {np.median(ms):.0f} ms, worst {ms.max():.0f} ms (reader polls every 50 ms)")


def load_on_server(home: str) -> None:
    from playwright.sync_api import sync_playwright

    from bench.screenshots import CHROMIUM_FLAGS, free_port, start_app
    from core.classroom import Classroom

    rooms = Classroom(Path(home) / "classroom.sqlite")
    code = rooms.open_room("medium", ROUNDS).code
    port = free_port()
    server = start_app(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.popen("which chromium").read().strip(), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/quiz?teach={code}", timeout=120_000)
            metric = page.locator('[data-testid="stMetricValue"]').first
            metric.wait_for(timeout=180_000)
            waits = []
            for r in range(3):
                if r:  # the next round, as from the teacher's other window: the board follows within a poll
                    rooms.show(code, r)
                    while metric.inner_text().strip() != "0":
                        page.wait_for_timeout(50)
                threads = [threading.Thread(target=rooms.answer, args=(code, r, f"s{k}", "fake" if k % 3 else "real"))
                           for k in range(STUDENTS)]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
                done = time.time()
                while metric.inner_text().strip() != str(STUDENTS):
                    if time.time() - done > 30:
                        raise TimeoutError("the teacher's page did not show the answers within 30 s")
                    page.wait_for_timeout(50)
                waits.append(time.time() - done)
            browser.close()
    finally:
        server.kill()
    print(f"class on a real streamlit server: the teacher's page showed all {STUDENTS} answers "
          + ", ".join(f"{w:.1f}" for w in waits) + f" s after the last was stored (rounds 1-3; it polls every 2 s)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--skip-detector", action="store_true")
    p.add_argument("--skip-load", action="store_true")
    p.add_argument("--skip-browser", action="store_true")
    p.add_argument("--blend", help="a blend head checkpoint (detectors.train_blend) instead of the shipped one")
    args = p.parse_args()
    if not args.skip_detector:
        detector_on_the_set(args.blend)
    with tempfile.TemporaryDirectory() as home:
        os.environ["DEEPFAKE_LAB_HOME"] = home  # the server started below inherits it
        if not args.skip_load:
            load_on_storage(str(Path(home) / "load.sqlite"))
        if not args.skip_browser:
            load_on_server(home)
    return 0


if __name__ == "__main__":
    sys.exit(main())
