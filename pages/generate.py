"""Generate faces with a pretrained GAN: seeds, temperature, pinning, interpolation, downloads."""

import random

import streamlit as st

from core.imaging import UPSCALE_METHODS, hstack, make_grid, upscale
from genai import ExportInfo, export_image
from ui import gallery, resources
from ui.i18n import t
from ui.shell import ensure_shell
from ui.widgets import DISPLAY_PX, face_grid, generator_picker, zip_bytes

ensure_shell()

MAX_PINNED = 12
EXPORT_SIZES = [128, 256, 512, 1024]

st.title(t("gen.title"))
st.caption(t("gen.intro"))

st.session_state.setdefault("pinned", [])
st.session_state.setdefault("gen_seed", 0)


def toggle_pin(seed: int) -> None:
    pinned = st.session_state["pinned"]
    if seed in pinned:
        pinned.remove(seed)
    elif len(pinned) >= MAX_PINNED:
        st.toast(t("gen.pin_limit", n=MAX_PINNED))
    else:
        pinned.append(seed)


def new_seed() -> None:
    st.session_state["gen_seed"] = random.randrange(100_000)


# --- controls ---------------------------------------------------------------------------------
left, right = st.columns([1, 3])
with left:
    picked = generator_picker()
with right:
    c1, c2, c3, c4 = st.columns([2, 1.4, 2, 2], vertical_alignment="bottom")
    seed0 = c1.number_input(t("gen.seed"), min_value=0, max_value=2**31 - 1, step=1, key="gen_seed",
                            help=t("gen.seed_help"))
    c2.button(t("gen.random_seed"), on_click=new_seed, icon=":material/casino:", width="stretch")
    count = c3.slider(t("gen.count"), 1, 64, 16, key="gen_count")
    temperature = c4.slider(t("gen.temperature"), 0.1, 2.0, 1.0, 0.05, key="gen_temperature",
                            help=t("gen.temperature_help"))
    c5, c6 = st.columns(2)
    ncols = c5.slider(t("gen.columns"), 2, 12, 8, key="gen_cols")
    method = c6.radio(t("gen.display_method"), list(UPSCALE_METHODS), horizontal=True,
                      format_func=lambda m: t(f"gen.upscale.{m}"), key="gen_method")

if picked is None:
    st.stop()
gen, gen_key = picked
st.caption(t("gen.model_info", name=gen.name, size=gen.image_size, nz=gen.nz) + " · "
           + t("gen.display_note", size=gen.image_size))

seeds = list(range(int(seed0), int(seed0) + count))
faces = resources.sample_faces(gen_key, gen, tuple(seeds), temperature)
face_grid(faces, seeds, ncols, method, st.session_state["pinned"], toggle_pin)

# --- downloads of the grid ---------------------------------------------------------------------
st.divider()
st.subheader(t("gen.downloads_title"))
d1, d2, d3 = st.columns([2, 1, 1], vertical_alignment="bottom")
export_size = d1.select_slider(t("gen.export_size"), EXPORT_SIZES, value=256, key="gen_export_size",
                               help=t("gen.export_note"))
no_label = st.toggle(t("gen.no_label"), key="gen_no_label", help=t("gen.no_label_help"))
visible = not no_label
stem = f"{gen.name}-seed{seeds[0]}-{seeds[-1]}"


def grid_png() -> bytes:
    tiles = [upscale(f, export_size, method) for f in faces]
    return export_image(make_grid(tiles, ncols, pad=4), ExportInfo(model=gen.name, seed=seeds[0]),
                        visible_label=visible)


d2.download_button(t("gen.download_grid"), grid_png, f"{stem}-grid.png", "image/png", width="stretch")
# The ZIP is made on a button press, with a progress bar, in this session's own run: a download
# made on demand would be made on the server's network thread, which every browser shares.
zip_job = (gen_key, tuple(seeds), temperature, export_size, method, visible)
made_zip = st.session_state.get("gen_zip")
if made_zip is not None and made_zip[0] == zip_job:
    d3.download_button(t("gen.download_zip"), made_zip[1], f"{stem}.zip", "application/zip", width="stretch",
                       icon=":material/download:", key="gen_zip_download")
elif d3.button(t("gen.prepare_zip", n=len(seeds)), key="gen_zip_prepare", width="stretch", icon=":material/folder_zip:"):
    bar, files = st.progress(0.0), {}
    for i, (s, f) in enumerate(zip(seeds, faces), start=1):
        files[f"{gen.name}-seed{s:06d}.png"] = export_image(f, ExportInfo(gen.name, s), size=export_size,
                                                            method=method, visible_label=visible)
        bar.progress(i / len(seeds), text=t("gen.preparing_zip", i=i, n=len(seeds)))
    st.session_state["gen_zip"] = (zip_job, zip_bytes(files))
    st.rerun()

# --- pinned faces -------------------------------------------------------------------------------
st.divider()
st.subheader(t("gen.pinned_title"))
pinned = st.session_state["pinned"]
if not pinned:
    st.info(t("gen.pinned_empty"))
    st.stop()
pinned_faces = resources.sample_faces(gen_key, gen, tuple(pinned), temperature)
cols = st.columns(6)
for i, (seed, face) in enumerate(zip(pinned, pinned_faces)):
    with cols[i % len(cols)]:
        st.image(upscale(face, DISPLAY_PX, method), caption=t("gen.face_caption", seed=seed), width="stretch")
        st.download_button(
            t("gen.download_face"),
            lambda face=face, seed=seed: export_image(face, ExportInfo(gen.name, seed), size=export_size,
                                                      method=method, visible_label=visible),
            f"{gen.name}-seed{seed:06d}.png", "image/png", key=f"dl_{seed}", width="stretch",
            icon=":material/download:",
        )
        st.button(t("gen.send"), key=f"send_{seed}", on_click=gallery.add, width="stretch",
                  args=(upscale(face, export_size, method), f"{gen.name}-seed{seed}", gen.name, seed),
                  icon=":material/send:", help=t("gen.send_help"))
        st.button(t("gen.remove"), key=f"unpin_{seed}", on_click=toggle_pin, args=(seed,), width="stretch",
                  icon=":material/close:")

st.subheader(t("gen.interp_title"))
if len(pinned) < 2:
    st.info(t("gen.interp_need_two"))
    st.stop()
i1, i2, i3 = st.columns(3)
seed_a = i1.selectbox(t("gen.interp_from"), pinned, index=0, key="interp_a")
seed_b = i2.selectbox(t("gen.interp_to"), pinned, index=1, key="interp_b")
steps = i3.slider(t("gen.interp_steps"), 3, 24, 10, key="interp_steps")
st.caption(t("gen.interp_note"))
frames = resources.interpolate_faces(gen_key, gen, seed_a, seed_b, steps, temperature)
st.image(hstack([upscale(f, 128, method) for f in frames]), width="stretch")
gif = resources.morph_gif(gen_key, gen, seed_a, seed_b, steps, temperature, export_size, method)
g1, g2, g3 = st.columns([1, 1, 2])
g1.image(gif, width=min(export_size, 256))
g2.download_button(t("gen.download_gif"), gif, f"{gen.name}-{seed_a}-to-{seed_b}.gif", "image/gif",
                   width="stretch")
g2.download_button(
    t("gen.download_strip"),
    lambda: export_image(hstack([upscale(f, export_size, method) for f in frames]), ExportInfo(gen.name, seed_a),
                         visible_label=visible),
    f"{gen.name}-{seed_a}-to-{seed_b}.png", "image/png", width="stretch",
)
