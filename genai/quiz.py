"""Real or fake? The quiz's images: a shipped set of real and StyleGAN2 faces, and fakes made on the spot.

The shipped set (``core/assets/quiz``, built by ``python -m genai.quiz --out core/assets/quiz``
from ``../shared/data/faces/val``, never from training faces) holds 60 FFHQ photos and 60 StyleGAN2
faces, 128 px, both saved the same way (JPEG q90), so neither eye nor detector can go by the file.
To them a round adds fakes the app makes from the real ones: DCGAN faces (the easy level), faces
repaired by the learned inpainter, and faces swapped between two quiz photos.

A deck is the list of rounds a room code (or a player's own game) plays: the same code and level
give the same images in the same order to every student. :func:`pairs` makes "which one is fake?"
rounds instead: a real photo beside a fake. An item is a plain string saying how to
make its image ("real/ffhq-69016", "inpaint/ffhq-69016/mouth", ...), so rooms store only strings.
Scoring takes the detector's answers as data: ``genai`` never imports the detector.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from PIL import Image

SET_DIR = Path(__file__).resolve().parents[1] / "core" / "assets" / "quiz"
SIDE = 128
KINDS = ("real", "stylegan2", "dcgan", "inpaint", "faceswap")
# Share of each kind in a deck, per level. Half of every deck is real, as in the world of the quiz.
LEVELS: dict[str, dict[str, float]] = {
    "easy": {"real": 0.5, "dcgan": 0.5},
    "medium": {"real": 0.5, "stylegan2": 0.35, "dcgan": 0.15},
    "hard": {"real": 0.5, "stylegan2": 0.2, "inpaint": 0.15, "faceswap": 0.15},
}
HOLES = ("eyes", "mouth", "box", "strokes")
QUIZ_DCGAN_SEED = 3_000_000  # DCGAN seeds of quiz faces (training uses 0+, validation 1,000,000+)


@dataclass(frozen=True)
class Item:
    """One quiz image: how to make it, and the truth about it."""

    key: str  # "real/NAME", "stylegan2/NAME", "dcgan/SEED", "inpaint/NAME/HOLE", "faceswap/SOURCE/TARGET"

    @property
    def kind(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def fake(self) -> bool:
        return self.kind != "real"


def manifest(folder: Path = SET_DIR) -> list[dict]:
    """The shipped set's entries: name, kind ("real" or "stylegan2"), file, source."""
    return json.loads((folder / "quiz.json").read_text(encoding="utf-8"))["images"]


def names(kind: str, folder: Path = SET_DIR) -> list[str]:
    return [e["name"] for e in manifest(folder) if e["kind"] == kind]


def load(name: str, folder: Path = SET_DIR) -> np.ndarray:
    """A shipped quiz image as RGB uint8 (SIDE, SIDE, 3)."""
    entry = next((e for e in manifest(folder) if e["name"] == name), None)
    if entry is None:
        raise ValueError(f"no quiz image {name!r}")
    with Image.open(folder / entry["file"]) as im:
        return np.asarray(im.convert("RGB"))


def code_seed(text: str) -> int:
    """A 32-bit seed from ``text``, read without case or spaces (a room code as typed)."""
    return int(hashlib.sha256("".join(text.split()).upper().encode()).hexdigest()[:8], 16)


class _Draw:
    """Draws quiz items for one seed: kinds by their shares, images from the shipped set without repeats."""

    def __init__(self, seed: int, folder: Path):
        self.rng = np.random.RandomState(seed)
        self.real = list(self.rng.permutation(names("real", folder)))
        self.stylegan2 = list(self.rng.permutation(names("stylegan2", folder)))

    def kinds(self, shares: dict[str, float], n: int) -> np.ndarray:
        weights = np.asarray(list(shares.values()))
        return self.rng.choice(list(shares), size=n, p=weights / weights.sum())

    def item(self, kind: str) -> Item:
        if kind == "real":
            return Item(f"real/{self.real.pop()}")
        if kind == "stylegan2":
            return Item(f"stylegan2/{self.stylegan2.pop()}")
        if kind == "dcgan":
            return Item(f"dcgan/{QUIZ_DCGAN_SEED + int(self.rng.randint(0, 1_000_000))}")
        if kind == "inpaint":
            return Item(f"inpaint/{self.real.pop()}/{HOLES[self.rng.randint(len(HOLES))]}")
        return Item(f"faceswap/{self.real.pop()}/{self.real.pop()}")


def _check(level: str, rounds: int, most: int) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    if not 1 <= rounds <= most:
        raise ValueError(f"rounds must be between 1 and {most}")


def deck(code: str, level: str, rounds: int = 10, folder: Path = SET_DIR) -> list[Item]:
    """The rounds a room code plays at ``level``: the same for every caller, no image twice.

    Raises:
        ValueError: an unknown level or a number of rounds the set cannot fill.
    """
    _check(level, rounds, 30)
    draw = _Draw(code_seed(f"{code}|{level}"), folder)
    return [draw.item(kind) for kind in draw.kinds(LEVELS[level], rounds)]


def pairs(code: str, level: str, rounds: int = 10, folder: Path = SET_DIR) -> list[tuple[Item, Item]]:
    """Rounds of "which one is fake?": each a real photo and a fake of the level's kinds, in a random
    order (left or right), the same for every caller with ``code``. No image twice."""
    _check(level, rounds, 20)
    draw = _Draw(code_seed(f"{code}|{level}|pairs"), folder)
    out = []
    for kind in draw.kinds({k: v for k, v in LEVELS[level].items() if k != "real"}, rounds):
        fake, photo = draw.item(kind), draw.item("real")
        out.append((fake, photo) if draw.rng.rand() < 0.5 else (photo, fake))
    return out


class Maker:
    """Makes quiz images from their keys; the models load on first use."""

    def __init__(self, folder: Path = SET_DIR):
        self.folder = folder

    @cached_property
    def _generator(self):
        from genai.generators import create_generator

        return create_generator("dcgan-digiface")

    @cached_property
    def _inpainter(self):
        from genai.inpaint import create_inpainter

        return create_inpainter("gated-unet")

    @cached_property
    def _landmarker(self):
        from genai.faceswap import Landmarker

        return Landmarker()

    def image(self, item: Item) -> np.ndarray:
        """The item's image, RGB uint8 (SIDE, SIDE, 3); the same pixels every time."""
        parts = item.key.split("/")
        kind = parts[0]
        if kind in ("real", "stylegan2"):
            return load(parts[1], self.folder)
        if kind == "dcgan":
            from core.imaging import upscale

            return upscale(self._generator.sample([int(parts[1])])[0], SIDE, "bicubic")
        if kind == "inpaint":
            from genai.inpaint import preset_mask

            face = load(parts[1], self.folder)
            hole = preset_mask(parts[2], SIDE, SIDE, seed=code_seed(parts[1]) % 10_000)
            return self._inpainter.run(face, hole).image
        if kind == "faceswap":
            from genai.faceswap import swap

            return swap(load(parts[1], self.folder), load(parts[2], self.folder), landmarker=self._landmarker).image
        raise ValueError(f"unknown quiz item {item.key!r}")


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One round: the item, what the player said and what the detector said ("fake", "real", or
    "none" when it gave no verdict)."""

    item: Item
    player: str  # "fake" or "real"
    detector: str

    @property
    def player_right(self) -> bool:
        return right(self.item, self.player)

    @property
    def detector_right(self) -> bool:
        return right(self.item, self.detector)


def right(item: Item, said: str) -> bool:
    """Whether ``said`` ("fake", "real", or "none" for no answer) is the truth about ``item``."""
    return said != "none" and (said == "fake") == item.fake


def pair_answer(pair: tuple[Item, Item], picked: int, detector_p: tuple[float, float]) -> Answer:
    """A "which one is fake?" round as an :class:`Answer` about its fake: the player is right when
    ``picked`` (0 or 1) is the fake, the detector when it gave the fake the higher probability (a
    forced choice: over many pairs its share right is the AUC)."""
    fake_at = 0 if pair[0].fake else 1
    detector_pick = 0 if detector_p[0] > detector_p[1] else 1
    return Answer(pair[fake_at], "fake" if picked == fake_at else "real",
                  "fake" if detector_pick == fake_at else "real")


def detector_answer(verdict: str) -> str:
    """The detector's answer in the quiz from its verdict at its default threshold: "fake" when it
    says fake, "real" for "no traces found" and "uncertain" (it did not flag the image), "none"
    when it cannot judge."""
    return {"fake": "fake", "unknown": "none"}.get(verdict, "real")


def tally(answers: Sequence[Answer]) -> dict[str, dict[str, int]]:
    """Per kind: rounds, the player's right answers and the detector's."""
    out: dict[str, dict[str, int]] = {}
    for a in answers:
        row = out.setdefault(a.item.kind, {"n": 0, "player": 0, "detector": 0})
        row["n"] += 1
        row["player"] += a.player_right
        row["detector"] += a.detector_right
    return out


def lesson(answers: Sequence[Answer]) -> dict[str, list[str]]:
    """Which kinds the player beat the detector on, lost on, or tied: {"won": [...], "lost": [...], "tied": [...]}."""
    out: dict[str, list[str]] = {"won": [], "lost": [], "tied": []}
    for kind, row in tally(answers).items():
        key = "won" if row["player"] > row["detector"] else "lost" if row["player"] < row["detector"] else "tied"
        out[key].append(kind)
    return out


# --- building the shipped set -------------------------------------------------------------------


def build(out: Path, data: Path | None = None, each: int = 60, quality: int = 90) -> list[dict]:
    """Write ``each`` FFHQ val photos and ``each`` StyleGAN2 val faces in which MTCNN finds a face
    to ``out`` as JPEG q``quality``, with quiz.json. Picks every 16th file in natural order."""
    from core.data import data_root, image_files, load_rgb
    from core.faces import FaceFinder

    root = data_root(data) / "faces" / "val"
    finder = FaceFinder()
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for kind, folder, prefix, source in (
            ("real", root / "real", "ffhq", "FFHQ (NVIDIA), validation image {stem}, CC BY-NC-SA 4.0"),
            ("stylegan2", root / "fake", "stylegan2", "StyleGAN2, thispersondoesnotexist.com, validation {stem}")):
        taken = 0
        for path in image_files(folder)[::16]:
            if taken == each:
                break
            image = load_rgb(path)
            if image.shape[:2] != (SIDE, SIDE) or not finder.find(image):
                continue
            name = f"{prefix}-{path.stem}"
            buf = io.BytesIO()
            Image.fromarray(image).save(buf, "JPEG", quality=quality)
            (out / f"{name}.jpg").write_bytes(buf.getvalue())
            entries.append({"name": name, "kind": kind, "file": f"{name}.jpg", "source": source.format(stem=path.stem)})
            taken += 1
    (out / "quiz.json").write_text(json.dumps({"images": entries}, indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return entries


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Build the quiz's shipped image set from ../shared/data/faces/val.")
    p.add_argument("--out", default=str(SET_DIR))
    p.add_argument("--data", help="shared data folder (default: $DEEPFAKE_LAB_DATA or ../shared/data)")
    args = p.parse_args(argv)
    entries = build(Path(args.out), Path(args.data) if args.data else None)
    size = sum((Path(args.out) / e["file"]).stat().st_size for e in entries)
    print(f"{len(entries)} images, {size / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
