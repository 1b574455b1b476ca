"""Command line for genai.

    python -m genai sample --n 16 --seed 0 --out DIR     labelled faces, one PNG per seed
    python -m genai label IN OUT [--no-visible-label]     label an image (PNG or JPEG by OUT's suffix)
    python -m genai inspect FILE...                       provenance report, one JSON line per file
    python -m genai inpaint --method NAME --image IN --mask MASK --out OUT   fill the mask's white area
    python -m genai inpaint --list                        the inpainters
    python -m genai swap --source A --target B --out OUT [--target-face K|all] [--blend poisson|mixed|alpha]
                                                          put A's face on B's; the output is labelled
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from core.imaging import UPSCALE_METHODS
from genai.generators import CheckpointError, create_generator, list_generators
from genai.provenance import ExportInfo, export_image, inspect


def _sample(args: argparse.Namespace) -> int:
    kwargs = {"device": args.device}
    if args.generator == "checkpoint":
        if not args.checkpoint:
            print("error: --generator checkpoint needs --checkpoint PATH", file=sys.stderr)
            return 2
        kwargs["source"] = args.checkpoint
    try:
        gen = create_generator(args.generator, **kwargs)
    except CheckpointError as e:
        print(f"error: cannot load generator: {e}", file=sys.stderr)
        return 2
    seeds = range(args.seed, args.seed + args.n)
    faces = gen.sample(seeds, temperature=args.temperature)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for seed, face in zip(seeds, faces):
        path = out / f"{gen.name}-seed{seed:06d}.png"
        info = ExportInfo(model=gen.name, seed=seed)
        path.write_bytes(export_image(face, info, size=args.size, method=args.upscale))
        print(path)
    saved = max(args.size, gen.image_size)
    print(f"wrote {len(faces)} faces ({gen.image_size}px generated, {saved}px saved) to {out}",
          file=sys.stderr)
    return 0


def _label(args: argparse.Namespace) -> int:
    from PIL import UnidentifiedImageError

    out = Path(args.out)
    if (fmt := _output_format(out)) is None:
        return 2
    try:
        image = _read_rgb(args.input)
    except (OSError, UnidentifiedImageError) as e:
        print(f"error: cannot read {args.input}: {e}", file=sys.stderr)
        return 2
    # The user's own picture keeps its size (a picture under 256 px may not carry a mark that reads).
    data = export_image(image, ExportInfo(model=args.model), fmt=fmt, size=None,
                        visible_label=not args.no_visible_label)
    out.write_bytes(data)
    print(out)
    if args.no_visible_label:
        print("visible label omitted at your request; the request is logged in the registry, and the "
              "metadata label and watermark remain", file=sys.stderr)
    return 0


def _output_format(out: Path) -> str | None:
    """"png" or "jpeg" from OUT's suffix; None (with the error printed) for any other."""
    fmt = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}.get(out.suffix.lower())
    if fmt is None:
        print(f"error: OUT must end in .png, .jpg or .jpeg, not {out.suffix!r}", file=sys.stderr)
    return fmt


def _read_rgb(path: str) -> np.ndarray:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        return np.asarray(ImageOps.exif_transpose(im).convert("RGB"))


def _inpaint(args: argparse.Namespace) -> int:
    from PIL import Image, UnidentifiedImageError

    from genai.inpaint import InpaintError, create_inpainter, fit_mask, list_inpainters

    if args.list:
        print("\n".join(list_inpainters()))
        return 0
    missing = [f"--{k}" for k in ("method", "image", "mask", "out") if not getattr(args, k)]
    if missing:
        print(f"error: inpaint needs {' '.join(missing)} (or --list)", file=sys.stderr)
        return 2
    out = Path(args.out)
    if (fmt := _output_format(out)) is None:
        return 2
    try:
        inpainter = create_inpainter(args.method)
        image = _read_rgb(args.image)
        with Image.open(args.mask) as m:
            mask = fit_mask(np.asarray(m.convert("L")), *image.shape[:2])
        report = inpainter.run(image, mask)
        result = report.image
        print(f"{args.method}: {ROUTE_NOTES[report.route]}", file=sys.stderr)
    except (OSError, UnidentifiedImageError, ValueError) as e:  # InpaintError is a ValueError
        reason = f" ({e.reason})" if isinstance(e, InpaintError) else ""
        print(f"error{reason}: {e}", file=sys.stderr)
        return 2
    out.write_bytes(export_image(result, ExportInfo(model=f"inpaint-{args.method}"), fmt=fmt, size=None))  # its own size
    print(out)
    return 0


def _swap(args: argparse.Namespace) -> int:
    from PIL import UnidentifiedImageError

    from genai.faceswap import SwapError, SwapOptions, swap

    out = Path(args.out)
    if (fmt := _output_format(out)) is None:
        return 2
    try:
        source, target = _read_rgb(args.source), _read_rgb(args.target)
    except (OSError, UnidentifiedImageError) as e:
        print(f"error: cannot read an input: {e}", file=sys.stderr)
        return 2
    face = args.target_face if args.target_face == "all" else int(args.target_face)
    options = SwapOptions(blend=args.blend, colour=not args.no_colour, forehead=not args.no_forehead)
    try:
        result = swap(source, target, target_face=face, options=options)
    except SwapError as e:
        print(f"error ({e.reason}): {e}", file=sys.stderr)
        return 2
    for note in result.notes:
        print(f"note: {SWAP_NOTES[note]}", file=sys.stderr)
    print(f"swapped face(s) {', '.join(map(str, result.swapped))} of {len(result.targets)} in the target "
          f"({', '.join(f'{k} {v:.2f} s' for k, v in result.seconds.items())})", file=sys.stderr)
    out.write_bytes(export_image(result.image, ExportInfo(model="faceswap"), fmt=fmt,
                                 visible_label=not args.no_visible_label))
    print(out)
    if args.no_visible_label:
        print("visible label omitted at your request; the request is logged in the registry, and the "
              "metadata label and watermark remain", file=sys.stderr)
    return 0


SWAP_NOTES = {
    "five_points": "a face was too small or unclear for 68 landmarks: aligned on five points (eyes, nose, mouth)",
    "small_face": "a face is smaller than 40 px: the result will be coarse",
    "extreme_pose": "a face is turned far to one side: the swap may look wrong",
    "size_mismatch": "the two faces differ in size more than 4x: the smaller one is resampled hard",
}


def _target_face(value: str) -> str:
    if value != "all" and not value.isdigit():
        raise argparse.ArgumentTypeError(f"a face number (0 = largest) or 'all', not {value!r}")
    return value


ROUTE_NOTES = {
    "face": "filled on the face crop(s)",
    "whole": "no face found; the small image was treated as one face",
    "mixed": "faces filled by the model; hole pixels outside any face filled by Telea",
    "classical": "no face found; filled by the classical Telea method instead",
    "classical_method": "filled by a classical algorithm (no face needed)",
}


def _inspect(args: argparse.Namespace) -> int:
    all_read = True
    for name in args.files:
        row: dict = {"path": name}
        try:
            row.update(inspect(Path(name).read_bytes()), error=None)
        except OSError as e:
            all_read = False
            row["error"] = f"cannot read: {e.strerror or e}"
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0 if all_read else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genai", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample", help="write N labelled face PNGs, one per seed")
    p.add_argument("--n", type=int, default=16, help="number of faces (default 16)")
    p.add_argument("--seed", type=int, default=0, help="first seed; face i uses seed+i (default 0)")
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument("--generator", default=list_generators()[0], choices=list_generators())
    p.add_argument("--checkpoint", help="generator file for --generator checkpoint")
    p.add_argument("--temperature", type=float, default=1.0, help="scale on z (default 1.0)")
    p.add_argument("--size", type=int, default=256,
                   help="saved size in px; small faces are enlarged so the label is legible (default 256)")
    p.add_argument("--upscale", default="bicubic", choices=list(UPSCALE_METHODS))
    p.add_argument("--device", default=None, help="torch device (default cpu)")
    p.set_defaults(func=_sample)
    p = sub.add_parser("label", help="apply the visible label, TC260 metadata label and watermark to an image")
    p.add_argument("input", metavar="IN")
    p.add_argument("out", metavar="OUT", help="output file, .png or .jpg")
    p.add_argument("--no-visible-label", action="store_true",
                   help="leave the visible label off (Measures Art. 9: on request, logged); other labels stay")
    p.add_argument("--model", default="unknown", help="what made the image, for the registry (default: unknown)")
    p.set_defaults(func=_label)
    p = sub.add_parser("inpaint", help="fill the white area of MASK in IN; the output is labelled")
    p.add_argument("--method", help="inpainter name (see --list)")
    p.add_argument("--image", help="image to repair")
    p.add_argument("--mask", help="mask image, white = hole, any size (resized to the image)")
    p.add_argument("--out", help="output file, .png or .jpg")
    p.add_argument("--list", action="store_true", help="print the inpainters and exit")
    p.set_defaults(func=_inpaint)
    p = sub.add_parser("swap", help="put the source's face on the target's; the output is labelled")
    p.add_argument("--source", required=True, help="image whose (largest) face is used")
    p.add_argument("--target", required=True, help="image that receives it")
    p.add_argument("--out", required=True, help="output file, .png or .jpg")
    p.add_argument("--target-face", type=_target_face, default="0",
                   help="which target face: 0 = largest (default), 1 = next, ...; or 'all'")
    p.add_argument("--blend", default="poisson", choices=["poisson", "mixed", "alpha"],
                   help="Poisson (default), Poisson with mixed gradients, or feathered alpha")
    p.add_argument("--no-colour", action="store_true", help="keep the source's skin tone")
    p.add_argument("--no-forehead", action="store_true", help="swap from the brows down only")
    p.add_argument("--no-visible-label", action="store_true",
                   help="leave the visible label off (Measures Art. 9: on request, logged); other labels stay")
    p.set_defaults(func=_swap)
    p = sub.add_parser("inspect", help="print each file's provenance report as one JSON line")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_inspect)
    args = parser.parse_args(argv)
    if getattr(args, "n", 1) < 1:
        parser.error("--n must be at least 1")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
