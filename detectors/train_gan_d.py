"""Train the face GAN's discriminator (detectors.gan_d) on CPU.

    python -m detectors.train_gan_d --recipe dcgan-d-v3 --out detectors/weights/dcgan-d-v3.pt

Real train faces against the app's DCGAN faces, both through the detector's shared pipeline
(detectors.train.TrainSet), then zoomed and desaturated alike: the discriminator has to find the
generator's own traces, because low resolution, JPEG, framing and colour say nothing about the
class. Recipes: detectors.recipes.GAN_D (dcgan-d-v2 11 min, dcgan-d-v3 39 min on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from core.data import cache_dir, data_root
from core.faces import FaceFinder
from detectors import data as D
from detectors.gan_d import SIZE, DCGANDiscriminator, save
from detectors.recipes import GAN_D, GanDTrainConfig
from detectors.train import TrainSet


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
    """Endless (x, y) batches: half real train faces, a share of them with the DCGAN exports' 64 px
    history, half the app's DCGAN faces (``dcgan_faces`` of them, seeds from 0, default one per
    real face; upscaled and cropped as an export would be), all through the shared pipeline, then
    zoomed and desaturated alike, at the discriminator's 64 px."""
    limit = 8 if dry_run else None
    finder = None if dry_run else FaceFinder()
    cache = None if dry_run else cache_dir()
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


def train_gan_d(config: GanDTrainConfig, out: str | Path, data: str | Path | None = None, dry_run: bool = False,
                log=print) -> DCGANDiscriminator:
    """Train a discriminator as ``config`` says on the faces in ``data`` (default: data_root()/faces)
    and save it to ``out`` (with ``OUT.log.json``)."""
    t0 = time.time()
    torch.manual_seed(config.seed)
    root = Path(data) if data else data_root() / "faces"
    # The batches load their data at the first draw, after the network is built: the network's
    # initial weights are the seed's first draws.
    batches = pipeline_batches(root, config.batch, config.seed, dry_run, log, config.dcgan_faces)
    net = DCGANDiscriminator()
    opt = torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    steps = 1 if dry_run else config.steps
    for step in range(steps):
        x, y = next(batches)
        loss = F.binary_cross_entropy_with_logits(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps} loss {loss.item():.4f}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fakes = f"dcgan-digiface, {config.dcgan_faces or 'one per train real'} faces (seeds from 0), shared pipeline"
    save(net, out, {"steps": steps, "fakes": fakes, "reals": "faces/train/real", "config": asdict(config)})
    Path(f"{out}.log.json").write_text(json.dumps({"steps": steps, "final_loss": round(loss.item(), 4),
                                                   "seconds": round(time.time() - t0)}, indent=1))
    return net


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m detectors.train_gan_d", description=__doc__.split("\n")[0])
    p.add_argument("--recipe", choices=list(GAN_D), required=True, help="which shipped discriminator to reproduce")
    p.add_argument("--out", required=True)
    p.add_argument("--data", help="faces folder (default: $DEEPFAKE_LAB_DATA/faces or ../shared/data/faces)")
    p.add_argument("--dry-run", action="store_true", help="one step on a few images (for tests)")
    args = p.parse_args(argv)
    t0 = time.time()

    def log(message: str) -> None:
        print(f"[{time.time() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)

    train_gan_d(GAN_D[args.recipe], args.out, args.data, args.dry_run, log)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
