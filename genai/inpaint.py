"""Inpainters: fill a masked hole in an image. One interface, one registry.

Every inpainter has ``run(image, mask, progress=None) -> InpaintResult`` on RGB uint8 (H, W, 3) and
a bool mask (H, W), True = hole; the result's image is RGB uint8 (H, W, 3) whose pixels outside the
hole are the input's, and its ``route`` says how the hole was filled. Calling an inpainter,
``inpaint(image, mask)``, returns just the image.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image

from core.faces import CROP_SCALE, CROP_SHIFT, FaceFinder, crop_rect, square_inside
from core.weights import SHIPPED, shipped_path
from genai.generators import create_generator
from genai.inpaint_net import coarse_fill, load_inpaint_net, to_tensor, to_uint8

MIN_SIDE = 16


class InpaintError(ValueError):
    """An image or mask an inpainter cannot work with.

    Attributes:
        reason: "empty_mask", "full_mask", "too_small" or "shape"; pages translate it.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def fit_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """A mask of any size (bool, or grayscale with white = hole) as bool (height, width)."""
    m = np.asarray(mask)
    if m.ndim == 3:
        m = m[..., :3].mean(axis=2)
    m = m > (0.5 if m.dtype == bool or m.max() <= 1 else 127)
    if m.shape != (height, width):
        m = np.asarray(Image.fromarray(m.astype(np.uint8) * 255).resize((width, height), Image.Resampling.NEAREST)) > 127
    return m


def check(image: np.ndarray, mask: np.ndarray) -> None:
    """Raise InpaintError for inputs no inpainter can use."""
    if image.ndim != 3 or image.shape[2] != 3 or mask.shape != image.shape[:2]:
        raise InpaintError("shape", f"image {image.shape} and mask {mask.shape} must be (H, W, 3) and (H, W)")
    if min(image.shape[:2]) < MIN_SIDE:
        raise InpaintError("too_small", f"{image.shape[1]}x{image.shape[0]} pixels; at least {MIN_SIDE} needed")
    if not mask.any():
        raise InpaintError("empty_mask", "the mask marks no pixel")
    if mask.all():
        raise InpaintError("full_mask", "the mask covers the whole image: nothing is left to fill from")


@dataclass
class InpaintResult:
    """What a model inpainter did, so a page can say it aloud.

    Attributes:
        image: RGB uint8 (H, W, 3); pixels outside the hole are the input's.
        route: "face" (every hole pixel filled by the model on a face crop), "whole" (no face found,
            a small image treated as one face), "mixed" (faces by the model, the rest by Telea),
            "classical" (no face to work on: Telea filled it all) or "classical_method" (a
            classical inpainter, which needs no face).
        faces: the crop rectangles (x0, y0, x1, y1) the model worked on.
    """

    image: np.ndarray
    route: str
    faces: list[tuple[int, int, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "time_budget" or "cancelled": stopped early, best so far


# A progress callback gets (fraction done, stage); it may return True to ask the inpainter to stop
# early and return what it has (a cancel button).
Progress = Callable[[float, str], "bool | None"]


def _no_progress(fraction: float, stage: str) -> None:
    pass


class Job:
    """One call of an inpainter: its progress callback, its deadline and the notes it collects.

    Made afresh for every call, so an inpainter shared by many users (a cached one) never changes.

    Args:
        progress: the caller's callback (None: silent).
        budget: seconds the slow steps may take before they stop and return their best so far.
    """

    def __init__(self, progress: Progress | None = None, budget: float | None = None):
        self.progress = progress or _no_progress
        self.deadline = None if budget is None else time.perf_counter() + budget
        self.notes: list[str] = []  # "time_budget" or "cancelled" when a slow step stopped early

    def report(self, fraction: float, stage: str) -> bool:
        """Pass progress on; True when the caller asked to stop."""
        if self.progress(fraction, stage) is True:
            self._note("cancelled")
            return True
        return False

    def expired(self) -> bool:
        """True once the time budget is spent (and noted)."""
        if self.deadline is not None and time.perf_counter() > self.deadline:
            self._note("time_budget")
            return True
        return False

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)


class Inpainter:
    """The interface every inpainter has: ``run`` fills a hole and says how; calling returns the image."""

    name = "inpainter"
    slow = False  # seconds rather than milliseconds: pages run it after the others, with a cancel button

    def run(self, image: np.ndarray, mask: np.ndarray, progress: Progress | None = None) -> InpaintResult:
        """Fill ``mask`` (bool (H, W), True = hole) in ``image`` (RGB uint8 (H, W, 3)).

        Raises:
            InpaintError: an image or mask no inpainter can work with.
        """
        raise NotImplementedError

    def __call__(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.run(image, mask).image


class OpenCVInpainter(Inpainter):
    """OpenCV's classical inpainting: Telea's fast marching or Navier-Stokes, no face needed."""

    def __init__(self, name: str, flag: int):
        self.name = name
        self.flag = flag

    def run(self, image: np.ndarray, mask: np.ndarray, progress: Progress | None = None) -> InpaintResult:
        check(image, mask)
        # Radius grows with the image so a 1000 px photo is filled as smoothly as a 128 px face.
        radius = max(3, round(min(image.shape[:2]) / 40))
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        out = cv2.inpaint(bgr, mask.astype(np.uint8) * 255, radius, self.flag)
        (progress or _no_progress)(1.0, "done")
        return InpaintResult(cv2.cvtColor(out, cv2.COLOR_BGR2RGB), "classical_method")


def telea(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask`` filled by Telea's method (RGB uint8 in and out): the model inpainters' fallback."""
    return OpenCVInpainter("telea", cv2.INPAINT_TELEA)(image, mask)


class FaceInpainter(Inpainter):
    """Base of the model inpainters: find the faces the hole touches, fill each on a crop, paste back.

    Subclasses implement ``fill_crop(crop, hole, job) -> crop`` on RGB uint8 crops. Hole pixels
    outside every face (and whole holes in large images without a face) fall back to Telea, and the
    result's ``route`` says so.

    Args:
        finder: an object with ``find(image) -> [Face]`` (core.faces.FaceFinder); created on
            first use when None.
    """

    name = "model"
    WHOLE_IMAGE_MAX_SIDE = 256  # a face-less image this small is treated as one face crop
    time_budget: float | None = None  # seconds a call may spend before returning its best so far

    def __init__(self, finder=None):
        self._finder = finder

    def crop_for(self, face, hole: np.ndarray) -> tuple[int, int, int, int]:
        """The square (x0, y0, x1, y1) the model sees for ``face``, given the image's (H, W) bool hole."""
        return face.crop

    def run(self, image: np.ndarray, mask: np.ndarray, progress: Progress | None = None) -> InpaintResult:
        check(image, mask)
        job = Job(progress, self.time_budget)
        out = image.copy()
        remaining = mask.copy()
        rects = []
        job.report(0.0, "faces")
        for face in self.faces(image):
            x0, y0, x1, y1 = self.crop_for(face, remaining)
            if not remaining[y0:y1, x0:x1].any():
                continue
            out, covered = self.fill_face(out, remaining, face, job)
            remaining &= ~covered
            rects.append((x0, y0, x1, y1))
        if not rects and max(image.shape[:2]) <= self.WHOLE_IMAGE_MAX_SIDE:
            filled = self.fill_crop(out, remaining, job)
            out[remaining] = filled[remaining]
            job.report(1.0, "done")
            return InpaintResult(out, "whole", [(0, 0, image.shape[1], image.shape[0])], job.notes)
        route = "face"
        if remaining.any():
            route = "mixed" if rects else "classical"
            out[remaining] = telea(out, remaining)[remaining]
        job.report(1.0, "done")
        return InpaintResult(out, route, rects, job.notes)

    def fill_face(self, image: np.ndarray, hole: np.ndarray, face, job: Job) -> tuple[np.ndarray, np.ndarray]:
        """Fill the part of ``hole`` that ``face``'s crop covers: (new image, the hole pixels filled)."""
        x0, y0, x1, y1 = self.crop_for(face, hole)
        out = image.copy()
        sub = hole[y0:y1, x0:x1]
        filled = self.fill_crop(image[y0:y1, x0:x1], sub, job)
        out[y0:y1, x0:x1][sub] = filled[sub]
        covered = np.zeros_like(hole)
        covered[y0:y1, x0:x1] = sub
        return out, covered

    def faces(self, image: np.ndarray) -> list:
        if self._finder is None:
            self._finder = FaceFinder()
        return self._finder.find(image)

    def fill_crop(self, crop: np.ndarray, hole: np.ndarray, job: Job) -> np.ndarray:
        """``crop`` (RGB uint8 (S, S, 3)) with ``hole`` (bool (S, S)) filled."""
        raise NotImplementedError


def _resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    if image.shape[1] == width and image.shape[0] == height:
        return image
    shrink = width < image.shape[1]
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)


def _resize_hole(hole: np.ndarray, width: int, height: int) -> np.ndarray:
    """A hole at another size; any covered share of a pixel makes it a hole (nothing leaks in)."""
    frac = cv2.resize(hole.astype(np.float32), (width, height), interpolation=cv2.INTER_AREA)
    return frac > 0.01


def _to_model_size(crop: np.ndarray, hole: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A crop and its hole resized to the model's ``size``, without growing the hole.

    The hole is pre-filled (Telea) at the crop's own resolution first, so resampling mixes no hidden
    pixel into the known ones, and the hole can then be resized as it is (half-covered pixels are
    hole) instead of being widened to every pixel it touches: holes here are often brush strokes
    a few pixels wide, and a one-pixel wider hole measurably worsens the fill.
    """
    if crop.shape[:2] == (size, size):
        return crop, hole
    safe = coarse_fill(crop[None], hole[None])[0]
    frac = cv2.resize(hole.astype(np.float32), (size, size), interpolation=cv2.INTER_AREA if size < hole.shape[1] else cv2.INTER_LINEAR)
    return _resize(safe, size, size), frac >= 0.5




class LearnedInpainter(FaceInpainter):
    """The gated-convolution U-Net trained by ``python -m genai.train_inpaint`` on 128 px FFHQ faces.

    Each face is cropped the way the training faces were framed (core.faces.crop_rect), resized
    to 128 px, filled, and the hole pasted back at the image's resolution.
    """

    name = "gated-unet"
    GROW = 0.3  # a face's crop may grow by this share of its side to cover the hole around it

    def __init__(self, weights: str | Path | None = None, sha256: str | None = None,
                 device: str | None = None, finder=None, flip_average: bool = True):
        """``weights``: a checkpoint of your own (``sha256``: the hash it must have); None loads the
        shipped, sha256-pinned gated-unet."""
        super().__init__(finder)
        if weights is None:
            weights, sha256 = shipped_path("gated-unet"), SHIPPED["gated-unet"].sha256
        self.flip_average = flip_average
        self.device = torch.device(device or "cpu")
        self.net = load_inpaint_net(weights, sha256).to(self.device)

    def crop_for(self, face, hole: np.ndarray) -> tuple[int, int, int, int]:
        """The face's crop, grown (up to ``GROW`` of its side) to take in the hole just around it.

        A stroke that runs past the face's frame onto hair, chin or background would otherwise be
        filled by the network inside the frame and by Telea outside it, with a seam between them.
        The face then fills a little less of the model's view than in training; on the validation
        pairs (val faces 500-699, masks 250-299) the 5 of 200 strokes that ran past the crop gain
        enough to lift the mean from 20.680 to 20.685 dB.
        """
        x0, y0, x1, y1 = face.crop
        h, w = hole.shape
        reach = round((x1 - x0) * self.GROW / 2)
        wx0, wy0, wx1, wy1 = max(0, x0 - reach), max(0, y0 - reach), min(w, x1 + reach), min(h, y1 + reach)
        ys, xs = np.nonzero(hole[wy0:wy1, wx0:wx1])
        if not len(xs):
            return face.crop
        bx0, by0 = min(x0, wx0 + xs.min()), min(y0, wy0 + ys.min())
        bx1, by1 = max(x1, wx0 + xs.max() + 1), max(y1, wy0 + ys.max() + 1)
        side = min(max(bx1 - bx0, by1 - by0), h, w)
        return square_inside((bx0 + bx1) / 2, (by0 + by1) / 2, side, h, w)

    def fill_crop(self, crop: np.ndarray, hole: np.ndarray, job: Job | None = None) -> np.ndarray:
        size = self.net.config.image_size
        h, w = crop.shape[:2]
        small, small_hole = _to_model_size(crop, hole, size)
        with torch.inference_mode():
            x = to_tensor(coarse_fill(small[None], small_hole[None])).to(self.device)
            m = torch.from_numpy(small_hole[None, None].astype(np.float32)).to(self.device)
            preds = [self.net.predict(x, m)]
            if self.flip_average:
                # Faces are near-symmetric: averaging the prediction for the mirrored face
                # halves what is left of the network's guesswork at almost no cost.
                preds.append(self.net.predict(x.flip(-1), m.flip(-1)).flip(-1))
            filled = to_uint8(self.net.composite(x, torch.stack(preds).mean(0), m).cpu())[0]
        return _resize(filled, w, h)


# Where MTCNN puts the five landmarks (eyes, nose, mouth corners) on the face DCGAN's 64 px images:
# medians over seeds 1000-1199 (spread about 3 px). Faces are aligned to these before inversion.
G_LANDMARKS_64 = np.array([[22.1, 30.6], [42.3, 30.7], [32.7, 44.0], [23.7, 54.2], [40.7, 54.2]], np.float32)


@dataclass(frozen=True)
class InversionConfig:
    restarts: int = 8  # latents optimised side by side; the best context match wins
    steps: int = 150  # Adam steps per run
    lr: float = 0.05  # Adam learning rate on z
    window: int = 9  # context weights count hole pixels in this window around each known pixel
    floor: float = 0.1  # weight of known pixels far from the hole (keeps the face's overall look)
    seed: int = 0  # drives the restarts' starting latents
    # A busy server can be ten times slower than a quiet laptop (5 s): past this many seconds the
    # optimisation stops and the best latent so far is used (the result's notes say so).
    time_budget: float | None = 10.0
    # The DCGAN's 64 px faces are framed tighter than our crops: its MTCNN box is about 56 px, centred
    # 4 px below the image centre (measured on seeds 1000-1099), so a G image spans 1.15 box sides.
    frame_scale: float = 1.15
    frame_shift: float = -0.07


class GanInversionInpainter(FaceInpainter):
    """Semantic inpainting by GAN inversion (Yeh et al., CVPR 2017) with the app's face DCGAN.

    Find z so G(z) matches the known pixels around the hole (the weighted context loss of Yeh et
    al.), keep z on the Gaussian shell |z| = sqrt(nz) as the realism prior (``gan-face-generate``
    ships no discriminator, so Yeh's D-based prior is not available), run several restarts, and
    Poisson-blend the best G(z) into the hole (OpenCV seamlessClone). The DCGAN was trained on
    synthetic DigiFace faces at 64 px, so its fills are blurry and often the wrong identity: the
    lecture's point is exactly how far a small GAN's face space is from a real face.
    """

    name = "gan-inversion"
    slow = True

    def __init__(self, config: InversionConfig = InversionConfig(), generator=None, finder=None):
        super().__init__(finder)
        if generator is None:
            generator = create_generator("dcgan-digiface")
        self.generator = generator
        self.config = config
        self.time_budget = config.time_budget

    def crop_for(self, face, hole: np.ndarray) -> tuple[int, int, int, int]:
        c = self.config
        x0, y0, x1, y1 = face.box
        side = max(x1 - x0, y1 - y0)
        # crop_rect frames CROP_SCALE box sides shifted by CROP_SHIFT; hand it a box rescaled so
        # that its rule frames G's view instead.
        k = c.frame_scale / CROP_SCALE
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + (c.frame_shift - CROP_SHIFT * k) * side
        half = side * k / 2
        return crop_rect((cx - half, cy - half, cx + half, cy + half), *hole.shape)

    def fill_face(self, image: np.ndarray, hole: np.ndarray, face, job: Job) -> tuple[np.ndarray, np.ndarray]:
        """Align the face to G's frame by its five landmarks (a similarity transform), invert there,
        warp G(z) back and Poisson-blend it into the hole. Without landmarks: the square crop."""
        if face.landmarks is None or self.generator.image_size != 64:
            return super().fill_face(image, hole, face, job)
        size = self.generator.image_size
        m, _ = cv2.estimateAffinePartial2D(np.asarray(face.landmarks, np.float32), G_LANDMARKS_64)
        if m is None:
            return super().fill_face(image, hole, face, job)
        h, w = hole.shape
        scale = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
        # Shrinking by warping alone would alias; blur to the target resolution first.
        src = cv2.GaussianBlur(image, (0, 0), 0.5 / scale) if scale < 0.5 else image
        frame = cv2.warpAffine(src, m, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        frame_hole = cv2.warpAffine(hole.astype(np.float32), m, (size, size), flags=cv2.INTER_LINEAR) > 0.01
        inverse = cv2.invertAffineTransform(m)
        inside = cv2.warpAffine(np.ones((size, size), np.float32), inverse, (w, h), flags=cv2.INTER_LINEAR) > 0.99
        covered = hole & inside
        if not frame_hole.any() or frame_hole.all() or not covered.any():
            return super().fill_face(image, hole, face, job)
        g = self.invert(frame, frame_hole, job)
        source = cv2.warpAffine(g, inverse, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
        return poisson_fill(image, source, covered), covered

    def fill_crop(self, crop: np.ndarray, hole: np.ndarray, job: Job) -> np.ndarray:
        size = self.generator.image_size
        h, w = crop.shape[:2]
        g = self.invert(_resize(crop, size, size), _resize_hole(hole, size, size), job)
        return poisson_fill(crop, _resize(g, w, h), hole)

    def invert(self, small: np.ndarray, small_hole: np.ndarray, job: Job) -> np.ndarray:
        """The G(z) (RGB uint8 at G's size) that best matches ``small`` outside ``small_hole``: after
        ``config.steps`` Adam steps, or fewer when ``job`` runs out of time or is cancelled."""
        c = self.config
        net, nz = self.generator.net, self.generator.nz
        known = (~small_hole).astype(np.float32)
        # Yeh et al.'s importance weights: known pixels count by how many hole pixels surround them.
        near = cv2.blur(small_hole.astype(np.float32), (c.window, c.window), borderType=cv2.BORDER_CONSTANT)
        weight = known * np.maximum(near, c.floor)
        target = torch.from_numpy(small).permute(2, 0, 1).float().div(127.5).sub(1.0)[None]
        wt = torch.from_numpy(weight)[None, None]
        gen = torch.Generator().manual_seed(c.seed)
        z = torch.randn(c.restarts, nz, 1, 1, generator=gen).requires_grad_(True)
        opt = torch.optim.Adam([z], lr=c.lr)
        radius = float(np.sqrt(nz))
        for p in net.parameters():
            p.requires_grad_(False)
        for step in range(c.steps):
            loss = ((net(z) - target).abs() * wt).flatten(1).sum(1)
            opt.zero_grad()
            loss.sum().backward()
            opt.step()
            with torch.no_grad():
                z.mul_(radius / z.flatten(1).norm(dim=1).view(-1, 1, 1, 1))
            if (step % 20 == 0 and job.report(step / c.steps, "optimising z")) or job.expired():
                break
        with torch.no_grad():
            images = net(z)
            loss = ((images - target).abs() * wt).flatten(1).sum(1)
            best = images[int(loss.argmin())]
        return best.clamp(-1, 1).add(1).mul(127.5).round().byte().permute(1, 2, 0).numpy()


def poisson_fill(image: np.ndarray, source: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """``source``'s gradients in the hole, ``image``'s values on its border (seamlessClone, NORMAL_CLONE).

    Both RGB uint8 (H, W, 3), ``hole`` bool (H, W). Only hole pixels change. The images are padded
    first: seamlessClone misbehaves when the mask touches the image border.
    """
    pad = 8
    # The hole's own (unknown) pixels must not act as a boundary: OpenCV erodes the mask
    # internally, so pre-fill the hole from its surroundings (Telea) and solve on a mask grown
    # past the hole. Where the hole meets the image border, the reflected pre-fill is the boundary.
    image = telea(image, hole)
    dst = cv2.copyMakeBorder(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), pad, pad, pad, pad, cv2.BORDER_REFLECT)
    src = cv2.copyMakeBorder(cv2.cvtColor(source, cv2.COLOR_RGB2BGR), pad, pad, pad, pad, cv2.BORDER_REFLECT)
    m = np.pad(hole, pad).astype(np.uint8) * 255
    m = cv2.dilate(m, np.ones((7, 7), np.uint8))
    ys, xs = np.nonzero(m)
    centre = (int((xs.min() + xs.max() + 1) // 2), int((ys.min() + ys.max() + 1) // 2))
    try:
        blended = cv2.seamlessClone(src, dst, m, centre, cv2.NORMAL_CLONE)
    except cv2.error:  # degenerate masks: paste without blending rather than fail
        blended = np.where(m[..., None] > 0, src, dst)
    out = cv2.cvtColor(blended[pad:-pad, pad:-pad], cv2.COLOR_BGR2RGB)
    result = image.copy()
    result[hole] = out[hole]
    return result


PRESETS = ("eyes", "mouth", "strokes", "box")


def preset_mask(name: str, height: int, width: int, face_box: tuple[int, int, int, int] | None = None,
                seed: int = 0) -> np.ndarray:
    """A ready-made hole, bool (height, width): "eyes", "mouth", "strokes" or "box".

    Eyes and mouth are placed on ``face_box`` (an MTCNN box x0, y0, x1, y1) when given, else on
    the image as if it were an FFHQ-style face crop. Strokes are random brush strokes from ``seed``.
    """
    if face_box is None:
        # Where MTCNN puts the box on a 128 px FFHQ-style face, scaled to this image.
        face_box = (round(0.14 * width), round(0.12 * height), round(0.86 * width), round(0.95 * height))
    x0, y0, x1, y1 = face_box
    bw, bh = x1 - x0, y1 - y0
    m = np.zeros((height, width), np.uint8)
    if name == "eyes":
        cv2.rectangle(m, (round(x0 + 0.1 * bw), round(y0 + 0.28 * bh)), (round(x1 - 0.1 * bw), round(y0 + 0.46 * bh)), 1, -1)
    elif name == "mouth":
        cv2.ellipse(m, (round(x0 + 0.5 * bw), round(y0 + 0.76 * bh)), (round(0.24 * bw), round(0.1 * bh)), 0, 0, 360, 1, -1)
    elif name == "box":
        cv2.rectangle(m, (round(x0 + 0.3 * bw), round(y0 + 0.35 * bh)), (round(x0 + 0.7 * bw), round(y0 + 0.7 * bh)), 1, -1)
    elif name == "strokes":
        rng = np.random.RandomState(seed)
        thickness = max(2, round(min(height, width) / 20))
        for _ in range(4):
            pts = np.stack([rng.randint(x0, max(x0 + 1, x1), 5), rng.randint(y0, max(y0 + 1, y1), 5)], 1)
            cv2.polylines(m, [pts.astype(np.int32)], False, 1, thickness)
        inside = np.zeros_like(m)
        inside[max(0, y0) : y1 + 1, max(0, x0) : x1 + 1] = 1
        m &= inside  # thick strokes stay on the face
    else:
        raise ValueError(f"unknown preset {name!r}; valid names: {list(PRESETS)}")
    return m.astype(bool)


_INPAINTERS: dict[str, Callable[..., Inpainter]] = {
    "telea": lambda **kw: OpenCVInpainter("telea", cv2.INPAINT_TELEA),  # fast marching (Telea 2004)
    "navier-stokes": lambda **kw: OpenCVInpainter("navier-stokes", cv2.INPAINT_NS),  # Bertalmio et al. 2001
    "gan-inversion": lambda **kw: GanInversionInpainter(**kw),  # Yeh et al. 2017 with the face DCGAN
    "gated-unet": lambda **kw: LearnedInpainter(**kw),  # ours, trained by genai.train_inpaint
}
# The inpainters that find faces first (they take ``finder=``, so a page can share one MTCNN).
FACE_INPAINTERS = ("gan-inversion", "gated-unet")


def list_inpainters() -> list[str]:
    """Names accepted by :func:`create_inpainter`."""
    return list(_INPAINTERS)


def create_inpainter(name: str = "telea", **kwargs) -> Inpainter:
    """An inpainter by name, with ``run(image, mask, progress=None) -> InpaintResult``.

    ``kwargs`` go to the face inpainters' constructors (``finder=``, ``device=``, ``config=``);
    the classical ones take none.

    Raises:
        ValueError: unknown name (the message lists the valid ones).
    """
    try:
        factory = _INPAINTERS[name]
    except KeyError:
        raise ValueError(f"unknown inpainter {name!r}; valid names: {list_inpainters()}") from None
    return factory(**kwargs)
