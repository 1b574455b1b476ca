"""Everything in Deepfake Lab that JUDGES images: face crops, the discriminator, evaluation.

Usable without Streamlit::

    import detectors
    det = detectors.create_detector()              # the shipped, sha256-pinned weights
    result = det.detect(rgb_uint8_image)           # DetectionResult: probability, verdict, heatmaps
    det = detectors.load_detector("my_run.pt")     # any checkpoint of python -m detectors.train
"""

from __future__ import annotations

import copy

import torch

from core.io import ImageReadError, LoadedImage, read_image
from core.weights import SHIPPED, WeightsError, load_shipped, shipped_path
from detectors.familiar import Familiarity
from detectors.detector import Calibration, DetectionResult, Detector, FaceResult, ImageReading, load_detector
from detectors.blend import load_blend
from detectors.native import load_native

# name -> shipped weights of the face branch, the familiarity file fitted to its features, the
# image branch and the face branch's blend head (core.weights.SHIPPED). One detector ships;
# detectors.recipes, detectors.familiar, detectors.train_native and detectors.train_blend reproduce it.
_DETECTORS = {"default": ("patchd", "patchd-familiar", "image-branch", "blend")}


def with_blend(detector: Detector, path: str, sha256: str | None = None) -> Detector:
    """A copy of ``detector`` with the blend head at ``path`` (detectors.train_blend) in place of its own.

    Raises:
        WeightsError: the file is missing, altered or not a calibrated blend head.
    """
    other = copy.copy(detector)
    other.blend = load_blend(path, sha256)
    return other


def with_image_branch(detector: Detector, path: str, sha256: str | None = None) -> Detector:
    """A copy of ``detector`` with the image branch at ``path`` (detectors.train_native) in place of its own.

    Raises:
        WeightsError: the file is missing, altered or not a calibrated image-branch checkpoint.
    """
    other = copy.copy(detector)
    other.image_branch = load_native(path, sha256)
    return other


def list_detectors() -> list[str]:
    """Names accepted by :func:`create_detector`."""
    return list(_DETECTORS)


def detector_weights(name: str = "default") -> str:
    """The core.weights.SHIPPED name of a detector's weights.

    Raises:
        ValueError: unknown name (the message lists the valid ones).
    """
    try:
        return _DETECTORS[name][0]
    except KeyError:
        raise ValueError(f"unknown detector {name!r}; valid names: {list_detectors()}") from None


def create_detector(name: str = "default", device: str | torch.device | None = None) -> Detector:
    """Load a shipped detector by name, checking its weights' sha256.

    Raises:
        ValueError: unknown name (the message lists the valid ones).
        WeightsError: the weights file is missing or altered.
    """
    weights = detector_weights(name)  # raises for an unknown name
    _, familiar, image, blend = _DETECTORS[name]
    try:
        familiarity = Familiarity.from_checkpoint(load_shipped(familiar))
    except (KeyError, ValueError) as e:
        raise WeightsError(f"{familiar} is not a familiarity file: {e}", "not_a_checkpoint") from None
    image_branch = load_native(shipped_path(image), SHIPPED[image].sha256)
    return load_detector(shipped_path(weights), sha256=SHIPPED[weights].sha256, device=device, name=name,
                         familiarity=familiarity, image_branch=image_branch,
                         blend=load_blend(shipped_path(blend), SHIPPED[blend].sha256))


__all__ = [
    "Calibration",
    "DetectionResult",
    "Detector",
    "FaceResult",
    "ImageReading",
    "ImageReadError",
    "LoadedImage",
    "WeightsError",
    "create_detector",
    "detector_weights",
    "list_detectors",
    "with_blend",
    "with_image_branch",
    "load_detector",
    "read_image",
]
