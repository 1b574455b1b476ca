"""Plotly figures for the Detect and Report pages. Data in, figure out; the numbers come from detectors."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.i18n import t

# The legend sits below the x-axis title (not on it): plotly places y=-0.3 of the plot height lower.
_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), height=380,
               legend=dict(orientation="h", yanchor="top", y=-0.3, x=0))


def spectrum_image(log_power: np.ndarray) -> go.Figure:
    fig = go.Figure(go.Heatmap(z=log_power, colorscale="Viridis", showscale=False))
    fig.update_layout(title=t("chart.spectrum"), **_LAYOUT)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", autorange="reversed")
    return fig


def profile_band(freqs: np.ndarray, profile: np.ndarray, reference: dict | None) -> go.Figure:
    """The image's azimuthal profile over the 5-95% band of real faces (and the StyleGAN2 median)."""
    fig = go.Figure()
    if reference:
        real = reference["real"]
        fig.add_trace(go.Scatter(x=freqs, y=real["p95"], line=dict(width=0), showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=freqs, y=real["p5"], fill="tonexty", line=dict(width=0),
                                 fillcolor="rgba(46,160,67,0.25)", name=t("chart.real_band")))
        fig.add_trace(go.Scatter(x=freqs, y=reference["stylegan2"]["p50"], line=dict(dash="dot", color="#d62728"),
                                 name=t("chart.stylegan_median")))
    fig.add_trace(go.Scatter(x=freqs, y=profile, line=dict(color="#1f77b4", width=3), name=t("chart.this_image")))
    fig.update_layout(title=t("chart.profile"), xaxis_title=t("chart.frequency"), yaxis_title=t("chart.log_power"),
                      **_LAYOUT)
    return fig


def launder_curve(qualities: list[int], probs: list[float | None], bits: list[float | None]) -> go.Figure:
    """The detector's probability (gaps where it cannot judge) and the watermark's bit accuracy over JPEG qualities."""
    fig = go.Figure()
    if any(p is not None for p in probs):
        fig.add_trace(go.Scatter(x=qualities, y=probs, mode="lines+markers", name=t("chart.detector_p")))
    if any(b is not None for b in bits):
        fig.add_trace(go.Scatter(x=qualities, y=bits, mode="lines+markers", name=t("chart.bit_accuracy")))
    fig.add_hline(y=0.5, line_dash="dot", line_color="grey")
    fig.update_layout(title=t("chart.launder"), xaxis_title=t("chart.jpeg_quality"), yaxis_range=[0, 1.05],
                      xaxis_autorange="reversed", **_LAYOUT)
    return fig


def roc(curves: dict[str, dict]) -> go.Figure:
    fig = go.Figure()
    for name, c in curves.items():
        fig.add_trace(go.Scatter(x=c["fpr"], y=c["tpr"], mode="lines", name=f"{name} (AUC {c['auc']:.3f})"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="grey"), showlegend=False))
    fig.update_layout(title=t("chart.roc"), xaxis_title=t("chart.fpr"), yaxis_title=t("chart.tpr"), **_LAYOUT)
    return fig


def precision_recall(curves: dict[str, dict]) -> go.Figure:
    fig = go.Figure()
    for name, c in curves.items():
        fig.add_trace(go.Scatter(x=c["recall"], y=c["precision"], mode="lines", name=f"{name} (AP {c['ap']:.3f})"))
    fig.update_layout(title=t("chart.pr"), xaxis_title=t("chart.recall"), yaxis_title=t("chart.precision"),
                      yaxis_range=[0, 1.02], **_LAYOUT)
    return fig


def confusion(matrix: dict) -> go.Figure:
    z = [[matrix["tn"], matrix["fp"]], [matrix["fn"], matrix["tp"]]]
    labels = [t("verdict.real"), t("verdict.fake")]
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, colorscale="Blues", showscale=False, text=z,
                               texttemplate="%{text}"))
    fig.update_layout(title=t("chart.confusion"), xaxis_title=t("chart.predicted"), yaxis_title=t("chart.truth"),
                      **_LAYOUT)
    fig.update_yaxes(autorange="reversed")
    return fig


def reliability(bins: list[dict]) -> go.Figure:
    shown = [b for b in bins if b["count"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[b["predicted"] for b in shown], y=[b["observed"] for b in shown], width=0.08,
                         name=t("chart.observed"), customdata=[b["count"] for b in shown],
                         hovertemplate="%{x:.2f} → %{y:.2f} (n=%{customdata})"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="grey"),
                             name=t("chart.perfect")))
    fig.update_layout(title=t("chart.reliability"), xaxis_title=t("chart.predicted_p"),
                      yaxis_title=t("chart.observed_share"), xaxis_range=[0, 1], yaxis_range=[0, 1], **_LAYOUT)
    return fig
