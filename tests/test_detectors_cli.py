"""python -m detectors: the detect and evaluate contracts."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from detectors.__main__ import main as cli
from detectors.detector import Calibration, save_detector
from tests.conftest import ROOT, group_photo


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
    assert noise["verdict"] == "unknown" and noise["abstained"] == "no_face"  # no face: no verdict
    for r in (bad_text, missing, cut):
        assert r["error"] and r["fake_probability"] is None and r["verdict"] is None


def test_cli_detect_text_gives_no_number_where_it_cannot_judge(cli_inputs, capsys):
    weights, paths = cli_inputs
    cli(["detect", "--weights", str(weights), str(paths[2])])
    line = capsys.readouterr().out.strip()
    assert "cannot judge (no_face)" in line and "p(fake)" not in line


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


def test_cli_detect_answers_tiny_images_and_goes_on(tmp_path, cli_inputs, capsys):
    """An 8x8 file and a 600x8 banner (MTCNN's pyramid is empty below 12 px) get a line each, and the
    files after them are judged."""
    weights, paths = cli_inputs
    tiny = []
    for w, h in ((8, 8), (600, 8), (11, 300)):
        path = tmp_path / f"s{w}x{h}.png"
        Image.fromarray(np.random.RandomState(w).randint(0, 256, (h, w, 3), dtype=np.uint8)).save(path)
        tiny.append(path)
    code = cli(["detect", "--json", "--weights", str(weights), *map(str, tiny), str(paths[0])])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and len(rows) == 4
    assert all(r["error"] is None and r["verdict"] == "unknown" for r in rows[:3])
    assert len(rows[3]["faces"]) == 2
