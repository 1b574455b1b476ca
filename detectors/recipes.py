"""Training configs, and the recipes that made each shipped weights file.

A recipe is plain data: ``python -m detectors.train --recipe patchd --out PATH`` runs PATCHD's
steps in order, each continuing from the one before, and writes what ships as
``detectors/weights/patchd-v10.pt`` (core.weights.SHIPPED["patchd"]).
``python -m detectors.train_gan_d --recipe dcgan-d-v3 --out PATH`` makes a GAN discriminator.
Times are on this project's 2-core CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Share of fakes per source in each epoch (half of every epoch is real faces). "swap": a generated
# face's centre blended into a real face; "faceswap": another real face put on it by genai.faceswap.
FAKE_MIX = {"stylegan2": 0.6, "dcgan": 0.12, "inpaint": 0.16, "swap": 0.12, "faceswap": 0.0}


@dataclass(frozen=True)
class TrainConfig:
    """One step of training the patch discriminator (detectors.train.train)."""

    # what to start from
    backbone: str = "lite0"  # trunk of a fresh network ("lite0" starts from ImageNet; "patchd" from scratch)
    init: str | None = None  # a checkpoint to continue from, or "previous" in a recipe (its network is kept)
    calibrate_only: bool = False  # no training: only calibrate and measure ``init``
    # optimisation
    epochs: int = 30  # passes over epoch_size samples
    epoch_size: int = 4000  # samples per epoch, half real
    batch: int = 32  # samples per step
    lr: float = 2e-3  # peak learning rate of the one-cycle schedule (AdamW)
    precision: str = "fp32"  # "fp32" or "bf16" autocast (about 2x faster on CPUs with AVX512-BF16 or AMX)
    seed: int = 0  # drives initial weights, every sample's augmentation and every generated fake
    # what the network sees
    edit_weight: float = 1.0  # weight of partly edited faces (inpainted, swapped) in the patch loss
    real_low_res: float = 0.0  # share of real faces given the DCGAN exports' 64 px history
    jpeg_aug: float = 0.5  # chance of the shared pipeline's random JPEG 30-100
    resample_aug: float = 0.2  # chance of the shared pipeline's down-and-up resampling, 0.35-0.9x
    learned_inpaint: float = 0.0  # share of inpainted fakes filled by the app's gated-unet instead of OpenCV
    resave_consistency: float = 0.0  # weight of a loss holding a face's score when the image is re-saved
    consistency_shrink: float = 0.0  # share of those re-saved copies shrunk 0.4-0.6x and enlarged back instead
    fake_mix: dict[str, float] = field(default_factory=lambda: dict(FAKE_MIX))  # fakes per source, sums to 1
    # how the trained network judges (detectors.detector.Calibration)
    mirror: bool = False  # also judge each crop mirrored and average the two maps
    gan_d: tuple[str, ...] = ()  # shipped GAN discriminators whose "generated" evidence joins a face's logit


@dataclass(frozen=True)
class GanDTrainConfig:
    """Training the face GAN's discriminator (detectors.train_gan_d.train_gan_d)."""

    steps: int = 1500  # Adam steps
    batch: int = 64  # faces per step, half real
    seed: int = 0  # drives initial weights, sampling and augmentation
    dcgan_faces: int | None = None  # DCGAN faces (seeds from 0) to train on; None: one per real train face


_ROBUST = dict(precision="bf16", edit_weight=5.0, real_low_res=0.15, resample_aug=0.5, learned_inpaint=0.5)

# The shipped detector, in three steps:
PATCHD = (
    # 1. EfficientNet-Lite0's first 11 blocks from ImageNet, trained on every fake source (52 min)
    TrainConfig(backbone="lite0", epochs=22, lr=1e-3, resave_consistency=2.0, **_ROBUST),
    # 2. taught harder to keep a face's score when the photo is re-saved or halved (21 min)
    TrainConfig(init="previous", epochs=8, lr=3e-4, resave_consistency=6.0, consistency_shrink=0.3, **_ROBUST),
    # 3. calibrated to judge each face with its mirror image and the GAN discriminators' evidence (5 min)
    TrainConfig(init="previous", calibrate_only=True, mirror=True, gan_d=("dcgan-d-v2", "dcgan-d-v3")),
)
RECIPES = {"patchd": PATCHD}

GAN_D = {
    "dcgan-d-v2": GanDTrainConfig(),  # 11 min
    "dcgan-d-v3": GanDTrainConfig(steps=3000, dcgan_faces=6000),  # 39 min
}
