"""A GAN's own discriminator, for the lecture's comparison: is D a forensic tool?

``gan-face-generate`` ships only its generator, so we rebuild what its discriminator would have
been: the DCGAN discriminator of Radford et al. (64 px, strided convolutions, BatchNorm,
LeakyReLU), trained only against that generator's samples, with real faces as its data. It
learns one generator's flaws perfectly and nothing else; the Report page shows it (dcgan-d-v1,
trained on raw images) next to our detector on the same images.

dcgan-d-v2 is the same network trained through the detector's shared pipeline, so that JPEG,
low resolution, framing and colour say nothing about the class. A detector whose calibration
names it (Calibration.gan_d) adds its "generated" evidence to each face's score.

Train: ``python -m detectors.gan_d --steps 400 --batch 32 --out detectors/weights/dcgan-d-v1.pt``;
``python -m detectors.gan_d --shared-pipeline --out detectors/weights/dcgan-d-v2.pt`` (11 min on CPU);
``python -m detectors.gan_d --shared-pipeline --dcgan-faces 6000 --steps 3000 --out detectors/weights/dcgan-d-v3.pt``
(39 min).
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

from detectors.metrics import sigmoid

SIZE = 64
# The shipped discriminators: file in detectors/weights -> pinned sha256. v1 (raw 64 px images) is
# the Report page's; v2 and v3 (the detector's shared pipeline; v3 with 6000 DCGAN faces and 3000
# steps) are the ones detectors may add as evidence.
SHIPPED = {
    "dcgan-d-v1.pt": "7067dc0857ef59e71b769380a50574756e26b4a1713ec9288ff8f0c8bb1a1f7b",
    "dcgan-d-v2.pt": "98a763ae9019cf5b4d4a7251d0d3a8ddfa19b6852099af3d92b31439b00a4284",
    "dcgan-d-v3.pt": "27ea95d0f4faf943b6061dd84721278d9661012b3f2342304ec190f59ec22056",
}
REPORT = "dcgan-d-v1.pt"


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

    def logits(self, images: np.ndarray, batch: int = 256) -> np.ndarray:
        """Logits (N,) that RGB uint8 images (N, H, W, 3) come from the generator."""
        out = []
        with torch.inference_mode():
            for i in range(0, len(images), batch):
                out.append(self.net(to_input(images[i : i + batch])).numpy())
        return np.concatenate(out) if out else np.zeros(0, np.float32)

    def probabilities(self, images: np.ndarray, batch: int = 256) -> np.ndarray:
        return sigmoid(self.logits(images, batch))


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


def load_shipped(name: str = REPORT) -> GanD:
    """A shipped discriminator by file name (SHIPPED), sha256-checked."""
    from detectors.detector import WEIGHTS_DIR, WeightsError

    if name not in SHIPPED:
        raise WeightsError(f"no shipped GAN discriminator {name!r}; known: {', '.join(SHIPPED)}")
    return load(WEIGHTS_DIR / name, SHIPPED[name])


def zoomed(x: torch.Tensor, rng: np.random.RandomState, share: float, low: float = 0.6) -> torch.Tensor:
    """``x`` (N, 3, S, S) with ``share`` of the images replaced by a random square of ``low``-1.0 of
    their side, enlarged back: a face cropped tighter than the detector's framing (a 112 px
    face-recognition crop) must not look like the generator's."""
    x = x.clone()
    side = x.shape[-1]
    for i in np.flatnonzero(rng.rand(len(x)) < share):
        k = int(round(side * rng.uniform(low, 1.0)))
        y0, x0 = rng.randint(side - k + 1), rng.randint(side - k + 1)
        x[i] = F.interpolate(x[i : i + 1, :, y0 : y0 + k, x0 : x0 + k], size=(side, side), mode="bilinear",
                             align_corners=False)[0]
    return x


def desaturated(x: torch.Tensor, rng: np.random.RandomState, gray: float, low: float = 0.3) -> torch.Tensor:
    """``x`` (N, 3, S, S) in [-1, 1] with ``gray`` of the images turned grey and the rest's colour
    saturation scaled by ``low``-1.3: the app's DCGAN paints faces in muted colours, so old
    black-and-white portraits and grey photos read as "generated" to a discriminator that never
    saw a grey real face."""
    luma = (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2])[:, None]
    scale = torch.from_numpy(np.where(rng.rand(len(x)) < gray, 0.0, rng.uniform(low, 1.3, len(x)))).float()
    return (luma + scale[:, None, None, None] * (x - luma)).clamp(-1, 1)


def pipeline_batches(root: Path, batch: int, seed: int, dry_run: bool, log, dcgan_faces: int | None = None):
    """Endless (x, y) batches through the detector's shared pipeline (detectors.train.TrainSet):
    half real train faces, a share of them with the DCGAN exports' 64 px history, half the app's
    DCGAN faces (``dcgan_faces`` of them, seeds from 0, default one per real face; upscaled and
    cropped as an export would be). Both get the same JPEG history, crops, resampling, blur,
    noise, random JPEG and canonical JPEG, then are zoomed (``zoomed``) and desaturated
    (``desaturated``) alike. The discriminator then has to find the
    generator's own traces: low resolution, JPEG, framing and colour say nothing about the class."""
    from detectors import data as D
    from detectors.faces import FaceFinder
    from detectors.train import TrainSet

    limit = 8 if dry_run else None
    finder = None if dry_run else FaceFinder()
    cache = None if dry_run else Path.home() / ".cache" / "deepfake-lab"
    train = D.load_split(root, "train", finder, cache, limit)
    dcgan, rects = D.dcgan_training_faces(dcgan_faces or len(train.real), seed, finder, cache, limit)
    log(f"pipeline: {len(train.real)} real train faces, {len(dcgan)} dcgan faces")
    mix = {"stylegan2": 0.0, "dcgan": 1.0, "inpaint": 0.0, "swap": 0.0}
    data = TrainSet(train, dcgan, rects, [], 2 * batch, seed, real_low_res=0.3, resample_p=0.5, fake_mix=mix)
    rng = np.random.RandomState([seed, 4])
    epoch = 0
    while True:
        data.set_epoch(epoch)
        x, _, y = (torch.stack(t) for t in zip(*(data[i][:3] for i in range(len(data)))))
        x = F.interpolate(desaturated(zoomed(x, rng, 0.3), rng, 0.2), size=(SIZE, SIZE), mode="area")
        for half in (slice(0, batch), slice(batch, 2 * batch)):
            yield x[half], y[half]
        epoch += 1


def raw_batches(root: Path, batch: int, seed: int, dry_run: bool):
    """Endless (x, y) batches as dcgan-d-v1 was trained: real train faces (half mirrored) against
    fresh DCGAN samples at their native 64 px, seeds 0, 1, 2, ...

    Unlike :func:`pipeline_batches`, the reals and the generator are loaded at the call: building
    the generator draws on torch's global random generator, and dcgan-d-v1 built it before the
    network, whose initial weights depend on that order.
    """
    import genai
    from detectors import data as D

    rng = np.random.RandomState(seed)
    files = D._image_files(root / "train" / "real")[: 8 if dry_run else None]
    reals = to_input(np.stack([D._to_size(D.load_rgb(f)) for f in files]))
    gen = genai.create_generator("dcgan-digiface")

    def batches():
        first = 0  # training fakes use seeds 0, 1, 2, ...; the Report page's use 1,000,000 and up
        while True:
            idx = rng.randint(len(reals), size=min(batch, len(reals)))
            x_real = reals[idx]
            flip = torch.from_numpy(rng.rand(len(idx)) < 0.5)
            x_real[flip] = x_real[flip].flip(-1)
            fakes = gen.sample(range(first, first + len(idx)))
            first += len(idx)
            yield torch.cat([x_real, to_input(fakes)]), torch.cat([torch.zeros(len(idx)), torch.ones(len(idx))])

    return batches()


def main(argv: list[str] | None = None) -> int:
    from detectors import data as D

    p = argparse.ArgumentParser(prog="python -m detectors.gan_d", description=__doc__.split("\n")[0])
    p.add_argument("--data", help="faces folder (default: $DEEPFAKE_LAB_DATA/faces or ../shared/data/faces)")
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--shared-pipeline", action="store_true",
                   help="train through the detector's shared pipeline (pipeline_batches; dcgan-d-v2) instead of "
                   "on raw 64 px images (dcgan-d-v1)")
    p.add_argument("--dcgan-faces", type=int, default=None,
                   help="with --shared-pipeline: how many DCGAN faces (seeds from 0) to train on (default: one per "
                   "real train face)")
    p.add_argument("--dry-run", action="store_true", help="one step on a few images (for tests)")
    args = p.parse_args(argv)
    torch.manual_seed(args.seed)
    t0 = time.time()
    root = Path(args.data) if args.data else D.data_root() / "faces"

    def log(message: str) -> None:
        print(f"[{time.time() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)

    # pipeline_batches loads its data at the first batch, after the network is built (as for
    # dcgan-d-v2); raw_batches at the call, before it (as for dcgan-d-v1).
    if args.shared_pipeline:
        batches = pipeline_batches(root, args.batch, args.seed, args.dry_run, log, args.dcgan_faces)
    else:
        batches = raw_batches(root, args.batch, args.seed, args.dry_run)
    net = DCGANDiscriminator()
    opt = torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    steps = 1 if args.dry_run else args.steps
    for step in range(steps):
        x, y = next(batches)
        loss = F.binary_cross_entropy_with_logits(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps} loss {loss.item():.4f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fakes = f"dcgan-digiface, {args.dcgan_faces or 'one per train real'} faces (seeds from 0), through the " \
        "shared pipeline" if args.shared_pipeline else "dcgan-digiface, fresh samples (seeds from 0)"
    save(net, out, {"steps": steps, "fakes": fakes, "reals": "faces/train/real", "args": vars(args)})
    Path(str(out) + ".log.json").write_text(json.dumps({"steps": steps, "final_loss": round(loss.item(), 4),
                                                        "seconds": round(time.time() - t0)}, indent=1))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
