"""Train the learned inpainter on CPU: `python -m genai.train_inpaint --recipe --out genai/weights/gated-unet-v2.pt`.

``--recipe`` runs RECIPE, the three steps that made the shipped weights, each continuing the last
(about 2.5 h on 2 cores); without it, one run with the options given.

Data: the 2,000 real FFHQ faces of ``faces/train/real`` (128 px). Holes: the irregular masks 0-199 of
every band in ``masks/`` (randomly flipped and rotated) mixed with random brush strokes and boxes.
Masks 200-299 and ``faces/val`` are never trained on. ``bench/inpaint.py`` measures val faces
from 0 with masks 200-249; the per-epoch validation line uses val faces 500-699 with masks 250-299
and it only reports, it does not pick a checkpoint (the last epoch is saved).

Every epoch overwrites the checkpoint (marked partial), so a stopped run leaves its last epoch.

Loss: L1 on the hole (x6) and on the known pixels (x1), as in Liu et al. 2018, plus a small hinge
adversarial loss from a spectral-normalised patch discriminator that sees the image and its mask
(SN-PatchGAN, Yu et al. 2019). The adversarial weight is small because the lecture compares
methods by PSNR, which rewards the L1 term; raising it gives sharper, less faithful fills.

Writes the checkpoint and ``PATH.log.json`` with the final validation figures.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from core.data import data_root
from genai.inpaint import create_inpainter
from genai.inpaint_net import (
    InpaintNet,
    InpaintNetConfig,
    coarse_fill,
    load_inpaint_net,
    save_inpaint_net,
    to_tensor,
    to_uint8,
)
from genai.quality import masked_psnr

SIZE = 128
MASKS_FOR_TRAINING = 200  # masks 0..199 of each band train; 200..299 are kept for measurement
VAL_BANDS = (1, 2, 3, 4)
VAL_START = 500  # training's validation faces: faces/val/real 500-699 (the bench measures from 0)
VAL_MASK_SKIP = 50  # and held-out masks 250-299 of each band (the bench uses 200-249)


def load_faces(folder: Path, limit: int | None = None, start: int = 0) -> np.ndarray:
    """RGB uint8 (N, 128, 128, 3) from a folder of images (sorted, from the ``start``-th), resized if needed."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".png", ".jpg", ".jpeg"})
    files = files[start:start + limit if limit is not None else None]
    if not files:
        raise FileNotFoundError(f"no images in {folder}")
    out = np.empty((len(files), SIZE, SIZE, 3), np.uint8)
    for i, p in enumerate(files):
        with Image.open(p) as im:
            out[i] = np.asarray(im.convert("RGB").resize((SIZE, SIZE), Image.Resampling.BICUBIC))
    return out


def load_hole_masks(root: Path, bands, train: bool, limit: int | None = None) -> dict[int, list[np.ndarray]]:
    """Irregular masks per band, bool (128, 128), white = hole; training and measurement never share one."""
    out = {}
    for band in bands:
        files = sorted((root / f"band{band}").glob("*.png"))
        files = files[:MASKS_FOR_TRAINING] if train else files[MASKS_FOR_TRAINING:]
        out[band] = []
        for p in files[:limit]:
            with Image.open(p) as im:
                out[band].append(np.asarray(im.convert("L").resize((SIZE, SIZE), Image.Resampling.BILINEAR)) > 127)
    return out


def random_strokes(rng: np.random.RandomState) -> np.ndarray:
    """Free-form brush strokes like a user paints (Yu et al. 2019), bool (128, 128)."""
    m = np.zeros((SIZE, SIZE), np.uint8)
    for _ in range(rng.randint(1, 5)):
        x, y = rng.randint(SIZE), rng.randint(SIZE)
        width = int(rng.randint(6, 20))
        for _ in range(rng.randint(2, 7)):
            angle = rng.uniform(0, 2 * math.pi)
            length = rng.randint(10, 40)
            nx = int(np.clip(x + length * math.cos(angle), 0, SIZE - 1))
            ny = int(np.clip(y + length * math.sin(angle), 0, SIZE - 1))
            cv2.line(m, (x, y), (nx, ny), 1, width)
            x, y = nx, ny
    return m.astype(bool)


def random_box(rng: np.random.RandomState) -> np.ndarray:
    m = np.zeros((SIZE, SIZE), bool)
    h, w = rng.randint(20, 70), rng.randint(20, 70)
    y, x = rng.randint(0, SIZE - h), rng.randint(0, SIZE - w)
    m[y:y + h, x:x + w] = True
    return m


def sample_mask(masks: list[np.ndarray], rng: np.random.RandomState) -> np.ndarray:
    r = rng.rand()
    if r < 0.6:
        m = masks[rng.randint(len(masks))]
        m = np.rot90(m[:, ::-1] if rng.rand() < 0.5 else m, rng.randint(4))
    elif r < 0.85:
        m = random_strokes(rng)
    else:
        m = random_box(rng)
    if not m.any():
        m = random_box(rng)
    return np.ascontiguousarray(m)


class PatchCritic(nn.Module):
    """SN-PatchGAN critic: (image, mask) -> (N, 1, S/16, S/16) scores."""

    def __init__(self, width: int = 32):
        super().__init__()
        sn = nn.utils.spectral_norm
        w = width
        self.net = nn.Sequential(
            sn(nn.Conv2d(4, w, 5, 2, 2)), nn.LeakyReLU(0.2, True),  # w x S/2
            sn(nn.Conv2d(w, 2 * w, 5, 2, 2)), nn.LeakyReLU(0.2, True),  # 2w x S/4
            sn(nn.Conv2d(2 * w, 4 * w, 5, 2, 2)), nn.LeakyReLU(0.2, True),  # 4w x S/8
            sn(nn.Conv2d(4 * w, 4 * w, 5, 2, 2)), nn.LeakyReLU(0.2, True),  # 4w x S/16
            sn(nn.Conv2d(4 * w, 1, 3, 1, 1)),
        )

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([image, mask], 1))


def lr_factor(step: int, total: int, warmup: int = 0) -> float:
    """Share of the peak learning rate at ``step``: a linear warm-up over ``warmup`` steps, times a cosine decay."""
    return min(1.0, (step + 1) / (warmup + 1)) * 0.5 * (1 + math.cos(math.pi * min(step, total) / total))


def validate(net: InpaintNet, faces: np.ndarray, holes: list[np.ndarray]) -> float:
    """Mean masked-region PSNR (dB) of the network on fixed (face, hole) pairs."""
    net.eval()
    psnrs = []
    with torch.no_grad():
        for i in range(0, len(faces), 32):
            h = np.stack(holes[i:i + 32])
            x = to_tensor(coarse_fill(faces[i:i + 32], h))
            m = torch.from_numpy(h[:, None].astype(np.float32))
            out = to_uint8(net(x, m))
            psnrs += [masked_psnr(o, f, h) for o, f, h in zip(out, faces[i:i + 32], holes[i:i + 32])]
    net.train()
    return float(np.mean(psnrs))


def telea_psnr(faces: np.ndarray, holes: list[np.ndarray]) -> float:
    telea = create_inpainter("telea")
    return float(np.mean([masked_psnr(telea(f, h), f, h) for f, h in zip(faces, holes)]))


# The shipped gated-unet: L1 from scratch, a short switch to L2 (what PSNR measures), then a long
# L2 phase with warm-up. Each step continues the one before (its --init).
RECIPE = (
    ["--epochs", "20", "--lr", "7e-4"],
    ["--loss", "l2", "--epochs", "4", "--lr", "2e-4"],
    ["--loss", "l2", "--epochs", "24", "--lr", "3e-4", "--warmup", "100"],
)


def run_recipe(out: str, common: list[str]) -> int:
    """RECIPE's steps in order, the intermediate checkpoints beside ``out`` (OUT.step1.pt, ...)."""
    previous = None
    for i, step in enumerate(RECIPE, start=1):
        target = out if i == len(RECIPE) else f"{out}.step{i}.pt"
        init = ["--init", previous] if previous else []
        if code := main([*common, *step, *init, "--out", target]):
            return code
        previous = target
    return 0


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if "--recipe" in argv:
        rest = [a for a in argv if a != "--recipe"]
        if "--out" not in rest or rest.index("--out") == len(rest) - 1:
            print("error: --recipe needs --out PATH", file=sys.stderr)
            return 2
        i = rest.index("--out")
        return run_recipe(rest[i + 1], rest[:i] + rest[i + 2:])
    p = argparse.ArgumentParser(prog="python -m genai.train_inpaint", description=__doc__.split("\n")[0])
    p.add_argument("--data", help="shared data folder (default: $DEEPFAKE_LAB_DATA or ../shared/data)")
    p.add_argument("--out", required=True, help="checkpoint path (.pt); a .log.json is written beside it")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--adv-weight", type=float, default=0.01)
    p.add_argument("--loss", choices=["l1", "l2"], default="l1",
                   help="reconstruction loss: l1 (sharper) or l2 (what PSNR measures; for a final phase)")
    p.add_argument("--width", type=int, default=InpaintNetConfig.width)
    p.add_argument("--warmup", type=int, default=0, help="steps of linear learning-rate warm-up before the cosine "
                   "decay (wider nets stalled at the coarse fill without it)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--init", help="continue from this checkpoint (its architecture is kept; the critic starts afresh)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dry-run", action="store_true", help="one step on a few images, then save (for tests)")
    p.add_argument("--recipe", action="store_true", help="run RECIPE, the shipped weights' three steps, to --out")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)
    root = data_root(args.data)
    limit = 8 if args.dry_run else None
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:7.1f}s] {msg}", file=sys.stderr, flush=True)

    faces = load_faces(root / "faces" / "train" / "real", limit)
    train_masks = [m for ms in load_hole_masks(root / "masks", range(6), train=True, limit=limit).values() for m in ms]
    n_val, face_start, mask_skip = (4, 0, 0) if args.dry_run else (200, VAL_START, VAL_MASK_SKIP)
    val_faces = load_faces(root / "faces" / "val" / "real", n_val, face_start)
    val_by_band = {b: ms[mask_skip:] for b, ms in load_hole_masks(root / "masks", VAL_BANDS, train=False, limit=limit).items()}
    # Fixed validation pairs: face i gets the i-th held-out mask of band 1 + i % 4.
    val_holes = [val_by_band[VAL_BANDS[i % 4]][(i // 4) % len(val_by_band[VAL_BANDS[i % 4]])] for i in range(len(val_faces))]
    log(f"{len(faces)} training faces, {len(train_masks)} training masks, {len(val_faces)} validation pairs")
    baseline = telea_psnr(val_faces, val_holes)
    log(f"validation masked PSNR, Telea: {baseline:.2f} dB")

    if args.init:
        net = load_inpaint_net(args.init).train()
        log(f"continuing from {args.init}")
    else:
        net = InpaintNet(InpaintNetConfig(width=args.width))
    critic = PatchCritic()
    opt_g = torch.optim.Adam(net.parameters(), lr=args.lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(critic.parameters(), lr=args.lr, betas=(0.5, 0.999))
    steps_per_epoch = 1 if args.dry_run else max(1, len(faces) // args.batch)
    total = steps_per_epoch * (1 if args.dry_run else args.epochs)
    sched = torch.optim.lr_scheduler.LambdaLR(opt_g, lambda s: lr_factor(s, total, args.warmup))

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    history = []
    step = 0
    for epoch in range(1 if args.dry_run else args.epochs):
        sums = np.zeros(3)
        for _ in range(steps_per_epoch):
            idx = rng.randint(len(faces), size=min(args.batch, len(faces)))
            batch = faces[idx]
            flip = rng.rand(len(batch)) < 0.5
            batch[flip] = batch[flip, :, ::-1]
            holes = np.stack([sample_mask(train_masks, rng) for _ in idx])
            x = to_tensor(batch)
            coarse = to_tensor(coarse_fill(batch, holes))
            m = torch.from_numpy(holes[:, None].astype(np.float32))

            pred = net.predict(coarse, m)
            comp = net.composite(x, pred, m)
            # Critic: hinge loss, real faces vs composites.
            d_loss = F.relu(1 - critic(x, m)).mean() + F.relu(1 + critic(comp.detach(), m)).mean()
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            # Generator: L1 weighted to the hole (Liu et al. 2018) + adversarial.
            err = torch.abs(pred - x) if args.loss == "l1" else (pred - x) ** 2 * 4  # x4: l2 in [0, 1] units
            hole_l1 = (err * m).sum() / (m.sum() * 3 + 1)
            valid_l1 = (err * (1 - m)).sum() / ((1 - m).sum() * 3 + 1)
            adv = -critic(comp, m).mean()
            g_loss = 6 * hole_l1 + valid_l1 + args.adv_weight * adv
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            sched.step()
            step += 1
            sums += [hole_l1.item(), adv.item(), d_loss.item()]
        val = validate(net, val_faces, val_holes)
        mean = sums / steps_per_epoch
        history.append({"epoch": epoch + 1, "hole_l1": round(mean[0], 4), "adv": round(mean[1], 3),
                        "critic": round(mean[2], 3), "val_psnr": round(val, 2)})
        save_inpaint_net(net, Path(args.out), {"epoch": epoch + 1, "of": args.epochs, "partial": True})
        log(f"epoch {epoch + 1}: hole L1 {mean[0]:.4f}  adv {mean[1]:.3f}  critic {mean[2]:.3f}  "
            f"val PSNR {val:.2f} dB (Telea {baseline:.2f})")

    out = Path(args.out)
    meta = {"trained_on": "FFHQ faces/train/real (2,000), masks 0-199 of bands 0-5, strokes, boxes",
            "steps": step, "seed": args.seed, "init": Path(args.init).name if args.init else None}
    save_inpaint_net(net, out, meta)
    summary = {"args": {k: v for k, v in vars(args).items()}, "steps": step, "seconds": round(time.time() - t0),
               "val_pairs": len(val_faces), "val_psnr": history[-1]["val_psnr"], "telea_val_psnr": round(baseline, 2),
               "history": history}
    Path(str(out) + ".log.json").write_text(json.dumps(summary, indent=1))
    log(f"saved {out} ({out.stat().st_size / 1e6:.1f} MB) after {step} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
