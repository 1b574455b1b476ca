"""Inpainters: registry, the pixel contract, bad inputs, and the CLI."""

import numpy as np
import pytest
from PIL import Image

from genai.__main__ import main as cli
from genai.inpaint import InpaintError, create_inpainter, fit_mask, list_inpainters
from genai.provenance import inspect


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
    out = create_inpainter(name)(damaged, mask)
    assert out.shape == image.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out[~mask], damaged[~mask])
    assert out[mask].mean() > 20, "hole left black"
    # Filled from its surroundings: closer to the true content than the black hole was.
    assert np.abs(out[mask].astype(int) - image[mask]).mean() < np.abs(damaged[mask].astype(int) - image[mask]).mean()


@pytest.mark.parametrize("name", list_inpainters())
def test_deterministic(name):
    f = create_inpainter(name)
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
    assert capsys.readouterr().out.split()[-2:] == list_inpainters()
    Image.new("L", (128, 96), 0).save(tmp_path / "empty.png")
    assert cli(["inpaint", "--method", "telea", "--image", str(tmp_path / "in.png"), "--mask",
                str(tmp_path / "empty.png"), "--out", str(out)]) == 2
    assert "empty_mask" in capsys.readouterr().err
    assert cli(["inpaint", "--method", "nope", "--image", "x", "--mask", "y", "--out", str(out)]) == 2
