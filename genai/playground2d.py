"""The minimax game in two dimensions, GAN Lab's view (the GAN Playground page's second tab).

Real data: a preset (a ring or a grid of Gaussians, two moons, a line) or points a teacher places,
each blurred by a small Gaussian. G maps z ~ U(-1, 1)^2 to the plane; D maps a point to a
probability. Training is Algorithm 1, as in :mod:`genai.playground`. What the page shows, all
computed here: real and generated samples, D's decision over the plane, the generator's manifold
(the image of a grid in the z square), and on each generated sample the direction the generator's
gradient moves it. Failure presets set up the classic failures on purpose, and :func:`modes_covered`
counts how many modes of a mixture the generator reaches.
No Streamlit here: the page only draws what :meth:`Game2D.snapshot` returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from genai.playground import LOSSES, Minimax, exclusive

DATASETS = ("ring", "grid", "moons", "line", "custom")
EXTENT = 3.0  # the plane shown at least: [-EXTENT, EXTENT]^2 (it grows to keep the generated samples in sight)
MAX_VIEW = 40.0  # ... up to this half-width: a generator that has run off to infinity is shown at the edge
HEAT = 48  # D's decision is drawn on a HEAT x HEAT grid
MANIFOLD_LINES = 11  # the z square's grid: this many lines each way ...
MANIFOLD_POINTS = 25  # ... of this many points
SHOWN = 384  # real and generated samples drawn (fixed z and fixed real samples: the picture moves, not the dots' luck)
ARROWS = 96  # generated samples that carry a gradient arrow


@dataclass(frozen=True)
class Game2DConfig:
    data: str = "ring"  # one of DATASETS
    std: float = 0.1  # each mode's (or point's) blur
    points: tuple[tuple[float, float], ...] = ()  # the teacher's points, for data="custom"
    loss: str = "nonsaturating"  # one of genai.playground.LOSSES
    k: int = 1  # D steps per G step
    batch: int = 256
    lr_d: float = 0.001  # Adam
    lr_g: float = 0.001
    hidden: int = 64  # units in each of the hidden layers of G and D
    layers: int = 2  # hidden layers of G and D
    seed: int = 0

    def __post_init__(self):
        if self.data not in DATASETS:
            raise ValueError(f"data must be one of {', '.join(DATASETS)}, not {self.data!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, not {self.loss!r}")
        if self.data == "custom" and not self.points:
            raise ValueError("custom data needs at least one point")
        if self.k < 1 or self.batch < 2 or self.std <= 0 or self.layers < 1:
            raise ValueError("k >= 1, batch >= 2, std > 0 and layers >= 1 are needed")


# Presets that show a lesson: a config, and the i18n key of the explanation beside it.
FAILURES: dict[str, Game2DConfig] = {
    # Equal learning rates, k = 1: the samples spread over all 8 modes (in 425-700 iterations, seeds 0-4).
    "healthy": Game2DConfig(lr_d=0.002, lr_g=0.002),
    # Mode collapse: a discriminator trained 10 steps per generator step at a high learning rate
    # leaves G one or two places it still calls real; G piles nearly all its samples there.
    "mode_collapse": Game2DConfig(k=10, lr_d=0.01),
    # D too strong with the saturating loss: log(1 - D(G(z))) is flat where D(G(z)) is near 0, so
    # the generator's gradient vanishes and the fakes stop moving.
    "vanishing": Game2DConfig(loss="saturating", k=20, lr_d=0.01, seed=1),
    # Learning rates too high: the players overshoot each other and the fakes circle instead of settling.
    "oscillation": Game2DConfig(lr_d=0.02, lr_g=0.02, batch=64),
}


def mode_centres(config: Game2DConfig) -> np.ndarray | None:
    """The centres (M, 2) of a mixture's modes, or None for data that are not a mixture of blobs."""
    if config.data == "ring":
        a = np.arange(8) * 2 * math.pi / 8
        return np.stack([2 * np.cos(a), 2 * np.sin(a)], 1).astype(np.float32)
    if config.data == "grid":
        g = np.linspace(-2, 2, 5, dtype=np.float32)
        return np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    if config.data == "custom":
        return np.asarray(config.points, np.float32)
    return None


def modes_covered(samples: np.ndarray, centres: np.ndarray, std: float, share: float = 0.25) -> int:
    """How many modes get at least ``share`` of their fair share of ``samples`` within 3 std of their
    centre (a uniform spread over M modes gives each 1/M)."""
    d = np.linalg.norm(samples[:, None, :] - centres[None], axis=-1)
    near = d.argmin(1)[d.min(1) <= 3 * std]
    counts = np.bincount(near, minlength=len(centres))
    return int((counts >= share * len(samples) / len(centres)).sum())


def on_a_mode(samples: np.ndarray, centres: np.ndarray, std: float) -> float:
    """Share of ``samples`` (N, 2) within 3 std of one of the ``centres`` (M, 2)."""
    d = np.linalg.norm(samples[:, None, :] - centres[None], axis=-1)
    return float((d.min(1) <= 3 * std).mean())


def view_extent(fake: np.ndarray) -> float:
    """The half-width of the square to draw: EXTENT, grown in steps of 1 so that the generated samples
    (N, 2) stay in sight (up to MAX_VIEW). Steps, not the exact maximum: the axes move rarely."""
    far = float(np.nanmax(np.abs(fake))) if fake.size and np.isfinite(fake).any() else 0.0
    return float(min(MAX_VIEW, max(EXTENT, math.ceil(far * 1.1))))


def _mlp(inputs: int, outputs: int, hidden: int, layers: int, out: nn.Module | None = None) -> nn.Sequential:
    mods: list[nn.Module] = []
    width = inputs
    for _ in range(layers):
        mods += [nn.Linear(width, hidden), nn.LeakyReLU(0.2)]
        width = hidden
    return nn.Sequential(*mods, nn.Linear(width, outputs), *([out] if out else []))


class Game2D(Minimax):
    """One 2-D game: the players, their optimisers, and what happened so far. Reproducible from ``seed``."""

    def __init__(self, config: Game2DConfig = Game2DConfig()):
        self.config = config
        torch.manual_seed(config.seed)
        self._players(_mlp(2, 2, config.hidden, config.layers), _mlp(2, 1, config.hidden, config.layers, nn.Sigmoid()))
        shown = torch.Generator().manual_seed(config.seed + 1)
        self._z_shown = torch.rand(SHOWN, 2, generator=shown) * 2 - 1
        self._real_shown = self._real(SHOWN, shown).numpy()
        g = np.linspace(-1, 1, MANIFOLD_LINES, dtype=np.float32)
        t = np.linspace(-1, 1, MANIFOLD_POINTS, dtype=np.float32)
        rows = np.stack(np.meshgrid(t, g), -1).reshape(-1, 2)  # lines of constant z2
        cols = rows[:, ::-1].copy()  # lines of constant z1
        self._z_grid = torch.from_numpy(np.concatenate([rows, cols]))
        self._record()

    # --- sampling ------------------------------------------------------------------------------
    def _real(self, n: int, rng: torch.Generator) -> torch.Tensor:
        c = self.config
        blur = torch.randn(n, 2, generator=rng) * c.std
        centres = mode_centres(c)
        if centres is not None:
            pick = torch.randint(0, len(centres), (n,), generator=rng)
            return torch.from_numpy(centres)[pick] + blur
        u = torch.rand(n, generator=rng)
        if c.data == "line":
            return torch.stack([u * 4 - 2, (u * 4 - 2) * 0.5], 1) + blur
        # two moons: half circles of radius 1, the second shifted and upside down
        upper = torch.rand(n, generator=rng) < 0.5
        a = u * math.pi
        x = torch.where(upper, torch.cos(a), 1 - torch.cos(a))
        y = torch.where(upper, torch.sin(a), 0.5 - torch.sin(a))
        return torch.stack([x - 0.5, y - 0.25], 1) * 1.5 + blur

    def real(self, n: int) -> torch.Tensor:
        return self._real(n, self.rng)

    def noise(self, n: int) -> torch.Tensor:
        return torch.rand(n, 2, generator=self.rng) * 2 - 1

    def _record(self, d_loss: float | None = None, g_loss: float | None = None) -> None:
        """V(D, G) and both losses on 512 fresh samples (there is no closed-form density in 2-D)."""
        with torch.no_grad():
            x, z = self.real(512), self.noise(512)
            d_real, d_fake = self.D(x).clamp(1e-6, 1 - 1e-6), self.D(self.G(z)).clamp(1e-6, 1 - 1e-6)
        h = self.history
        h.iteration.append(self.iterations)
        h.value.append(float(torch.log(d_real).mean() + torch.log(1 - d_fake).mean()))
        h.d_loss.append(-h.value[-1])
        h.g_loss.append(float(self.generator_loss(d_fake)))
        h.js.append(float("nan"))  # no closed-form density in 2-D; the modes count stands in

    # --- what the page draws ---------------------------------------------------------------------
    @exclusive
    def snapshot(self) -> dict:
        """Everything the 2-D view draws, as numpy arrays:

        real, fake: (SHOWN, 2) samples; view: the half-width of the square shown (:func:`view_extent`);
        heat_axis (HEAT,) and heat (HEAT, HEAT): D over that square (rows: y); manifold: (2 * MANIFOLD_LINES, MANIFOLD_POINTS, 2), the z grid's lines through
        G; arrows_from, arrows_to: (ARROWS, 2), each generated sample and where a step along minus
        the generator loss' gradient would move it (scaled to show direction, with the lengths
        ranked as measured); grad_mean: the mean gradient norm at the samples (tiny: vanishing);
        modes: covered modes and their number (None when the data are not a mixture); on_modes: the
        share of generated samples within 3 std of some mode (None likewise): few modes covered
        while most samples sit on a mode is mode collapse.
        """
        fake = self.G(self._z_shown).detach().requires_grad_(True)
        view = view_extent(fake.detach().numpy())
        axis = np.linspace(-view, view, HEAT, dtype=np.float32)
        with torch.no_grad():
            heat = self.D(torch.from_numpy(np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2)))
            heat = heat.reshape(HEAT, HEAT).numpy()
            manifold = self.G(self._z_grid).numpy().reshape(2 * MANIFOLD_LINES, MANIFOLD_POINTS, 2)
        loss = self.generator_loss(self.D(fake)) * len(fake)  # per-sample gradients: undo the mean
        (grad,) = torch.autograd.grad(loss, fake)
        fake_np, step = fake.detach().numpy(), -grad.numpy()
        norms = np.linalg.norm(step, axis=1)
        some = slice(0, ARROWS)
        longest = float(norms.max()) if norms.max() > 0 else 1.0
        arrows_to = fake_np[some] + step[some] / longest * 0.5
        centres = mode_centres(self.config)
        modes = None if centres is None or self.config.data == "custom" else \
            (modes_covered(fake_np, centres, self.config.std), len(centres))
        on_modes = None if centres is None else on_a_mode(fake_np, centres, self.config.std)
        return {"real": self._real_shown, "fake": fake_np, "view": view, "heat_axis": axis, "heat": heat,
                "manifold": manifold, "arrows_from": fake_np[some], "arrows_to": arrows_to,
                "grad_mean": float(norms.mean()), "modes": modes, "on_modes": on_modes}
