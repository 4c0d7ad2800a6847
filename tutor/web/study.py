"""The student's study page (`/study`): what is due for review and per-topic mastery.

It reads the browser's saved session (the same encrypted browser storage the
chat page writes) and asks every installed mode for its progress
(`Mode.progress`), so it names no mode: the quiz reports its FSRS deck, and a
third party's mode that keeps progress appears here too.
"""

from __future__ import annotations

from functools import partial

import gradio as gr

from tutor.engine import Engine
from tutor.models import Session
from tutor.web.render import escape_markdown_html

MAX_DUE_SHOWN = 10
EMPTY = "_Nothing yet. Start a quiz in the chat with `/quiz` or `/quiz TOPIC` (for example `/quiz the famine of 1891`); what you answer is scheduled for review and shows up here._"


def _cell(text: str) -> str:
    return escape_markdown_html(text).replace("|", "\\|").replace("\n", " ")


def progress_markdown(engine: Engine, session: Session | None) -> str:
    """The page's content for a session: per mode with progress, the items due now and a table of topics."""
    # A plugin's mode need not subclass Mode (the registry asks only for a name and turn()), so progress is optional.
    reporters = [getattr(mode, "progress", None) for mode in engine.registry.modes.values()]
    reports = [report for progress in reporters if session and callable(progress) and (report := progress(session))]
    if not reports:
        return EMPTY
    parts = []
    for report in reports:
        parts.append(f"## {escape_markdown_html(report.title)}")
        shown = report.due[:MAX_DUE_SHOWN]
        more = f"\n\n…and {len(report.due) - len(shown)} more." if len(report.due) > len(shown) else ""
        due = "\n".join(f"- {escape_markdown_html(text)}" for text in shown)
        parts.append(f"**Due for review now: {len(report.due)}**" + (f"\n\n{due}{more}" if shown else " (nothing is due; come back later)."))
        rows = ["| topic | items answered | due now | mastery |", "| --- | ---: | ---: | ---: |"]
        rows += [f"| {_cell(t.topic)} | {t.items} | {t.due} | {t.mastery:.0%} |" for t in sorted(report.topics, key=lambda t: t.mastery)]
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


def show(engine: Engine, session_id: str | None) -> str:
    """What the page shows for the browser's saved session."""
    session = engine.services.sessions.load(session_id) if session_id else None
    return progress_markdown(engine, session)


def add_page(blocks: gr.Blocks, engine: Engine, saved_id: gr.BrowserState) -> None:
    """Add the study page to the app (after the main page's layout, outside its Blocks context)."""
    with blocks.route("My study", "/study") as page:
        gr.Markdown("# My study\nWhat is due for review and how well you know each topic (mastery: the scheduler's chance that you recall an item now, 0 for one you last got wrong).")
        # The chat page's browser storage: same key and secret, so this page finds the same session.
        saved = gr.BrowserState(None, storage_key=saved_id.storage_key, secret=saved_id.secret)
        view = gr.Markdown(elem_id="study")
        refresh = gr.Button("Refresh", elem_id="study-refresh")
        load = partial(show, engine)
        page.load(load, [saved], [view], api_name=False)
        refresh.click(load, [saved], [view], api_name=False)
