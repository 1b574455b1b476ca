"""Inpainters: registry, the pixel contract, bad inputs, and the CLI."""

import dataclasses

import numpy as np
import pytest
from PIL import Image

from core.faces import Face, crop_rect
from genai.__main__ import main as cli
from genai.inpaint import (
    InpaintError,
    InversionConfig,
    create_inpainter,
    fit_mask,
    list_inpainters,
    poisson_fill,
)
from genai.provenance import inspect

FAST_INVERSION = InversionConfig(restarts=2, steps=15)


class Finder:
    """A face finder that reports the faces it is given (MTCNN is tested in test_detectors)."""

    def __init__(self, *boxes):
        self.boxes = boxes

    def find(self, image):
        h, w = image.shape[:2]
        return [Face(b, 0.99, crop_rect(b, h, w)) for b in self.boxes]


def make(name, finder=None):
    """The named inpainter, kept fast: few inversion steps, and a stub face finder."""
    kwargs = {"finder": finder or Finder()} if name in ("gan-inversion", "gated-unet") else {}
    if name == "gan-inversion":
        kwargs["config"] = FAST_INVERSION
    return create_inpainter(name, **kwargs)


def scene(h=96, w=128) -> np.ndarray:
    y, x = np.mgrid[:h, :w]
    return np.stack([x * 2 % 256, y * 2 % 256, (x + y) % 256], axis=2).astype(np.uint8)


def hole(h=96, w=128) -> np.ndarray:
    m = np.zeros((h, w), bool)
    m[30:50, 40:70] = True
    return m


@pytest.mark.parametrize("name", list_inpainters())
def test_keeps_known_pixels_and_fills_the_hole(name):
    image, mask = scene(), hole()
    damaged = image.copy()
    damaged[mask] = 0  # the hole's content must not survive
    out = make(name)(damaged, mask)
    assert out.shape == image.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out[~mask], damaged[~mask])
    assert out[mask].mean() > 20, "hole left black"
    # Filled from its surroundings: closer to the true content than the black hole was.
    assert np.abs(out[mask].astype(int) - image[mask]).mean() < np.abs(damaged[mask].astype(int) - image[mask]).mean()


@pytest.mark.parametrize("name", list_inpainters())
def test_deterministic(name):
    f = make(name)
    np.testing.assert_array_equal(f(scene(), hole()), f(scene(), hole()))


@pytest.mark.parametrize("mask,image,reason", [
    (np.zeros((96, 128), bool), scene(), "empty_mask"),
    (np.ones((96, 128), bool), scene(), "full_mask"),
    (np.ones((8, 8), bool), scene(8, 8), "too_small"),
    (np.ones((10, 10), bool), scene(), "shape"),
])
def test_bad_inputs_name_the_problem(mask, image, reason):
    with pytest.raises(InpaintError) as err:
        create_inpainter("telea")(image, mask)
    assert err.value.reason == reason


@pytest.mark.parametrize("name", ["gan-inversion", "gated-unet"])
def test_model_inpainters_say_their_route(name):
    image = scene(300, 400)
    mask = np.zeros(image.shape[:2], bool)
    mask[100:140, 100:160] = True  # inside the face below
    mask[250:270, 350:380] = True  # outside it
    result = make(name, Finder((80, 60, 200, 200))).run(image, mask)
    assert result.route == "mixed" and len(result.faces) == 1
    np.testing.assert_array_equal(result.image[~mask], image[~mask])
    # A large image without faces: the classical fallback, said aloud.
    result = make(name).run(image, mask)
    assert result.route == "classical" and result.faces == []
    np.testing.assert_array_equal(result.image, create_inpainter("telea")(image, mask))
    # A small one is treated as a single face.
    assert make(name).run(scene(), hole()).route == "whole"


def test_learned_inpainter_grows_the_face_crop_over_a_stroke_just_past_it():
    image = scene(300, 400)
    box = (80, 60, 200, 200)
    x0, y0, x1, y1 = crop_rect(box, 300, 400)
    mask = np.zeros(image.shape[:2], bool)
    mask[150:160, x0 + 20:x1 + 15] = True  # a stroke across the face that runs 15 px past its crop
    inpainter = make("gated-unet", Finder(box))
    result = inpainter.run(image, mask)
    assert result.route == "face", "part of the stroke was left to Telea: a seam"
    gx0, gy0, gx1, gy1 = result.faces[0]
    assert gx1 - gx0 == gy1 - gy0 and gx0 <= x0 and gx1 >= x1 + 15 and 0 <= gy0 and gy1 <= 300
    np.testing.assert_array_equal(result.image[~mask], image[~mask])
    # Far from the face, nothing grows: that part is the classical fallback's, said aloud.
    mask[250:270, 350:380] = True
    assert inpainter.run(image, mask).route == "mixed"
    assert inpainter.crop_for(Face(box, 0.99, (x0, y0, x1, y1)), np.zeros_like(mask)) == (x0, y0, x1, y1)


def test_inversion_aligns_faces_by_their_landmarks():
    from genai.inpaint import G_LANDMARKS_64

    class LandmarkFinder:
        def find(self, image):  # a face 3x the size of G's, shifted: landmarks say where
            marks = tuple(map(tuple, G_LANDMARKS_64 * 3 + [40, 20]))
            return [Face((40, 20, 232, 212), 0.99, (30, 10, 240, 220), marks)]

    image = scene(300, 300)
    mask = np.zeros((300, 300), bool)
    mask[150:180, 100:170] = True  # the mouth, in the face's frame
    result = create_inpainter("gan-inversion", finder=LandmarkFinder(), config=FAST_INVERSION).run(image, mask)
    assert result.route == "face"
    np.testing.assert_array_equal(result.image[~mask], image[~mask])
    assert not np.array_equal(result.image[mask], create_inpainter("telea")(image, mask)[mask])


def test_inversion_is_deterministic_by_seed_and_reports_progress():
    steps = []
    a = create_inpainter("gan-inversion", finder=Finder(), config=FAST_INVERSION).run(
        scene(), hole(), progress=lambda f, what: steps.append(f))
    b = create_inpainter("gan-inversion", finder=Finder(), config=FAST_INVERSION)(scene(), hole())
    c = create_inpainter("gan-inversion", finder=Finder(), config=InversionConfig(restarts=2, steps=15, seed=1))(
        scene(), hole())
    np.testing.assert_array_equal(a.image, b)
    assert not np.array_equal(b, c), "another seed must start from other latents"
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)


def test_inversion_stops_at_its_time_budget_or_when_cancelled_with_its_best_so_far():
    import time

    slow = InversionConfig(restarts=2, steps=100_000, time_budget=0.5)  # would take minutes
    start = time.perf_counter()
    late = create_inpainter("gan-inversion", finder=Finder(), config=slow).run(scene(), hole())
    assert time.perf_counter() - start < 10 and late.notes == ["time_budget"]
    np.testing.assert_array_equal(late.image[~hole()], scene()[~hole()])
    calls = []

    def cancel(fraction, stage):
        calls.append(stage)
        return stage == "optimising z"  # the user pressed cancel while z was being optimised

    stopped = create_inpainter("gan-inversion", finder=Finder(), config=dataclasses.replace(slow, time_budget=None))
    result = stopped.run(scene(), hole(), progress=cancel)
    assert result.notes == ["cancelled"] and calls.count("optimising z") == 1
    assert create_inpainter("gan-inversion", finder=Finder(), config=FAST_INVERSION).run(scene(), hole()).notes == []
    assert create_inpainter("gan-inversion").slow and not create_inpainter("telea").slow


def test_poisson_fill_changes_only_the_hole_and_matches_the_border():
    image = np.full((64, 64, 3), 100, np.uint8)
    source = np.full((64, 64, 3), 200, np.uint8)  # flat: no gradients to carry over
    m = np.zeros((64, 64), bool)
    m[20:40, 0:30] = True  # touching the image border
    out = poisson_fill(image, source, m)
    np.testing.assert_array_equal(out[~m], image[~m])
    # A flat source has zero gradients, so the solution is the border's value, not the source's.
    assert np.abs(out[m].astype(int) - 100).max() <= 3


@pytest.mark.parametrize("side", [100, 180])
def test_resizing_for_the_model_neither_widens_the_hole_nor_leaks_what_it_hides(side):
    import cv2

    from genai.inpaint import _to_model_size

    rng = np.random.RandomState(side)
    crop = rng.randint(0, 256, (side, side, 3)).astype(np.uint8)
    hole = np.zeros((side, side), np.uint8)
    cv2.line(hole, (10, 20), (side - 15, side - 30), 1, max(3, side // 30))  # a thin brush stroke
    hole = hole.astype(bool)
    small, small_hole = _to_model_size(crop, hole, 128)
    assert small.shape == (128, 128, 3)
    assert small_hole.mean() == pytest.approx(hole.mean(), rel=0.15)  # "touched" would be far wider
    other = crop.copy()
    other[hole] = (255, 0, 255)  # whatever is under the hole
    small2, _ = _to_model_size(other, hole, 128)
    assert np.array_equal(small[~small_hole], small2[~small_hole])


def test_unknown_inpainter_lists_names():
    with pytest.raises(ValueError, match="telea"):
        create_inpainter("magic")


def test_fit_mask_resizes_and_reads_white_as_hole():
    small = np.zeros((10, 20), np.uint8)
    small[:, :10] = 255
    m = fit_mask(small, 50, 100)
    assert m.shape == (50, 100) and m[:, :45].all() and not m[:, 55:].any()


def test_cli_inpaint_writes_a_labelled_file(tmp_path, capsys):
    Image.fromarray(scene()).save(tmp_path / "in.png")
    Image.fromarray((hole() * 255).astype(np.uint8)).resize((64, 48)).save(tmp_path / "mask.png")  # other size
    out = tmp_path / "out.png"
    assert cli(["inpaint", "--method", "telea", "--image", str(tmp_path / "in.png"), "--mask",
                str(tmp_path / "mask.png"), "--out", str(out)]) == 0
    assert Image.open(out).size == (128, 96)
    assert inspect(out.read_bytes())["tc260"]["fields"]["Label"] == "1"
    assert cli(["inpaint", "--list"]) == 0
    assert capsys.readouterr().out.split()[-len(list_inpainters()):] == list_inpainters()
    Image.new("L", (128, 96), 0).save(tmp_path / "empty.png")
    assert cli(["inpaint", "--method", "telea", "--image", str(tmp_path / "in.png"), "--mask",
                str(tmp_path / "empty.png"), "--out", str(out)]) == 2
    assert "empty_mask" in capsys.readouterr().err
    assert cli(["inpaint", "--method", "nope", "--image", "x", "--mask", "y", "--out", str(out)]) == 2
