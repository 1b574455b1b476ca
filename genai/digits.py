"""A GAN and a VAE trained side by side on 8x8 handwritten digits (the GAN Playground's third tab).

The digits are scikit-learn's built-in set (1,797 images of 8x8 pixels, 17 grey levels; the file
ships inside the scikit-learn wheel, nothing is downloaded). Both models are small MLPs with the
same latent size, trained step for step on the same batches:

- GAN: G maps z ~ N(0, I) to an image; D tells real from generated. The adversarial game
  min_G max_D E[log D(x)] + E[log(1 - D(G(z)))], with the non-saturating generator loss.
- VAE: an encoder q(z|x) and a decoder p(x|z), trained to maximise the evidence lower bound
  E_q[log p(x|z)] - KL(q(z|x) || N(0, I)) (Bernoulli likelihood on the pixels).

What the lecture says shows up: the GAN's samples are crisp (D punishes anything that does not
look like ink on paper) but may miss some digits; the VAE's are blurry (the likelihood rewards the
average of what might be there) but cover every digit. :func:`crispness` puts a number on it.
No Streamlit here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from genai.playground import exclusive, for_seconds

LATENT = 8
HIDDEN = 128
SHOWN = 16  # samples drawn per model (a 4 x 4 grid), from fixed noise


@lru_cache(maxsize=1)
def digits() -> np.ndarray:
    """The 1,797 digits as float32 (N, 64) in [0, 1]."""
    from sklearn.datasets import load_digits

    return (load_digits().data / 16.0).astype(np.float32)


def crispness(images: np.ndarray) -> float:
    """Share of pixels (values in [0, 1]) that are clearly ink or clearly paper (below 0.2 or above 0.8)."""
    x = np.asarray(images, np.float32)
    return float(((x < 0.2) | (x > 0.8)).mean())


def _mlp(*sizes: int, out: nn.Module | None = None) -> nn.Sequential:
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(a, b), nn.LeakyReLU(0.2)]
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers, *([out] if out else []))


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = _mlp(64, HIDDEN, 2 * LATENT)
        self.decoder = _mlp(LATENT, HIDDEN, 64)  # logits of the pixels

    def forward(self, x: torch.Tensor, noise: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        z = mu + noise * torch.exp(0.5 * logvar)
        return self.decoder(z), mu, logvar


@dataclass
class DuelHistory:
    step: list[int] = field(default_factory=list)
    d_real: list[float] = field(default_factory=list)  # GAN: mean D(x) over the batch
    d_fake: list[float] = field(default_factory=list)  # GAN: mean D(G(z))
    recon: list[float] = field(default_factory=list)  # VAE: reconstruction term, -E_q[log p(x|z)] per image
    kl: list[float] = field(default_factory=list)  # VAE: KL(q(z|x) || p(z)) per image


class DigitsDuel:
    """The two models, their optimisers and what happened so far. Reproducible from ``seed``."""

    def __init__(self, seed: int = 0, lr: float = 1e-3, batch: int = 64):
        torch.manual_seed(seed)
        self.seed = seed
        self.data = torch.from_numpy(digits())
        self.G = _mlp(LATENT, HIDDEN, HIDDEN, 64, out=nn.Sigmoid())
        self.D = _mlp(64, HIDDEN, 1)  # logits
        self.vae = VAE()
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=lr, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=lr, betas=(0.5, 0.999))
        self.opt_v = torch.optim.Adam(self.vae.parameters(), lr=lr)
        self.rng = torch.Generator().manual_seed(seed)
        self.batch = batch
        self.steps = 0
        self.history = DuelHistory()
        self._z = torch.randn(SHOWN, LATENT, generator=torch.Generator().manual_seed(seed + 1))
        self.lock = threading.RLock()  # one step at a time: a page's Play loop and its buttons share the duel

    @exclusive
    def play(self, seconds: float, most: int = 5000) -> int:
        """Steps of both models for about ``seconds`` (a frame of Play); the steps run."""
        return for_seconds(self.train, seconds, most)

    @exclusive
    def train(self, n: int = 1) -> None:
        """``n`` steps of both models, each on the same real batch."""
        for _ in range(n):
            x = self.data[torch.randint(0, len(self.data), (self.batch,), generator=self.rng)]
            z = torch.randn(self.batch, LATENT, generator=self.rng)
            # GAN: one D-step, then one G-step (k = 1), non-saturating generator loss.
            fake = self.G(z)
            real_logit, fake_logit = self.D(x), self.D(fake.detach())
            d_loss = F.binary_cross_entropy_with_logits(real_logit, torch.ones_like(real_logit)) + \
                F.binary_cross_entropy_with_logits(fake_logit, torch.zeros_like(fake_logit))
            self.opt_d.zero_grad()
            d_loss.backward()
            self.opt_d.step()
            g_logit = self.D(fake)
            g_loss = F.binary_cross_entropy_with_logits(g_logit, torch.ones_like(g_logit))
            self.opt_g.zero_grad()
            g_loss.backward()
            self.opt_g.step()
            # VAE: one step on the negative ELBO.
            logits, mu, logvar = self.vae(x, torch.randn(self.batch, LATENT, generator=self.rng))
            recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / self.batch
            kl = -0.5 * torch.sum(1 + logvar - mu**2 - logvar.exp()) / self.batch
            self.opt_v.zero_grad()
            (recon + kl).backward()
            self.opt_v.step()
            self.steps += 1
            if self.steps % 10 == 0 or self.steps == 1:
                h = self.history
                h.step.append(self.steps)
                h.d_real.append(torch.sigmoid(real_logit).mean().item())
                h.d_fake.append(torch.sigmoid(fake_logit).mean().item())
                h.recon.append(recon.item())
                h.kl.append(kl.item())

    @exclusive
    def samples(self) -> dict[str, np.ndarray]:
        """Each model's samples from the same fixed noise, float32 (SHOWN, 8, 8) in [0, 1]; and real digits."""
        with torch.no_grad():
            gan = self.G(self._z).numpy()
            vae = torch.sigmoid(self.vae.decoder(self._z)).numpy()
        real = digits()[:SHOWN]
        return {"gan": gan.reshape(-1, 8, 8), "vae": vae.reshape(-1, 8, 8), "real": real.reshape(-1, 8, 8)}


def grid(images: np.ndarray, cols: int = 4, scale: int = 12) -> np.ndarray:
    """(N, 8, 8) images in [0, 1] as one uint8 picture, dark ink on white paper, each pixel ``scale`` px."""
    n = len(images)
    rows = -(-n // cols)
    pad = 1
    side = 8 + pad
    canvas = np.ones((rows * side + pad, cols * side + pad), np.float32) * 0.75
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        canvas[pad + r * side : pad + r * side + 8, pad + c * side : pad + c * side + 8] = 1 - im
    return (np.kron(canvas, np.ones((scale, scale))) * 255).round().astype(np.uint8)
