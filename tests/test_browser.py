"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

What AppTest cannot see: the page as a browser draws it (every page in both languages), a session
that moves between pages, a mask painted with the mouse, phone-sized pages in a class round, and a
game that keeps playing while its buttons are pressed. Each test saves a screenshot of what it saw
in ``tests/artifacts/`` (or ``$DEEPFAKE_LAB_ARTIFACTS``), and the server's log must stay free of
exceptions.

Needs Playwright's Python package (in requirements.txt) and the system Chromium with CJK fonts
(`apt-get install chromium fonts-noto-cjk`; `.ci/run` installs them); no browser is downloaded.
Where Chromium is absent the tests skip with one line saying so, except when
``DEEPFAKE_LAB_REQUIRE_BROWSER=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import ROOT
from ui.i18n import LANGUAGES, STRINGS
from ui.shell import PAGES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("DEEPFAKE_LAB_REQUIRE_BROWSER") == "1"
HOW = ("browser tests skipped: no Chromium on PATH; `apt-get install chromium fonts-noto-cjk` enables them "
       "(Playwright's Python package comes with requirements.txt)")
ARTIFACTS = Path(os.environ.get("DEEPFAKE_LAB_ARTIFACTS", ROOT / "tests" / "artifacts"))
PHONE = {"width": 390, "height": 844}
RUN_S = 180  # the longest a page's run may take here (models load on first use)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - requirements.txt installs it
    sync_playwright = None

if CHROMIUM is None or sync_playwright is None:
    if REQUIRED:
        raise RuntimeError("DEEPFAKE_LAB_REQUIRE_BROWSER=1 but " + HOW.split(": ", 1)[1])
    pytest.skip(HOW, allow_module_level=True)

from bench.screenshots import CHROMIUM_FLAGS, free_port, start_app, stop_app, wait_idle  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One `streamlit run` for the module, with its own home folder (class rooms, export log)."""
    home = tmp_path_factory.mktemp("browser-home")
    log = home / "server.log"
    port = free_port()
    proc = start_app(port, env={"DEEPFAKE_LAB_HOME": str(home)}, log=log)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", log=log, home=home)
    stop_app(proc)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def open_page(browser, server, path: str = "", locale: str = "en-US", viewport: dict | None = None, **extra):
    page = browser.new_page(locale=locale, viewport=viewport or {"width": 1300, "height": 900}, **extra)
    page.goto(f"{server.url}/{path}", timeout=RUN_S * 1000)
    page.wait_for_selector('[data-testid="stApp"]', timeout=RUN_S * 1000)
    wait_idle(page, RUN_S)
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def click(page, text: str, exact: bool = True) -> None:
    """Click the visible button (or else label) with ``text``, then wait for the app's run."""
    target = page.get_by_role("button", name=text, exact=exact).filter(visible=True)
    if not target.count():
        target = page.get_by_text(text, exact=exact).filter(visible=True)
    target.first.click()
    wait_idle(page, RUN_S)


def nav(page, title: str) -> None:
    """Go to another page through the sidebar (same session, unlike a new address)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    wait_idle(page, RUN_S)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_in_both_languages(browser, server, lang):
    locale = {"zh": "zh-CN", "en": "en-US"}[lang]
    page = open_page(browser, server, locale=locale)
    for path, title, _ in PAGES:
        nav(page, STRINGS[title][lang])
        no_exception(page)
        heading = page.locator("h1").first.inner_text()
        assert heading.strip(), path
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", heading), heading
            assert "Upload" not in page.locator('[data-testid="stFileUploaderDropzone"]').all_inner_texts()
        shot(page, f"page-{Path(path).stem}-{lang}")
    page.close()


def test_generate_then_send_to_detect_and_read_the_verdict(browser, server):
    page = open_page(browser, server, "generate")
    click(page, STRINGS["gen.pin"]["en"])  # the first face's pin
    click(page, STRINGS["gen.send"]["en"])
    nav(page, STRINGS["nav.detect"]["en"])
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    wait_idle(page, RUN_S)
    no_exception(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert STRINGS["det.says.label.watermark"]["en"].replace("**", "") in text  # exported: its watermark decides
    assert "What the pixels say" in text
    shot(page, "generate-to-detect")
    page.close()


def test_paint_a_mask_and_repair_it(browser, server):
    page = open_page(browser, server, "inpaint", viewport={"width": 1300, "height": 1400})  # the canvas in view
    canvas = page.locator("canvas").filter(visible=True).last
    box = canvas.bounding_box()
    assert box and box["width"] > 100
    page.mouse.move(box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for k in range(20):  # a stroke across the mouth, at a hand's pace
        page.mouse.move(box["x"] + box["width"] * (0.35 + k * 0.015), box["y"] + box["height"] * 0.72, steps=3)
        page.wait_for_timeout(20)
    page.mouse.up()
    page.wait_for_timeout(1500)
    wait_idle(page, RUN_S)
    caption = page.get_by_text(re.compile(r"Area to repair \((\d+)% of the image\)")).first.inner_text()
    assert int(re.search(r"(\d+)%", caption).group(1)) >= 1  # the stroke reached the server as a mask
    for method in ("GAN inversion", "Gated-conv U-Net (learned)"):  # the fast two suffice here
        chip = page.get_by_role("button", name=re.compile(re.escape(method.split(" (")[0]))).filter(visible=True)
        if chip.count():
            chip.first.click()
            wait_idle(page, RUN_S)
    click(page, STRINGS["inp.run"]["en"])
    no_exception(page)
    assert page.get_by_text(STRINGS["inp.results_title"]["en"]).count()
    click(page, STRINGS["canvas.undo"]["en"])  # our own undo under the canvas
    no_exception(page)
    shot(page, "repair")
    page.close()


def test_swap_two_faces_and_let_the_detector_judge(browser, server):
    page = open_page(browser, server, "faceswap")
    no_exception(page)
    assert page.get_by_text(STRINGS["swap.result_title"]["en"]).count()
    click(page, STRINGS["swap.catch_run"]["en"])
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Before" in text and "After" in text
    click(page, "中文")  # the toggle stays on, and shows it, after a language switch
    toggle = page.get_by_role("switch", name=STRINGS["swap.catch_run"]["zh"])
    assert toggle.is_checked()
    shot(page, "faceswap-zh")
    page.close()


def test_a_quiz_round_alone(browser, server):
    page = open_page(browser, server, "quiz")
    assert page.locator('[data-testid="stImage"]').count() == 0  # nothing made before a choice
    click(page, STRINGS["quiz.mode.solo"]["en"])
    click(page, STRINGS["quiz.say.fake"]["en"])
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert STRINGS["quiz.you_right"]["en"] in text or STRINGS["quiz.you_wrong"]["en"] in text
    shot(page, "quiz-alone")
    page.close()


def _metric(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def test_a_class_round_with_a_teacher_and_two_phones(browser, server):
    teacher = open_page(browser, server, "quiz", viewport={"width": 1600, "height": 1000})
    click(teacher, STRINGS["quiz.mode.teacher"]["en"])
    click(teacher, STRINGS["quiz.open_room"]["en"])
    no_exception(teacher)
    text = teacher.locator('[data-testid="stMain"]').inner_text()
    code = re.search(r"quiz\?room=([A-Z0-9]{5})", text).group(1)
    assert teacher.locator("img").count() >= 2  # the QR code and the round's picture
    shot(teacher, "class-teacher-projector")
    phones = []
    for k, said in enumerate(("real", "fake")):
        phone = open_page(browser, server, f"quiz?room={code}", viewport=PHONE, is_mobile=True, has_touch=True)
        button = phone.get_by_role("button", name=STRINGS[f"quiz.say.{said}"]["en"]).first
        button.wait_for(timeout=RUN_S * 1000)
        # On a phone the answer buttons are on the first screen, the picture under them.
        top = phone.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")
        assert button.bounding_box()["y"] + button.bounding_box()["height"] - top <= PHONE["height"]
        image = phone.locator('[data-testid="stImage"] img').first.bounding_box()
        assert image["width"] <= PHONE["width"]
        button.click()
        wait_idle(phone, RUN_S)
        assert STRINGS["quiz.recorded"]["en"].split("{")[0] in phone.locator('[data-testid="stMain"]').inner_text()
        shot(phone, f"class-phone-{k}")
        phones.append(phone)
    deadline = time.monotonic() + 20
    while _metric(teacher) != "2" and time.monotonic() < deadline:  # the board polls every 2 s
        teacher.wait_for_timeout(250)
    assert _metric(teacher) == "2"
    click(teacher, STRINGS["quiz.reveal"]["en"])
    for phone in phones:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = phone.locator('[data-testid="stMain"]').inner_text()
            if STRINGS["quiz.you_right"]["en"] in text or STRINGS["quiz.you_wrong"]["en"] in text:
                break
            phone.wait_for_timeout(250)
        else:
            pytest.fail("the reveal did not reach a phone within 20 s")
        no_exception(phone)
        phone.close()
    shot(teacher, "class-teacher-revealed")
    teacher.close()


def _opacities(page) -> list[float]:
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
        .filter(e => e.offsetParent)
        .map(e => parseFloat(getComputedStyle(e.closest('[data-testid=stElementContainer]')).opacity))""")


def _iterations(panel) -> int:
    return int(panel.locator('[data-testid="stMetricValue"]').first.inner_text().strip())


def test_playground_buttons_pressed_while_play_runs(browser, server):
    """The 2-D game plays without greying its board, and its Train D and One iteration, pressed again
    and again while it plays, neither fail nor stop it."""
    page = open_page(browser, server, "playground", viewport={"width": 1400, "height": 1000})
    page.get_by_role("tab", name=STRINGS["play.tab.2d"]["en"]).click()
    wait_idle(page, RUN_S)
    panel = page.locator('[role="tabpanel"]').filter(visible=True).first
    panel.get_by_text(STRINGS["play.play"]["en"], exact=True).click()
    page.wait_for_timeout(1500)
    faded = []
    for _ in range(30):  # three seconds of play, looked at ten times a second
        faded += _opacities(page)
        page.wait_for_timeout(100)
    assert faded and sum(o < 0.9 for o in faded) / len(faded) < 0.05, faded
    before = _iterations(panel)
    for _ in range(6):
        panel.get_by_role("button", name=re.compile(r"^Train D")).click()
        page.wait_for_timeout(250)
        panel.get_by_role("button", name=STRINGS["play.iterate"]["en"]).click()
        page.wait_for_timeout(250)
    page.wait_for_timeout(2000)
    no_exception(page)
    assert _iterations(panel) > before + 6  # the presses' iterations and the frames' in between
    shot(page, "playground-play")
    panel.get_by_text(STRINGS["play.play"]["en"], exact=True).click()
    wait_idle(page, RUN_S)
    no_exception(page)
    page.close()
