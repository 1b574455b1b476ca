"""An invisible watermark in the pixels that survives JPEG, resizing and cropping.

Scheme (tiled spread spectrum, in luminance):

* The image is divided into cells of ``c = short_side / n`` pixels, ``n`` one of ``GRIDS``, so the
  pattern scales with the image: after a resize, the cells are still the same fraction of it.
* A tile of ``P x P`` cells repeats over the whole image. Each of the tile's cells belongs to one
  payload bit and carries that bit's sign times a fixed pseudo-random chip (+-1). The cell pattern
  is softened (Gaussian) and added to luminance at an amplitude giving PSNR >= 38 dB.
* Payload: 32 bits + an 8-bit CRC, so a random match is rejected, protected by a rate-1/2
  convolutional code (constraint length 7, generators 171/133 octal) decoded with soft-decision
  Viterbi: each cell's correlation counts in proportion to its strength.

Detection never needs the original: the luminance residual (image minus a blurred copy) is
averaged over cells and folded modulo the tile, which adds up every tile's copy and makes a crop
a mere cyclic shift. For a range of cell sizes (a crop changes the short side) and sub-cell
phases, circular correlations (FFT) with each bit's chip pattern give every shift's soft bits;
the alignment with the most energy wins, and its soft bits are the payload. A find needs the CRC
and a close agreement between the soft bits and the decoded codeword (MIN_AGREEMENT), so that
chance CRC matches on unmarked images are not reported.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

P = 16  # tile side, in cells
# Cells across the short side: 48 x 2**k, k chosen so cells are about 4-8 px. Natural images
# have less power at small scales, so small cells see less interference; the detector tries every k.
GRIDS = (48, 96, 192)
TARGET_CELL = 3.5  # px: the smallest cell size an embedding uses
PAYLOAD_BITS = 32
CRC_BITS = 8
KEY = 20251124  # seeds the chip pattern; a different key gives an independent watermark
# Base amplitude of the luminance pattern before softening and masking (levels of 255).
STRENGTH = 3.0
COMPENSATION = 0.6  # share of opposing host content each cell cancels (1 = all)
TARGET_PSNR = 38.6  # the pattern is scaled down if it would bring PSNR below this (issue: >= 38)
MIN_FALLBACK_CELL = 2.5  # px: the smallest cell the embed-and-verify fallback may use
MIN_SIDE = 64  # smaller images cannot hold a tile of cells big enough to survive JPEG
# Finer cells are not searched. Cells of 2.5-3.5 px (dense texture's fallback grid) are 1.25-1.75 px
# after halving and still readable there.
MIN_DETECT_CELL = 1.15
# The search reads a larger picture's luminance shrunk (area-averaged) to this short side: the cells
# scale with the picture, so its finest grid still has 8 px cells, and a 48-megapixel photo is read
# in about two seconds instead of a minute of full-size blurs.
DETECT_SIDE = 1536
# A find needs all three: the best alignment stands out (z), the soft bits agree with the decoded
# codeword (a weighted share; Viterbi's best path through noise agrees about 0.78 on average), and
# the CRC matches. The CRC alone lets about 1 unmarked image in 256 through, z > 4 holds for most
# unmarked images, so the agreement carries the weight: 0.86 is above every unmarked image of the
# calibration set (448 faces, DCGAN faces and photos at several sizes; max 0.852) and below 199
# of the 200 marked-and-attacked reads there (min 0.847, 1st percentile 0.889). A false find
# would tell a user that a real photo was made here, so a rare missed mark is the cheaper error.
MIN_Z = 4.0
MIN_AGREEMENT = 0.86
# What an embedding must reach to count as safe, as it is and after reference_attacks: room above
# MIN_AGREEMENT and MIN_Z for the attacks the embedder does not check (bench/watermark.py --exports).
SAFE_Z = 5.0
SAFE_AGREEMENT = 0.92
# Tile origins (in cells) tried in turn by the embed-and-verify loop: (0, 0) first, then the other
# half- and quarter-tile shifts.
TILE_ORIGINS = ((0, 0), (8, 8), (0, 8), (8, 0), (4, 4), (12, 12), (4, 12), (12, 4))


@dataclass(frozen=True)
class WatermarkResult:
    found: bool  # CRC matched at a confident alignment
    payload: int | None  # the 32-bit payload when found
    bits: np.ndarray  # the 40 decoded bits (payload + CRC), even when not found
    confidence: float  # how far the best alignment stands above the others (z-score)
    agreement: float = 0.0  # weighted share of the soft coded bits that agree with the decoded codeword


# --- convolutional code -------------------------------------------------------------------------

_K = 7
_GENERATORS = (0o171, 0o133)
_INFO_BITS = PAYLOAD_BITS + CRC_BITS
N_CODED = 2 * (_INFO_BITS + _K - 1)  # 92 coded bits, the encoder flushed back to state 0


def _parity(x: int) -> int:
    return bin(x).count("1") & 1


def conv_encode(bits: np.ndarray) -> np.ndarray:
    """Rate-1/2 convolutional code, flushed with K-1 zeros: 0/1 uint8 (2 * (n + 6),)."""
    state, out = 0, []
    for b in list(bits) + [0] * (_K - 1):
        state = ((state << 1) | int(b)) & ((1 << _K) - 1)
        out += [_parity(state & g) for g in _GENERATORS]
    return np.array(out, np.uint8)


def _trellis():
    n_states = 1 << (_K - 1)
    # For each next state and each of its two predecessors: the predecessor and the two outputs.
    prev = np.zeros((n_states, 2), int)
    outs = np.zeros((n_states, 2, 2), np.float64)
    for s_next in range(n_states):
        bit = s_next & 1
        for j, high in enumerate((0, 1)):
            s_prev = (s_next >> 1) | (high << (_K - 2))
            reg = (s_prev << 1) | bit
            prev[s_next, j] = s_prev
            outs[s_next, j] = [2.0 * _parity(reg & g) - 1.0 for g in _GENERATORS]
    return prev, outs


_PREV, _OUTS = _trellis()


def viterbi(soft: np.ndarray) -> np.ndarray:
    """Most likely information bits (n,) from soft coded values (2 * (n + 6),): > 0 means 1."""
    steps = len(soft) // 2
    n_states = 1 << (_K - 1)
    metric = np.full(n_states, -np.inf)
    metric[0] = 0.0
    choice = np.zeros((steps, n_states), np.int8)
    for t in range(steps):
        branch = metric[_PREV] + _OUTS @ soft[2 * t : 2 * t + 2]  # (states, 2)
        choice[t] = np.argmax(branch, axis=1)
        metric = branch[np.arange(n_states), choice[t]]
    state, bits = 0, []  # flushed: the path ends in state 0
    for t in range(steps - 1, -1, -1):
        bits.append(state & 1)
        state = _PREV[state, choice[t, state]]
    return np.array(bits[::-1][: steps - (_K - 1)], np.uint8)


def _layout() -> tuple[np.ndarray, np.ndarray]:
    """Which coded bit each tile cell carries (P, P) ints, and its chip sign (P, P) +-1."""
    rng = np.random.RandomState(KEY)
    n_bits = N_CODED
    owner = np.resize(np.arange(n_bits), P * P)  # 256 cells: 2 or 3 cells per coded bit
    owner = owner[rng.permutation(P * P)].reshape(P, P)
    chips = rng.choice([-1.0, 1.0], size=(P, P))
    return owner, chips


OWNER, CHIPS = _layout()


def _crc8(payload: int) -> int:
    return zlib.crc32(payload.to_bytes(4, "big")) & 0xFF


def payload_bits(payload: int) -> np.ndarray:
    """The 40 information bits: 32 payload bits, then the CRC-8 (0/1 uint8)."""
    word = (int(payload) & 0xFFFFFFFF) << CRC_BITS | _crc8(int(payload) & 0xFFFFFFFF)
    return np.array([(word >> (PAYLOAD_BITS + CRC_BITS - 1 - i)) & 1 for i in range(PAYLOAD_BITS + CRC_BITS)],
                    np.uint8)


def unpack(bits: np.ndarray) -> tuple[int, bool]:
    """The 32-bit payload in 40 decoded information bits, and whether their CRC-8 matches it."""
    word = int("".join(map(str, bits)), 2)
    payload = word >> CRC_BITS
    return payload, _crc8(payload) == word & 0xFF


def payload_from_id(produce_id: str) -> int:
    """A 32-bit payload for a ProduceID (the registry maps it back)."""
    return zlib.crc32(produce_id.encode()) & 0xFFFFFFFF


def _luma(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


def _residual(y: np.ndarray, cell: float) -> np.ndarray:
    """Luminance minus its blur at the cell scale: removes the image's smooth content."""
    return y - cv2.GaussianBlur(y, (0, 0), max(1.0, cell * 1.2))


def grid_for(short_side: int) -> int:
    """Cells across the short side for an image being watermarked."""
    fitting = [n for n in GRIDS if short_side / n >= TARGET_CELL]
    return max(fitting) if fitting else GRIDS[0]


def embed(image: np.ndarray, payload: int, verify: bool = True) -> np.ndarray:
    """Watermark RGB uint8 (H, W, 3) with a 32-bit ``payload``; returns RGB uint8 of the same shape.

    Informed embedding, cell by cell (after Malvar and Florencio's improved spread spectrum): the
    detector is linear in the image, so the host's own contribution to each cell is known here, and
    a cell whose content pushes against its chip gets just enough extra amplitude to overcome it.
    Done per cell rather than per bit, the compensation holds for whatever part of the image a crop
    leaves. The whole pattern is then scaled to stay within the PSNR budget.

    Then embed and verify, at the level of the whole image: the PSNR budget leaves a face with
    little texture near the detection threshold once it is halved and re-compressed. The tile's
    origin is free (the detector folds modulo the tile, so any cyclic shift reads the same payload)
    and each origin meets the host differently, so origins are tried in a fixed order until one
    reads back with a margin (SAFE_Z, SAFE_AGREEMENT) both as it is and after ``reference_attacks``; dense
    texture can also move to a finer grid. Without a safe candidate, the one with the best margin
    among those that read as they are is kept (the export itself must carry its mark). Deterministic: same image and payload, same pixels. ``verify=False`` keeps the first
    candidate unread (the frames of an animation, each a fraction of a second otherwise).

    Raises:
        ValueError: image smaller than MIN_SIDE on its short side.
    """
    h, w = image.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ValueError(f"image too small to watermark: {w}x{h}, need {MIN_SIDE} px on the short side")
    n = grid_for(min(h, w))
    # Finer cells see less interference from dense fine texture (natural images have less power at
    # small scales); they are kept for when the usual grid cannot carry the mark.
    finer = [g for g in GRIDS if g > n and min(h, w) / g >= MIN_FALLBACK_CELL][:1]
    # Most images are safe at the first candidate; a detailed image too small to survive halving is
    # safe at none, so the search is bounded: 10 candidates, each read three times.
    candidates = [(n, origin) for origin in TILE_ORIGINS] + [(g, origin) for g in finer for origin in TILE_ORIGINS[:2]]
    if not verify:
        return _embed(image, payload, *candidates[0])
    best = (False, -np.inf, None)
    for grid, origin in candidates:
        marked = _embed(image, payload, grid, origin)
        score, reads = _margin(marked, payload)
        if score >= 0:
            return marked
        # Without a safe one: a mark that reads as it is comes first, then the best margin.
        best = max(best, (reads, score, marked), key=lambda b: b[:2])
    return best[2]


def reference_attacks(image: np.ndarray) -> list[np.ndarray]:
    """What the embedder checks a mark against: half the size and JPEG quality 75, by the two
    usual toolchains (Pillow's antialiased bicubic and encoder; OpenCV's area filter and encoder).
    Images too small to halve are only re-compressed."""
    h, w = image.shape[:2]
    halve = min(h, w) >= 2 * MIN_SIDE
    pil = Image.fromarray(image)
    if halve:
        pil = pil.resize((w // 2, h // 2), Image.Resampling.BICUBIC)
    buf = io.BytesIO()
    pil.save(buf, format="JPEG", quality=75)
    small = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA) if halve else image
    _, encoded = cv2.imencode(".jpg", np.ascontiguousarray(small[..., ::-1]), [cv2.IMWRITE_JPEG_QUALITY, 75])
    return [np.asarray(Image.open(buf).convert("RGB")), cv2.imdecode(encoded, cv2.IMREAD_COLOR)[..., ::-1]]


def margin(marked: np.ndarray, payload: int) -> float:
    """How safely ``payload`` reads from ``marked`` as it is and after each of ``reference_attacks``.

    >= 0: every read finds it with z >= SAFE_Z and agreement >= SAFE_AGREEMENT. Below 0: the worst
    shortfall (agreement in its own units, z in units of 10), -1 lower when a read misses or
    decodes another payload.
    """
    return _margin(marked, payload)[0]


def _margin(marked: np.ndarray, payload: int) -> tuple[float, bool]:
    """:func:`margin`, and whether ``payload`` reads from ``marked`` as it is."""
    worst, as_is = np.inf, False
    for k, read in enumerate((marked, *reference_attacks(marked))):
        r = detect(read)
        score = min(r.agreement - SAFE_AGREEMENT, (r.confidence - SAFE_Z) / 10)
        found = r.found and r.payload == payload
        if not found:
            score = min(score, 0.0) - 1.0
        as_is = as_is or (k == 0 and found)
        worst = min(worst, score)
    return float(worst), as_is


def _embed(image: np.ndarray, payload: int, grid: int, offset: tuple[int, int] = (0, 0)) -> np.ndarray:
    h, w = image.shape[:2]
    cell = min(h, w) / grid
    rows, cols = int(h / cell), int(w / cell)
    ri, ci = (np.arange(rows) + offset[0]) % P, (np.arange(cols) + offset[1]) % P
    coded = conv_encode(payload_bits(payload))
    want = (2.0 * coded - 1.0)[OWNER[ri[:, None], ci[None, :]]] * CHIPS[ri[:, None], ci[None, :]]
    y = _luma(image)
    # Stronger in texture, gentler in flat areas, where a pattern would show.
    texture = np.sqrt(cv2.GaussianBlur((y - cv2.GaussianBlur(y, (0, 0), 2)) ** 2, (0, 0), 4))
    mask = np.clip(0.6 + texture / 12.0, 0.6, 1.6)

    def render(cell_values: np.ndarray) -> np.ndarray:
        yi = np.minimum((np.arange(h) / cell).astype(int), rows - 1)
        xi = np.minimum((np.arange(w) / cell).astype(int), cols - 1)
        return cv2.GaussianBlur(cell_values[yi[:, None], xi[None, :]].astype(np.float32), (0, 0), cell / 4) * mask

    host = _cell_grid(_integral(_residual(y, cell)), cell, (0.0, 0.0))[:rows, :cols]
    unit = _cell_grid(_integral(_residual(render(want), cell)), cell, (0.0, 0.0))[:rows, :cols]
    gain = float(np.median(unit * want))  # detector response of one unit of amplitude, per cell
    against = np.maximum(0.0, -want * host) / max(gain, 1e-6)
    amp = STRENGTH + np.minimum(COMPENSATION * against, 2 * STRENGTH)
    delta = render(want * amp)
    rms_budget = 255.0 / 10 ** (TARGET_PSNR / 20)
    rms = float(np.sqrt(np.mean(delta**2)))
    if rms > rms_budget:
        delta *= rms_budget / rms
    return np.clip(image.astype(np.float32) + delta[..., None], 0, 255).round().astype(np.uint8)


def _integral(residual: np.ndarray) -> np.ndarray:
    """Summed-area table of a residual (``cv2.integral``, float64): exact sums over any cell."""
    return cv2.integral(residual.astype(np.float64))


def _cell_grid(integral: np.ndarray, cell: float, phase: tuple[float, float]) -> np.ndarray:
    """Mean residual per cell for a cell size and sub-cell phase, from the residual's ``_integral``.

    Returns (rows, cols) float32; area sums for fractional cell sizes are exact, with no resampling blur.
    """
    h, w = integral.shape[0] - 1, integral.shape[1] - 1
    oy, ox = phase[0] * cell, phase[1] * cell
    rows, cols = int((h - oy) / cell), int((w - ox) / cell)
    if rows < 4 or cols < 4:
        return np.zeros((0, 0), np.float32)
    yb = np.round(oy + np.arange(rows + 1) * cell).astype(int)
    xb = np.round(ox + np.arange(cols + 1) * cell).astype(int)
    s = integral[yb[1:, None], xb[None, 1:]] - integral[yb[:-1, None], xb[None, 1:]] \
        - integral[yb[1:, None], xb[None, :-1]] + integral[yb[:-1, None], xb[None, :-1]]
    return s.astype(np.float32)


def _whiten(grid: np.ndarray) -> np.ndarray:
    """Cell residuals minus their neighbours' mean, divided by the local spread.

    The chips are independent from cell to cell, image content is not: subtracting the
    neighbours removes what content the pixel-level residual left, and dividing by the local
    spread stops busy regions (hair, foliage) from drowning the quiet ones.
    """
    k = np.ones((3, 3), np.float32) / 8
    k[1, 1] = 0
    g = grid - cv2.filter2D(grid, -1, k, borderType=cv2.BORDER_REFLECT)
    spread = np.sqrt(np.maximum(cv2.blur(g * g, (5, 5), borderType=cv2.BORDER_REFLECT), 0)) + 1e-3
    return g / spread


def _fold(grid: np.ndarray) -> np.ndarray:
    """Sum every cell into its place modulo the tile, partial tiles included: (P, P)."""
    grid = _whiten(grid)
    rows, cols = grid.shape
    pad = np.zeros((-(-rows // P) * P, -(-cols // P) * P), np.float32)
    pad[:rows, :cols] = grid
    return pad.reshape(pad.shape[0] // P, P, pad.shape[1] // P, P).sum(axis=(0, 2))


_BIT_MASKS = np.stack([(OWNER == k) * CHIPS for k in range(N_CODED)])  # (92, P, P)
_BIT_FFT = np.conj(np.fft.fft2(_BIT_MASKS))


def _soft_bits_all_shifts(folded: np.ndarray) -> np.ndarray:
    """Correlation of the folded tile with each coded bit's chips at every cyclic shift: (92, P, P)."""
    f = np.fft.fft2(folded - folded.mean())
    # corr[k, dy, dx] = sum_cells folded[i+dy, j+dx] * mask_k[i, j]
    return np.real(np.fft.ifft2(f[None] * _BIT_FFT))


def detect(image: np.ndarray, max_crop: float = 0.15) -> WatermarkResult:
    """Look for the watermark in RGB uint8 (H, W, 3), after any resize and a crop up to ``max_crop``."""
    h, w = image.shape[:2]
    none = WatermarkResult(False, None, np.zeros(PAYLOAD_BITS + CRC_BITS, np.uint8), 0.0)
    if min(h, w) < 32:
        return none
    y = _luma(image)
    if min(h, w) > DETECT_SIDE:
        scale = DETECT_SIDE / min(h, w)
        h, w = max(DETECT_SIDE, round(h * scale)), max(DETECT_SIDE, round(w * scale))
        y = cv2.resize(y, (w, h), interpolation=cv2.INTER_AREA)
    # A crop of up to max_crop shrinks the short side: the original cells were up to 1/(1-max_crop)
    # times larger than short/48. Steps of 1% keep the drift across one tile under a sixth of a cell.
    scales = np.arange(1.0, 1.0 / (1.0 - max_crop) + 0.01, 0.01)
    best = (-1.0, None)  # z-score of the strongest alignment, its soft bits
    for n in GRIDS:
        cells = [c for c in min(h, w) / n * scales if c >= MIN_DETECT_CELL]
        if not cells:
            continue
        # One high-pass per grid, at the middle of its cell range: the blur only removes smooth
        # content, and +-8% in its width changes the cell means far less than noise does, while
        # a blur per candidate cell size made detection ten times slower.
        integral = _integral(_residual(y, min(h, w) / n * float(np.sqrt(scales[0] * scales[-1]))))
        best = max([best] + [_best_alignment(integral, cell) for cell in cells], key=lambda b: b[0])
    z, soft = best
    if soft is None:
        return none
    bits = viterbi(soft / (np.abs(soft).mean() + 1e-9))
    payload, crc_ok = unpack(bits)
    agreement = float(soft @ (2.0 * conv_encode(bits) - 1.0) / (np.abs(soft).sum() + 1e-9))
    found = bool(z > MIN_Z and agreement >= MIN_AGREEMENT and crc_ok)
    return WatermarkResult(found, payload if found else None, bits, float(z), agreement)


def _best_alignment(integral: np.ndarray, cell: float) -> tuple[float, np.ndarray | None]:
    """(z-score, soft bits) of the strongest cyclic shift for one cell size over four sub-cell phases."""
    best = (-np.inf, None)
    for phase in ((0.0, 0.0), (0.0, 0.5), (0.5, 0.0), (0.5, 0.5)):
        grid = _cell_grid(integral, cell, phase)
        if grid.size == 0:
            continue
        corr = _soft_bits_all_shifts(_fold(grid))
        energy = np.abs(corr).sum(axis=0)  # (P, P): per shift
        idx = np.unravel_index(np.argmax(energy), energy.shape)
        others = np.delete(energy.ravel(), np.ravel_multi_index(idx, energy.shape))
        z = float((energy[idx] - others.mean()) / (others.std() + 1e-9))
        if z > best[0]:
            best = (z, corr[:, idx[0], idx[1]])
    return best


def bit_accuracy(result: WatermarkResult, payload: int) -> float:
    """Share of the 32 payload bits decoded correctly (found or not)."""
    return float((result.bits[:PAYLOAD_BITS] == payload_bits(payload)[:PAYLOAD_BITS]).mean())


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else float(10 * np.log10(255.0**2 / mse))
