"""Training the detector: losses, the training set, recipes and the dry run."""

import dataclasses

import numpy as np
import pytest
import torch
from PIL import Image

from core.imaging import upscale
from detectors import data as D
from detectors.detector import Calibration, load_detector, save_detector
from detectors.model import PatchDiscriminator, pool_logits
from detectors.recipes import FAKE_MIX, PATCHD, RECIPES, TrainConfig
from tests.conftest import HAVE_DATA, detail
from tests.conftest import TINY_DETECTOR as TINY


def test_edit_weight_counts_partly_edited_faces_more_in_the_patch_loss():
    from detectors.train import losses

    model = PatchDiscriminator(TINY)
    torch.manual_seed(0)
    x = torch.randn(3, 3, 64, 64)
    mask = torch.zeros(3, 1, 64, 64)
    mask[1] = 1.0  # wholly generated
    mask[2, :, :32] = 1.0  # half inpainted
    label = torch.tensor([0.0, 1.0, 1.0])
    logits = model(x)
    target = torch.nn.functional.adaptive_avg_pool2d(mask, logits.shape[-2:])
    per_face = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(dim=(1, 2, 3))
    _, plain, image = losses(model, x, mask, label)
    assert plain.item() == pytest.approx(per_face.mean().item(), rel=1e-5)  # 1: the unweighted mean
    _, weighted, image5 = losses(model, x, mask, label, edit_weight=5.0)
    assert weighted.item() == pytest.approx(((per_face[0] + per_face[1] + 5 * per_face[2]) / 7).item(), rel=1e-5)
    assert image5.item() == pytest.approx(image.item())  # the image loss is not reweighted


def test_resave_consistency_adds_the_squared_score_difference():
    from detectors.train import losses

    model = PatchDiscriminator(TINY).eval()  # fixed BatchNorm statistics: each face scored alone
    torch.manual_seed(0)
    x = torch.randn(3, 3, 64, 64)
    mask = torch.zeros(3, 1, 64, 64)
    label = torch.zeros(3)
    plain, patch, image = losses(model, x, mask, label)
    same, *_ = losses(model, x, mask, label, resaved=x.clone(), consistency=2.0)
    assert same.item() == pytest.approx(plain.item(), rel=1e-5)  # an unchanged re-save costs nothing
    resaved = x + 0.3 * torch.randn_like(x)
    gap = pool_logits(model(x), TINY.pool_temperature) - pool_logits(model(resaved), TINY.pool_temperature)
    total, patch2, image2 = losses(model, x, mask, label, resaved=resaved, consistency=2.0)
    assert (patch2.item(), image2.item()) == pytest.approx((patch.item(), image.item()), rel=1e-5)
    assert total.item() == pytest.approx(plain.item() + 2.0 * gap.pow(2).mean().item(), rel=1e-4)
    assert gap.abs().max() > 0


def test_training_set_can_add_a_resaved_copy_of_each_sample():
    from detectors.train import TrainSet

    split, hole = _noise_split()
    reals, rects = split.real, split.real_rects
    plain = TrainSet(split, reals, rects, [hole], 4, seed=0)
    paired = TrainSet(split, reals, rects, [hole], 4, seed=0, resaved=True)
    for i in range(len(plain)):
        x, mask, label = plain[i]
        x2, mask2, label2, resaved = paired[i]
        assert torch.equal(x, x2) and torch.equal(mask, mask2) and label == label2  # the same draw
        assert resaved.shape == x.shape and 0 < (resaved - x).abs().mean() < 0.2


def test_consistency_copies_can_be_shrunk_and_enlarged_instead_of_resaved():
    from detectors.train import TrainSet

    split, hole = _noise_split()
    reals, rects = split.real, split.real_rects
    jpeg_only = TrainSet(split, reals, rects, [hole], 8, seed=0, resaved=True)
    shrunk = TrainSet(split, reals, rects, [hole], 8, seed=0, resaved=True, shrunk_share=1.0)
    for i in range(len(shrunk)):
        x, _, _, resaved = jpeg_only[i]
        x2, _, _, halved = shrunk[i]
        assert torch.equal(x, x2)  # the same draw; only the copy differs
        # Noise faces: halving wipes out the fine detail (neighbour differences) a JPEG 60-95 re-save keeps.
        assert detail(halved) < 0.6 * detail(x) and detail(resaved) > 0.8 * detail(x)


def test_fake_mix_sets_the_kinds_of_each_epoch():
    from detectors.train import TrainSet

    mix = {**dict.fromkeys(FAKE_MIX, 0.0), "stylegan2": 0.5, "inpaint": 0.5}
    split, hole = _noise_split()
    epoch = TrainSet(split, split.real, split.real_rects, [hole], 40, seed=0, fake_mix=mix)
    assert sorted(set(epoch.kinds)) == ["inpaint", "real", "stylegan2"]
    assert epoch.kinds.count("real") == 20 and epoch.kinds.count("inpaint") == epoch.kinds.count("stylegan2") == 10
    default = TrainSet(split, split.real, split.real_rects, [hole], 40, seed=0)
    assert {k: default.kinds.count(k) for k in FAKE_MIX} == {k: int(round(v * 20)) for k, v in FAKE_MIX.items()}


def _noise_split() -> tuple[D.FaceSplit, np.ndarray]:
    """Four noise "faces" framed whole (as real and as fake), and one square hole."""
    rng = np.random.RandomState(0)
    reals = rng.randint(0, 256, (4, 128, 128, 3)).astype(np.uint8)
    rects = np.tile([0, 0, 128, 128], (4, 1))
    hole = np.zeros((128, 128), bool)
    hole[40:80, 40:80] = True
    return D.FaceSplit(reals, reals, rects, rects, [], []), hole


def test_training_takes_the_learned_share_of_inpainted_fakes_from_the_learned_fills():
    from detectors.train import TrainSet

    split, hole = _noise_split()
    reals, rects = split.real, split.real_rects
    learned = (np.full((4, 128, 128, 3), 90, np.uint8), np.stack([hole.astype(np.float32)] * 4))

    def inpainted(share: float):
        data = TrainSet(split, reals, rects, [hole], 8, seed=0, learned=learned, learned_share=share)
        return [data.sample("inpaint", np.random.RandomState(i)) for i in range(6)]

    for image, mask in inpainted(1.0):  # the flat grey learned fill, with its own hole as the label
        assert np.abs(image.astype(int) - 90).max() <= 2 and np.array_equal(mask > 0.5, hole)
    for image, mask in inpainted(0.0):  # OpenCV fills the hole; the noise around it stays
        assert image.std() > 50 and mask.sum() == hole.sum()


def _distance_from_64px(image: np.ndarray) -> float:
    """How far ``image`` (128 px) is from the best 64 px -> 128 px export of itself (mean levels)."""
    small = np.asarray(Image.fromarray(image).resize((64, 64), Image.Resampling.BOX))
    return min(float(np.abs(upscale(small, 128, m).astype(int) - image).mean()) for m in D.EXPORT_UPSCALES)


def test_real_faces_can_carry_the_dcgan_exports_low_res_history():
    """Upscaled-from-64 must not mean fake: a share of reals gets the exports' exact history."""
    from detectors.train import TrainSet

    rng = np.random.RandomState(0)
    # A sharp "real" face: fine texture up to the highest frequencies.
    real = np.clip(rng.normal(128, 40, (4, 128, 128, 3)), 0, 255).astype(np.uint8)
    rects = np.tile(np.array([0, 0, 128, 128]), (4, 1))
    split = D.FaceSplit(real, real, rects, rects, ["r"] * 4, ["f"] * 4)
    dcgan = np.stack([upscale(f[::2, ::2], 128, "nearest") for f in real])

    def reals(share):
        ts = TrainSet(split, dcgan, rects, [np.zeros((128, 128), bool)], 8, seed=0, real_low_res=share)
        return [ts.sample("real", np.random.RandomState(i))[0] for i in range(6)]

    always, never = reals(1.0), reals(0.0)
    # With the history, a real face is (up to the final JPEG) a 64 px face upscaled, like an export...
    assert max(map(_distance_from_64px, always)) < 0.3 * min(map(_distance_from_64px, never))
    # ...and at 64 px it is still the same face.
    small = np.asarray(Image.fromarray(always[0]).resize((64, 64), Image.Resampling.BOX)).astype(int)
    original = np.asarray(Image.fromarray(D.jpeg(real[0], 75)).resize((64, 64), Image.Resampling.BOX)).astype(int)
    assert np.abs(small - original).mean() < 12


@pytest.mark.skipif(not HAVE_DATA, reason="needs ../shared/data")
def test_train_warns_when_bf16_would_be_emulated(tmp_path, monkeypatch):
    from detectors import train

    intel, amd = tmp_path / "intel", tmp_path / "amd"
    intel.write_text("flags\t\t: fpu sse avx2 avx512f avx512_bf16 amx_tile\n")
    amd.write_text("flags\t\t: fpu sse avx2 avx512f avx512_vnni\n")
    assert train.cpu_has_bf16(intel) is True and train.cpu_has_bf16(amd) is False
    assert train.cpu_has_bf16(tmp_path / "missing") is None
    monkeypatch.setattr(train, "cpu_has_bf16", lambda: False)
    said = []
    small = tmp_path / "small.pt"  # a tiny network: emulated bf16 is slow on such CPUs
    save_detector(small, PatchDiscriminator(TINY), Calibration())
    step = TrainConfig(init=str(small), precision="bf16")
    train.train([step], tmp_path / "d.pt", train.RunOptions(dry_run=True), said.append)
    assert any("no native bf16" in line for line in said)
    said.clear()
    train.train([dataclasses.replace(step, precision="fp32")], tmp_path / "e.pt", train.RunOptions(dry_run=True),
                said.append)
    assert not any("no native bf16" in line for line in said)  # fp32: nothing to warn about on any CPU


@pytest.mark.skipif(not HAVE_DATA, reason="needs ../shared/data")
def test_the_shipped_recipe_runs_one_step_of_each_stage(tmp_path, monkeypatch):
    """python -m detectors.train --recipe patchd --dry-run: each step continues from the one before
    (written beside the output), the last is calibrated as the recipe says, and all load."""
    from detectors import train

    out = tmp_path / "d.pt"
    # The recipe's steps in fp32: the arithmetic it names (bf16) is emulated, and slow, on CPUs without it.
    monkeypatch.setitem(train.RECIPES, "patchd", [dataclasses.replace(c, precision="fp32") for c in PATCHD])
    assert train.main(["--recipe", "patchd", "--dry-run", "--out", str(out)]) == 0
    for i in range(1, len(PATCHD)):
        assert load_detector(f"{out}.step{i}.pt").config.backbone == "lite0"
    det = load_detector(out)
    assert det.config.backbone == "lite0" and next(det.model.parameters()).dtype == torch.float32
    assert det.calibration.mirror and det.calibration.gan_d == ("dcgan-d-v2", "dcgan-d-v3")
    assert det.patch_logits(np.zeros((1, 128, 128, 3), np.uint8)).shape == (1, 16, 16)
    assert list(RECIPES) == ["patchd"] and PATCHD[-1].calibrate_only and PATCHD[1].init == "previous"


@pytest.mark.skipif(not HAVE_DATA, reason="needs ../shared/data")
def test_train_continues_from_a_checkpoint_with_its_architecture(tmp_path):
    from detectors.train import RunOptions, train

    small = tmp_path / "small.pt"
    save_detector(small, PatchDiscriminator(TINY), Calibration())
    step = TrainConfig(init=str(small), learned_inpaint=1.0, resample_aug=0.5, resave_consistency=1.0,
                       consistency_shrink=0.5,
                       fake_mix={"stylegan2": 0.3, "dcgan": 0.1, "inpaint": 0.4, "swap": 0.1, "faceswap": 0.1})
    train([step], tmp_path / "c.pt", RunOptions(dry_run=True), lambda _: None)
    assert load_detector(tmp_path / "c.pt").config == TINY


def test_train_refuses_configs_it_cannot_run(tmp_path):
    from detectors.train import RunOptions, train

    run = RunOptions(dry_run=True)
    with pytest.raises(ValueError, match="previous step"):
        train([TrainConfig(init="previous", calibrate_only=True)], tmp_path / "x.pt", run, lambda _: None)
    with pytest.raises(ValueError, match="fake_mix"):
        train([TrainConfig(fake_mix={"stylegan2": 0.5})], tmp_path / "x.pt", run, lambda _: None)
    with pytest.raises(ValueError, match="precision"):  # refused before step 1 trains
        train([TrainConfig(), TrainConfig(precision="fp16")], tmp_path / "x.pt", run, lambda _: None)
    assert not (tmp_path / "x.pt.step1.pt").exists()
