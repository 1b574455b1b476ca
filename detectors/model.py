"""The patch discriminator: a small fully convolutional real-vs-fake network.

Built like a GAN discriminator (strided convolutions, LeakyReLU) but stopped early: instead of one
score per image it outputs a map of patch logits, each seeing only a limited receptive field
(Patch-Forensics, Chai et al. 2020). Limited receptive fields generalise better than whole-image
classifiers, the map is the heatmap, and images of any size work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class DetectorConfig:
    width: int = 32  # channels of the first layer; doubled per stride-2 stage, capped at 4x
    stages: int = 3  # stride-2 stages: a 128 px crop gives a 128 / 2**stages = 16 px patch map
    blocks: int = 0  # extra 3x3 convolutions after each stage: a wider receptive field, more capacity
    input_size: int = 128  # faces are cropped and resized to this at training and inference
    pool_temperature: float = 1.0  # soft-max pooling of patch logits: 0 -> max, large -> mean
    fine_map: bool = False  # head on the last-but-one stage joined with the deepest features: a 2x finer map


class PatchDiscriminator(nn.Module):
    """RGB in [-1, 1], (N, 3, H, W) -> patch logits (N, 1, H / 2**stages, W / 2**stages)."""

    def __init__(self, config: DetectorConfig = DetectorConfig()):
        super().__init__()
        self.config = config
        w = config.width
        # A full-resolution first layer: generator traces (upsampling grids, blending seams,
        # inpainting smoothness) live in the highest frequencies, which striding would alias.
        layers: list[nn.Module] = [nn.Conv2d(3, w, 3, 1, 1), nn.LeakyReLU(0.2, inplace=True)]
        ch = w
        for i in range(config.stages):
            if i == config.stages - 1:  # the layers before the last stage give the fine map's local half
                self._tap, tap_ch = len(layers), ch
            out = min(w * 2 ** (i + 1), 4 * w)
            # state size: (out) x H/2**(i+1) x W/2**(i+1)
            layers += [nn.Conv2d(ch, out, 4, 2, 1, bias=False), nn.BatchNorm2d(out), nn.LeakyReLU(0.2, inplace=True)]
            for _ in range(config.blocks):
                layers += [nn.Conv2d(out, out, 3, 1, 1, bias=False), nn.BatchNorm2d(out), nn.LeakyReLU(0.2, inplace=True)]
            ch = out
        layers += [nn.Conv2d(ch, ch, 3, 1, 1, bias=False), nn.BatchNorm2d(ch), nn.LeakyReLU(0.2, inplace=True)]
        self.features = nn.Sequential(*layers)
        # The fine map's patches each see their own local features and the deep context of the
        # (twice as large) deep patch they sit in: localisation without losing the wide view.
        self.head = nn.Conv2d(ch + tap_ch if config.fine_map else ch, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.config.fine_map:
            return self.head(self.features(x))
        local = self.features[:self._tap](x)
        deep = F.interpolate(self.features[self._tap:](local), size=local.shape[-2:], mode="nearest")
        return self.head(torch.cat([local, deep], dim=1))

    @property
    def stride(self) -> int:
        return 2 ** (self.config.stages - self.config.fine_map)


def pool_logits(patch_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Image logits (N,) from patch logits (N, 1, h, w) by soft-max pooling.

    ``T * (logsumexp(l / T) - log n)``: the mean of the map when all patches agree, close to the
    largest patch logit when one region stands out, so a small inpainted area still counts.
    """
    flat = patch_logits.flatten(1)
    t = temperature
    return t * (torch.logsumexp(flat / t, dim=1) - math.log(flat.shape[1]))
