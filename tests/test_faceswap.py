"""genai.faceswap and `python -m genai swap`, on the real FFHQ faces the app ships (core.samples)."""

import json

import cv2
import numpy as np
import pytest

from core.samples import load_sample
from genai.__main__ import main
from genai.faceswap import (
    LANDMARK_MIN_FACE,
    Landmarker,
    SwapError,
    SwapOptions,
    as_rgb,
    delaunay,
    swap,
    transfer_colour,
)


@pytest.fixture(scope="module")
def lm() -> Landmarker:
    return Landmarker()


@pytest.fixture(scope="module")
def faces():
    return load_sample("ffhq-69003"), load_sample("ffhq-69004")


def blank(h=160, w=200):
    return np.full((h, w, 3), 128, np.uint8)


def test_swap_changes_only_the_face(lm, faces):
    source, target = faces
    r = swap(source, target, landmarker=lm)
    assert r.image.shape == target.shape and r.image.dtype == np.uint8
    assert r.mask.shape == target.shape[:2] and r.mask.dtype == bool
    assert 0.05 < r.mask.mean() < 0.7
    assert not np.array_equal(r.image, target)
    outside = ~cv2.dilate(r.mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    np.testing.assert_array_equal(r.image[outside], target[outside])
    assert r.swapped == [0] and r.source.dense and r.targets[0].dense
    x0, y0, x1, y1 = r.targets[0].box  # the mask sits on the target's face
    ys, xs = np.nonzero(r.mask)
    assert x0 - 10 <= xs.mean() <= x1 + 10 and y0 - 10 <= ys.mean() <= y1 + 10
    assert set(r.seconds) == {"landmarks", "warp", "blend"}


def test_swap_is_deterministic_and_each_blend_runs(lm, faces):
    source, target = faces
    a = swap(source, target, landmarker=lm)
    np.testing.assert_array_equal(a.image, swap(source, target, landmarker=lm).image)
    for blend in ("mixed", "alpha"):
        r = swap(source, target, options=SwapOptions(blend=blend, colour=False, forehead=False), landmarker=lm)
        assert not np.array_equal(r.image, a.image)
        outside = ~r.mask
        np.testing.assert_array_equal(r.image[outside], target[outside])
    smaller = swap(source, target, options=SwapOptions(forehead=False), landmarker=lm)
    assert smaller.mask.sum() < a.mask.sum()  # without the forehead, brows to chin only


def test_the_swapped_face_moves_towards_the_source_identity(lm, faces):
    source, target = faces
    r = swap(source, target, landmarker=lm)
    box = r.targets[0].box
    out = lm.descriptor(r.image, box)
    to_source = np.linalg.norm(out - lm.descriptor(source, r.source.box))
    to_target = np.linalg.norm(out - lm.descriptor(target, box))
    assert to_source < to_target


def test_no_face_and_bad_face_number_are_refused(lm, faces):
    source, target = faces
    with pytest.raises(SwapError) as e:
        swap(blank(), target, landmarker=lm)
    assert e.value.reason == "no_source_face"
    with pytest.raises(SwapError) as e:
        swap(source, blank(), landmarker=lm)
    assert e.value.reason == "no_target_face"
    with pytest.raises(SwapError) as e:
        swap(source, target, target_face=3, landmarker=lm)
    assert e.value.reason == "bad_target_face"


def test_several_faces_one_or_all(lm, faces):
    source, _ = faces
    group = np.concatenate([load_sample("ffhq-69019"), load_sample("ffhq-69021")], axis=1)
    one = swap(source, group, target_face=1, landmarker=lm)
    both = swap(source, group, target_face="all", landmarker=lm)
    assert len(one.targets) == 2 and one.swapped == [1] and both.swapped == [0, 1]
    assert both.mask.sum() > one.mask.sum()
    picked = one.targets[1].box  # only the chosen face's region changed
    assert one.mask[:, : min(picked[0], 128)].sum() == 0 if picked[0] >= 128 else one.mask[:, 128:].sum() == 0


def test_grey_and_rgba_inputs(lm, faces):
    source, target = faces
    grey = cv2.cvtColor(target, cv2.COLOR_RGB2GRAY)
    r = swap(source, grey, landmarker=lm)
    assert r.image.shape == (*grey.shape, 3)
    rgba = np.dstack([source, np.full(source.shape[:2], 255, np.uint8)])
    assert swap(rgba, target, landmarker=lm).image.shape == target.shape
    with pytest.raises(ValueError):
        as_rgb(np.zeros((4, 4, 3), np.float32))


def test_a_small_face_falls_back_to_five_points(lm, faces):
    source, target = faces
    canvas = np.full((240, 240, 3), 150, np.uint8)
    side = 52  # face box about 38 px: under LANDMARK_MIN_FACE
    canvas[90 : 90 + side, 90 : 90 + side] = cv2.resize(target, (side, side), interpolation=cv2.INTER_AREA)
    found = lm.find(canvas)
    assert found and found[0].width < LANDMARK_MIN_FACE and not found[0].dense
    r = swap(source, canvas, landmarker=lm)
    assert "five_points" in r.notes and "small_face" in r.notes
    assert r.mask.any() and np.array_equal(r.image[~r.mask], canvas[~r.mask])


def test_options_are_checked():
    with pytest.raises(ValueError):
        SwapOptions(blend="median")
    with pytest.raises(ValueError):
        SwapOptions(feather=0.9)


def test_delaunay_and_colour_transfer():
    pts = np.array([[10, 10], [90, 10], [90, 90], [10, 90], [50, 50]], np.float32)
    tris = delaunay(pts, 100, 100)
    assert len(tris) == 4 and set(tris.ravel()) == set(range(5))
    face = np.full((20, 20, 3), (200, 120, 100), np.uint8)
    target = np.full((20, 20, 3), (90, 70, 60), np.uint8)
    out = transfer_colour(face, target, np.full((20, 20), 255, np.uint8))
    assert np.abs(out.astype(int) - target).max() <= 3


def test_cli_writes_a_labelled_swap_and_exits_2_without_a_face(tmp_path, capsys):
    from PIL import Image

    for name in ("ffhq-69003", "ffhq-69004"):
        Image.fromarray(load_sample(name)).save(tmp_path / f"{name}.png")
    Image.fromarray(blank()).save(tmp_path / "blank.png")
    out = tmp_path / "swapped.png"
    assert main(["swap", "--source", str(tmp_path / "ffhq-69003.png"), "--target", str(tmp_path / "ffhq-69004.png"),
                 "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["inspect", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tc260"]["status"] == "found" and report["watermark"]["status"] == "found"
    assert main(["swap", "--source", str(tmp_path / "blank.png"), "--target", str(tmp_path / "ffhq-69004.png"),
                 "--out", str(tmp_path / "x.png")]) == 2
    assert "no face found in the source" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
    assert main(["swap", "--source", str(tmp_path / "ffhq-69003.png"), "--target", str(tmp_path / "ffhq-69004.png"),
                 "--out", str(tmp_path / "n.png"), "--no-visible-label"]) == 0
    assert "logged in the registry" in capsys.readouterr().err


def test_a_large_face_is_cloned_through_the_small_membrane_like_the_full_solve(lm, faces, monkeypatch):
    """On a 768 px photo the Poisson membrane is solved on a small copy: the face still changes only
    inside the mask, and the result stays close to the full-resolution solve."""
    import genai.faceswap as fs

    source, target = (cv2.resize(f, (768, 768), interpolation=cv2.INTER_CUBIC) for f in faces)
    marks = lm.find(source), lm.find(target)
    quick = swap(source, target, landmarker=lm, source_faces=marks[0], target_faces=marks[1])
    outside = ~cv2.dilate(quick.mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    np.testing.assert_array_equal(quick.image[outside], target[outside])
    monkeypatch.setattr(fs, "MEMBRANE_SIDE", 10**6)
    full = swap(source, target, landmarker=lm, source_faces=marks[0], target_faces=marks[1])
    inside = quick.mask & full.mask
    mse = np.mean((quick.image[inside].astype(float) - full.image[inside]) ** 2)
    assert 10 * np.log10(255**2 / mse) > 25  # dB
    assert not np.array_equal(quick.image, full.image)  # the quick path did run
