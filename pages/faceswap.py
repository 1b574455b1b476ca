"""Face swap: one person's face on another's head (the lecture's opening demo), then let the detector judge it."""

import hashlib

import streamlit as st

from core.imaging import wipe
from core.samples import list_samples
from detectors.evidence import overlay_heatmap, overlay_seams, seam_map
from genai import ExportInfo, export_image
from genai.faceswap import BLENDS, SwapOptions
from ui import gallery, resources
from ui.i18n import t
from ui.inpaint_view import outline
from ui.pick import pick_image
from ui.shell import ensure_shell
from ui.swap_view import face_choices, numbered_boxes

ensure_shell()

st.title(t("swap.title"))
st.caption(t("swap.intro"))

examples = list_samples()
left, right = st.columns(2)
with left:
    st.subheader(t("swap.source_title"))
    src = pick_image("swap_src", "swap.upload_source", examples, default=examples.index("ffhq-69003"))
with right:
    st.subheader(t("swap.target_title"))
    tgt = pick_image("swap_tgt", "swap.upload_target", examples, default=examples.index("ffhq-69004"))
if src is None or tgt is None:
    st.info(t("swap.empty"))
    st.stop()

(source, source_name), (target, target_name) = src, tgt
digests = [hashlib.sha256(im.tobytes()).hexdigest()[:16] for im in (source, target)]
with st.spinner(t("swap.finding")):
    source_faces = resources.face_marks(digests[0], source)
    target_faces = resources.face_marks(digests[1], target)
missing = False
for col, faces, image, which in ((left, source_faces, source, "source"), (right, target_faces, target, "target")):
    with col:
        st.image(numbered_boxes(image, faces), width="stretch")
        if not faces:
            st.error(t(f"swap.error.no_{which}_face"))
            missing = True
if missing:
    st.stop()
source_face = left.selectbox(t("swap.source_face"), range(len(source_faces)), key="swap_source_face",
                             format_func=lambda k: t("swap.face_n", n=k)) if len(source_faces) > 1 else 0
target_face = right.pills(t("swap.target_face"), face_choices(len(target_faces)), default=0, key="swap_target_face",
                          format_func=lambda k: t("swap.all_faces") if k == "all" else t("swap.face_n", n=k),
                          disabled=len(target_faces) == 1)
target_face = 0 if target_face is None else target_face

st.subheader(t("swap.options_title"))
o1, o2, o3, o4 = st.columns(4)
blend = o1.radio(t("swap.blend"), BLENDS, format_func=lambda b: t(f"swap.blend.{b}"), key="swap_blend",
                 help=t("swap.blend_help"))
colour = o2.toggle(t("swap.colour"), value=SwapOptions.colour, key="swap_colour", help=t("swap.colour_help"))
forehead = o3.toggle(t("swap.forehead"), value=SwapOptions.forehead, key="swap_forehead",
                     help=t("swap.forehead_help"))
feather = o4.slider(t("swap.feather"), 0.0, 0.2, SwapOptions.feather, 0.01, key="swap_feather",
                    help=t("swap.feather_help"))

with st.spinner(t("swap.running")):
    r = resources.face_swap(*digests, source, target, source_face, target_face, (blend, colour, forehead, feather))
if r["error"]:
    st.error(t(f"swap.error.{r['error']}"))
    st.stop()
for note in r["notes"]:
    st.warning(t(f"swap.note.{note}"), icon=":material/warning:")

st.subheader(t("swap.result_title"))
show_region = st.toggle(t("swap.show_region"), key="swap_show_region")
after = outline(r["image"], r["mask"]) if show_region else r["image"]
b1, b2, b3 = st.columns([2, 2, 3])
b1.image(target, caption=t("swap.before"), width="stretch")
b2.image(after, caption=t("swap.after"), width="stretch")
with b3:
    position = st.slider(t("swap.wipe"), 0.0, 1.0, 0.5, 0.01, key="swap_wipe")
    st.image(wipe(target, r["image"], position), width="stretch")
st.caption(t("swap.seconds", warp=f"{r['seconds']['warp']:.2f}", blend=f"{r['seconds']['blend']:.2f}"))

stem = f"{source_name.rsplit('.', 1)[0]}-on-{target_name.rsplit('.', 1)[0]}"
d1, d2 = st.columns(2)
d1.download_button(t("swap.download"), lambda: export_image(r["image"], ExportInfo(model="faceswap")),
                   f"{stem}.png", "image/png", key="swap_download", icon=":material/download:", width="stretch")
d2.button(t("swap.send"), key="swap_send", icon=":material/policy:", width="stretch",
          on_click=gallery.add, args=(r["image"], stem, "faceswap"))

st.subheader(t("swap.catch_title"))
st.caption(t("swap.catch_intro"))
if st.toggle(t("swap.catch_run"), key="swap_catch"):
    swapped_digest = hashlib.sha256(r["image"].tobytes()).hexdigest()[:16]
    with st.spinner(t("swap.catch_running")):
        before = resources.judge_pixels(digests[1], target)
        now = resources.judge_pixels(swapped_digest, r["image"])
    c1, c2 = st.columns(2)
    for col, result, image, caption in ((c1, before, target, "swap.before"), (c2, now, r["image"], "swap.after")):
        with col:
            heat = overlay_heatmap(image, result.heatmap, 0.7) if result.heatmap is not None else image
            st.image(outline(heat, r["mask"]) if image is r["image"] else heat, width="stretch")
            st.caption(t("swap.catch_unknown", which=t(caption)) if result.unknown else
                       t("swap.catch_scores", which=t(caption), p=result.detector_probability,
                         verdict=t(f"verdict.{result.verdict}")))
    st.info(t(f"swap.catch.{now.verdict}"))
    seams = seam_map(now, r["image"].shape[:2])
    if seams is not None:
        c1, _ = st.columns(2)
        c1.image(outline(overlay_seams(r["image"], seams), r["mask"]), width="stretch")
        c1.caption(t("swap.seam"))
