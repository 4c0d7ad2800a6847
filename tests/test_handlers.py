"""The web chat handlers as plain generators, without a browser: what each update carries."""

from __future__ import annotations

import gradio as gr
import pytest

from tutor.engine import Engine
from tutor.web import handlers

SKIP = gr.skip()


@pytest.fixture(scope="module")
def engine(full):
    return Engine(full)


def test_streaming_updates_leave_the_panels_alone_and_the_last_fills_them(engine):
    updates = list(handlers.chat(engine, "What was the NEP?", [], None, "explain"))
    first, *middle, last = updates
    assert first[0][-1] == {"role": "assistant", "content": "…"} and first[4] == ""
    for update in [first, *middle]:
        assert update[2] == SKIP and update[3] == SKIP
    history, session, sources, _, textbox, session_id = last
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "[1]" in history[-1]["content"]
    assert "New Economic Policy" in sources or "NEP" in sources
    assert textbox == SKIP  # whatever the student typed meanwhile stays
    assert session_id == session.id


def test_history_and_session_carry_over_between_turns(engine):
    *_, last = handlers.chat(engine, "What was the NEP?", [], None, "explain")
    *_, again = handlers.chat(engine, "Who was Father Gapon?", last[0], last[1], "explain")
    assert len(again[0]) == 4 and again[1].id == last[1].id
    assert [m.role for m in again[1].messages] == ["user", "assistant", "user", "assistant"]


def test_a_failing_turn_becomes_a_friendly_message(engine, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "turn", broken)
    *_, last = handlers.chat(engine, "What was the NEP?", [], None, "explain")
    assert "something went wrong (RuntimeError)" in last[0][-1]["content"]
    assert "Traceback" not in last[0][-1]["content"]


def test_bursts_of_pieces_become_one_update():
    import queue

    pieces: queue.Queue = queue.Queue()
    for piece in ("The ", "NEP ", "was "):
        pieces.put(piece)
    assert handlers._drain(pieces, window=0.05) == ("The NEP was ", False, False)
    pieces.put("adopted.")
    pieces.put(None)
    assert handlers._drain(pieces, window=0.05) == ("adopted.", True, False)


def test_a_restart_replaces_what_was_shown():
    import queue

    pieces: queue.Queue = queue.Queue()
    for piece in ("The model began ", handlers.RESTART, "The offline answer."):
        pieces.put(piece)
    assert handlers._drain(pieces, window=0.05) == ("The offline answer.", False, True)

