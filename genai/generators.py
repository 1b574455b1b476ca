"""Face generators: the pretrained DCGAN and users' own checkpoints.

Every generator maps latent vectors z of shape (N, nz, 1, 1) to images in [-1, 1] of shape
(N, 3, H, W). :class:`FaceGenerator` wraps one and speaks numpy at its boundary: seeds in,
RGB ``uint8`` arrays of shape (N, H, W, 3) out.

Loading never executes code from a file: state dicts go through ``torch.load(weights_only=True)``
and are rebuilt into our own module; TorchScript archives run in the TorchScript interpreter, which
cannot import or call Python.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import pickletools
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import torch
from torch import nn

from core.weights import WeightsError, load_shipped

CHECKPOINT_VERSION = 1

# Faces generated per forward pass: keeps peak memory flat for long interpolations.
_BATCH = 64


class CheckpointError(ValueError):
    """A generator file that cannot be used.

    Attributes:
        reason: machine-readable cause, one of ``REASONS``; pages translate it for the user.
        detail: the specifics (a key name, two shapes, the refused Python global).
    """

    REASONS = (
        "not_found",
        "not_a_checkpoint",
        "unsafe_pickle",
        "wrong_keys",
        "wrong_shapes",
        "bad_output",
        "sha256_mismatch",
    )

    def __init__(self, reason: str, detail: str):
        assert reason in self.REASONS, reason
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class DCGANConfig:
    nz: int = 100  # length of the latent vector z
    ngf: int = 64  # feature maps in the generator's last hidden layer (x8, x4, x2, x1 from the top)
    nc: int = 3  # image channels (RGB)


def build_dcgan(config: DCGANConfig) -> nn.Module:
    """The DCGAN generator of Radford et al., as shipped by ``gan-face-generate`` (64x64 output)."""
    from gan_face_generate.models import Generator

    return Generator(ngpu=0, nc=config.nc, nz=config.nz, ngf=config.ngf)


class FaceGenerator:
    """A generator network plus the conventions to sample it reproducibly.

    Args:
        net: module mapping z (N, nz, 1, 1) float32 to images (N, 3, H, W) in [-1, 1].
        nz: latent length.
        name: registry name or file name, for labels and provenance.
        config: the DCGAN config when ``net`` is one (needed to save a checkpoint), else None.
        device: torch device for inference; CPU when None.
    """

    def __init__(
        self,
        net: nn.Module,
        nz: int,
        name: str,
        config: DCGANConfig | None = None,
        device: str | torch.device | None = None,
    ):
        self.device = torch.device(device or "cpu")
        # eval(): BatchNorm uses its running statistics, so a face depends on its seed only,
        # not on which other faces share its batch.
        self.net = net.to(self.device).eval()
        self.nz = nz
        self.name = name
        self.config = config
        self.image_size = int(self.synthesize(np.zeros((1, nz), np.float32)).shape[1])

    def latents(self, seeds: Sequence[int], temperature: float = 1.0) -> np.ndarray:
        """One latent per seed, float32 (N, nz); seed s always gives the same z (StyleGAN3's rule).

        ``temperature`` scales z: below 1 trades variety for typical, cleaner faces.
        """
        z = np.stack([np.random.RandomState(int(s) % 2**32).randn(self.nz) for s in seeds])
        return (z * float(temperature)).astype(np.float32)

    def synthesize(self, z: np.ndarray) -> np.ndarray:
        """Images for latents ``z`` (N, nz) -> RGB uint8 (N, H, W, 3)."""
        z = np.asarray(z, np.float32).reshape(len(z), self.nz, 1, 1)
        out = []
        with torch.inference_mode():
            for start in range(0, len(z), _BATCH):
                x = self.net(torch.from_numpy(z[start : start + _BATCH]).to(self.device))
                x = ((x.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
                out.append(x.permute(0, 2, 3, 1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, 0, 0, 3), np.uint8)

    def sample(self, seeds: Sequence[int], temperature: float = 1.0) -> np.ndarray:
        """Faces for ``seeds``: RGB uint8 (len(seeds), H, W, 3)."""
        return self.synthesize(self.latents(seeds, temperature))

    def interpolate(
        self, seed_a: int, seed_b: int, steps: int = 8, temperature: float = 1.0
    ) -> np.ndarray:
        """A morph from seed_a's face to seed_b's: RGB uint8 (steps, H, W, 3), both ends included.

        Spherical interpolation (slerp) keeps every intermediate z at the typical norm of a
        Gaussian sample; a straight line would pass through low-norm, washed-out faces.
        """
        za, zb = self.latents([seed_a, seed_b], temperature)
        t = np.linspace(0.0, 1.0, max(2, int(steps)), dtype=np.float64)
        return self.synthesize(slerp(za, zb, t))

    def save(self, path: str | Path) -> None:
        """Write a plain-data checkpoint ``{"state_dict", "config", "version"}``."""
        if self.config is None:
            raise TypeError(f"{self.name} is not a DCGAN built from a config; nothing to save")
        state = {k: v.detach().cpu() for k, v in self.net.state_dict().items()}
        payload = {
            "state_dict": state,
            "config": dataclasses.asdict(self.config),
            "version": CHECKPOINT_VERSION,
        }
        torch.save(payload, Path(path))


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation between vectors a and b (nz,) at fractions t (K,) -> (K, nz)."""
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    cos = np.dot(a64, b64) / (np.linalg.norm(a64) * np.linalg.norm(b64) + 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    t = t[:, None]
    if omega < 1e-6:  # parallel vectors: slerp degenerates to lerp
        return ((1 - t) * a64 + t * b64).astype(np.float32)
    s = np.sin(omega)
    return (np.sin((1 - t) * omega) / s * a64 + np.sin(t * omega) / s * b64).astype(np.float32)


# --- loading ---------------------------------------------------------------------------------


def _load_dcgan_digiface(device: str | torch.device | None = None) -> FaceGenerator:
    """The pretrained 64x64 DCGAN from PyPI ``gan-face-generate`` (trained on DigiFace-1M), sha256-pinned."""
    try:
        checkpoint = load_shipped("dcgan-digiface")
    except WeightsError as e:
        reason = e.reason if e.reason in CheckpointError.REASONS else "not_found"
        raise CheckpointError(reason, f"{e} (is gan-face-generate 1.1.1 installed?)") from None
    config = DCGANConfig()
    net = build_dcgan(config)
    net.load_state_dict(checkpoint["netG_state_dict"])
    return FaceGenerator(net, config.nz, "dcgan-digiface", config, device)


def load_checkpoint(
    source: str | Path | bytes | BinaryIO,
    *,
    nz: int | None = None,
    name: str | None = None,
    device: str | torch.device | None = None,
) -> FaceGenerator:
    """Load a user's generator from a file path, bytes or a binary file object.

    Accepted: a DCGAN-compatible state dict (plain, under ``netG_state_dict`` as saved by
    gan-face-generate, or our ``{"state_dict", "config", "version"}``), or a TorchScript module
    taking z of shape (N, nz, 1, 1).

    Args:
        source: the checkpoint.
        nz: latent length for a TorchScript module without an ``nz`` attribute (default 100).
        name: display name; the file name when None.
        device: torch device; CPU when None.

    Raises:
        CheckpointError: with ``reason`` saying what is wrong; nothing from the file is executed.
    """
    data, default_name = _read_source(source)
    name = name or default_name
    if _is_torchscript(data):
        return _load_torchscript(data, nz, name, device)
    try:
        obj = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        # weights_only refuses any global that is not a tensor or plain container: this is where
        # a pickle that would run code stops, before anything in it is called.
        raise _refusal(data, e) from None
    except Exception as e:  # noqa: BLE001 - torch raises many types for "not a checkpoint"
        raise CheckpointError("not_a_checkpoint", f"{type(e).__name__}: {_first_line(e)}") from None
    state, config = _state_and_config(obj)
    net = build_dcgan(config)
    _check_state(net, state)
    net.load_state_dict(state)
    return FaceGenerator(net, config.nz, name, config, device)


def _read_source(source: str | Path | bytes | BinaryIO) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), "checkpoint"
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise CheckpointError("not_found", str(path))
        return path.read_bytes(), path.name
    return source.read(), Path(getattr(source, "name", "checkpoint")).name


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:300] if text else type(e).__name__


def _refusal(data: bytes, error: Exception) -> CheckpointError:
    """Tell a pickle that wants to import code apart from a file that is not a pickle at all."""
    named = re.search(r"GLOBAL ([\w.]+)", str(error))
    imports = [named.group(1)] if named else _pickle_imports(data)
    if imports:
        return CheckpointError("unsafe_pickle", f"it would import and call {', '.join(imports[:3])}")
    return CheckpointError("not_a_checkpoint", "not a PyTorch checkpoint or pickle")


def _pickle_imports(data: bytes) -> list[str]:
    """Globals a bare pickle stream would import, read with pickletools (nothing is executed)."""
    if not data.startswith(b"\x80"):
        return []
    found, strings = [], []
    try:
        for op, arg, _ in pickletools.genops(io.BytesIO(data)):
            if op.name == "GLOBAL":
                found.append(str(arg).replace(" ", "."))
            elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
                found.append(f"{strings[-2]}.{strings[-1]}")
            elif isinstance(arg, str):
                strings.append(arg)
    except Exception:  # noqa: BLE001 - a truncated stream still tells what it imported so far
        pass
    return found


def _is_torchscript(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        return False
    # torch.save archives hold data.pkl only; TorchScript ones add compiled code and constants.
    return any(n.endswith("constants.pkl") or "/code/" in n for n in names)


def _load_torchscript(
    data: bytes, nz: int | None, name: str, device: str | torch.device | None
) -> FaceGenerator:
    try:
        net = torch.jit.load(io.BytesIO(data), map_location="cpu")
    except Exception as e:  # noqa: BLE001
        raise CheckpointError("not_a_checkpoint", f"TorchScript: {_first_line(e)}") from None
    nz = int(nz or getattr(net, "nz", 100))
    try:
        with torch.inference_mode():
            out = net(torch.zeros(1, nz, 1, 1))
    except Exception as e:  # noqa: BLE001
        raise CheckpointError("bad_output", f"calling it with z of shape (1, {nz}, 1, 1): {_first_line(e)}") from None
    if not (
        isinstance(out, torch.Tensor)
        and out.ndim == 4
        and out.shape[:2] == (1, 3)
        and out.shape[2] >= 8
        and out.shape[3] >= 8
        and out.is_floating_point()
    ):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise CheckpointError("bad_output", f"expected images of shape (1, 3, H, W), got {shape}")
    return FaceGenerator(net, nz, name, None, device)


def _state_and_config(obj: object) -> tuple[dict[str, torch.Tensor], DCGANConfig]:
    config = None
    if isinstance(obj, dict) and "state_dict" in obj and "config" in obj:
        state, raw = obj["state_dict"], obj["config"]
        fields = {f.name for f in dataclasses.fields(DCGANConfig)}
        if not isinstance(raw, dict) or not set(raw) <= fields:
            raise CheckpointError("wrong_keys", f"config must be a dict with keys {sorted(fields)}")
        config = DCGANConfig(**raw)
    elif isinstance(obj, dict) and "netG_state_dict" in obj:
        state = obj["netG_state_dict"]
    else:
        state = obj
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(
            "wrong_keys", "expected a state dict of tensors (or one under 'netG_state_dict')"
        )
    # Checkpoints saved from nn.DataParallel carry a "module." prefix (timm's clean_state_dict).
    state = {k.removeprefix("module."): v for k, v in state.items()}
    return state, config or _infer_config(state)


def _infer_config(state: dict[str, torch.Tensor]) -> DCGANConfig:
    first, last = state.get("main.0.weight"), state.get("main.12.weight")
    if first is None or last is None or first.ndim != 4 or last.ndim != 4:
        missing = [k for k in ("main.0.weight", "main.12.weight") if k not in state]
        raise CheckpointError(
            "wrong_keys",
            f"not a DCGAN generator: missing {missing or 'none'}; has {_preview(state)}",
        )
    # ConvTranspose2d weights are (in, out, k, k): the first maps nz -> ngf*8, the last ngf -> nc.
    return DCGANConfig(nz=first.shape[0], ngf=last.shape[0], nc=last.shape[1])


def _check_state(net: nn.Module, state: dict[str, torch.Tensor]) -> None:
    expected = net.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        raise CheckpointError(
            "wrong_keys", f"missing {missing[:5] or 'none'}, unexpected {unexpected[:5] or 'none'}"
        )
    for key, want in expected.items():
        if state[key].shape != want.shape:
            raise CheckpointError(
                "wrong_shapes", f"{key}: file has {tuple(state[key].shape)}, model needs {tuple(want.shape)}"
            )


def _preview(state: dict) -> str:
    keys = list(state)
    return ", ".join(keys[:4]) + (f" ... ({len(keys)} keys)" if len(keys) > 4 else "")


# --- registry --------------------------------------------------------------------------------

_GENERATORS: dict[str, Callable[..., FaceGenerator]] = {
    "dcgan-digiface": _load_dcgan_digiface,
    "checkpoint": load_checkpoint,
}


def list_generators() -> list[str]:
    """Names accepted by :func:`create_generator`, default first."""
    return list(_GENERATORS)


def create_generator(name: str = "dcgan-digiface", **kwargs) -> FaceGenerator:
    """Build a face generator by name.

    Args:
        name: one of :func:`list_generators`. ``"checkpoint"`` needs ``source=`` (path, bytes or
            file object) and accepts ``nz=`` for TorchScript modules.
        **kwargs: passed to the loader; every loader takes ``device=`` (CPU when None).

    Raises:
        ValueError: unknown name.
        CheckpointError: the weights are missing, altered or not a generator.
    """
    try:
        loader = _GENERATORS[name]
    except KeyError:
        raise ValueError(f"unknown generator {name!r}; valid names: {list_generators()}") from None
    return loader(**kwargs)
