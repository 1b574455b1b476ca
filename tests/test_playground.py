"""genai.playground and genai.playground2d: the 1-D and 2-D minimax games of the GAN Playground page."""

import numpy as np
import torch
import pytest

from genai.playground import GRID, Game1D, Game1DConfig, js_divergence
from genai.playground2d import (
    ARROWS,
    FAILURES,
    HEAT,
    MANIFOLD_LINES,
    MANIFOLD_POINTS,
    SHOWN,
    Game2D,
    Game2DConfig,
    mode_centres,
    modes_covered,
)
from tests.conftest import at_once


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


# --- the 2-D game ------------------------------------------------------------------------------


def test_2d_game_is_reproducible_and_its_snapshot_has_every_layer():
    a, b = Game2D(Game2DConfig(seed=4)), Game2D(Game2DConfig(seed=4))
    a.iteration(3)
    b.iteration(3)
    sa, sb = a.snapshot(), b.snapshot()
    np.testing.assert_array_equal(sa["fake"], sb["fake"])
    assert sa["real"].shape == sa["fake"].shape == (SHOWN, 2)
    assert sa["heat"].shape == (HEAT, HEAT) and 0 <= sa["heat"].min() <= sa["heat"].max() <= 1
    assert sa["manifold"].shape == (2 * MANIFOLD_LINES, MANIFOLD_POINTS, 2)
    assert sa["arrows_from"].shape == sa["arrows_to"].shape == (ARROWS, 2)
    assert sa["modes"][1] == 8 and 0 <= sa["modes"][0] <= 8
    assert a.iterations == 3 and len(a.history.value) == 4 and a.last.player == "G"


@pytest.mark.parametrize("data", ["ring", "grid", "moons", "line"])
def test_2d_presets_sample_where_they_should(data):
    game = Game2D(Game2DConfig(data=data))
    x = game.real(2000).numpy()
    assert np.abs(x).max() < 3.0  # inside the plane shown
    centres = mode_centres(game.config)
    if centres is not None:
        assert modes_covered(x, centres, game.config.std) == len(centres)


def test_modes_covered_counts_a_collapsed_and_a_spread_generator():
    centres = mode_centres(Game2DConfig())
    rng = np.random.RandomState(0)
    spread = centres[rng.randint(0, 8, 800)] + rng.normal(0, 0.05, (800, 2))
    collapsed = centres[[2] * 700 + [5] * 100] + rng.normal(0, 0.05, (800, 2))
    assert modes_covered(spread, centres, 0.1) == 8
    assert modes_covered(collapsed, centres, 0.1) == 2
    assert modes_covered(rng.uniform(-3, 3, (800, 2)), centres, 0.1) == 0


def test_custom_points_become_the_real_data():
    game = Game2D(Game2DConfig(data="custom", points=((1.0, 1.0), (-2.0, 0.5))))
    x = game.real(500).numpy()
    d = np.linalg.norm(x[:, None] - np.array([[1.0, 1.0], [-2.0, 0.5]])[None], axis=-1).min(1)
    assert np.quantile(d, 0.99) < 0.5 and game.snapshot()["modes"] is None
    with pytest.raises(ValueError):
        Game2DConfig(data="custom")


def test_a_strong_d_leaves_the_saturating_loss_without_gradient():
    """The lecture's point about log(1 - D(G(z))): once D is sure the fakes are fake, the saturating
    loss' gradient at the fakes is orders of magnitude below the non-saturating loss' gradient."""
    game = Game2D(FAILURES["vanishing"])
    for _ in range(10):
        game.train_d()  # 20 D-steps each, G untrained
    saturating = game.snapshot()["grad_mean"]
    game.retuned(loss="nonsaturating")
    assert saturating < 0.01 * game.snapshot()["grad_mean"]


def test_canvas_points_map_to_the_plane():
    from ui.playground_view import canvas_points

    objects = [{"left": 146, "top": 146, "width": 8, "height": 8}, {"left": 296, "top": -4, "width": 8, "height": 8}]
    assert canvas_points(objects, 3.0, 300) == ((0.0, 0.0), (3.0, 3.0))


# --- a GAN and a VAE on digits -----------------------------------------------------------------


def test_digits_ship_in_the_wheel_and_both_models_train_reproducibly():
    from genai.digits import SHOWN, DigitsDuel, crispness, digits, grid

    data = digits()
    assert data.shape == (1797, 64) and 0 <= data.min() and data.max() <= 1
    a, b = DigitsDuel(seed=2), DigitsDuel(seed=2)
    a.train(30)
    b.train(30)
    sa = a.samples()
    np.testing.assert_array_equal(sa["gan"], b.samples()["gan"])
    assert sa["gan"].shape == sa["vae"].shape == (SHOWN, 8, 8)
    assert a.steps == 30 and len(a.history.step) == 4  # step 1, then every 10th
    assert all(0 <= v <= 1 for v in a.history.d_real + a.history.d_fake)
    assert a.history.recon[-1] < a.history.recon[0]  # the VAE is learning to reconstruct
    assert crispness(np.zeros((2, 8, 8))) == 1.0 and crispness(np.full((2, 8, 8), 0.5)) == 0.0
    picture = grid(sa["gan"])
    assert picture.dtype == np.uint8 and picture.shape == (4 * 9 * 12 + 12, 4 * 9 * 12 + 12)


@pytest.mark.parametrize("make", [lambda: Game2D(FAILURES["healthy"]), lambda: Game1D()], ids=["2d", "1d"])
def test_buttons_pressed_while_play_runs_wait_their_turn(make):
    """Play (a timer-driven loop), Train D, Train G, One iteration and the redraw hit one game at once:
    each step is exclusive, so none fails (without the lock: "modified by an inplace operation")."""
    game = make()
    errors = at_once([lambda: game.play(0.05), game.train_d, game.train_g, game.iteration, game.snapshot], 1.5)
    assert not errors, errors[:3]
    assert game.iterations > 0 and len(game.history.iteration) == len(game.history.value)


def test_digits_duel_steps_are_exclusive_too():
    from genai.digits import DigitsDuel

    duel = DigitsDuel(0)
    assert not at_once([lambda: duel.train(5), lambda: duel.train(1), duel.samples], seconds=1.0)


def test_play_trains_for_its_time_budget():
    game = Game2D(FAILURES["healthy"])
    assert game.play(0.0) == 1  # at least one iteration
    n = game.play(0.2)
    assert n > 5 and game.iterations == n + 1
    assert game.play(5.0, most=3) == 3


def test_games_playing_at_once_share_one_frame_of_training():
    """A class on one server: the games that asked within the window split PLAY_TRAIN_S evenly, a game
    that stopped asking drops out of the split, and one game alone trains as before."""
    from genai.playground import PLAY_TRAIN_S, PlayTime

    now = [0.0]
    clock = PlayTime(window=2.5, clock=lambda: now[0])
    games = [object() for _ in range(10)]
    assert clock.share(games[0]) == pytest.approx(PLAY_TRAIN_S)
    assert clock.share(games[0]) == pytest.approx(PLAY_TRAIN_S)  # asking again is still one game
    for g in games[1:]:
        clock.share(g)
    assert clock.playing() == 10 and clock.share(games[3]) == pytest.approx(PLAY_TRAIN_S / 10)
    now[0] = 2.0
    for g in games[:2]:  # the other eight stopped (Play off, tab closed)
        clock.share(g)
    now[0] = 3.0
    assert clock.playing() == 2 and clock.share(games[0]) == pytest.approx(PLAY_TRAIN_S / 2)
    now[0] = 10.0
    assert clock.share(games[5]) == pytest.approx(PLAY_TRAIN_S)


def test_the_digits_duel_plays_for_its_time_budget_too():
    from genai.digits import DigitsDuel

    duel = DigitsDuel(0)
    n = duel.play(0.3)
    assert n > 5 and duel.steps == n
    assert duel.play(5.0, most=2) == 2


def test_the_view_follows_a_generator_that_runs_away():
    from genai.playground2d import EXTENT, MAX_VIEW, view_extent

    assert view_extent(np.zeros((4, 2))) == EXTENT
    assert view_extent(np.array([[7.2, -1.0]])) == 8.0
    assert view_extent(np.array([[1e6, 0.0]])) == MAX_VIEW
    game = Game2D(FAILURES["healthy"])
    with torch.no_grad():
        game.G[-1].bias += 10.0  # every sample shifted far outside the default square
    snap = game.snapshot()
    assert snap["view"] > np.abs(snap["fake"]).max() and snap["heat_axis"][-1] == snap["view"]
