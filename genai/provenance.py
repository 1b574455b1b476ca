"""Labelling of everything Deepfake Lab exports, and reading the labels of what it is shown.

China's Measures for Labelling AI-Generated Synthetic Content and the mandatory standard
GB 45438-2025 require generated images to carry an explicit (visible) label and an implicit one in
the file's metadata. Every image that leaves the app or its CLIs goes through :func:`export_image`
or :func:`export_gif`: the one place where labels are applied.

Implicit label (GB 45438 Annex E): an XMP packet with namespace ``http://www.tc260.org.cn/ns/AIGC/1.0/``
(prefix ``TC260``) whose property ``TC260:AIGC`` holds compact JSON with the fields in
``TC260_FIELDS``. ``ReservedCode1`` carries ``pixel_digest`` of the decoded image, so a reader can
tell whether the pixels changed after labelling.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import sqlite3
import uuid
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from core.imaging import encode_gif, upscale
from genai import watermark
from genai.registry import Registry
from genai.xmp import read_xmp, write_xmp

LABEL_TEXT = "AI生成 / AI-generated"
# GB 45438 5.2 only needs "AI" plus "生成"/"合成": the short form is used where the long one would
# not fit at the required height.
LABEL_TEXT_SHORT = "AI生成"
# GB 45438 5.2: text height at least 5% of the image's shortest side. We aim a little higher so
# rounding in the font's rasteriser never lands below it, and never below a readable 10 px.
MIN_LABEL_FRACTION = 0.05
_TARGET_FRACTION = 0.06
_MIN_TEXT_PX = 10

PRODUCER = "Deepfake Lab"
# Printable ASCII without spaces, as Annex E asks of every field.
PRODUCER_CODE = "DeepfakeLab"

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
TC260_FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
                "ReservedCode2")
# Annex E's values of Label.
TC260_LABELS = {"1": "generated", "2": "possibly_generated", "3": "suspected_generated"}


@dataclass(frozen=True)
class ExportInfo:
    """Who made an exported image and how; travels into the file's metadata."""

    model: str  # generator or method name, e.g. "dcgan-digiface"
    seed: int | None = None  # latent seed, when the image came from one
    producer: str = PRODUCER  # the application that made it


# Exports of images smaller than this are enlarged to it (``export_image``'s default size): the
# visible label stays legible and the watermark's grid (genai.watermark.GRIDS) fits.
LEGIBLE_SIDE = 256


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont:
    # A 24 KB subset of WenQuanYi Micro Hei (Apache-2.0) holding ASCII and the label's hanzi,
    # so the label renders the same on every machine, with no system CJK font needed.
    path = resources.files("genai") / "assets" / "label-font.ttf"
    return ImageFont.truetype(io.BytesIO(path.read_bytes()), size)


def _fit_font(text: str, target_px: float) -> tuple[ImageFont.FreeTypeFont, tuple[int, int, int, int]]:
    """The smallest font whose ink for ``text`` is at least ``target_px`` tall."""
    size = max(4, math.ceil(target_px))
    while True:
        font = _font(size)
        box = font.getbbox(text)
        if box[3] - box[1] >= target_px:
            return font, box
        size += 1


def add_visible_label(image: np.ndarray) -> np.ndarray:
    """Stamp the explicit label "AI生成 / AI-generated" in the bottom-right corner.

    Args:
        image: RGB uint8 (H, W, 3).

    Returns:
        A labelled copy, RGB uint8 (H, W, 3): white text on a dark translucent box, ink at least
        5% of the shorter side tall.
    """
    h, w = image.shape[:2]
    # Thumbnails get a readable 10 px (capped at half the height); the 6% term keeps every image
    # above the 5% rule.
    target = max(_TARGET_FRACTION * min(h, w), min(_MIN_TEXT_PX, 0.5 * h))
    text = LABEL_TEXT
    font, box = _fit_font(text, target)
    if box[2] - box[0] > 0.9 * w:
        text = LABEL_TEXT_SHORT
        font, box = _fit_font(text, target)
    text_w, text_h = box[2] - box[0], box[3] - box[1]
    pad = max(1, round(0.25 * text_h))
    x1, y1 = w - 1, h - 1
    x0, y0 = max(0, x1 - text_w - 2 * pad), max(0, y1 - text_h - 2 * pad)

    # Composite only the label's corner: a 4000 px photo stays cheap to label.
    corner = Image.fromarray(image[y0 : y1 + 1, x0 : x1 + 1]).convert("RGBA")
    overlay = Image.new("RGBA", corner.size, (0, 0, 0, 150))
    ImageDraw.Draw(overlay).text((pad - box[0], pad - box[1]), text, font=font, fill=(255, 255, 255, 255))
    out = image.copy()
    out[y0 : y1 + 1, x0 : x1 + 1] = np.asarray(Image.alpha_composite(corner, overlay).convert("RGB"))
    return out


def _png_metadata(info: ExportInfo) -> PngImagePlugin.PngInfo:
    meta = PngImagePlugin.PngInfo()
    meta.add_text("Software", info.producer)
    seed = "" if info.seed is None else f", seed {info.seed}"
    meta.add_text("Comment", f"AI-generated by {info.model}{seed}")
    return meta


def pixel_digest(image: np.ndarray) -> str:
    """sha256 of the decoded RGB uint8 pixels (H, W, 3) and their size: the label's integrity value."""
    h, w = image.shape[:2]
    return hashlib.sha256(f"{w}x{h}:".encode() + np.ascontiguousarray(image, np.uint8).tobytes()).hexdigest()


def new_produce_id() -> str:
    return "DFL" + uuid.uuid4().hex[:24].upper()


def tc260_packet(fields: dict[str, str]) -> str:
    """An XMP packet holding the TC260:AIGC JSON (compact, printable ASCII, no spaces)."""
    value = json.dumps({k: fields.get(k, "") for k in TC260_FIELDS}, separators=(",", ":"), ensure_ascii=True)
    if " " in value or not value.isprintable():
        raise ValueError("TC260:AIGC fields must be printable ASCII without spaces")
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:TC260="{TC260_NS}">'
        f"<TC260:AIGC>{escaped}</TC260:AIGC>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def _decode(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"))


def export_image(
    image: np.ndarray,
    info: ExportInfo,
    fmt: str = "png",
    size: int | None = LEGIBLE_SIDE,
    method: str = "bicubic",
    visible_label: bool = True,
    registry: Registry | None = None,
    log: bool = True,
) -> bytes:
    """Encode a generated image for download or saving, with its labels applied.

    Args:
        image: RGB uint8 (H, W, 3).
        info: origin of the image, written into the file's metadata.
        fmt: "png" or "jpeg".
        size: if larger than the image, enlarge it first so its longer side is ``size`` px, so a
            64 px face still carries a legible label and a watermark that reads (at 128 px the
            mark does not always fit beside the label). None: never enlarge.
        method: "nearest" or "bicubic", for that enlargement.
        visible_label: False only when the user explicitly asks for a file without the visible
            label (Article 9 of the Measures allows it, with a log): the request is recorded in the
            registry, and the metadata label and the watermark stay.
        registry: where the export is logged; the user's default registry when None.
        log: False for a demonstration that is shown, not handed out (the Rules page's "try it"):
            nothing is logged. Not with ``visible_label=False``, which needs its log.

    Returns:
        The encoded file: visible label and invisible watermark (payload: 32 bits of the
        ProduceID) in the pixels, TC260:AIGC XMP label in the metadata.

    Raises:
        OSError / sqlite3.Error: an export without the visible label could not be logged (it is
            not produced without its log). Other exports only warn when the log fails.
    """
    if not log and not visible_label:
        raise ValueError("an export without the visible label must be logged (Measures, Article 9)")
    if size is not None and size > max(image.shape[:2]):
        image = upscale(image, size, method)
    produce_id = new_produce_id()
    pixels = add_visible_label(image) if visible_label else image
    if min(pixels.shape[:2]) >= watermark.MIN_SIDE:
        # Watermark last, over the label too, so stripping metadata and cropping the label off
        # still leaves the origin in the pixels.
        pixels = watermark.embed(pixels, watermark.payload_from_id(produce_id))
    labelled = Image.fromarray(pixels)
    buf = io.BytesIO()
    fmt = fmt.lower()
    if fmt == "png":
        labelled.save(buf, format="PNG", pnginfo=_png_metadata(info))
    elif fmt in ("jpeg", "jpg"):
        labelled.save(buf, format="JPEG", quality=95, comment=f"AI-generated by {info.model}")
    else:
        raise ValueError(f"unknown format {fmt!r}; valid: ['png', 'jpeg']")
    encoded = buf.getvalue()
    # The digest is of the pixels a reader will decode (JPEG's, not ours), and inserting the XMP
    # packet leaves the compressed data, hence those pixels, untouched.
    decoded = _decode(encoded)
    fields = {"Label": "1", "ContentProducer": PRODUCER_CODE, "ProduceID": produce_id,
              "ReservedCode1": pixel_digest(decoded)}
    out = write_xmp(encoded, tc260_packet(fields))
    if not log:
        return out
    try:
        (registry or Registry()).record(
            out, decoded, produce_id=produce_id, payload=f"{watermark.payload_from_id(produce_id):08x}",
            producer=info.producer, model=info.model, seed=info.seed, visible_label=visible_label,
            note="" if visible_label else "visible label omitted at the user's request (Measures, Article 9)")
    except (OSError, sqlite3.Error) as e:
        if not visible_label:
            raise
        warnings.warn(f"export not logged in the registry: {e}", stacklevel=2)
    return out


_AIGC_ELEMENT = re.compile(r"<(?:[\w.-]+:)?AIGC>(.*?)</(?:[\w.-]+:)?AIGC>", re.S)
_AIGC_ATTRIBUTE = re.compile(r"""(?:[\w.-]+:)?AIGC\s*=\s*(["'])(.*?)\1""", re.S)


def _aigc_values(packet: str) -> list[str]:
    """TC260:AIGC values in an XMP packet, as element text or attribute; unescaped."""
    try:
        root = ET.fromstring(packet[packet.find("<x:xmpmeta") :] if "<x:xmpmeta" in packet else packet)
        values = [el.text or "" for el in root.iter(f"{{{TC260_NS}}}AIGC")]
        values += [v for el in root.iter() for k, v in el.attrib.items() if k == f"{{{TC260_NS}}}AIGC"]
        return values
    except ET.ParseError:
        # Malformed XML still deserves a look: a label is evidence even in a broken packet.
        if TC260_NS not in packet:
            return []
        found = [m.group(1) for m in _AIGC_ELEMENT.finditer(packet)]
        found += [m.group(2) for m in _AIGC_ATTRIBUTE.finditer(packet)]
        return [v.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                for v in found] or ["<unreadable XML>"]


def read_tc260(data: bytes, pixels: np.ndarray | None = None) -> dict:
    """The TC260:AIGC implicit label of a PNG or JPEG file, as a report (never raises).

    Returns:
        ``{"status": "found" | "not_found" | "damaged", "fields": {...}, "claim": ...,
        "integrity": "match" | "mismatch" | "not_checked", "problems": [...]}``. A label is a
        claim made by whoever wrote the file, not proof; a missing label proves nothing.
    """
    report: dict = {"status": "not_found", "fields": {}, "claim": None, "integrity": "not_checked", "problems": []}
    try:
        values = [v for packet in read_xmp(data) for v in _aigc_values(packet)]
    except Exception as e:  # noqa: BLE001 - a damaged container is a finding, not a crash
        report.update(status="damaged", problems=[f"metadata unreadable: {type(e).__name__}"])
        return report
    if not values:
        return report
    if len(values) > 1:
        report["problems"].append(f"{len(values)} TC260:AIGC labels; the standard allows one")
    try:
        fields = json.loads(values[0])
        if not isinstance(fields, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        report.update(status="damaged", problems=report["problems"] + [f"label JSON malformed: {e}"])
        return report
    fields = {str(k): str(v) for k, v in fields.items()}
    missing = [k for k in TC260_FIELDS if k not in fields]
    if missing:
        report["problems"].append(f"missing fields: {missing}")
    report.update(status="damaged" if "Label" not in fields else "found", fields=fields,
                  claim=TC260_LABELS.get(fields.get("Label", ""), "unknown"))
    digest = fields.get("ReservedCode1", "")
    if re.fullmatch(r"[0-9a-f]{64}", digest):
        if pixels is None:
            try:
                pixels = _decode(data)
            except Exception:  # noqa: BLE001
                pixels = None
        if pixels is not None:
            report["integrity"] = "match" if pixel_digest(pixels) == digest else "mismatch"
    return report


def export_gif(
    frames: Sequence[np.ndarray],
    info: ExportInfo,
    fps: float = 8.0,
    size: int | None = None,
    method: str = "bicubic",
    registry: Registry | None = None,
) -> bytes:
    """Animated GIF of RGB uint8 frames, labelled like :func:`export_image`.

    Every frame carries the visible label and the watermark (a GIF may be cut to any frame); the
    file carries the TC260:AIGC XMP label (integrity value of its first frame) and the export is
    logged in the registry. ``size`` and ``method`` enlarge small frames as in :func:`export_image`.
    """
    if size is not None and size > max(frames[0].shape[:2]):
        frames = [upscale(f, size, method) for f in frames]
    produce_id = new_produce_id()
    payload = watermark.payload_from_id(produce_id)
    labelled = [add_visible_label(f) for f in frames]
    if min(labelled[0].shape[:2]) >= watermark.MIN_SIDE:
        # The first frame is verified like a still export; the others take the first candidate unread
        # (verifying each took about 0.5 s a frame: 8.5 s for a 16-frame morph at 256 px).
        labelled = [watermark.embed(labelled[0], payload)] + [watermark.embed(f, payload, verify=False)
                                                            for f in labelled[1:]]
    encoded = encode_gif(labelled, fps=fps, comment=f"AI-generated by {info.model}")
    decoded = _decode(encoded)  # the first frame, as a reader decodes it (after the palette)
    fields = {"Label": "1", "ContentProducer": PRODUCER_CODE, "ProduceID": produce_id,
              "ReservedCode1": pixel_digest(decoded)}
    out = write_xmp(encoded, tc260_packet(fields))
    try:
        (registry or Registry()).record(out, decoded, produce_id=produce_id, payload=f"{payload:08x}",
                                        producer=info.producer, model=info.model, seed=info.seed,
                                        visible_label=True, note="animated GIF")
    except (OSError, sqlite3.Error) as e:
        warnings.warn(f"export not logged in the registry: {e}", stacklevel=2)
    return out


_EXIF_HINTS = {0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0132: "datetime"}


def read_hints(data: bytes) -> dict:
    """Ordinary metadata that hints at a file's origin: EXIF camera and software, text chunks."""
    hints: dict = {"status": "not_found", "exif": {}, "text": {}}
    try:
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
            hints["exif"] = {name: str(exif[tag]).strip("\x00 ") for tag, name in _EXIF_HINTS.items() if tag in exif}
            hints["text"] = {k: str(v)[:200] for k, v in im.info.items()
                             if k in ("Software", "Comment", "Description", "Author", "parameters", "comment")}
    except Exception as e:  # noqa: BLE001
        return {"status": "damaged", "exif": {}, "text": {}, "problems": [f"{type(e).__name__}: {e}"]}
    hints["text"] = {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else v for k, v in hints["text"].items()}
    if hints["exif"] or hints["text"]:
        hints["status"] = "found"
    return hints


def read_watermark(pixels: np.ndarray | None) -> dict:
    """Our invisible watermark in decoded RGB uint8 pixels: payload and confidence."""
    if pixels is None:
        return {"status": "not_checked", "payload": None, "confidence": 0.0}
    result = watermark.detect(pixels)
    return {"status": "found" if result.found else "not_found",
            "payload": f"{result.payload:08x}" if result.found else None,
            "confidence": round(result.confidence, 2)}


# IPTC digital source types (https://cv.iptc.org/newscodes/digitalsourcetype/) that declare AI or
# algorithmic making, as C2PA actions and IPTC photo metadata write them: the whole picture, or a
# composite that includes such parts.
AI_SOURCE_TYPES = {"trainedAlgorithmicMedia": "generated", "algorithmicMedia": "generated",
                   "compositeWithTrainedAlgorithmicMedia": "composite", "compositeSynthetic": "composite"}
# A creation action without a digital source type that names an AI generator in its software agent or
# description (Bing Image Creator wrote {"softwareAgent": "Bing Image Creator", "description": "AI
# Generated Image"} in 2023).
AI_AGENT = re.compile(r"\b(AI[- ]generated|generated by AI|Image Creator|DALL[·\-. ]?E|gpt-image|Firefly|Midjourney"
                      r"|Stable Diffusion|Imagen|FLUX|Copilot Designer)\b", re.IGNORECASE)
_ACTIONS_LABELS = ("c2pa.actions", "c2pa.actions.v2", "actions")
_MIME = {"png": "image/png", "jpeg": "image/jpeg"}

# The C2PA Conformance Program's trust lists (genai/c2pa_trust/README.md: source, licence, how to
# refresh), read offline, and the certificate uses a C2PA signer may carry (email protection,
# document signing, time stamping, OCSP signing, Microsoft's C2PA signing, C2PA claim signing).
C2PA_TRUST = Path(__file__).resolve().parent / "c2pa_trust"
C2PA_TRUST_DATE = "2026-08-21"
C2PA_EKUS = ("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
             "1.3.6.1.4.1.311.76.59.1.9", "1.3.6.1.4.1.62558.2.1")


@lru_cache(maxsize=1)
def c2pa_anchors() -> str:
    """The shipped trust anchors: the signing CAs' list, PEM."""
    return (C2PA_TRUST / "C2PA-TRUST-LIST.pem").read_text()


def _c2pa_context(extra_anchors: str = ""):
    """A c2pa.Context that checks signers against the shipped list (plus ``extra_anchors``, PEM), with
    the usual key usages allowed. A new one per reader (under a millisecond): contexts are not shared
    between the threads of a class server."""
    import c2pa

    settings = c2pa.Settings.from_dict({
        "trust": {"trust_anchors": c2pa_anchors() + extra_anchors, "trust_config": "\n".join(C2PA_EKUS)},
        "verify": {"verify_trust": True}})
    return c2pa.Context(settings)


def _source_code(source: str) -> str:
    """An IPTC digital source type without its URL: ".../digitalsourcetype/trainedAlgorithmicMedia"
    -> "trainedAlgorithmicMedia"."""
    return str(source).rstrip("/").rsplit("/", 1)[-1]


def _source_claim(source: str) -> str | None:
    """"generated", "composite" or None for an IPTC digital source type, with or without its URL."""
    return AI_SOURCE_TYPES.get(_source_code(source))


def _agent_text(action: dict) -> str:
    agent = action.get("softwareAgent")
    if isinstance(agent, dict):
        agent = agent.get("name")
    return " ".join(str(x) for x in (agent, action.get("description")) if x)


def _manifest_claim(manifest: dict) -> tuple[str | None, str | None, list[str]]:
    """What one manifest's actions declare: (claim, the words that declared it, source types)."""
    claim = why = None
    sources = []
    for assertion in manifest.get("assertions", []):
        if str(assertion.get("label", "")).split("__")[0] not in _ACTIONS_LABELS:
            continue
        for action in (assertion.get("data") or {}).get("actions", []):
            source = action.get("digitalSourceType")
            if source:
                sources.append(_source_code(source))
            found = _source_claim(source) if source else None
            agent = _agent_text(action)
            if found is None and action.get("action") == "c2pa.created" and AI_AGENT.search(agent):
                found, source = "generated", agent
            if found and (claim is None or (claim == "composite" and found == "generated")):
                claim, why = found, _source_code(source)
    return claim, why, sources


def read_c2pa(data: bytes, extra_anchors: str = "") -> dict:
    """The C2PA manifest of a file (c2pa-python), read against the shipped trust list. Never raises.

    Returns:
        ``{"status": "found" | "not_found" | "damaged" | "not_checked", "trust": "trusted" | "intact"
        | "altered" | None, "claim_generator": ..., "title": ..., "signer": ..., "common_name": ...,
        "validation_state": "Trusted" | "Valid" | "Invalid", "digital_source_types": [...], "claim":
        "generated" | "composite" | "edited_ai" | None, "claim_because": ..., "problems": [...]}``.

        ``trust``: "trusted" is an intact manifest whose signer chains to the C2PA trust list;
        "intact" is intact and signed, by a signer the list does not know; "altered" is a manifest
        whose hashes or signature fail (the file changed after signing, or the manifest is broken):
        nothing it says can be believed. ``claim``: what the active manifest declares ("edited_ai":
        an edit of an ingredient whose own manifest declares AI making).
    """
    report: dict = {"status": "not_found", "trust": None, "claim_generator": None, "title": None, "signer": None,
                    "common_name": None, "validation_state": None, "digital_source_types": [], "claim": None,
                    "claim_because": None, "problems": []}
    from genai.xmp import container

    mime = _MIME.get(container(data) or "")
    if mime is None:
        return report
    try:
        import c2pa
    except ImportError:
        return {**report, "status": "not_checked", "problems": ["c2pa-python is not installed"]}
    try:
        with c2pa.Reader(mime, io.BytesIO(data), context=_c2pa_context(extra_anchors)) as reader:
            store = json.loads(reader.json())
            state = reader.get_validation_state()
    except Exception as e:  # noqa: BLE001 - the C library reports every failure as C2paError subclasses
        if "ManifestNotFound" in type(e).__name__ or "ManifestNotFound" in str(e):
            return report
        return {**report, "status": "damaged", "trust": "altered", "problems": [f"{type(e).__name__}: {str(e)[:200]}"]}
    manifests = store.get("manifests", {})
    active = manifests.get(store.get("active_manifest", ""), {})
    generators = active.get("claim_generator_info") or []
    claim, because, sources = _manifest_claim(active)
    if claim is None:  # an edit of an AI image says so through its ingredients' own manifests
        for ingredient in active.get("ingredients", []):
            inner = manifests.get(ingredient.get("active_manifest") or "", {})
            if _manifest_claim(inner)[0]:
                claim, because = "edited_ai", ingredient.get("title") or "ingredient"
                break
    signature = active.get("signature_info") or {}
    report.update(
        status="found",
        trust={"Trusted": "trusted", "Valid": "intact"}.get(state, "altered"),
        claim_generator=", ".join(f"{g.get('name', '?')} {g.get('version', '')}".strip() for g in generators)
        or active.get("claim_generator"),
        title=active.get("title"),
        signer=signature.get("issuer"),
        common_name=signature.get("common_name"),
        validation_state=state,
        digital_source_types=sources,
        claim=claim,
        claim_because=because,
        problems=[f"{v.get('code')}: {v.get('explanation', '')}" for v in store.get("validation_status") or []],
    )
    return report


_IPTC_SOURCE = re.compile(r"DigitalSourceType(?:\s*=\s*[\"']|>|[^>]*rdf:resource\s*=\s*[\"'])\s*([^\"'<\s]+)")


def read_iptc(data: bytes) -> dict:
    """The IPTC digital source type in a file's XMP (``Iptc4xmpExt:DigitalSourceType``), a label that
    photo tools and some generators write: ``{"status", "source_type", "claim"}`` with claim
    "generated", "composite" or None. Never raises."""
    try:
        packets = read_xmp(data)
    except Exception:  # noqa: BLE001 - a broken container has no label to read
        packets = []
    for packet in packets:
        found = _IPTC_SOURCE.search(packet)
        if found:
            code = _source_code(found.group(1))
            return {"status": "found", "source_type": code, "claim": _source_claim(code)}
    return {"status": "not_found", "source_type": None, "claim": None}


def inspect(data: bytes, registry: Registry | None = None) -> dict:
    """Provenance report of one file: every label and hint we can read. Never raises.

    Metadata is evidence, not proof: anyone can write or strip it. The watermark survives
    stripping and re-saving; its payload is 32 bits of the ProduceID the export was given
    (``genai.watermark.payload_from_id``).
    """
    try:
        pixels = _decode(data)
    except Exception:  # noqa: BLE001 - not an image: the metadata readers still report
        pixels = None
    report = {"c2pa": read_c2pa(data), "iptc": read_iptc(data), "tc260": read_tc260(data, pixels=pixels),
              "watermark": read_watermark(pixels), "hints": read_hints(data)}
    try:
        report["registry"] = (registry or Registry()).lookup(data, pixels, report["watermark"]["payload"])
    except (OSError, sqlite3.Error) as e:
        report["registry"] = {"status": "not_checked", "match": None, "distance": None, "record": None,
                              "problems": [str(e)]}
    produce_id = report["tc260"]["fields"].get("ProduceID")
    if produce_id and report["watermark"]["payload"]:
        expected = f"{watermark.payload_from_id(produce_id):08x}"
        report["watermark"]["matches_label"] = report["watermark"]["payload"] == expected
    return report
