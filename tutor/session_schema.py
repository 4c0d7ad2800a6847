"""The session database's tables and their migrations, for SQLite and PostgreSQL alike.

Version 1 (before SQLAlchemy) kept each conversation as one JSON document in
`sessions`, rewritten on every turn: two processes answering the same
conversation at once overwrote each other's turns. Version 2 keeps messages as
rows that are only ever appended, and the rest of a conversation (mode, options,
each mode's state) in one row guarded by a version number.

The schema version lives in `tutor_schema`; `migrate` creates or upgrades the
tables at start-up and refuses a database newer than the code.
"""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

VERSION = 2

metadata = sa.MetaData()

schema_version = sa.Table("tutor_schema", metadata, sa.Column("version", sa.Integer, nullable=False))

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("mode", sa.String(64), nullable=False),
    sa.Column("options", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    # Bumped by every write of mode/options/state; a writer holding an older number is refused.
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("updated", sa.Float, nullable=False, index=True),
)

messages = sa.Table(
    "messages",
    metadata,
    # SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("result", sa.Text, nullable=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Index("messages_by_conversation", "conversation_id", "id"),
)


class SchemaTooNew(Exception):
    """The database was written by a newer tutor than this one."""

    def __init__(self, found: int):
        super().__init__(f"The session database has schema version {found}; this tutor knows versions up to {VERSION}. Upgrade the tutor, or point TUTOR_SESSIONS_URL at another database.")
        self.found = found


def current_version(db: sa.Connection) -> int:
    """The database's schema version: 0 when empty, 1 for the old one-document table."""
    tables = set(sa.inspect(db).get_table_names())
    if schema_version.name in tables:
        row = db.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
        return int(row or 0)
    return 1 if "sessions" in tables else 0


def migrate(db: sa.Connection) -> int:
    """Create or upgrade the tables inside the caller's transaction; returns the version found before."""
    found = current_version(db)
    if found > VERSION:
        raise SchemaTooNew(found)
    if found == VERSION:
        return found
    metadata.create_all(db)
    if found == 1:
        _from_documents(db)
    db.execute(sa.delete(schema_version))
    db.execute(sa.insert(schema_version).values(version=VERSION))
    return found


def _from_documents(db: sa.Connection) -> None:
    """Version 1 → 2: split each stored conversation document into a conversation row and message rows."""
    old = sa.table("sessions", sa.column("id"), sa.column("data"), sa.column("updated"))
    for session_id, data, updated in db.execute(sa.select(old.c.id, old.c.data, old.c.updated)).all():
        try:
            document = json.loads(data)
        except ValueError:
            continue  # version 1 could not read it either
        db.execute(
            sa.insert(conversations).values(
                id=session_id,
                mode=document.get("mode", "explain"),
                options=json.dumps(document.get("options", {})),
                state=json.dumps(document.get("state", {})),
                version=1,
                created=updated or time.time(),
                updated=updated or time.time(),
            )
        )
        rows = [
            {
                "conversation_id": session_id,
                "role": m.get("role", "user"),
                "content": m.get("content", ""),
                "result": json.dumps(m["result"]) if m.get("result") is not None else None,
                "created": updated or time.time(),
            }
            for m in document.get("messages", [])
        ]
        if rows:
            db.execute(sa.insert(messages), rows)
    db.execute(sa.text("DROP TABLE sessions"))
