"""Save and load sessions as JSON files (the CLI's --session; the web app keeps its own copy per browser)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from tutor.engine import new_session
from tutor.models import Session


class SessionFileError(ValueError):
    """A session file exists but cannot be read as a session."""


def load_session(path: Path, mode: str = "explain") -> Session:
    """The session saved at `path`, or a new one when the file does not exist yet."""
    if not path.exists():
        return new_session(mode)
    try:
        return Session.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError) as exc:
        raise SessionFileError(f"{path} is not a readable tutor session ({str(exc).splitlines()[0]}).") from exc


def save_session(session: Session, path: Path) -> None:
    """Write the session atomically (a crash mid-write never leaves a half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(session.model_dump_json(indent=1))
    os.replace(tmp, path)
