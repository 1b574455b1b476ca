"""GAN Playground: the minimax game in one dimension, trained live, in the lecture's terms."""

import math

import streamlit as st

from genai.playground import LOSSES, NOISES, PRESETS, Game1D, Game1DConfig
from ui.i18n import t
from ui.playground_view import algorithm_markdown, curves_figure, game_figure
from ui.shell import ensure_shell

ensure_shell()

FRAME_S = 0.25  # play: one frame every FRAME_S seconds
PER_FRAME = 5  # iterations of Algorithm 1 per frame

st.title(t("play.title"))
st.caption(t("play.intro"))
st.latex(r"\min_G \max_D V(D,G) = \mathbb{E}_{x\sim p_{data}}\left[\log D(x)\right]"
         r" + \mathbb{E}_{z\sim p_z}\left[\log\left(1 - D(G(z))\right)\right]")

with st.expander(t("play.settings"), expanded=False, icon=":material/tune:"):
    c1, c2, c3, c4 = st.columns(4)
    real = c1.selectbox(t("play.real"), PRESETS, format_func=lambda p: t(f"play.real.{p}"), key="play_real")
    noise = c1.selectbox(t("play.noise"), NOISES, format_func=lambda n: t(f"play.noise.{n}"), key="play_noise")
    loss = c2.radio(t("play.loss"), LOSSES, format_func=lambda n: t(f"play.loss.{n}"), key="play_loss",
                    help=t("play.loss_help"))
    k = c2.slider(t("play.k"), 1, 10, 1, key="play_k", help=t("play.k_help"))
    lr_d = c3.select_slider(t("play.lr_d"), [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05], 0.002, key="play_lr_d")
    lr_g = c3.select_slider(t("play.lr_g"), [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05], 0.002, key="play_lr_g")
    batch = c4.select_slider(t("play.batch"), [16, 32, 64, 128, 256], 128, key="play_batch")
    seed = c4.number_input(t("play.seed"), 0, 9999, 0, key="play_seed")

config = Game1DConfig(real=real, noise=noise, loss=loss, k=k, batch=batch, lr_d=lr_d, lr_g=lr_g, seed=int(seed))
game: Game1D | None = st.session_state.get("play_game")
fresh = (real, noise, int(seed))  # a new game when the data, the noise or the seed change
if game is None or st.session_state.get("play_fresh") != fresh:
    game = st.session_state["play_game"] = Game1D(config)
    st.session_state["play_fresh"] = fresh
elif game.config != config:
    game.retuned(loss=loss, k=k, batch=batch, lr_d=lr_d, lr_g=lr_g)

b1, b2, b3, b4, b5 = st.columns(5)
if b1.button(t("play.train_d", k=k), key="play_train_d", width="stretch"):
    game.train_d()
if b2.button(t("play.train_g"), key="play_train_g", width="stretch"):
    game.train_g()
if b3.button(t("play.iterate"), key="play_iterate", type="primary", width="stretch"):
    game.iteration()
playing = b4.toggle(t("play.play"), key="play_playing")
if b5.button(t("play.reset"), key="play_reset", width="stretch"):
    game = st.session_state["play_game"] = Game1D(config)


@st.fragment(run_every=FRAME_S if playing else None)
def board() -> None:
    if playing:
        game.iteration(PER_FRAME)
    snap = game.snapshot()
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(game_figure(snap), key="play_game_chart", config={"displayModeBar": False})
        st.caption(t("play.figure_caption"))
    with right:
        st.markdown(f"**{t('play.alg_title')}**")
        st.markdown(algorithm_markdown(game.last))
        last = game.last
        if last is not None:
            d_real = "–" if math.isnan(last.d_real) else f"{last.d_real:.3f}"
            st.caption(t("play.step_numbers", player=t(f"play.player.{last.player}"), d_real=d_real,
                         d_fake=f"{last.d_fake:.3f}", grad=f"{last.grad_norm:.3g}", loss=f"{last.loss:.3f}"))
        st.metric(t("play.iterations"), game.iterations)
        m1, m2 = st.columns(2)
        m1.metric(t("play.js"), f"{snap['js']:.3f}", help=t("play.js_help"))
        m2.metric(t("play.off_half"), f"{snap['off_half']:.3f}", help=t("play.off_half_help"))
        if game.at_equilibrium():
            st.success(t("play.equilibrium"), icon=":material/balance:")
    st.plotly_chart(curves_figure(game.history), key="play_curves_chart", config={"displayModeBar": False})


board()
st.caption(t("play.next"))
