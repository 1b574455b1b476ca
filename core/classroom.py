"""Class rooms of the Real-or-fake quiz: one SQLite file, safe for a class answering at once.

A teacher opens a room and gets a short code; students join with it. The room stores its level,
its number of rounds, the round on the teacher's screen and whether that round is revealed. Each
answer is one row keyed by (room, round, player): a player is an anonymous random id the
student's page keeps in its address, so a reload finds the same answers and answering again
changes the answer instead of adding one. Nothing else about a student is stored.

Only the teacher moves a room: opening it returns a teacher key (kept in the teacher's session,
never in an address a projector shows), and every move (show a round, reveal, reset) needs it.
The room stores the key's sha256, not the key.

Every call opens its own connection (Streamlit serves each browser from its own thread) in WAL
mode, so readers never wait for the writer and writers queue behind ``busy_timeout``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from core.data import app_home

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    rounds INTEGER NOT NULL,
    current INTEGER NOT NULL DEFAULT 0,
    revealed INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    teacher_key TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL REFERENCES rooms (code),
    round INTEGER NOT NULL,
    player TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('real', 'fake')),
    answered TEXT NOT NULL,
    PRIMARY KEY (code, round, player)
);
"""
# Codes people read off a projector: no 0/O, 1/I/L.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
KEY_LENGTH = 8  # the teacher key: 31^8, about 10^12 keys
ANSWERS = ("real", "fake")


class RoomError(ValueError):
    """No such room, or a round outside it."""


class NotTeacher(RoomError):
    """A move of the room (show, reveal, reset) without the room's teacher key."""


@dataclass(frozen=True)
class Room:
    code: str
    level: str
    rounds: int
    current: int  # the round on the teacher's screen, 0-based
    revealed: bool  # the teacher has shown that round's truth


@dataclass(frozen=True)
class Totals:
    answered: int
    said_fake: int


def default_path() -> Path:
    return app_home() / "classroom.sqlite"


def normalise(code: str) -> str:
    return "".join(code.split()).upper()


class Classroom:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con, con:
            con.executescript(SCHEMA)
            if "teacher_key" not in {row[1] for row in con.execute("PRAGMA table_info(rooms)")}:
                # A file from before teacher keys: its rooms get none, so nobody can move them.
                con.execute("ALTER TABLE rooms ADD COLUMN teacher_key TEXT NOT NULL DEFAULT ''")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA busy_timeout=30000")
        return con

    def open_room(self, level: str, rounds: int) -> tuple[Room, str]:
        """A new room with a fresh code, and its teacher key (shown once: only its hash is stored)."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        key = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
        with closing(self._connect()) as con, con:
            while True:
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
                try:
                    con.execute("INSERT INTO rooms (code, level, rounds, created, teacher_key) VALUES (?, ?, ?, ?, ?)",
                                (code, level, rounds, now, _hash(key)))
                    break
                except sqlite3.IntegrityError:  # the code is taken: draw another
                    continue
        return Room(code, level, rounds, 0, False), key

    def is_teacher(self, code: str, key: str) -> bool:
        """Whether ``key`` is the teacher key of room ``code``. Raises RoomError when there is no such room."""
        with closing(self._connect()) as con:
            _room(con, code)
            return _key_matches(con, code, key)

    def room(self, code: str) -> Room:
        """Raises RoomError when there is no room with ``code``."""
        with closing(self._connect()) as con:
            return _room(con, code)

    def show(self, code: str, key: str, current: int, revealed: bool = False) -> Room:
        """Put round ``current`` on the teacher's screen (revealed or not).

        Raises:
            NotTeacher: ``key`` is not the room's teacher key.
        """
        with closing(self._connect()) as con, con:
            room = _room(con, code, current)
            _check_key(con, room.code, key)
            con.execute("UPDATE rooms SET current = ?, revealed = ? WHERE code = ?", (current, int(revealed), room.code))
        return replace(room, current=current, revealed=revealed)

    def reset(self, code: str, key: str) -> Room:
        """Back to round 1, unrevealed, every answer removed (one transaction: an answer written at the
        same moment lands before or after it, never half).

        Raises:
            NotTeacher: ``key`` is not the room's teacher key.
        """
        with closing(self._connect()) as con, con:
            room = _room(con, code)
            _check_key(con, room.code, key)
            con.execute("DELETE FROM answers WHERE code = ?", (room.code,))
            con.execute("UPDATE rooms SET current = 0, revealed = 0 WHERE code = ?", (room.code,))
        return replace(room, current=0, revealed=False)

    def answer(self, code: str, round_: int, player: str, answer: str) -> bool:
        """Store (or change) ``player``'s answer to the round on the teacher's screen, until it is
        revealed: one connection, one transaction. Returns False (nothing stored) for any other round
        or once the round is revealed: an answer cannot follow the truth.

        Raises:
            RoomError: no such room or round.
            ValueError: ``answer`` is not "real" or "fake", or ``player`` is not a short id.
        """
        if answer not in ANSWERS:
            raise ValueError(f"answer must be one of {ANSWERS}, not {answer[:20]!r}")
        if not 0 < len(player) <= 64:
            raise ValueError("a player id has 1 to 64 characters")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        with closing(self._connect()) as con, con:
            room = _room(con, code, round_)
            if round_ != room.current or room.revealed:
                return False
            con.execute("INSERT INTO answers (code, round, player, answer, answered) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (code, round, player) DO UPDATE SET answer = excluded.answer, "
                        "answered = excluded.answered", (room.code, round_, player, answer, now))
        return True

    def answers_of(self, code: str, player: str) -> dict[int, str]:
        """A player's answers in a room, by round."""
        with closing(self._connect()) as con:
            rows = con.execute("SELECT round, answer FROM answers WHERE code = ? AND player = ?",
                               (normalise(code), player)).fetchall()
        return dict(rows)

    def totals(self, code: str) -> dict[int, Totals]:
        """Per round: how many answered, and how many said "fake"."""
        with closing(self._connect()) as con:
            rows = con.execute("SELECT round, COUNT(*), SUM(answer = 'fake') FROM answers WHERE code = ? GROUP BY round",
                               (normalise(code),)).fetchall()
        return {r: Totals(n, int(fake or 0)) for r, n, fake in rows}

    def players(self, code: str) -> int:
        with closing(self._connect()) as con:
            return con.execute("SELECT COUNT(DISTINCT player) FROM answers WHERE code = ?",
                               (normalise(code),)).fetchone()[0]


def _room(con: sqlite3.Connection, code: str, round_: int | None = None) -> Room:
    """The room ``code`` read on ``con``; with ``round_``, checked to be one of its rounds.

    Raises:
        RoomError: no such room, or no such round in it.
    """
    row = con.execute("SELECT code, level, rounds, current, revealed FROM rooms WHERE code = ?",
                      (normalise(code),)).fetchone()
    if row is None:
        raise RoomError(f"no room {normalise(code)!r}")
    room = Room(row[0], row[1], row[2], row[3], bool(row[4]))
    if round_ is not None and not 0 <= round_ < room.rounds:
        raise RoomError(f"room {room.code} has rounds 0 to {room.rounds - 1}, not {round_}")
    return room


def _hash(key: str) -> str:
    return hashlib.sha256(key.strip().upper().encode()).hexdigest()


def _key_matches(con: sqlite3.Connection, code: str, key: str) -> bool:
    row = con.execute("SELECT teacher_key FROM rooms WHERE code = ?", (normalise(code),)).fetchone()
    return bool(row and row[0] and key and hmac.compare_digest(row[0], _hash(key)))


def _check_key(con: sqlite3.Connection, code: str, key: str) -> None:
    if not _key_matches(con, code, key):
        raise NotTeacher(f"only the teacher of room {code} can do that")


def new_player_id() -> str:
    return secrets.token_hex(8)
