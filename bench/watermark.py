"""Watermark robustness: `python bench/watermark.py [--faces 16]` (needs requirements-bench.txt).

For two kinds of content, 64 px DCGAN faces exported at 256 px (bicubic, as the app exports them)
and photos resized to 512 px on the long side (scikit-image's bundled photographs), prints the
32-bit payload's bit accuracy after each attack, the share of files whose payload was recovered
exactly (CRC match), and PSNR, for our scheme (genai.watermark) and for invisible-watermark's
dwtDct as the reference. ``--trials N`` marks every image N times with new payloads and crop offsets.
Then checks unmarked faces (FFHQ and StyleGAN2 val faces 500+ from ../shared/data, DCGAN faces from
seed 6000) for false finds: a find there would tell a user that a real photo was made by the app.
``--exports N`` (first) makes N exports as `python -m genai sample` does (256 px, labelled, a new ProduceID
each), strips their metadata, halves them and saves them as JPEG q75 (one of the attacks the embedder
verifies against, genai.watermark.reference_attacks), and attacks it does not check (a 10% crop before
that; 0.6x and JPEG q70), and prints the share recovered and the margin: the detection confidence (z)
and agreement of every read against their thresholds, and whether reading the same file twice agrees.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import genai  # noqa: E402
from core.imaging import upscale  # noqa: E402
from genai import watermark as wm  # noqa: E402

# Photographs bundled inside the scikit-image wheel (nothing is downloaded).
PHOTOS = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "motorcycle_left.png", "camera.png",
          "grass.png", "hubble_deep_field.jpg"]


def jpeg(image: np.ndarray, quality: int = 75) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def half(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    return np.asarray(Image.fromarray(image).resize((w // 2, h // 2), Image.Resampling.BICUBIC))


def resize(image: np.ndarray, scale: float) -> np.ndarray:
    h, w = image.shape[:2]
    return np.asarray(Image.fromarray(image).resize((round(w * scale), round(h * scale)), Image.Resampling.BICUBIC))


def crop10(image: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """Remove 10% of each dimension, split at random between the two sides."""
    h, w = image.shape[:2]
    dy, dx = round(0.1 * h), round(0.1 * w)
    oy, ox = rng.randint(0, dy + 1), rng.randint(0, dx + 1)
    return image[oy : oy + h - dy, ox : ox + w - dx]


ATTACKS = {
    "none": lambda im, rng: im,
    "jpeg75": lambda im, rng: jpeg(im),
    "resize0.5": lambda im, rng: half(im),
    "crop10%": crop10,
    "all3": lambda im, rng: jpeg(half(crop10(im, rng))),
}


def photos(size: int = 512) -> list[np.ndarray]:
    import skimage

    folder = Path(skimage.__file__).parent / "data"
    out = []
    for name in PHOTOS:
        pil = Image.open(folder / name).convert("RGB")
        scale = size / max(pil.size)
        out.append(np.asarray(pil.resize((round(pil.size[0] * scale), round(pil.size[1] * scale)),
                                         Image.Resampling.LANCZOS)))
    return out


class Ours:
    name = "ours (tiled spread spectrum)"

    def embed(self, image, bits, payload):
        return wm.embed(image, payload)

    def decode(self, image):
        result = wm.detect(image)
        return result.bits[: wm.PAYLOAD_BITS], result.found


class DwtDct:
    name = "invisible-watermark dwtDct"

    def embed(self, image, bits, payload):
        from imwatermark import WatermarkEncoder

        enc = WatermarkEncoder()
        enc.set_watermark("bits", [int(b) for b in bits])
        return enc.encode(image[..., ::-1].copy(), "dwtDct")[..., ::-1]  # it speaks BGR

    def decode(self, image):
        from imwatermark import WatermarkDecoder

        try:
            bits = WatermarkDecoder("bits", wm.PAYLOAD_BITS).decode(image[..., ::-1].copy(), "dwtDct")
        except Exception:  # noqa: BLE001 - it fails outright on images it finds too small
            return np.zeros(wm.PAYLOAD_BITS, np.uint8), False
        return np.asarray(bits, np.uint8), None


def run(scheme, images: list[np.ndarray], seed: int = 0, trials: int = 1) -> dict:
    """Each image marked ``trials`` times (a new payload and new crop offsets each time) and attacked."""
    rng = np.random.RandomState(seed)
    acc = {a: [] for a in ATTACKS}
    exact = {a: [] for a in ATTACKS}
    psnrs = []
    for image in [im for im in images for _ in range(trials)]:
        payload = int(rng.randint(0, 2**32, dtype=np.uint64))
        bits = wm.payload_bits(payload)[: wm.PAYLOAD_BITS]
        marked = scheme.embed(image, bits, payload)
        psnrs.append(wm.psnr(image, marked))
        for name, attack in ATTACKS.items():
            decoded, found = scheme.decode(attack(marked, rng))
            acc[name].append(float((decoded == bits).mean()))
            exact[name].append(bool(found) if found is not None else bool((decoded == bits).all()))
    return {"accuracy": {a: float(np.mean(v)) for a, v in acc.items()},
            "worst": {a: float(np.min(v)) for a, v in acc.items()},
            "exact": {a: float(np.mean(v)) for a, v in exact.items()},
            "psnr": float(np.mean(psnrs)), "psnr_min": float(np.min(psnrs))}


def false_finds(count: int, seed: int = 1) -> tuple[int, int]:
    """(false finds, images): unmarked FFHQ and StyleGAN2 val faces at random sizes, unmarked DCGAN faces."""
    from core.data import data_root

    rng = np.random.RandomState(seed)
    val = data_root() / "faces" / "val"
    files = sorted((val / "real").glob("*.png"))[500:500 + count // 2] + sorted((val / "fake").glob("*.jpg"))[500:500 + count // 4]
    images = [Image.open(f).convert("RGB") for f in files]
    images += [Image.fromarray(f) for f in genai.create_generator().sample(range(6000, 6000 + count - len(files)))]
    found = 0
    for im in images:
        side = int(rng.choice([128, 200, 256, 300, 400, 600]))
        found += wm.detect(np.asarray(im.resize((side, side), Image.Resampling.BICUBIC))).found
    return found, len(images)


def export_margin(count: int) -> None:
    """Watermark recovery and margin on ``count`` labelled exports after each attack."""
    from detectors.metrics import rate_interval
    from genai.provenance import ExportInfo, export_image

    gen = genai.create_generator()
    rng = np.random.RandomState(2)
    attacks = {"strip": lambda im: im, "strip+jpeg75": jpeg, "strip+0.5x": half,
               "strip+0.5x+jpeg75": lambda im: jpeg(half(im)),
               "crop10%+0.5x+jpeg75": lambda im: jpeg(half(crop10(im, rng))),
               "strip+0.6x+jpeg70": lambda im: jpeg(resize(im, 0.6), 70)}
    reads = {a: [] for a in attacks}
    repeatable = True
    for seed, face in zip(range(count), gen.sample(range(count))):
        data = export_image(face, ExportInfo(model=gen.name, seed=seed), size=256, log=False)
        # Stripped: only the decoded pixels go on (no XMP, no PNG text).
        pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        for name, attack in attacks.items():
            attacked = attack(pixels)
            r = wm.detect(attacked)
            again = wm.detect(attacked)
            repeatable &= (again.confidence, again.agreement, again.payload) == (r.confidence, r.agreement, r.payload)
            reads[name].append((r.found, r.confidence, r.agreement))
    print(f"\nwatermark on {count} exports (DCGAN faces at 256 px, `genai sample`), thresholds z > {wm.MIN_Z}, "
          f"agreement >= {wm.MIN_AGREEMENT}")
    print(f"{'attack':20s}{'recovered':>22s}   {'z: min / 1% / 5% / median':>28s}   {'agreement: min / 1% / 5% / median':>36s}")
    for name, rows in reads.items():
        found, z, agreement = (np.array(c) for c in zip(*rows))
        lo, hi = rate_interval(int(found.sum()), len(found))
        qz = " / ".join(f"{v:.2f}" for v in np.percentile(z, [0, 1, 5, 50]))
        qa = " / ".join(f"{v:.3f}" for v in np.percentile(agreement, [0, 1, 5, 50]))
        print(f"{name:20s}{found.sum():>5d}/{len(found)} ({found.mean():.1%}, {lo:.1%}-{hi:.1%})   {qz:>28s}   {qa:>36s}")
    print(f"reading the same file twice gives the same result: {'yes' if repeatable else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=int, default=16)
    parser.add_argument("--trials", type=int, default=1, help="marks per image, each with new payload and crop offsets")
    parser.add_argument("--unmarked", type=int, default=400, help="unmarked images checked for false finds (0: skip)")
    parser.add_argument("--exports", type=int, default=200, help="labelled exports for the margin (0: skip)")
    parser.add_argument("--only-exports", action="store_true", help="skip the scheme comparison and false finds")
    args = parser.parse_args()
    if args.exports:
        export_margin(args.exports)
    if args.only_exports:
        return
    faces = [upscale(f, 256, "bicubic") for f in genai.create_generator().sample(range(args.faces))]
    sets = {f"faces 64->256 px (n={len(faces)})": faces}
    sets[f"photos 512 px (n={len(PHOTOS)})"] = photos()
    header = "".join(f"{a:>11s}" for a in ATTACKS)
    for content, images in sets.items():
        print(f"\n{content}: mean bit accuracy (payload recovered exactly)")
        print(f"{'scheme':30s}{header}   PSNR dB (min)")
        for scheme in (Ours(), DwtDct()):
            r = run(scheme, images, trials=args.trials)
            cells = "".join(f"{r['accuracy'][a]:6.3f}({r['exact'][a]:3.0%})" for a in ATTACKS)
            print(f"{scheme.name:30s}{cells}   {r['psnr']:.1f} ({r['psnr_min']:.1f})")
    if args.unmarked:
        found, n = false_finds(args.unmarked)
        print(f"\nfalse finds of our watermark: {found} of {n} unmarked faces (FFHQ, StyleGAN2, DCGAN; 128-600 px)")


if __name__ == "__main__":
    main()
