"""genai.playground: the 1-D minimax game of the GAN Playground page."""

import numpy as np
import pytest

from genai.playground import GRID, Game1D, Game1DConfig, js_divergence


def test_the_game_is_reproducible_and_records_each_iteration():
    a, b = Game1D(Game1DConfig(seed=3)), Game1D(Game1DConfig(seed=3))
    a.iteration(5)
    b.iteration(5)
    np.testing.assert_array_equal(a.snapshot()["p_g"], b.snapshot()["p_g"])
    assert a.iterations == 5 and len(a.history.js) == 6  # the start, then one point per iteration
    assert a.last.player == "G"


def test_d_steps_alone_move_d_towards_the_best_response():
    game = Game1D(Game1DConfig(k=1, lr_d=0.01))
    gap = lambda s: np.nanmean(np.abs(s["d"] - s["d_star"])[s["p_data"] + s["p_g"] > 0.05])  # noqa: E731
    before = gap(game.snapshot())
    for _ in range(60):
        game.train_d()
    assert gap(game.snapshot()) < before
    assert game.last.player == "D" and 0 <= game.last.d_real <= 1


def test_the_default_game_reaches_equilibrium():
    game = Game1D()
    game.iteration(600)
    snap = game.snapshot()
    assert snap["js"] < 0.08 and snap["off_half"] < 0.15


def test_js_divergence_bounds_and_densities():
    game = Game1D(Game1DConfig(real="mixture"))
    pd = game.p_data(GRID)
    assert abs(pd.sum() * (GRID[1] - GRID[0]) - 1) < 1e-3
    assert js_divergence(pd, pd) == pytest.approx(0, abs=1e-9)
    far = np.roll(pd, 200) * 0 + (np.abs(GRID - 5.9) < 0.05)
    assert js_divergence(pd, far) == pytest.approx(np.log(2), abs=1e-3)


def test_retuning_keeps_the_players_and_bad_configs_are_refused():
    game = Game1D()
    game.iteration(3)
    w = [p.clone() for p in game.G.parameters()]
    game.retuned(lr_g=0.05, k=3, loss="saturating")
    assert game.opt_g.param_groups[0]["lr"] == 0.05 and game.config.k == 3
    assert all((a == b).all() for a, b in zip(w, game.G.parameters()))
    with pytest.raises(ValueError):
        Game1DConfig(real="ring")
    with pytest.raises(ValueError):
        Game1DConfig(k=0)
