"""The visible "AI生成 / AI-generated" label and the export gate."""

import io
from pathlib import Path

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


def test_a_small_face_exported_without_a_size_is_enlarged_and_its_watermark_reads():
    """The Detect page's "images made in this session" and the Repair page's downloads export 128 px
    faces without a size: each must come out legible and carry a mark that reads."""
    from core.data import load_rgb
    from genai.provenance import LEGIBLE_SIDE, _decode, read_watermark

    face = load_rgb(Path(__file__).resolve().parents[1] / "core" / "assets" / "samples" / "ffhq-69003.png")
    assert face.shape[:2] == (128, 128)
    for _ in range(4):  # a fresh ProduceID, hence payload, each time
        pixels = _decode(export_image(face, ExportInfo(model="faceswap")))
        assert pixels.shape[:2] == (LEGIBLE_SIDE, LEGIBLE_SIDE)
        assert read_watermark(pixels)["status"] == "found"


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


def test_export_gif_carries_metadata_label_watermark_and_registry_record(tmp_path):
    import genai
    from genai.provenance import inspect
    from genai.registry import Registry

    registry = Registry(tmp_path / "r.sqlite")
    frames = genai.create_generator().interpolate(1, 2, 4)
    data = export_gif(frames, ExportInfo("dcgan-digiface", 1), size=256, registry=registry)
    report = inspect(data, registry=registry)
    assert report["tc260"]["status"] == "found" and report["tc260"]["integrity"] == "match"
    assert report["watermark"]["status"] == "found" and report["watermark"]["matches_label"]
    assert report["registry"]["match"] == "exact"
    assert len(read_xmp(data)) == 1
    # Re-labelling replaces the packet rather than adding one, and GIF readers still decode it.
    again = write_xmp(data, "<x:xmpmeta/>")
    assert read_xmp(again) == ["<x:xmpmeta/>"] and Image.open(io.BytesIO(again)).n_frames == 6


# --- implicit label: TC260:AIGC in XMP -----------------------------------------------------------

import json  # noqa: E402

from genai.provenance import TC260_FIELDS, pixel_digest, read_tc260, tc260_packet  # noqa: E402
from genai.xmp import ContainerError, read_xmp, write_xmp  # noqa: E402


def _encode(image: np.ndarray, fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_export_carries_one_tc260_label_that_pillow_also_reads(fmt):
    face = np.random.RandomState(0).randint(0, 256, (64, 64, 3), dtype=np.uint8)
    data = export_image(face, ExportInfo("dcgan-digiface", seed=1), fmt=fmt, size=256)
    report = read_tc260(data)
    assert report["status"] == "found" and report["claim"] == "generated" and not report["problems"]
    assert report["integrity"] == "match"
    fields = report["fields"]
    assert list(fields) == list(TC260_FIELDS) and fields["Label"] == "1"
    assert fields["ProduceID"].startswith("DFL")
    # An independent reader finds the same packet: the file is well formed.
    with Image.open(io.BytesIO(data)) as im:
        xmp = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
        im.load()
    xmp = xmp.decode() if isinstance(xmp, bytes) else xmp
    assert "http://www.tc260.org.cn/ns/AIGC/1.0/" in xmp and fields["ProduceID"] in xmp
    raw = json.dumps(fields, separators=(",", ":"))
    assert " " not in raw and raw.isascii()


def test_every_export_gets_its_own_produce_id():
    face = np.full((64, 64, 3), 100, np.uint8)
    ids = {read_tc260(export_image(face, ExportInfo("m")))["fields"]["ProduceID"] for _ in range(5)}
    assert len(ids) == 5


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_write_xmp_keeps_pixels_and_replaces_an_existing_packet(fmt):
    image = np.random.RandomState(1).randint(0, 256, (40, 50, 3), dtype=np.uint8)
    data = _encode(image, fmt)
    before = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    once = write_xmp(data, tc260_packet({"Label": "1", "ProduceID": "A"}))
    twice = write_xmp(once, tc260_packet({"Label": "1", "ProduceID": "B"}))
    assert len(read_xmp(twice)) == 1 and '"ProduceID":"B"' in read_xmp(twice)[0]
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(twice)).convert("RGB")), before)


def test_edited_pixels_break_integrity_but_keep_the_claim():
    data = export_image(np.full((64, 64, 3), 90, np.uint8), ExportInfo("m"))
    im = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).copy()
    im[0, 0] = 0
    report = read_tc260(data, pixels=im)
    assert report["status"] == "found" and report["integrity"] == "mismatch"


def test_pixel_digest_depends_on_size_and_pixels():
    a = np.zeros((4, 6, 3), np.uint8)
    assert pixel_digest(a) != pixel_digest(a.reshape(6, 4, 3))
    b = a.copy()
    b[0, 0, 0] = 1
    assert pixel_digest(a) != pixel_digest(b)


def _with_packet(packet: str) -> bytes:
    return write_xmp(_encode(np.zeros((16, 16, 3), np.uint8), "PNG"), packet)


NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"


@pytest.mark.parametrize(
    "packet,status,problem",
    [
        (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
         f'<rdf:Description xmlns:TC260="{NS}"><TC260:AIGC>{{"Label":"1",broken</TC260:AIGC>'
         "</rdf:Description></rdf:RDF></x:xmpmeta>", "damaged", "malformed"),
        (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><unclosed xmlns:TC260="{NS}"><TC260:AIGC>{{"Label":"2"}}</TC260:AIGC>',
         "found", "missing fields"),
        (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
         f'<rdf:Description xmlns:TC260="{NS}" TC260:AIGC=\'{{"Label":"3"}}\'/></rdf:RDF></x:xmpmeta>',
         "found", "missing fields"),
        ("<x:xmpmeta>not ours</x:xmpmeta>", "not_found", None),
        ("\x00\x01 garbage", "not_found", None),
    ],
)
def test_malformed_labels_give_a_report_not_an_exception(packet, status, problem):
    report = read_tc260(_with_packet(packet))
    assert report["status"] == status
    if problem:
        assert any(problem in p for p in report["problems"])


def test_labels_in_attributes_and_other_formats():
    attr = read_tc260(_with_packet(
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:TC260="{NS}" TC260:AIGC=\'{{"Label":"3"}}\'/></rdf:RDF></x:xmpmeta>'))
    assert attr["claim"] == "suspected_generated"
    assert read_tc260(b"GIF89a...")["status"] == "not_found"
    assert read_tc260(b"\x89PNG\r\n\x1a\n\x00\x00")["status"] == "not_found"  # truncated
    with pytest.raises(ContainerError):
        write_xmp(b"GIF89a", "<x/>")
