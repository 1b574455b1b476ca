"""Models loaded once per process, and results cached as plain data.

A cached model is shared by every session, so everything here only reads from it.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from genai import FaceGenerator, create_generator, load_checkpoint


@st.cache_resource(show_spinner=False)
def face_generator(name: str) -> FaceGenerator:
    """A registry generator by name (see ``genai.list_generators``)."""
    return create_generator(name)


@st.cache_resource(show_spinner=False, max_entries=4)
def uploaded_generator(digest: str, _data: bytes, filename: str) -> FaceGenerator:
    """A generator from an uploaded checkpoint, cached by the file's sha256 ``digest``."""
    return load_checkpoint(_data, name=filename)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@st.cache_data(show_spinner=False, max_entries=32)
def sample_faces(
    generator_key: str, _generator: FaceGenerator, seeds: tuple[int, ...], temperature: float
) -> np.ndarray:
    """Faces for ``seeds`` as RGB uint8 (N, H, W, 3); ``generator_key`` identifies ``_generator``."""
    return _generator.sample(seeds, temperature)


@st.cache_data(show_spinner=False, max_entries=16)
def interpolate_faces(
    generator_key: str, _generator: FaceGenerator, seed_a: int, seed_b: int, steps: int,
    temperature: float,
) -> np.ndarray:
    """Morph frames between two seeds as RGB uint8 (steps, H, W, 3)."""
    return _generator.interpolate(seed_a, seed_b, steps, temperature)


@st.cache_resource(show_spinner=False)
def detector(name: str = "default"):
    """The shipped detector (MTCNN loads on first use)."""
    import detectors

    return detectors.create_detector(name)


@st.cache_data(show_spinner=False, max_entries=256)
def analyse(digest: str, _data: bytes, detector_name: str = "default") -> dict:
    """Judge one uploaded file, cached by its sha256 ``digest``; plain data for the page.

    Pictures are kept at display size (longer side <= 1024 px) to bound memory for big batches.
    """
    from detectors import ImageReadError

    det = detector(detector_name)
    try:
        loaded, result = det.detect_file(_data)
    except ImageReadError as e:
        return {"error": e.reason, "detail": e.detail}
    image = loaded.image
    scale = min(1.0, 1024 / max(image.shape[:2]))
    if scale < 1.0:
        from PIL import Image

        size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
        image = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR))
        result.heatmap = np.asarray(Image.fromarray(result.heatmap).resize(size, Image.Resampling.BILINEAR))
        for f in result.faces:
            f.box = tuple(round(v * scale) for v in f.box)
            f.crop = tuple(round(v * scale) for v in f.crop)
    return {"error": None, "image": image, "result": result, "notes": loaded.notes, "format": loaded.format,
            "thumbnail": thumbnail(image)}


def thumbnail(image: np.ndarray, side: int = 72) -> str:
    """A small JPEG as a data URL, for the batch table's picture column."""
    import base64
    import io

    from PIL import Image

    im = Image.fromarray(image)
    im.thumbnail((side, side))
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@st.cache_resource(show_spinner=False)
def inpainter(name: str):
    """A registry inpainter by name; model inpainters share the detector's face finder."""
    from genai.inpaint import create_inpainter

    if name in ("gan-inversion", "gated-unet"):
        return create_inpainter(name, finder=face_finder())
    return create_inpainter(name)


@st.cache_resource(show_spinner=False)
def face_finder():
    from detectors.faces import FaceFinder

    return FaceFinder()


@st.cache_data(show_spinner=False, max_entries=64)
def launder(digest: str, _data: bytes, jpeg_quality: int | None, scale: float, crop: float, screenshot: bool,
            detector_name: str = "default") -> dict:
    """Evidence left in one file after one imitated re-share (plain data, cached)."""
    from dataclasses import asdict

    from detectors.launder import Reshare, evidence_after, reshare

    payload = watermark_payload(digest, _data)
    shared = reshare(_data, Reshare(jpeg_quality, scale, crop, screenshot))
    return asdict(evidence_after(shared, detector(detector_name), payload)) | {"bytes": len(shared),
                                                                               "has_payload": payload is not None}


@st.cache_data(show_spinner=False, max_entries=64)
def watermark_payload(digest: str, _data: bytes) -> int | None:
    from detectors.launder import original_payload

    return original_payload(_data)
