"""A GAN's own discriminator, for the lecture's comparison: is D a forensic tool?

``gan-face-generate`` ships only its generator, so we rebuild what its discriminator would have
been: the DCGAN discriminator of Radford et al. (64 px, strided convolutions, BatchNorm,
LeakyReLU), trained only against that generator's samples, with real faces as its data. It
learns one generator's flaws perfectly and nothing else; the Report page shows it next to our
detector on the same images.

Train: ``python -m detectors.gan_d --out detectors/weights/dcgan-d-v1.pt`` (a few minutes on CPU).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SIZE = 64


@dataclass(frozen=True)
class GanDConfig:
    ndf: int = 32  # feature maps of the first layer; x2, x4, x8 below (DCGAN's layout)


class DCGANDiscriminator(nn.Module):
    """RGB (N, 3, 64, 64) in [-1, 1] -> logits (N,) that the image is fake (from the generator)."""

    def __init__(self, config: GanDConfig = GanDConfig()):
        super().__init__()
        self.config = config
        d = config.ndf
        self.net = nn.Sequential(
            nn.Conv2d(3, d, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),  # state size: d x 32 x 32
            nn.Conv2d(d, 2 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * d), nn.LeakyReLU(0.2, True),  # 2d x 16 x 16
            nn.Conv2d(2 * d, 4 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * d), nn.LeakyReLU(0.2, True),  # 4d x 8 x 8
            nn.Conv2d(4 * d, 8 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(8 * d), nn.LeakyReLU(0.2, True),  # 8d x 4 x 4
            nn.Conv2d(8 * d, 1, 4, 1, 0, bias=False),  # 1 x 1 x 1
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


def to_input(images: np.ndarray) -> torch.Tensor:
    """RGB uint8 (N, H, W, 3) of any size -> (N, 3, 64, 64) in [-1, 1], area-resized."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
    if x.shape[-1] != SIZE or x.shape[-2] != SIZE:
        x = F.interpolate(x, size=(SIZE, SIZE), mode="area")
    return x


class GanD:
    """The trained discriminator as a scorer: RGB uint8 images -> P(fake)."""

    def __init__(self, net: DCGANDiscriminator):
        self.net = net.eval()

    def probabilities(self, images: np.ndarray, batch: int = 256) -> np.ndarray:
        out = []
        with torch.inference_mode():
            for i in range(0, len(images), batch):
                out.append(torch.sigmoid(self.net(to_input(images[i : i + batch]))).numpy())
        return np.concatenate(out) if out else np.zeros(0)


def save(net: DCGANDiscriminator, path: str | Path, meta: dict) -> None:
    torch.save({"state_dict": net.state_dict(), "config": asdict(net.config), "version": 1, "meta": meta}, path)


def load(path: str | Path, sha256: str | None = None) -> GanD:
    """Load a checkpoint (plain data, ``weights_only``), refusing it if ``sha256`` is given and differs."""
    from detectors.detector import WeightsError

    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"GAN discriminator weights not found: {path}")
    data = path.read_bytes()
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise WeightsError(f"{path.name}: sha256 differs from the pinned value; the file was altered or replaced")
    ckpt = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    net = DCGANDiscriminator(GanDConfig(**ckpt["config"]))
    net.load_state_dict(ckpt["state_dict"])
    return GanD(net)


def main(argv: list[str] | None = None) -> int:
    import genai
    from detectors import data as D

    p = argparse.ArgumentParser(prog="python -m detectors.gan_d", description=__doc__.split("\n")[0])
    p.add_argument("--data", help="faces folder (default: $DEEPFAKE_LAB_DATA/faces or ../shared/data/faces)")
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dry-run", action="store_true", help="one step on a few images (for tests)")
    args = p.parse_args(argv)
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)
    t0 = time.time()
    root = Path(args.data) if args.data else D.data_root() / "faces"
    files = D._image_files(root / "train" / "real")[: 8 if args.dry_run else None]
    reals = to_input(np.stack([D._to_size(D.load_rgb(f)) for f in files]))
    gen = genai.create_generator("dcgan-digiface")
    net = DCGANDiscriminator()
    opt = torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    steps = 1 if args.dry_run else args.steps
    seed = 0  # training fakes use seeds 0, 1, 2, ...; the Report page's use 1,000,000 and up
    for step in range(steps):
        idx = rng.randint(len(reals), size=min(args.batch, len(reals)))
        x_real = reals[idx]
        flip = torch.from_numpy(rng.rand(len(idx)) < 0.5)
        x_real[flip] = x_real[flip].flip(-1)
        fakes = gen.sample(range(seed, seed + len(idx)))
        seed += len(idx)
        x = torch.cat([x_real, to_input(fakes)])
        y = torch.cat([torch.zeros(len(idx)), torch.ones(len(idx))])
        loss = F.binary_cross_entropy_with_logits(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"[{time.time() - t0:6.1f}s] step {step + 1}/{steps} loss {loss.item():.4f}", file=sys.stderr, flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save(net, out, {"steps": steps, "fakes": f"dcgan-digiface seeds 0-{seed - 1}", "reals": "faces/train/real"})
    Path(str(out) + ".log.json").write_text(json.dumps({"steps": steps, "final_loss": round(loss.item(), 4),
                                                        "seconds": round(time.time() - t0)}, indent=1))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
