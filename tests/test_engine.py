"""Grounded turns through the engine on the full corpus, offline composer (the default backend)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.engine import Engine, new_session
from tutor.hookspecs import hookimpl
from tutor.plugin_api import Mode
from tutor.plugins import PluginRegistry
from tutor.services import Services
from tutor.sessions import load_session, save_session

pytestmark = pytest.mark.slow

ANSWERABLE = [
    "What was Bloody Sunday?",
    "Why did the Bolsheviks introduce the New Economic Policy?",
    "What happened at Kronstadt in 1921?",
    "How did collectivization affect the peasants?",
    "What was the Great Terror?",
]
OUT_OF_SCOPE = ["Who won the 2018 football World Cup?", "How do I bake a chocolate cake?", "What is the best way to learn Python programming?"]


@pytest.fixture(scope="module")
def engine(full) -> Engine:
    return Engine(full)


def test_offline_answer_is_cited_and_fully_supported(engine, full):
    session = new_session()
    result = engine.turn(session, "What was Bloody Sunday?")
    assert not result.abstained and result.backend == "offline" and result.mode == "explain"
    assert result.citations and "[1]" in result.answer
    for citation in result.citations:
        original = full.corpus.document(citation.source).original
        assert original[citation.start : citation.end] == citation.quote
        assert f"[{citation.number}]" in result.answer
    factual = [g for g in result.grounding if g.factual]
    assert factual and all(g.supported for g in factual)
    assert "Bloody Sunday" in result.answer
    assert result.follow_ups and all(q.endswith("?") for q in result.follow_ups)
    assert [m.role for m in session.messages] == ["user", "assistant"]


@pytest.mark.parametrize("question", ANSWERABLE)
def test_answerable_questions_are_answered_with_supported_sentences(engine, question):
    result = engine.turn(new_session(), question)
    assert not result.abstained, question
    factual = [g for g in result.grounding if g.factual]
    assert factual and all(g.supported for g in factual), [g for g in factual if not g.supported]


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_abstain_and_offer_questions(engine, question):
    result = engine.turn(new_session(), question)
    assert result.abstained, result.answer
    assert not result.citations
    assert "don't cover" in result.answer
    assert result.follow_ups


def test_names_and_years_no_source_mentions_are_found(engine):
    unknown = engine.tools.composer.unknown_names
    assert unknown("What did Tolkien think of the Tsar in 1917?") == ["tolkien"]
    assert unknown("What happened to Lenin's widow in 2025?") == ["2025"]
    assert unknown("Why does Figes think 1891 mattered?") == []  # a source's author counts as known
    assert unknown("When did the last White-held area give up?") == []  # one known part of a hyphenated name is enough


@pytest.mark.parametrize(
    "question",
    ["What did Vladimir Zhirinovsky say about Stalin in his 1996 campaign?", "What did Alexander Dugin write about the Bolsheviks?"],
)
def test_near_topic_questions_about_what_no_source_mentions_abstain(engine, question):
    result = engine.turn(new_session(), question)
    assert result.abstained, result.answer


def test_false_premise_states_what_the_sources_say(engine):
    result = engine.turn(new_session(), "Why did Trotsky become General Secretary in 1922?")
    assert not result.abstained
    assert "don't support" in result.answer
    assert any("Stalin" in c.quote and "General Secretary" in c.quote for c in result.citations)


def test_follow_up_is_rewritten_with_the_conversation(engine):
    session = new_session()
    engine.turn(session, "Why did Stalin launch the Great Break in 1929?")
    result = engine.turn(session, "Why did he do that?")
    assert "Stalin" in result.query and result.query != "Why did he do that?"
    assert any("Stalin" in p.text for p in result.passages)


def test_session_round_trips_through_a_file(engine, tmp_path):
    session = new_session()
    engine.turn(session, "What was the Kornilov affair?")
    path = tmp_path / "s.json"
    save_session(session, path)
    restored = load_session(path)
    assert restored == session
    assert restored.messages[1].result.citations == session.messages[1].result.citations


def test_empty_and_huge_messages_get_a_clear_message(engine):
    session = new_session()
    assert "Please type a question" in engine.turn(session, "   \x00 ").answer
    assert "limit" in engine.turn(session, "a" * 100_000).answer
    assert session.messages == []


def test_llm_that_is_down_falls_back_to_the_offline_composer(full):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens here
    services = Services(full.settings.model_copy(deep=True))
    services.settings.llm.backend = "openai"
    services.settings.llm.base_url = f"http://127.0.0.1:{port}/v1"
    services.settings.llm.timeout = 5
    services.embeddings = full.embeddings
    services.retriever = full.retriever
    result = Engine(services).turn(new_session(), "What was the NEP?")
    assert result.backend == "offline"
    assert result.notices and "composed offline" in result.notices[0]
    assert all(g.supported for g in result.grounding if g.factual)


class _Broken(Mode):
    name = "broken"
    title = "Broken"
    description = "Raises on every turn."

    def turn(self, ctx):
        raise RuntimeError("boom")


class _BrokenPlugin:
    @hookimpl
    def register_modes(self, register):
        register(_Broken())


def test_a_failing_mode_gives_a_message_and_keeps_the_session(full):
    engine = Engine(full, PluginRegistry(extra_plugins=(_BrokenPlugin(),)))
    session = new_session(mode="broken")
    result = engine.turn(session, "What was the NEP?")
    assert "broken mode failed" in result.answer and "RuntimeError" in result.answer
    session.mode = "explain"
    assert engine.turn(session, "What was the NEP?").citations


def test_ask_json_and_session_file_from_the_shell(full_store_dir, tmp_path):
    tutor = str(Path(sys.executable).with_name("tutor"))
    env = {**os.environ, "TUTOR_DATA_DIR": str(full_store_dir)}
    session = tmp_path / "chat.json"
    first = subprocess.run([tutor, "ask", "Who was Father Gapon?", "--session", str(session), "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert {"answer", "mode", "backend", "abstained", "citations", "passages", "grounding"} <= set(data)
    assert {"source", "chunk_id", "quote", "start", "end"} <= set(data["citations"][0])
    assert {"chunk_id", "source", "text"} <= set(data["passages"][0])
    assert {"text", "supported", "citation"} <= set(data["grounding"][0])
    second = subprocess.run([tutor, "ask", "What did he lead?", "--session", str(session), "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "Gapon" in json.loads(second.stdout)["query"]
    assert len(load_session(session).messages) == 4


def test_terminal_chat_answers_each_line(full_store_dir, tmp_path):
    tutor = str(Path(sys.executable).with_name("tutor"))
    env = {**os.environ, "TUTOR_DATA_DIR": str(full_store_dir)}
    session = tmp_path / "chat.json"
    done = subprocess.run(
        [tutor, "chat", "--session", str(session)],
        input="What was the Kronstadt mutiny?\n\nWho won the 2018 football World Cup?\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("tutor>") == 3
    assert "Sources:" in done.stdout and "Please type a question" in done.stdout and "don't cover" in done.stdout
    assert len(load_session(session).messages) == 4
