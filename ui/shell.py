"""The app's frame: its pages and the sidebar every page shares."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from ui.i18n import language_switch, localise_streamlit, t

APP = Path(__file__).resolve().parents[1] / "app.py"

# (file, title key, icon) in menu order; the home page lists the same files.
PAGES = [
    ("pages/home.py", "nav.home", ":material/home:"),
    ("pages/generate.py", "nav.generate", ":material/face:"),
    ("pages/inpaint.py", "nav.inpaint", ":material/healing:"),
    ("pages/faceswap.py", "nav.faceswap", ":material/switch_account:"),
    ("pages/detect.py", "nav.detect", ":material/policy:"),
    ("pages/report.py", "nav.report", ":material/monitoring:"),
    ("pages/playground.py", "nav.playground", ":material/sports_esports:"),
    ("pages/quiz.py", "nav.quiz", ":material/quiz:"),
    ("pages/rules.py", "nav.rules", ":material/gavel:"),
]


def pages() -> list[st.Page]:
    """The app's pages with titles in the current language; the first is the default."""
    return [
        st.Page(path, title=t(title), icon=icon, default=(i == 0))
        for i, (path, title, icon) in enumerate(PAGES)
    ]


def page_exists(path: str) -> bool:
    return any(p == path for p, _, _ in PAGES)


def page_title(path: str) -> str:
    """The string key of a page's title."""
    return next(title for p, title, _ in PAGES if p == path)


_IN_SHELL = contextvars.ContextVar("deepfake_lab_in_shell", default=False)


@contextmanager
def shell():
    """Wrap app.py's ``st.navigation(...).run()``: pages run inside it know they are in the shell."""
    token = _IN_SHELL.set(True)
    try:
        yield
    finally:
        _IN_SHELL.reset(token)


def ensure_shell() -> None:
    """Call first in every page: make sure the page runs inside app.py's navigation.

    A server process treats a project with a pages/ folder as a legacy multipage app until the
    first st.navigation call (AppTest does so on every run). A page run that way would have no
    language switch and file names as its menu, so it runs app.py in its place and stops. This
    happens within the same script run: a rerun would swallow the click that started it.
    """
    if _IN_SHELL.get():
        return
    import runpy

    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()


def sidebar() -> None:
    language_switch()
    localise_streamlit()
    st.sidebar.caption(t("sidebar.notice"))
