"""Figures and the Algorithm-1 panel of the GAN Playground page (genai.playground draws nothing itself)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ui.i18n import t

BLACK, GREEN, BLUE = "#111111", "#2ca02c", "#1f77b4"


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, built without Plotly's per-property validation:
    the page redraws several times a second, and validating (and make_subplots) cost more than
    the game's step. The dicts here are fixed and tested, so there is nothing to validate."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _hline(y: float, axes: str = "") -> dict:
    """A dotted horizontal line at ``y`` across one plot (``axes`` "" for the first, "2" for the second)."""
    return {"type": "line", "xref": f"x{axes} domain", "x0": 0, "x1": 1, "yref": f"y{axes}", "y0": y, "y1": y,
            "line": {"color": "#999", "width": 1, "dash": "dot"}}


def game_figure(snap: dict) -> go.Figure:
    """The lecture's figure (Goodfellow et al., 2014, Fig. 1): p_data as black dots, p_g green,
    D blue, D* dashed; below (a second y-axis sharing x), lines from z to G(z)."""
    x = snap["x"]
    every = slice(None, None, 4)
    zx, gx = _segments([(z, 0.0) for z in snap["z"]], [(g, 1.0) for g in snap["g_z"]])
    data = [
        {"type": "scatter", "x": x[every], "y": snap["p_data"][every], "mode": "markers", "name": t("play.p_data"),
         "marker": {"color": BLACK, "size": 4}},
        {"type": "scatter", "x": x, "y": snap["p_g"], "mode": "lines", "name": t("play.p_g"),
         "line": {"color": GREEN, "width": 3}},
        {"type": "scatter", "x": x, "y": snap["d"], "mode": "lines", "name": t("play.d"),
         "line": {"color": BLUE, "width": 2, "dash": "dot"}},
        {"type": "scatter", "x": x, "y": snap["d_star"], "mode": "lines", "name": t("play.d_star"),
         "line": {"color": BLUE, "width": 1, "dash": "dash"}, "opacity": 0.6},
        {"type": "scatter", "x": zx, "y": gx, "mode": "lines", "line": {"color": "#777", "width": 1},
         "showlegend": False, "hoverinfo": "skip", "xaxis": "x", "yaxis": "y2"},
        {"type": "scatter", "x": snap["z"], "y": np.zeros_like(snap["z"]), "mode": "markers", "name": "z",
         "marker": {"color": "#777", "size": 5}, "showlegend": False, "xaxis": "x", "yaxis": "y2"},
    ]
    top = max(1.05, float(np.nanmax(snap["p_data"])) * 1.15)
    layout = {
        "height": 460, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "legend": {"orientation": "h", "y": 1.08},
        "uirevision": "game", "shapes": [_hline(0.5)],
        "xaxis": {"range": [float(x[0]), float(x[-1])], "anchor": "y2"},
        "yaxis": {"domain": [0.25, 1.0], "range": [0, top]},
        "yaxis2": {"domain": [0.0, 0.2], "range": [-0.15, 1.15], "tickvals": [0, 1], "ticktext": ["z", "x"]},
    }
    return _figure(data, layout)


LAYERS = ("heat", "real", "fake", "manifold", "gradients")
PURPLE = "#9467bd"
# D over the plane: red where it says generated (0), white at 1/2, blue where it says real (1). Spelled
# out, because plotly.js and plotly.py disagree on which end of a named "RdBu" is red.
D_SCALE = [[0.0, "#b2182b"], [0.5, "#f7f7f7"], [1.0, "#2166ac"]]


def _segments(starts, ends) -> tuple[list, list]:
    xs, ys = [], []
    for (x0, y0), (x1, y1) in zip(starts, ends):
        xs += [float(x0), float(x1), None]
        ys += [float(y0), float(y1), None]
    return xs, ys


def game2d_figure(snap: dict, layers: set[str]) -> go.Figure:
    """GAN Lab's layered view: D's decision over the plane (blue where D says real), real samples
    (black), generated ones (purple), the generator's manifold (the z square's grid through G) and
    the generator's gradient on each of the first generated samples; ``layers`` picks which."""
    data = []
    if "heat" in layers:
        axis = snap["heat_axis"]
        data.append({"type": "heatmap", "x": axis, "y": axis, "z": snap["heat"], "zmin": 0, "zmax": 1,
                     "colorscale": D_SCALE, "opacity": 0.55, "colorbar": {"title": {"text": "D(x)"}, "thickness": 10},
                     "hoverinfo": "skip"})
    if "manifold" in layers:
        xs, ys = [], []
        for line in snap["manifold"]:
            xs += [*line[:, 0].tolist(), None]
            ys += [*line[:, 1].tolist(), None]
        data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": t("play2.manifold"),
                     "line": {"color": PURPLE, "width": 1}, "opacity": 0.45, "hoverinfo": "skip"})
    if "real" in layers:
        data.append({"type": "scatter", "x": snap["real"][:, 0], "y": snap["real"][:, 1], "mode": "markers",
                     "name": t("play2.real"), "marker": {"color": BLACK, "size": 4, "opacity": 0.7}})
    if "fake" in layers:
        data.append({"type": "scatter", "x": snap["fake"][:, 0], "y": snap["fake"][:, 1], "mode": "markers",
                     "name": t("play2.fake"), "marker": {"color": PURPLE, "size": 5, "opacity": 0.8}})
    if "gradients" in layers:
        xs, ys = _segments(snap["arrows_from"], snap["arrows_to"])
        data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": t("play2.gradients"),
                     "line": {"color": "#d62728", "width": 1.5}, "hoverinfo": "skip"})
    extent = snap["view"]  # grows with the generated samples: a runaway generator stays in sight
    axis = {"range": [-extent, extent], "showgrid": False, "zeroline": False}
    layout = {"height": 520, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "legend": {"orientation": "h", "y": 1.06},
              "uirevision": f"game2d-{extent}", "plot_bgcolor": "white", "xaxis": {**axis, "constrain": "domain"},
              "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1}}
    return _figure(data, layout)


def curves_figure(history) -> go.Figure:
    data = []
    for values, key in ((history.value, "play.curve.value"), (history.d_loss, "play.curve.d_loss"),
                        (history.g_loss, "play.curve.g_loss"), (history.js, "play.curve.js")):
        if all(np.isnan(values)):  # all NaN: a curve this game does not have (2-D: no JS)
            continue
        data.append({"type": "scatter", "x": history.iteration, "y": values, "mode": "lines", "name": t(key),
                     "connectgaps": True})
    layout = {"height": 260, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "xaxis": {"title": {"text": t("play.iteration")}},
              "legend": {"orientation": "h", "y": 1.15}, "uirevision": "curves", "shapes": [_hline(-np.log(4))],
              "annotations": [{"xref": "paper", "x": 1, "y": -np.log(4), "text": "V = −log 4", "showarrow": False,
                               "xanchor": "right", "yanchor": "top", "font": {"size": 10, "color": "#777"}}]}
    return _figure(data, layout)


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
    st.caption(t("play2.canvas_help"))
    try:
        from ui.widgets import canvas

        result = canvas(key, fill_color="rgba(0, 0, 0, 0.8)", stroke_width=2, stroke_color="#000000",
                        background_color="#f4f4f4", width=CANVAS, height=CANVAS, drawing_mode="point",
                        point_display_radius=4)
    except Exception as e:  # noqa: BLE001 - a missing or broken canvas must not take the page down
        st.info(t("play2.no_canvas", detail=type(e).__name__))
        return ()
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
    """The GAN's D(real) and D(fake) (left), and the VAE's reconstruction and KL terms (right), over the steps."""
    left, right = {"xaxis": "x", "yaxis": "y"}, {"xaxis": "x2", "yaxis": "y2"}
    data = [
        {"type": "scatter", "x": history.step, "y": history.d_real, "name": "D(x)", "line": {"color": BLACK}, **left},
        {"type": "scatter", "x": history.step, "y": history.d_fake, "name": "D(G(z))", "line": {"color": PURPLE},
         **left},
        {"type": "scatter", "x": history.step, "y": history.recon, "name": t("play3.recon"), "line": {"color": BLUE},
         **right},
        {"type": "scatter", "x": history.step, "y": history.kl, "name": "KL", "line": {"color": GREEN}, **right},
    ]
    title = {"xref": "paper", "yref": "paper", "y": 1.0, "yanchor": "bottom", "showarrow": False}
    layout = {"height": 280, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "legend": {"orientation": "h", "y": -0.2},
              "uirevision": "duel", "shapes": [_hline(0.5)],
              "xaxis": {"domain": [0, 0.45], "anchor": "y"}, "yaxis": {"range": [0, 1], "anchor": "x"},
              "xaxis2": {"domain": [0.55, 1], "anchor": "y2"}, "yaxis2": {"anchor": "x2"},
              "annotations": [{**title, "x": 0.225, "text": t("play3.gan_curves")},
                              {**title, "x": 0.775, "text": t("play3.vae_curves")}]}
    return _figure(data, layout)
