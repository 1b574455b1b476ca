"""Screenshots of the app's pages in a real browser (Debian's Chromium, driven by Playwright).

    python bench/screenshots.py --page inpaint --locale en-US --upload face.png \
        --click Mouth --click Repair --click "Let the detector check every result" --out docs/inpaint-en.png

Starts `streamlit run app.py` on a free port, opens the page with the browser's language set to
``--locale`` (the app picks its language from it), uploads the files into the page's first file
uploader, clicks the buttons (pills, toggles, options) whose visible text is given, in order, waiting for the app to
finish each run, and saves a full-page screenshot. Needs `pip install playwright` and the system
Chromium (`apt-get install chromium`); it never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, env: dict | None = None, log: Path | None = None,
              options: dict[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:``port``, returned once it answers its health check.

    ``env``: variables added to this process's environment, from which DEEPFAKE_LAB_TORCH_THREADS is
    dropped (the test suite sets it; a server keeps the app's own setting); ``log``: a file for its
    output, else it is dropped; ``options``: more config options, e.g. {"runner.postScriptGC": "true"}."""
    env = {**{k: v for k, v in os.environ.items() if k != "DEEPFAKE_LAB_TORCH_THREADS"}, **(env or {})}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cmd += [arg for name, value in (options or {}).items() for arg in (f"--{name}", value)]
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - the server keeps writing to it
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    for _ in range(240):
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before answering")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start within 120 s")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop a server of :func:`start_app`: terminate, and kill one that does not stop in 30 s."""
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_idle(page, timeout_s: float) -> None:
    """Wait until Streamlit's script has stopped (stApp's data-test-script-state leaves "running")."""
    page.wait_for_timeout(800)  # the rerun a click triggers needs a moment to start
    state = '[data-testid="stApp"]'
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.locator(state).get_attribute("data-test-script-state") != "running":
            page.wait_for_timeout(500)
            if page.locator(state).get_attribute("data-test-script-state") != "running":
                return
        page.wait_for_timeout(300)
    raise TimeoutError(f"the app was still running after {timeout_s:.0f} s")


def _save(png: bytes, out: Path, width: int) -> None:
    import io

    from PIL import Image

    shot = Image.open(io.BytesIO(png)).convert("RGB")
    if shot.width > width:
        shot = shot.resize((width, round(shot.height * width / shot.width)), Image.Resampling.LANCZOS)
    shot.save(out, optimize=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--page", default="", help="page path, e.g. inpaint, detect, report ('' = home)")
    p.add_argument("--locale", default="en-US", help="browser language: en-US or zh-CN")
    p.add_argument("--upload", action="append", default=[], help="file for the page's first uploader")
    p.add_argument("--click", action="append", default=[],
                   help="visible text of a button, pill, toggle or radio option to click")
    p.add_argument("--width", type=int, default=1400)
    p.add_argument("--timeout", type=float, default=180, help="seconds to wait for each run")
    p.add_argument("--save-width", type=int, default=1000, help="saved image width in px (keeps docs/ small)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("no chromium on PATH: apt-get install chromium", file=sys.stderr)
        return 2
    port = free_port()
    app = start_app(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page(locale=args.locale, viewport={"width": args.width, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/{args.page}")
            page.wait_for_selector('[data-testid="stApp"]')
            wait_idle(page, args.timeout)
            if args.upload:
                page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
                    [str(Path(f).resolve()) for f in args.upload])
                wait_idle(page, args.timeout)
            for text in args.click:
                # Visible matches only: inactive tabs keep their (hidden) widgets in the page.
                target = page.get_by_role("button", name=text, exact=True).filter(visible=True)
                if not target.count():  # a toggle, radio or checkbox: click its label
                    target = page.get_by_text(text, exact=True).filter(visible=True)
                target.first.click()
                wait_idle(page, args.timeout)
            # Streamlit scrolls inside its main block, so grow the window to the content's height.
            height = page.evaluate(
                "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section.main, body')]"
                ".map(e => e.scrollHeight))")
            page.set_viewport_size({"width": args.width, "height": min(int(height) + 40, 12000)})
            page.wait_for_timeout(1500)  # images and plotly charts finish drawing at the new size
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            png = page.screenshot(full_page=True)
            _save(png, Path(args.out), args.save_width)
            browser.close()
    finally:
        app.terminate()
        app.wait(10)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
