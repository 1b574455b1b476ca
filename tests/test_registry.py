"""The export registry: every export logged (no pixels), found again exactly or by its watermark; a look-alike
is only "similar"."""

import io
import sqlite3

import numpy as np
import pytest
from PIL import Image

import genai
from genai.__main__ import main as cli
from genai.provenance import inspect
from genai.registry import Registry


@pytest.fixture
def registry(tmp_path) -> Registry:
    return Registry(tmp_path / "r.sqlite")


@pytest.fixture(scope="module")
def faces():
    return genai.create_generator().sample(range(3))


def resave(data: bytes, size: int | None = None, fmt: str = "JPEG") -> bytes:
    im = Image.open(io.BytesIO(data)).convert("RGB")
    if size:
        im = im.resize((size, size), Image.BICUBIC)
    buf = io.BytesIO()
    im.save(buf, format=fmt, quality=75)
    return buf.getvalue()


def test_every_export_is_logged_without_pixels(registry, faces):
    data = genai.export_image(faces[0], genai.ExportInfo("dcgan-digiface", seed=0), size=256, registry=registry)
    with sqlite3.connect(registry.path) as con:
        rows = con.execute("SELECT * FROM exports").fetchall()
        columns = [d[0] for d in con.execute("SELECT * FROM exports").description]
    assert len(rows) == 1
    assert not any(isinstance(v, bytes) for v in rows[0]), "pixels or blobs stored"
    assert {"sha256", "phash", "producer", "model", "seed", "created", "visible_label"} <= set(columns)
    report = inspect(data, registry=registry)["registry"]
    assert report["match"] == "exact" and report["record"]["seed"] == 0


def test_found_again_after_jpeg_and_resize(registry, faces):
    data = genai.export_image(faces[1], genai.ExportInfo("dcgan-digiface", seed=1), size=256, registry=registry)
    genai.export_image(faces[2], genai.ExportInfo("dcgan-digiface", seed=2), size=256, registry=registry)
    report = inspect(resave(data, size=160), registry=registry)["registry"]
    assert report["status"] == "found" and report["match"] == "watermark"
    assert report["record"]["seed"] == 1
    assert report["distance"] is None or report["distance"] <= 10


def test_unrelated_images_are_not_matched(registry, faces):
    genai.export_image(faces[0], genai.ExportInfo("m"), size=256, registry=registry)
    other = np.random.RandomState(5).randint(0, 256, (256, 256, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(other).save(buf, format="PNG")
    assert inspect(buf.getvalue(), registry=registry)["registry"]["status"] == "not_found"


def test_export_without_visible_label_is_logged_and_keeps_other_labels(registry, faces):
    data = genai.export_image(faces[0], genai.ExportInfo("m"), size=256, visible_label=False, registry=registry)
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert not (pixels[-20:, -60:].min(axis=2) > 230).any(), "visible label drawn anyway"
    report = inspect(data, registry=registry)
    assert report["tc260"]["status"] == "found" and report["watermark"]["status"] == "found"
    record = report["registry"]["record"]
    assert record["visible_label"] == 0 and "Article 9" in record["note"]


def test_unlogged_request_is_refused(tmp_path, faces):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    broken = Registry(blocker / "r.sqlite")  # its folder cannot be created
    with pytest.raises(OSError):
        genai.export_image(faces[0], genai.ExportInfo("m"), size=256, visible_label=False, registry=broken)
    with pytest.warns(UserWarning, match="not logged"):
        genai.export_image(faces[0], genai.ExportInfo("m"), size=256, registry=broken)


def test_label_cli(tmp_path, capsys):
    src = tmp_path / "photo.jpg"
    Image.fromarray(np.random.RandomState(1).randint(0, 256, (200, 300, 3), dtype=np.uint8)).save(src)
    out = tmp_path / "labelled.jpg"
    assert cli(["label", str(src), str(out), "--no-visible-label"]) == 0
    assert "logged" in capsys.readouterr().err
    report = inspect(out.read_bytes())
    assert report["tc260"]["status"] == "found" and report["registry"]["record"]["visible_label"] == 0
    assert cli(["label", str(src), str(tmp_path / "x.gif")]) == 2
    (tmp_path / "bad.jpg").write_text("no")
    assert cli(["label", str(tmp_path / "bad.jpg"), str(out)]) == 2


def test_the_photo_an_export_was_edited_from_is_not_reported_as_exported(registry):
    """A repair of a photo looks like the photo: the photo is "similar" at most, never "found"."""
    from core.samples import load_sample
    from genai.inpaint import create_inpainter, preset_mask

    photo = load_sample("ffhq-69003")
    repaired = create_inpainter("telea").run(photo, preset_mask("mouth", 128, 128, seed=0)).image
    genai.export_image(repaired, genai.ExportInfo("inpaint-telea"), registry=registry)
    buf = io.BytesIO()
    Image.fromarray(photo).save(buf, format="PNG")
    report = inspect(buf.getvalue(), registry=registry)["registry"]
    assert report["status"] == "similar" and report["match"] == "perceptual"
    assert report["record"]["model"] == "inpaint-telea" and report["record"]["seed"] is None


def test_a_demonstration_is_labelled_but_not_logged(registry, faces):
    data = genai.export_image(faces[0], genai.ExportInfo("user-upload"), size=256, registry=registry, log=False)
    assert inspect(data, registry=registry)["tc260"]["status"] == "found"
    assert not registry.path.exists() or inspect(data, registry=registry)["registry"]["status"] == "not_found"
    with pytest.raises(ValueError, match="Article 9"):
        genai.export_image(faces[0], genai.ExportInfo("m"), visible_label=False, registry=registry, log=False)
