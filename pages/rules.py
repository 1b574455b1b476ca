"""Rules: China's rules for generative AI in plain words, a filing checklist, and a label checker."""

import numpy as np
import pandas as pd
import streamlit as st

from core.io import ImageReadError, read_image
from genai import ExportInfo, export_image, inspect
from genai.compliance import check, verdict
from ui import resources
from ui.i18n import t, upload_label
from ui.shell import ensure_shell

ensure_shell()

IMAGE_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff"]
FILING_STEPS = 6

st.title(t("rules.title"))
st.caption(t("rules.intro"))


def report_table(data: bytes) -> None:
    """The label checks of one file as a verdict and a table."""
    checks = check(inspect(data))
    said = verdict(checks)
    {"complete": st.success, "partial": st.warning, "none": st.info}[said](t(f"rules.check.verdict.{said}"))
    rows = []
    for c in checks:
        detail = c.detail or (t("rules.no_hints") if c.key == "hints" else "")
        rows.append({t("rules.check.col.label"): t(f"rules.label.{c.key}"),
                     t("rules.check.col.status"): t(f"rules.status.{c.status}"),
                     t("rules.check.col.says"): t(f"rules.says.{c.key}.{c.status}", detail=detail)})
    st.table(pd.DataFrame(rows).set_index(t("rules.check.col.label")))  # a static table: long sentences wrap


def readable(data: bytes, name: str) -> np.ndarray | None:
    """The upload's pixels, or None after a clear message when it is not a usable image."""
    try:
        return read_image(data).image
    except ImageReadError as e:
        st.error(t(f"error.image.{e.reason}", name=name))
        return None


rules, filing, checker, trial = st.tabs([t("rules.tab.rules"), t("rules.tab.filing"), t("rules.tab.check"),
                                         t("rules.tab.try")])
with rules:
    for doc in ("interim", "labelling", "standard"):
        st.markdown(f"#### {t(f'rules.{doc}.title')}")
        st.markdown(t(f"rules.{doc}.body"))

with filing:
    st.markdown(t("rules.filing.intro"))
    done = sum(st.checkbox(t(f"rules.filing.{i}"), key=f"rules_filing_{i}") for i in range(1, FILING_STEPS + 1))
    st.progress(done / FILING_STEPS, text=t("rules.filing.done", n=done, total=FILING_STEPS))

with checker:
    st.caption(t("rules.check.intro"))
    upload = st.file_uploader(upload_label("rules.check.upload"), type=IMAGE_TYPES, key="rules_check_file")
    if upload is not None:
        if readable(upload.getvalue(), upload.name) is not None:
            report_table(upload.getvalue())
    elif st.toggle(t("rules.check.example"), key="rules_check_example"):
        face = resources.face_generator("dcgan-digiface").sample([7])[0]
        report_table(export_image(face, ExportInfo("dcgan-digiface", 7), size=256))

with trial:
    st.caption(t("rules.try.intro"))
    upload = st.file_uploader(upload_label("rules.try.upload"), type=IMAGE_TYPES, key="rules_try_file")
    image = None if upload is None else readable(upload.getvalue(), upload.name)
    if image is not None:
        from detectors.launder import Reshare, reshare

        labelled = export_image(image, ExportInfo("user-upload"), size=256)
        stripped = reshare(labelled, Reshare(jpeg_quality=85))
        left, right = st.columns(2)
        for column, data, key in ((left, labelled, "rules.try.labelled"), (right, stripped, "rules.try.stripped")):
            with column:
                st.markdown(f"**{t(key)}**")
                st.image(data, width="stretch")
                report_table(data)
