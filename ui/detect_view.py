"""Rendering of detection results: verdict, evidence pictures, provenance panel, batch table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from detectors import DetectionResult
from detectors.evidence import draw_faces, overlay_heatmap
from ui.i18n import t


def table_row(name: str, analysis: dict, threshold: float) -> dict:
    """One row of the batch table for an analysed upload (resources.analyse), at ``threshold``."""
    if analysis["error"]:
        message = t(f"error.image.{analysis['error']}", name=name)
        return {"thumbnail": None, "file": name, "verdict": "–", "probability": None, "faces": None,
                "decided_by": "–", "provenance": "–", "notes": message}
    r = analysis["result"]
    prov = r.provenance or {}
    found = [k for k in ("tc260", "watermark") if prov.get(k, {}).get("status") == "found"]
    return {
        "thumbnail": analysis["thumbnail"],
        "file": name,
        "verdict": t(f"verdict.{r.verdict_at(threshold)}"),
        "probability": None if r.unknown else round(r.fake_probability, 4),
        "faces": len(r.faces),
        "decided_by": "–" if r.unknown else t(f"det.by.{r.decided_by}"),
        "provenance": ", ".join(t(f"det.prov.{k}") for k in found) or "–",
        "notes": "; ".join(t(f"det.note.{n}") for n in analysis["notes"]),
    }


def verdict_block(result: DetectionResult, threshold: float) -> None:
    """The verdict in words, the probability as a bar, and what decided it; when the detector
    abstains, why, and no number."""
    if result.unknown:
        st.info(t(f"det.says.unknown.{result.abstained}"), icon=":material/help:")
        return
    p = result.fake_probability
    v = result.verdict_at(threshold)
    if result.decided_by == "detector":
        {"real": st.success, "fake": st.error, "uncertain": st.warning}[v](t(f"det.says.{v}", p=p))
        st.progress(min(max(p, 0.0), 1.0), text=t("det.probability", p=p))
        st.caption(" ".join([judged_text(result), evidence_text(result, v), t("det.decided.detector"),
                             image_also(result, threshold)]).strip())
        return
    # A label decided: its verdict is not the pixels'. Both are shown side by side, and which decided.
    values = label_values(result.provenance or {})
    st.error(t(f"det.says.label.{result.decided_by}", **values))
    pixels, label = st.columns(2, border=True)
    pixels.markdown(pixels_say(result, threshold))
    pixels.caption(judged_text(result))
    label.markdown(t(f"det.label_says.{result.decided_by}", **values))
    st.caption(t("det.decided_note", by=t(f"det.by.{result.decided_by}"), p=p))


def judged_text(result: DetectionResult) -> str:
    """Which branch judged the pixels, and on what."""
    if result.abstained:
        return ""
    tiles = result.image.tiles if result.image is not None else 0
    key = "whole_image_unfamiliar" if result.judged == "whole_image" and result.unfamiliar_faces else result.judged
    return t(f"det.judged.{key}", n=len(result.faces), tiles=tiles)


def evidence_text(result: DetectionResult, verdict: str) -> str:
    """Which evidence made a face suspicious (a generator's traces, a seam, a repair), when it is."""
    if result.evidence is None or verdict == "real":  # evidence: set only when a face decided
        return ""
    return t(f"det.evidence.{result.evidence}")


def image_also(result: DetectionResult, threshold: float) -> str:
    """What the image branch said, when the face branch decided."""
    reading = result.image
    if result.judged != "faces" or result.abstained or reading is None or reading.probability is None:
        return ""
    return t("det.image_also", verdict=t(f"verdict.{reading.verdict_at(threshold)}"), p=reading.probability)


def pixels_say(result: DetectionResult, threshold: float) -> str:
    """One line: what the pixels alone say (the verdict at ``threshold`` and its probability), or why they say nothing."""
    if result.abstained:
        return t("det.pixels_say_unknown", reason=t(f"det.abstained.{result.abstained}"))
    q = result.detector_probability
    return t("det.pixels_say", verdict=t(f"verdict.{result.verdict_at(threshold, q)}"), p=q)


def evidence_pictures(image: np.ndarray, result: DetectionResult, threshold: float, opacity: float) -> None:
    left, right = st.columns(2)
    boxes = draw_faces(image, result, lambda p: result.verdict_at(threshold, p))
    left.image(boxes, caption=t("det.original" if result.faces else "det.original_no_faces"), width="stretch")
    if result.unknown:
        right.caption(t("det.no_heatmap"))
    else:
        caption = t("det.overlay_tiles" if result.judged == "whole_image" else "det.overlay")
        right.image(overlay_heatmap(image, result.heatmap, opacity), caption=caption, width="stretch")
    if result.faces:
        st.markdown(f"**{t('det.faces_title')}**")
        cols = st.columns(6)
        for i, face in enumerate(result.faces[:12]):
            x0, y0, x1, y1 = face.box
            crop = image[max(0, y0) : y1, max(0, x0) : x1]
            if crop.size:
                if not face.familiar:
                    caption = t("det.face_unfamiliar", i=i + 1)
                elif face.gan_d_probability is None:
                    caption = t("det.face_caption", i=i + 1, p=face.fake_probability)
                else:
                    caption = t("det.face_caption_gan_d", i=i + 1, p=face.fake_probability, g=face.gan_d_probability)
                cols[i % len(cols)].image(crop, caption=caption, width="stretch")
        if any(face.gan_d_probability is not None for face in result.faces):
            st.caption(t("det.gan_d_note"))


PROVENANCE = ("c2pa", "iptc", "tc260", "watermark", "registry", "hints")


def label_values(provenance: dict) -> dict:
    """The words a C2PA or IPTC label's sentences need, in the user's language."""
    from genai.provenance import C2PA_TRUST_DATE

    c2pa, iptc = provenance.get("c2pa") or {}, provenance.get("iptc") or {}
    problems = [p.split(":")[0] for p in c2pa.get("problems") or [] if "untrusted" not in p]
    return {"signer": c2pa.get("signer") or "–", "name": c2pa.get("common_name") or "–",
            "generator": c2pa.get("claim_generator") or "–", "date": C2PA_TRUST_DATE,
            "trust": t(f"det.c2pa.trust.{c2pa['trust']}") if c2pa.get("trust") else "–",
            "claim": t(f"det.c2pa.claim.{c2pa.get('claim') or 'none'}"),
            "problem": ", ".join(problems[:2]) or "–",
            "code": iptc.get("source_type") or "–", "iptc_claim": t(f"det.c2pa.claim.{iptc.get('claim') or 'none'}")}


def provenance_says(key: str, item: dict) -> str:
    """One sentence, in the user's language, on what a provenance check found and what it means."""
    status = item.get("status", "not_checked")
    if key == "registry" and status in ("found", "similar"):
        return t(f"det.prov.says.registry.{item.get('match') if status == 'found' else 'similar'}",
                 what=export_text(item.get("record") or {}))
    if status not in ("found", "not_found", "damaged"):
        return t("det.prov.status.not_checked")
    values: dict = {}
    if status == "found" and key == "c2pa":
        return t(f"det.prov.says.c2pa.{item['trust']}", **label_values({"c2pa": item}))
    if status == "found" and key == "iptc":
        values = label_values({"iptc": item})
        values["claim"] = values["iptc_claim"]
    elif status == "found" and key == "tc260":
        integrity = item.get("integrity") if item.get("integrity") in ("match", "mismatch") else "unknown"
        values = {"producer": (item.get("fields") or {}).get("ContentProducer") or "–",
                  "integrity": t(f"det.prov.integrity.{integrity}")}
    elif status == "found" and key == "hints":
        pairs = {**(item.get("exif") or {}), **(item.get("text") or {})}
        values = {"text": "; ".join(f"{k}: {v}" for k, v in list(pairs.items())[:4]) or "–"}
    return t(f"det.prov.says.{key}.{status}", **values)


def export_text(record: dict) -> str:
    """What an export-log row says, in words: model, seed where there was one, and when (UTC)."""
    parts = [record.get("model") or "–"]
    if record.get("seed") is not None:
        parts.append(t("det.prov.seed", seed=record["seed"]))
    if record.get("created"):
        parts.append(str(record["created"])[:16].replace("T", " ") + " UTC")
    return ", ".join(parts)


def provenance_panel(report: dict | None) -> None:
    """What each provenance check found, in plain words; the raw reports behind a closed expander."""
    if not report:
        return
    st.markdown(f"**{t('det.provenance')}**")
    for key in PROVENANCE:
        item = report.get(key, {})
        found = item.get("status") == "found"
        icon = ":material/check_circle:" if found else ":material/radio_button_unchecked:"
        st.markdown(f"{icon} **{t(f'det.prov.{key}')}** · {provenance_says(key, item)}")
    st.caption(t("det.prov.note"))
    with st.expander(t("det.prov.raw"), expanded=False):
        st.json({key: report.get(key, {}) for key in PROVENANCE}, expanded=False)


def results_table(rows: list[dict]) -> pd.DataFrame:
    """The batch summary as a DataFrame (one row per upload, in upload order)."""
    frame = pd.DataFrame(rows)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        placeholder="–",  # an unreadable file has no picture, probability or faces: a dash, not "None"
        column_config={
            "thumbnail": st.column_config.ImageColumn(t("det.col.thumbnail"), width="small"),
            "probability": st.column_config.ProgressColumn(t("det.col.probability"), min_value=0.0, max_value=1.0,
                                                           format="percent"),
            "file": st.column_config.TextColumn(t("det.col.file")),
            "verdict": st.column_config.TextColumn(t("det.col.verdict")),
            "faces": st.column_config.NumberColumn(t("det.col.faces")),
            "decided_by": st.column_config.TextColumn(t("det.col.evidence")),
            "provenance": st.column_config.TextColumn(t("det.col.provenance")),
            "notes": st.column_config.TextColumn(t("det.col.notes")),
        },
    )
    return frame


def table_downloads(frame: pd.DataFrame) -> None:
    frame = frame.drop(columns=["thumbnail"], errors="ignore")  # pictures stay on the page
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(t("det.download_csv"), frame.to_csv(index=False).encode("utf-8"), "deepfake-lab-results.csv",
                       "text/csv", icon=":material/download:")
    c2.download_button(t("det.download_json"),
                       json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=1).encode("utf-8"),
                       "deepfake-lab-results.json", "application/json", icon=":material/download:")


def frequency_panel(image: np.ndarray, result: DetectionResult) -> None:
    """Log power spectrum of what the detector judged, and its profile against real faces."""
    from detectors import spectrum
    from ui import charts

    rect = result.faces[0].crop if result.faces else None
    judged = spectrum.judged_crop(image, rect)
    reference = spectrum.load_reference()
    profile = spectrum.azimuthal_profile(judged)
    with st.expander(t("det.freq_title"), expanded=False):
        st.caption(t("det.freq_intro"))
        c1, c2 = st.columns([2, 3])
        c1.plotly_chart(charts.spectrum_image(spectrum.log_spectrum(judged)), width="stretch")
        c2.plotly_chart(charts.profile_band(spectrum.frequencies(), profile, reference), width="stretch")
        if reference:
            share = spectrum.outside_share(profile, reference)
            st.caption(t("det.freq_outside", share=share))


JPEG_SWEEP = [95, 85, 75, 60, 45, 30]


@st.fragment
def launder_panel(data: bytes, digest: str, provenance: dict) -> None:
    """What if someone re-shares it? Sliders for one re-share, the evidence left, and a JPEG sweep.

    ``provenance`` is the uploaded file's own report (DetectionResult.provenance): a label it never
    had is "not present", not "lost"."""
    from ui import charts, resources

    with st.expander(t("det.launder_title"), expanded=False):
        st.caption(t("det.launder_intro"))
        c1, c2, c3, c4 = st.columns(4)
        quality = c1.select_slider(t("det.launder_jpeg"), ["original", *JPEG_SWEEP], value="original",
                                   format_func=lambda q: t("det.launder_keep") if q == "original" else str(q),
                                   key="det_l_q")
        scale = c2.slider(t("det.launder_scale"), 0.25, 1.0, 1.0, 0.05, key="det_l_scale")
        crop = c3.slider(t("det.launder_crop"), 0.0, 0.3, 0.0, 0.02, key="det_l_crop")
        screenshot = c4.toggle(t("det.launder_screenshot"), key="det_l_shot")
        q = None if quality == "original" else int(quality)
        now = resources.launder(digest, data, q, scale, crop, screenshot)
        m1, m2, m3, m4 = st.columns(4)
        p = now["detector_probability"]
        m1.metric(t("chart.detector_p"), t("verdict.unknown") if p is None else f"{p:.0%}")
        m2.metric(t("chart.bit_accuracy"), "–" if now["bit_accuracy"] is None else f"{now['bit_accuracy']:.0%}",
                  help=t("det.launder_bits_help"))
        for column, label in ((m3, "tc260"), (m4, "c2pa")):
            had = provenance.get(label, {}).get("status") == "found"
            state = "kept" if now[label] else "lost" if had else "absent"
            column.metric(t(f"det.prov.{label}"), t(f"det.launder_{state}"))
        if not st.toggle(t("det.launder_sweep"), key="det_l_sweep"):
            st.caption(t("det.launder_lesson"))
            return
        with st.spinner(t("det.launder_sweeping")):
            sweep = [resources.launder(digest, data, qq, scale, crop, screenshot) for qq in JPEG_SWEEP]
        st.plotly_chart(charts.launder_curve(JPEG_SWEEP, [s["detector_probability"] for s in sweep],
                                             [s["bit_accuracy"] for s in sweep]), width="stretch")
        st.caption(t("det.launder_lesson"))
