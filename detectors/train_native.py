"""Train the image branch (detectors.native) on CPU: `python -m detectors.train_native --out PATH`.

Data: ``native/train`` of the shared data (crops of 52 generators against ImageNet and camera
photos), never ``native/val``, whose held-out families are only measured. The folder's trap is
JPEG history: every fake crop was saved once by Pillow at q75 or q85 4:2:0, the real crops carry
their cameras' and ImageNet's histories. So the history is made the same before anything else:

- every training real is shrunk 2x (area filter), which erases its camera's 8x8 grid and
  demosaicing, and saved by Pillow at q75 or q85 4:2:0, the fakes' own history;
- half of the fakes are aligned: that very shrunk real rebuilt through TAEF2 (FLUX.2's latent
  space, detectors.taef2) and saved the same way, so the pair differs only by the decoder's trace;
- then one random pipeline for every crop, whatever its class: a slight shrink or not, a 96 px crop
  on the 8 px JPEG grid, a mirror, a second JPEG (q60-100, 4:2:0 or 4:4:4) or not.

When it judges, the branch first gives every picture that same last history (Pillow JPEG q85 4:2:0,
``canonical_jpeg``): what a file went through before weighs little against it.

Splits: ImageNet train crops 0-89% and camera crops train; 60% of the exif camera models train,
20% calibrate (with ImageNet 90-100%), 20% are validation reals. Every eighth sd-samples model
(sorted) is a calibration generator, never trained on. The calibration set fixes the Platt scaling
and the verdict's edges (``detectors.metrics.operating_point``); ``native/val`` and the validation
camera models are then scored and written beside the checkpoint (``PATH.log.json``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from core.data import cache_dir, data_root, load_rgb
from detectors import metrics
from detectors.calibrate import EDGE_CONFIDENCE, MAX_FALSE_FAKE, MAX_FALSE_REAL
from detectors.crops import jpeg, to_tensor
from detectors.evaluate import family_aucs
from detectors.native import NativeConfig, NativeJudge, NativeNet, load_native, save_native


REAL_KEY = "imagenet_real"  # the real side of the stored scores


@dataclass(frozen=True)
class NativeTrainConfig:
    steps: int = 5000
    batch: int = 32
    crop: int = 96  # training crop side (the network is judged on whole tiles)
    lr: float = 5e-4  # AdamW, cosine decay
    aligned: float = 0.5  # share of fake draws that are TAEF2 reconstructions of the training reals
    history: tuple[int, ...] = (75, 85)  # Pillow 4:2:0 qualities the reals and their reconstructions are saved at
    jpeg_p: float = 0.5  # chance of the shared second JPEG
    jpeg_quality: tuple[int, int] = (60, 100)
    # The shared slight shrink (area filter). Each crop is kept at least ``crop`` px, so the reals
    # (already shrunk 2x, 128 px) shrink to 0.75 at most. (Shrinking 40% of crops by 0.5-1.0, so that
    # a halved fake stays labelled fake, cost held-out AUC: CHANGELOG.)
    shrink_p: float = 0.2
    shrink: tuple[float, float] = (0.7, 1.0)
    last_block: int = NativeConfig.last_block
    luma: bool = False
    # Judging: every picture first gets this Pillow JPEG (4:2:0), the last history of every training
    # picture, so that what came before it weighs little. On the calibration split (never trained on),
    # the history-swapped AUC moved from 0.875 against 0.663 as stored to 0.875 against 0.881.
    canonical_jpeg: int | None = 85
    seed: int = 0


def manifest(root: Path, split: str) -> list[dict]:
    with open(root / "manifest.csv", newline="") as f:
        return [r for r in csv.DictReader(f) if r["split"] == split]


def exif_models(root: Path) -> dict[str, list[Path]]:
    """Crops of ``train/real/exif-cameras`` by camera model (make + model)."""
    out: dict[str, list[Path]] = {}
    with open(root / "exif-cameras.csv", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(f"{r['make']} {r['model']}", []).append(root / r["path"])
    return out


def splits(root: Path) -> dict[str, list[tuple[str, Path]]]:
    """(group, path) lists: train_real, train_fake, calib_real, calib_fake, val (family or "real"),
    val_camera (held-out camera models). Groups: the source, generator or camera model."""
    rows = manifest(root, "train")
    imagenet = [r for r in rows if r["path"].startswith("train/real/imagenet/")]
    cut = int(0.9 * len(imagenet))
    out: dict[str, list] = {k: [] for k in ("train_real", "train_fake", "calib_real", "calib_fake", "val", "val_camera")}
    out["train_real"] += [("imagenet", root / r["path"]) for r in imagenet[:cut]]
    out["calib_real"] += [("imagenet", root / r["path"]) for r in imagenet[cut:]]
    out["train_real"] += [("camera", root / r["path"]) for r in rows if r["path"].startswith("train/real/camera/")]
    for i, (model, paths) in enumerate(sorted(exif_models(root).items())):
        key = ("train_real", "train_real", "train_real", "calib_real", "val_camera")[i % 5]
        out[key] += [(model, p) for p in paths]
    generators = sorted({r["model"] for r in rows if r["label"] == "fake" and r["source"] == "vladmandic/sd-samples"})
    held = set(generators[3::8])
    for r in rows:
        if r["label"] == "fake":
            out["calib_fake" if r["model"] in held else "train_fake"].append((r["model"], root / r["path"]))
    out["val"] = [("real" if r["label"] == "real" else r["val_family"], root / r["path"]) for r in manifest(root, "val")]
    return out


def shrink2(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    return cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)


def aligned_pairs(reals: list[np.ndarray], history: tuple[int, ...], seed: int, log=print) -> tuple[list, list]:
    """Each real shrunk 2x and its TAEF2 reconstruction, both saved at the same Pillow quality.

    Reconstructions are cached (``$XDG_CACHE_HOME/deepfake-lab``): TAEF2 takes about 0.2 s a crop here.
    """
    from detectors.taef2 import TAEF2

    small = [shrink2(im) for im in reals]
    small = [im[: im.shape[0] // 8 * 8, : im.shape[1] // 8 * 8] for im in small]
    key = hashlib.sha256(b"".join(im.tobytes() for im in small)).hexdigest()[:16]
    cache = cache_dir() / f"taef2-{key}.npz"
    if cache.exists():
        with np.load(cache) as f:
            rebuilt = [f[str(i)] for i in range(len(small))]
    else:
        ae, t0 = TAEF2(), time.time()
        rebuilt = []
        for i, im in enumerate(small):
            rebuilt.append(ae.reconstruct(im))
            if i % 200 == 0:
                log(f"TAEF2 {i}/{len(small)} ({time.time() - t0:.0f} s)")
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, **{str(i): r for i, r in enumerate(rebuilt)})
    rng = np.random.RandomState(seed)
    qs = [int(rng.choice(history)) for _ in small]
    return [jpeg(im, q, 2) for im, q in zip(small, qs)], [jpeg(im, q, 2) for im, q in zip(rebuilt, qs)]


def view(image: np.ndarray, rng: np.random.RandomState, config: NativeTrainConfig) -> np.ndarray:
    """The shared random pipeline, the same for every class: shrink or not, crop, mirror, JPEG or not.

    An unshrunk crop starts on the 8x8 JPEG grid of its picture's last save, as every tile the branch
    judges does (:func:`detectors.native.tiles`); a shrunk picture has no grid left to keep. A shrink
    never leaves the picture smaller than the crop: the 128 px reals and their reconstructions shrink
    by 0.75-1.0 (a sixth of their shrinks exactly 0.75), the 256 px fakes by the whole range."""
    h, w = image.shape[:2]
    if rng.rand() < config.shrink_p:
        s = max(rng.uniform(*config.shrink), config.crop / min(h, w))
        image = cv2.resize(image, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
        h, w = image.shape[:2]
    y, x = rng.randint(0, (h - config.crop) // 8 + 1) * 8, rng.randint(0, (w - config.crop) // 8 + 1) * 8
    out = image[y : y + config.crop, x : x + config.crop]
    if rng.rand() < 0.5:
        out = out[:, ::-1]
    if rng.rand() < config.jpeg_p:
        out = jpeg(np.ascontiguousarray(out), int(rng.randint(config.jpeg_quality[0], config.jpeg_quality[1] + 1)),
                   int(rng.choice([0, 2])))
    return np.ascontiguousarray(out)


def scores(judge: NativeJudge, items: list[tuple[str, Path]]) -> dict[str, np.ndarray]:
    out: dict[str, list[float]] = {}
    for group, path in items:
        out.setdefault(group, []).append(judge.logit(load_rgb(path)))
    return {k: np.asarray(v) for k, v in out.items()}


def held_out_report(judge: NativeJudge, items: list[tuple[str, Path]]) -> dict:
    """AUC of each held-out family of ``native/val`` against its real photos, with 95% intervals;
    and the history trap's test: the AUC when every real is re-saved as a fake's JPEG (q85, 4:2:0)
    and every fake as a real's (q96, 4:4:4). A branch that learned JPEG history falls to chance there."""
    by: dict[str, list[float]] = {}
    swapped: dict[bool, list[float]] = {False: [], True: []}
    for key, path in items:
        image = load_rgb(path)
        by.setdefault(key, []).append(judge.logit(image))
        fake = key != "real"
        swapped[fake].append(judge.logit(jpeg(image, 96, 0) if fake else jpeg(image, 85, 2)))
    sr, sf = np.asarray(swapped[False]), np.asarray(swapped[True])
    real = np.asarray(by.pop("real"))
    out: dict = {"families": family_aucs(real, {k: np.asarray(v) for k, v in by.items()})}
    every = np.concatenate([np.asarray(v) for v in by.values()])
    out["pooled_auc"] = metrics.auc(np.r_[np.zeros(len(real)), np.ones(len(every))], np.r_[real, every])
    out["history_swapped_auc"] = metrics.auc(np.r_[np.zeros(len(sr)), np.ones(len(sf))], np.r_[sr, sf])
    out["real_logits"] = real.tolist()
    out["fake_logits"] = {k: np.asarray(v).tolist() for k, v in by.items()}
    return out


def train_native(config: NativeTrainConfig, out: str | Path, data: str | Path | None = None, dry_run: bool = False,
                 log=print) -> NativeNet:
    root = Path(data) if data else data_root() / "native"
    split = splits(root)
    limit = 8 if dry_run else None
    real = [load_rgb(p) for _, p in split["train_real"][:limit]]
    fake = [load_rgb(p) for _, p in split["train_fake"][:limit]]
    real, rebuilt = aligned_pairs(real, config.history, config.seed, log) if config.aligned > 0 else \
        ([jpeg(shrink2(im), config.history[0], 2) for im in real], [])
    log(f"train: {len(real)} real (shrunk 2x, the fakes' history), {len(fake)} fake, {len(rebuilt)} aligned")
    torch.manual_seed(config.seed)
    net = NativeNet(NativeConfig(last_block=config.last_block, luma=config.luma))
    net.load_imagenet()
    steps = 1 if dry_run else config.steps
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(1, steps))
    rng = np.random.RandomState(config.seed)
    t0, total = time.time(), 0.0
    half = config.batch // 2
    net.train()
    for step in range(steps):
        n_aligned = rng.binomial(half, config.aligned) if rebuilt else 0
        batch = [real[i] for i in rng.randint(len(real), size=half)]
        batch += [rebuilt[i] for i in rng.randint(len(rebuilt), size=n_aligned)] if n_aligned else []
        batch += [fake[i] for i in rng.randint(len(fake), size=half - n_aligned)]
        x = to_tensor(np.stack([view(im, rng, config) for im in batch]))
        y = torch.cat([torch.zeros(half), torch.ones(half)])
        loss = F.binary_cross_entropy_with_logits(net(x).mean(dim=(1, 2)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
        if (step + 1) % 100 == 0:
            log(f"step {step + 1}/{steps} loss {total / 100:.4f} ({time.time() - t0:.0f} s)")
            total = 0.0
    judge = NativeJudge(net.eval(), meta={"canonical_jpeg": config.canonical_jpeg})
    calibration = calibrate(judge, split, limit)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_native(net, out, {"config": asdict(config), "steps": steps, "dry_run": dry_run, "calibration": calibration,
                           "canonical_jpeg": config.canonical_jpeg})
    report = {"config": asdict(config), "steps": steps, "seconds": round(time.time() - t0), "calibration": calibration}
    if not dry_run:
        report |= evaluate(judge, calibration, split, out, log)
    Path(f"{out}.log.json").write_text(json.dumps(report, indent=1))
    return net


def evaluate(judge: NativeJudge, calibration: dict, split: dict, out: Path, log=print) -> dict:
    """Score what the branch never saw: the held-out families of ``native/val`` against ImageNet val
    photos, and the held-out camera models. Writes the Report page's ``.scores.json`` beside ``out``
    and returns the summary for the log."""
    held = held_out_report(judge, split["val"])
    cams = np.concatenate(list(scores(judge, split["val_camera"]).values()))
    prob = lambda x: np.round(metrics.sigmoid(calibration["a"] * np.asarray(x) + calibration["b"]), 5).tolist()  # noqa: E731
    stored = {"how": "native/val: held-out generator families against ImageNet val photos; cameras: models held "
                     "out of training; every crop judged whole by the image branch alone",
              "real": REAL_KEY, "other_reals": ["camera_real"], "threshold": calibration["threshold"],
              "detector": {REAL_KEY: prob(held.pop("real_logits")), "camera_real": prob(cams),
                           **{k: prob(v) for k, v in held.pop("fake_logits").items()}}}
    Path(out).with_suffix(".scores.json").write_text(json.dumps(stored))
    held["val_camera_called_fake"] = float((np.asarray(stored["detector"]["camera_real"]) >= calibration["threshold"]).mean())
    log(json.dumps(held, indent=1))
    return {"held_out": held}


def calibrate(judge: NativeJudge, split: dict, limit: int | None = None) -> dict:
    """Platt scaling and the verdict's edges from the calibration reals and generators, by the face
    branch's rule (detectors.calibrate): each error at most 5% with 95% confidence, not on average."""
    real = np.concatenate(list(scores(judge, split["calib_real"][:limit]).values()))
    fake = np.concatenate(list(scores(judge, split["calib_fake"][:limit]).values()))
    a, b = metrics.fit_platt(np.r_[real, fake], np.r_[np.zeros(len(real)), np.ones(len(fake))])
    a = max(a, 1e-3)
    pr, pf = metrics.sigmoid(a * real + b), metrics.sigmoid(a * fake + b)
    try:
        threshold, real_below = metrics.operating_point(pr, pf, MAX_FALSE_FAKE, MAX_FALSE_REAL, EDGE_CONFIDENCE)
    except ValueError:  # a dry run's handful of crops; a real run with too few is an error
        if limit is None:
            raise
        threshold, real_below = 0.5, 0.5
    return {"a": float(a), "b": float(b), "threshold": threshold, "real_below": real_below,
            "calib_auc": metrics.auc(np.r_[np.zeros(len(real)), np.ones(len(fake))], np.r_[real, fake]),
            "calib_real": len(real), "calib_fake": len(fake)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m detectors.train_native", description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--data", help="the native folder (default: $DEEPFAKE_LAB_DATA/native or ../shared/data/native)")
    p.add_argument("--steps", type=int, default=NativeTrainConfig.steps)
    p.add_argument("--aligned", type=float, default=NativeTrainConfig.aligned)
    p.add_argument("--last-block", type=int, default=NativeTrainConfig.last_block)
    p.add_argument("--crop", type=int, default=NativeTrainConfig.crop)
    p.add_argument("--luma", action="store_true", help="judge luminance only")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dry-run", action="store_true", help="one step on a few crops (for tests)")
    p.add_argument("--evaluate", action="store_true",
                   help="calibrate and score the checkpoint at --out again (its net unchanged; log and scores)")
    p.add_argument("--canonical-jpeg", type=int, default=None,
                   help=f"the JPEG quality every picture is given before judging (0: none; default "
                        f"{NativeTrainConfig.canonical_jpeg}, or with --evaluate the checkpoint's own)")
    args = p.parse_args(argv)
    if args.crop % 8:
        p.error("--crop must be a multiple of 8 (crops start on the JPEG grid)")
    torch.set_num_threads(args.threads)
    t0 = time.time()

    def log(message: str) -> None:
        print(f"[{time.time() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)

    if args.evaluate:
        judge = load_native(args.out)
        root = Path(args.data) if args.data else data_root() / "native"
        split = splits(root)
        if args.canonical_jpeg is not None:
            judge.meta["canonical_jpeg"] = judge.meta["config"]["canonical_jpeg"] = args.canonical_jpeg or None
        judge.meta["calibration"] = calibrate(judge, split)
        save_native(judge.net, args.out, judge.meta)
        report = json.loads(Path(f"{args.out}.log.json").read_text())
        report["config"], report["calibration"] = judge.meta["config"], judge.meta["calibration"]
        report |= evaluate(judge, judge.meta["calibration"], split, Path(args.out), log)
        Path(f"{args.out}.log.json").write_text(json.dumps(report, indent=1))
        return 0
    quality = NativeTrainConfig.canonical_jpeg if args.canonical_jpeg is None else args.canonical_jpeg
    config = NativeTrainConfig(steps=args.steps, aligned=args.aligned, last_block=args.last_block, crop=args.crop,
                               luma=args.luma, canonical_jpeg=quality or None)
    train_native(config, args.out, args.data, args.dry_run, log)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
