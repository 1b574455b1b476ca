"""Detector metrics in plain numpy: AUC and its confidence interval, average precision, ECE, ROC and
calibration fits.

Labels are 1 = fake, 0 = real; scores are any monotone "fakeness" (logits or probabilities).
"""

from __future__ import annotations

import math
from statistics import NormalDist

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


def _placements(x: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Each score's share of the sorted ``others`` below it, ties counted half."""
    below, upto = np.searchsorted(others, x, "left"), np.searchsorted(others, x, "right")
    return (below + 0.5 * (upto - below)) / len(others)


def _logit_interval(area: float, variance: float, confidence: float) -> tuple[float, float]:
    """A normal interval for an AUC with ``variance``, taken on its logit and mapped back."""
    se = math.sqrt(variance) / (area * (1 - area))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    centre = math.log(area / (1 - area))
    lo, hi = (1 / (1 + math.exp(-(centre + k * z * se))) for k in (-1, 1))
    return lo, hi


def auc_interval(labels: np.ndarray, scores: np.ndarray, confidence: float = 0.95) -> tuple[float, float] | None:
    """Confidence interval of :func:`auc` for new faces from the same sources (DeLong et al. 1988).

    DeLong's variance comes from each face's placement: the share of the other class it outranks.
    The interval is taken on the logit of the AUC and mapped back, so it stays inside (0, 1) and is
    not symmetric near 1, where a normal interval would overshoot (Pepe 2003, sec. 5.2). An AUC of
    exactly 0 or 1 (no pair out of order) has no spread to measure: the interval collapses to it.
    None when a class has fewer than two scores.
    """
    labels, scores = np.asarray(labels).astype(bool), np.asarray(scores, np.float64)
    pos, neg = np.sort(scores[labels]), np.sort(scores[~labels])
    if len(pos) < 2 or len(neg) < 2:
        return None
    v_pos = _placements(pos, neg)  # each fake: share of reals it outscores
    v_neg = 1.0 - _placements(neg, pos)  # each real: share of fakes that outscore it
    area = float(v_pos.mean())
    if area in (0.0, 1.0):
        return area, area
    return _logit_interval(area, v_pos.var(ddof=1) / len(pos) + v_neg.var(ddof=1) / len(neg), confidence)


def clustered_auc_interval(labels: np.ndarray, scores: np.ndarray, groups: np.ndarray,
                           confidence: float = 0.95) -> tuple[float, float] | None:
    """Confidence interval of :func:`auc` when scores come in groups that are not independent, such
    as the pixels of one face: for new groups from the same source (Obuchowski 1997).

    DeLong's placements are summed per group, and the variance comes from how those sums spread
    between groups, so a group counts once however many scores it holds. Treating each pixel as
    independent instead would give an interval far too narrow. Mapped through the logit as
    :func:`auc_interval` is. None when there are fewer than two groups or a class is empty.
    """
    labels, scores = np.asarray(labels).astype(bool), np.asarray(scores, np.float64)
    ids, groups = np.unique(np.asarray(groups), return_inverse=True)
    k = len(ids)
    fake, real = scores[labels], scores[~labels]  # in the order of ``groups[labels]`` and ``groups[~labels]``
    if k < 2 or len(fake) == 0 or len(real) == 0:
        return None
    pos, neg = np.sort(fake), np.sort(real)
    v_pos = _placements(fake, neg)
    v_neg = 1.0 - _placements(real, pos)
    area = float(v_pos.mean())
    if area in (0.0, 1.0):
        return area, area
    # Per group: how far its placements' sum is from what its counts would give at the overall AUC.
    d_pos = np.bincount(groups[labels], v_pos, k) - np.bincount(groups[labels], minlength=k) * area
    d_neg = np.bincount(groups[~labels], v_neg, k) - np.bincount(groups[~labels], minlength=k) * area
    m, n, f = len(pos), len(neg), k / (k - 1)
    variance = f * ((d_pos @ d_pos) / m ** 2 + (d_neg @ d_neg) / n ** 2 + 2 * (d_pos @ d_neg) / (m * n))
    return _logit_interval(area, variance, confidence)


def rate_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Wilson score interval for a share of ``k`` in ``n`` (e.g. real faces that change verdict); None
    for n = 0."""
    if n <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p, zz = k / n, z * z / n
    centre = (p + zz / 2) / (1 + zz)
    half = z / (1 + zz) * math.sqrt(p * (1 - p) / n + zz / (4 * n))
    return max(0.0, centre - half), min(1.0, centre + half)


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
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, np.float64), -700, 700)))  # exp(700) still fits a float64


def binomial_tail(j: int, n: int, p: float) -> float:
    """P(X >= j) for X ~ Binomial(n, p)."""
    if j <= 0:
        return 1.0
    if j > n:
        return 0.0
    lp, lq = math.log(p), math.log1p(-p)
    head = math.lgamma(n + 1)
    return float(sum(math.exp(head - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq)
                     for i in range(j, n + 1)))


def edge_rank(n: int, alpha: float, confidence: float | None = None) -> int:
    """How many of n scores may lie beyond a verdict's edge taken from those n scores.

    The edge at the j-th of n sorted scores leaves a share Beta(j, n + 1 - j) of new scores from
    the same source beyond it. Without ``confidence``: the largest j whose mean, j / (n + 1), is at
    most ``alpha`` (the conformal rank). With it: the largest j for which that share is at most
    ``alpha`` with probability ``confidence``, i.e. P(Binomial(n, alpha) >= j) >= confidence. 0 when
    n scores are too few for either.
    """
    if confidence is None:
        return math.floor(alpha * (n + 1))
    j = 0
    while binomial_tail(j + 1, n, alpha) >= confidence:
        j += 1
    return j


def operating_point(real_probs: np.ndarray, fake_probs: np.ndarray, max_false_fake: float = 0.05,
                    max_false_real: float = 0.05, confidence: float | None = None) -> tuple[float, float]:
    """(threshold, real_below): the edges of a three-way verdict whose two errors are each rare.

    "fake" from ``threshold`` up: at most ``max_false_fake`` of real faces like ``real_probs`` reach
    it. "real" below ``real_below``: at most ``max_false_real`` of fakes like ``fake_probs``
    fall there. Between the two the detector says it is not sure. Each edge is an order statistic
    (:func:`edge_rank`), so the bound holds for new faces from the same sources, not only for the
    faces it was chosen on: on average, or, given ``confidence``, with that probability.
    """
    real = np.sort(np.asarray(real_probs, np.float64))
    fake = np.sort(np.asarray(fake_probs, np.float64))
    over = edge_rank(len(real), max_false_fake, confidence)  # reals allowed at or above the threshold
    if over < 1:
        need = next(n for n in range(1, 100_000) if edge_rank(n, max_false_fake, confidence) >= 1)
        raise ValueError(f"{len(real)} real scores cannot bound false fakes at {max_false_fake:.1%}; need at least {need}")
    threshold = float(np.nextafter(real[len(real) - over], np.inf))  # strictly above the (n+1-over)-th real score
    j = edge_rank(len(fake), max_false_real, confidence)
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
    # Newton steps on standardised logits: a confident network's logits of tens saturate the
    # sigmoid at the start, and raw steps then run away. The optimum is the same, mapped back below.
    centre, scale = float(x.mean()), float(x.std()) or 1.0
    x = (x - centre) / scale
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
    a, b = a / scale, b - a * centre / scale
    return max(float(a), 1e-3), float(b)
