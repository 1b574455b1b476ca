"""The Real-or-fake quiz's pieces: the round's picture, the reveal, the score chart and its lesson."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from detectors.evidence import overlay_heatmap
from genai.quiz import Answer, Item, lesson, right, tally
from ui.i18n import current_language, t

SHOWN = 320  # px: quiz faces (128 px) are shown enlarged


def reveal(item: Item, judged: dict, said: str | None = None, detector: str | None = None) -> None:
    """The truth, what kind of fake, the detector's verdict with its heatmap, and what gave it away.

    ``detector`` is the detector's answer this round as the score counts it ("fake", "real" or
    "none"; default: its answer on this image alone, ``judged["answer"]``): a pair round passes its
    forced choice, so the sentence and the scoreboard follow one rule, :func:`genai.quiz.right`."""
    kind = item.kind
    truth = t("quiz.truth.fake", kind=t(f"quiz.kind.{kind}")) if item.fake else t("quiz.truth.real")
    if said is not None:
        ok = right(item, said)
        (st.success if ok else st.error)(t("quiz.you_right" if ok else "quiz.you_wrong") + " " + truth)
    else:
        st.info(truth)
    left, side = st.columns(2)
    with left:
        if judged["abstained"]:
            st.caption(t("quiz.detector_none"))
        else:
            st.image(overlay_heatmap(judged["image"], judged["heatmap"], 0.6), width=SHOWN * 5 // 8,
                     caption=t("quiz.detector_said", verdict=t(f"verdict.{judged['verdict']}"), p=judged["p"]))
    with side:
        st.markdown(t(f"quiz.giveaway.{kind}"))
        st.caption(t("quiz.detector_right" if right(item, detector or judged["answer"]) else "quiz.detector_wrong"))


def score_chart(answers: Sequence[Answer], who: str = "player", big: bool = False) -> go.Figure:
    """Share right per kind of image, the player (``who`` "player", or "class": the class majority)
    beside the detector; ``big`` sizes it for a projector (tall, large type)."""
    rows = tally(answers)
    kinds = list(rows)
    labels = [t(f"quiz.kind.{k}") for k in kinds]
    fig = go.Figure()
    for side, name, colour in (("player", t(f"quiz.who.{who}"), "#1f77b4"), ("detector", t("quiz.who.detector"),
                                                                              "#ff7f0e")):
        fig.add_trace(go.Bar(x=labels, y=[rows[k][side] / rows[k]["n"] for k in kinds], name=name,
                             marker_color=colour, text=[f"{rows[k][side]}/{rows[k]['n']}" for k in kinds],
                             textposition="auto"))
    fig.update_layout(barmode="group", height=520 if big else 300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      font={"size": 22 if big else 13}, yaxis={"tickformat": ".0%", "range": [0, 1.05]},
                      legend={"orientation": "h", "y": 1.12})
    return fig


def lesson_text(answers: Sequence[Answer], who: str = "player") -> str:
    """One or two sentences drawn from the results, e.g. "you beat the detector on DCGAN faces"
    (``who`` "class": "the class beat...")."""
    comma = "、" if current_language() == "zh" else ", "
    prefix = "quiz.lesson." if who == "player" else "quiz.class_lesson."
    parts = [t(f"{prefix}{key}", kinds=comma.join(t(f"quiz.kind.{k}") for k in kinds))
             for key, kinds in lesson(answers).items() if kinds]
    return " ".join(parts) + " " + t("quiz.lesson.moral")


def class_answers(items: Sequence[Item], totals: Sequence, detector: Sequence[str]) -> list[Answer]:
    """The class's rounds as answers: the majority's ("fake" when more than half said fake, "real"
    otherwise, "none" when nobody answered) against the detector's."""
    out = []
    for item, tot, det in zip(items, totals, detector):
        said = "none" if not tot or not tot.answered else "fake" if tot.said_fake * 2 > tot.answered else "real"
        out.append(Answer(item, said, det))
    return out


def join_panel(code: str) -> None:
    """Where students go, for a projector: the room code, large, a QR code of the address that joins
    the room directly, and the address itself (this server's network address, not "localhost")."""
    from core.network import class_url

    base = st.get_option("server.baseUrlPath").strip("/")
    url, reachable = class_url(st.context.headers.get("Host"), int(st.get_option("server.port")),
                               f"{base + '/' if base else ''}quiz?room={code}")
    st.markdown(f"<div style='font-size:1.2rem'>{t('quiz.room_code_label')}</div>"
                f"<div style='font-size:4.5rem;font-weight:800;letter-spacing:0.15em;line-height:1.1'>{code}</div>",
                unsafe_allow_html=True)
    st.image(qr_png(url), width=300)
    st.markdown(t("quiz.join_at", url=url))
    if not reachable:
        st.warning(t("quiz.no_lan"), icon=":material/wifi_off:")


@st.cache_data(show_spinner=False, max_entries=64)
def qr_png(text: str) -> bytes:
    """A QR code of ``text`` as a PNG (black on white, a quiet zone of 4 modules as the standard asks)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=10, border=4)
    return buf.getvalue()
