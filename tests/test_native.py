"""The native-pixel branch: the residual it sees, tiling, the checkpoint, one training step."""

import numpy as np
import pytest
import torch

from core.data import data_root
from core.weights import WeightsError
from detectors.crops import to_tensor as to_input
from detectors.native import NativeConfig, NativeJudge, NativeNet, load_native, npr, save_native, tiles

HAVE_NATIVE = (data_root() / "native" / "manifest.csv").is_file()


def test_the_residual_is_zero_for_a_nearest_upsampled_image_and_not_for_a_photo_like_one():
    rng = np.random.RandomState(0)
    small = rng.randint(0, 256, (1, 32, 32, 3)).astype(np.uint8)
    blocky = small.repeat(2, axis=1).repeat(2, axis=2)  # what a nearest 2x upsampler makes
    assert torch.equal(npr(to_input(blocky)), torch.zeros(1, 3, 64, 64))
    assert npr(to_input(rng.randint(0, 256, (1, 64, 64, 3)).astype(np.uint8))).abs().mean() > 0.1
    assert npr(torch.zeros(2, 3, 33, 47)).shape == (2, 3, 32, 46)  # odd sides lose their last row / column


@pytest.mark.parametrize("h,w", [(256, 256), (300, 700), (100, 80)])
def test_tiles_cover_the_image_at_native_resolution(h, w):
    image = np.random.RandomState(1).randint(0, 256, (h, w, 3)).astype(np.uint8)
    t = tiles(image)
    side = min(256, h // 2 * 2, w // 2 * 2)
    assert t.shape[1:] == (side, side, 3) and t.dtype == np.uint8
    assert np.array_equal(t[0], image[:side, :side]) and np.array_equal(t[-1], image[h - side :, w - side :])


def test_any_even_tile_gives_one_finite_logit_and_checkpoints_round_trip(tmp_path):
    torch.manual_seed(0)
    net = NativeNet(NativeConfig(width=4)).eval()
    for side in (64, 128, 256):
        out = net(torch.rand(2, 3, side, side) * 2 - 1)
        assert out.shape == (2,) and torch.isfinite(out).all()
    save_native(net, tmp_path / "n.pt")
    judge = load_native(tmp_path / "n.pt")
    image = np.random.RandomState(2).randint(0, 256, (600, 900, 3)).astype(np.uint8)
    assert judge.logit(image) == pytest.approx(NativeJudge(net).logit(image), abs=1e-6)
    with pytest.raises(WeightsError, match="sha256"):
        load_native(tmp_path / "n.pt", sha256="0" * 64)


@pytest.mark.skipif(not HAVE_NATIVE, reason="needs ../shared/data/native")
def test_train_native_dry_run(tmp_path):
    from detectors.train_native import main, reencode

    assert main(["--dry-run", "--aligned", "0.5", "--out", str(tmp_path / "n.pt")]) == 0
    assert isinstance(load_native(tmp_path / "n.pt"), NativeJudge)
    image = np.random.RandomState(3).randint(0, 256, (64, 64, 3)).astype(np.uint8)
    again = reencode(image, np.random.RandomState(4))  # the same draw re-encodes either class alike
    assert np.array_equal(again, reencode(image, np.random.RandomState(4))) and again.shape == image.shape


def test_a_crop_can_be_given_the_other_classs_jpeg_history():
    from detectors.train_native import sample

    image = np.random.RandomState(5).randint(0, 256, (64, 64, 3)).astype(np.uint8)
    plain = sample(image, np.random.RandomState(6), 32, jpeg_p=0.0, fake=False, history_swap=0.0)
    for fake in (False, True):
        swapped = sample(image, np.random.RandomState(6), 32, jpeg_p=0.0, fake=fake, history_swap=1.0)
        assert swapped.shape == plain.shape == (32, 32, 3)
        assert np.abs(swapped.astype(int) - plain).mean() > 1  # re-encoded first
    # Without a label there is no other class: the crop is left as it is.
    assert np.array_equal(sample(image, np.random.RandomState(6), 32, jpeg_p=0.0, history_swap=1.0), plain)


@pytest.mark.parametrize("mode", ["nearest", "transposed", "bilinear", "pixelshuffle"])
def test_aligned_autoencoders_rebuild_an_image_at_its_size(mode):
    from detectors.aligned import TinyAE, reconstruct, train_ae

    images = [np.random.RandomState(5).randint(0, 256, (72, 80, 3)).astype(np.uint8)]
    ae = train_ae(mode, images, steps=2, side=64)
    out = reconstruct(ae, np.random.RandomState(6).randint(0, 256, (100, 131, 3)).astype(np.uint8))
    assert out.shape == (96, 128, 3) and out.dtype == np.uint8
    assert TinyAE(mode).encoder(torch.zeros(1, 3, 64, 64)).shape == (1, 4, 8, 8)
    with pytest.raises(ValueError, match="upsampler"):
        TinyAE("cubic")
