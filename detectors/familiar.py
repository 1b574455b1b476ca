"""Is this face like the faces the detector learned? If not, the detector says so instead of a number.

A detector's probability means something only for inputs like its training data. Each judged face
gets a distance in the detector's own feature space (``PatchDiscriminator.forward_features``: the
mean and spread of every feature map its head reads): the Mahalanobis distance to the training
faces (real and generated together), with the covariance shrunk a little towards a multiple of the
identity so that directions the training faces never varied in stay measurable. A face farther
than ``limit``, the 99th percentile of the distances of training faces held out of the fit, is
"unfamiliar": the face branch does not decide on it (the image branch judges the picture instead).

``python -m detectors familiar --out detectors/weights/patchd-v10.familiar.pt`` refits the shipped
file from the training faces (:func:`detectors.calibrate.fit_familiarity`, two minutes on this
project's CPU); ``bench/native.py`` and ``bench/detector.py`` print how often real and generated
images are found unfamiliar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

SHRINK = 0.01  # share of the covariance replaced by (mean variance) x identity
QUANTILE = 0.99  # of held-out training faces' distances: the limit
HELD_OUT = 0.2  # share of the training faces kept out of the fit to place the limit


@dataclass(frozen=True)
class Familiarity:
    mean: np.ndarray  # float64 (F,)
    precision: np.ndarray  # float64 (F, F): inverse of the shrunk covariance
    limit: float  # distances above this are unfamiliar

    def distance(self, features: np.ndarray) -> np.ndarray:
        """Mahalanobis distances (N,) of feature summaries (N, F) to the training faces."""
        d = np.asarray(features, np.float64) - self.mean
        return np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", d, self.precision, d), 0.0))

    def familiar(self, features: np.ndarray) -> np.ndarray:
        return self.distance(features) <= self.limit

    def to_checkpoint(self) -> dict:
        return {"mean": torch.from_numpy(self.mean), "precision": torch.from_numpy(self.precision),
                "limit": float(self.limit), "kind": "familiarity"}

    @classmethod
    def from_checkpoint(cls, raw: dict) -> Familiarity:
        if raw.get("kind") != "familiarity":
            raise ValueError("not a familiarity checkpoint")
        mean, precision = raw["mean"].double().numpy(), raw["precision"].double().numpy()
        if precision.shape != (len(mean), len(mean)):
            raise ValueError(f"precision {tuple(precision.shape)} does not match mean ({len(mean)},)")
        return cls(mean, precision, float(raw["limit"]))


def fit(features: np.ndarray, held_out: np.ndarray, shrink: float = SHRINK, quantile: float = QUANTILE) -> Familiarity:
    """The training faces' mean and shrunk covariance from ``features`` (N, F); the limit from the
    distances of ``held_out`` (M, F), faces of the same sources kept out of the fit."""
    x = np.asarray(features, np.float64)
    mean = x.mean(0)
    cov = np.cov(x, rowvar=False)
    cov = (1 - shrink) * cov + shrink * np.trace(cov) / len(cov) * np.eye(len(cov))
    first = Familiarity(mean, np.linalg.inv(cov), np.inf)
    return Familiarity(mean, first.precision, float(np.quantile(first.distance(held_out), quantile)))
