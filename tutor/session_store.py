"""Conversations saved as they happen, in SQLite on one machine or PostgreSQL for several.

`TUTOR_SESSIONS_URL` chooses the database (default: the SQLite file
DATA_DIR/sessions.sqlite3). SQLite suits app processes on one machine (WAL lets
readers and one writer work at once); its locking is unreliable on network file
systems, so app processes on several machines share a PostgreSQL server instead.

Nothing is lost when two processes answer one conversation at once (two tabs
behind a load balancer without sticky sessions): messages are rows that are only
appended, never a document rewritten. The rest of a conversation (mode, options,
each mode's state) is one row with a version number; a save from a copy read at
an older version keeps its messages but not its state, and the copy is refreshed
from the database so its next turn starts from everything both processes said.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from pydantic import ValidationError

from tutor.models import Message, Session, TurnResult
from tutor.session_schema import SchemaTooNew, conversations, messages, migrate

DIALECTS = ("sqlite", "postgresql")


class SessionStoreError(Exception):
    """The session database cannot be reached or used; the message says what to do."""


@dataclass(frozen=True)
class ConversationInfo:
    """One stored conversation, as `tutor sessions list` shows it."""

    id: str
    mode: str
    messages: int
    created: float
    updated: float
    first_question: str


def database_url(url: str | None, data_dir: Path) -> str:
    """The database URL a setting means: unset is the SQLite file under the data folder."""
    return url or f"sqlite:///{Path(data_dir) / 'sessions.sqlite3'}"


def _with_driver(url: str) -> str:
    """Plain postgresql:// URLs use psycopg 3 (SQLAlchemy would otherwise look for psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class SessionStore:
    """Save, load, list, export and delete conversations by id."""

    def __init__(self, url: str):
        self.url = _with_driver(url)
        self._engine: sa.Engine | None = None
        self._open_lock = threading.Lock()
        # SQLite: this process's writers queue on a lock instead of meeting SQLite's busy
        # back-off, which sleeps tens of milliseconds at a time. PostgreSQL needs no such lock.
        self._sqlite_lock = threading.Lock()

    @property
    def shown_url(self) -> str:
        """The URL without its password, for messages."""
        try:
            return sa.engine.make_url(self.url).render_as_string(hide_password=True)
        except sa.exc.ArgumentError:
            return "(an invalid URL)"

    def open(self) -> None:
        """Connect and create or upgrade the tables; raises SessionStoreError with what to do."""
        self._db()

    def _db(self) -> sa.Engine:
        if self._engine is not None:
            return self._engine
        with self._open_lock:
            if self._engine is None:
                engine = self._create_engine()
                try:
                    with engine.begin() as db:
                        migrate(db)
                except SchemaTooNew as exc:
                    engine.dispose()
                    raise SessionStoreError(str(exc)) from exc
                except sa.exc.SQLAlchemyError as exc:
                    engine.dispose()
                    raise self._unreachable(exc) from exc
                self._engine = engine
        return self._engine

    def _create_engine(self) -> sa.Engine:
        try:
            url = sa.engine.make_url(self.url)
        except sa.exc.ArgumentError as exc:
            raise SessionStoreError(f"TUTOR_SESSIONS_URL is not a database URL: {exc}") from exc
        if url.get_backend_name() not in DIALECTS:
            raise SessionStoreError(f"The session store works with SQLite and PostgreSQL, not {url.get_backend_name()} ({self.shown_url}).")
        if url.get_backend_name() == "sqlite":
            if url.database:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        try:
            # pre_ping: a database server restarted under a running app costs one retry, not an error.
            return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        except ImportError as exc:
            raise SessionStoreError(f"The PostgreSQL driver is missing: pip install 'tutor[postgres]' ({exc}).") from exc

    def _unreachable(self, exc: Exception) -> SessionStoreError:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        return SessionStoreError(f"Cannot use the session database at {self.shown_url}: {reason}. Check TUTOR_SESSIONS_URL and that the database server is running.")

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        engine = self._db()
        lock = self._sqlite_lock if engine.dialect.name == "sqlite" else nullcontext()
        try:
            with lock, engine.begin() as db:
                yield db
        except sa.exc.SQLAlchemyError as exc:
            raise self._unreachable(exc) from exc

    def save(self, session: Session) -> bool:
        """Append the session's new messages and write its mode, options and state.

        Returns False when another process wrote the conversation since this copy
        was read: the messages are kept all the same, the state is not, and the
        copy is refreshed from the database.
        """
        new = session.messages[session._stored :]
        now = time.time()
        record = {"mode": session.mode, "options": json.dumps(session.options), "state": json.dumps(session.state), "updated": now}
        with self._transaction() as db:
            if session._version == 0:
                fresh = db.execute(_insert_new(db).values(id=session.id, version=1, created=now, **record)).rowcount == 1
            else:
                where = sa.and_(conversations.c.id == session.id, conversations.c.version == session._version)
                fresh = db.execute(sa.update(conversations).where(where).values(version=session._version + 1, **record)).rowcount == 1
            if not fresh:
                touched = db.execute(sa.update(conversations).where(conversations.c.id == session.id).values(updated=now)).rowcount
                if not touched:
                    # Deleted (by a teacher, or pruned) while the learner was still talking: start it again from here.
                    db.execute(sa.insert(conversations).values(id=session.id, version=1, created=now, **record))
                    fresh = True
            if new:
                db.execute(sa.insert(messages), [_message_row(session.id, m, now) for m in new])
        if fresh:
            session._version = session._version + 1 if session._version else 1
            session._stored = len(session.messages)
            return True
        stored = self.load(session.id)
        if stored is not None:
            session.mode, session.options, session.state, session.messages = stored.mode, stored.options, stored.state, stored.messages
            session._version, session._stored = stored._version, stored._stored
        return False

    def load(self, session_id: str) -> Session | None:
        """The saved session, or None when there is none (or it cannot be read)."""
        with self._transaction() as db:
            row = db.execute(sa.select(conversations).where(conversations.c.id == session_id)).first()
            if row is None:
                return None
            rows = db.execute(
                sa.select(messages.c.role, messages.c.content, messages.c.result).where(messages.c.conversation_id == session_id).order_by(messages.c.id)
            ).all()
        try:
            session = Session(
                id=row.id,
                mode=row.mode,
                options=json.loads(row.options),
                state=json.loads(row.state),
                messages=[Message(role=r.role, content=r.content, result=TurnResult.model_validate_json(r.result) if r.result else None) for r in rows],
            )
        except (ValidationError, ValueError):
            return None
        session._version, session._stored = row.version, len(rows)
        return session

    def conversations(self, limit: int | None = None) -> list[ConversationInfo]:
        """Stored conversations, most recently active first."""
        first = (
            sa.select(messages.c.content)
            .where(messages.c.conversation_id == conversations.c.id, messages.c.role == "user")
            .order_by(messages.c.id)
            .limit(1)
            .scalar_subquery()
        )
        count = sa.select(sa.func.count()).where(messages.c.conversation_id == conversations.c.id).scalar_subquery()
        query = sa.select(conversations.c.id, conversations.c.mode, count, conversations.c.created, conversations.c.updated, first).order_by(conversations.c.updated.desc())
        if limit:
            query = query.limit(limit)
        with self._transaction() as db:
            return [ConversationInfo(r[0], r[1], int(r[2]), r[3], r[4], r[5] or "") for r in db.execute(query).all()]

    def message_count(self, session_id: str, role: str | None = None) -> int:
        """How many message rows a conversation has (of one role, if given)."""
        query = sa.select(sa.func.count()).select_from(messages).where(messages.c.conversation_id == session_id)
        if role:
            query = query.where(messages.c.role == role)
        with self._transaction() as db:
            return int(db.execute(query).scalar() or 0)

    def delete(self, session_id: str) -> bool:
        """Delete a conversation and all its messages; False when there was none."""
        with self._transaction() as db:
            db.execute(sa.delete(messages).where(messages.c.conversation_id == session_id))
            return db.execute(sa.delete(conversations).where(conversations.c.id == session_id)).rowcount > 0

    def prune(self, older_than_days: float) -> int:
        """Delete conversations untouched for longer than this; returns how many."""
        cutoff = time.time() - older_than_days * 86400
        old = sa.select(conversations.c.id).where(conversations.c.updated < cutoff)
        with self._transaction() as db:
            db.execute(sa.delete(messages).where(messages.c.conversation_id.in_(old)))
            return db.execute(sa.delete(conversations).where(conversations.c.updated < cutoff)).rowcount

    def close(self) -> None:
        """Close the database connections (the store reopens on next use)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _insert_new(db: sa.Connection):
    """An insert of a conversation row that does nothing when the id exists (another process got there first)."""
    if db.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(conversations).on_conflict_do_nothing(index_elements=["id"])


def _message_row(session_id: str, message: Message, now: float) -> dict:
    return {
        "conversation_id": session_id,
        "role": message.role,
        "content": message.content,
        "result": message.result.model_dump_json() if message.result is not None else None,
        "created": now,
    }


def _sqlite_pragmas(connection, _record) -> None:
    # synchronous=NORMAL in WAL mode: a commit survives the app crashing; only a power cut can lose the latest turns.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()

