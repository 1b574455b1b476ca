"""Detector metrics in plain numpy: AUC, average precision, ECE, ROC and calibration fits.

Labels are 1 = fake, 0 = real; scores are any monotone "fakeness" (logits or probabilities).
"""

from __future__ import annotations

import math

import numpy as np


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties counted half)."""
    labels, scores = np.asarray(labels).astype(bool), np.asarray(scores, np.float64)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), np.float64)
    sorted_scores = scores[order]
    # Average ranks over ties.
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mean precision at each true positive, ranking by score (sklearn's definition)."""
    labels = np.asarray(labels).astype(bool)
    order = np.argsort(-np.asarray(scores, np.float64), kind="mergesort")
    hits = labels[order]
    if hits.sum() == 0:
        return float("nan")
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def roc_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates, thresholds), thresholds descending."""
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, np.float64)
    thresholds = np.r_[np.inf, np.unique(scores)[::-1]]
    tpr = np.array([(scores[labels] >= t).mean() for t in thresholds])
    fpr = np.array([(scores[~labels] >= t).mean() for t in thresholds])
    return fpr, tpr, thresholds


def pr_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(recall, precision) at every cut of the ranking, from the highest score down."""
    labels = np.asarray(labels).astype(bool)
    order = np.argsort(-np.asarray(scores, np.float64), kind="mergesort")
    hits = labels[order]
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / max(1, hits.sum())
    return np.r_[0.0, recall], np.r_[1.0, precision]


def confusion(labels: np.ndarray, probs: np.ndarray, threshold: float) -> dict:
    """Counts at ``threshold`` (fake = positive): {"tn", "fp", "fn", "tp"}."""
    labels = np.asarray(labels).astype(bool)
    predicted = np.asarray(probs) >= threshold
    return {"tn": int((~labels & ~predicted).sum()), "fp": int((~labels & predicted).sum()),
            "fn": int((labels & ~predicted).sum()), "tp": int((labels & predicted).sum())}


def ece(labels: np.ndarray, probs: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of probabilities of "fake" over equal-width bins."""
    labels, probs = np.asarray(labels, np.float64), np.asarray(probs, np.float64)
    idx = np.minimum((probs * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            total += sel.sum() * abs(probs[sel].mean() - labels[sel].mean())
    return float(total / len(probs))


def reliability(labels: np.ndarray, probs: np.ndarray, bins: int = 10) -> list[dict]:
    """Per-bin mean predicted probability, observed fake rate and count (for a reliability plot)."""
    labels, probs = np.asarray(labels, np.float64), np.asarray(probs, np.float64)
    idx = np.minimum((probs * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        sel = idx == b
        if sel.any():
            out.append({"bin": b, "predicted": float(probs[sel].mean()), "observed": float(labels[sel].mean()),
                        "count": int(sel.sum())})
    return out


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


def operating_point(real_probs: np.ndarray, fake_probs: np.ndarray, max_false_fake: float = 0.05,
                    max_false_real: float = 0.05) -> tuple[float, float]:
    """(threshold, real_below): the edges of a three-way verdict whose two errors are each rare.

    "fake" from ``threshold`` up: at most ``max_false_fake`` of real faces like ``real_probs`` reach
    it. "real" below ``real_below``: at most ``max_false_real`` of fakes like ``fake_probs``
    fall there. Between the two the detector says it is not sure. Each edge is a conformal order
    statistic (rank ceil((1 - alpha)(n + 1))), so the bound holds on average for new faces from the
    same sources, not only on the faces it was chosen on.
    """
    real = np.sort(np.asarray(real_probs, np.float64))
    fake = np.sort(np.asarray(fake_probs, np.float64))
    k = math.ceil((1 - max_false_fake) * (len(real) + 1))
    if k > len(real):
        raise ValueError(f"{len(real)} real scores cannot bound false "
                         f"fakes at {max_false_fake:.1%}; need at least {math.ceil(1 / max_false_fake) - 1}")
    threshold = float(np.nextafter(real[k - 1], np.inf))  # strictly above the k-th real score
    j = math.floor(max_false_real * (len(fake) + 1))
    real_below = float(fake[j - 1]) if j >= 1 else 0.0  # at most j - 1 fakes score lower
    return threshold, min(real_below, threshold)


def slope_through_origin(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares ``c`` in y = c * x (no intercept); 0 when x is all zero."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    den = float((x * x).sum())
    return float((x * y).sum() / den) if den > 0 else 0.0


def fit_platt(logits: np.ndarray, labels: np.ndarray, iters: int = 100) -> tuple[float, float]:
    """Platt scaling: (a, b) minimising the log loss of sigmoid(a * logit + b), by Newton steps.

    ``a`` is kept positive, so calibration never reverses the ranking.
    """
    x, y = np.asarray(logits, np.float64), np.asarray(labels, np.float64)
    a, b = 1.0, 0.0
    for _ in range(iters):
        p = sigmoid(a * x + b)
        g = np.array([((p - y) * x).sum(), (p - y).sum()])
        w = p * (1 - p) + 1e-9
        h = np.array([[(w * x * x).sum(), (w * x).sum()], [(w * x).sum(), w.sum()]]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-10:
            break
    return max(float(a), 1e-3), float(b)
