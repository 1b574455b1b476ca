"""Finding faces (MTCNN) and cropping them the same way at training and at inference.

The crop reproduces the framing of the FFHQ-style training faces: on those 128 px images MTCNN's
box is about 93 px wide, centred 7 px below the image centre, so a square of 1.4x the box side,
shifted up by 8% of it, gives back (almost) the whole training image. A phone photo's face cropped
with the same rule looks to the detector like a training face at a different resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

CROP_SCALE = 1.4  # crop side / MTCNN box side
CROP_SHIFT = -0.08  # vertical offset of the crop centre, in box sides (negative = up)
MTCNN_WINDOW = 12  # MTCNN's first stage slides a 12 px window: a smaller image has no face to find


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # MTCNN box x0, y0, x1, y1 in the image's pixels
    score: float  # MTCNN confidence in [0, 1]
    crop: tuple[int, int, int, int]  # square crop x0, y0, x1, y1 fed to the detector
    # Eye centres (left, right in the image), nose tip, mouth corners (left, right): ((x, y), ...) in
    # the image's pixels, or None when the finder gave none.
    landmarks: tuple[tuple[float, float], ...] | None = None


def crop_rect(box: tuple[float, float, float, float], height: int, width: int) -> tuple[int, int, int, int]:
    """The square crop (x0, y0, x1, y1) for an MTCNN box, kept inside a height x width image."""
    x0, y0, x1, y1 = box
    side_box = max(x1 - x0, y1 - y0)
    side = min(round(CROP_SCALE * side_box), height, width)
    return square_inside((x0 + x1) / 2, (y0 + y1) / 2 + CROP_SHIFT * side_box, side, height, width)


def square_inside(cx: float, cy: float, side: int, height: int, width: int) -> tuple[int, int, int, int]:
    """The square (x0, y0, x1, y1) of ``side`` (at most the image's short side) centred on (cx, cy),
    shifted (never padded) to stay inside a height x width image: padding would add edges no
    training image has."""
    left = int(min(max(round(cx - side / 2), 0), width - side))
    top = int(min(max(round(cy - side / 2), 0), height - side))
    return left, top, left + side, top + side


def sides_of(rects) -> np.ndarray:
    """Side in pixels of each square crop rectangle (N, 4) (or of one rectangle, as a length-1 array)."""
    rects = np.asarray(rects).reshape(-1, 4)
    return rects[:, 2] - rects[:, 0]


def crop(image: np.ndarray, rect: tuple[int, int, int, int], size: int) -> np.ndarray:
    """Cut ``rect`` out of RGB uint8 (H, W, 3) and resize it to RGB uint8 (size, size, 3)."""
    x0, y0, x1, y1 = rect
    patch = Image.fromarray(image[y0:y1, x0:x1])
    if patch.size != (size, size):
        # Area-averaging when shrinking: keeps the high-frequency statistics closest to the
        # training crops, which were themselves area-downscaled from large originals.
        patch = patch.resize((size, size), Image.Resampling.BOX if patch.size[0] > size else Image.Resampling.BICUBIC)
    return np.asarray(patch)


class FaceFinder:
    """MTCNN (facenet-pytorch, weights inside its wheel) on a downscaled copy of the image.

    Args:
        device: torch device; CPU when None.
        max_side: the copy searched for faces is at most this many pixels on its longer side;
            boxes are mapped back to the original.
        min_face: smallest face searched for, in pixels of the original image.
        threshold: minimum MTCNN confidence to keep a face.
    """

    def __init__(self, device: str | torch.device | None = None, max_side: int = 640, min_face: int = 24,
                 threshold: float = 0.92):
        from facenet_pytorch import MTCNN

        self.max_side = max_side
        self.min_face = min_face
        self.threshold = threshold
        self._mtcnn = MTCNN(keep_all=True, device=torch.device(device or "cpu"), min_face_size=12)

    def find(self, image: np.ndarray) -> list[Face]:
        """Faces in RGB uint8 (H, W, 3), largest first."""
        h, w = image.shape[:2]
        scale = min(1.0, self.max_side / max(h, w))
        small = Image.fromarray(image)
        if scale < 1.0:
            small = small.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BILINEAR)
        if min(small.size) < MTCNN_WINDOW:  # facenet-pytorch would fail on an empty image pyramid
            return []
        with torch.inference_mode():
            boxes, probs, points = self._mtcnn.detect(small, landmarks=True)
        if boxes is None:
            return []
        faces = []
        for box, prob, pts in zip(boxes, probs, points):
            x0, y0, x1, y1 = (float(v) / scale for v in box)
            x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(float(w), x1), min(float(h), y1)
            if prob < self.threshold or min(x1 - x0, y1 - y0) < self.min_face:
                continue
            marks = tuple((float(px) / scale, float(py) / scale) for px, py in np.asarray(pts, np.float64))
            faces.append(Face((round(x0), round(y0), round(x1), round(y1)), float(prob),
                              crop_rect((x0, y0, x1, y1), h, w), marks))
        return sorted(faces, key=lambda f: -(f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))
