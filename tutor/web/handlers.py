"""Chat handlers: plain generators over (message, history, session, …) that the Gradio page wires up and tests call directly.

The session (a `tutor.models.Session`) lives in a per-browser `gr.State`, so
two students never share a conversation. Errors become a friendly chat message.
"""

from __future__ import annotations

import queue
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from tutor.engine import Engine, new_session
from tutor.models import Session, TurnResult
from tutor.session_store import SessionStoreError
from tutor.web import render

STREAM_WINDOW = 0.1  # seconds of streamed pieces gathered into one page update
RESTART = object()  # queued when the engine takes back what it streamed


def _latest(session: Session) -> TurnResult | None:
    return next((m.result for m in reversed(session.messages) if m.role == "assistant" and m.result), None)


def panels(session: Session) -> tuple[str, str]:
    """The sources panel and the debate panel (motion, subject, scorecard) for the latest answer."""
    latest = _latest(session)
    debate = session.state.get("debate", {}) if session.mode == "debate" else {}
    return render.sources_html(latest), render.scorecard_markdown(latest, debate.get("title", ""), debate.get("subject", ""))


def history_of(session: Session) -> list[dict]:
    """The chat history the page shows for a saved session."""
    history = []
    for message in session.messages:
        if message.role == "user":
            history.append({"role": "user", "content": render.escape_markdown_html(message.content)})
        elif message.result is not None:
            history.append({"role": "assistant", "content": render.answer_markdown(message.result)})
    return history


def restore(engine: Engine, session_id: str | None) -> tuple:
    """On page load: the browser's saved conversation, or a new one."""
    try:
        session = (engine.services.sessions.load(session_id) if session_id else None) or new_session()
    except SessionStoreError:
        # The database is down: the page still works and each turn says it could not be saved. The id is
        # kept, so turns saved once the database is back join the stored conversation instead of orphaning it.
        session = Session(id=session_id)
    return (history_of(session), session, *panels(session), "", session.id)


def chat(engine: Engine, message: str, history: list[dict], session: Session | None, mode: str) -> Iterator[tuple]:
    """Answer a chat message, streaming the reply; yields (history, session, sources, scorecard, textbox, session id).

    Updates while the reply streams leave the sources panel and scorecard
    untouched (`gr.skip()`): they belong to the finished answer, and resending
    them with every piece is most of the traffic when a class is online.
    """
    session = session or new_session()
    history = list(history or [])
    mode = mode if mode in engine.registry.modes else "explain"
    if session.mode != mode and not (message or "").lstrip().startswith("/"):
        session.mode = mode
    history.append({"role": "user", "content": render.escape_markdown_html(message or "")})
    history.append({"role": "assistant", "content": "…"})
    yield (history, session, gr.skip(), gr.skip(), "", session.id)
    pieces: queue.Queue = queue.Queue()
    outcome: dict = {}

    def work():
        try:
            outcome["result"] = engine.turn(session, message or "", on_text=pieces.put, on_restart=lambda: pieces.put(RESTART))
        except Exception as exc:  # the page must never show a traceback or a stuck spinner
            outcome["error"] = exc
        finally:
            pieces.put(None)

    threading.Thread(target=work, daemon=True).start()
    streamed, finished = "", False
    # Each update gets its own history list: an earlier update may still be on its way to the browser.
    while not finished:
        text, finished, restarted = _drain(pieces)
        streamed = text if restarted else streamed + text
        if (text or restarted) and not finished:
            history = [*history[:-1], {"role": "assistant", "content": render.escape_markdown_html(streamed) or "…"}]
            yield (history, session, gr.skip(), gr.skip(), gr.skip(), session.id)
    if "error" in outcome:
        reply = f"Sorry, something went wrong ({type(outcome['error']).__name__}). Your conversation is safe; please try again."
    else:
        reply = render.answer_markdown(outcome["result"])
    history = [*history[:-1], {"role": "assistant", "content": reply}]
    yield (history, session, *panels(session), gr.skip(), session.id)


def _drain(pieces: queue.Queue, window: float = STREAM_WINDOW) -> tuple[str, bool, bool]:
    """Wait for the next piece, then gather more for up to `window` seconds.

    Returns the text gathered, whether the turn ended, and whether the stream
    restarted (the text then replaces what was shown instead of extending it).
    Pieces that arrive together become one update: an LLM's tokens reach the
    page a few times a second rather than one by one, and an offline answer,
    which comes whole and is verified within milliseconds, goes out once, finished.
    """
    text, restarted = "", False
    deadline = None
    while True:
        try:
            piece = pieces.get() if deadline is None else pieces.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            return text, False, restarted
        if piece is None:
            return text, True, restarted
        if piece is RESTART:
            text, restarted = "", True
        else:
            text += piece
        deadline = deadline or time.monotonic() + window
        if time.monotonic() >= deadline:
            return text, False, restarted


def start_debate(engine: Engine, history: list[dict], session: Session | None, side: str, motion: str, rounds: int) -> Iterator[tuple]:
    """Set up a debate from the form and show the opening."""
    session = session or new_session()
    session.options["debate"] = {"side": side.lower(), "motion": motion, "rounds": int(rounds)}
    yield from chat(engine, f"/debate {side.lower()}", history, session, "debate")


def reset() -> tuple:
    """A fresh session: empty chat and panels."""
    session = new_session()
    return ([], session, *panels(session), "", session.id)


def export(session: Session | None) -> list[str]:
    """Write the conversation as Markdown and JSON files and return their paths."""
    session = session or new_session()
    folder = Path(tempfile.mkdtemp(prefix="tutor-export-"))
    md, js = folder / f"conversation-{session.id[:8]}.md", folder / f"conversation-{session.id[:8]}.json"
    md.write_text(render.conversation_markdown(session), encoding="utf-8")
    js.write_text(render.conversation_json(session), encoding="utf-8")
    return [str(md), str(js)]


def store_status(engine: Engine) -> str:
    """A line about the store's health for the page; when it is unusable, how to fix it."""
    try:
        info = engine.services.store.info()
        engine.services.store.active()
        return f"Store ready: {sum(info.counts.values())} passages."
    except Exception as exc:  # any failure to open the store is shown, with the fix
        return f"**The store cannot be used:** {exc}\n\nPress **Rebuild the store** to build it again from the corpus."


def rebuild_store(engine: Engine) -> Iterator[str]:
    """Rebuild the store from the corpus (the page's offer when the store is broken); yields status lines."""
    from tutor.ingest import ingest

    yield "Rebuilding the store from the corpus; this takes a minute or two…"
    try:
        report = ingest(engine.services.settings, rebuild=True, embeddings=engine.services.embeddings)
    except Exception as exc:  # shown to the user; the page stays usable
        yield f"**The rebuild failed:** {exc}"
        return
    engine.services.reset_store()
    yield f"Store rebuilt: {report.chunks} passages. You can ask questions again."
