"""Shared fixtures: tiny generators built in the test, and the real pretrained one."""

import os
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The app's pages set one torch thread for a class server (ui/resources.py); the suite runs one thing
# at a time and keeps torch's own number. Servers the tests start get the app's setting back.
os.environ.setdefault("DEEPFAKE_LAB_TORCH_THREADS", "0")

from genai import DCGANConfig, FaceGenerator, create_generator  # noqa: E402
from genai.generators import build_dcgan  # noqa: E402

TINY = DCGANConfig(nz=8, ngf=4, nc=3)


def make_tiny(seed: int = 0) -> FaceGenerator:
    """A randomly initialised 64x64 DCGAN with 4 base channels: fast, and seed-reproducible."""
    torch.manual_seed(seed)
    net = build_dcgan(TINY)
    # Random BatchNorm statistics, so eval-mode output is not trivially flat.
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1)
            m.running_var.uniform_(0.5, 2.0)
    return FaceGenerator(net, TINY.nz, "tiny", TINY)


@pytest.fixture
def tiny() -> FaceGenerator:
    return make_tiny()


@pytest.fixture(scope="session")
def pretrained() -> FaceGenerator:
    return create_generator("dcgan-digiface")


@pytest.fixture(autouse=True, scope="session")
def _private_registry(tmp_path_factory):
    """Exports made by tests are logged in a throwaway registry, never the user's."""
    import os

    os.environ["DEEPFAKE_LAB_HOME"] = str(tmp_path_factory.mktemp("dfl-home"))
    yield


# --- detectors ---------------------------------------------------------------------------------

import numpy as np  # noqa: E402

from core.data import data_root  # noqa: E402
from core.faces import FaceFinder  # noqa: E402
from core.imaging import upscale  # noqa: E402
from detectors.detector import Calibration, Detector  # noqa: E402
from detectors.model import DetectorConfig, PatchDiscriminator  # noqa: E402

TINY_DETECTOR = DetectorConfig(width=4)  # the small from-scratch trunk, 4 base channels
HAVE_DATA = (data_root() / "faces" / "train").is_dir()


@pytest.fixture(scope="session")
def finder() -> FaceFinder:
    return FaceFinder()


@pytest.fixture
def tiny_detector(finder) -> Detector:
    """An untrained detector on the tiny trunk: fast, seed-reproducible, with the real face finder."""
    torch.manual_seed(0)
    return Detector(PatchDiscriminator(TINY_DETECTOR), Calibration(), finder=finder)


@pytest.fixture(scope="session")
def faces() -> np.ndarray:
    """Six generated faces at 160 px that MTCNN finds (made here, no photos shipped)."""
    return np.stack([upscale(f, 160, "bicubic") for f in create_generator().sample(range(6))])


def group_photo(faces: np.ndarray) -> np.ndarray:
    """The faces on a grey 400 x 600 canvas, two rows of three."""
    canvas = np.full((400, 600, 3), 120, np.uint8)
    for k, face in enumerate(faces):
        r, c = divmod(k, 3)
        canvas[20 + r * 190 : 180 + r * 190, 20 + c * 195 : 180 + c * 195] = face
    return canvas


def detail(x: torch.Tensor) -> float:
    """Mean absolute difference of horizontal neighbours: how much fine detail an image holds."""
    return (x[..., 1:] - x[..., :-1]).abs().mean().item()


def at_once(calls, seconds: float = 0.0) -> list[BaseException]:
    """Run each callable in its own thread, all at once: once, or again and again for ``seconds`` (a
    page's Play loop and its buttons); the errors they raised."""
    import threading
    import time

    errors: list[BaseException] = []
    stop = time.perf_counter() + seconds

    def run(call):
        try:
            call()
            while time.perf_counter() < stop:
                call()
        except BaseException as e:  # noqa: BLE001 - collected for the caller's assertion
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return errors
