"""Inpaint: paint over part of a face, compare how three kinds of generator fill it, then catch them."""

import hashlib

import streamlit as st

from core.imaging import wipe
from detectors.evaluate import POINTS_AT, summarise_catches
from detectors.evidence import overlay_heatmap
from genai import ExportInfo, export_image
from genai.inpaint import list_inpainters
from ui import gallery
from ui.i18n import t
from ui.inpaint_view import (
    catch_rows,
    mask_preview,
    outline,
    paint_mask,
    run_methods,
    split_slow,
)
from ui.pick import pick_image
from ui.shell import ensure_shell

ensure_shell()

COMPARE_PX = 420  # the before/after wipe: large enough to see the repair, small enough to see whole

st.title(t("inp.title"))
st.caption(t("inp.intro"))

picked = pick_image("inp", "inp.upload")
if picked is None:
    st.info(t("inp.empty"))
    st.stop()
image, source_name = picked
image_id = hashlib.sha256(image.tobytes()).hexdigest()[:16]

st.subheader(t("inp.mask_title"))
mask = paint_mask(image, key=f"inp_canvas_{image_id}")
# Full width: all four method names stay readable (in a half column they scroll out of sight).
names = list_inpainters()
chosen = st.pills(t("inp.methods"), names, selection_mode="multi", default=names,
                  format_func=lambda m: t(f"inp.method.{m}"), key="inp_methods") or []
methods = [m for m in names if m in chosen]  # registry order, whatever the click order
left, right = st.columns([1, 3])
left.image(mask_preview(image, mask), caption=t("inp.mask_caption", share=mask.mean()), width=160)
right.caption(t("inp.methods_help"))
run = right.button(t("inp.run"), type="primary", icon=":material/auto_fix_high:", disabled=not methods,
                   key="inp_run")

job = (image_id, hashlib.sha256(mask.tobytes()).hexdigest()[:16], tuple(methods))
if run:
    if not mask.any():
        st.warning(t("inp.error.empty_mask"))
        st.stop()
    fast, slow = split_slow(methods)
    st.session_state["inp_job"] = job
    st.session_state["inp_results"] = run_methods(image, mask, fast)
    st.session_state["inp_pending"] = slow  # run below, once the fast results are on the page
if st.session_state.get("inp_job") != job:
    st.stop()  # no results yet for this image, mask and choice of methods
results, pending = st.session_state["inp_results"], st.session_state.get("inp_pending", [])
if pending and st.session_state.get("inp_cancel"):  # pressed while the slow methods ran
    results.update({name: {"error": t("inp.cancelled"), "seconds": 0.0} for name in pending})
    pending = st.session_state["inp_pending"] = []

st.subheader(t("inp.results_title"))
shown = [m for m in methods if m in results or m in pending]
cols = dict(zip(shown, st.columns(len(shown))))
stem = source_name.rsplit(".", 1)[0]
for name in pending:
    with cols[name]:
        st.markdown(f"**{t(f'inp.method.{name}')}**")
        st.info(t("inp.slow_running"), icon=":material/hourglass_top:")
        st.button(t("inp.cancel"), key="inp_cancel", icon=":material/cancel:")
for name, r in results.items():
    with cols[name]:
        st.markdown(f"**{t(f'inp.method.{name}')}**")
        if "error" in r:
            st.error(r["error"])
            continue
        st.image(r["image"], width="stretch")
        st.caption(" · ".join([t(f"inp.route.{r['route']}"), t("inp.seconds", s=r["seconds"]),
                               *(t(f"inp.note.{n}") for n in r.get("notes", []))]))
        st.download_button(
            t("inp.download"),
            lambda r=r, name=name: export_image(r["image"], ExportInfo(model=f"inpaint-{name}")),
            f"{stem}-{name}.png", "image/png", key=f"inp_dl_{name}", icon=":material/download:", width="stretch",
        )
        st.button(t("inp.send"), key=f"inp_send_{name}", icon=":material/policy:", width="stretch",
                  on_click=gallery.add, args=(r["image"], f"{stem}-{name}", f"inpaint-{name}"))

if pending:  # the fast results are drawn: now the slow ones, then draw everything again
    results.update(run_methods(image, mask, pending, where=cols[pending[0]]))
    st.session_state["inp_results"] = {m: results[m] for m in methods if m in results}  # the page's order
    st.session_state["inp_pending"] = []
    st.rerun()

done = [name for name, r in results.items() if "image" in r]
if not done:
    st.stop()
st.subheader(t("inp.compare_title"))
c1, c2 = st.columns([1, 3])
which = c1.radio(t("inp.compare_method"), done, format_func=lambda m: t(f"inp.method.{m}"), key="inp_compare")
position = c1.slider(t("inp.compare_slider"), 0.0, 1.0, 0.5, 0.01, key="inp_wipe")
c2.image(wipe(image, results[which]["image"], position), caption=t("inp.compare_caption"), width=COMPARE_PX)

st.subheader(t("inp.catch_title"))
st.caption(t("inp.catch_intro"))
if st.button(t("inp.catch_run"), icon=":material/search:", key="inp_catch"):
    with st.spinner(t("inp.catch_running")):
        st.session_state["inp_catch_rows"] = (job, catch_rows(mask, results))
caught = st.session_state.get("inp_catch_rows")
if caught and caught[0] == job:
    rows = caught[1]
    cols = st.columns(len(rows))
    for col, row in zip(cols, rows):
        with col:
            st.markdown("**" + t(f"inp.method.{row.method}") + "**")
            repaired = results[row.method]["image"]
            if not row.judged:  # the detector abstained: its heatmap is no evidence, so none is drawn
                st.image(outline(repaired, mask), width="stretch")
                st.caption(t("verdict.unknown"))
                continue
            st.image(outline(overlay_heatmap(repaired, row.result.heatmap, 0.7), mask), width="stretch")
            auc = "–" if row.auc is None else f"{row.auc:.2f}"
            st.caption(t("inp.catch_scores", verdict=t("inp.catch_p", p=row.result.detector_probability), auc=auc,
                         iou=row.iou))
    said = summarise_catches(rows, max(image.shape[:2]))
    if said.kind == "unjudged":
        st.info(t("inp.catch_unjudged", reason=t(f"det.abstained.{rows[0].result.abstained}")), icon=":material/help:")
    elif said.kind == "some":
        st.info(t("inp.catch_some", n=said.count, total=said.total) + " "
                + (t("inp.catch_hid_best", method=t(f"inp.method.{said.hid_best}")) if said.hid_best else ""))
    elif said.kind == "faint":  # no verdict, no hot spot, but the heatmap's faint ranking points at the hole
        st.info(t("inp.catch_faint", n=said.count, total=said.total, auc=POINTS_AT))
    else:  # nothing to rank: say so, and why, instead of naming a "winner"
        st.warning(t("inp.catch_none") + " " + t("inp.catch_why_large" if said.shrunk else "inp.catch_why_small",
                                                  side=max(image.shape[:2])))
    st.caption(t("inp.catch_note"))
