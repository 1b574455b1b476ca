"""The local export registry: what this app exported, found again by hash or perceptual hash.

One SQLite file in the user's data directory (``$DEEPFAKE_LAB_HOME``, else
``$XDG_DATA_HOME/deepfake-lab``, else ``~/.local/share/deepfake-lab``). Each export is one row:
sha256 of the file, perceptual hash (imagehash pHash) of its pixels, ProduceID and watermark
payload, producer, model, seed, time, and whether the visible label was left off at the user's
request. No pixels are stored. On a class server the log is the server's: every user's exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
from PIL import Image

from core.data import app_home

SCHEMA = """
CREATE TABLE IF NOT EXISTS exports (
    id INTEGER PRIMARY KEY,
    produce_id TEXT UNIQUE NOT NULL,
    sha256 TEXT NOT NULL,
    phash TEXT NOT NULL,
    payload TEXT NOT NULL,
    producer TEXT NOT NULL,
    model TEXT NOT NULL,
    seed INTEGER,
    created TEXT NOT NULL,
    visible_label INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS exports_sha256 ON exports (sha256);
CREATE INDEX IF NOT EXISTS exports_payload ON exports (payload);
"""
# pHash bits (of 64) that may differ for "the same picture": survives JPEG 75 and resizing.
MAX_PHASH_DISTANCE = 10


def default_path() -> Path:
    return app_home() / "registry.sqlite"


def perceptual_hash(pixels: np.ndarray) -> str:
    """64-bit pHash of RGB uint8 pixels, as 16 hex digits."""
    import imagehash

    return str(imagehash.phash(Image.fromarray(pixels)))


def _distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


class Registry:
    """Read and write the export registry at ``path`` (the default location when None)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.row_factory = sqlite3.Row
        con.executescript(SCHEMA)
        return con

    def record(self, data: bytes, pixels: np.ndarray, *, produce_id: str, payload: str, producer: str, model: str,
               seed: int | None, visible_label: bool, note: str = "") -> None:
        """Log one export (the encoded file ``data`` and its decoded RGB uint8 ``pixels``)."""
        row = (produce_id, hashlib.sha256(data).hexdigest(), perceptual_hash(pixels), payload, producer, model,
               seed, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), int(visible_label), note)
        with closing(self._connect()) as con, con:
            con.execute("INSERT INTO exports (produce_id, sha256, phash, payload, producer, model, seed, created, "
                        "visible_label, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    def lookup(self, data: bytes, pixels: np.ndarray | None = None, payload: str | None = None) -> dict:
        """Find a file among our exports: exact (sha256) or by watermark payload; else say whether
        an export merely looks like it.

        An export made by editing a photo (a repair, a swap) looks like that photo, so a perceptual
        match alone never says "exported": the photo it was made from would match too. Only the
        file's bytes or the export's watermark, which the source photo never carried, identify an
        export. A look-alike is reported as "similar", with what that means left to the reader.

        Returns:
            ``{"status": "found" | "similar" | "not_found", "match": "exact" | "watermark" |
            "perceptual" | None, "distance": int | None, "record": {...} | None}``; ``record`` is the
            export found, or for "similar" the look-alike export.
        """
        report: dict = {"status": "not_found", "match": None, "distance": None, "record": None}
        if not self.path.exists():
            return report
        sha = hashlib.sha256(data).hexdigest()
        with closing(self._connect()) as con:
            row = con.execute("SELECT * FROM exports WHERE sha256 = ?", (sha,)).fetchone()
            if row:
                return {**report, "status": "found", "match": "exact", "distance": 0, "record": dict(row)}
            if payload:
                row = con.execute("SELECT * FROM exports WHERE payload = ?", (payload,)).fetchone()
                if row:
                    return {**report, "status": "found", "match": "watermark", "record": dict(row)}
            if pixels is None:
                return report
            mine = perceptual_hash(pixels)
            best, best_d = None, MAX_PHASH_DISTANCE + 1
            for row in con.execute("SELECT * FROM exports"):
                d = _distance(mine, row["phash"])
                if d < best_d:
                    best, best_d = row, d
            if best is not None:
                return {**report, "status": "similar", "match": "perceptual", "distance": best_d, "record": dict(best)}
        return report
