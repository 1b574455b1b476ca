"""A GAN's own discriminator, for the lecture's comparison: is D a forensic tool?

``gan-face-generate`` ships only its generator, so we rebuild what its discriminator would have
been: the DCGAN discriminator of Radford et al. (64 px, strided convolutions, BatchNorm,
LeakyReLU), trained only against that generator's samples, with real faces as its data
(``python -m detectors.train_gan_d``). It learns one generator's flaws and nothing else: the
Report page shows it next to our detector on the same images. The shipped two (SHIPPED) were
trained through the detector's shared pipeline, so that JPEG, low resolution, framing and colour
say nothing about the class; the detector's calibration adds their "generated" evidence to each
face's score (Calibration.gan_d).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.weights import WeightsError, load_checkpoint, load_shipped
from detectors.metrics import sigmoid

SIZE = 64
# The shipped discriminators (names in core.weights.SHIPPED); recipes in detectors.recipes.
SHIPPED = ("dcgan-d-v2", "dcgan-d-v3")
REPORT = "dcgan-d-v3"  # the one the Report page compares with the detector


@dataclass(frozen=True)
class GanDConfig:
    ndf: int = 32  # feature maps of the first layer; x2, x4, x8 below (DCGAN's layout)


class DCGANDiscriminator(nn.Module):
    """RGB (N, 3, 64, 64) in [-1, 1] -> logits (N,) that the image is fake (from the generator)."""

    def __init__(self, config: GanDConfig = GanDConfig()):
        super().__init__()
        self.config = config
        d = config.ndf
        self.net = nn.Sequential(
            nn.Conv2d(3, d, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),  # state size: d x 32 x 32
            nn.Conv2d(d, 2 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * d), nn.LeakyReLU(0.2, True),  # 2d x 16 x 16
            nn.Conv2d(2 * d, 4 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * d), nn.LeakyReLU(0.2, True),  # 4d x 8 x 8
            nn.Conv2d(4 * d, 8 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(8 * d), nn.LeakyReLU(0.2, True),  # 8d x 4 x 4
            nn.Conv2d(8 * d, 1, 4, 1, 0, bias=False),  # 1 x 1 x 1
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


def to_input(images: np.ndarray) -> torch.Tensor:
    """RGB uint8 (N, H, W, 3) of any size -> (N, 3, 64, 64) in [-1, 1], area-resized."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
    if x.shape[-1] != SIZE or x.shape[-2] != SIZE:
        x = F.interpolate(x, size=(SIZE, SIZE), mode="area")
    return x


class GanD:
    """The trained discriminator as a scorer: RGB uint8 images -> P(fake)."""

    def __init__(self, net: DCGANDiscriminator):
        self.net = net.eval()

    def logits(self, images: np.ndarray, batch: int = 256) -> np.ndarray:
        """Logits (N,) that RGB uint8 images (N, H, W, 3) come from the generator."""
        out = []
        with torch.inference_mode():
            for i in range(0, len(images), batch):
                out.append(self.net(to_input(images[i : i + batch])).numpy())
        return np.concatenate(out) if out else np.zeros(0, np.float32)

    def probabilities(self, images: np.ndarray, batch: int = 256) -> np.ndarray:
        return sigmoid(self.logits(images, batch))


def save(net: DCGANDiscriminator, path: str | Path, meta: dict) -> None:
    torch.save({"state_dict": net.state_dict(), "config": asdict(net.config), "version": 1, "meta": meta}, path)


def from_checkpoint(checkpoint: dict) -> GanD:
    net = DCGANDiscriminator(GanDConfig(**checkpoint["config"]))
    net.load_state_dict(checkpoint["state_dict"])
    return GanD(net)


def load(path: str | Path, sha256: str | None = None) -> GanD:
    """A checkpoint (plain data, ``weights_only``), refused if ``sha256`` is given and differs."""
    return from_checkpoint(load_checkpoint(path, sha256, "GAN discriminator"))


def load_shipped_gan_d(name: str = REPORT) -> GanD:
    """A shipped discriminator by name (SHIPPED), sha256-checked."""
    if name not in SHIPPED:
        raise WeightsError(f"no shipped GAN discriminator {name!r}; known: {', '.join(SHIPPED)}", "unknown")
    return from_checkpoint(load_shipped(name))
