"""The image branch: tiling, the evidence gate, the checkpoint, its data splits, TAEF2, one training step,
and the shipped detector judging pictures without a face."""

import hashlib
import shutil

import numpy as np
import pytest
import torch

from core.data import data_root, load_rgb
from core.weights import WeightsError
from detectors.crops import jpeg
from detectors.native import NativeConfig, NativeJudge, NativeNet, load_native, no_evidence, save_native, tiles

HAVE_NATIVE = (data_root() / "native" / "manifest.csv").is_file()
TAEF2_DIR = data_root().parent / "models" / "taef2"


def photo_like(h: int, w: int, seed: int = 0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    base = np.kron(rng.randint(0, 256, (h // 16 + 1, w // 16 + 1, 3)), np.ones((16, 16, 1)))[:h, :w]
    return np.clip(base + rng.normal(0, 8, (h, w, 3)), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("h,w", [(256, 256), (300, 700), (100, 80)])
def test_tiles_cover_the_image_at_native_resolution(h, w):
    image = photo_like(h, w, 1)
    t, where = tiles(image)
    side = min(256, h // 2 * 2, w // 2 * 2)
    assert t.shape[1:] == (side, side, 3) and t.dtype == np.uint8 and len(where) == len(t)
    assert all(y % 8 == 0 and x % 8 == 0 for y, x in where)  # on the training crops' JPEG grid
    yl, xl = where[-1]
    assert np.array_equal(t[0], image[:side, :side]) and np.array_equal(t[-1], image[yl : yl + side, xl : xl + side])
    covered = np.zeros((h, w), bool)
    for y, x in where:
        covered[y : y + side, x : x + side] = True
    assert covered[: h - 7, : w - 7].all() or side < 256


def test_each_cell_of_the_map_is_drawn_where_it_was_seen():
    """A 256 px tile gives a 16 x 16 map: cell (i, j) covers pixels [16i, 16i + 16) x [16j, 16j + 16)."""

    class Cells(torch.nn.Module):
        def forward(self, x):
            n, _, h, w = x.shape
            return torch.arange(h // 16 * (w // 16), dtype=torch.float32).reshape(1, h // 16, w // 16).expand(n, -1, -1)

    cells = NativeJudge(Cells()).judge(photo_like(256, 256, 4)).cell_logits
    assert cells[0, 0] == 0 and cells[0, 15] == 0 and cells[0, 16] == 1 and cells[255, 255] == 255
    assert cells[16 * 7 + 3, 16 * 9 + 15] == 7 * 16 + 9


def test_only_tiny_or_flat_pictures_carry_no_evidence():
    assert no_evidence(np.zeros((20, 400, 3), np.uint8)) == "too_small"
    assert no_evidence(np.full((300, 300, 3), 128, np.uint8)) == "flat"
    smooth = np.tile(np.linspace(0, 255, 300, dtype=np.float32)[None, :, None], (200, 1, 3)).astype(np.uint8)
    assert no_evidence(smooth) == "flat"  # a gradient has no fine detail either
    assert no_evidence(photo_like(200, 300)) is None
    assert no_evidence(jpeg(photo_like(200, 300), 30)) is None  # heavy JPEG still leaves detail


def test_any_tile_gives_a_logit_map_and_checkpoints_round_trip(tmp_path):
    torch.manual_seed(0)
    net = NativeNet(NativeConfig(last_block=4)).eval()
    for side in (64, 128, 256):
        out = net(torch.rand(2, 3, side, side) * 2 - 1)
        assert out.shape == (2, side // 8, side // 8) and torch.isfinite(out).all()
    calibration = {"a": 1.0, "b": 0.0, "threshold": 0.9, "real_below": 0.3}
    save_native(net, tmp_path / "n.pt", {})
    with pytest.raises(WeightsError, match="calibration"):
        load_native(tmp_path / "n.pt")
    save_native(net, tmp_path / "n.pt", {"calibration": calibration})
    judge = load_native(tmp_path / "n.pt")
    image = photo_like(600, 900, 2)
    mine = judge.judge(image)
    assert mine.logit == pytest.approx(NativeJudge(net).logit(image), abs=1e-6)
    judged = ~np.isnan(mine.cell_logits)
    assert mine.cell_logits.shape == (600, 900) and judged.mean() > 0.5
    assert np.nanmean(mine.cell_logits) == pytest.approx(mine.logit, abs=0.5)  # tiles overlap at the edges
    assert mine.tiles == 8 and judge.meta["calibration"] == calibration  # 12 tiles, at most 8 judged
    with pytest.raises(WeightsError, match="sha256"):
        load_native(tmp_path / "n.pt", sha256="0" * 64)


@pytest.mark.skipif(not HAVE_NATIVE, reason="needs ../shared/data/native")
def test_splits_keep_held_out_families_and_cameras_apart():
    from detectors.train_native import splits

    s = splits(data_root() / "native")
    paths = {k: {p for _, p in v} for k, v in s.items()}
    assert not any("/val/" in str(p) for k in ("train_real", "train_fake", "calib_real", "calib_fake") for p in paths[k])
    for a, b in [("train_real", "calib_real"), ("train_real", "val_camera"), ("calib_real", "val_camera"),
                 ("train_fake", "calib_fake")]:
        assert not paths[a] & paths[b], (a, b)
    groups = {k: {g for g, _ in v} for k, v in s.items()}
    assert not groups["val_camera"] & (groups["train_real"] | groups["calib_real"])  # camera models held out whole
    assert not groups["calib_fake"] & groups["train_fake"]  # calibration generators never trained on
    assert {g for g, _ in s["val"]} >= {"real", "FLUX.1", "Chroma", "Qwen-Image"}


@pytest.mark.skipif(not (TAEF2_DIR / "taef2_encoder.pth").is_file(), reason="needs ../shared/models/taef2")
def test_taef2_rebuilds_a_photo_sharply_and_refuses_an_altered_file(tmp_path):
    from detectors.taef2 import TAEF2
    from genai.watermark import psnr

    image = load_rgb(sorted((data_root() / "native" / "train" / "real" / "imagenet").glob("*.jpg"))[0])[:128, :128]
    rebuilt = TAEF2().reconstruct(image)
    assert rebuilt.shape == image.shape and psnr(image, rebuilt) > 22  # the right layers, loaded strictly
    shutil.copytree(TAEF2_DIR, tmp_path / "taef2")
    data = bytearray((tmp_path / "taef2" / "taef2_decoder.pth").read_bytes())
    data[-100] ^= 1
    (tmp_path / "taef2" / "taef2_decoder.pth").write_bytes(bytes(data))
    assert hashlib.sha256(bytes(data)).hexdigest() != hashlib.sha256((TAEF2_DIR / "taef2_decoder.pth").read_bytes()).hexdigest()
    with pytest.raises(ValueError, match="sha256"):
        TAEF2(tmp_path / "taef2")


def test_training_crops_start_on_the_jpeg_grid_and_a_shrink_never_leaves_a_picture_too_small():
    from detectors.train_native import NativeTrainConfig, view

    image = photo_like(128, 160, 3)
    for seed in range(12):
        out = view(image, np.random.RandomState(seed), NativeTrainConfig(shrink_p=0.0, jpeg_p=0.0))
        found = [(y, x) for y in range(128 - 96 + 1) for x in range(160 - 96 + 1)
                 if np.array_equal(image[y : y + 96, x : x + 96], out)
                 or np.array_equal(image[y : y + 96, x : x + 96][:, ::-1], out)]
        assert found and all(y % 8 == 0 and x % 8 == 0 for y, x in found), (seed, found)
    for side in (96, 97, 128, 256):
        for seed in range(5):
            out = view(photo_like(side, side + 3, seed), np.random.RandomState(seed), NativeTrainConfig(shrink_p=1.0))
            assert out.shape == (96, 96, 3)


@pytest.mark.skipif(not HAVE_NATIVE, reason="needs ../shared/data/native")
def test_train_native_dry_run(tmp_path):
    from detectors.train_native import NativeTrainConfig, main, view

    assert main(["--dry-run", "--out", str(tmp_path / "n.pt")]) == 0
    judge = load_native(tmp_path / "n.pt")
    assert set(judge.meta["calibration"]) >= {"a", "b", "threshold", "real_below"}
    image = photo_like(128, 160, 3)
    config = NativeTrainConfig(crop=96)
    once = view(image, np.random.RandomState(4), config)  # the same draw gives either class the same view
    assert np.array_equal(once, view(image, np.random.RandomState(4), config)) and once.shape == (96, 96, 3)


@pytest.fixture(scope="module")
def detector():
    import detectors

    return detectors.create_detector()


def test_the_shipped_detector_judges_a_picture_without_a_face(detector):
    image = photo_like(300, 500, 7)
    result = detector.detect(image)
    assert result.faces == [] and result.judged == "whole_image" and result.abstained is None
    assert result.verdict in ("real", "fake", "uncertain") and 0 <= result.detector_probability <= 1
    assert result.heatmap.shape == (300, 500) and result.image.tiles == 4
    assert 0 <= result.heatmap.min() and result.heatmap.max() <= 1
    cells = detector.image_branch.judge(image).cell_logits  # the map is on the verdict's scale, cell by cell
    drawn = np.nan_to_num(detector.image_calibration.probability(cells), nan=0.0)  # the last px of an edge: unseen
    assert np.allclose(result.heatmap, drawn, atol=1e-6) and np.isnan(cells).mean() < 0.05
    assert result.calibration == detector.image_calibration  # the image branch's own rule decides
    flat = detector.detect(np.full((300, 500, 3), 200, np.uint8))
    assert flat.verdict == "unknown" and flat.abstained == "flat"
    assert detector.detect(np.zeros((24, 24, 3), np.uint8)).abstained == "too_small"


def test_a_candidate_image_branch_replaces_the_shipped_one_in_a_copy(detector, tmp_path):
    import detectors

    torch.manual_seed(0)
    save_native(NativeNet(NativeConfig(last_block=4)).eval(), tmp_path / "n.pt",
                {"calibration": {"a": 2.0, "b": -1.0, "threshold": 0.9, "real_below": 0.3}})
    other = detectors.with_image_branch(detector, str(tmp_path / "n.pt"))
    assert other.image_branch is not detector.image_branch and other.model is detector.model
    assert other.image_calibration.a != detector.image_calibration.a  # the scale follows the branch
    assert other.image_calibration.threshold == detector.image_calibration.threshold  # one shared threshold
    with pytest.raises(WeightsError, match="sha256"):
        detectors.with_image_branch(detector, str(tmp_path / "n.pt"), sha256="0" * 64)


@pytest.mark.skipif(not HAVE_NATIVE, reason="needs ../shared/data/native")
def test_the_image_branch_ranks_held_out_generators_above_real_photos_whatever_their_jpeg_history(detector):
    """Ten crops of held-out families against ten ImageNet val photos, as stored and with each
    class given the other's usual history (reals q85 4:2:0, fakes q96 4:4:4): the ranking holds
    both ways (bench/native.py measures it on all 1,471)."""
    from detectors import metrics
    from detectors.train_native import splits

    items = splits(data_root() / "native")["val"]
    reals = [load_rgb(p) for f, p in items if f == "real"][::18][:10]
    fakes = [load_rgb(p) for f, p in items if f in ("FLUX.1", "Chroma", "Flex")][::30][:10]
    labels = np.r_[np.zeros(len(reals)), np.ones(len(fakes))]

    def p(image):
        return detector.read_whole(image).probability

    as_stored = metrics.auc(labels, [p(im) for im in reals + fakes])
    swapped = metrics.auc(labels, [p(jpeg(im, 85, 2)) for im in reals] + [p(jpeg(im, 96, 0)) for im in fakes])
    assert as_stored > 0.7 and swapped > 0.7 and abs(as_stored - swapped) < 0.2


def test_one_threshold_serves_both_branches_and_keeps_each_branchs_own_edges():
    """The image branch's probabilities move onto the face branch's scale: at the default threshold
    each branch's verdicts are its own, and a moved threshold shifts both edges alike."""
    from detectors.detector import Calibration, shared_scale
    from detectors.metrics import sigmoid

    own = {"a": 0.5, "b": -0.6, "threshold": 0.97, "real_below": 0.4}
    face = Calibration(threshold=0.85, real_below=0.22)
    mine = shared_scale(own, face)
    assert (mine.threshold, mine.real_below) == (0.85, 0.22) and mine.a > 0
    for x in np.linspace(-10, 14, 97):
        p_own = float(sigmoid(own["a"] * x + own["b"]))
        said = "fake" if p_own >= own["threshold"] else "real" if p_own < own["real_below"] else "uncertain"
        assert mine.verdict(float(mine.probability(np.array([x]))[0])) == said, x


def test_a_face_the_image_branch_judges_keeps_the_face_branchs_map_in_its_crop(detector, faces):
    """When the faces found are unfamiliar and the image branch decides, each face's crop still shows
    the face branch's map (the image branch's tiles do not localise a repair in a face); elsewhere
    the image branch's tiles."""
    import dataclasses

    from core.imaging import upscale

    photo = np.full((400, 560, 3), 128, np.uint8)
    photo[40:296, 60:316] = upscale(faces[0], 256, "bicubic")
    photo = np.clip(photo + np.random.RandomState(0).normal(0, 3, photo.shape), 0, 255).astype(np.uint8)
    own = detector.familiarity
    try:
        detector.familiarity = dataclasses.replace(own, limit=1e9)
        near = detector.detect(photo)
        detector.familiarity = dataclasses.replace(own, limit=0.0)
        far = detector.detect(photo)
    finally:
        detector.familiarity = own
    assert near.judged == "faces" and far.judged == "whole_image" and far.faces
    x0, y0, x1, y1 = (max(0, v) for v in far.faces[0].crop)
    np.testing.assert_array_equal(far.heatmap[y0:y1, x0:x1], near.heatmap[y0:y1, x0:x1])
    outside = np.ones(photo.shape[:2], bool)
    for f in far.faces:
        fx0, fy0, fx1, fy1 = (max(0, v) for v in f.crop)
        outside[fy0:fy1, fx0:fx1] = False
    np.testing.assert_array_equal(far.heatmap[outside], far.image.heatmap[outside])
