"""`python -m genai sample`: writes N labelled PNGs and says what it wrote."""

import subprocess
import sys

import numpy as np
from PIL import Image

from genai.__main__ import main
from tests.conftest import ROOT, make_tiny


def test_sample_writes_n_files(tmp_path, capsys):
    assert main(["sample", "--n", "3", "--seed", "5", "--out", str(tmp_path / "out")]) == 0
    written = sorted((tmp_path / "out").glob("*.png"))
    assert [p.name for p in written] == [f"dcgan-digiface-seed{s:06d}.png" for s in (5, 6, 7)]
    assert capsys.readouterr().out.split() == [str(p) for p in written]
    im = Image.open(written[0])
    assert im.size == (256, 256)


def test_sample_is_reproducible(tmp_path):
    main(["sample", "--n", "1", "--seed", "42", "--out", str(tmp_path / "a")])
    main(["sample", "--n", "1", "--seed", "42", "--out", str(tmp_path / "b")])
    main(["sample", "--n", "1", "--seed", "43", "--out", str(tmp_path / "c")])
    a, b, c = (np.asarray(Image.open(next((tmp_path / d).glob("*.png"))), float) for d in "abc")
    # Same face; only the watermark differs, since every export carries its own ProduceID.
    assert np.abs(a - b).mean() < 6 < 3 * 6 < np.abs(a - c).mean()


def test_sample_from_checkpoint_and_bad_checkpoint(tmp_path, capsys):
    ckpt = tmp_path / "g.pt"
    make_tiny().save(ckpt)
    out = tmp_path / "o"
    assert main(["sample", "--generator", "checkpoint", "--checkpoint", str(ckpt), "--n", "2",
                 "--out", str(out)]) == 0
    assert len(list(out.glob("g.pt-seed*.png"))) == 2
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a model")
    assert main(["sample", "--generator", "checkpoint", "--checkpoint", str(junk), "--out", str(out)]) == 2
    assert "not_a_checkpoint" in capsys.readouterr().err


def test_module_entry_point(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "genai", "sample", "--n", "2", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.split()) == 2 and "wrote 2 faces" in proc.stderr


def test_inspect_reports_the_label_of_a_sampled_face(tmp_path, capsys):
    import json

    main(["sample", "--n", "1", "--out", str(tmp_path)])
    png = next(tmp_path.glob("*.png"))
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (32, 32)).save(plain)
    capsys.readouterr()
    assert main(["inspect", str(png), str(plain), str(tmp_path / "missing.png")]) == 2
    labelled, unlabelled, missing = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert labelled["tc260"]["status"] == "found" and labelled["tc260"]["integrity"] == "match"
    assert labelled["hints"]["text"]["Software"] == "Deepfake Lab"
    assert unlabelled["tc260"]["status"] == "not_found" and unlabelled["error"] is None
    assert missing["error"]
