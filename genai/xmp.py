"""XMP packets in PNG, JPEG and GIF files, read and written at the byte level.

Writing inserts one XMP packet into an already encoded file without touching the compressed
image data, so the decoded pixels (and any hash of them) stay exactly the same. Any XMP packet
already in the file is replaced: a file carries one.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_XMP_KEYWORD = b"XML:com.adobe.xmp"
JPEG_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"


class ContainerError(ValueError):
    """The bytes are not a PNG or JPEG file we can walk."""


def container(data: bytes) -> str | None:
    """"png", "jpeg", "gif" or None, from the first bytes."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


# --- PNG ---------------------------------------------------------------------------------------


def _png_chunks(data: bytes):
    """(type, body, start, end) of each chunk; stops quietly at a truncated chunk."""
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return
        yield kind, data[pos + 8 : pos + 8 + length], pos, end
        pos = end
        if kind == b"IEND":
            return


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _is_png_xmp(kind: bytes, body: bytes) -> bool:
    return kind == b"iTXt" and body.startswith(PNG_XMP_KEYWORD + b"\x00")


def _png_read(data: bytes) -> list[str]:
    packets = []
    for kind, body, _, _ in _png_chunks(data):
        if _is_png_xmp(kind, body):
            # keyword \0 compression-flag compression-method language \0 translated \0 text
            rest = body[len(PNG_XMP_KEYWORD) + 1 :]
            compressed, rest = rest[0], rest[2:]
            _, _, rest = rest.partition(b"\x00")
            _, _, text = rest.partition(b"\x00")
            try:
                packets.append((zlib.decompress(text) if compressed else text).decode("utf-8", "replace"))
            except zlib.error:
                packets.append("")
    return packets


def _png_write(data: bytes, packet: str) -> bytes:
    body = PNG_XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + packet.encode("utf-8")
    out, inserted = [data[: len(PNG_SIGNATURE)]], False
    for kind, chunk_body, start, end in _png_chunks(data):
        if _is_png_xmp(kind, chunk_body):
            continue
        if kind == b"IDAT" and not inserted:
            out.append(_png_chunk(b"iTXt", body))  # metadata before the image data, as readers expect
            inserted = True
        out.append(data[start:end])
    if not inserted:
        raise ContainerError("PNG without image data")
    return b"".join(out)


# --- JPEG --------------------------------------------------------------------------------------


def _jpeg_segments(data: bytes):
    """(marker, body, start, end) for each marker segment up to the start of scan."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan / end of image: no more headers
            return
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if end > len(data) or length < 2:
            return
        yield marker, data[pos + 4 : end], pos, end
        pos = end


def _jpeg_read(data: bytes) -> list[str]:
    return [body[len(JPEG_XMP_HEADER) :].decode("utf-8", "replace")
            for marker, body, _, _ in _jpeg_segments(data)
            if marker == 0xE1 and body.startswith(JPEG_XMP_HEADER)]


def _jpeg_write(data: bytes, packet: str) -> bytes:
    body = JPEG_XMP_HEADER + packet.encode("utf-8")
    if len(body) + 2 > 0xFFFF:
        raise ContainerError("XMP packet too large for one JPEG segment")
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    segments = list(_jpeg_segments(data))
    kept = [(m, b, s, e) for m, b, s, e in segments if not (m == 0xE1 and b.startswith(JPEG_XMP_HEADER))]
    header_end = segments[-1][3] if segments else 2
    # After APP0 (JFIF) if present, so the file still starts the way JFIF readers expect.
    out = [data[:2]]
    placed = False
    for m, _, s, e in kept:
        if not placed and m != 0xE0:
            out.append(segment)
            placed = True
        out.append(data[s:e])
    if not placed:
        out.append(segment)
    out.append(data[header_end:])
    return b"".join(out)


# --- public ------------------------------------------------------------------------------------


# --- GIF ---------------------------------------------------------------------------------------
# XMP specification part 3: an application extension "XMP DataXMP" holding the packet's raw bytes,
# then a 258-byte "magic trailer" (0x01, 0xFF ... 0x00, block terminator) that lets GIF readers
# skip it as if it were sub-blocks.

GIF_XMP_START = b"\x21\xff\x0bXMP DataXMP"
GIF_XMP_TRAILER = bytes([1]) + bytes(range(255, -1, -1)) + b"\x00"


def _gif_blocks(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every XMP extension block in a GIF."""
    out, i = [], 0
    while (i := data.find(GIF_XMP_START, i)) != -1:
        end = data.find(GIF_XMP_TRAILER, i)
        if end == -1:
            raise ContainerError("GIF XMP block without its trailer")
        out.append((i, end + len(GIF_XMP_TRAILER)))
        i = end + len(GIF_XMP_TRAILER)
    return out


def _gif_read(data: bytes) -> list[str]:
    return [data[a + len(GIF_XMP_START) : b - len(GIF_XMP_TRAILER)].decode("utf-8", "replace")
            for a, b in _gif_blocks(data)]


def _gif_write(data: bytes, packet: str) -> bytes:
    for a, b in reversed(_gif_blocks(data)):
        data = data[:a] + data[b:]
    if len(data) < 13:
        raise ContainerError("GIF header truncated")
    flags = data[10]
    # After the header (6), the logical screen descriptor (7) and the global colour table, if any.
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    return data[:at] + GIF_XMP_START + packet.encode("utf-8") + GIF_XMP_TRAILER + data[at:]


def read_xmp(data: bytes) -> list[str]:
    """Every XMP packet in a PNG, JPEG or GIF file (usually zero or one); [] for other formats."""
    kind = container(data)
    if kind == "png":
        return _png_read(data)
    if kind == "jpeg":
        return _jpeg_read(data)
    if kind == "gif":
        return _gif_read(data)
    return []


def write_xmp(data: bytes, packet: str) -> bytes:
    """The same PNG, JPEG or GIF file with ``packet`` as its only XMP packet; pixels untouched.

    Raises:
        ContainerError: not a PNG, JPEG or GIF.
    """
    kind = container(data)
    if kind == "png":
        return _png_write(data, packet)
    if kind == "jpeg":
        return _jpeg_write(data, packet)
    if kind == "gif":
        return _gif_write(data, packet)
    raise ContainerError("XMP can be written into PNG, JPEG and GIF files only")
