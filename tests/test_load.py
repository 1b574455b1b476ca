"""A class on one real server (`streamlit run` on a free loopback port), through Streamlit's own
protocol (bench/streamlit_client.py): a small class period, and what one session may see of another's.

bench/load.py runs the same period for 1, 10 and 40 students and prints the figures."""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.load import run_class
from bench.screenshots import free_port, start_app, stop_app
from bench.streamlit_client import Session
from tests.conftest import ROOT
from ui.i18n import STRINGS


def test_a_small_class_period_gets_every_result(tmp_path):
    """Eight students answer two rounds while the teacher polls and reveals; then two detect an
    upload, two generate, one swaps and one repairs with GAN inversion, all at once."""
    work = {"detect an upload": 2, "generate faces": 2, "swap faces": 1, "repair with GAN inversion": 1}
    fig = run_class(8, 2, work, home=str(tmp_path))
    print("\n" + fig.summary())
    assert not fig.errors, fig.errors
    assert fig.wanted and fig.got == fig.wanted
    assert len(fig.to_teacher) == 16 and len(fig.to_phones) == 16
    assert max(fig.to_phones) < 15, "the reveal took too long to reach a phone"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("class-server")
    port = free_port()
    proc = start_app(port, env={"DEEPFAKE_LAB_HOME": str(home), "TMPDIR": str(home / "tmp")}, log=home / "server.log")
    yield f"http://127.0.0.1:{port}", home
    stop_app(proc)
    assert "Traceback" not in (home / "server.log").read_text(errors="replace")


def _photo_with_gps(seed: int) -> bytes:
    """A face photo with GPS and a camera name in its EXIF, and noise that makes its bytes unique."""
    from core.samples import load_sample

    face = load_sample("ffhq-69003").astype(np.int16)
    face = np.clip(face + np.random.RandomState(seed).randint(-4, 5, face.shape), 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0110] = "SECRET-CAMERA-42"
    exif[0x8825] = {2: (39, 54, 0), 4: (116, 23, 0)}
    buf = io.BytesIO()
    Image.fromarray(face).save(buf, format="JPEG", quality=95, exif=exif)
    return buf.getvalue()


IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"RIFF", b"GIF8", b"BM")


def _files(roots: list[Path]) -> dict[Path, tuple[float, int]]:
    out = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "node_modules")]
            for name in filenames:
                p = Path(dirpath) / name
                try:
                    st = p.stat()
                except OSError:
                    continue
                out[p] = (st.st_mtime, st.st_size)
    return out


def test_uploads_stay_in_memory_and_sessions_stay_apart(server, tmp_path):
    """Session A uploads a photo to Detect, Repair and the label checker, and generates faces; no file
    on disk then holds the photo's bytes, and session B sees none of A's files, names or faces."""
    base, home = server
    (home / "tmp").mkdir(exist_ok=True)
    photo = _photo_with_gps(7)
    marker = photo[len(photo) // 2: len(photo) // 2 + 64]  # 64 bytes from inside the picture data
    roots = [ROOT, home, Path.home() / ".streamlit", Path.home() / ".cache", Path("/tmp")]
    before = _files(roots)
    en = {k: v["en"] for k, v in STRINGS.items()}

    async def period():
        a = Session(base, page="detect")
        await a.open()
        await a.upload("det_files", [("alice-holiday.jpg", photo)])
        assert "alice-holiday.jpg" in a.page.widgets()["det_pick"].proto.options  # A has its verdict
        await a.close()
        r = Session(base, page="rules")
        await r.open()
        await r.upload("rules_check_file", [("alice-holiday.jpg", photo)])
        assert not r.page.exceptions()
        await r.close()
        g = Session(base, page="generate")
        await g.open()
        await g.number("gen_seed", 4242)
        await g.close()
        b = Session(base, page="detect")
        await b.open()
        seen_by_b = b.page.text() + str([w.proto for w in b.page.widgets().values()])
        assert "det_session" not in b.page.widgets(), "B is offered A's generated faces"
        await b.close()
        return seen_by_b

    seen_by_b = asyncio.run(period())
    assert "alice-holiday.jpg" not in seen_by_b and "4242" not in seen_by_b
    assert en["det.empty"] in seen_by_b
    time.sleep(1)
    after = _files(roots)
    changed = [p for p, st in after.items() if before.get(p) != st and tmp_path not in p.parents]
    print("\nfiles the server created or changed:", sorted(str(p) for p in changed if home in p.parents))
    holding = [p for p in changed if p.is_file() and marker in p.read_bytes()]
    assert not holding, f"an upload's bytes were written to disk: {holding}"
    pictures = [p for p in changed if p.is_file() and p.read_bytes()[:12].startswith(IMAGE_MAGIC)]
    assert not pictures, f"pictures were written to disk: {pictures}"


def test_an_export_carries_no_exif_and_the_registry_no_pixels(tmp_path):
    """A repair of a photo with GPS and a camera name in its EXIF: neither reaches the export (PNG or
    JPEG), and the export log holds digests and hashes, never pixels."""
    import sqlite3

    from core.io import read_image
    from genai.provenance import ExportInfo, export_image
    from genai.registry import Registry

    registry = Registry(tmp_path / "registry.sqlite")
    loaded = read_image(_photo_with_gps(3))
    for fmt in ("png", "jpeg"):
        data = export_image(loaded.image, ExportInfo("inpaint-telea"), fmt=fmt, registry=registry)
        exif = Image.open(io.BytesIO(data)).getexif()
        assert 0x8825 not in exif and 0x0110 not in exif
        assert b"SECRET-CAMERA-42" not in data
    with sqlite3.connect(tmp_path / "registry.sqlite") as db:
        columns = {row[1]: row[2] for row in db.execute("PRAGMA table_info(exports)")}
        assert "BLOB" not in columns.values()
        longest = max(len(str(v)) for row in db.execute("SELECT * FROM exports") for v in row)
    assert longest <= 256, "the registry holds something as large as pixels"


def _digest(model) -> str:
    """sha256 of a cached model's weights: the detector's network, a generator's, the U-Net's, or the
    generator GAN inversion searches."""
    import hashlib

    module = getattr(model, "model", None) or getattr(model, "net", None) or model.generator.net
    h = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        h.update(name.encode() + tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def test_requests_never_change_the_shared_models():
    """The models every session shares (st.cache_resource) are the same objects with the same weights
    after pages detected an upload, generated faces and repaired with GAN inversion and the U-Net."""
    from core.samples import sample_bytes
    from tests.test_app import open_page
    from ui import resources

    models = {"detector": resources.detector(), "generator": resources.face_generator("dcgan-digiface"),
              "gan-inversion": resources.inpainter("gan-inversion"), "gated-unet": resources.inpainter("gated-unet")}
    before = {name: _digest(m) for name, m in models.items()}
    threshold = models["detector"].calibration.threshold
    at = open_page("pages/detect.py")
    at.file_uploader(key="det_files").set_value([("face.png", sample_bytes("ffhq-69003"), "image/png")]).run()
    at = open_page("pages/generate.py")
    at = open_page("pages/inpaint.py")
    at.button_group(key="inp_presets").set_value(["mouth"]).run()
    at.button_group(key="inp_methods").set_value(["gated-unet", "gan-inversion"]).run()
    at.button(key="inp_run").click().run()
    assert not at.exception, at.exception
    again = {"detector": resources.detector(), "generator": resources.face_generator("dcgan-digiface"),
             "gan-inversion": resources.inpainter("gan-inversion"), "gated-unet": resources.inpainter("gated-unet")}
    assert all(again[name] is models[name] for name in models), "the pages did not share the cached models"
    assert {name: _digest(m) for name, m in models.items()} == before
    assert models["detector"].calibration.threshold == threshold
