"""The image branch: judges any photo, with or without a face, at its own resolution, never resized.

Generators upsample: a latent-diffusion decoder by nearest-neighbour plus convolution, a GAN by
transposed convolutions. Both leave correlations between neighbouring pixels that a camera's
pixels lack and that resizing erases, so the branch looks at the pixels as they are, in tiles.

The network is EfficientNet-Lite0's stem and first seven blocks, from ImageNet. (A stride-1 stem,
which would keep the highest frequencies from aliasing, took 3-4x the time here: 8 tiles of 256 px
in 1.1 s, over the page's budget.) A 1x1
head gives a logit per cell of the last block's stride (the tile heatmap); an image's logit is
the mean over its cells. Before judging, a picture gets the last JPEG every training picture had
(``meta["canonical_jpeg"]``), so its earlier history weighs little. RGB uint8 (H, W, 3) in, fully
convolutional.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
from torch import nn

from core.weights import WeightsError, load_checkpoint
from detectors.crops import jpeg, to_tensor
from detectors.model import LITE0_BLOCKS, lite0_imagenet_state, lite0_trunk

TILE = 256  # images are judged in tiles of this side
MIN_SIDE = 32  # smaller images carry too few cells to judge
# Below this, an image's fine detail (luminance minus its 3x3 blur, RMS in grey levels) is too flat
# to carry a generator's trace or a camera's: a blank or blurred frame, a flat logo.
MIN_DETAIL = 0.5


@dataclass(frozen=True)
class NativeConfig:
    last_block: int = 6  # Lite0 blocks 0..last_block (4: stride 8, 40 channels; 6: stride 16, 80 channels)
    # Look at luminance only (given to the RGB stem as grey): every generated training picture has
    # 4:2:0 chroma, so colour detail would tell a 4:4:4 photo from a fake by its file history alone.
    luma: bool = False


class NativeNet(nn.Module):
    """RGB (N, 3, H, W) in [-1, 1] -> logit maps (N, H / stride, W / stride)."""

    def __init__(self, config: NativeConfig = NativeConfig()):
        super().__init__()
        self.config = config
        self.features = lite0_trunk(config.last_block)
        ch = LITE0_BLOCKS[config.last_block][4]
        self.head = nn.Sequential(nn.Conv2d(ch, 64, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
                                  nn.Conv2d(64, 1, 1))

    def load_imagenet(self) -> None:
        mine = self.features.state_dict()
        theirs = lite0_imagenet_state(self.config.last_block)
        self.features.load_state_dict(dict(zip(mine, theirs, strict=True)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.config.luma:
            x = (0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:]).expand(-1, 3, -1, -1)
        return self.head(self.features(x))[:, 0]


def tiles(image: np.ndarray, side: int = TILE) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Non-overlapping ``side`` tiles covering ``image`` up to its last 7 px (an image smaller than a
    tile is one tile of its own size, even sides): uint8 (K, s, s, 3) and each tile's (y, x).

    Every tile starts on a multiple of 8, as every training crop's 8x8 JPEG grid did: the last row
    and column are moved in to the nearest such position rather than aligned to the edge.
    """
    h, w = image.shape[:2]
    s = min(side, h // 2 * 2, w // 2 * 2)
    ys = sorted({*range(0, h - s + 1, s), (h - s) // 8 * 8})
    xs = sorted({*range(0, w - s + 1, s), (w - s) // 8 * 8})
    where = [(y, x) for y in ys for x in xs]
    return np.stack([image[y : y + s, x : x + s] for y, x in where]), where


def no_evidence(image: np.ndarray) -> str | None:
    """Why the pixels of RGB uint8 ``image`` carry nothing to judge ("too_small", "flat"), or None."""
    if min(image.shape[:2]) < MIN_SIDE:
        return "too_small"
    y = image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    detail = (y - cv2.blur(y, (3, 3)))[1:-1, 1:-1]  # the interior: every pixel's full 3x3 neighbourhood
    return "flat" if float(np.sqrt(np.mean(detail**2))) < MIN_DETAIL else None


@dataclass
class NativeResult:
    logit: float  # mean over the judged cells
    maps: np.ndarray  # float32 (K, h, w): each judged tile's cell logits
    where: list[tuple[int, int]]  # each tile's (y, x)
    side: int  # the tiles' side in pixels
    shape: tuple[int, int]  # the image's (H, W)

    @property
    def tiles(self) -> int:
        """How many tiles were judged."""
        return len(self.maps)

    @property
    def cell_logits(self) -> np.ndarray:
        """float32 (H, W): each cell's logit over the tiles judged, NaN elsewhere."""
        return self.paint(self.maps, np.nan)

    def paint(self, values: np.ndarray, fill: float) -> np.ndarray:
        """Per-cell ``values`` shaped like :attr:`maps`, drawn over the image: float32 (H, W), ``fill``
        where no tile was judged. Calibrating the maps first and painting them is the same as
        calibrating the painted logits, and a tile's cells cost far less than a photo's pixels."""
        out = np.full(self.shape, fill, np.float32)
        s = self.side
        for (y, x), m in zip(self.where, values):
            ky, kx = -(-s // m.shape[0]), -(-s // m.shape[1])  # a cell's side in pixels (16 in a 256 px tile)
            out[y : y + s, x : x + s] = np.kron(m, np.ones((ky, kx)))[:s, :s]
        return out


class NativeJudge:
    """The trained branch as a scorer: an image's logit is the mean of its judged cells'."""

    def __init__(self, net: NativeNet, max_tiles: int = 8, meta: dict | None = None):
        self.net = net.eval()
        self.max_tiles = max_tiles  # a large photo is judged on at most this many tiles, spread evenly
        self.meta = meta or {}

    def judge(self, image: np.ndarray) -> NativeResult:
        h, w = image.shape[:2]
        quality = self.meta.get("canonical_jpeg")
        if quality:  # every picture gets the same last JPEG first, whatever its history
            image = jpeg(image, int(quality), 2)
        t, where = tiles(image)
        if len(t) > self.max_tiles:
            keep = np.linspace(0, len(t) - 1, self.max_tiles).round().astype(int)
            t, where = t[keep], [where[i] for i in keep]
        with torch.inference_mode():
            maps = self.net(to_tensor(t)).float().numpy()
        return NativeResult(float(maps.mean()), maps, where, t.shape[1], (h, w))

    def logit(self, image: np.ndarray) -> float:
        return self.judge(image).logit


def save_native(net: NativeNet, path: str | Path, meta: dict | None = None) -> None:
    torch.save({"state_dict": net.state_dict(), "config": asdict(net.config), "version": 2, "meta": meta or {}},
               Path(path))


def load_native(path: str | Path, sha256: str | None = None) -> NativeJudge:
    """An image-branch checkpoint (plain data), refused when ``sha256`` is given and differs."""
    ckpt = load_checkpoint(path, sha256, "image-branch")
    try:
        net = NativeNet(NativeConfig(**ckpt["config"]))
        net.load_state_dict(ckpt["state_dict"])
    except Exception as e:  # noqa: BLE001 - any malformed file: one message a person can act on
        raise WeightsError(f"{Path(path).name} is not an image-branch checkpoint: {type(e).__name__}: {e}") from None
    meta = ckpt.get("meta", {})
    if not {"a", "b", "threshold", "real_below"} <= set(meta.get("calibration", {})):
        raise WeightsError(f"{Path(path).name} has no calibration (train_native writes it)")
    return NativeJudge(net, meta=meta)
