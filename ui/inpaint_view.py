"""Streamlit pieces of the Inpaint page: the source picker, the mask painter, results, the exercise."""

from __future__ import annotations

import time

import cv2
import numpy as np
import streamlit as st

from genai.inpaint import PRESETS, InpaintError, fit_mask, preset_mask
from ui import gallery, resources
from ui.i18n import t
from ui.widgets import canvas

CANVAS_SIDE = 512  # the painting canvas's longer side, in screen pixels


def paint_mask(image: np.ndarray, key: str) -> np.ndarray:
    """The hole the user wants filled, bool (H, W): painted strokes plus any presets."""
    h, w = image.shape[:2]
    c1, c2, c3 = st.columns([3, 2, 1])
    presets = c1.pills(t("inp.presets"), PRESETS, selection_mode="multi", format_func=lambda p: t(f"inp.preset.{p}"),
                       key="inp_presets")
    brush = c2.slider(t("inp.brush"), 4, 60, 20, key="inp_brush")
    seed = c3.number_input(t("inp.stroke_seed"), 0, 9999, 0, key="inp_stroke_seed")
    mask = np.zeros((h, w), bool)
    if presets:
        face_box = _largest_face_box(image)
        for p in presets:
            mask |= preset_mask(p, h, w, face_box, seed=int(seed))
    # The presets are drawn on the canvas's picture, so one picture shows the whole hole.
    painted = _canvas(mask_preview(image, mask) if mask.any() else image, brush, key)
    if painted is not None:
        mask |= painted
    return mask


def _largest_face_box(image: np.ndarray):
    faces = resources.face_finder().find(image)
    return faces[0].box if faces else None


def _canvas(image: np.ndarray, brush: int, key: str) -> np.ndarray | None:
    """Strokes painted over the image (streamlit-drawable-canvas; undo/redo/clear on its toolbar)."""
    h, w = image.shape[:2]
    scale = CANVAS_SIDE / max(h, w)
    cw, ch = max(1, round(w * scale)), max(1, round(h * scale))
    try:
        from PIL import Image

        result = canvas(key, stroke_width=brush, stroke_color="rgba(255, 0, 80, 0.65)",
                        background_image=Image.fromarray(image), width=cw, height=ch, drawing_mode="freedraw",
                        return_image_data=True)
    except Exception as e:  # noqa: BLE001 - a missing or broken canvas must not take the page down
        st.info(t("inp.no_canvas", detail=type(e).__name__))
        return None
    st.caption(t("inp.canvas_help"))  # below: the canvas's toolbar sits over the line above it
    data = getattr(result, "image_data", None)
    if data is None or not np.asarray(data).any():
        return None
    alpha = np.asarray(data)[..., 3]
    return fit_mask(alpha, h, w)


def mask_preview(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The image with the hole tinted, for checking the mask before running."""
    out = image.copy()
    out[mask] = (0.4 * out[mask] + 0.6 * np.array([255, 0, 80])).astype(np.uint8)
    return out


def split_slow(methods: list[str]) -> tuple[list[str], list[str]]:
    """The chosen methods as (fast, slow): the page shows the fast ones' results before the slow run."""
    slow = [m for m in methods if resources.inpainter(m).slow]
    return [m for m in methods if m not in slow], slow


def run_methods(image: np.ndarray, mask: np.ndarray, methods: list[str], where=st) -> dict[str, dict]:
    """Run each inpainter with a progress bar (in ``where``);
    {method: {"image", "route", "notes", "seconds"} or {"error", "seconds"}}."""
    results = {}
    bar = where.progress(0.0)
    for i, name in enumerate(methods):
        def progress(frac: float, what: str, i=i, name=name) -> None:
            bar.progress(min(1.0, (i + frac) / len(methods)), text=t("inp.running", method=t(f"inp.method.{name}")))

        progress(0.0, "")
        start = time.perf_counter()
        inpainter = resources.inpainter(name)
        slot = resources.slow_work() if inpainter.slow else None
        while slot is not None and not slot.acquire(timeout=0.5):  # another user's slow job runs: queue
            bar.progress(min(1.0, i / len(methods)), text=t("inp.queued", method=t(f"inp.method.{name}")))
        try:
            r = inpainter.run(image, mask, progress=progress)
            results[name] = {"image": r.image, "route": r.route, "notes": r.notes}
        except InpaintError as e:
            results[name] = {"error": t(f"inp.error.{e.reason}")}
        except (ValueError, OSError) as e:  # e.g. weights missing or altered
            results[name] = {"error": t("inp.error.model", detail=str(e))}
        finally:
            if slot is not None:
                slot.release()
        results[name]["seconds"] = time.perf_counter() - start
    bar.empty()
    return results


def catch_rows(mask: np.ndarray, results: dict[str, dict]) -> list:
    """Every repair judged by the detector (detectors.evaluate.catch_repairs): list of RepairCatch."""
    from detectors.evaluate import catch_repairs

    repairs = {name: r["image"] for name, r in results.items() if "image" in r}
    return catch_repairs(resources.detector(), repairs, mask)


def outline(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Draw the hole's outline in white on an RGB uint8 image."""
    out = image.copy()
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(out, contours, -1, (255, 255, 255), max(1, round(min(image.shape[:2]) / 200)))
    return out
