"""Face swap: one person's face on another person's head, the lecture's opening demo (换脸).

The classical pipeline, every step visible:

1. **Landmarks.** MTCNN finds the faces (``core.faces``); dlib's 68-point shape predictor (the
   ``dlib-bin`` wheel, model file from ``face-recognition-models``; trained on iBUG 300-W, which is
   licensed for non-commercial use only) marks the jaw, brows, eyes, nose and mouth. A face too small
   for 68 points keeps MTCNN's five (eyes, nose tip, mouth corners).
2. **Warp.** The target's landmarks are triangulated (Delaunay, ``cv2.Subdiv2D``); each source
   triangle is mapped onto its target triangle by its own affine transform, all at once with one
   ``cv2.remap``. With five points, one similarity transform moves the whole face.
3. **Mask.** The hull of the target's landmarks (brows to chin; optionally up to the hairline),
   feathered at the edge.
4. **Colour.** The warped face takes the target's skin tone: mean and spread of each LAB channel
   inside the mask (Reinhard et al., 2001).
5. **Blend.** Poisson blending (``cv2.seamlessClone``, normal or mixed gradients; Pérez et al.,
   2003) or plain feathered alpha.

Only pixels inside the returned mask can differ from the target. Images are RGB uint8 (H, W, 3).
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np

from core.faces import FaceFinder

BLENDS = ("poisson", "mixed", "alpha")
LANDMARK_MIN_FACE = 40  # px: a face narrower than this gets MTCNN's five points, not dlib's 68
EXTREME_YAW = 0.5  # |yaw| above this (0 = frontal, 1 = profile) looks wrong after a swap
SIZE_RATIO_WARN = 4.0  # source and target faces this many times apart in width: the face is resampled hard
SEARCH_SIDE = 512  # faces are searched on a copy at most this long (MTCNN finds 12 px faces: 24 px at 1024)
# Normal Poisson cloning is the source plus a smooth membrane (the harmonic function that meets the
# target - source difference on the mask's edge). The membrane is solved on a copy of the window at
# most this long and enlarged: the same result up to the edge's finest detail, a fraction of the work.
MEMBRANE_SIDE = 192

# MTCNN boxes include the forehead; dlib's predictor was trained on boxes from its own HOG detector,
# which run from the brows to the chin. Measured on FFHQ faces: this mapping brings MTCNN's box onto
# the box dlib's detector gives (see ``dlib_rect``).
_DLIB_BOX = (-0.03, 0.15, 1.03, 0.97)  # x0, y0, x1, y1 as fractions of the MTCNN box (60 FFHQ train faces, medians)


class SwapError(ValueError):
    """A swap that cannot be made. ``reason``: no_source_face, no_target_face, bad_source_face,
    bad_target_face."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SwapOptions:
    blend: str = "poisson"  # one of BLENDS
    colour: bool = True  # match the target's skin tone (LAB statistics) before blending
    forehead: bool = True  # the mask reaches above the brows towards the hairline (off: brows to chin)
    feather: float = 0.06  # width of the mask's soft edge, as a share of the face's width

    def __post_init__(self):
        if self.blend not in BLENDS:
            raise ValueError(f"unknown blend {self.blend!r}; one of {', '.join(BLENDS)}")
        if not 0 <= self.feather <= 0.3:
            raise ValueError(f"feather must be in [0, 0.3], not {self.feather}")


@dataclass(frozen=True)
class FaceMarks:
    box: tuple[int, int, int, int]  # MTCNN box x0, y0, x1, y1
    points: np.ndarray  # (68, 2) dlib landmarks, or (5, 2) MTCNN's: eyes, nose tip, mouth corners
    yaw: float  # rough left-right turn from the landmarks: 0 frontal, about +-1 in profile

    @property
    def dense(self) -> bool:
        return len(self.points) == 68

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    def five(self) -> np.ndarray:
        """The five MTCNN-style points (eye centres, nose tip, mouth corners), (5, 2)."""
        if not self.dense:
            return self.points
        p = self.points
        return np.stack([p[36:42].mean(0), p[42:48].mean(0), p[30], p[48], p[54]])


@dataclass
class SwapResult:
    image: np.ndarray  # RGB uint8, the target's size
    mask: np.ndarray  # bool (H, W): the only pixels that can differ from the target
    source: FaceMarks
    targets: list[FaceMarks]  # every face found in the target, largest first
    swapped: list[int]  # indices into ``targets`` that received the source face
    notes: list[str] = field(default_factory=list)  # five_points, small_face, extreme_pose, size_mismatch
    seconds: dict[str, float] = field(default_factory=dict)  # landmarks, warp, blend


def _models_dir() -> Path:
    # face_recognition_models' __init__ imports pkg_resources (setuptools), which a plain venv lacks:
    # locate its files without importing it.
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("face-recognition-models is not installed (pip install face-recognition-models==0.3.0)")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def dlib_rect(box) -> tuple[int, int, int, int]:
    """The box dlib's shape predictor expects for a face whose MTCNN box is ``box``."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    a, b, c, d = _DLIB_BOX
    return round(x0 + a * w), round(y0 + b * h), round(x0 + c * w), round(y0 + d * h)


def _yaw(points: np.ndarray) -> float:
    if len(points) == 68:  # nose tip between the jaw's two ends
        left, right, nose = points[0, 0], points[16, 0], points[30, 0]
    else:  # nose tip between the eyes
        left, right, nose = points[0, 0], points[1, 0], points[2, 0]
    span = right - left
    return float(np.clip(2 * (nose - left) / span - 1, -1, 1)) if span > 1 else 1.0


class Landmarker:
    """Faces with landmarks, and dlib's 128-d face descriptor. Models load once, on first use."""

    def __init__(self, finder: FaceFinder | None = None):
        self._finder = finder

    @cached_property
    def finder(self) -> FaceFinder:
        return self._finder or FaceFinder(max_side=SEARCH_SIDE)

    @cached_property
    def _predictor(self):
        import dlib

        return dlib.shape_predictor(str(_models_dir() / "shape_predictor_68_face_landmarks.dat"))

    @cached_property
    def _encoder(self):
        import dlib

        return dlib.face_recognition_model_v1(str(_models_dir() / "dlib_face_recognition_resnet_model_v1.dat"))

    def _shape(self, image: np.ndarray, box):
        """dlib's landmarks for the face in ``box``, read from a window around it (dlib copies the
        whole array it is given: a window keeps a large photo cheap)."""
        import dlib

        x0, y0, x1, y1 = dlib_rect(box)
        m = (x1 - x0) // 2
        wx, wy = max(0, x0 - m), max(0, y0 - m)
        window = np.ascontiguousarray(image[wy : y1 + m, wx : x1 + m])
        shape = self._predictor(window, dlib.rectangle(x0 - wx, y0 - wy, x1 - wx, y1 - wy))
        return shape, (wx, wy), window

    def _points(self, image: np.ndarray, box) -> np.ndarray:
        shape, (wx, wy), _ = self._shape(image, box)
        return np.array([(p.x + wx, p.y + wy) for p in shape.parts()], np.float32)

    def find(self, image: np.ndarray) -> list[FaceMarks]:
        """Every face in RGB uint8 ``image``, largest first, with 68 points where the face is large enough."""
        out = []
        for face in self.finder.find(image):
            if face.box[2] - face.box[0] >= LANDMARK_MIN_FACE:
                points = self._points(image, face.box)
            else:
                points = np.array(face.landmarks, np.float32)
            out.append(FaceMarks(face.box, points, _yaw(points)))
        return out

    def descriptor(self, image: np.ndarray, box) -> np.ndarray:
        """dlib's 128-d face descriptor of the face in ``box`` (an MTCNN box). Same person: distance < 0.6."""
        shape, _, window = self._shape(image, box)
        return np.asarray(self._encoder.compute_face_descriptor(window, shape), np.float32)


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Grey (H, W), grey-alpha, RGB or RGBA uint8 -> RGB uint8 (H, W, 3)."""
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"images must be uint8, not {image.dtype}")
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=2)
    if image.ndim == 3 and image.shape[2] in (1, 2):
        return np.repeat(image[..., :1], 3, axis=2)
    if image.ndim == 3 and image.shape[2] in (3, 4):
        return np.ascontiguousarray(image[..., :3])
    raise ValueError(f"expected an (H, W), (H, W, 3) or (H, W, 4) image, not {image.shape}")


def _with_forehead(points: np.ndarray) -> np.ndarray:
    """68 points plus ten above the brows: each brow point moved up by 0.6 of its distance to the nose tip."""
    brows = points[17:27]
    return np.concatenate([points, brows + 0.6 * (brows - points[30])])


def delaunay(points: np.ndarray, height: int, width: int) -> np.ndarray:
    """Delaunay triangles of ``points`` as index triples (T, 3)."""
    pts = np.clip(points, 0, [width - 1, height - 1]).astype(np.float32)
    subdiv = cv2.Subdiv2D((0, 0, width, height))
    for x, y in pts:
        subdiv.insert((float(x), float(y)))
    tris = subdiv.getTriangleList().reshape(-1, 3, 2)
    # Map each vertex back to its point (duplicates collapse onto the first of them).
    d = np.linalg.norm(tris[:, :, None, :] - pts[None, None], axis=-1)
    idx = d.argmin(-1)
    ok = (d.min(-1) < 1.0).all(1) & (idx[:, 0] != idx[:, 1]) & (idx[:, 1] != idx[:, 2]) & (idx[:, 0] != idx[:, 2])
    return idx[ok]


def hull_mask(points: np.ndarray, height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(points.round().astype(np.int32)), 255)
    return mask


def _warp_triangles(source: np.ndarray, src_pts: np.ndarray, dst_pts: np.ndarray, tris: np.ndarray,
                    height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The source warped triangle by triangle onto the target's geometry, and where it landed (uint8 mask).
    One affine transform per triangle, applied through a single remap over the hull's bounding box."""
    x0, y0, w, h = cv2.boundingRect(np.clip(dst_pts, 0, [width - 1, height - 1]).round().astype(np.int32))
    label = np.full((h, w), -1, np.int32)
    for k, tri in enumerate(tris):
        cv2.fillConvexPoly(label, (dst_pts[tri] - (x0, y0)).round().astype(np.int32), k)
    affine = np.stack([cv2.getAffineTransform(dst_pts[t].astype(np.float32), src_pts[t].astype(np.float32))
                       for t in tris]).astype(np.float32).reshape(-1, 6)  # target pixel -> source pixel
    inside = label >= 0
    k = np.where(inside, label, 0)
    xs = np.arange(x0, x0 + w, dtype=np.float32)[None, :]
    ys = np.arange(y0, y0 + h, dtype=np.float32)[:, None]
    c = [affine[:, i][k] for i in range(6)]  # each coefficient per pixel, (h, w) float32
    map_x = c[0] * xs + c[1] * ys + c[2]
    map_y = c[3] * xs + c[4] * ys + c[5]
    warped = np.zeros((height, width, 3), np.uint8)
    warped[y0 : y0 + h, x0 : x0 + w] = cv2.remap(source, map_x, map_y, cv2.INTER_LINEAR,
                                                 borderMode=cv2.BORDER_REFLECT)
    landed = np.zeros((height, width), np.uint8)
    landed[y0 : y0 + h, x0 : x0 + w] = inside.astype(np.uint8) * 255
    return warped, landed


def _warp_similarity(source: np.ndarray, src_pts: np.ndarray, dst_pts: np.ndarray, height: int, width: int):
    m, _ = cv2.estimateAffinePartial2D(src_pts.astype(np.float32), dst_pts.astype(np.float32), method=cv2.LMEDS)
    if m is None:  # degenerate points: a plain fit of scale and shift
        m, _ = cv2.estimateAffinePartial2D(src_pts.astype(np.float32), dst_pts.astype(np.float32))
    return cv2.warpAffine(source, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def _five_point_mask(face: FaceMarks, height: int, width: int) -> np.ndarray:
    """An ellipse over the face from its five points: eyes to just below the mouth."""
    p = face.five()
    centre = p.mean(0)
    eye_span = np.linalg.norm(p[1] - p[0])
    mouth_drop = np.linalg.norm((p[3] + p[4]) / 2 - (p[0] + p[1]) / 2)
    angle = np.degrees(np.arctan2(p[1, 1] - p[0, 1], p[1, 0] - p[0, 0]))
    mask = np.zeros((height, width), np.uint8)
    axes = (max(1, round(1.0 * eye_span)), max(1, round(1.25 * mouth_drop)))
    cv2.ellipse(mask, (round(centre[0]), round(centre[1] + 0.15 * mouth_drop)), axes, angle, 0, 360, 255, -1)
    return mask


def transfer_colour(face: np.ndarray, target: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``face`` with the mean and spread of ``target``'s LAB channels inside ``mask`` (Reinhard et al., 2001).
    Only the mask's bounding box is recoloured (nothing outside it is blended)."""
    sel = mask > 0
    if sel.sum() < 16:
        return face
    x, y, w, h = cv2.boundingRect(sel.astype(np.uint8))
    box = (slice(y, y + h), slice(x, x + w))
    a = cv2.cvtColor(face[box], cv2.COLOR_RGB2LAB)
    b = cv2.cvtColor(target[box], cv2.COLOR_RGB2LAB)
    inside = sel[box].astype(np.uint8)
    (ma, sa), (mb, sb) = [[v.ravel() for v in cv2.meanStdDev(lab, mask=inside)] for lab in (a, b)]
    gain = np.clip((sb + 1e-3) / (sa + 1e-3), 0.5, 2.0)
    matrix = np.concatenate([np.diag(gain), (mb - ma * gain)[:, None]], axis=1)  # per channel: (v - ma) * gain + mb
    out = face.copy()
    out[box] = cv2.cvtColor(cv2.transform(a, matrix), cv2.COLOR_LAB2RGB)  # uint8: rounded and saturated
    return out


def odd_size(n: float) -> int:
    return max(1, int(round(n)) // 2 * 2 + 1)


def _blend(warped: np.ndarray, target: np.ndarray, mask: np.ndarray, face_width: int,
           options: SwapOptions) -> tuple[np.ndarray, np.ndarray]:
    """The blended image and the mask of pixels that may have changed (bool)."""
    height, width = mask.shape
    feather = max(1, round(options.feather * face_width))
    core = cv2.erode(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (odd_size(feather), odd_size(feather))))
    if core.max() == 0:
        core = mask
    if options.blend == "alpha":
        alpha = cv2.GaussianBlur(core.astype(np.float32) / 255, (odd_size(2 * feather), odd_size(2 * feather)), 0)
        alpha = (alpha * (mask > 0))[..., None]
        out = (alpha * warped + (1 - alpha) * target).round().astype(np.uint8)
        changed = mask > 0
        out[~changed] = target[~changed]
        return out, changed
    # Poisson: solved in a padded window around the mask, so the mask never touches a border
    # (seamlessClone refuses that) and the solver's work is the face's size, not the photo's.
    x, y, w, h = cv2.boundingRect(core)
    pad = 2 + feather
    X0, Y0, X1, Y1 = max(0, x - pad), max(0, y - pad), min(width, x + w + pad), min(height, y + h + pad)
    b = 4  # reflected border around the window
    dst = cv2.copyMakeBorder(target[Y0:Y1, X0:X1], b, b, b, b, cv2.BORDER_REFLECT)
    src = cv2.copyMakeBorder(warped[Y0:Y1, X0:X1], b, b, b, b, cv2.BORDER_REFLECT)
    m = cv2.copyMakeBorder(core[Y0:Y1, X0:X1], b, b, b, b, cv2.BORDER_CONSTANT, value=0)
    mx, my, mw, mh = cv2.boundingRect(m)
    if options.blend == "poisson":
        cloned = _membrane_clone(src, dst, m, feather)[b:-b, b:-b]
    else:
        cloned = cv2.seamlessClone(src, dst, m, (mx + mw // 2, my + mh // 2), cv2.MIXED_CLONE)[b:-b, b:-b]
    out = target.copy()
    changed = np.zeros((height, width), bool)
    changed[Y0:Y1, X0:X1] = core[Y0:Y1, X0:X1] > 0
    out[changed] = cloned[changed[Y0:Y1, X0:X1]]
    return out, changed


def _membrane_clone(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, feather: int) -> np.ndarray:
    """Normal Poisson cloning of ``src`` into ``dst`` inside ``mask`` (uint8, off the border), with the
    membrane solved at most MEMBRANE_SIDE px long (Farbman et al. 2009 show the membrane is smooth).
    A ramp ``feather`` / 2 px wide inside the mask's edge hands over to ``dst``, so the detail of
    the edge the small solve cannot see leaves no seam."""
    h, w = mask.shape
    scale = min(1.0, MEMBRANE_SIDE / max(h, w))
    if scale == 1.0:
        x, y, mw, mh = cv2.boundingRect(mask)
        return cv2.seamlessClone(src, dst, mask, (x + mw // 2, y + mh // 2), cv2.NORMAL_CLONE)
    size = (max(8, round(w * scale)), max(8, round(h * scale)))
    small = [cv2.resize(a, size, interpolation=cv2.INTER_AREA) for a in (src, dst)]
    m = (cv2.resize(mask, size, interpolation=cv2.INTER_AREA) > 127).astype(np.uint8) * 255
    m[:2], m[-2:], m[:, :2], m[:, -2:] = 0, 0, 0, 0  # seamlessClone needs the mask off the border
    if m.max() == 0:
        return dst.copy()
    x, y, mw, mh = cv2.boundingRect(m)
    cloned = cv2.seamlessClone(small[0], small[1], m, (x + mw // 2, y + mh // 2), cv2.NORMAL_CLONE)
    membrane = cv2.resize(cloned.astype(np.float32) - small[0].astype(np.float32), (w, h),
                          interpolation=cv2.INTER_LINEAR)
    ramp = max(1, feather // 2)
    inside = cv2.distanceTransform((mask > 0).astype(np.uint8), cv2.DIST_L2, 3)
    alpha = np.clip(inside / ramp, 0, 1)[..., None]
    out = alpha * (src.astype(np.float32) + membrane) + (1 - alpha) * dst.astype(np.float32)
    return np.clip(out, 0, 255).round().astype(np.uint8)


def _pick(targets: list[FaceMarks], target_face) -> list[int]:
    if target_face is None:
        return [0]
    if target_face == "all":
        return list(range(len(targets)))
    k = int(target_face)
    if not 0 <= k < len(targets):
        raise SwapError(f"the target has {len(targets)} face(s), numbered 0 to {len(targets) - 1}; "
                        f"there is no face {k}", "bad_target_face")
    return [k]


def swap(source_rgb: np.ndarray, target_rgb: np.ndarray, target_face: int | str | None = None,
         options: SwapOptions = SwapOptions(), landmarker: Landmarker | None = None,
         source_face: int = 0, source_faces: list[FaceMarks] | None = None,
         target_faces: list[FaceMarks] | None = None) -> SwapResult:
    """Put the source's face (its ``source_face``-th largest) on the target's ``target_face`` (its index
    among the target's faces, largest first; None for the largest; "all" for every face).

    ``source_faces`` / ``target_faces``: the images' faces from ``Landmarker.find`` when already
    known (a page that shows them first), so they are not searched for again.
    Raises SwapError when the source or the target has no face, or ``target_face`` names none.
    """
    landmarker = landmarker or Landmarker()
    source, target = as_rgb(source_rgb), as_rgb(target_rgb)
    height, width = target.shape[:2]
    t0 = time.perf_counter()
    sources = landmarker.find(source) if source_faces is None else source_faces
    if not sources:
        raise SwapError("no face found in the source image", "no_source_face")
    if not 0 <= source_face < len(sources):
        raise SwapError(f"the source has {len(sources)} face(s); there is no face {source_face}", "bad_source_face")
    src = sources[source_face]
    targets = landmarker.find(target) if target_faces is None else target_faces
    if not targets:
        raise SwapError("no face found in the target image", "no_target_face")
    chosen = _pick(targets, target_face)
    seconds = {"landmarks": time.perf_counter() - t0, "warp": 0.0, "blend": 0.0}
    notes: list[str] = []

    def note(n: str) -> None:
        if n not in notes:
            notes.append(n)

    out = target.copy()
    changed = np.zeros((height, width), bool)
    for k in chosen:
        dst = targets[k]
        t1 = time.perf_counter()
        if src.dense and dst.dense:
            sp, dp = (_with_forehead(src.points), _with_forehead(dst.points)) if options.forehead else (
                src.points, dst.points)
            warped, landed = _warp_triangles(source, sp, dp, delaunay(dp, height, width), height, width)
            mask = hull_mask(dp, height, width) & landed
        else:
            note("five_points")
            if min(src.width, dst.width) < LANDMARK_MIN_FACE:
                note("small_face")
            warped = _warp_similarity(source, src.five(), dst.five(), height, width)
            mask = _five_point_mask(dst, height, width)
        if max(abs(src.yaw), abs(dst.yaw)) > EXTREME_YAW:
            note("extreme_pose")
        if max(src.width, dst.width) > SIZE_RATIO_WARN * max(1, min(src.width, dst.width)):
            note("size_mismatch")
        if options.colour:
            warped = transfer_colour(warped, out, mask)
        t2 = time.perf_counter()
        out, done = _blend(warped, out, mask, dst.width, options)
        changed |= done
        seconds["warp"] += t2 - t1
        seconds["blend"] += time.perf_counter() - t2
    return SwapResult(out, changed, src, targets, chosen, notes, seconds)
