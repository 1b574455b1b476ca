"""Report: how good is the detector? Curves and tables from stored validation scores or your own images."""

import pandas as pd
import streamlit as st

from detectors import WeightsError
from detectors.evaluate import interval_text, number_text
from detectors.report import REAL, curves, source_table
from ui import charts, resources
from ui.i18n import STRINGS, t
from ui.report_view import PERCENT, image_branch_table, own_scores, percent, stored_scores
from ui.shell import ensure_shell

ensure_shell()

st.title(t("rep.title"))
st.caption(t("rep.intro"))

try:
    detector = resources.detector()
except (WeightsError, ValueError) as e:
    st.error(t("error.detector_weights", detail=str(e)))
    st.stop()
cal = detector.calibration

source = st.radio(t("rep.source"), ["stored", "own"], format_func=lambda s: t(f"rep.source.{s}"), horizontal=True,
                  key="rep_source")
# Drawn on every run, before anything that may stop the page: a slider skipped by one run comes back
# at its default on screen while its old value is still used.
threshold = st.slider(t("det.threshold"), 0.05, 0.95, float(cal.threshold), 0.01, key="rep_threshold",
                      help=t("det.threshold_help", real_below=cal.real_below))
if source == "stored":
    stored = stored_scores()
    if stored is None:
        st.warning(t("rep.no_scores"))
        st.stop()
    scores, gan_d = stored["detector"], stored.get("gan_d")
    st.caption(t("rep.stored_how"))
else:
    scores, gan_d = own_scores(), None
    if scores is None:
        st.stop()

fakes = [k for k in scores if k != REAL]
label = {k: t(f"rep.src.{k}") if f"rep.src.{k}" in STRINGS else k for k in scores}
if source == "own":  # the reals are the student's own photos, not FFHQ
    label[REAL] = t("rep.src.your_real")
per_source = {label[k]: curves(scores[REAL], scores[k], threshold) for k in fakes}

c1, c2 = st.columns(2)
c1.plotly_chart(charts.roc(per_source), width="stretch")
c2.plotly_chart(charts.precision_recall(per_source), width="stretch")
pick = st.selectbox(t("rep.pick_source"), fakes, format_func=label.get, key="rep_pick")
chosen = per_source[label[pick]]
c3, c4 = st.columns(2)
c3.plotly_chart(charts.confusion(chosen["confusion"]), width="stretch")
c4.plotly_chart(charts.reliability(chosen["reliability"]), width="stretch")
st.caption(t("rep.ece", ece=chosen["ece"]))

st.subheader(t("rep.table_title"))
rows = source_table(scores, threshold)
frame = pd.DataFrame([{t("rep.col.source"): label.get(r["source"], r["source"]), t("rep.col.n"): r["n"],
                       "AUC": number_text(r["auc"]), t("rep.col.ci"): interval_text(r["auc_ci95"]),
                       "AP": number_text(r["ap"]), t("rep.col.flagged"): percent(r["flagged"])} for r in rows])
st.dataframe(frame, hide_index=True, width="stretch",
             column_config={t("rep.col.flagged"): PERCENT})
st.caption(t("rep.table_note"))

image_branch_table()

st.subheader(t("rep.gand_title"))
st.markdown(t("rep.gand_intro"))
if gan_d is None:
    st.info(t("rep.gand_missing") if source == "stored" else t("rep.gand_own"))
    st.stop()
ours, theirs = source_table(scores, threshold), source_table(gan_d, 0.5)
compare = pd.DataFrame([{t("rep.col.source"): label.get(a["source"], a["source"]), t("rep.col.ours"): number_text(a["auc"]),
                         t("rep.col.gand"): number_text(b["auc"])} for a, b in zip(ours, theirs) if a["source"] != REAL])
st.dataframe(compare, hide_index=True, width="stretch")
st.caption(t("rep.gand_lesson"))
