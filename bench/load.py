"""A class period on one server: `python bench/load.py [--sizes 1 10 40] [--rounds 10] [--busy]`.

For each class size N, a fresh `streamlit run` on a free loopback port, and N students who are
clients of bench/streamlit_client.py (the browser's own protocol: websocket, timers, pictures and
uploads over HTTP; no drawing), plus one teacher:

1. the teacher opens a room; the N students open the quiz page at the room's address, all at once;
2. ``--rounds`` rounds: every student answers within two seconds of the round appearing, while the
   teacher's board polls; the teacher reveals when the count is complete (or after 30 s), then moves on;
3. then, all at once, min(N, 10) students upload a photo to Detect, min(N, 10) generate faces (each
   their own seed), min(N, 5) swap faces (each their own pair) and min(N, 3) repair with GAN
   inversion, the slow method.

Printed per size: every session got its result or not, errors (exceptions on a page, runs that did
not end, a server log with a traceback), page load, an answer's time to the teacher's count, the
reveal's time to the phones, each kind of work's time to result (median and worst), and the
server's peak memory (RSS, polled every 0.2 s). ``--busy`` keeps one core busy in another
process meanwhile, as a teacher's laptop running other things would. ``tests/test_load.py`` runs a
small class through the same code.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import multiprocessing as mp
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.screenshots import free_port, start_app, stop_app  # noqa: E402
from bench.streamlit_client import Session  # noqa: E402
from ui.i18n import STRINGS  # noqa: E402


def en(key: str, **values) -> str:
    text = STRINGS[key]["en"]
    return text.format(**values) if values else text


@dataclass
class Figures:
    """What one class period measured."""

    size: int
    loads: list[float] = field(default_factory=list)  # seconds: a student's page open and run
    to_teacher: list[float] = field(default_factory=list)  # seconds: an answer stored -> the teacher's count shows it
    to_phones: list[float] = field(default_factory=list)  # seconds: the teacher's reveal -> a phone shows it
    work: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds to result
    wanted: int = 0  # results that should arrive
    got: int = 0  # results that arrived
    errors: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    def summary(self) -> str:
        def ms(xs):
            return f"median {statistics.median(xs):.2f} s, worst {max(xs):.2f} s" if xs else "none"

        lines = [f"class of {self.size}: {self.got} of {self.wanted} results arrived, {len(self.errors)} errors; "
                 f"server peak memory {self.peak_rss_mb:.0f} MB",
                 f"  page load {ms(self.loads)}", f"  answer to the teacher's count {ms(self.to_teacher)}",
                 f"  reveal to the phones {ms(self.to_phones)}"]
        lines += [f"  {kind} ({len(xs)} at once) {ms(xs)}" for kind, xs in self.work.items()]
        lines += [f"  error: {e}" for e in self.errors[:10]]
        return "\n".join(lines)


def _photo(k: int) -> bytes:
    """A 512 px photo with a face, different for each student (so no one's result is another's cache)."""
    from PIL import Image

    from core.imaging import upscale
    from core.samples import list_samples, load_sample

    names = list_samples("real")
    face = upscale(load_sample(names[k % len(names)]), 320, "bicubic").astype(np.int16)
    rng = np.random.RandomState(k)
    photo = np.clip(rng.normal(120, 20, (512, 512, 3)), 0, 255).astype(np.int16)
    photo[96:416, 96:416] = face + rng.randint(-3, 4, face.shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


class Peak:
    """A process's peak resident memory, polled in a thread; ``start_mb`` is where it began."""

    def __init__(self, pid: int):
        import psutil

        self.proc, self._stop = psutil.Process(pid), threading.Event()
        self.peak = self.proc.memory_info().rss
        self.start_mb = self.peak / 2**20
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except Exception:  # noqa: BLE001 - the server ended
                return
            self._stop.wait(0.1)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def _busy() -> None:
    while True:
        pass


async def _page_errors(session: Session, what: str, fig: Figures) -> bool:
    bad = session.page.exceptions() + session.errors
    fig.errors += [f"{what}: {e}" for e in bad]
    return not bad


async def class_period(base: str, size: int, rounds: int, work: dict[str, int], fig: Figures) -> None:
    teacher = Session(base, page="quiz")
    await teacher.open()
    await teacher.choose("quiz_mode", en("quiz.mode.teacher"))
    await teacher.click("quiz_open")
    code = re.search(r"quiz\?room=([A-Z0-9]{5})", teacher.page.text()).group(1)

    students = [Session(base, page="quiz", query=f"room={code}&player=student-{k}") for k in range(size)]
    fig.loads += await asyncio.gather(*(s.open() for s in students))
    for s in students:
        await _page_errors(s, "student page", fig)

    for r in range(rounds):
        stored: list[float] = []

        async def answer(s: Session, k: int) -> None:
            await asyncio.sleep(random.Random(k * 100 + r).uniform(0, 2.0))
            key = f"quiz_s{r}_{'fake' if (k + r) % 2 else 'real'}"
            deadline = time.monotonic() + 30
            while key not in s.page.widgets() and time.monotonic() < deadline:  # the round reaches the phone
                await asyncio.sleep(0.1)
            fig.wanted += 1
            try:
                await s.click(key)
            except (KeyError, TimeoutError) as e:
                fig.errors.append(f"round {r}, student {k}: {type(e).__name__}: {e}")
                return
            if en("quiz.recorded", answer="").split(":")[0] in s.page.text():
                fig.got += 1
                stored.append(time.monotonic())
            else:
                fig.errors.append(f"round {r}, student {k}: the answer was not confirmed")

        counted: list[float] = []

        async def watch() -> None:  # the teacher's board: when does its count show each answer?
            seen = 0
            deadline = time.monotonic() + 60
            while seen < size and time.monotonic() < deadline:
                now = int(teacher.page.metric(en("quiz.answered")) or 0)
                counted.extend([time.monotonic()] * (now - seen))
                seen = max(seen, now)
                await asyncio.sleep(0.05)

        await asyncio.gather(watch(), *(answer(s, k) for k, s in enumerate(students)))
        fig.to_teacher += [max(0.0, c - s) for s, c in zip(sorted(stored), sorted(counted))]
        if len(counted) < size:
            fig.errors.append(f"round {r}: the teacher's count showed {len(counted)} of {size}")
        revealed_at = time.monotonic()
        await teacher.click("quiz_reveal")
        fig.wanted += 1
        if await _page_errors(teacher, "teacher", fig):
            fig.got += 1

        async def sees_reveal(s: Session, k: int) -> None:
            fig.wanted += 1
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                text = s.page.text()
                if en("quiz.you_right") in text or en("quiz.you_wrong") in text:
                    fig.to_phones.append(time.monotonic() - revealed_at)
                    fig.got += 1
                    return
                await asyncio.sleep(0.05)
            fig.errors.append(f"round {r}, student {k}: the reveal did not arrive within 60 s")

        await asyncio.gather(*(sees_reveal(s, k) for k, s in enumerate(students)))
        if r + 1 < rounds:
            await teacher.click("quiz_t_next")
    for s in students:
        await _page_errors(s, "student page", fig)
    await asyncio.gather(teacher.close(), *(s.close() for s in students))

    jobs = []
    from core.samples import SAMPLES, list_samples

    examples = list_samples()

    async def timed(kind: str, k: int, steps) -> None:
        fig.wanted += 1
        t0 = time.monotonic()
        s = None
        try:
            s = await steps(k)
            if await _page_errors(s, f"{kind} {k}", fig) and s.page.elements:
                fig.work.setdefault(kind, []).append(time.monotonic() - t0)
                fig.got += 1
        except Exception as e:  # noqa: BLE001 - counted as an error
            fig.errors.append(f"{kind} {k}: {type(e).__name__}: {e}")
        finally:
            if s is not None:
                await s.close()

    async def detect(k: int) -> Session:
        s = Session(base, page="detect")
        await s.open()
        await s.upload("det_files", [(f"photo{k}.jpg", _photo(k))])
        if not any(kind == "arrow_data_frame" or kind == "dataframe" for kind, _, _ in s.page.elements.values()):
            raise RuntimeError("no results table")
        return s

    async def generate(k: int) -> Session:
        s = Session(base, page="generate")
        await s.open()
        await s.number("gen_seed", 10_000 + 97 * k)
        return s

    async def swap(k: int) -> Session:
        s = Session(base, page="faceswap")
        await s.open()
        name = examples[(k + 5) % len(examples)]
        await s.choose("swap_tgt_example", en(f"pick.example.{SAMPLES[name].kind}", name=name))
        if en("swap.result_title") not in s.page.text():
            raise RuntimeError("no swap result")
        return s

    async def repair(k: int) -> Session:
        s = Session(base, page="inpaint")
        await s.open()
        await s.choose("inp_presets", en("inp.preset.mouth"))
        await s.choose("inp_methods", en("inp.method.gan-inversion"))
        await s.click("inp_run", timeout=300)
        if en("inp.results_title") not in s.page.text():
            raise RuntimeError("no repair result")
        return s

    steps = {"detect an upload": detect, "generate faces": generate, "swap faces": swap,
             "repair with GAN inversion": repair}
    for kind, n in work.items():
        jobs += [timed(kind, k, steps[kind]) for k in range(min(n, size))]
    await asyncio.gather(*jobs)


def run_class(size: int, rounds: int, work: dict[str, int], busy: bool = False, home: str | None = None,
              options: dict[str, str] | None = None) -> Figures:
    """One class period on a fresh server; the figures it measured."""
    fig = Figures(size)
    home = home or tempfile.mkdtemp(prefix="dfl-load-")
    log = Path(home) / "server.log"
    port = free_port()
    hog = mp.Process(target=_busy, daemon=True) if busy else None
    if hog:
        hog.start()
    server = start_app(port, env={"DEEPFAKE_LAB_HOME": home}, log=log, options=options)
    peak = Peak(server.pid)
    try:
        asyncio.run(class_period(f"http://127.0.0.1:{port}", size, rounds, work, fig))
    except Exception as e:  # noqa: BLE001 - a period that breaks is a figure too
        fig.errors.append(f"the class period stopped: {type(e).__name__}: {e}")
    finally:
        fig.peak_rss_mb = peak.stop()
        stop_app(server)
        if hog:
            hog.terminate()
    text = log.read_text(errors="replace")
    if "Traceback" in text:
        fig.errors.append("the server log holds a traceback: " + text[text.index("Traceback"):][:400])
    return fig


WORK = {"detect an upload": 10, "generate faces": 10, "swap faces": 5, "repair with GAN inversion": 3}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 40])
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--busy", action="store_true", help="keep one core busy in another process meanwhile")
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="a Streamlit config option for the server, e.g. runner.postScriptGC=true")
    args = p.parse_args()
    options = dict(o.split("=", 1) for o in args.option)
    for size in args.sizes:
        fig = run_class(size, args.rounds, WORK, args.busy, options=options)
        print(fig.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
