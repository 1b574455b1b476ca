"""Aligned fakes: real photos passed through small autoencoders whose decoders upsample as generators do.

A reconstruction shows the same scene as its real photo, so what tells them apart is mostly the
decoder's trace: the pixel correlations its upsampling layers leave (Zhang et al., AutoGAN, 2019;
Rajan et al., "Aligned Datasets Improve Detection of Latent Diffusion-Generated Images", 2025).
Four decoders, one per way generators upsample:

- ``nearest``: nearest-neighbour then convolution, as latent-diffusion VAE decoders do;
- ``transposed``: stride-2 transposed convolution, as DCGAN and many GANs do;
- ``bilinear``: bilinear then convolution;
- ``pixelshuffle``: sub-pixel convolution (a convolution to 4x channels, then depth-to-space).

Each autoencoder shrinks its input 8x per side to a 4-channel latent (the shape of Stable
Diffusion's) and is trained on CPU in a minute or two on the training split's real crops. Images
are RGB uint8 (H, W, 3); sides that are not multiples of 8 are cropped.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from detectors.crops import to_tensor

UPSAMPLERS = ("nearest", "transposed", "bilinear", "pixelshuffle")


def _up(mode: str, cin: int, cout: int) -> nn.Module:
    if mode == "nearest":
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(cin, cout, 3, 1, 1))
    if mode == "transposed":
        return nn.ConvTranspose2d(cin, cout, 4, 2, 1)
    if mode == "bilinear":
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
                             nn.Conv2d(cin, cout, 3, 1, 1))
    if mode == "pixelshuffle":
        return nn.Sequential(nn.Conv2d(cin, 4 * cout, 3, 1, 1), nn.PixelShuffle(2))
    raise ValueError(f"unknown upsampler {mode!r}; one of {', '.join(UPSAMPLERS)}")


class TinyAE(nn.Module):
    """RGB in [-1, 1] (N, 3, H, W) -> its reconstruction through a (N, 4, H/8, W/8) latent."""

    def __init__(self, mode: str, width: int = 32):
        super().__init__()
        self.mode = mode
        w = width
        act = nn.SiLU
        self.encoder = nn.Sequential(
            nn.Conv2d(3, w, 3, 1, 1), act(),
            nn.Conv2d(w, w, 4, 2, 1), act(),  # H/2
            nn.Conv2d(w, 2 * w, 4, 2, 1), act(),  # H/4
            nn.Conv2d(2 * w, 2 * w, 4, 2, 1), act(),  # H/8
            nn.Conv2d(2 * w, 4, 1),
        )
        self.decoder = nn.Sequential(
            nn.Conv2d(4, 2 * w, 3, 1, 1), act(),
            _up(mode, 2 * w, 2 * w), act(),  # H/4
            _up(mode, 2 * w, w), act(),  # H/2
            _up(mode, w, w), act(),  # H
            nn.Conv2d(w, 3, 3, 1, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def _random_crops(images: list[np.ndarray], rng: np.random.RandomState, n: int, side: int) -> np.ndarray:
    out = []
    for i in rng.randint(len(images), size=n):
        im = images[i]
        y, x = rng.randint(0, im.shape[0] - side + 1), rng.randint(0, im.shape[1] - side + 1)
        out.append(im[y : y + side, x : x + side])
    return np.stack(out)


def train_ae(mode: str, images: list[np.ndarray], steps: int = 1500, batch: int = 16, side: int = 64,
             seed: int = 0, log=None) -> TinyAE:
    """Fit one autoencoder to random crops of ``images`` (L1 loss, Adam, cosine decay)."""
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    ae = TinyAE(mode)
    opt = torch.optim.Adam(ae.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(1, steps))
    t0, total = time.time(), 0.0
    for step in range(steps):
        x = to_tensor(_random_crops(images, rng, batch, side))
        loss = F.l1_loss(ae(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
        if log and (step + 1) % 500 == 0:
            log(f"autoencoder {mode}: step {step + 1}/{steps}, L1 {total / 500:.4f} ({time.time() - t0:.0f} s)")
            total = 0.0
    return ae.eval()


def reconstruct(ae: TinyAE, image: np.ndarray) -> np.ndarray:
    """The autoencoder's copy of ``image`` (sides cropped to multiples of 8): uint8 (H', W', 3)."""
    h, w = image.shape[0] // 8 * 8, image.shape[1] // 8 * 8
    with torch.inference_mode():
        y = ae(to_tensor(image[None, :h, :w]))[0]
    return ((y.clamp(-1, 1).permute(1, 2, 0).numpy() + 1) * 127.5).round().astype(np.uint8)
