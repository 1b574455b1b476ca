"""Rules: China's rules for generative AI in plain words, a filing checklist, and a label checker."""

import pandas as pd
import streamlit as st

from genai.compliance import verdict
from genai.provenance import C2PA_TRUST_DATE
from ui import resources
from ui.detect_view import provenance_says
from ui.i18n import t, upload_label
from ui.pick import IMAGE_TYPES
from ui.shell import ensure_shell

ensure_shell()

FILING_STEPS = 6

st.title(t("rules.title"))
st.caption(t("rules.intro"))


def report_table(checks: list, c2pa: dict | None = None) -> None:
    """The label checks of one file (genai.compliance.check) as a verdict and a table; with its C2PA
    reading, the Detect page's sentence on it and what C2PA is."""
    said = verdict(checks)
    {"complete": st.success, "partial": st.warning, "none": st.info}[said](t(f"rules.check.verdict.{said}"))
    rows = []
    for c in checks:
        detail = c.detail or (t("rules.no_hints") if c.key == "hints" else "")
        rows.append({t("rules.check.col.label"): t(f"rules.label.{c.key}"),
                     t("rules.check.col.status"): t(f"rules.status.{c.status}"),
                     t("rules.check.col.says"): t(f"rules.says.{c.key}.{c.status}", detail=detail)})
    st.table(pd.DataFrame(rows).set_index(t("rules.check.col.label")))  # a static table: long sentences wrap
    if c2pa and c2pa.get("status") in ("found", "damaged"):
        st.markdown(provenance_says("c2pa", c2pa))
        st.caption(t("rules.c2pa.explain", date=C2PA_TRUST_DATE))


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
        data = upload.getvalue()
        found = resources.label_checks(resources.digest(data), data)  # once per file: later clicks are instant
        if found["error"]:
            st.error(t(f"error.image.{found['error']}", name=upload.name))
        else:
            report_table(found["checks"], found["c2pa"])
    elif st.toggle(t("rules.check.example"), key="rules_check_example"):
        example = resources.example_export()
        example_checks = resources.label_checks(resources.digest(example), example)
        report_table(example_checks["checks"], example_checks["c2pa"])

with trial:
    st.caption(t("rules.try.intro"))
    upload = st.file_uploader(upload_label("rules.try.upload"), type=IMAGE_TYPES, key="rules_try_file")
    if upload is not None:
        data = upload.getvalue()
        tried = resources.label_trial(resources.digest(data), data)
        if tried["error"]:
            st.error(t(f"error.image.{tried['error']}", name=upload.name))
        else:
            left, right = st.columns(2)
            for column, side, key in ((left, "labelled", "rules.try.labelled"), (right, "stripped", "rules.try.stripped")):
                with column:
                    st.markdown(f"**{t(key)}**")
                    st.image(tried[side]["file"], width="stretch")
                    report_table(tried[side]["checks"])
