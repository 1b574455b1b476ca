"""Data for the Report page: the stored validation scores, or scores of the user's own labelled uploads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from detectors import detector_weights
from detectors.evaluate import interval_text, number_text
from detectors.report import REAL, load_scores, scores_path, source_table
from ui import resources
from ui.i18n import STRINGS, t, upload_label
from ui.pick import IMAGE_TYPES

# Shares in the per-source tables, with one decimal in every row.
PERCENT = st.column_config.NumberColumn(format="%.1f%%")


def percent(share: float | None) -> float | None:
    """A share in [0, 1] as the number :data:`PERCENT` shows."""
    return None if share is None else 100 * share


@st.cache_data(show_spinner=False)
def stored_scores(detector_name: str = "default") -> dict | None:
    return load_scores(scores_path(detector_weights(detector_name)))


@st.cache_data(show_spinner=False)
def image_branch_scores() -> dict | None:
    """The image branch's stored scores on held-out generator families (detectors.train_native)."""
    return load_scores(scores_path("image-branch"))


def image_branch_table() -> None:
    """How the image branch does on generators it never saw, per family, at its own threshold."""
    st.subheader(t("rep.image_title"))
    stored = image_branch_scores()
    if stored is None:
        st.info(t("rep.no_scores"))
        return
    threshold = float(stored["threshold"])
    rows = source_table(stored["detector"], threshold, stored["real"], stored["other_reals"])
    reals = {stored["real"], *stored["other_reals"]}
    frame = pd.DataFrame([{
        t("rep.col.source"): t(f"rep.src.{r['source']}") if f"rep.src.{r['source']}" in STRINGS else r["source"],
        t("rep.col.n"): r["n"], "AUC": number_text(r["auc"]), t("rep.col.ci"): interval_text(r["auc_ci95"]),
        t("rep.col.called_fake"): percent(r["flagged"]),
        t("rep.col.kind"): t("rep.kind.real" if r["source"] in reals else "rep.kind.fake"),
    } for r in rows])
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={t("rep.col.called_fake"): PERCENT})
    st.caption(t("rep.image_note", threshold=threshold))


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
