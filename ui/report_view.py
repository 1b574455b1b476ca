"""Data for the Report page: the stored validation scores, or scores of the user's own labelled uploads."""

from __future__ import annotations

import streamlit as st

from detectors import detector_weights
from detectors.report import REAL, load_scores, scores_path
from ui import resources
from ui.i18n import t, upload_label
from ui.pick import IMAGE_TYPES


@st.cache_data(show_spinner=False)
def stored_scores(detector_name: str = "default") -> dict | None:
    return load_scores(scores_path(detector_weights(detector_name)))


def own_scores() -> dict[str, list[float]] | None:
    """Pixel-only P(fake) for uploads the user labelled real or fake; None until both sides have one."""
    c1, c2 = st.columns(2)
    real = c1.file_uploader(upload_label("rep.own_real"), type=IMAGE_TYPES, accept_multiple_files=True, key="rep_real")
    fake = c2.file_uploader(upload_label("rep.own_fake"), type=IMAGE_TYPES, accept_multiple_files=True, key="rep_fake")
    st.caption(t("rep.own_note"))
    if not real or not fake:
        st.info(t("rep.own_empty"))
        return None
    out: dict[str, list[float]] = {REAL: [], "your_fakes": []}
    bar = st.progress(0.0)
    uploads = [(REAL, u) for u in real] + [("your_fakes", u) for u in fake]
    abstained = []
    for i, (side, upload) in enumerate(uploads, start=1):
        bar.progress(i / len(uploads), text=t("det.progress", i=i, n=len(uploads), name=upload.name))
        data = upload.getvalue()
        a = resources.analyse(resources.digest(data), data)
        if a["error"]:
            st.warning(t(f"error.image.{a['error']}", name=upload.name))
            continue
        if a["result"].abstained:  # the Detect page gives it no number: neither does the report
            abstained.append(upload.name)
            continue
        # Pixels only: a label or watermark would make "how good is the detector" a question about labels.
        out[side].append(a["result"].detector_probability)
    bar.empty()
    if abstained:
        st.info(t("rep.own_abstained", n=len(abstained), names=", ".join(abstained[:5])
                  + ("…" if len(abstained) > 5 else "")), icon=":material/help:")
    if not out[REAL] or not out["your_fakes"]:
        st.info(t("rep.own_empty"))
        return None
    return out
