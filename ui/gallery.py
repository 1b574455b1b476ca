"""Images made in this session, shared between pages ("send to detector", "repair this face").

Kept in the session only (memory), never on disk. Each entry is plain data: the raw image, before
any export label, and what made it, so a page can export it with the right provenance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from ui.i18n import t

_KEY = "gallery"
LIMIT = 40  # oldest entries go first beyond this, to bound the session's memory


@dataclass(frozen=True)
class Made:
    name: str  # unique in the session, shown in pickers
    image: np.ndarray  # RGB uint8 (H, W, 3), unlabelled
    model: str  # what made it, for the export's provenance
    seed: int | None = None


def items() -> list[Made]:
    return st.session_state.setdefault(_KEY, [])


def add(image: np.ndarray, name: str, model: str, seed: int | None = None) -> None:
    """Remember an image (replacing one of the same name) and say so in a toast."""
    gallery = [m for m in items() if m.name != name]
    gallery.append(Made(name, np.ascontiguousarray(image), model, seed))
    st.session_state[_KEY] = gallery[-LIMIT:]
    st.session_state.setdefault("gallery_exports", {}).pop(name, None)
    st.toast(t("gallery.added", name=name), icon=":material/check:")


def get(name: str) -> Made | None:
    return next((m for m in items() if m.name == name), None)


def exported(name: str) -> bytes | None:
    """The entry as its download would be (labels, watermark, registry record), made once per session."""
    from genai import ExportInfo, export_image

    entry = get(name)
    if entry is None:
        return None
    cache = st.session_state.setdefault("gallery_exports", {})
    if name not in cache:
        cache[name] = export_image(entry.image, ExportInfo(model=entry.model, seed=entry.seed))
    return cache[name]
