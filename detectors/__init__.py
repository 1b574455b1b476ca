"""Everything in Deepfake Lab that JUDGES images: face crops, the discriminator, evaluation.

Usable without Streamlit::

    import detectors
    det = detectors.create_detector()              # the shipped, sha256-pinned weights
    result = det.detect(rgb_uint8_image)           # DetectionResult: probability, verdict, heatmaps
"""

from __future__ import annotations

from pathlib import Path

import torch

from detectors.detector import (
    WEIGHTS_DIR,
    Calibration,
    DetectionResult,
    Detector,
    FaceResult,
    WeightsError,
    load_detector,
)
from detectors.io import ImageReadError, LoadedImage, read_image

# name -> (file in detectors/weights, pinned sha256). Retrain with `python -m detectors.train`.
_WEIGHTS: dict[str, tuple[str, str]] = {
    # patchd-v9 with a second discriminator of the face GAN, dcgan-d-v3 (6000 DCGAN faces, 3000
    # steps): the stronger of the two logits joins each face's score where it says "generated"
    # (no training: 5 min, written to a scratch path and copied):
    #   python -m detectors.train --init detectors/weights/patchd-v7.pt --calibrate-only --mirror
    #       --gan-d dcgan-d-v2.pt dcgan-d-v3.pt --out detectors/weights/patchd-v10.pt
    # The app's DCGAN faces: AUC 0.9995 vs 0.9990, called fake 99.5% vs 98.7%; StyleGAN2 AUC the
    # same. Validation figures in patchd-v10.pt.log.json.
    "default": ("patchd-v10.pt", "0bc84f6ab80fc66db23a69a57de06b04f9137fdef7d12d6be8e7682761ca2eb0"),
    # The default until patchd-v10: patchd-v8 with the face GAN's discriminator dcgan-d-v2
    # (detectors.gan_d) joining each face's score where it says "generated" (Calibration.gan_d;
    # no training: 5 min, written to a scratch path and copied):
    #   python -m detectors.train --init detectors/weights/patchd-v7.pt --calibrate-only --mirror
    #       --gan-d dcgan-d-v2.pt --out detectors/weights/patchd-v9.pt
    # The app's DCGAN faces: AUC 0.9990 vs 0.9927, called fake 98.7% vs 92.7%, for 0.0003 of
    # StyleGAN2 AUC. Validation figures in patchd-v9.pt.log.json.
    "patchd-v9": ("patchd-v9.pt", "2ac030649f3914c430cd6f88df69bc090e4dad40da5b64d303de13a2f47b9d17"),
    # The default until patchd-v9: patchd-v7's network, unchanged, calibrated to judge each face and
    # its mirror image and average the two maps (Calibration.mirror; no training: 11 min on one
    # thread beside a training run, written to a scratch path and copied):
    #   python -m detectors.train --init detectors/weights/patchd-v7.pt --calibrate-only --mirror
    #       --threads 1 --out detectors/weights/patchd-v8.pt
    # A face and its mirror image differed by up to 0.5 in pooled logit: averaging them halves the
    # verdicts that change under JPEG q85 (2.4% vs 4.8%) and raises StyleGAN2 AUC (0.975 vs 0.971).
    # Validation figures in patchd-v8.pt.log.json.
    "patchd-v8": ("patchd-v8.pt", "bf9ff71ad6cdb29d66c1572096f415e39bdbd3ddb06fca1aef9842c110d3b975"),
    # The default until patchd-v8 (the same network, judged once per face): patchd-v6 taught harder
    # to keep a face's score when the photo is re-saved (consistency weight 6, 30% of the copies
    # shrunk and enlarged back; seed 0, 21 min on 2 cores; written to a scratch path and copied).
    # Fewer verdicts change under JPEG q85 (4.8% vs 6.4%), for 0.002 of StyleGAN2 AUC:
    #   python -m detectors.train --init detectors/weights/patchd-v6.pt --resample-aug 0.5 --real-low-res 0.15
    #       --learned-inpaint 0.5 --edit-weight 5 --resave-consistency 6 --consistency-shrink 0.3
    #       --precision bf16 --epochs 8 --lr 3e-4 --out detectors/weights/patchd-v7.pt
    # Validation figures in patchd-v7.pt.log.json.
    "patchd-v7": ("patchd-v7.pt", "c85d253f1a74e2eac5892f09b513cf9506bb69cbeccd1d83481d5f135f34fccd"),
    # The default until patchd-v7, and its starting point. The lite0 trunk (EfficientNet-Lite0 blocks
    # 0-10 from their ImageNet weights, see detectors.model), trained with patchd-v5's options in one
    # run that also calibrates (seed 0, 52 min on 2 cores; written to a scratch path and copied):
    #   python -m detectors.train --backbone lite0 --resample-aug 0.5 --real-low-res 0.15 --learned-inpaint 0.5
    #       --edit-weight 5 --resave-consistency 2 --precision bf16 --epochs 22 --lr 1e-3
    #       --out detectors/weights/patchd-v6.pt
    # Validation figures in patchd-v6.pt.log.json.
    "patchd-v6": ("patchd-v6.pt", "e5f0efddddac12718465178b5f7dcec11b17ca9743c2408a408102a891356176"),
    # The default until patchd-v6: patchd-v4 before its calibration (v4-raw.pt below) taught to keep a
    # face's score when the photo is re-saved as JPEG (about 31 min, seed 0), then calibrated:
    #   python -m detectors.train --init v4-raw.pt --resample-aug 0.5 --real-low-res 0.15
    #       --learned-inpaint 0.5 --edit-weight 5 --resave-consistency 2 --precision bf16 --epochs 10
    #       --lr 5e-4 --out v5-raw.pt
    #   python -m detectors.train --init v5-raw.pt --calibrate-only --out detectors/weights/patchd-v5.pt
    # Validation figures of both steps in patchd-v5.pt.log.json.
    "patchd-v5": ("patchd-v5.pt", "b1ff09fd1f4030ea700e8f2c368812a333a7cdaba20910afd538e8d8b14951a6"),
    # The default until patchd-v5 (same architecture): patchd-v3 fine-tuned twice to be robust to
    # scale, then calibrated (about 50 min in all, seed 0):
    #   python -m detectors.train --init detectors/weights/patchd-v3.pt --resample-aug 0.5 --edit-weight 5
    #       --precision bf16 --epochs 20 --lr 1e-3 --out v3-rs50.pt
    #   python -m detectors.train --init v3-rs50.pt --resample-aug 0.5 --real-low-res 0.15
    #       --learned-inpaint 0.5 --edit-weight 5 --precision bf16 --epochs 20 --lr 1e-3 --out v4-raw.pt
    #   python -m detectors.train --init v4-raw.pt --calibrate-only --out detectors/weights/patchd-v4.pt
    # Validation figures of the last two steps in patchd-v4.pt.log.json.
    "patchd-v4": ("patchd-v4.pt", "be9a9a9adb6030278052eab8f58645d1782e4ec79f50bda3c824a8ca99defda7"),
    # The default until patchd-v4 (StyleGAN2 val AUC 0.867): python -m detectors.train --stages 4
    # --blocks 1 --out detectors/weights/patchd-v2.pt (seed 0, 30 epochs, 94 min on 2 cores partly
    # shared), then its calibration: python -m detectors.train --init detectors/weights/patchd-v2.pt
    # --calibrate-only --out detectors/weights/patchd-v2.pt. Figures in patchd-v2.pt.log.json.
    "patchd-v2": ("patchd-v2.pt", "48b09c08ecf4a319a4fa92582bd810e825ed72789c936e31dc65ff8f50bd0aa8"),
    # The first detector (3 stages, 0.6 M parameters, StyleGAN2 val AUC 0.828): python -m
    # detectors.train --out detectors/weights/patchd-v1.pt, then --calibrate-only as above.
    "patchd-v1": ("patchd-v1.pt", "112192f14a2bcb3b029ce8a4a1b814ed9b46b5f1ea0c3eb714566d7901439fd8"),
    # patchd-v4's starting point: python -m detectors.train --stages 4 --blocks 1 --fine-map
    # --edit-weight 5 --precision bf16 --epochs 75 --out detectors/weights/patchd-v3.pt (seed 0, 89 min).
    # StyleGAN2 val AUC 0.958 and inpainting pixel AUC 0.840, but halving a real face moves it +0.11
    # towards "fake", and 7.4% of held-out StyleGAN2 faces are called real.
    "patchd-v3": ("patchd-v3.pt", "cf0f01f371ef4c72fa175ca791fa2d5a84fe79bd0c36bd0c14400071de071604"),
}


def list_detectors() -> list[str]:
    """Names accepted by :func:`create_detector`, default first."""
    return list(_WEIGHTS)


def create_detector(name: str = "default", device: str | torch.device | None = None) -> Detector:
    """Load a shipped detector by name, checking its weights' sha256.

    Raises:
        ValueError: unknown name (the message lists the valid ones).
        WeightsError: the weights file is missing or altered.
    """
    try:
        filename, sha256 = _WEIGHTS[name]
    except KeyError:
        raise ValueError(f"unknown detector {name!r}; valid names: {list_detectors()}") from None
    return load_detector(Path(WEIGHTS_DIR) / filename, sha256=sha256, device=device, name=name)


__all__ = [
    "Calibration",
    "DetectionResult",
    "Detector",
    "FaceResult",
    "ImageReadError",
    "LoadedImage",
    "WeightsError",
    "create_detector",
    "list_detectors",
    "load_detector",
    "read_image",
]
