"""TAEF2, a tiny autoencoder in FLUX.2's latent space, for aligned training fakes.

A real photo and its reconstruction show the same scene with the same history: what differs is
the trace a latent-diffusion decoder leaves (nearest-neighbour upsampling followed by
convolutions). Training on such pairs teaches that trace, not content or compression (Rajan et
al., ICLR 2025). Used at training time only; the weights stay in ``../shared/models/taef2`` (MIT,
madebyollin/taesd at 5cccb12), checked against their sha256 before loading.

The architecture follows that repository's ``taesd.py`` (the ``flux_2`` variant: a 32-channel
latent at 1/8 of the side, group-normalised pooling in the three blocks nearest the latent).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.data import data_root

SHA256 = {
    "taef2_encoder.pth": "10a4e1021e89d7551eaf161352da8dbd0b1aa83872ae28b150c1df1ce2f147b6",
    "taef2_decoder.pth": "0a44a31e1ae59eb9dbf9359d24942fd3ef5928162c1800d97a28c61d51be0ab5",
}
LATENT = 32


def _conv(n_in: int, n_out: int, **kwargs) -> nn.Conv2d:
    return nn.Conv2d(n_in, n_out, 3, padding=1, **kwargs)


class _Clamp(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x / 3) * 3


class _Block(nn.Module):
    def __init__(self, n: int = 64, pooled: bool = False):
        super().__init__()
        self.conv = nn.Sequential(_conv(n, n), nn.ReLU(), _conv(n, n), nn.ReLU(), _conv(n, n))
        self.skip = nn.Identity()
        self.fuse = nn.ReLU()
        self.pool = (nn.Sequential(nn.Conv2d(n, 4 * n, 1, bias=False), nn.GroupNorm(4, 4 * n), nn.ReLU(),
                                   nn.Conv2d(4 * n, n, 1, bias=False)) if pooled else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pool is not None:
            x = x + self.pool(x)
        return self.fuse(self.conv(x) + self.skip(x))


def encoder() -> nn.Sequential:
    return nn.Sequential(
        _conv(3, 64), _Block(),
        _conv(64, 64, stride=2, bias=False), _Block(), _Block(), _Block(),
        _conv(64, 64, stride=2, bias=False), _Block(), _Block(), _Block(),
        _conv(64, 64, stride=2, bias=False), _Block(pooled=True), _Block(pooled=True), _Block(pooled=True),
        _conv(64, LATENT),
    )


def decoder() -> nn.Sequential:
    up = lambda: [nn.Upsample(scale_factor=2), _conv(64, 64, bias=False)]  # noqa: E731
    return nn.Sequential(
        _Clamp(), _conv(LATENT, 64), nn.ReLU(),
        _Block(pooled=True), _Block(pooled=True), _Block(pooled=True), *up(),
        _Block(), _Block(), _Block(), *up(),
        _Block(), _Block(), _Block(), *up(),
        _Block(), _conv(64, 3),
    )


class TAEF2(nn.Module):
    """RGB in [0, 1] (N, 3, H, W), sides multiples of 8 -> its reconstruction through the latent."""

    def __init__(self, folder: str | Path | None = None):
        super().__init__()
        folder = Path(folder) if folder else data_root().parent / "models" / "taef2"
        self.encoder, self.decoder = encoder(), decoder()
        for name, part in (("taef2_encoder.pth", self.encoder), ("taef2_decoder.pth", self.decoder)):
            data = (folder / name).read_bytes()
            if hashlib.sha256(data).hexdigest() != SHA256[name]:
                raise ValueError(f"{folder / name}: sha256 differs from the pinned one")
            part.load_state_dict(torch.load(folder / name, map_location="cpu", weights_only=True), strict=True)
        self.eval()

    @torch.inference_mode()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x)).clamp(0, 1)

    def reconstruct(self, image: np.ndarray) -> np.ndarray:
        """RGB uint8 (H, W, 3) -> its reconstruction, uint8, cropped to multiples of 8."""
        h, w = image.shape[0] // 8 * 8, image.shape[1] // 8 * 8
        x = torch.from_numpy(np.ascontiguousarray(image[:h, :w])).permute(2, 0, 1)[None].float() / 255
        return (self(x)[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
