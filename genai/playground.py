"""The minimax game in one dimension, small enough to watch live (the GAN Playground page).

    min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))]

Real data x: a Gaussian or a two-mode mixture on the line. The generator G maps noise z (uniform
or Gaussian) to x through a small MLP; the discriminator D maps x to a probability. Training is
Algorithm 1 of Goodfellow et al. (2014): k steps of D with G held fixed (ascending V), then one
step of G with D held fixed (descending V, or, non-saturating, ascending log D(G(z))). For a fixed
G the best D is D*(x) = p_data(x) / (p_data(x) + p_g(x)); when p_g = p_data it is 1/2 everywhere,
the game's equilibrium. Densities, D, D* and the Jensen-Shannon divergence are computed on a grid.
No Streamlit here: the page only draws what :meth:`Game1D.snapshot` returns.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

PLAY_FRAME_S = 1.0  # a page playing a game draws a frame every PLAY_FRAME_S seconds ...
PLAY_TRAIN_S = 0.7  # ... of which about this long trains (Minimax.play, DigitsDuel.play), the rest draws
GRID = np.linspace(-6.0, 6.0, 241, dtype=np.float32)  # where densities, D and D* are evaluated
PRESETS = ("gaussian", "mixture")
NOISES = ("uniform", "gaussian")
LOSSES = ("nonsaturating", "saturating")


@dataclass(frozen=True)
class Game1DConfig:
    real: str = "gaussian"  # one of PRESETS
    mean: float = 1.5  # the Gaussian's mean (the mixture's modes sit at mean +- spread)
    std: float = 0.6  # each mode's standard deviation
    spread: float = 2.0  # half the distance between the mixture's two modes
    noise: str = "uniform"  # z ~ U(-1, 1) or N(0, 1); one of NOISES
    loss: str = "nonsaturating"  # the generator's loss; one of LOSSES
    k: int = 1  # D steps per G step
    batch: int = 128
    lr_d: float = 0.002  # Adam
    lr_g: float = 0.002
    hidden: int = 32  # units in each of the two hidden layers of G and D
    seed: int = 0

    def __post_init__(self):
        for name, value, allowed in (("real", self.real, PRESETS), ("noise", self.noise, NOISES),
                                     ("loss", self.loss, LOSSES)):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if self.k < 1 or self.batch < 2 or self.std <= 0:
            raise ValueError("k >= 1, batch >= 2 and std > 0 are needed")


def _mlp(hidden: int, out: nn.Module | None = None) -> nn.Sequential:
    layers = [nn.Linear(1, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
              nn.Linear(hidden, 1)]
    return nn.Sequential(*layers, *([out] if out else []))


@dataclass
class Step:
    """What one training step did: which line of Algorithm 1, and its numbers."""

    player: str  # "D" or "G"
    d_real: float  # mean D(x) over the batch's real samples
    d_fake: float  # mean D(G(z)) over its generated samples
    loss: float  # the loss the player descended
    grad_norm: float  # norm of the player's gradient


@dataclass
class History:
    iteration: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)  # V(D, G) on the grid
    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    js: list[float] = field(default_factory=list)  # JS(p_data || p_g), in nats (at most log 2)


def exclusive(method):
    """Run a game's method while holding the game's lock: one writer (or reader) at a time.

    A page's Play loop (a fragment that reruns on a timer) and its buttons can reach the same game
    at the same moment; two optimiser steps on one network, or a step under a snapshot's autograd,
    corrupt each other ("modified by an inplace operation") or crash the process."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return locked


class PlayTime:
    """The seconds of training one Play frame may take, shared by every game playing in this process.

    One server runs a whole class, and each playing game would otherwise train PLAY_TRAIN_S of
    every PLAY_FRAME_S: three students pressing Play (or one with Play on in all three tabs, which
    keep playing while hidden) would take both cores from everyone's quiz and detector. Here the
    games that asked within the last ``window`` seconds split ``total`` evenly: one game alone
    trains as before, ten together cost the machine no more than one does, each a tenth as fast.
    """

    def __init__(self, total: float = PLAY_TRAIN_S, window: float = 2.5 * PLAY_FRAME_S, clock=time.monotonic):
        self.total, self.window, self.clock = total, window, clock
        self._asked: dict[int, float] = {}  # id of a game -> when it last asked
        self._lock = threading.Lock()

    def share(self, game: object) -> float:
        """Seconds ``game`` may train in this frame; asking also counts it as playing."""
        now = self.clock()
        with self._lock:
            self._asked[id(game)] = now
            self._asked = {k: at for k, at in self._asked.items() if now - at <= self.window}
            return self.total / len(self._asked)

    def playing(self) -> int:
        """Games that asked within the window."""
        now = self.clock()
        with self._lock:
            return sum(now - at <= self.window for at in self._asked.values())


PLAY_TIME = PlayTime()  # the process's one clock: every page's Play frames draw on it


def for_seconds(step, seconds: float, most: int = 1000) -> int:
    """Call ``step()`` for about ``seconds`` of compute (at least once, at most ``most`` times): a
    frame of Play advances a game as far as the machine allows, not a fixed few steps. Returns the
    calls made."""
    end, n = time.perf_counter() + seconds, 0
    while n < most:
        step()
        n += 1
        if time.perf_counter() >= end:
            break
    return n


class Minimax:
    """What every game of the page shares: two players (``G``, ``D``, their Adam optimisers) and the
    steps of Algorithm 1. A game builds its players with :meth:`_players` and gives ``config``
    (with ``k``, ``batch``, ``loss``, ``lr_d``, ``lr_g``, ``seed``), ``real(n)``, ``noise(n)`` and
    ``_record(d_loss, g_loss)``, which adds a point to ``history``.

    Every public step and :meth:`snapshot` hold the game's ``lock`` (re-entrant), so threads may
    share a game: each call sees the players between whole steps."""

    config: Game1DConfig
    history: History

    def _players(self, G: nn.Module, D: nn.Module) -> None:
        self.lock = threading.RLock()
        self.G, self.D = G, D
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=self.config.lr_d, betas=(0.5, 0.999))
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=self.config.lr_g, betas=(0.5, 0.999))
        self.rng = torch.Generator().manual_seed(self.config.seed)
        self.iterations = 0
        self.steps = 0  # D- and G-steps taken
        self.last: Step | None = None
        self.history = History()

    @exclusive
    def retuned(self, **changes) -> None:
        """Change learning rates, k, batch or the generator's loss mid-game (the players are kept)."""
        self.config = replace(self.config, **changes)
        for opt, lr in ((self.opt_d, self.config.lr_d), (self.opt_g, self.config.lr_g)):
            for group in opt.param_groups:
                group["lr"] = lr

    def real(self, n: int) -> torch.Tensor:
        raise NotImplementedError

    def noise(self, n: int) -> torch.Tensor:
        raise NotImplementedError

    def _record(self, d_loss: float | None = None, g_loss: float | None = None) -> None:
        raise NotImplementedError

    def d_step(self) -> Step:
        """One step of D, G held fixed: ascend log D(x) + log(1 - D(G(z)))."""
        n = self.config.batch
        x = self.real(n)
        with torch.no_grad():
            fake = self.G(self.noise(n))
        d_real, d_fake = self.D(x), self.D(fake)
        eps = 1e-6
        loss = -(torch.log(d_real + eps).mean() + torch.log(1 - d_fake + eps).mean())
        self.opt_d.zero_grad()
        loss.backward()
        norm = _grad_norm(self.D)
        self.opt_d.step()
        self.steps += 1
        self.last = Step("D", d_real.mean().item(), d_fake.mean().item(), loss.item(), norm)
        return self.last

    def generator_loss(self, d_fake: torch.Tensor) -> torch.Tensor:
        """log(1 - D(G(z))) to descend (saturating), or -log D(G(z)) (non-saturating), batch mean."""
        eps = 1e-6
        if self.config.loss == "saturating":
            return torch.log(1 - d_fake + eps).mean()
        return -torch.log(d_fake + eps).mean()

    def g_step(self) -> Step:
        """One step of G, D held fixed: descend its loss."""
        d_fake = self.D(self.G(self.noise(self.config.batch)))
        loss = self.generator_loss(d_fake)
        self.opt_g.zero_grad()
        self.opt_d.zero_grad()
        loss.backward()
        norm = _grad_norm(self.G)
        self.opt_g.step()
        self.steps += 1
        self.last = Step("G", float("nan"), d_fake.mean().item(), loss.item(), norm)
        return self.last

    @exclusive
    def iteration(self, n: int = 1) -> None:
        """``n`` iterations of Algorithm 1: k D-steps, then one G-step; the curves get a point each."""
        for _ in range(n):
            for _ in range(self.config.k):
                d = self.d_step()
            g = self.g_step()
            self.iterations += 1
            self._record(d.loss, g.loss)

    @exclusive
    def play(self, seconds: float, most: int = 1000) -> int:
        """Whole iterations for about ``seconds`` (:func:`for_seconds`); the iterations run."""
        return for_seconds(self.iteration, seconds, most)

    @exclusive
    def train_d(self) -> None:
        """The k D-steps alone."""
        for _ in range(self.config.k):
            self.d_step()
        self._record(self.last.loss, None)

    @exclusive
    def train_g(self) -> None:
        """One G-step alone."""
        self.g_step()
        self._record(None, self.last.loss)


class Game1D(Minimax):
    """One game: the two players, their optimisers and what happened so far. Reproducible from ``seed``."""

    def __init__(self, config: Game1DConfig = Game1DConfig()):
        self.config = config
        torch.manual_seed(config.seed)
        self._players(_mlp(config.hidden), _mlp(config.hidden, nn.Sigmoid()))
        self._grid: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None  # for self.steps
        self._record()

    # --- sampling ------------------------------------------------------------------------------
    def real(self, n: int) -> torch.Tensor:
        c = self.config
        x = torch.randn(n, 1, generator=self.rng) * c.std
        if c.real == "mixture":
            sign = torch.randint(0, 2, (n, 1), generator=self.rng).float() * 2 - 1
            return x + sign * c.spread
        return x + c.mean

    def noise(self, n: int) -> torch.Tensor:
        if self.config.noise == "uniform":
            return torch.rand(n, 1, generator=self.rng) * 2 - 1
        return torch.randn(n, 1, generator=self.rng)

    def p_data(self, x: np.ndarray) -> np.ndarray:
        c = self.config

        def normal(m):
            return np.exp(-0.5 * ((x - m) / c.std) ** 2) / (c.std * math.sqrt(2 * math.pi))

        return 0.5 * (normal(-c.spread) + normal(c.spread)) if c.real == "mixture" else normal(c.mean)

    # --- what the page draws ---------------------------------------------------------------------
    def p_g(self, samples: int = 20000) -> np.ndarray:
        """The generator's density on GRID, from a histogram of its samples (fixed z, so it does not flicker)."""
        with torch.no_grad():
            x = self.G(self._z_fixed(samples)).numpy().ravel()
        step = float(GRID[1] - GRID[0])
        edges = np.r_[GRID - step / 2, GRID[-1] + step / 2]
        counts, _ = np.histogram(x, edges)
        density = counts / (samples * step)
        kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.0) ** 2)  # Gaussian smoothing, 0.1 wide on x
        return np.convolve(density, kernel / kernel.sum(), mode="same")

    def _z_fixed(self, n: int) -> torch.Tensor:
        g = torch.Generator().manual_seed(12345)
        return torch.rand(n, 1, generator=g) * 2 - 1 if self.config.noise == "uniform" else torch.randn(n, 1, generator=g)

    def on_grid(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """p_data, p_g and D(x) on GRID, computed once per state of the players."""
        if self._grid is None or self._grid[0] != self.steps:
            with torch.no_grad():
                d = self.D(torch.from_numpy(GRID)[:, None]).numpy().ravel()
            self._grid = (self.steps, self.p_data(GRID), self.p_g(), d)
        return self._grid[1:]

    @exclusive
    def snapshot(self, mapping_lines: int = 24) -> dict:
        """Everything the 1-D figure shows: grid, p_data, p_g, D(x), D*(x), and z -> G(z) for a few z."""
        pd, pg, d = self.on_grid()
        with torch.no_grad():
            z = (np.linspace(-1, 1, mapping_lines) if self.config.noise == "uniform"
                 else np.linspace(-2, 2, mapping_lines)).astype(np.float32)
            gz = self.G(torch.from_numpy(z)[:, None]).numpy().ravel()
        d_star = np.where(pd + pg > 1e-4, pd / np.maximum(pd + pg, 1e-12), np.nan)
        return {"x": GRID, "p_data": pd, "p_g": pg, "d": d, "d_star": d_star, "z": z, "g_z": gz,
                "js": js_divergence(pd, pg), "off_half": self.off_half()}

    @exclusive
    def off_half(self) -> float:
        """max |D(x) - 1/2| over the real data's support (where p_data is at least 1% of its peak)."""
        pd, _, d = self.on_grid()
        return float(np.abs(d - 0.5)[pd >= 0.01 * pd.max()].max())

    @exclusive
    def at_equilibrium(self, js_below: float = 0.05, off_half_below: float = 0.1) -> bool:
        return bool(self.history.js and self.history.js[-1] < js_below and self.off_half() < off_half_below)

    def _record(self, d_loss: float | None = None, g_loss: float | None = None) -> None:
        pd, pg, d = self.on_grid()
        step = float(GRID[1] - GRID[0])
        eps = 1e-6
        value = float(np.sum(pd * np.log(d + eps)) * step + np.sum(pg * np.log(1 - d + eps)) * step)
        h = self.history
        h.iteration.append(self.iterations)
        h.value.append(value)
        h.d_loss.append(float("nan") if d_loss is None else d_loss)
        h.g_loss.append(float("nan") if g_loss is None else g_loss)
        h.js.append(js_divergence(pd, pg))


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence of two densities on GRID, in nats (0 = equal, log 2 = disjoint)."""
    step = float(GRID[1] - GRID[0])
    p = p / max(p.sum() * step, 1e-12)
    q = q / max(q.sum() * step, 1e-12)
    m = (p + q) / 2

    def kl(a):
        mask = a > 0
        return float(np.sum(a[mask] * np.log(a[mask] / m[mask])) * step)

    return 0.5 * kl(p) + 0.5 * kl(q)


def _grad_norm(module: nn.Module) -> float:
    return float(torch.sqrt(sum((p.grad ** 2).sum() for p in module.parameters() if p.grad is not None)))
