"""Pictures of the evidence: heatmap overlays and face boxes on RGB uint8 images."""

from __future__ import annotations

import cv2
import numpy as np

from detectors.detector import DetectionResult, upsample

# The blend head's boundary map is a thin ring, and its cell probabilities stay low (its training
# targets are mostly zeros): a seam is drawn from this probability up.
SEAM_LEVEL = 0.25

VERDICT_COLOURS = {"real": (46, 160, 67), "fake": (214, 39, 40), "uncertain": (255, 160, 0), "unknown": (120, 120, 120)}


def overlay_heatmap(image: np.ndarray, heatmap: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """Blend a fake-probability map (H, W) in [0, 1] over RGB uint8 (H, W, 3) as a colour map.

    Probabilities below 0.5 fade out, so real-looking regions keep the photo's own colours.
    """
    colours = cv2.applyColorMap(np.clip(heatmap * 255, 0, 255).astype(np.uint8), cv2.COLORMAP_JET)
    colours = cv2.cvtColor(colours, cv2.COLOR_BGR2RGB).astype(np.float32)
    weight = (opacity * np.clip((heatmap - 0.5) * 2, 0, 1))[..., None]
    return (image.astype(np.float32) * (1 - weight) + colours * weight).round().astype(np.uint8)


def draw_faces(image: np.ndarray, result: DetectionResult, verdict_of=None) -> np.ndarray:
    """Face boxes coloured by verdict, numbered in the order of ``result.faces``.

    Args:
        image: RGB uint8 (H, W, 3).
        result: the detection.
        verdict_of: maps a face probability to "real"/"fake"/"uncertain"; the result's rule if None.
            An unfamiliar face (detectors.familiar) is grey and shows "?" instead of a number.
    """
    out = image.copy()
    thickness = max(2, round(min(image.shape[:2]) / 250))
    for i, face in enumerate(result.faces, start=1):
        if not face.familiar:
            verdict = "unknown"
        else:
            verdict = verdict_of(face.fake_probability) if verdict_of else result.verdict
        colour = VERDICT_COLOURS[verdict]
        x0, y0, x1, y1 = face.box
        cv2.rectangle(out, (x0, y0), (x1, y1), colour, thickness)
        # Text about a twentieth of the image's short side: readable, without hiding a small face.
        scale = max(0.3, min(image.shape[:2]) / 600)
        text = max(1, round(scale * 1.5))
        label = f"{i}: ?" if verdict == "unknown" else f"{i}: {face.fake_probability:.0%}"
        (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, text)
        ty = max(th + 4, y0 - 4)
        cv2.rectangle(out, (x0, ty - th - 4), (x0 + tw + 4, ty + 2), colour, -1)
        cv2.putText(out, label, (x0 + 2, ty - 2), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), text)
    return out


def seam_map(result: DetectionResult, shape: tuple[int, int]) -> np.ndarray | None:
    """Where the blend head sees a seam (FaceResult.boundary), over an image of ``shape`` (H, W):
    float32 in [0, 1], the strongest face's where faces overlap; None without a blend head."""
    faces = [f for f in result.faces if f.boundary is not None]
    if not faces:
        return None
    out = np.zeros(shape, np.float32)
    for face in faces:  # crops lie inside the image (core.faces.square_inside)
        x0, y0, x1, y1 = face.crop
        out[y0:y1, x0:x1] = np.maximum(out[y0:y1, x0:x1], upsample(face.boundary, (y1 - y0, x1 - x0)))
    return out


def overlay_seams(image: np.ndarray, seams: np.ndarray, opacity: float = 0.8) -> np.ndarray:
    """A seam map (:func:`seam_map`) over RGB uint8 ``image``: cells from SEAM_LEVEL up are drawn,
    the strongest in full colour."""
    return overlay_heatmap(image, np.clip(seams / (2 * SEAM_LEVEL), 0, 1), opacity)
