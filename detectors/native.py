"""The native-pixel branch: judges image tiles at their own resolution, never resized.

Generators upsample: a latent-diffusion decoder by nearest-neighbour plus convolution, a GAN by
transposed convolutions. Both leave correlations between neighbouring pixels that a camera's
pixels lack, and that resizing erases. The network sees the residual between a tile and its own
copy taken down and back up by 2x, nearest (NPR, Tan et al., CVPR 2024), so content counts for
little and those correlations for much. Fully convolutional with global average pooling: a tile
of any even size gives one logit. Images are RGB uint8 (H, W, 3).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.weights import WeightsError, load_checkpoint
from detectors.crops import to_tensor

TILE = 256  # images are judged in tiles of this side (the native crops' size)


@dataclass(frozen=True)
class NativeConfig:
    width: int = 16  # channels of the first layer; doubled at each stride-2 stage, capped at 8x


def npr(x: torch.Tensor) -> torch.Tensor:
    """(N, 3, H, W) -> the neighbouring-pixel residual: x minus its 2x nearest down-and-up copy."""
    h, w = x.shape[-2] // 2 * 2, x.shape[-1] // 2 * 2
    x = x[..., :h, :w]
    return x - x[..., ::2, ::2].repeat_interleave(2, dim=-2).repeat_interleave(2, dim=-1)


class NativeNet(nn.Module):
    """RGB (N, 3, H, W) in [-1, 1] -> logits (N,) that the tile was generated."""

    def __init__(self, config: NativeConfig = NativeConfig()):
        super().__init__()
        self.config = config
        w = config.width
        chans = [w, 2 * w, 4 * w, 4 * w, 8 * w]
        layers: list[nn.Module] = [nn.Conv2d(3, chans[0], 3, 1, 1), nn.LeakyReLU(0.2, inplace=True)]
        for cin, cout in zip(chans, chans[1:]):
            # state size: cout x H/2**k x W/2**k
            layers += [nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2, inplace=True)]
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(chans[-1], 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # The residual is small: scale it to the range the layers were initialised for.
        return self.head(self.features(npr(x) * 4).mean(dim=(2, 3)))[:, 0]


def tiles(image: np.ndarray, side: int = TILE) -> np.ndarray:
    """Non-overlapping ``side`` tiles covering ``image`` (the last row and column aligned to its edges;
    an image smaller than a tile is one tile of its own even size): uint8 (K, s, s, 3)."""
    h, w = image.shape[:2]
    s = min(side, h // 2 * 2, w // 2 * 2)
    ys = sorted({*range(0, h - s + 1, s), h - s})
    xs = sorted({*range(0, w - s + 1, s), w - s})
    return np.stack([image[y : y + s, x : x + s] for y in ys for x in xs])


class NativeJudge:
    """The trained branch as a scorer: an image's logit is the mean of its tiles'."""

    def __init__(self, net: NativeNet, max_tiles: int = 16):
        self.net = net.eval()
        self.max_tiles = max_tiles  # a large photo is judged on at most this many tiles, spread evenly

    def logit(self, image: np.ndarray) -> float:
        t = tiles(image)
        if len(t) > self.max_tiles:
            t = t[np.linspace(0, len(t) - 1, self.max_tiles).round().astype(int)]
        with torch.inference_mode():
            return float(self.net(to_tensor(t)).mean())


def save_native(net: NativeNet, path: str | Path, meta: dict | None = None) -> None:
    torch.save({"state_dict": net.state_dict(), "config": asdict(net.config), "version": 1, "meta": meta or {}},
               Path(path))


def load_native(path: str | Path, sha256: str | None = None) -> NativeJudge:
    """A native-branch checkpoint (plain data), refused when ``sha256`` is given and differs."""
    ckpt = load_checkpoint(path, sha256, "native-branch")
    try:
        net = NativeNet(NativeConfig(**ckpt["config"]))
        net.load_state_dict(ckpt["state_dict"])
    except Exception as e:  # noqa: BLE001 - any malformed file: one message a person can act on
        raise WeightsError(f"{Path(path).name} is not a native-branch checkpoint: {type(e).__name__}: {e}") from None
    return NativeJudge(net)
