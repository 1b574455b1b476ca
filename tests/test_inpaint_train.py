"""The learned inpainter: checkpoints, its training script (one step on a synthetic data folder), quality measures."""

import numpy as np
import pytest
from PIL import Image

from genai.inpaint import LearnedInpainter
from genai.inpaint_net import InpaintNet, InpaintNetConfig, WeightsError, load_inpaint_net, save_inpaint_net
from genai.quality import masked_psnr, masked_ssim
from genai.train_inpaint import main as train
from genai.train_inpaint import random_strokes, sample_mask
from tests.test_inpaint import Finder, hole, scene


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The shared data layout in miniature: a few 128 px faces and 202 masks per band."""
    root = tmp_path_factory.mktemp("data")
    rng = np.random.RandomState(0)
    for split, n in (("train", 6), ("val", 4)):
        folder = root / "faces" / split / "real"
        folder.mkdir(parents=True)
        for i in range(n):
            Image.fromarray((rng.rand(128, 128, 3) * 255).astype(np.uint8)).save(folder / f"{i}.png")
    for band in range(6):
        folder = root / "masks" / f"band{band}"
        folder.mkdir(parents=True)
        for i in range(202):
            m = np.zeros((32, 32), np.uint8)
            m[4 + i % 8 : 12 + i % 8, 4 : 8 + 3 * band] = 255
            Image.fromarray(m).save(folder / f"{i:05d}.png")
    return root


def test_dry_run_trains_one_step_and_writes_a_usable_checkpoint(data_dir, tmp_path):
    out = tmp_path / "net.pt"
    assert train(["--dry-run", "--data", str(data_dir), "--out", str(out), "--width", "4"]) == 0
    log = (tmp_path / "net.pt.log.json").read_text()
    assert '"steps": 1' in log and "telea_val_psnr" in log
    net = load_inpaint_net(out)
    assert net.config == InpaintNetConfig(width=4)
    out = LearnedInpainter(weights=out, finder=Finder())(scene(), hole())
    assert out.shape == (96, 128, 3) and out.dtype == np.uint8
    # Continuing keeps the checkpoint's architecture.
    assert train(["--dry-run", "--data", str(data_dir), "--init", str(tmp_path / "net.pt"),
                  "--out", str(tmp_path / "more.pt")]) == 0
    assert load_inpaint_net(tmp_path / "more.pt").config.width == 4


def test_checkpoint_round_trip_and_sha_pin(tmp_path):
    net = InpaintNet(InpaintNetConfig(width=4)).eval()
    path = tmp_path / "n.pt"
    save_inpaint_net(net, path)
    back = load_inpaint_net(path)
    import torch

    x, m = torch.rand(1, 3, 32, 32) * 2 - 1, (torch.rand(1, 1, 32, 32) > 0.5).float()
    with torch.no_grad():
        a, b = net(x, m), back(x, m)
    assert torch.allclose(a, b, atol=2e-2)  # weights stored as float16
    assert torch.equal(b * (1 - m), x * (1 - m)), "known pixels must pass through untouched"
    with pytest.raises(WeightsError, match="sha256"):
        load_inpaint_net(path, sha256="0" * 64)
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(WeightsError, match="is not .*checkpoint"):
        load_inpaint_net(tmp_path / "bad.pt")
    with pytest.raises(WeightsError, match="not found"):
        load_inpaint_net(tmp_path / "missing.pt")


def test_shipped_weights_are_pinned_small_and_final():
    """The committed checkpoint: sha256 pinned, under 20 MB, a finished run (not a partial epoch)
    that beat its baseline on the validation faces."""
    import json

    from core.weights import SHIPPED, load_shipped, sha256_file, shipped_path

    path = shipped_path("gated-unet")
    assert sha256_file(path) == SHIPPED["gated-unet"].sha256
    assert path.stat().st_size < 20 * 2**20
    meta = load_shipped("gated-unet").get("meta", {})
    assert not meta.get("partial"), f"the shipped checkpoint is a partial run: {meta}"
    log = json.loads(path.with_name(path.name + ".log.json").read_text())
    assert log["val_psnr"] > log["telea_val_psnr"], "the log must show the shipped net beating its baseline"


def test_learning_rate_warms_up_then_decays():
    from genai.train_inpaint import lr_factor

    assert lr_factor(0, 100) == 1.0 and lr_factor(100, 100) == pytest.approx(0.0)  # no warm-up: v1's schedule
    ramp = [lr_factor(s, 1000, warmup=10) for s in range(12)]
    assert ramp[0] < 0.1 and all(a < b for a, b in zip(ramp[:10], ramp[1:10]))
    assert ramp[10] == pytest.approx(lr_factor(10, 1000))  # after the warm-up it is the cosine again


def test_training_masks_are_never_empty():
    rng = np.random.RandomState(0)
    masks = [np.zeros((128, 128), bool)]  # an empty stored mask must be replaced
    for _ in range(50):
        m = sample_mask(masks, rng)
        assert m.shape == (128, 128) and m.any()
    assert 0.01 < np.mean([random_strokes(rng).mean() for _ in range(20)]) < 0.6


def test_masked_quality_measures():
    rng = np.random.RandomState(0)
    a = (rng.rand(64, 64, 3) * 255).astype(np.uint8)
    m = np.zeros((64, 64), bool)
    m[10:30, 10:30] = True
    assert masked_psnr(a, a, m) == float("inf")
    assert masked_ssim(a, a, m) == pytest.approx(1.0)
    b = a.copy()
    b[m] = np.clip(b[m].astype(int) + 10, 0, 255)
    b[~m] = 0  # errors outside the hole do not count
    assert masked_psnr(b, a, m) == pytest.approx(10 * np.log10(255**2 / np.mean((b[m].astype(float) - a[m]) ** 2)))
    assert masked_ssim(b, a, m) < 1.0
    with pytest.raises(ValueError):
        masked_psnr(a, a, np.zeros((64, 64), bool))
