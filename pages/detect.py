"""Detect: upload images, get a verdict per image, see where and why."""

import streamlit as st

from detectors import WeightsError
from ui import gallery, resources
from ui.detect_view import (
    evidence_pictures,
    frequency_panel,
    launder_panel,
    provenance_panel,
    results_table,
    table_downloads,
    table_row,
    verdict_block,
)
from ui.i18n import t, upload_label
from ui.pick import IMAGE_TYPES
from ui.shell import ensure_shell

ensure_shell()

st.title(t("det.title"))
st.caption(t("det.intro"))

try:
    detector = resources.detector()
except (WeightsError, ValueError) as e:  # missing, altered, or not registered
    st.error(t("error.detector_weights", detail=str(e)))
    st.stop()
cal = detector.calibration

uploads = st.file_uploader(upload_label("det.upload"), type=IMAGE_TYPES, accept_multiple_files=True, key="det_files")
made = [m.name for m in gallery.items()]
chosen = st.multiselect(t("det.session"), made, key="det_session", help=t("det.session_help"), select_all=False,
                        placeholder=t("det.session_placeholder")) if made else []
examples = st.toggle(t("det.examples"), key="det_examples", help=t("det.examples_help"))
inputs = [(u.name, u.getvalue()) for u in uploads or []] + [(f"{name}.png", gallery.exported(name)) for name in chosen]
inputs += resources.example_files() if examples else []
c1, c2 = st.columns([2, 3])
threshold = c1.slider(t("det.threshold"), 0.05, 0.95, float(cal.threshold), 0.01, key="det_threshold",
                      help=t("det.threshold_help", real_below=cal.real_below))
c2.caption(t("det.threshold_effect"))
st.info(t("det.limits"), icon=":material/info:")

if not inputs:
    st.info(t("det.empty"))
    st.stop()

progress = st.progress(0.0)
analyses = []
for i, (name, data) in enumerate(inputs, start=1):
    progress.progress(i / len(inputs), text=t("det.progress", i=i, n=len(inputs), name=name))
    a = resources.analyse(resources.digest(data), data)
    analyses.append((name, data, a))
    if a["error"]:
        st.warning(t(f"error.image.{a['error']}", name=name), icon=":material/warning:")
progress.empty()

st.subheader(t("det.table"))
table_downloads(results_table([table_row(name, a, threshold) for name, _, a in analyses]))

readable = [(name, data, a) for name, data, a in analyses if not a["error"]]
if not readable:
    st.stop()
st.divider()
# Keyed by the file (name and content), not its position: the list changes under the selection as
# uploads come and go, and a name must never stand over another file's verdict.
by_file = {f"{name}·{a['digest'][:16]}": (name, data, a) for name, data, a in readable}
pick = st.selectbox(t("det.pick"), list(by_file), format_func=lambda k: by_file[k][0], key="det_pick")
name, data, a = by_file[pick]
result = a["result"]
verdict_block(result, threshold)
opacity = 0.0 if result.unknown else st.slider(t("det.opacity"), 0.0, 1.0, 0.6, 0.05, key="det_opacity")
evidence_pictures(a["image"], result, threshold, opacity)
provenance_panel(result.provenance)
frequency_panel(a["image"], result)
launder_panel(data, a["digest"], result.provenance)
