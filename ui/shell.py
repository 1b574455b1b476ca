"""The app's frame: its pages and the sidebar every page shares."""

from __future__ import annotations

import streamlit as st

from ui.i18n import language_switch, t

# (file, title key, icon) in menu order; the home page lists the same files.
PAGES = [
    ("pages/home.py", "nav.home", ":material/home:"),
    ("pages/generate.py", "nav.generate", ":material/face:"),
    ("pages/detect.py", "nav.detect", ":material/policy:"),
]


def pages() -> list[st.Page]:
    """The app's pages with titles in the current language; the first is the default."""
    return [
        st.Page(path, title=t(title), icon=icon, default=(i == 0))
        for i, (path, title, icon) in enumerate(PAGES)
    ]


def page_exists(path: str) -> bool:
    return any(p == path for p, _, _ in PAGES)


def ensure_shell() -> None:
    """Call first in every page: make sure the page runs inside app.py's navigation.

    A server process treats a project with a pages/ folder as a legacy multipage app until the
    first st.navigation call. If the first request after a start is a deep link (/detect), the
    page would run alone: no language switch, file names as menu. Turning legacy mode off and
    rerunning routes that same URL through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def sidebar() -> None:
    language_switch()
    st.sidebar.caption(t("sidebar.notice"))
