"""Command line for detectors.

    python -m detectors detect [--json] [--threshold T] PATH...     judge images (folders are searched)
    python -m detectors evaluate --real DIR --fake DIR [--json]     measure on labelled folders
    python -m detectors scores [--out FILE]                          store validation scores (Report page)
    python -m detectors familiar --out FILE                          fit where faces are familiar (training faces)

``detect --json`` prints one JSON object per input, in input order, as soon as it is judged; an
unreadable input gets a line with ``error`` set and the rest still run. Exit code 0 when every input
was read, 2 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from tqdm import tqdm

from core.data import cache_dir
from core.io import ImageReadError
from core.weights import WeightsError
from detectors import create_detector, detector_weights, list_detectors, load_detector
from detectors.detector import Detector
from detectors.evaluate import binary_report, ci_text, iter_folder_scores
from detectors.report import compute_scores, scores_path

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"}


def _expand(paths: list[str]) -> Iterator[Path]:
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        else:
            yield p  # a missing or unreadable file still gets its own error line


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise ImageReadError("unreadable", f"{path}: {e.strerror or e}") from None


def _load(args: argparse.Namespace) -> Detector:
    if args.weights:
        return load_detector(args.weights)
    return create_detector(args.detector)


def _detect(args: argparse.Namespace) -> int:
    detector = _load(args)
    paths = list(_expand(args.paths))
    all_read = True
    for path in tqdm(paths, desc="detect", unit="img", file=sys.stderr, disable=None):
        row: dict = {"path": str(path)}
        try:
            loaded, result = detector.detect_file(_read_bytes(path), threshold=args.threshold)
            row.update(result.to_json(), notes=loaded.notes, error=None)
        except ImageReadError as e:
            all_read = False
            row.update(fake_probability=None, detector_probability=None, verdict=None, faces=[], error=str(e))
        except Exception as e:  # noqa: BLE001 - one input that breaks the detector must not end the batch
            all_read = False
            row.update(fake_probability=None, detector_probability=None, verdict=None, faces=[],
                       error=f"failed: {type(e).__name__}: {e}")
        if args.json:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        elif row["error"]:
            print(f"{path}\terror: {row['error']}", flush=True)
        elif row["verdict"] == "unknown":  # abstained: no number that looks like a verdict
            print(f"{path}\tcannot judge ({row['abstained']})\tfaces={len(row['faces'])}", flush=True)
        else:
            print(f"{path}\t{row['verdict']}\tp(fake)={row['fake_probability']:.3f}\tfaces={len(row['faces'])}",
                  flush=True)
    return 0 if all_read else 2


def _evaluate(args: argparse.Namespace) -> int:
    detector = _load(args)
    labels, probs, counts = [], [], {"real": {"read": 0, "errors": 0}, "fake": {"read": 0, "errors": 0}}
    for item in tqdm(iter_folder_scores(detector, Path(args.real), Path(args.fake)), desc="evaluate", unit="img",
                     file=sys.stderr, disable=None):
        side = counts["fake" if item.label else "real"]
        if item.error:
            side["errors"] += 1
            continue
        side["read"] += 1
        labels.append(item.label)
        probs.append(item.probability)
    if not counts["real"]["read"] or not counts["fake"]["read"]:
        print("error: need at least one readable image in each folder", file=sys.stderr)
        return 2
    report = binary_report(np.array(labels), np.array(probs), detector.calibration.threshold)
    report["threshold"] = detector.calibration.threshold
    report["folders"] = {"real": {"path": args.real, **counts["real"]}, "fake": {"path": args.fake, **counts["fake"]}}
    if args.json:
        print(json.dumps(report))
    else:
        for key in ("auc", "ap", "accuracy", "fpr", "tpr", "ece"):
            interval = f" {ci_text(report['auc_ci95'])}" if key == "auc" else ""
            print(f"{key:9s} {report[key]:.4f}{interval}")
        print(f"threshold {report['threshold']:.3f}")
        for name, c in report["folders"].items():
            print(f"{name:9s} {c['read']} read, {c['errors']} unreadable ({c['path']})")
    return 0


def _scores(args: argparse.Namespace) -> int:
    detector = _load(args)
    out = Path(args.out) if args.out else scores_path(detector_weights(args.detector))
    data = compute_scores(detector, Path(args.data) if args.data else None, args.limit)
    out.write_text(json.dumps(data))
    print(out)
    return 0


def _familiar(args: argparse.Namespace) -> int:
    import torch

    from core.data import data_root
    from detectors.calibrate import fit_familiarity

    torch.set_num_threads(2)
    detector = _load(args)
    faces_root = Path(args.data) / "faces" if args.data else data_root() / "faces"
    fitted, said = fit_familiarity(detector, faces_root, Path(args.cache) if args.cache else None)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(fitted.to_checkpoint(), args.out)
    print(f"{said}; wrote {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m detectors", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_ in (("detect", _detect, "judge images"), ("evaluate", _evaluate, "measure on folders")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--detector", default="default", help=f"shipped detector name ({list_detectors()})")
        p.add_argument("--weights", help="a face-branch checkpoint instead of the shipped detector (faces only: "
                                          "no image branch, so a picture without a face gets 'cannot judge')")
        p.add_argument("--json", action="store_true", help="JSON output")
        p.set_defaults(func=func)
        if name == "detect":
            p.add_argument("--threshold", type=float, default=None, help="fake if p >= T (default: calibrated)")
            p.add_argument("paths", nargs="+", metavar="PATH")
        else:
            p.add_argument("--real", required=True)
            p.add_argument("--fake", required=True)
    p = sub.add_parser("scores", help="store validation scores for the Report page")
    p.add_argument("--detector", default="default", help=f"shipped detector name ({list_detectors()})")
    p.add_argument("--weights", help="a detector checkpoint file instead of a shipped one")
    p.add_argument("--data", help="shared data folder (default: $DEEPFAKE_LAB_DATA or ../shared/data)")
    p.add_argument("--limit", type=int, help="at most this many images per source")
    p.add_argument("--out", help="output JSON (default: next to the shipped weights)")
    p.set_defaults(func=_scores)
    p = sub.add_parser("familiar", help="fit where the detector's inputs are familiar, from its training faces")
    p.add_argument("--detector", default="default", help=f"shipped detector name ({list_detectors()})")
    p.add_argument("--weights", help="a detector checkpoint file instead of a shipped one")
    p.add_argument("--data", help="shared data folder (default: $DEEPFAKE_LAB_DATA or ../shared/data)")
    p.add_argument("--cache", default=str(cache_dir()), help="MTCNN crop box cache ('' for none)")
    p.add_argument("--out", required=True, help="the .pt file to write")
    p.set_defaults(func=_familiar)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (WeightsError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
