"""Figures and the Algorithm-1 panel of the GAN Playground page (genai.playground draws nothing itself)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui.i18n import t

BLACK, GREEN, BLUE = "#111111", "#2ca02c", "#1f77b4"


def game_figure(snap: dict) -> go.Figure:
    """The lecture's figure (Goodfellow et al., 2014, Fig. 1): p_data as black dots, p_g green,
    D blue, D* dashed; below, lines from z to G(z)."""
    x = snap["x"]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.03)
    every = slice(None, None, 4)
    fig.add_trace(go.Scatter(x=x[every], y=snap["p_data"][every], mode="markers", name=t("play.p_data"),
                             marker=dict(color=BLACK, size=4)), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=snap["p_g"], mode="lines", name=t("play.p_g"), line=dict(color=GREEN, width=3)), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=snap["d"], mode="lines", name=t("play.d"), line=dict(color=BLUE, width=2,
                                                                                         dash="dot")), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=snap["d_star"], mode="lines", name=t("play.d_star"),
                             line=dict(color=BLUE, width=1, dash="dash"), opacity=0.6), 1, 1)
    fig.add_hline(y=0.5, line=dict(color="#999", width=1, dash="dot"), row=1, col=1)
    zx, gx = [], []
    for z, g in zip(snap["z"], snap["g_z"]):
        zx += [float(z), float(g), None]
        gx += [0.0, 1.0, None]
    fig.add_trace(go.Scatter(x=zx, y=gx, mode="lines", line=dict(color="#777", width=1), showlegend=False,
                             hoverinfo="skip"), 2, 1)
    fig.add_trace(go.Scatter(x=snap["z"], y=np.zeros_like(snap["z"]), mode="markers", name="z",
                             marker=dict(color="#777", size=5), showlegend=False), 2, 1)
    fig.update_yaxes(range=[0, max(1.05, float(np.nanmax(snap["p_data"])) * 1.15)], row=1, col=1)
    fig.update_yaxes(tickvals=[0, 1], ticktext=["z", "x"], range=[-0.15, 1.15], row=2, col=1)
    fig.update_xaxes(range=[float(x[0]), float(x[-1])])
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=1.08),
                      uirevision="game")
    return fig


LAYERS = ("heat", "real", "fake", "manifold", "gradients")
PURPLE = "#9467bd"


def game2d_figure(snap: dict, layers: set[str], extent: float) -> go.Figure:
    """GAN Lab's layered view: D's decision over the plane (blue where D says real), real samples
    (black), generated ones (purple), the generator's manifold (the z square's grid through G) and
    the generator's gradient on each of the first generated samples; ``layers`` picks which."""
    fig = go.Figure()
    if "heat" in layers:
        axis = snap["heat_axis"]
        fig.add_trace(go.Heatmap(x=axis, y=axis, z=snap["heat"], zmin=0, zmax=1, colorscale="RdBu",
                                 opacity=0.55, colorbar=dict(title="D(x)", thickness=10), hoverinfo="skip"))
    if "manifold" in layers:
        xs, ys = [], []
        for line in snap["manifold"]:
            xs += [*line[:, 0].tolist(), None]
            ys += [*line[:, 1].tolist(), None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t("play2.manifold"),
                                 line=dict(color=PURPLE, width=1), opacity=0.45, hoverinfo="skip"))
    if "real" in layers:
        fig.add_trace(go.Scatter(x=snap["real"][:, 0], y=snap["real"][:, 1], mode="markers", name=t("play2.real"),
                                 marker=dict(color=BLACK, size=4, opacity=0.7)))
    if "fake" in layers:
        fig.add_trace(go.Scatter(x=snap["fake"][:, 0], y=snap["fake"][:, 1], mode="markers", name=t("play2.fake"),
                                 marker=dict(color=PURPLE, size=5, opacity=0.8)))
    if "gradients" in layers:
        xs, ys = [], []
        for (x0, y0), (x1, y1) in zip(snap["arrows_from"], snap["arrows_to"]):
            xs += [float(x0), float(x1), None]
            ys += [float(y0), float(y1), None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t("play2.gradients"),
                                 line=dict(color="#d62728", width=1.5), hoverinfo="skip"))
    fig.update_xaxes(range=[-extent, extent], constrain="domain", showgrid=False, zeroline=False)
    fig.update_yaxes(range=[-extent, extent], scaleanchor="x", scaleratio=1, showgrid=False, zeroline=False)
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=1.06),
                      uirevision="game2d", plot_bgcolor="white")
    return fig


def curves_figure(history) -> go.Figure:
    fig = go.Figure()
    for values, key in ((history.value, "play.curve.value"), (history.d_loss, "play.curve.d_loss"),
                        (history.g_loss, "play.curve.g_loss"), (history.js, "play.curve.js")):
        if all(np.isnan(values)):  # all NaN: a curve this game does not have (2-D: no JS)
            continue
        fig.add_trace(go.Scatter(x=history.iteration, y=values, mode="lines", name=t(key), connectgaps=True))
    fig.add_hline(y=-np.log(4), line=dict(color="#999", width=1, dash="dot"),
                  annotation_text="V = −log 4", annotation_position="bottom right")
    fig.update_layout(height=260, margin=dict(l=10, r=10, t=10, b=10), xaxis_title=t("play.iteration"),
                      legend=dict(orientation="h", y=1.15), uirevision="curves")
    return fig


ALGORITHM = ["play.alg.loop", "play.alg.k", "play.alg.d_sample", "play.alg.d_update", "play.alg.g_sample",
             "play.alg.g_update"]
_ACTIVE = {"D": {1, 2, 3}, "G": {4, 5}}


def algorithm_markdown(last) -> str:
    """Algorithm 1 as numbered lines, the ones the last step executed marked."""
    active = _ACTIVE.get(last.player, set()) if last else set()
    lines = []
    for i, key in enumerate(ALGORITHM):
        text = t(key)
        lines.append(f"{i + 1}. {':orange-background[**' + text + '**]' if i in active else text}")
    return "\n".join(lines)


CANVAS = 300  # px: the square the teacher clicks points into


def placed_points(key: str, extent: float) -> tuple[tuple[float, float], ...]:
    """Points clicked into a square canvas (streamlit-drawable-canvas, point mode), in the plane's
    coordinates [-extent, extent]^2 (y up); () when none, or when the canvas is unavailable."""
    try:
        from streamlit_drawable_canvas import st_canvas

        result = st_canvas(fill_color="rgba(0, 0, 0, 0.8)", stroke_width=2, stroke_color="#000000",
                           background_color="#f4f4f4", width=CANVAS, height=CANVAS, drawing_mode="point",
                           point_display_radius=4, key=key)
    except Exception as e:  # noqa: BLE001 - a missing or broken canvas must not take the page down
        st.info(t("play2.no_canvas", detail=type(e).__name__))
        return ()
    st.caption(t("play2.canvas_help"))
    objects = (getattr(result, "json_data", None) or {}).get("objects", [])
    return canvas_points(objects, extent)


def canvas_points(objects: list[dict], extent: float, size: int = CANVAS) -> tuple[tuple[float, float], ...]:
    """The centres of the canvas' drawn objects in plane coordinates (y up), rounded to 0.01."""
    out = []
    for o in objects:
        cx = float(o.get("left", 0)) + float(o.get("width", 0)) / 2
        cy = float(o.get("top", 0)) + float(o.get("height", 0)) / 2
        out.append((round((cx / size * 2 - 1) * extent, 2), round((1 - cy / size * 2) * extent, 2)))
    return tuple(out)


def duel_curves(history) -> go.Figure:
    """The GAN's D(real) and D(fake), and the VAE's reconstruction and KL terms, over the steps."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("play3.gan_curves"), t("play3.vae_curves")))
    fig.add_trace(go.Scatter(x=history.step, y=history.d_real, name="D(x)", line=dict(color=BLACK)), 1, 1)
    fig.add_trace(go.Scatter(x=history.step, y=history.d_fake, name="D(G(z))", line=dict(color=PURPLE)), 1, 1)
    fig.add_hline(y=0.5, line=dict(color="#999", width=1, dash="dot"), row=1, col=1)
    fig.add_trace(go.Scatter(x=history.step, y=history.recon, name=t("play3.recon"), line=dict(color=BLUE)), 1, 2)
    fig.add_trace(go.Scatter(x=history.step, y=history.kl, name="KL", line=dict(color=GREEN)), 1, 2)
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_layout(height=280, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.2),
                      uirevision="duel")
    return fig
