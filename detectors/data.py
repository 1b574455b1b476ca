"""Training data for the detector: real faces, five kinds of fake, one shared pipeline.

Sources (all but the first two made here, reproducibly from a seed):
    real       FFHQ faces (lossless PNG in shared data)
    stylegan2  StyleGAN2 faces (JPEG q75 in shared data)
    dcgan      the app's own DCGAN faces (genai), upscaled like the app's exports
    inpaint    real faces with an irregular hole filled by OpenCV (Telea / Navier-Stokes)
    swap       real faces with a generated face's centre blended in (Poisson, seamlessClone)

The format trap: every real face is a PNG and every StyleGAN2 face a JPEG q75. So every source
except stylegan2 first gets the same JPEG q75 ("history"), then every sample, whatever its class,
goes through one random pipeline (crop, flip, resampling, blur, colour, noise, JPEG 30-100), and
finally the canonical JPEG q75 that inference applies too. A sample's class is then carried by its
content, not by its file format.

Images are RGB uint8 (H, W, 3); masks are float32 (H, W) in [0, 1], 1 = generated pixel.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFilter

from core.data import image_files, load_rgb
from core.faces import FaceFinder
from core.imaging import upscale
from detectors.crops import SIZE, canonical, jpeg
from genai.generators import create_generator
from genai.faceswap import Landmarker, SwapOptions, swap
from genai.inpaint import LearnedInpainter

HISTORY_QUALITY = 75  # the JPEG quality of the StyleGAN2 faces, given to every other source
MASK_BANDS = (1, 2, 3, 4)  # irregular-mask bands used: 10-50% of the image
EXPORT_UPSCALES = ("bicubic", "nearest")  # how the app enlarges its 64 px DCGAN faces for export
MASKS_FOR_TRAINING = 200  # masks 0..199 of each band train; 200..299 are kept for validation


# --- the shared random pipeline ---------------------------------------------------------------

_FILTERS = [Image.Resampling.NEAREST, Image.Resampling.BILINEAR, Image.Resampling.BICUBIC,
            Image.Resampling.LANCZOS, Image.Resampling.BOX]


def _resize(a: np.ndarray, size: tuple[int, int], resample) -> np.ndarray:
    return np.asarray(Image.fromarray(a).resize(size, resample))


def _resize_mask(m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return cv2.resize(m, size, interpolation=cv2.INTER_AREA if size[0] < m.shape[1] else cv2.INTER_LINEAR)


def equalize(image: np.ndarray, mask: np.ndarray, rng: np.random.RandomState,
             jpeg_p: float = 0.5, resample_p: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """One draw of the shared augmentation, the same distribution for every class.

    Args:
        image: RGB uint8 (SIZE, SIZE, 3).
        mask: float32 (SIZE, SIZE), generated-pixel fraction; geometric steps follow the image.
        rng: the draw's random state.
        jpeg_p: chance of the random JPEG 30-100 re-encoding before the canonical one.
        resample_p: chance of the down-and-up resampling (0.35-0.9x): a face shrunk in a photo
            must keep its class, so fine detail that resampling erases cannot be the only cue.

    Returns:
        (image, mask) of the same shapes, after the canonical JPEG.
    """
    h, w = image.shape[:2]
    # Random crop of 80-100% of the side, back to SIZE: framing and scale vary like MTCNN crops.
    side = int(round(min(h, w) * rng.uniform(0.8, 1.0)))
    y, x = rng.randint(0, h - side + 1), rng.randint(0, w - side + 1)
    image, mask = image[y : y + side, x : x + side], mask[y : y + side, x : x + side]
    if rng.rand() < 0.5:
        image, mask = image[:, ::-1], mask[:, ::-1]
    image = _resize(np.ascontiguousarray(image), (SIZE, SIZE), _FILTERS[rng.randint(1, 5)])
    mask = _resize_mask(np.ascontiguousarray(mask), (SIZE, SIZE))
    if rng.rand() < resample_p:
        # Down-and-up resampling: low-resolution photos and upscaled exports, for both classes,
        # so "blurry/upscaled" never means "fake".
        small = int(SIZE * rng.uniform(0.35, 0.9))
        image = _resize(image, (small, small), _FILTERS[rng.randint(0, 5)])
        image = _resize(image, (SIZE, SIZE), _FILTERS[rng.randint(0, 4)])
    if rng.rand() < 0.1:
        image = np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2))))
    if rng.rand() < 0.5:
        f = image.astype(np.float32)
        gray = f.mean(axis=2, keepdims=True)
        f = gray + (f - gray) * rng.uniform(0.8, 1.2)  # saturation
        f = (f - f.mean()) * rng.uniform(0.85, 1.15) + f.mean() * rng.uniform(0.9, 1.1)  # contrast, brightness
        image = np.clip(f, 0, 255).astype(np.uint8)
    if rng.rand() < 0.15:
        noise = rng.normal(0, rng.uniform(1, 4), image.shape)
        image = np.clip(image + noise, 0, 255).astype(np.uint8)
    if rng.rand() < jpeg_p:
        image = jpeg(image, rng.randint(30, 101))
    return canonical(image), mask.astype(np.float32)


# --- sources ----------------------------------------------------------------------------------


@dataclass
class FaceSplit:
    """Decoded faces of one split, with the crop rectangle MTCNN gives each."""

    real: np.ndarray  # RGB uint8 (N, 128, 128, 3), as stored (PNG)
    fake: np.ndarray  # RGB uint8 (M, 128, 128, 3), as stored (JPEG q75)
    real_rects: np.ndarray  # int (N, 4) crop x0, y0, x1, y1
    fake_rects: np.ndarray  # int (M, 4)
    real_names: list[str]
    fake_names: list[str]


def face_rects(images: np.ndarray, finder: FaceFinder | None, cache: Path | None, key: str) -> np.ndarray:
    """Crop rectangles for aligned faces: MTCNN's largest face, else the whole image. Cached."""
    if cache is not None:
        path = cache / f"rects-{key}.json"
        if path.exists():
            return np.asarray(json.loads(path.read_text()), dtype=int)
    n, h, w = images.shape[:3]
    rects = np.tile(np.array([0, 0, w, h]), (n, 1))
    if finder is not None:
        for i, image in enumerate(images):
            faces = finder.find(image)
            if faces:
                rects[i] = faces[0].crop
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rects.tolist()))
    return rects


def load_split(root: Path, split: str, finder: FaceFinder | None, cache: Path | None, limit: int | None = None) -> FaceSplit:
    """Decode ``root/split/{real,fake}`` (at most ``limit`` of each) and find each face's crop."""
    arrays, rects, names = {}, {}, {}
    for cls in ("real", "fake"):
        files = image_files(root / split / cls)[:limit]
        if not files:
            raise FileNotFoundError(f"no images in {root / split / cls}")
        arrays[cls] = np.stack([to_size(load_rgb(p)) for p in files])
        names[cls] = [p.name for p in files]
        key = hashlib.sha1(("|".join(names[cls]) + split + cls).encode()).hexdigest()[:12]
        rects[cls] = face_rects(arrays[cls], finder, cache, key)
    return FaceSplit(arrays["real"], arrays["fake"], rects["real"], rects["fake"], names["real"], names["fake"])


def to_size(image: np.ndarray) -> np.ndarray:
    if image.shape[:2] == (SIZE, SIZE):
        return image
    return _resize(image, (SIZE, SIZE), Image.Resampling.BICUBIC)


def load_masks(root: Path, train: bool, limit: int | None = None) -> list[np.ndarray]:
    """Irregular hole masks, bool (SIZE, SIZE), white = hole; train and validation never share one."""
    masks = []
    for band in MASK_BANDS:
        files = image_files(root / f"band{band}")
        files = files[:MASKS_FOR_TRAINING] if train else files[MASKS_FOR_TRAINING:]
        for p in files[:limit]:
            with Image.open(p) as im:
                masks.append(np.asarray(im.convert("L").resize((SIZE, SIZE), Image.Resampling.BILINEAR)) > 127)
    return masks


def low_res_history(image: np.ndarray, rng: np.random.RandomState, side: int = 64) -> np.ndarray:
    """``image`` (RGB uint8, SIZE x SIZE) shrunk to ``side`` px and enlarged back the way exports are.

    The app's DCGAN faces are always 64 px faces upscaled (bicubic or nearest) for export. Real
    faces given the same history at training time keep "upscaled" from meaning "fake": without it,
    a real photo halved in size was judged fake (see the resize flip rate in the detector's log).
    """
    small = np.asarray(Image.fromarray(image).resize((side, side), Image.Resampling.BOX))
    return upscale(small, image.shape[0], EXPORT_UPSCALES[rng.randint(2)])


def shrunk(image: np.ndarray, scale: float) -> np.ndarray:
    """``image`` shrunk by ``scale`` and enlarged back, both bicubic: the face crop of a photo
    someone halved (PIL's resize, then the detector's own enlargement in ``faces.crop``)."""
    h, w = image.shape[:2]
    small = _resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BICUBIC)
    return _resize(small, (w, h), Image.Resampling.BICUBIC)


def dcgan_faces(seeds: range, rng: np.random.RandomState | None = None) -> np.ndarray:
    """The app's DCGAN faces, upscaled 64 -> 128 as an export would be: RGB uint8 (N, 128, 128, 3)."""
    faces = create_generator("dcgan-digiface").sample(seeds)
    return np.stack([
        upscale(f, SIZE, EXPORT_UPSCALES[rng.randint(2)] if rng is not None else "bicubic") for f in faces
    ])


def dcgan_training_faces(n: int, seed: int, finder: FaceFinder | None, cache: Path | None,
                         limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The app's DCGAN faces that detectors train on: seeds 0 to n - 1 (at most ``limit``), each
    upscaled as ``seed`` draws, and their crop rectangles (cached under the same key for every
    trainer, so the patch network and the GAN discriminators see the same faces framed the same way).
    """
    n = min(n, limit) if limit else n
    faces = dcgan_faces(range(n), np.random.RandomState(seed))
    return faces, face_rects(faces, finder, cache, f"dcgan-train-{n}-{seed}")


def posed_hole(hole: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """``hole`` randomly mirrored and turned by a multiple of 90 degrees: eight masks from one."""
    if rng.rand() < 0.5:
        hole = hole[:, ::-1]
    return np.ascontiguousarray(np.rot90(hole, rng.randint(4)))


def inpaint_fake(real: np.ndarray, hole: np.ndarray, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """A real face with ``hole`` (bool (H, W)) filled by OpenCV Telea or Navier-Stokes."""
    hole = posed_hole(hole, rng)
    flag = cv2.INPAINT_TELEA if rng.rand() < 0.5 else cv2.INPAINT_NS
    return opencv_fill(real, hole, int(rng.randint(3, 8)), flag), hole.astype(np.float32)


def opencv_fill(image: np.ndarray, hole: np.ndarray, radius: int, flag: int) -> np.ndarray:
    """RGB uint8 ``image`` with ``hole`` (bool (H, W)) filled by cv2.inpaint (``flag``: Telea or Navier-Stokes)."""
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    return cv2.cvtColor(cv2.inpaint(bgr, hole.astype(np.uint8) * 255, radius, flag), cv2.COLOR_BGR2RGB)


def learned_inpaint_fakes(reals: np.ndarray, masks: list[np.ndarray],
                          rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Each real face with a random training hole filled by the app's learned inpainter (gated-unet).

    The faces are FFHQ-aligned 128 px images, the view the network was trained on, so each is filled
    whole, as the Inpaint page fills a face's crop.

    Returns:
        (filled RGB uint8 (N, SIZE, SIZE, 3), holes float32 (N, SIZE, SIZE)); pixel i belongs to real i.
    """
    inpainter = LearnedInpainter()
    holes = np.stack([posed_hole(masks[rng.randint(len(masks))], rng) for _ in range(len(reals))])
    filled = np.stack([inpainter.fill_crop(real, hole) for real, hole in zip(reals, holes)])
    return filled, holes.astype(np.float32)


def swap_fake(target: np.ndarray, donor: np.ndarray, rect: np.ndarray, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """A real face whose centre (eyes, nose, mouth) is replaced by ``donor``'s, Poisson-blended.

    Both faces are aligned the FFHQ way, so the donor's centre lands on the target's.
    """
    x0, y0, x1, y1 = rect
    side = x1 - x0
    cx = int((x0 + x1) / 2 + rng.uniform(-0.03, 0.03) * side)
    cy = int(y0 + side * rng.uniform(0.53, 0.6))
    ax, ay = int(side * rng.uniform(0.2, 0.27)), int(side * rng.uniform(0.27, 0.34))
    mask = np.zeros(target.shape[:2], np.uint8)
    cv2.ellipse(mask, (cx, cy), (ax, ay), 0, 0, 360, 255, -1)
    mode = cv2.NORMAL_CLONE if rng.rand() < 0.7 else cv2.MIXED_CLONE
    out = cv2.seamlessClone(cv2.cvtColor(donor, cv2.COLOR_RGB2BGR), cv2.cvtColor(target, cv2.COLOR_RGB2BGR),
                            mask, (cx, cy), mode)
    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB), (mask > 0).astype(np.float32)


def faceswap_fakes(reals: np.ndarray, rng: np.random.RandomState, finder: FaceFinder | None = None,
                   log=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Real faces with another real face swapped in by the app's face swap (genai.faceswap): no
    generated pixel, only a real face warped, recoloured and blended, with random options.

    Returns:
        (swapped RGB uint8 (K, H, W, 3), masks float32 (K, H, W), target indices into ``reals`` (K,))
        for the K faces in which landmarks were found (each donor is another of them).
    """
    landmarker = Landmarker(finder)
    marks = [landmarker.find(r) for r in reals]
    have = [i for i, m in enumerate(marks) if m]
    images, masks = [], []
    for n, i in enumerate(have):
        j = have[rng.randint(len(have))]
        if j == i and len(have) > 1:  # never a face on itself
            j = have[(have.index(i) + 1) % len(have)]
        options = SwapOptions(blend=("poisson", "mixed", "alpha")[rng.choice(3, p=[0.6, 0.15, 0.25])],
                              colour=rng.rand() < 0.8, forehead=rng.rand() < 0.7,
                              feather=float(rng.uniform(0.03, 0.1)))
        r = swap(reals[j], reals[i], None, options, source_faces=marks[j], target_faces=marks[i])
        images.append(r.image)
        masks.append(r.mask.astype(np.float32))
        if log and (n + 1) % 500 == 0:
            log(f"face swaps: {n + 1}/{len(have)}")
    return np.stack(images), np.stack(masks), np.asarray(have)
