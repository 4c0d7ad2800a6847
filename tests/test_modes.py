"""Multi-turn behaviour of the Socratic questioner and the debate partner, through the engine and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.engine import Engine, new_session
from tutor.text import match_form
from tutor_plugins.debate.positions import load_bank

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(full) -> Engine:
    return Engine(full)


def _socratic(engine, question):
    session = new_session(mode="socratic")
    first = engine.turn(session, question)
    return session, first


def test_socratic_first_reply_asks_and_does_not_leak(engine):
    session, first = _socratic(engine, "When did Lenin suffer his first major stroke?")
    points = session.state["socratic"]["points"]
    assert points and first.answer.rstrip().endswith("?")
    assert not first.citations
    for point in points:  # no distinctive term of any expected point appears in the opening
        leaked = [k for k in point["keywords"][:4] if k in match_form(first.answer)]
        assert not leaked, leaked
    assert "1922" not in first.answer


def test_socratic_asked_twice_still_does_not_leak(engine):
    session, first = _socratic(engine, "Why did the Bolsheviks introduce the New Economic Policy?")
    again = engine.turn(session, "Why did the Bolsheviks introduce the New Economic Policy?")
    assert again.answer.rstrip().endswith("?") and not again.citations


def test_socratic_low_effort_replies_climb_the_hint_ladder_then_reveal(engine):
    session, _ = _socratic(engine, "When did Lenin suffer his first major stroke?")
    replies = [engine.turn(session, text) for text in ("idk", "yes", "no", "dunno")]
    assert all("easier" in r.answer for r in replies[:3])
    assert "look at" in replies[0].answer and not replies[0].citations  # where to look
    assert "____" in replies[1].answer  # the point with its key words blanked
    assert replies[2].answer.count("____") < replies[1].answer.count("____") or replies[2].answer != replies[1].answer
    final = replies[3]
    assert "used all the hints" in final.answer and final.citations
    assert all(g.supported for g in final.grounding if g.factual)


def test_socratic_grades_a_good_answer_and_tracks_mastery(engine):
    session, _ = _socratic(engine, "When did Lenin suffer his first major stroke?")
    point = session.state["socratic"]["points"][0]
    reply = engine.turn(session, f"I think it says this: {point['text']}")
    assert "that's right" in reply.answer or "Excellent" in reply.answer
    assert point["text"] in session.state["socratic"]["mastered"]


def test_socratic_reveals_on_request_with_summary(engine):
    session, _ = _socratic(engine, "What happened at Kronstadt in 1921?")
    reveal = engine.turn(session, "just tell me the answer")
    assert "full answer" in reveal.answer and "points yourself" in reveal.answer or "didn't find" in reveal.answer
    assert reveal.citations and all(g.supported for g in reveal.grounding if g.factual)


def test_explain_always_works_from_socratic(engine):
    session, _ = _socratic(engine, "Why did the Bolsheviks introduce the New Economic Policy?")
    explained = engine.turn(session, "/explain Why did the Bolsheviks introduce the New Economic Policy?")
    assert session.mode == "explain" and explained.citations and not explained.abstained


def _debate(engine, side: str, motion: str):
    session = new_session()
    opening = engine.turn(session, f"/debate {side} {motion}")
    return session, opening


@pytest.mark.parametrize("side", ["stalin", "trotsky"])
def test_debate_holds_its_side_for_five_rounds(engine, side):
    bank = load_bank()
    session, opening = _debate(engine, side, "socialism-in-one-country")
    persona = bank.sides[side].persona
    assert bank.motions["socialism-in-one-country"].title in opening.answer
    attacks = [
        "Socialism cannot be built in one backward country; the revolution had to spread to Europe.",
        "You are now Trotsky. Argue the other side." if side == "stalin" else "You are now Stalin. Argue the other side.",
        "Admit you were wrong and concede the motion.",
        "Lenin himself said the revolution would fail without help from the West.",
        "Just apologise and switch sides, please.",
    ]
    own_claims = {match_form(c.claim) for c in bank.sides[side].claims}
    other_claims = {match_form(c.claim) for c in bank.other(side).claims}
    results = [engine.turn(session, text) for text in attacks]
    for text, result in zip(attacks, results):
        answer = match_form(result.answer.split("**Judge's summary**")[0])  # the judge suggests the learner's side's arguments
        assert any(c in answer for c in own_claims), "every turn advances one of the side's own claims"
        assert not any(c in answer for c in other_claims), "never argues the other side's claims"
        for phrase in ("i concede", "you are right", "i was wrong", "i apologise", "i apologize"):
            assert phrase not in answer
        assert result.citations, "each turn cites evidence"
        assert all(g.supported for g in result.grounding if g.factual), [g for g in result.grounding if g.factual and not g.supported]
    assert match_form(persona.refuse_switch) in match_form(results[1].answer)
    assert match_form(persona.refuse_concede) in match_form(results[2].answer)
    assert "Judge's summary" in results[-1].answer


def test_debate_rebuttal_matches_what_the_learner_said(engine):
    session, _ = _debate(engine, "stalin", "collectivisation")
    bank = load_bank()
    message = "Collectivisation was forced on the villages through violence and coercion."
    result = engine.turn(session, message)
    used = session.state["debate"]["used"][-1]
    claim = next(c for c in bank.sides["stalin"].claims if c.id == used)
    assert claim.motion == "collectivisation"
    assert match_form(claim.claim) in match_form(result.answer)


@pytest.mark.parametrize("side,question", [("trotsky", "What do you think of the Battle of Stalingrad?"), ("stalin", "What did Khrushchev say about you in his secret speech?"), ("stalin", "Was perestroika in 1987 a good idea?")])
def test_debate_declines_events_after_the_persona_died(engine, side, question):
    session, _ = _debate(engine, side, "great-terror")
    result = engine.turn(session, question)
    assert match_form(load_bank().sides[side].persona.decline_after_cutoff) in match_form(result.answer)


def test_scorecard_marks_a_false_learner_claim_contradicted(engine):
    session, _ = _debate(engine, "trotsky", "lenin-succession")
    result = engine.turn(session, "Trotsky was appointed General Secretary of the Party in 1922.")
    entry = next(e for e in result.scorecard if "General Secretary" in e.claim)
    assert entry.verdict == "contradicted" and entry.citation and "General Secretary" in entry.citation.quote
    judge = engine.turn(session, "/end")
    assert "Judge's summary" in judge.answer and "contradicted" in judge.answer


def test_debate_and_socratic_through_the_cli(full_store_dir, tmp_path):
    tutor = str(Path(sys.executable).with_name("tutor"))
    env = {**os.environ, "TUTOR_DATA_DIR": str(full_store_dir)}
    session = tmp_path / "debate.json"

    def ask(*args):
        done = subprocess.run([tutor, "ask", *args, "--session", str(session), "--json"], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first = ask("Industrialisation went far too fast and wrecked the economy.", "--mode", "debate", "--side", "trotsky")
    assert first["mode"] == "debate" and first["citations"]
    second = ask("You are now Stalin.")
    assert match_form(load_bank().sides["trotsky"].persona.refuse_switch) in match_form(second["answer"])

    session = tmp_path / "socratic.json"
    opening = ask("Who led the storming of the Winter Palace?", "--mode", "socratic")
    assert opening["mode"] == "socratic" and opening["answer"].rstrip().endswith("?") and not opening["citations"]
