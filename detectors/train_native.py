"""Train the native-pixel branch (detectors.native) on CPU: `python -m detectors.train_native --out PATH`.

Data: ``native/train`` of the shared data (diffusion crops of 52 models against ImageNet and camera
photos), never ``native/val``, whose held-out families are only measured. The classes differ in
their JPEG history (the folder's README: subsampling and quality tables alone separate them), so
every crop, whatever its class, is re-encoded the same random way before the network sees it
(JPEG quality 60-100, 4:2:0 or 4:4:4, both classes alike); crops are taken at even offsets so the
2x2 grid the residual looks at stays the image's. Real and fake crops are drawn in equal numbers.
After training, the held-out families are scored against the real val photos and written beside
the checkpoint (``PATH.log.json``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from core.data import data_root, load_rgb
from detectors import aligned as aligned_fakes
from detectors import metrics
from detectors.crops import jpeg, to_tensor
from detectors.evaluate import family_aucs
from detectors.native import NativeConfig, NativeJudge, NativeNet, save_native


@dataclass(frozen=True)
class NativeTrainConfig:
    epochs: int = 12  # passes of ``per_class`` crops of each class
    per_class: int = 1000  # crops of each class per epoch
    crop: int = 128  # training crop side (the network is judged on whole 256 px tiles)
    batch: int = 32
    lr: float = 1e-3  # AdamW, cosine decay
    jpeg_p: float = 0.9  # chance of the shared re-encoding (else the crop as stored)
    jpeg_quality: tuple[int, int] = (60, 100)  # its quality range, both ends included
    history_swap: float = 0.0  # chance a crop first gets the other class's JPEG history (see ``sample``)
    aligned: float = 0.0  # share of fake draws that are a real crop rebuilt by an autoencoder (detectors.aligned)
    ae_steps: int = 1500  # training steps of each of those autoencoders
    seed: int = 0
    width: int = NativeConfig.width


def manifest(root: Path, split: str) -> list[dict]:
    """The rows of ``native/manifest.csv`` for one split."""
    with open(root / "manifest.csv", newline="") as f:
        return [r for r in csv.DictReader(f) if r["split"] == split]


def val_items(root: Path) -> list[tuple[str, Path]]:
    """(held-out family, or "real", and path) of every ``native/val`` crop."""
    return [("real" if r["label"] == "real" else r["val_family"], root / r["path"]) for r in manifest(root, "val")]


def reencode(image: np.ndarray, rng: np.random.RandomState, quality: tuple[int, int] = (60, 100)) -> np.ndarray:
    """The same random JPEG for every class: quality in ``quality``, 4:2:0 or 4:4:4."""
    return jpeg(image, int(rng.randint(quality[0], quality[1] + 1)), int(rng.choice([0, 2])))


def sample(image: np.ndarray, rng: np.random.RandomState, crop: int, jpeg_p: float,
           quality: tuple[int, int] = (60, 100), fake: bool | None = None, history_swap: float = 0.0) -> np.ndarray:
    """A training view: re-encoded (both classes alike), a crop at even offsets, maybe mirrored.

    With ``history_swap``, a crop first gets the other class's usual JPEG history (a real photo a
    generator site's q75 or q85 4:2:0; a generated image a camera's q90-98 4:4:4), so that history
    cannot tell the classes apart.
    """
    swap = rng.rand() < history_swap  # drawn for every crop, so the rest of the draw does not depend on it
    if fake is not None and swap:
        image = jpeg(image, int(rng.randint(90, 99)), 0) if fake else jpeg(image, int(rng.choice([75, 85])), 2)
    if rng.rand() < jpeg_p:
        image = reencode(image, rng, quality)
    h, w = image.shape[:2]
    y, x = 2 * rng.randint(0, (h - crop) // 2 + 1), 2 * rng.randint(0, (w - crop) // 2 + 1)
    out = image[y : y + crop, x : x + crop]
    return out[:, ::-1] if rng.rand() < 0.5 else out


def held_out_report(judge: NativeJudge, root: Path, limit: int | None = None) -> dict:
    """AUC of each held-out family of ``native/val`` against its real photos, with 95% intervals;
    and the format trap's test: the AUC when every real is re-saved as a fake's JPEG (q85, 4:2:0)
    and every fake as a real's (q96, 4:4:4). A branch that learned JPEG history falls to chance there."""
    scores: dict[str, list[float]] = {}
    swapped: dict[bool, list[float]] = {False: [], True: []}  # by "is fake"
    for key, path in val_items(root):
        if limit and len(scores.get(key, [])) >= limit:
            continue
        image = load_rgb(path)
        scores.setdefault(key, []).append(judge.logit(image))
        fake = key != "real"
        swapped[fake].append(judge.logit(jpeg(image, 96, 0) if fake else jpeg(image, 85, 2)))
    sr, sf = np.asarray(swapped[False]), np.asarray(swapped[True])
    history_swap = metrics.auc(np.r_[np.zeros(len(sr)), np.ones(len(sf))], np.r_[sr, sf])
    real = np.asarray(scores.pop("real"))
    out: dict = family_aucs(real, {k: np.asarray(v) for k, v in scores.items()})
    out["mean_auc"] = float(np.mean([v["auc"] for v in out.values()]))
    out["history_swapped_auc"] = history_swap
    return out


def train_native(config: NativeTrainConfig, out: str | Path, data: str | Path | None = None, dry_run: bool = False,
                 log=print) -> NativeNet:
    root = Path(data) if data else data_root() / "native"
    rows = manifest(root, "train")
    limit = 8 if dry_run else None
    real = [load_rgb(root / r["path"]) for r in [r for r in rows if r["label"] == "real"][:limit]]
    fake = [load_rgb(root / r["path"]) for r in [r for r in rows if r["label"] == "fake"][:limit]]
    log(f"train: {len(real)} real, {len(fake)} fake crops")
    rebuilt: list[np.ndarray] = []
    if config.aligned > 0:
        for mode in aligned_fakes.UPSAMPLERS:
            ae = aligned_fakes.train_ae(mode, real, steps=2 if dry_run else config.ae_steps, seed=config.seed, log=log)
            rebuilt += [aligned_fakes.reconstruct(ae, im) for im in real]
        log(f"aligned fakes: {len(rebuilt)} ({len(aligned_fakes.UPSAMPLERS)} decoders x {len(real)} real crops)")
    torch.manual_seed(config.seed)
    net = NativeNet(NativeConfig(width=config.width))
    epochs = 1 if dry_run else config.epochs
    per_class = config.batch // 2 if dry_run else config.per_class
    steps = epochs * (2 * per_class // config.batch)
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(1, steps))
    rng = np.random.RandomState(config.seed)
    t0, step = time.time(), 0
    for epoch in range(epochs):
        picks = [(real[i], 0.0) for i in rng.randint(len(real), size=per_class)]
        n_aligned = int(round(config.aligned * per_class)) if rebuilt else 0
        picks += [(fake[i], 1.0) for i in rng.randint(len(fake), size=per_class - n_aligned)]
        picks += [(rebuilt[i], 1.0) for i in rng.randint(len(rebuilt), size=n_aligned)]
        order = rng.permutation(len(picks))
        net.train()
        total = 0.0
        for b in range(0, len(order) - config.batch + 1, config.batch):
            chunk = [picks[i] for i in order[b : b + config.batch]]
            x = to_tensor(np.stack([sample(im, rng, config.crop, config.jpeg_p, config.jpeg_quality, bool(label),
                                          config.history_swap) for im, label in chunk]))
            y = torch.tensor([label for _, label in chunk])
            loss = F.binary_cross_entropy_with_logits(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
            step += 1
        log(f"epoch {epoch + 1}/{epochs} loss {total / max(1, len(order) // config.batch):.4f} "
            f"({time.time() - t0:.0f} s)")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_native(net, out, {"config": asdict(config), "steps": step, "dry_run": dry_run})
    report = {"config": asdict(config), "steps": step, "seconds": round(time.time() - t0)}
    if not dry_run:
        report["held_out"] = held_out_report(NativeJudge(net), root)
        log(json.dumps(report["held_out"], indent=1))
    Path(f"{out}.log.json").write_text(json.dumps(report, indent=1))
    return net


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m detectors.train_native", description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--data", help="the native folder (default: $DEEPFAKE_LAB_DATA/native or ../shared/data/native)")
    p.add_argument("--epochs", type=int, default=NativeTrainConfig.epochs)
    p.add_argument("--jpeg-p", type=float, default=NativeTrainConfig.jpeg_p, help="chance of the shared re-encoding")
    p.add_argument("--jpeg-quality", type=int, nargs=2, default=NativeTrainConfig.jpeg_quality, metavar=("LOW", "HIGH"))
    p.add_argument("--history-swap", type=float, default=0.0, help="chance a crop first gets the other class's history")
    p.add_argument("--aligned", type=float, default=0.0,
                   help="share of fake draws that are real crops rebuilt by generator-like autoencoders")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dry-run", action="store_true", help="one step on a few crops (for tests)")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()

    def log(message: str) -> None:
        print(f"[{time.time() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)

    config = NativeTrainConfig(epochs=args.epochs, jpeg_p=args.jpeg_p, jpeg_quality=tuple(args.jpeg_quality),
                               history_swap=args.history_swap, aligned=args.aligned)
    train_native(config, args.out, args.data, args.dry_run, log)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
