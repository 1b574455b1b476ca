"""Figures and the Algorithm-1 panel of the GAN Playground page (genai.playground draws nothing itself)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
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


def curves_figure(history) -> go.Figure:
    fig = go.Figure()
    for values, key in ((history.value, "play.curve.value"), (history.d_loss, "play.curve.d_loss"),
                        (history.g_loss, "play.curve.g_loss"), (history.js, "play.curve.js")):
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
