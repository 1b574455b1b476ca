"""Shared fixtures: tiny generators built in the test, and the real pretrained one."""

import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
