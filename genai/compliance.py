"""Which labels does a file carry, and what is missing for China's labelling rules? (the Rules page)

Built on :func:`genai.provenance.inspect`'s report. The rules (Measures for Labelling AI-Generated
Synthetic Content, 2025, and the national standard GB 45438-2025) ask for two kinds of label on a
generated image: an explicit one people can see (text such as "AI生成" in a corner, at least 5% of
the shorter side high) and an implicit one in the file's metadata (the TC260 AIGC label with the
producer's name and a content ID). A digital watermark is encouraged. The checker reads what a
program can read: the implicit label and its fields, C2PA credentials, our watermark, EXIF hints.
An explicit label is text in the pixels: it is confirmed only for this app's own exports (the
export registry records whether the visible label was applied); for other files the page asks
the user to look.
"""

from __future__ import annotations

from dataclasses import dataclass

# The fields GB 45438-2025's implicit label must fill for a generated file (the propagation fields
# are a platform's to add when it spreads the file).
REQUIRED_FIELDS = ("Label", "ContentProducer", "ProduceID")


@dataclass(frozen=True)
class Check:
    key: str  # "explicit", "implicit", "implicit_fields", "integrity", "watermark", "c2pa", "hints"
    status: str  # "pass", "fail", "warn" (present but weak or unverifiable) or "info"
    detail: str = ""  # plain data for the sentence (missing fields, signer, payload...)


def check(report: dict) -> list[Check]:
    """The checks of one file's provenance report, in the order a reader needs them."""
    registry = report.get("registry") or {}
    tc260, record = report.get("tc260", {}), (registry.get("record") or {}) if registry.get("status") == "found" else {}
    out = []
    if record:
        out.append(Check("explicit", "pass" if record.get("visible_label") else "fail",
                         "" if record.get("visible_label") else "left_off"))
    else:
        out.append(Check("explicit", "info", "look"))
    status = tc260.get("status", "not_found")
    out.append(Check("implicit", {"found": "pass", "damaged": "warn"}.get(status, "fail"),
                     tc260.get("claim") or ""))
    if status in ("found", "damaged"):
        fields = tc260.get("fields", {})
        missing = [k for k in REQUIRED_FIELDS if not fields.get(k)]
        out.append(Check("implicit_fields", "fail" if missing else "pass", ", ".join(missing)))
        integrity = tc260.get("integrity", "not_checked")
        out.append(Check("integrity", {"match": "pass", "mismatch": "warn"}.get(integrity, "info"), integrity))
    mark = report.get("watermark", {})
    out.append(Check("watermark", "pass" if mark.get("status") == "found" else "info", mark.get("payload") or ""))
    c2pa = report.get("c2pa", {})
    if c2pa.get("status") in ("found", "damaged"):
        ok = c2pa.get("trust") in ("trusted", "intact")
        out.append(Check("c2pa", "pass" if ok else "warn", c2pa.get("signer") or ""))
    else:
        out.append(Check("c2pa", "info", c2pa.get("status", "not_found")))
    hints = report.get("hints", {})
    pairs = {**(hints.get("exif") or {}), **(hints.get("text") or {})}
    out.append(Check("hints", "info", "; ".join(f"{k}: {v}" for k, v in list(pairs.items())[:3])))
    return out


def verdict(checks: list[Check]) -> str:
    """"complete": both labels the rules ask for are present and filled; "partial": some label is;
    "none": no label at all (a real photo, or a generated one stripped of its labels)."""
    by = {c.key: c for c in checks}
    implicit = by["implicit"].status == "pass" and by.get("implicit_fields", Check("", "fail")).status == "pass"
    explicit = by["explicit"].status == "pass"
    if implicit and explicit:
        return "complete"
    if implicit or explicit or by["implicit"].status == "warn" or by["watermark"].status == "pass" \
            or by["c2pa"].status in ("pass", "warn"):
        return "partial"
    return "none"
