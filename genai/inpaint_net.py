"""A small learned inpainting generator: a U-Net of gated convolutions (Yu et al., ICCV 2019).

Gated convolutions learn, per pixel and channel, how much of a feature to let through, so the
network itself learns which pixels to trust instead of treating the hole as real content (the
trap partial convolutions were invented for). Coarse to fine, as in two-stage inpainting
networks, with a classical first stage: the hole arrives pre-filled by OpenCV's Telea method and
the network predicts a correction to it, starting at zero. Training then begins at Telea's
quality instead of at a grey hole, which matters on a CPU budget of a few thousand steps.

Faces are processed at 128 px, the size of the training faces; :mod:`genai.inpaint` crops faces
to that size and pastes the result back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.weights import WeightsError, load_checkpoint

CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class InpaintNetConfig:
    width: int = 16  # channels at full resolution; doubled at each of the 3 stride-2 stages
    middle: int = 4  # residual dilated gated blocks at 1/8 resolution (dilations 2, 4, 8, 2): a face-wide view
    image_size: int = 128  # faces are resized to this at training and inference


class GatedConv(nn.Module):
    """conv(x) * sigmoid(gate(x)) with ELU, the learned soft mask of gated convolution."""

    def __init__(self, cin: int, cout: int, k: int = 3, stride: int = 1, dilation: int = 1, act: bool = True):
        super().__init__()
        pad = dilation * (k - 1) // 2
        self.conv = nn.Conv2d(cin, 2 * cout, k, stride, pad, dilation=dilation)
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat, gate = self.conv(x).chunk(2, dim=1)
        if self.act:
            feat = F.elu(feat)
        return feat * torch.sigmoid(gate)


class InpaintNet(nn.Module):
    """(N, 3, S, S) image in [-1, 1] and (N, 1, S, S) mask (1 = hole) -> (N, 3, S, S) filled image.

    Pixels outside the hole are returned unchanged; the network only decides the hole.
    """

    def __init__(self, config: InpaintNetConfig = InpaintNetConfig()):
        super().__init__()
        self.config = config
        w = config.width
        self.enc1 = GatedConv(4, w, 5)  # state size: w x S x S
        self.enc2 = GatedConv(w, 2 * w, 3, stride=2)  # 2w x S/2
        self.enc3 = GatedConv(2 * w, 4 * w, 3, stride=2)  # 4w x S/4
        self.enc4 = GatedConv(4 * w, 8 * w, 3, stride=2)  # 8w x S/8
        self.middle = nn.ModuleList(GatedConv(8 * w, 8 * w, 3, dilation=(2, 4, 8, 2)[i % 4]) for i in range(config.middle))
        self.dec3 = GatedConv(8 * w + 4 * w, 4 * w)  # 4w x S/4
        self.dec2 = GatedConv(4 * w + 2 * w, 2 * w)  # 2w x S/2
        self.dec1 = GatedConv(2 * w + w, w)  # w x S
        self.out = nn.Conv2d(w, 3, 3, 1, 1)
        # Start close to the coarse fill (the first prediction is almost Telea's), but not at
        # exactly zero: a zero last layer would pass no gradient to the layers before it.
        with torch.no_grad():
            self.out.weight.mul_(0.1)
            self.out.bias.zero_()

    def forward(self, coarse: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``coarse``: the image with its hole pre-filled (see :func:`coarse_fill`)."""
        return self.composite(coarse, self.predict(coarse, mask), mask)

    def predict(self, coarse: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The refined prediction for every pixel (the training loss also looks outside the hole)."""
        x = torch.cat([coarse, mask], dim=1)
        e1 = self.enc1(x)
        e2 = self.enc2(e1)
        e3 = self.enc3(e2)
        h = self.enc4(e3)
        for block in self.middle:
            h = h + block(h)
        h = self.dec3(torch.cat([_up(h), e3], 1))
        h = self.dec2(torch.cat([_up(h), e2], 1))
        h = self.dec1(torch.cat([_up(h), e1], 1))
        return (coarse + self.out(h)).clamp(-1.0, 1.0)

    @staticmethod
    def composite(image: torch.Tensor, pred: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return image * (1 - mask) + pred * mask


def _up(x: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, scale_factor=2, mode="nearest")


def coarse_fill(images: np.ndarray, holes: np.ndarray) -> np.ndarray:
    """The first stage: RGB uint8 (N, S, S, 3) with holes (N, S, S) bool filled by OpenCV Telea."""
    import cv2

    out = np.empty_like(images)
    for i, (im, hole) in enumerate(zip(images, holes)):
        if hole.any():
            bgr = cv2.inpaint(np.ascontiguousarray(im[..., ::-1]), hole.astype(np.uint8) * 255, 3, cv2.INPAINT_TELEA)
            out[i] = bgr[..., ::-1]
        else:
            out[i] = im
    return out


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """RGB uint8 (N, H, W, 3) -> float (N, 3, H, W) in [-1, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """float (N, 3, H, W) in [-1, 1] -> RGB uint8 (N, H, W, 3)."""
    return x.add(1.0).mul(127.5).round().clamp(0, 255).byte().permute(0, 2, 3, 1).numpy()


def save_inpaint_net(net: InpaintNet, path: str | Path, meta: dict | None = None) -> None:
    """Plain data: ``{"state_dict", "config", "version", "meta"}``, weights as float16 to halve the file."""
    state = {k: v.half() if v.is_floating_point() else v for k, v in net.state_dict().items()}
    torch.save({"state_dict": state, "config": asdict(net.config), "version": CHECKPOINT_VERSION,
                "meta": meta or {}}, path)


def load_inpaint_net(path: str | Path, sha256: str | None = None) -> InpaintNet:
    """Rebuild an InpaintNet from a checkpoint, refusing it when ``sha256`` is given and differs.

    Raises:
        WeightsError: missing, altered, or not an inpainting checkpoint.
    """
    ckpt = load_checkpoint(path, sha256, "inpainting")
    try:
        net = InpaintNet(InpaintNetConfig(**ckpt["config"]))
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ckpt["state_dict"].items()})
    except Exception as e:  # noqa: BLE001 - any malformed file: one message a person can act on
        raise WeightsError(f"{Path(path).name} is not an inpainting checkpoint: {type(e).__name__}: {e}") from None
    return net.eval()
