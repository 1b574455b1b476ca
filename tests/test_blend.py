"""The blend head: its training fakes (self-blends, cross-blends, repairs), its checkpoint, one training step, and
how a detector combines it with the patch head."""

import cv2
import numpy as np
import pytest
import torch

from core.data import data_root, image_files, load_rgb
from core.weights import WeightsError
from detectors.blend import (BLENDED, BOUNDARY, KINDS, REPAIRED, BlendJudge, blend_network, load_blend, reading,
                             save_blend)
from detectors.detector import Calibration, Detector, on_face_scale
from detectors.model import DetectorConfig, PatchDiscriminator
from detectors.train_blend import (Faces, beautified, boundary_of, cross_blended, faded, jittered, neighbours,
                                  repaired, sample, self_blended, spectacled)

HAVE_FACES = (data_root() / "faces" / "train" / "real").is_dir()


@pytest.fixture(scope="module")
def face_and_points():
    """A real training face (or a generated one without the data) and its 68 landmarks."""
    from genai.faceswap import Landmarker

    if HAVE_FACES:
        face = load_rgb(image_files(data_root() / "faces" / "train" / "real")[0])
    else:
        from core.imaging import upscale
        from genai.generators import create_generator

        face = upscale(create_generator().sample([0])[0], 128, "bicubic")
    marks = Landmarker().find(face)
    assert marks and marks[0].dense
    return face, marks[0].points


def test_a_self_blend_changes_only_the_blended_region_and_its_seam_is_a_ring(face_and_points):
    face, points = face_and_points
    kept, checked = set(), 0
    for seed in range(12):
        image, weight = self_blended(face, points, np.random.RandomState(seed))
        assert image.shape == face.shape and weight.shape == face.shape[:2]
        assert 0 <= weight.min() and weight.max() <= 1 and weight.max() > 0
        # one side of the seam is the face itself, the other its jittered copy ("another photo")
        outside_kept = np.array_equal(image[weight == 0], face[weight == 0])
        inside_kept = np.array_equal(image[weight == 1], face[weight == 1]) and (weight == 1).any()
        kept.add("outside" if outside_kept else "inside" if inside_kept else "neither")
        assert (image != face).any()
        seam = boundary_of(weight)
        solid = (weight >= 0.95 * weight.max()).astype(np.uint8)
        deep = cv2.erode(solid, np.ones((9, 9), np.uint8)).astype(bool)
        # the seam sits where the blend weight changes, not over the solid inside of the region
        assert seam.max() == pytest.approx(1.0, abs=1e-4)
        if deep.any():
            checked += 1
            assert seam[deep].mean() < 0.1
    assert checked >= 6
    assert "outside" in kept  # the face kept around a blended-in copy
    assert kept - {"outside"}  # and the other way round (or a Poisson blend, which changes both sides' colours)


def test_a_cross_blend_moves_the_donor_onto_the_face_and_keeps_the_face_outside(face_and_points):
    face, points = face_and_points
    # the donor: this face moved and enlarged by a known similarity, its landmarks with it
    m = cv2.getRotationMatrix2D((64, 64), 4, 1.12)
    m[:, 2] += [9, -6]
    donor = cv2.warpAffine(face, m, (128, 128), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    donor_points = points @ m[:, :2].T + m[:, 2]
    aligned, misaligned = [], []
    for seed in range(6):
        image, weight = cross_blended(face, points, donor, donor_points, np.random.RandomState(seed))
        assert image.shape == face.shape and weight.dtype == np.float32 and weight.max() > 0
        assert np.array_equal(image[weight == 0], face[weight == 0])
        # the same draws with the donor's landmarks left where they were: the warp is all that differs
        wrong, _ = cross_blended(face, points, donor, points, np.random.RandomState(seed))
        inside = weight >= 0.99
        if inside.any():
            aligned.append(np.abs(image[inside].astype(int) - face[inside].astype(int)).mean())
            misaligned.append(np.abs(wrong[inside].astype(int) - face[inside].astype(int)).mean())
    assert len(aligned) >= 3
    # moved back into place, the donor lines up with the face it was made from; left where it was, it does not
    assert all(a < b for a, b in zip(aligned, misaligned)), (aligned, misaligned)


def test_donors_are_the_faces_with_the_nearest_landmarks():
    rng = np.random.RandomState(0)
    base = rng.uniform(0, 128, (68, 2))
    # faces 0 and 2 share a layout (2 is 0 moved and enlarged: the same after normalising), 1 differs
    points = np.stack([base, rng.uniform(0, 128, (68, 2)), base * 1.5 + 7, base + rng.normal(0, 3, (68, 2))])
    near = neighbours(points, k=2)
    assert near.shape == (4, 2)
    assert near[0, 0] == 2 and near[2, 0] == 0
    assert all(i not in near[i] for i in range(4))  # never a face's own donor


def test_a_repair_keeps_every_pixel_outside_its_hole(face_and_points):
    face, points = face_and_points
    rebuilt = face[::-1].copy()  # stands in for a TAEF2 reconstruction: anything different
    learned = (np.where(np.arange(128)[:, None, None] < 40, 0, face).astype(np.uint8),
               np.tile(np.arange(128)[:, None] < 40, (1, 128)))
    kinds = set()
    for seed in range(16):
        image, weight = repaired(face, points, [], np.random.RandomState(seed), learned, rebuilt)
        assert weight.max() > 0
        assert np.array_equal(image[weight == 0], face[weight == 0])
        assert (image != face).any()
        kinds.add(bool((weight == learned[1]).all()))
    assert kinds == {True, False}  # both the precomputed fill and fills made on the spot are drawn


def test_a_smoothed_face_is_still_a_real_face_and_fakes_are_made_from_it(face_and_points):
    face, points = face_and_points
    sharpness = lambda im: cv2.Laplacian(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var()  # noqa: E731
    smoothed = [beautified(face, np.random.RandomState(s)) for s in range(6)]
    assert all(x.shape == face.shape and x.dtype == np.uint8 and sharpness(x) < sharpness(face) for x in smoothed)
    hole = np.tile(np.arange(128)[:, None] < 40, (1, 128))
    faces = Faces(face[None], np.array([[0, 0, 128, 128]]), points[None],
                  learned=(np.where(hole[..., None], 0, face)[None].astype(np.uint8), hole[None]))
    for seed in range(8):
        image, maps, label = sample(faces, "real", [], np.random.RandomState(seed), 0, smooth=1.0)
        plain, _, _ = sample(faces, "real", [], np.random.RandomState(seed), 0)
        assert label == 0 and not maps.any() and sharpness(image) < sharpness(plain)
        image, maps, label = sample(faces, "repair", [], np.random.RandomState(seed), 0, smooth=1.0)
        assert label == 1 and maps[..., 1].max() > 0.5 and not maps[..., 0].any()


def test_drawn_glasses_sit_on_the_eyes_and_a_face_in_them_is_real(face_and_points):
    face, points = face_and_points
    eyes = np.zeros(face.shape[:2], np.uint8)
    cv2.fillConvexPoly(eyes, cv2.convexHull(points[36:48].round().astype(np.int32)), 1)
    below = points[48:68, 1].min()  # the mouth and everything under it: no frame reaches there
    for seed in range(6):
        worn = spectacled(face, points, np.random.RandomState(seed))
        changed = np.abs(worn.astype(int) - face.astype(int)).max(-1) > 8
        assert worn.shape == face.shape and worn.dtype == np.uint8
        assert changed.any() and not changed[round(below):].any()
        near = cv2.dilate(eyes, np.ones((25, 25), np.uint8)).astype(bool)
        assert changed[near].mean() > changed[~near].mean()  # frames around the eyes, arms thin
    faces = Faces(face[None], np.array([[0, 0, 128, 128]]), points[None])
    for seed in range(4):
        image, maps, label = sample(faces, "real", [], np.random.RandomState(seed), 0, glasses=1.0)
        plain, _, _ = sample(faces, "real", [], np.random.RandomState(seed), 0)
        assert label == 0 and not maps.any() and not np.array_equal(image, plain)


def test_a_faded_photo_loses_colour_and_its_fakes_are_made_from_it(face_and_points):
    face, points = face_and_points
    colour = lambda im: np.abs(im.astype(float) - im.mean(-1, keepdims=True)).mean()  # noqa: E731
    drained = [faded(face, np.random.RandomState(s)) for s in range(6)]
    assert all(x.shape == face.shape and x.dtype == np.uint8 and colour(x) < colour(face) for x in drained)
    faces = Faces(face[None], np.array([[0, 0, 128, 128]]), points[None])
    for seed in range(4):
        image, maps, label = sample(faces, "real", [], np.random.RandomState(seed), 0, fade=1.0)
        assert label == 0 and not maps.any() and colour(image) < colour(face)
    blends = [sample(faces, "blend", [], np.random.RandomState(s), 0, fade=f) for s in range(8) for f in (1.0, 0.0)]
    assert all(label == 1 and maps[..., 0].max() > 0.2 for _, maps, label in blends)
    # the jittered copy brings some colour back, but the blends of faded faces stay greyer
    assert np.mean([colour(b[0]) for b in blends[::2]]) < 0.75 * np.mean([colour(b[0]) for b in blends[1::2]])


def test_jittered_copies_differ_like_another_photo(face_and_points):
    face, _ = face_and_points
    copies = [jittered(face, np.random.RandomState(s)) for s in range(3)]
    assert all(c.shape == face.shape and c.dtype == np.uint8 for c in copies)
    assert all(np.abs(c.astype(int) - face.astype(int)).mean() > 2 for c in copies)


def _judge(bias: tuple[float, float, float], calibration: dict | None = None) -> BlendJudge:
    torch.manual_seed(0)
    net = blend_network()
    with torch.no_grad():
        net.head[-1].weight.zero_()
        net.head[-1].bias.copy_(torch.tensor(bias))
    plain = {"a": 1.0, "b": 0.0, "threshold": 0.9, "quiet": 0.5}
    return BlendJudge(net, {"calibration": calibration or {kind: plain for kind in KINDS}}, mirror=False)


def test_reading_pools_each_region_map():
    maps = np.zeros((2, 3, 4, 4), np.float32)
    maps[0, BLENDED] = 3.0
    maps[1, REPAIRED] = -1.0
    maps[1, REPAIRED, 0, 0] = 6.0  # one hot cell: a small repair still counts
    maps[1, BLENDED] = -2.0
    maps[:, BOUNDARY] = 1.5
    r = reading(maps)
    assert KINDS == ("blend", "repair") and r.pooled.shape == (2, 2)
    assert r.pooled[0, 0] == pytest.approx(3.0, abs=1e-5) and r.pooled[0, 1] == pytest.approx(0.0, abs=1e-5)
    assert r.pooled[1, 1] > 0 > r.pooled[1, 0]
    assert np.array_equal(r.regions, maps[:, [BLENDED, REPAIRED]]) and np.array_equal(r.boundary, maps[:, BOUNDARY])


def test_shared_edges_give_each_map_the_same_count_within_the_budget():
    from detectors.train_blend import shared_edges

    rng = np.random.RandomState(0)
    real = np.stack([rng.normal(0, 1, 400), rng.normal(-5, 0.2, 400)], axis=1)  # two maps, far apart
    edges = shared_edges(real, 0.01)
    above = real > edges
    assert above[:, 0].sum() == above[:, 1].sum() >= 1  # the same number of real faces past each map's edge
    assert above.any(axis=1).mean() <= 0.01 < (real > shared_edges(real, 0.03)).any(axis=1).mean()
    one_more = -np.sort(-real, axis=0)[above[:, 0].sum() + 1]  # one more real face past each map's edge
    assert (real > one_more).any(axis=1).mean() > 0.01  # would break the budget: the count is the largest
    assert shared_edges(real[:1], 0.01).tolist() == real[0].tolist()  # one face: none past the edges
    assert -6 < edges[1] < -4 < 1 < edges[0]  # each edge on its own map's scale


def test_checkpoint_round_trip_and_refusals(tmp_path):
    judge = _judge((2.0, -3.0, 0.0))
    save_blend(judge.net, tmp_path / "b.pt", judge.meta)
    again = load_blend(tmp_path / "b.pt")
    crops = np.random.RandomState(0).randint(0, 256, (2, 128, 128, 3), np.uint8)
    assert np.allclose(judge.maps(crops), again.maps(crops), atol=1e-5)
    save_blend(judge.net, tmp_path / "raw.pt", {})
    with pytest.raises(WeightsError, match="calibration"):
        load_blend(tmp_path / "raw.pt")
    torch.save({"state_dict": {}}, tmp_path / "other.pt")
    with pytest.raises(WeightsError):
        load_blend(tmp_path / "other.pt")


def test_the_blend_head_moves_onto_the_face_scale():
    face = Calibration(a=1.0, b=0.0, threshold=0.7, real_below=0.3)
    mapped = on_face_scale({"a": 2.0, "b": -1.0, "threshold": 0.9, "quiet": 0.6}, face)

    def at(p):  # the blend logit whose own calibrated probability is p
        return (np.log(p / (1 - p)) + 1.0) / 2.0

    # its "fake" edge lands on the face branch's threshold, its quiet edge on the "real" edge
    assert mapped.probability(np.array([at(0.9)]))[0] == pytest.approx(0.7, abs=1e-6)
    assert mapped.probability(np.array([at(0.6)]))[0] == pytest.approx(0.3, abs=1e-6)
    assert mapped.threshold == 0.7 and mapped.real_below == 0.3


@pytest.mark.parametrize("bias,evidence", [((8.0, -8.0, 4.0), "blend"), ((-8.0, 8.0, 4.0), "repair"),
                                           ((-8.0, -8.0, -8.0), "generated")])
def test_a_face_says_which_head_weighed_more(finder, faces, bias, evidence):
    torch.manual_seed(0)
    patch = PatchDiscriminator(DetectorConfig(width=4))
    cal = Calibration(threshold=0.6, real_below=0.3)
    det = Detector(patch, cal, finder=finder, blend=_judge(bias))
    plain = Detector(patch, cal, finder=finder)
    image = faces[0]
    with_blend, without = det.detect(image), plain.detect(image)
    face, alone = with_blend.faces[0], without.faces[0]
    assert face.evidence == evidence and with_blend.evidence == evidence
    if evidence == "generated":  # a seam far below its edge: the patch head's verdict, raised a hair at most
        assert alone.fake_probability <= face.fake_probability < alone.fake_probability + 0.01
        assert with_blend.verdict == without.verdict
    else:
        assert face.fake_probability == pytest.approx(max(alone.fake_probability, face.blend_probability), abs=1e-6)
    assert face.boundary.shape == (128, 128) and 0 <= face.boundary.min() and face.boundary.max() <= 1
    scores = det.score_crops(np.stack([image[:128, :128]]))
    assert scores.shape == (1,)
    if evidence != "generated":
        assert with_blend.verdict == "fake" and with_blend.heatmap.max() > 0.5


@pytest.mark.skipif(not HAVE_FACES, reason="needs ../shared/data/faces")
def test_train_blend_dry_run(tmp_path):
    from detectors.train_blend import main

    assert main(["--dry-run", "--out", str(tmp_path / "b.pt")]) == 0
    judge = load_blend(tmp_path / "b.pt")
    assert judge.maps(np.zeros((1, 128, 128, 3), np.uint8)).shape == (1, 3, 16, 16)


def test_a_second_stage_records_the_first_and_holds_scores_under_resaves(tmp_path):
    from core.weights import sha256_file
    from detectors.blend import load_network
    from detectors.train_blend import losses, main

    assert main(["--dry-run", "--out", str(tmp_path / "a.pt")]) == 0
    first, meta = load_network(tmp_path / "a.pt")
    with torch.no_grad():
        first.head[-1].bias.add_(3.0)  # unlike any fresh network, so the second stage must start from it
    save_blend(first, tmp_path / "a.pt", meta)
    assert main(["--dry-run", "--init", str(tmp_path / "a.pt"), "--consistency", "4", "--out", str(tmp_path / "b.pt")]) == 0
    second, meta = load_network(tmp_path / "b.pt")
    assert meta["init_sha256"] == sha256_file(tmp_path / "a.pt") and meta["config"]["consistency"] == 4
    assert torch.allclose(second.head[-1].bias, first.head[-1].bias, atol=0.1)  # one small step from it
    torch.manual_seed(0)
    net = torch.nn.Conv2d(3, 3, 8, stride=8)  # any network with the head's three 16x16 maps
    x, maps, label = torch.rand(4, 3, 128, 128) * 2 - 1, torch.zeros(4, 3, 128, 128), torch.zeros(4)
    with torch.no_grad():
        alone = losses(net, x, maps, label, 1.0)[0]
        unchanged = losses(net, x, maps, label, 1.0, x.clone(), 4.0)[0]
        moved = losses(net, x, maps, label, 1.0, x.flip(-1) * 0.5, 4.0)[0]
    assert unchanged == pytest.approx(alone.item(), abs=1e-5) and moved > alone + 1e-4


def test_below_the_edge_both_heads_rank_a_face_and_no_verdict_moves():
    from detectors.detector import fused

    cal = Calibration(threshold=0.6, real_below=0.3)
    patch, seam = np.meshgrid(np.linspace(0, 1, 101), np.linspace(0, 1, 101))  # rows: seam; columns: patch
    p, weighs = fused(patch, seam, cal)
    below = seam < 0.6
    verdicts = np.vectorize(cal.verdict)
    assert np.array_equal(verdicts(p[below]), verdicts(patch[below]))  # below its edge the seam moves no verdict
    assert np.array_equal(p[~below], np.maximum(patch, seam)[~below])  # past it the stronger head decides
    assert np.all(p >= patch - 1e-12)
    assert np.all(np.diff(p, axis=1) >= 0) and np.all(np.diff(p, axis=0) >= 0)  # more of either ranks no lower
    # inside each band a clearer seam ranks a face higher: a swap above a photo the patch head placed alike
    assert np.all(np.diff(p[:60, :30], axis=0) > 0) and np.all(np.diff(p[:60, 30:60], axis=0) > 0)
    assert fused(0.1, 0.5, cal)[0] > fused(0.25, 0.0, cal)[0]
    # a seam just under the edge on a face just under it: still "uncertain", not "fake"
    edge = np.nextafter(0.6, 0)
    assert cal.verdict(float(fused(edge, edge, cal)[0])) == "uncertain"
    assert float(fused(0.1, np.nan, cal)[0]) == float(fused(0.1, 0.0, cal)[0])  # no blend reading: as none
    # which head weighed more: past the edge the larger, below it the larger place in the band
    assert [bool(fused(*x, cal)[1]) for x in ((0.1, 0.5), (0.5, 0.1), (0.2, 0.9), (0.95, 0.7))] == \
        [True, False, True, False]
    assert weighs.dtype == bool


def test_each_map_is_judged_against_its_own_edge(finder, faces):
    """The repaired map's logits on real faces lie far below the blended map's: a repair well past its
    own edge decides even when its logit is below the blended map's."""
    torch.manual_seed(0)
    cal = Calibration(threshold=0.6, real_below=0.3)
    own = {"blend": {"a": 1.0, "b": -6.0, "threshold": 0.9, "quiet": 0.5},  # its edge near logit 8.2
           "repair": {"a": 1.0, "b": 4.0, "threshold": 0.9, "quiet": 0.5}}  # its edge near logit -1.8
    det = Detector(PatchDiscriminator(DetectorConfig(width=4)), cal, finder=finder, blend=_judge((2.0, 1.0, 0.0), own))
    face = det.detect(faces[0]).faces[0]
    assert face.evidence == "repair" and face.blend_probability >= 0.6
    assert det.detect(faces[0]).verdict == "fake"


def test_calibration_gives_each_map_its_own_scale():
    """Repairs whose repaired-map logits sit above every real face's, yet below the real faces' blended-map
    logits, are caught: one scale for both maps would leave them under the blended map's edge."""
    from types import SimpleNamespace

    from detectors.train_blend import calibrate

    class Pooled:  # a judge whose "crops" are already the pooled logits (N, 2)
        def read(self, crops):
            return SimpleNamespace(pooled=crops)

    rng = np.random.RandomState(0)
    n = 400
    real = np.stack([rng.normal(-2, 1.0, n), rng.normal(-5, 0.2, n)], axis=1)
    blend = np.stack([rng.normal(2, 1.0, n), rng.normal(-5, 0.2, n)], axis=1)
    repair = np.stack([rng.normal(-2, 1.0, n), rng.normal(-3, 0.3, n)], axis=1)
    cal = calibrate(Pooled(), {"real": real, "blend": blend, "repair": repair})
    assert all({"a", "b", "threshold", "quiet"} <= set(cal[kind]) for kind in KINDS)
    assert cal["called_fake"]["real"] <= 0.01 and cal["called_fake"]["repair"] > 0.9
    assert cal["auc"]["repair"] > 0.95 and cal["called_fake"]["blend"] > 0.2


def test_the_stronger_evidence_is_chosen_on_logits_each_map_against_its_own_edges():
    from detectors.detector import blend_evidence

    face = Calibration(threshold=0.6, real_below=0.3)
    cals = (on_face_scale({"a": 1.0, "b": 0.0, "threshold": 0.9, "quiet": 0.5}, face),
            on_face_scale({"a": 1.0, "b": 0.0, "threshold": 0.2, "quiet": 0.1}, face))
    pooled = np.array([[40.0, 60.0], [1.0, -2.0], [-5.0, -1.2]])  # both round to 1; below both; repair past its edge
    p, kinds = blend_evidence(pooled, cals)
    assert kinds.tolist() == [1, 0, 1]  # the repaired map is further past its edge in the first and last
    assert p[0] == pytest.approx(1.0) and p[2] >= 0.6 and p[1] < 0.6
    assert p[1] == pytest.approx(cals[0].probability(np.array([1.0]))[0])  # the blended map's, face scale
