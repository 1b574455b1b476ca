"""The detector's training data: the shared pipeline and the fakes made here."""

import numpy as np

from detectors import data as D


def test_shrunk_keeps_size_and_smooth_content():
    ramp = np.tile(np.linspace(0, 255, 128, dtype=np.float32), (128, 1))
    smooth = np.repeat(ramp[..., None], 3, axis=2).astype(np.uint8)
    out = D.shrunk(smooth, 0.5)
    assert out.shape == smooth.shape and out.dtype == np.uint8
    assert np.abs(out.astype(int) - smooth).mean() < 1.5  # a gradient survives halving
    noise = np.random.RandomState(0).randint(0, 256, (128, 128, 3)).astype(np.uint8)
    assert np.abs(D.shrunk(noise, 0.5).astype(int) - noise).mean() > 30  # pixel noise does not


def test_equalize_keeps_the_mask_on_its_pixels():
    image = np.zeros((128, 128, 3), np.uint8)
    image[:, :64] = (220, 30, 30)  # generated half: red
    image[:, 64:] = (30, 30, 220)  # real half: blue
    mask = np.zeros((128, 128), np.float32)
    mask[:, :64] = 1
    for seed in range(20):
        out, m = D.equalize(image, mask, np.random.RandomState(seed))
        assert out.shape == (128, 128, 3) and out.dtype == np.uint8
        assert m.shape == (128, 128) and m.dtype == np.float32
        red = out[..., 0].astype(int) > out[..., 2].astype(int)
        sure = (m > 0.9) | (m < 0.1)
        assert ((m > 0.5) == red)[sure].mean() > 0.97, f"mask left its pixels (seed {seed})"


def test_equalize_random_jpeg_share_is_a_knob():
    """--jpeg-aug: 0 never draws the extra JPEG, 1 always does; the same draw otherwise."""
    rng = np.random.RandomState(0)
    image = rng.randint(0, 256, (128, 128, 3)).astype(np.uint8)
    mask = np.zeros((128, 128), np.float32)
    runs = {p: [D.equalize(image, mask, np.random.RandomState(s), p)[0] for s in range(12)] for p in (0.0, 0.5, 1.0)}
    default = [D.equalize(image, mask, np.random.RandomState(s))[0] for s in range(12)]
    assert all(np.array_equal(a, b) for a, b in zip(runs[0.5], default))
    differ = [not np.array_equal(a, b) for a, b in zip(runs[0.0], runs[1.0])]
    assert all(differ)


def test_equalize_resampling_share_is_a_knob():
    """--resample-aug: the default is the 0.2 every shipped detector trained with; 1 always
    resamples, which takes fine detail out of every sample, 0 never does."""
    rng = np.random.RandomState(0)
    image = rng.randint(0, 256, (128, 128, 3)).astype(np.uint8)
    mask = np.zeros((128, 128), np.float32)

    def detail(p: float | None) -> list[float]:
        kw = {} if p is None else {"resample_p": p}
        outs = [D.equalize(image, mask, np.random.RandomState(s), **kw)[0].astype(np.float32) for s in range(24)]
        return [float(np.abs(np.diff(o, axis=1)).mean()) for o in outs]

    assert detail(None) == detail(0.2)
    never, always = detail(0.0), detail(1.0)
    assert np.mean(always) < 0.8 * np.mean(never)


def test_learned_inpaint_fakes_change_only_their_holes():
    """The app's gated-unet fills each real face's hole; the label is that hole, pixel for pixel."""
    rng = np.random.RandomState(0)
    yy, xx = np.mgrid[:128, :128]
    reals = np.stack([np.dstack([xx * 2, yy * 2, (xx + yy) % 256]).astype(np.uint8) + k * 9 for k in range(3)])
    hole = np.zeros((128, 128), bool)
    hole[30:70, 50:100] = True
    filled, holes = D.learned_inpaint_fakes(reals, [hole], rng)
    assert filled.shape == reals.shape and filled.dtype == np.uint8
    assert holes.shape == (3, 128, 128) and holes.dtype == np.float32
    for real, fake, h in zip(reals, filled, holes.astype(bool)):
        assert h.sum() == hole.sum()  # the one mask, mirrored or turned
        assert np.array_equal(real[~h], fake[~h])
        assert np.abs(real[h].astype(int) - fake[h]).mean() > 2


def test_every_training_source_is_compressed_once_at_q75_before_the_shared_pipeline():
    """The format trap: no class may carry a different compression history."""
    rng = np.random.RandomState(0)
    real = rng.randint(0, 256, (128, 128, 3), dtype=np.uint8)
    once = D.jpeg(real, D.HISTORY_QUALITY)
    # JPEG at one quality is near-idempotent: re-compressing a q75 image changes little, so a
    # q75 fake and a q75-processed real enter the pipeline with the same history.
    assert np.abs(D.jpeg(once, 75).astype(int) - once).mean() < np.abs(once.astype(int) - real).mean() / 3
