"""Image-quality measures for inpainting, restricted to the hole (the only pixels an inpainter makes)."""

from __future__ import annotations

import cv2
import numpy as np


def masked_psnr(result: np.ndarray, truth: np.ndarray, mask: np.ndarray) -> float:
    """PSNR in dB over the pixels where ``mask`` (bool (H, W)) is True; RGB uint8 (H, W, 3) inputs."""
    if not mask.any():
        raise ValueError("empty mask: PSNR over no pixels is undefined")
    diff = result.astype(np.float64)[mask] - truth.astype(np.float64)[mask]
    mse = float(np.mean(diff**2))
    return float("inf") if mse == 0 else 10.0 * np.log10(255.0**2 / mse)


def ssim_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-pixel SSIM (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5) on luma, float (H, W)."""
    ya = cv2.cvtColor(a, cv2.COLOR_RGB2GRAY).astype(np.float64)
    yb = cv2.cvtColor(b, cv2.COLOR_RGB2GRAY).astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(x: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(x, (11, 11), 1.5, borderType=cv2.BORDER_REFLECT)

    mu_a, mu_b = blur(ya), blur(yb)
    var_a = blur(ya * ya) - mu_a**2
    var_b = blur(yb * yb) - mu_b**2
    cov = blur(ya * yb) - mu_a * mu_b
    return ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))


def masked_ssim(result: np.ndarray, truth: np.ndarray, mask: np.ndarray) -> float:
    """Mean SSIM over the hole: windows centred on hole pixels (they also see the known border)."""
    if not mask.any():
        raise ValueError("empty mask: SSIM over no pixels is undefined")
    return float(ssim_map(result, truth)[mask].mean())
