"""Models loaded once per process, and results cached as plain data.

A cached model is shared by every session, so everything here only reads from it.
"""

from __future__ import annotations

import hashlib
import os

import numpy as np
import streamlit as st
import torch

from genai import FaceGenerator, create_generator, load_checkpoint

# One server serves a class: many sessions' work runs at once on a few cores. One torch thread per
# piece of work keeps their thread pools from spinning against each other (beside a browser, the
# playground trained 4x faster so); one user alone waits a little longer for a photo (0.28 s instead
# of 0.18 s for a 1024 px photo here). DEEPFAKE_LAB_TORCH_THREADS sets another number; 0 leaves
# torch's own (the test suite, which runs one thing at a time).
_THREADS = int(os.environ.get("DEEPFAKE_LAB_TORCH_THREADS", "1"))
if _THREADS > 0:
    torch.set_num_threads(_THREADS)


def _kept(model):
    """A model loaded for the life of the process, moved out of the garbage collector's sight
    (gc.freeze): its many objects never die, and walking them in every full collection paused
    every session (the playground's board greyed out mid-play)."""
    import gc

    gc.collect()
    gc.freeze()
    return model


@st.cache_resource(show_spinner=False)
def face_generator(name: str) -> FaceGenerator:
    """A registry generator by name (see ``genai.list_generators``)."""
    return _kept(create_generator(name))


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


@st.cache_data(show_spinner=False, max_entries=16)
def morph_gif(generator_key: str, _generator: FaceGenerator, seed_a: int, seed_b: int, steps: int, temperature: float,
              size: int, method: str) -> bytes:
    """The morph as a labelled, watermarked GIF (genai.export_gif), made once per choice of frames and size:
    the page shows it on every run, and each frame's watermark costs time."""
    from genai import ExportInfo, export_gif

    frames = interpolate_faces(generator_key, _generator, seed_a, seed_b, steps, temperature)
    return export_gif(frames, ExportInfo(_generator.name, seed_a), size=size, method=method)


DISPLAY_SIDE = 1024  # judged images are kept at most this large for display


@st.cache_resource(show_spinner=False)
def detector(name: str = "default"):
    """The shipped detector (MTCNN loads on first use)."""
    import detectors

    return _kept(detectors.create_detector(name))


@st.cache_data(show_spinner=False, max_entries=256)
def analyse(digest: str, _data: bytes, detector_name: str = "default") -> dict:
    """Judge one uploaded file, cached by its sha256 ``digest``; plain data for the page.

    Pictures are kept at display size (longer side <= DISPLAY_SIDE) to bound memory for big batches.
    """
    from detectors import ImageReadError

    try:
        loaded, result = detector(detector_name).detect_file(_data, display_side=DISPLAY_SIDE)
    except ImageReadError as e:
        return {"error": e.reason, "detail": e.detail, "digest": digest}
    except Exception as e:  # noqa: BLE001 - one file that breaks the detector must not end the batch
        return {"error": "failed", "detail": f"{type(e).__name__}: {e}", "digest": digest}
    return {"error": None, "digest": digest, "image": loaded.image, "result": result, "notes": loaded.notes, "format": loaded.format,
            "thumbnail": thumbnail(loaded.image)}


@st.cache_data(show_spinner=False)
def example_files() -> list[tuple[str, bytes]]:
    """Example uploads for the Detect page: two real faces, two StyleGAN2 faces (core.samples) and a
    face of the app's generator exported as a download is (labelled, watermarked)."""
    from core.samples import SAMPLES, sample_bytes

    files = [(SAMPLES[name].file, sample_bytes(name)) for name in ("ffhq-69003", "ffhq-69004", "stylegan2-f0",
                                                                   "stylegan2-f6")]
    return files + [("dcgan-digiface-seed7.png", example_export())]


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
    """A registry inpainter by name; the face inpainters share one face finder."""
    from genai.inpaint import FACE_INPAINTERS, create_inpainter

    return _kept(create_inpainter(name, **({"finder": face_finder()} if name in FACE_INPAINTERS else {})))


SLOW_AT_ONCE = 1  # slow jobs (GAN inversion) running at once in the whole server


@st.cache_resource(show_spinner=False)
def slow_work():
    """The server's slots for slow work (GAN inversion, seconds a face): a class's slow repairs take
    their turn instead of taking the cores from everyone else at once."""
    import threading

    return threading.BoundedSemaphore(SLOW_AT_ONCE)


@st.cache_resource(show_spinner=False)
def face_finder():
    from core.faces import FaceFinder

    return _kept(FaceFinder())


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


@st.cache_resource(show_spinner=False)
def landmarker():
    """Faces with dlib's landmarks (genai.faceswap), with its own face finder (it searches a smaller copy)."""
    from genai.faceswap import Landmarker

    return _kept(Landmarker())


@st.cache_data(show_spinner=False, max_entries=32)
def face_marks(digest: str, _image: np.ndarray) -> list:
    """The faces of one image with their landmarks, largest first, cached by the pixels' ``digest``."""
    return landmarker().find(_image)


@st.cache_data(show_spinner=False, max_entries=16)
def face_swap(source_digest: str, target_digest: str, _source: np.ndarray, _target: np.ndarray,
              source_face: int, target_face: int | str, options: tuple) -> dict:
    """One swap as plain data: the result, or the SwapError's reason. ``options``: SwapOptions' fields."""
    from genai.faceswap import SwapError, SwapOptions, swap

    try:
        r = swap(_source, _target, target_face, SwapOptions(*options), source_face=source_face,
                 source_faces=face_marks(source_digest, _source), target_faces=face_marks(target_digest, _target))
    except SwapError as e:
        return {"error": e.reason}
    return {"error": None, "image": r.image, "mask": r.mask, "notes": r.notes, "seconds": r.seconds,
            "swapped": r.swapped}


@st.cache_data(show_spinner=False, max_entries=32)
def judge_pixels(digest: str, _image: np.ndarray, detector_name: str = "default"):
    """The detector's result for an image held in memory (no file, so no provenance), cached by ``digest``."""
    return detector(detector_name).detect(_image)


@st.cache_resource(show_spinner=False)
def quiz_maker():
    """Makes the quiz's images (genai.quiz), its models shared by every session."""
    from genai.quiz import Maker

    return _kept(Maker())


@st.cache_data(show_spinner=False, max_entries=256)
def quiz_round(key: str) -> dict:
    """One quiz item made and judged, as plain data: its image, the detector's verdict, probability,
    answer in the quiz and heatmap. The same for every player, so a class shares one computation."""
    from genai.quiz import Item, detector_answer

    image = quiz_maker().image(Item(key))
    result = judge_pixels(hashlib.sha256(key.encode()).hexdigest()[:16], image)
    return {"image": image, "verdict": result.verdict, "p": result.detector_probability,
            "answer": detector_answer(result.verdict), "heatmap": result.heatmap, "abstained": result.abstained}


@st.cache_data(show_spinner=False, max_entries=32)
def label_checks(digest: str, _data: bytes) -> dict:
    """The Rules page's label checks of one file (genai.compliance on genai.inspect), made once per
    file: ``{"error": reason or None, "checks": [Check, ...], "c2pa": the C2PA reading}``. A large photo
    takes seconds to read."""
    from core.io import ImageReadError, read_image
    from genai import inspect
    from genai.compliance import check

    try:
        read_image(_data)
    except ImageReadError as e:
        return {"error": e.reason, "checks": [], "c2pa": {}}
    report = inspect(_data)
    return {"error": None, "checks": check(report), "c2pa": report["c2pa"]}


@st.cache_data(show_spinner=False, max_entries=16)
def label_trial(digest: str, _data: bytes) -> dict:
    """The Rules page's "try it" for one upload, made once: the image labelled as this app labels an
    export (a demonstration: not logged as an export), and that file stripped by a re-save, each with
    its label checks. ``{"error", "labelled": {"file", "checks"}, "stripped": {...}}``."""
    from core.io import ImageReadError, read_image
    from detectors.launder import Reshare, reshare
    from genai import ExportInfo, export_image, inspect
    from genai.compliance import check

    try:
        image = read_image(_data).image
    except ImageReadError as e:
        return {"error": e.reason}
    labelled = export_image(image, ExportInfo("user-upload"), log=False)
    stripped = reshare(labelled, Reshare(jpeg_quality=85))
    return {"error": None, "labelled": {"file": labelled, "checks": check(inspect(labelled))},
            "stripped": {"file": stripped, "checks": check(inspect(stripped))}}


@st.cache_data(show_spinner=False)
def example_export() -> bytes:
    """One face of the app's generator exported as a download is (labelled, watermarked), for examples."""
    from genai import ExportInfo, export_image

    return export_image(face_generator("dcgan-digiface").sample([7])[0], ExportInfo("dcgan-digiface", 7))
