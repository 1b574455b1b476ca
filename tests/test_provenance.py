"""The visible "AI生成 / AI-generated" label and the export gate."""

import io

import numpy as np
import pytest
from PIL import Image

from genai import ExportInfo, add_visible_label, export_gif, export_image
from genai.provenance import MIN_LABEL_FRACTION


def _text_box(labelled: np.ndarray) -> tuple[int, int, int, int]:
    """Bounding box (y0, y1, x0, x1) of the white label text on a mid-grey image."""
    ys, xs = np.nonzero(labelled.min(axis=2) > 200)
    assert len(ys), "no label text found"
    return ys.min(), ys.max() + 1, xs.min(), xs.max() + 1


@pytest.mark.parametrize("h,w", [(64, 64), (256, 256), (4000, 4000), (3000, 4000), (1000, 100), (64, 600)])
def test_label_text_is_at_least_5_percent_of_the_short_side(h, w):
    image = np.full((h, w, 3), 128, np.uint8)
    y0, y1, x0, x1 = _text_box(add_visible_label(image))
    assert y1 - y0 >= MIN_LABEL_FRACTION * min(h, w)
    # In the bottom-right corner, inside the image.
    assert y1 > 0.8 * h and x1 > 0.8 * w


def test_label_changes_only_its_corner():
    rng = np.random.RandomState(0)
    image = rng.randint(0, 256, (300, 400, 3), dtype=np.uint8)
    labelled = add_visible_label(image)
    assert labelled.shape == image.shape and labelled.dtype == np.uint8
    changed = np.nonzero((labelled != image).any(axis=2))
    assert changed[0].min() > 300 * 0.8 and changed[1].min() > 400 * 0.2
    np.testing.assert_array_equal(labelled[:200], image[:200])


def test_small_images_use_the_short_label_and_large_ones_the_bilingual_one():
    small = add_visible_label(np.full((64, 64, 3), 128, np.uint8))
    large = add_visible_label(np.full((512, 512, 3), 128, np.uint8))
    def aspect(box):
        y0, y1, x0, x1 = box
        return (x1 - x0) / (y1 - y0)

    # "AI生成 / AI-generated" is about 4x as wide as "AI生成" at the same height.
    assert aspect(_text_box(large)) > 2 * aspect(_text_box(small))


def test_export_png_is_labelled_enlarged_and_carries_origin():
    face = np.full((64, 64, 3), 128, np.uint8)
    data = export_image(face, ExportInfo(model="dcgan-digiface", seed=3), size=256)
    im = Image.open(io.BytesIO(data))
    assert im.format == "PNG" and im.size == (256, 256)
    assert "dcgan-digiface" in im.info["Comment"] and "seed 3" in im.info["Comment"]
    _text_box(np.asarray(im.convert("RGB")))


def test_export_jpeg_and_unknown_format():
    face = np.full((300, 300, 3), 128, np.uint8)
    im = Image.open(io.BytesIO(export_image(face, ExportInfo("m"), fmt="jpeg")))
    assert im.format == "JPEG" and im.size == (300, 300)
    with pytest.raises(ValueError, match="png"):
        export_image(face, ExportInfo("m"), fmt="tiff")


def test_export_gif_labels_every_frame():
    frames = [np.full((64, 64, 3), v, np.uint8) for v in (60, 128, 200)]
    gif = Image.open(io.BytesIO(export_gif(frames, ExportInfo("m"), size=128)))
    assert gif.size == (128, 128)
    assert gif.n_frames == 4  # forward and back: 0 1 2 1
    for i in range(gif.n_frames):
        gif.seek(i)
        rgb = np.asarray(gif.convert("RGB"))
        assert (rgb[100:, 60:].min(axis=2) > 200).any(), f"frame {i} unlabelled"
