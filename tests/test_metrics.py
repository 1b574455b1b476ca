"""Metrics and the operating point: AUC and its intervals, Platt scaling, verdict shares."""

import numpy as np
import pytest

from detectors import metrics
from detectors.detector import Calibration


@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_operating_point_bounds_both_errors_on_new_faces(alpha):
    """Edges chosen on one sample keep each verdict's error near alpha on a fresh sample of the same sources."""
    rng = np.random.RandomState(1)
    draw = lambda: (metrics.sigmoid(rng.normal(-1, 1.5, 2000)), metrics.sigmoid(rng.normal(1, 1.5, 2000)))
    real, fake = draw()
    threshold, real_below = metrics.operating_point(real, fake, alpha, alpha)
    cal = Calibration(threshold=threshold, real_below=real_below)
    assert np.mean([cal.verdict(p) == "fake" for p in real]) <= alpha
    assert np.mean([cal.verdict(p) == "real" for p in fake]) <= alpha
    new_real, new_fake = draw()
    assert abs(np.mean([cal.verdict(p) == "fake" for p in new_real]) - alpha) < 0.02
    assert abs(np.mean([cal.verdict(p) == "real" for p in new_fake]) - alpha) < 0.02
    # Overlapping classes leave a band where the detector says it is not sure.
    assert 0 < real_below < threshold and np.mean([cal.verdict(p) == "uncertain" for p in new_real]) > 0.2


def test_operating_point_with_confidence_bounds_each_error_in_most_draws():
    """With ``confidence``, an edge's true error exceeds alpha in at most ~1 - confidence of the
    samples it could have been chosen on; the mean (conformal) edge exceeds it in about half.
    Uniform scores make the true error of an edge the edge itself."""
    rng = np.random.RandomState(0)
    n, alpha = 500, 0.05
    over = {None: [], 0.95: []}
    for _ in range(400):
        real, fake = rng.uniform(size=n), rng.uniform(size=n)
        for conf in over:
            threshold, real_below = metrics.operating_point(real, fake, alpha, alpha, confidence=conf)
            over[conf].append((1 - threshold > alpha, real_below > alpha))
    sure, mean = np.mean(over[0.95], axis=0), np.mean(over[None], axis=0)
    assert np.all(sure <= 0.05 + 0.035) and np.all(mean > 0.3)
    assert metrics.edge_rank(500, 0.05) == 25 and 15 < metrics.edge_rank(500, 0.05, 0.95) < 20
    assert metrics.binomial_tail(0, 10, 0.3) == 1.0 and abs(metrics.binomial_tail(10, 10, 0.5) - 0.5**10) < 1e-12
    with pytest.raises(ValueError, match="at least 59"):  # 0.95 ** 59 < 0.05
        metrics.operating_point(np.linspace(0, 1, 50), np.linspace(0, 1, 50), confidence=0.95)


def test_operating_point_needs_enough_reals_and_never_inverts():
    with pytest.raises(ValueError, match="at least 19"):
        metrics.operating_point(np.linspace(0, 1, 10), np.linspace(0, 1, 10))
    # Separated classes: no band is needed, and "real" never starts above "fake".
    threshold, real_below = metrics.operating_point(np.linspace(0, 0.2, 100), np.linspace(0.8, 1, 100))
    assert 0.19 < threshold <= 0.2 + 1e-9 and real_below == threshold


def test_fit_platt_never_reverses_ranking():
    a, _ = metrics.fit_platt(np.array([3.0, 2.0, -2.0, -3.0]), np.array([0, 0, 1, 1]))
    assert a > 0


def test_auc_matches_pair_counting():
    rng = np.random.RandomState(1)
    labels = rng.rand(200) < 0.4
    scores = np.round(rng.rand(200) + labels * 0.3, 1)  # with ties
    pos, neg = scores[labels], scores[~labels]
    brute = ((pos[:, None] > neg[None]).sum() + 0.5 * (pos[:, None] == neg[None]).sum()) / (len(pos) * len(neg))
    assert metrics.auc(labels, scores) == pytest.approx(brute)
    assert metrics.auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert metrics.auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0


@pytest.mark.parametrize("shift, n", [(2.0, 150), (3.5, 500)])  # true AUC 0.921 and 0.993
def test_auc_interval_covers_the_true_auc_about_95_times_in_100(shift, n):
    from statistics import NormalDist

    rng = np.random.default_rng(1)
    labels = np.r_[np.zeros(n), np.ones(n)]
    true = NormalDist().cdf(shift / np.sqrt(2))  # P(fake score > real score) for unit normals
    covered = []
    for _ in range(200):
        scores = np.r_[rng.normal(0, 1, n), rng.normal(shift, 1, n)]
        lo, hi = metrics.auc_interval(labels, scores)
        assert 0 < lo <= metrics.auc(labels, scores) <= hi < 1
        covered.append(lo <= true <= hi)
    assert 0.90 <= np.mean(covered) <= 0.99


def test_auc_interval_edge_cases():
    assert metrics.auc_interval([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == (1.0, 1.0)  # nothing out of order
    assert metrics.auc_interval([0, 1, 1], [0.1, 0.2, 0.3]) is None  # one real: no spread to measure
    lo, hi = metrics.auc_interval([0, 0, 0, 1, 1, 1], [0.1, 0.5, 0.3, 0.4, 0.9, 0.8])  # AUC 8/9
    assert lo < 8 / 9 < hi <= 1


def test_clustered_auc_interval_covers_the_true_auc_where_deLongs_would_not():
    # Pixels of a face share that face's offset: 60 faces of 50 edited and 150 untouched pixels.
    rng = np.random.default_rng(2)
    faces, edited, kept = 60, 50, 150
    groups = np.repeat(np.arange(faces), edited + kept)
    labels = np.tile(np.r_[np.ones(edited), np.zeros(kept)], faces).astype(bool)

    def sample():
        return rng.normal(0, 1, faces)[groups] + 1.5 * labels + rng.normal(0, 1, len(groups))

    true = np.mean([metrics.auc(labels, sample()) for _ in range(100)])
    clustered, independent = [], []
    for _ in range(200):
        scores = sample()
        lo, hi = metrics.clustered_auc_interval(labels, scores, groups)
        assert 0 < lo <= metrics.auc(labels, scores) <= hi < 1
        clustered.append(lo <= true <= hi)
        lo, hi = metrics.auc_interval(labels, scores)
        independent.append(lo <= true <= hi)
    assert 0.90 <= np.mean(clustered) <= 0.99
    assert np.mean(independent) < 0.75  # pixels taken as independent: far too narrow


def test_clustered_auc_interval_of_single_scores_is_deLongs():
    rng = np.random.default_rng(3)
    labels = rng.random(400) < 0.5
    scores = rng.normal(0, 1, 400) + labels
    clustered = metrics.clustered_auc_interval(labels, scores, np.arange(400))
    assert clustered == pytest.approx(metrics.auc_interval(labels, scores), abs=2e-4)
    assert metrics.clustered_auc_interval([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], [0, 0, 1, 1]) == (1.0, 1.0)
    assert metrics.clustered_auc_interval([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], [0, 0, 0, 0]) is None  # one face
    assert metrics.clustered_auc_interval([0, 0], [0.1, 0.2], [0, 1]) is None  # nothing edited


def test_verdict_shares_say_how_many_faces_they_are_shares_of():
    from detectors.calibrate import verdict_shares
    from detectors.detector import Calibration

    shares = verdict_shares(Calibration(threshold=0.5, real_below=0.35), np.array([0.1, 0.2, 0.4, 0.9]))
    assert shares == {"real": 0.5, "uncertain": 0.25, "fake": 0.25, "n": 4}


def test_rate_interval_is_wilsons():
    assert metrics.rate_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    lo, hi = metrics.rate_interval(0, 10)
    assert lo == pytest.approx(0, abs=1e-12) and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = metrics.rate_interval(25, 1000)
    assert lo < 0.025 < hi and hi - 0.025 > 0.025 - lo  # skewed away from 0
    assert metrics.rate_interval(0, 0) is None
    assert metrics.average_precision([0, 1, 1], [0.1, 0.9, 0.8]) == 1.0
