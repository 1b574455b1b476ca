"""Streamlit-free pieces of the Face swap page: numbered face boxes and the face picker's choices."""

from __future__ import annotations

import cv2
import numpy as np


def numbered_boxes(image: np.ndarray, faces) -> np.ndarray:
    """RGB uint8 with each face's box and its number (0 = largest) drawn on a copy."""
    out = image.copy()
    thick = max(1, round(max(image.shape[:2]) / 300))
    for k, face in enumerate(faces):
        x0, y0, x1, y1 = face.box
        colour = (0, 220, 90) if face.dense else (255, 170, 0)  # orange: five points only
        cv2.rectangle(out, (x0, y0), (x1, y1), colour, thick)
        scale = max(0.4, (x1 - x0) / 120)
        cv2.putText(out, str(k), (x0 + 2 * thick, max(y0 - 3 * thick, int(18 * scale))), cv2.FONT_HERSHEY_SIMPLEX,
                    scale, colour, thick + 1, cv2.LINE_AA)
    return out


def face_choices(n: int) -> list:
    """The target face picker's options: each face by number, and "all" when there are several."""
    return list(range(n)) + (["all"] if n > 1 else [])
