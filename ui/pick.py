"""Choosing one input image: an example face the app ships, an upload, or an image made in this session."""

from __future__ import annotations

import cv2
import numpy as np
import streamlit as st

from core.samples import SAMPLES, list_samples, load_sample
from ui import gallery
from ui.i18n import t, upload_label

WORK_SIDE = 1024  # uploads are worked on at most this large on their longer side
# What every uploader accepts. HEIC/HEIF is accepted so that an iPhone photo gets the app's message
# (core.io cannot decode it) instead of the browser silently refusing the file.
IMAGE_TYPES = ["jpg", "jpeg", "png", "webp", "avif", "gif", "bmp", "tif", "tiff", "heic", "heif"]


def pick_image(key: str, upload_text: str, examples: list[str] | None = None,
               default: int = 0) -> tuple[np.ndarray, str] | None:
    """An example face, an upload, or an image made earlier in this session: (RGB uint8, name), or None.

    ``key`` prefixes the widgets' keys; ``upload_text`` is the uploader's string key; ``examples``
    are core.samples names (default: the real faces), ``default`` the one shown first. The picker
    opens on an example, so a page works at once, offline, without any file.
    """
    made = gallery.items()
    options = ["example", "upload"] + (["session"] if made else [])
    source = st.radio(t("pick.source"), options, format_func=lambda o: t(f"pick.source.{o}"),
                      horizontal=True, key=f"{key}_source")
    if source == "example":
        names = examples or list_samples("real")
        name = st.selectbox(t("pick.example"), names, index=default, key=f"{key}_example",
                            format_func=lambda n: t(f"pick.example.{SAMPLES[n].kind}", name=n))
        return load_sample(name), f"{name}.png"
    if source == "session":
        name = st.selectbox(t("pick.session"), [m.name for m in made], key=f"{key}_session_name")
        entry = gallery.get(name)
        return (entry.image, entry.name) if entry else None
    upload = st.file_uploader(upload_label(upload_text), type=IMAGE_TYPES, key=f"{key}_file")
    if not made:
        st.caption(t("pick.session_hint"))
    if upload is None:
        return None
    from core.io import ImageReadError, read_image

    try:
        loaded = read_image(upload.getvalue())
    except ImageReadError as e:
        st.error(t(f"error.image.{e.reason}", name=upload.name))
        return None
    image = loaded.image
    if max(image.shape[:2]) > WORK_SIDE:
        scale = WORK_SIDE / max(image.shape[:2])
        image = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)),
                           interpolation=cv2.INTER_AREA)
        st.info(t("pick.downscaled", side=WORK_SIDE))
    return image, upload.name
