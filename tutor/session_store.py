"""Conversations saved as they happen, in SQLite under the data folder, so a reload or a restart loses nothing.

Several app processes on one machine can share the file (SQLite's WAL mode
lets readers and one writer work at once). For app processes on several
machines, point `TUTOR_SESSIONS_DB` at a file on storage they share.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from pydantic import ValidationError

from tutor.models import Session

_SCHEMA = "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated REAL NOT NULL)"


class SessionStore:
    """Save and load sessions by id."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        # One connection per store, used under a lock: this process's writers queue up
        # instead of meeting SQLite's busy back-off, which sleeps tens of milliseconds at a time.
        # synchronous=NORMAL in WAL mode: a commit survives the app crashing; only a power cut
        # can lose the latest turns.
        if self._db is None:
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            self._db = db
        return self._db

    def save(self, session: Session) -> None:
        """Insert or replace a session."""
        data = session.model_dump_json()
        with self._lock, self._connection() as db:
            db.execute(
                "INSERT INTO sessions (id, data, updated) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data=excluded.data, updated=excluded.updated",
                (session.id, data, time.time()),
            )

    def load(self, session_id: str) -> Session | None:
        """The saved session, or None when there is none (or it cannot be read)."""
        with self._lock:
            row = self._connection().execute("SELECT data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        try:
            return Session.model_validate_json(row[0])
        except ValidationError:
            return None
