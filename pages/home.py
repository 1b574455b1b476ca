"""Home: the lecture's loop (generate -> alter -> detect -> measure) with links to each step."""

import streamlit as st

from core.imaging import make_grid, upscale
from ui import resources
from ui.i18n import t
from ui.shell import ensure_shell, page_exists, page_title

ensure_shell()

# Each step of the loop: (title key, text key, page files it links to).
STEPS = [
    ("home.step1", "home.step1_text", ["pages/generate.py"]),
    ("home.step2", "home.step2_text", ["pages/inpaint.py", "pages/faceswap.py"]),
    ("home.step3", "home.step3_text", ["pages/detect.py"]),
    ("home.step4", "home.step4_text", ["pages/report.py"]),
]

st.title(t("home.title"))
st.markdown(t("home.lead"))
st.latex(r"\min_G \max_D V(D,G) = \mathbb{E}_{x}\left[\log D(x)\right]"
         r" + \mathbb{E}_{z}\left[\log\left(1 - D(G(z))\right)\right]")
st.caption(t("home.minimax"))

gen = resources.face_generator("dcgan-digiface")
faces = resources.sample_faces(gen.name, gen, tuple(range(8)), 1.0)
st.image(make_grid([upscale(f, 128, "bicubic") for f in faces], ncols=8, pad=4),
         caption=t("home.sample_caption"), width="stretch")

st.subheader(t("home.loop"))
for col, (title, text, links) in zip(st.columns(len(STEPS)), STEPS):
    with col.container(border=True):
        st.markdown(f"**{t(title)}**")
        st.write(t(text))
        for page in links:
            label = t("home.open") if len(links) == 1 else t(page_title(page))
            if page_exists(page):
                st.page_link(page, label=label, icon=":material/arrow_forward:")
            else:
                st.caption(t("home.not_yet"))

st.subheader(t("home.rules_title"))
st.info(t("home.rules"))
for col, page in zip(st.columns(3), ("pages/playground.py", "pages/quiz.py", "pages/rules.py")):
    col.page_link(page, label=t(page_title(page)), icon=":material/arrow_forward:")
