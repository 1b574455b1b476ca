"""Streamlit widgets shared by pages: generator choice, face grids, downloads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import numpy as np
import streamlit as st

from core.imaging import upscale
from genai import CheckpointError, FaceGenerator, list_generators
from ui import resources
from ui.i18n import t, upload_label

# Faces are shown at this size and the browser shrinks them to the column, so "nearest"
# still shows the generator's pixel blocks.
DISPLAY_PX = 256


def show_checkpoint_error(error: CheckpointError) -> None:
    st.error(t(f"error.checkpoint.{error.reason}", detail=error.detail))


def generator_picker() -> tuple[FaceGenerator, str] | None:
    """Selectbox of registry generators (plus an uploader for "checkpoint").

    Returns:
        (generator, cache key), or None when nothing usable is chosen; errors are shown in place.
    """
    name = st.selectbox(t("gen.generator"), list_generators(), key="gen_name", help=t("gen.generator_help"))
    try:
        if name != "checkpoint":
            return resources.face_generator(name), name
        upload = st.file_uploader(
            upload_label("gen.checkpoint_upload"), type=["pt", "pth", "tar", "ckpt"], help=t("gen.checkpoint_help"),
            key="gen_checkpoint",
        )
        if upload is None:
            st.info(t("gen.checkpoint_wait"))
            return None
        data = upload.getvalue()
        key = resources.digest(data)
        return resources.uploaded_generator(key, data, upload.name), key
    except CheckpointError as e:
        show_checkpoint_error(e)
        return None


def face_grid(
    faces: np.ndarray,
    seeds: list[int],
    ncols: int,
    method: str,
    pinned: list[int],
    on_toggle: Callable[[int], None],
) -> None:
    """Faces in rows of ``ncols``, each with a seed caption and a pin toggle button."""
    for row in range(0, len(faces), ncols):
        cols = st.columns(ncols)
        for col, face, seed in zip(cols, faces[row : row + ncols], seeds[row : row + ncols]):
            with col:
                st.image(upscale(face, DISPLAY_PX, method), caption=t("gen.face_caption", seed=seed),
                         width="stretch")
                is_pinned = seed in pinned
                st.button(
                    t("gen.unpin") if is_pinned else t("gen.pin"),
                    key=f"pin_{seed}",
                    on_click=on_toggle,
                    args=(seed,),
                    help=t("gen.pin_help"),
                    type="primary" if is_pinned else "secondary",
                    icon=":material/check:" if is_pinned else ":material/push_pin:",
                    width="stretch",
                )


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of ``{name: content}``; PNGs are already compressed, so they are stored."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def canvas(key: str, **options):
    """streamlit-drawable-canvas (its ``st_canvas(**options)``) with Undo and Clear buttons of our own
    under it, labelled in the user's language (the canvas's hover toolbar speaks English only).

    Undo and Clear redraw the canvas from what was drawn before (its ``initial_drawing``) under a new
    key. Returns the canvas's result. Raises whatever the canvas raises when it cannot load.
    """
    from streamlit_drawable_canvas import st_canvas

    kept, version = f"{key}_objects", f"{key}_version"
    n = st.session_state.get(version, 0)
    result = st_canvas(initial_drawing={"objects": st.session_state.get(kept, [])}, key=f"{key}_{n}", **options)
    objects = list((getattr(result, "json_data", None) or {}).get("objects", []))
    c1, c2, _ = st.columns([1, 1, 3])
    undo = c1.button(t("canvas.undo"), key=f"{key}_undo", icon=":material/undo:", disabled=not objects,
                     width="stretch")
    clear = c2.button(t("canvas.clear"), key=f"{key}_clear", icon=":material/delete:", disabled=not objects,
                      width="stretch")
    if undo or clear:
        st.session_state[kept] = objects[:-1] if undo else []
        st.session_state[version] = n + 1
        st.rerun()
    return result
