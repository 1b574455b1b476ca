"""GAN Playground: the minimax game in one and two dimensions, trained live, in the lecture's terms."""

import math
from dataclasses import replace

import streamlit as st

from genai.digits import DigitsDuel, crispness, grid
from genai.playground import LOSSES, NOISES, PLAY_FRAME_S, PLAY_TIME, PRESETS, Game1D, Game1DConfig
from genai.playground2d import DATASETS, EXTENT, FAILURES, Game2D
from ui.i18n import t
from ui.playground_view import (
    LAYERS,
    algorithm_markdown,
    curves_figure,
    duel_curves,
    game2d_figure,
    game_figure,
    placed_points,
)
from ui.shell import ensure_shell

ensure_shell()

# play_after_drawing: a playing board draws the game first and trains after, so each frame's pictures
# reach the browser at once (pictures that come late in a run make the browser grey the board out as
# stale). What a frame shows is what the frame before it trained.
LRS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]

st.title(t("play.title"))
st.latex(r"\min_G \max_D V(D,G) = \mathbb{E}_{x\sim p_{data}}\left[\log D(x)\right]"
         r" + \mathbb{E}_{z\sim p_z}\left[\log\left(1 - D(G(z))\right)\right]")


def step_panel(game) -> None:
    """Algorithm 1 with the lines the last step ran marked, and that step's numbers."""
    st.markdown(f"**{t('play.alg_title')}**")
    st.markdown(algorithm_markdown(game.last))
    last = game.last
    if last is not None:
        d_real = "–" if math.isnan(last.d_real) else f"{last.d_real:.3f}"
        st.caption(t("play.step_numbers", player=t(f"play.player.{last.player}"), d_real=d_real,
                     d_fake=f"{last.d_fake:.3f}", grad=f"{last.grad_norm:.3g}", loss=f"{last.loss:.3f}"))
    st.metric(t("play.iterations"), game.iterations)


def current_game(prefix: str, config, fresh: tuple, make):
    """The session's game: a new one (``make(config)``) when ``fresh``, what defines a game (its data,
    its seed...), changed; else the same players, retuned to the other settings."""
    game = st.session_state.get(f"{prefix}_game")
    if game is None or st.session_state.get(f"{prefix}_fresh") != fresh:
        game = st.session_state[f"{prefix}_game"] = make(config)
        st.session_state[f"{prefix}_fresh"] = fresh
    elif game.config != config:
        game.retuned(loss=config.loss, k=config.k, batch=config.batch, lr_d=config.lr_d, lr_g=config.lr_g)
    return game


def step_buttons(prefix: str, config, fresh_game):
    """Train D / train G / one iteration / reset, drawn inside the board's fragment: a press while the
    game plays reruns the board only, and waits for the game's lock, never the whole page. Returns
    the session's game after the press and whether a button was pressed."""
    game = st.session_state[f"{prefix}_game"]
    b1, b2, b3, b4 = st.columns(4)
    train_d = b1.button(t("play.train_d", k=config.k), key=f"{prefix}_train_d", width="stretch")
    train_g = b2.button(t("play.train_g"), key=f"{prefix}_train_g", width="stretch")
    iterate = b3.button(t("play.iterate"), key=f"{prefix}_iterate", type="primary", width="stretch")
    reset = b4.button(t("play.reset"), key=f"{prefix}_reset", width="stretch")
    if train_d:
        game.train_d()
    if train_g:
        game.train_g()
    if iterate:
        game.iteration()
    if reset:
        game = st.session_state[f"{prefix}_game"] = fresh_game()
    return game, train_d or train_g or iterate or reset


def play_toggle(prefix: str) -> bool:
    return st.toggle(t("play.play"), key=f"{prefix}_playing", help=t("play.play_help"))


def one_d() -> None:
    st.caption(t("play.intro"))
    with st.expander(t("play.settings"), expanded=False, icon=":material/tune:"):
        c1, c2, c3, c4 = st.columns(4)
        real = c1.selectbox(t("play.real"), PRESETS, format_func=lambda p: t(f"play.real.{p}"), key="play_real")
        noise = c1.selectbox(t("play.noise"), NOISES, format_func=lambda n: t(f"play.noise.{n}"), key="play_noise")
        loss = c2.radio(t("play.loss"), LOSSES, format_func=lambda n: t(f"play.loss.{n}"), key="play_loss",
                        help=t("play.loss_help"))
        k = c2.slider(t("play.k"), 1, 10, 1, key="play_k", help=t("play.k_help"))
        lr_d = c3.select_slider(t("play.lr_d"), LRS, 0.002, key="play_lr_d")
        lr_g = c3.select_slider(t("play.lr_g"), LRS, 0.002, key="play_lr_g")
        batch = c4.select_slider(t("play.batch"), [16, 32, 64, 128, 256], 128, key="play_batch")
        seed = c4.number_input(t("play.seed"), 0, 9999, 0, key="play_seed")

    config = Game1DConfig(real=real, noise=noise, loss=loss, k=k, batch=batch, lr_d=lr_d, lr_g=lr_g, seed=int(seed))
    current_game("play", config, (real, noise, int(seed)), Game1D)
    playing = play_toggle("play")

    @st.fragment(run_every=PLAY_FRAME_S if playing else None)
    def board() -> None:
        game, pressed = step_buttons("play", config, lambda: Game1D(config))
        snap = game.snapshot()
        left, right = st.columns([3, 2])
        with left:
            st.plotly_chart(game_figure(snap), key="play_game_chart", config={"displayModeBar": False})
            st.caption(t("play.figure_caption"))
        with right:
            step_panel(game)
            m1, m2 = st.columns(2)
            m1.metric(t("play.js"), f"{snap['js']:.3f}", help=t("play.js_help"))
            m2.metric(t("play.off_half"), f"{snap['off_half']:.3f}", help=t("play.off_half_help"))
            if game.at_equilibrium():
                st.success(t("play.equilibrium"), icon=":material/balance:")
        st.plotly_chart(curves_figure(game.history), key="play_curves_chart", config={"displayModeBar": False})
        if playing and not pressed:
            game.play(PLAY_TIME.share(game))  # after drawing: see play_after_drawing

    board()


def _lesson_changed() -> None:
    """A lesson sets every control to its config (the teacher can still change them after)."""
    c = FAILURES[st.session_state.get("play2_lesson", next(iter(FAILURES)))]
    st.session_state.update(play2_data=c.data, play2_loss=c.loss, play2_k=c.k, play2_lr_d=c.lr_d,
                            play2_lr_g=c.lr_g, play2_batch=c.batch, play2_seed=c.seed)


def two_d() -> None:
    st.caption(t("play2.intro"))
    if "play2_data" not in st.session_state:  # the controls start at the first lesson's values
        _lesson_changed()
    c1, c2 = st.columns([1, 2])
    lesson = c1.selectbox(t("play2.lesson"), list(FAILURES), format_func=lambda n: t(f"play2.lesson.{n}"),
                          key="play2_lesson", on_change=_lesson_changed)
    c2.info(t(f"play2.explain.{lesson}"), icon=":material/school:")
    base = FAILURES[lesson]
    with st.expander(t("play.settings"), expanded=False, icon=":material/tune:"):
        c1, c2, c3, c4 = st.columns(4)
        # Values come from the session state the lesson set (no defaults here, so the two never disagree).
        data = c1.selectbox(t("play2.data"), DATASETS, format_func=lambda d: t(f"play2.data.{d}"), key="play2_data")
        loss = c2.radio(t("play.loss"), LOSSES, format_func=lambda n: t(f"play.loss.{n}"), key="play2_loss",
                        help=t("play.loss_help"))
        k = c2.slider(t("play.k"), 1, 20, key="play2_k", help=t("play.k_help"))
        lr_d = c3.select_slider(t("play.lr_d"), LRS, key="play2_lr_d")
        lr_g = c3.select_slider(t("play.lr_g"), LRS, key="play2_lr_g")
        batch = c4.select_slider(t("play.batch"), [32, 64, 128, 256, 512], key="play2_batch")
        seed = c4.number_input(t("play.seed"), 0, 9999, key="play2_seed")
    points: tuple = ()
    if data == "custom":
        points = placed_points("play2_canvas", EXTENT)
        if not points:
            st.info(t("play2.need_points"))
            return
    config = replace(base, data=data, points=points, loss=loss, k=k, lr_d=lr_d, lr_g=lr_g, batch=batch, seed=int(seed))
    current_game("play2", config, (lesson, data, points, int(seed)), Game2D)
    c1, c2 = st.columns([1, 4])
    with c1:
        playing = play_toggle("play2")
    layers = c2.pills(t("play2.layers"), LAYERS, selection_mode="multi", default=list(LAYERS),
                      format_func=lambda n: t(f"play2.layer.{n}"), key="play2_layers", label_visibility="collapsed")

    @st.fragment(run_every=PLAY_FRAME_S if playing else None)
    def board() -> None:
        game, pressed = step_buttons("play2", config, lambda: Game2D(config))
        snap = game.snapshot()
        left, right = st.columns([3, 2])
        with left:
            st.plotly_chart(game2d_figure(snap, set(layers or ())), key="play2_chart",
                            config={"displayModeBar": False})
        with right:
            step_panel(game)
            m1, m3, m2 = st.columns(3)
            if snap["modes"] is not None:
                m1.metric(t("play2.modes"), f"{snap['modes'][0]} / {snap['modes'][1]}", help=t("play2.modes_help"))
                m3.metric(t("play2.on_modes"), f"{snap['on_modes']:.0%}", help=t("play2.on_modes_help"))
            m2.metric(t("play2.grad"), f"{snap['grad_mean']:.3g}", help=t("play2.grad_help"))
        st.plotly_chart(curves_figure(game.history), key="play2_curves_chart", config={"displayModeBar": False})
        if playing and not pressed:
            game.play(PLAY_TIME.share(game))  # after drawing: see play_after_drawing

    board()


def images() -> None:
    st.caption(t("play3.intro"))
    c1, c2 = st.columns(2)
    c1.latex(r"\text{GAN: }\min_G \max_D \mathbb{E}_{x}\left[\log D(x)\right]"
             r" + \mathbb{E}_{z}\left[\log\left(1 - D(G(z))\right)\right]")
    c2.latex(r"\text{VAE: }\max_{\theta,\phi}\ \mathbb{E}_{q_\phi(z|x)}\left[\log p_\theta(x|z)\right]"
             r" - \mathrm{KL}\left(q_\phi(z|x)\,\|\,p(z)\right)")
    duel: DigitsDuel | None = st.session_state.get("play3_duel")
    seed = st.session_state.get("play3_seed", 0)
    if duel is None:
        duel = st.session_state["play3_duel"] = DigitsDuel(int(seed))
    b1, b2, b3, b4 = st.columns(4)
    if b1.button(t("play3.train", n=STEPS_3), key="play3_train", type="primary", width="stretch"):
        duel.train(STEPS_3)
    playing = b2.toggle(t("play.play"), key="play3_playing")
    seed = b3.number_input(t("play.seed"), 0, 9999, key="play3_seed", label_visibility="collapsed")
    if b4.button(t("play.reset"), key="play3_reset", width="stretch") or duel.seed != seed:
        duel = st.session_state["play3_duel"] = DigitsDuel(int(seed))

    @st.fragment(run_every=PLAY_FRAME_S if playing else None)
    def board() -> None:
        shown = duel.samples()
        cols = st.columns(3)
        for col, key in zip(cols, ("gan", "vae", "real")):
            col.image(grid(shown[key]), width="stretch",
                      caption=t(f"play3.caption.{key}", crisp=crispness(shown[key])))
        st.metric(t("play3.steps"), duel.steps)
        if duel.history.step:
            st.plotly_chart(duel_curves(duel.history), key="play3_curves", config={"displayModeBar": False})
        st.caption(t("play3.lesson"))
        if playing:
            duel.play(PLAY_TIME.share(duel))  # after drawing: see play_after_drawing

    board()


STEPS_3 = 100  # one click trains both models this many steps

one, two, three = st.tabs([t("play.tab.1d"), t("play.tab.2d"), t("play.tab.images")])
with one:
    one_d()
with two:
    two_d()
with three:
    images()
