"""The blend head: where a face was stitched in or a region of it repaired.

A face swap between two real photos, or a repair that regenerates only a hole, leaves no generator
trace for the patch head to find: only a seam where new pixels meet old ones (a colour or
sharpness step, a warped edge). This network learns seams alone. It was trained on self-blended
faces (Shiohara & Yamasaki, CVPR 2022: a real face blended with a jittered copy of itself inside
a mask from its landmarks), on faces blended with another training face (Face X-ray, Li et al.,
CVPR 2020) and on repairs where only a hole was refilled, some of every kind first skin-smoothed as
a beauty mode does, given drawn glasses or faded to black-and-white; never on the app's swaps
(``detectors.train_blend``). It sees the same 128 px crop, after the same canonical JPEG, as the
patch head, and draws three maps (stride 8):

- ``BLENDED``: how much of each cell was blended in from another face;
- ``REPAIRED``: how much of each cell was refilled by an inpainter;
- ``BOUNDARY``: where the two meet (Face X-ray, Li et al., CVPR 2020): the seam the Face swap page draws.

Each region map is pooled like the patch map and has its own edges on its pooled logits
(``meta["calibration"][kind]``): the repaired map's pooled logits on real faces lie far below the
blended map's, so one scale for both would hide repairs under the blended map's edge. A face's
blend evidence is the map that is further past its own edge (detectors.detector.blend_evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from core.weights import WeightsError, load_checkpoint
from detectors.crops import canonical, to_tensor
from detectors.model import DetectorConfig, PatchDiscriminator, pool_logits

BLENDED, REPAIRED, BOUNDARY = 0, 1, 2
KINDS = ("blend", "repair")  # what each region map says, in the order of BLENDED, REPAIRED
POOL_TEMPERATURE = 1.0


def blend_network() -> PatchDiscriminator:
    """EfficientNet-Lite0's first eleven blocks (as the patch head) with a three-map head."""
    return PatchDiscriminator(DetectorConfig(backbone="lite0", outputs=3))


@dataclass
class BlendReading:
    """The blend head on N face crops."""

    pooled: np.ndarray  # (N, 2) each region map's pooled logit, in the order of KINDS
    regions: np.ndarray  # (N, 2, h, w) the region maps' cell logits, in the order of KINDS
    boundary: np.ndarray  # (N, h, w) boundary cell logits


class BlendJudge:
    """The trained blend head and its calibration (``meta["calibration"][kind]``: a, b, threshold,
    quiet for each region map, kind in KINDS)."""

    def __init__(self, net: PatchDiscriminator, meta: dict | None = None, mirror: bool = True):
        self.net = net.eval().to(memory_format=torch.channels_last)
        self.meta = meta or {}
        self.mirror = mirror

    def maps(self, crops: np.ndarray, canonical_done: bool = False, batch: int = 64) -> np.ndarray:
        """Cell logits (N, 3, h, w) for RGB uint8 face crops (N, S, S, 3), canonical JPEG applied
        (``canonical_done``: the crops already had it, as the patch head saw them); with ``mirror``
        the mean of each crop's maps and its mirror image's, flipped back. In batches of ``batch``
        crops, so a validation set scored at once stays within memory."""
        if not len(crops):
            return np.zeros((0, 3, 1, 1), np.float32)
        out = []
        for i in range(0, len(crops), batch):
            part = crops[i : i + batch]
            seen = part if canonical_done else np.stack([canonical(c) for c in part])
            x = to_tensor(seen).contiguous(memory_format=torch.channels_last)
            with torch.inference_mode():
                if self.mirror:
                    both = self.net(torch.cat([x, x.flip(-1)]))
                    out.append(((both[: len(x)] + both[len(x) :].flip(-1)) / 2).float().numpy())
                else:
                    out.append(self.net(x).float().numpy())
        return np.concatenate(out)

    def read(self, crops: np.ndarray, canonical_done: bool = False) -> BlendReading:
        """:func:`reading` of :meth:`maps`."""
        return reading(self.maps(crops, canonical_done))


def region_logits(maps: torch.Tensor) -> torch.Tensor:
    """Each region map pooled like the patch map: (N, 3, h, w) cell logits -> (N, 2), in the order of KINDS."""
    return torch.stack([pool_logits(maps[:, [k]], POOL_TEMPERATURE) for k in (BLENDED, REPAIRED)], dim=1)


def reading(maps: np.ndarray) -> BlendReading:
    """A :class:`BlendReading` from cell logits (N, 3, h, w)."""
    pooled = region_logits(torch.from_numpy(maps)).numpy()
    return BlendReading(pooled, maps[:, [BLENDED, REPAIRED]], maps[:, BOUNDARY])


def save_blend(net: PatchDiscriminator, path: str | Path, meta: dict | None = None) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"kind": "blend", "state_dict": {k: v.detach().cpu() for k, v in net.state_dict().items()},
                "meta": meta or {}}, Path(path))


def load_network(path: str | Path, sha256: str | None = None) -> tuple[PatchDiscriminator, dict]:
    """The network and metadata of a blend-head checkpoint, calibrated or not.

    Raises:
        WeightsError: missing, altered or not a blend checkpoint.
    """
    raw = load_checkpoint(path, sha256, "blend head")
    try:
        if raw.get("kind") != "blend":
            raise ValueError("not a blend head")
        net = blend_network()
        net.load_state_dict(raw["state_dict"])
        return net, dict(raw.get("meta", {}))
    except Exception as e:  # noqa: BLE001 - any failure here means "not our checkpoint"
        raise WeightsError(f"{path} is not a blend head: {type(e).__name__}: {e}", "not_a_checkpoint") from None


def load_blend(path: str | Path, sha256: str | None = None) -> BlendJudge:
    """Load a blend head written by ``python -m detectors.train_blend``; with ``sha256``, refuse a
    file whose digest differs.

    Raises:
        WeightsError: missing, altered, not a blend checkpoint, or without its calibration.
    """
    net, meta = load_network(path, sha256)
    cal = meta.get("calibration", {})
    if not all({"a", "b", "threshold", "quiet"} <= set(cal.get(kind, {})) for kind in KINDS):
        raise WeightsError(f"{path} has no calibration: run python -m detectors.train_blend --evaluate on it",
                           "not_a_checkpoint")
    return BlendJudge(net, meta, mirror=bool(meta.get("mirror", True)))
