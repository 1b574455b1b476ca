"""The Real-or-fake quiz's pieces: the round's picture, the reveal, the score chart and its lesson."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from detectors.evidence import overlay_heatmap
from genai.quiz import Answer, Item, lesson, tally
from ui.i18n import current_language, t

SHOWN = 320  # px: quiz faces (128 px) are shown enlarged


def reveal(item: Item, judged: dict, said: str | None = None) -> None:
    """The truth, what kind of fake, the detector's verdict with its heatmap, and what gave it away."""
    kind = item.kind
    truth = t("quiz.truth.fake", kind=t(f"quiz.kind.{kind}")) if item.fake else t("quiz.truth.real")
    if said is not None:
        right = (said == "fake") == item.fake
        (st.success if right else st.error)(t("quiz.you_right" if right else "quiz.you_wrong") + " " + truth)
    else:
        st.info(truth)
    left, right = st.columns(2)
    with left:
        if judged["abstained"]:
            st.caption(t("quiz.detector_none"))
        else:
            st.image(overlay_heatmap(judged["image"], judged["heatmap"], 0.6), width=SHOWN * 5 // 8,
                     caption=t("quiz.detector_said", verdict=t(f"verdict.{judged['verdict']}"), p=judged["p"]))
    with right:
        st.markdown(t(f"quiz.giveaway.{kind}"))
        detector_right = judged["answer"] != "none" and (judged["answer"] == "fake") == item.fake
        st.caption(t("quiz.detector_right" if detector_right else "quiz.detector_wrong"))


def score_chart(answers: Sequence[Answer]) -> go.Figure:
    """Share right per kind of image, the player beside the detector."""
    rows = tally(answers)
    kinds = list(rows)
    labels = [t(f"quiz.kind.{k}") for k in kinds]
    fig = go.Figure()
    for who, colour in (("player", "#1f77b4"), ("detector", "#ff7f0e")):
        fig.add_trace(go.Bar(x=labels, y=[rows[k][who] / rows[k]["n"] for k in kinds], name=t(f"quiz.who.{who}"),
                             marker_color=colour, text=[f"{rows[k][who]}/{rows[k]['n']}" for k in kinds],
                             textposition="auto"))
    fig.update_layout(barmode="group", height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"tickformat": ".0%", "range": [0, 1.05]}, legend={"orientation": "h", "y": 1.12})
    return fig


def lesson_text(answers: Sequence[Answer]) -> str:
    """One or two sentences drawn from the results, e.g. "you beat the detector on DCGAN faces"."""
    comma = "、" if current_language() == "zh" else ", "
    parts = [t(f"quiz.lesson.{key}", kinds=comma.join(t(f"quiz.kind.{k}") for k in kinds))
             for key, kinds in lesson(answers).items() if kinds]
    return " ".join(parts) + " " + t("quiz.lesson.moral")
