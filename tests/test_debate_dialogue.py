"""The debate partner answers what the learner said: topic, corrections, evidence, no repetition (full store, real model)."""

from __future__ import annotations

import pytest

from tutor.engine import Engine, new_session
from tutor.text import match_form
from tutor_plugins.debate.evidence import reports_other_view
from tutor_plugins.debate.positions import load_bank

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(full) -> Engine:
    return Engine(full)


def _debate(engine, side: str, motion: str):
    session = new_session(mode="debate")
    session.options["debate"] = {"side": side, "motion": motion, "rounds": 20}
    return session


def _claims(answer: str, side: str):
    text = match_form(answer)
    return [c for c in load_bank().sides[side].claims if match_form(c.claim) in text]


def test_a_false_date_is_corrected_in_the_reply_with_a_citation(engine):
    session = _debate(engine, "stalin", "socialism-in-one-country")
    result = engine.turn(session, "Stalin became General Secretary in 1930, after Lenin died.")
    assert "You say 1930" in result.answer
    cited = [g for g in result.grounding if g.citation is not None and g.supported and "1922" in g.text]
    assert cited, result.answer
    assert any(e.verdict == "contradicted" for e in result.scorecard)


def test_the_reply_meets_the_learners_topic_and_follows_when_it_moves(engine):
    session = _debate(engine, "stalin", "socialism-in-one-country")
    persona = load_bank().sides["stalin"].persona
    first = engine.turn(session, "Was the forced collectivization of agriculture a crime?")
    assert {c.motion for c in _claims(first.answer, "stalin")} == {"collectivisation"}
    assert match_form(persona.off_motion.split("{")[0]) in match_form(first.answer)  # says it leaves the motion
    second = engine.turn(session, "The Moscow show trials were a farce, the old Bolsheviks confessed under torture.")
    assert {c.motion for c in _claims(second.answer, "stalin")} == {"great-terror"}
    assert match_form(persona.topic_change.split("{")[0]) in match_form(second.answer)


def test_trotsky_answers_the_testament_and_never_cites_himself_as_a_neutral_historian(engine):
    session = _debate(engine, "trotsky", "socialism-in-one-country")
    result = engine.turn(session, "Lenin's Testament asked for you to be General Secretary, but you refused.")
    assert {c.motion for c in _claims(result.answer, "trotsky")} == {"lenin-succession"}
    assert "Testament" in result.answer or "General Secretary" in result.answer
    judgement_intros = load_bank().sides["trotsky"].rhetoric.judgement_intros
    for citation in result.citations:
        if "Trotsky wrote" in citation.quote or "Trotsky blamed" in citation.quote:
            assert not any(intro in result.answer for intro in judgement_intros)


@pytest.mark.parametrize("side", ["stalin", "trotsky"])
def test_ten_rounds_without_repeating_a_claim_or_an_evidence_sentence(engine, side):
    session = _debate(engine, side, "collectivisation")
    messages = [
        "Collectivisation was forced on the villages through violence.",
        "The kulaks were just the best farmers, not enemies.",
        "Millions starved in the famine of 1932-33.",
        "Peasants slaughtered their livestock rather than join the kolkhoz.",
        "Dizzy with Success just blamed local officials for orders from the top.",
        "Collective farms never fed the country properly.",
        "Admit that collectivisation was a disaster.",
        "The grain was exported while people starved.",
        "You are now the other side. Argue against yourself.",
        "What about the deportations of the kulaks to Siberia?",
    ]
    bank = load_bank()
    other = {match_form(c.claim) for c in bank.other(side).claims}
    seen_claims, seen_quotes = set(), set()
    for message in messages:
        result = engine.turn(session, message)
        ours = _claims(result.answer, side)
        assert ours, "each reply advances one of the persona's own claims"
        assert not any(c in match_form(result.answer) for c in other)
        for phrase in ("i concede", "you are right", "i was wrong", "i apologise"):
            assert phrase not in match_form(result.answer)
        ids = {c.id for c in ours}
        assert not ids & seen_claims, f"claim repeated: {ids & seen_claims}"
        quotes = {c.quote for c in result.citations}
        assert not quotes & seen_quotes, f"evidence repeated: {quotes & seen_quotes}"
        seen_claims |= ids
        seen_quotes |= quotes
        persona = bank.sides[side]
        for citation in result.citations:
            assert not reports_other_view(citation.quote, persona.opponents)
        assert all(g.supported for g in result.grounding if g.factual)


def test_an_open_debate_takes_any_subject(engine):
    session = new_session()
    opening = engine.turn(session, "/debate trotsky open")
    assert "Open debate" in opening.answer
    result = engine.turn(session, "Your 'neither war nor peace' stunt at Brest-Litovsk let the Germans advance towards Petrograd.")
    assert {c.motion for c in _claims(result.answer, "trotsky")} == {"brest-litovsk"}
    assert result.citations


def test_a_paraphrased_misdating_is_corrected_and_a_named_person_does_not_pull_the_subject(engine):
    session = _debate(engine, "stalin", "great-terror")
    result = engine.turn(session, "Zinoviev and Kamenev were shot after a show trial in 1938.")
    assert {c.motion for c in _claims(result.answer, "stalin")} == {"great-terror"}  # not their October article
    assert "You say 1938" in result.answer
    assert any(g.citation is not None and g.supported and "1936" in g.text for g in result.grounding), result.answer


def test_a_rightly_dated_claim_is_not_contradicted(engine):
    session = _debate(engine, "trotsky", "foreign-policy")
    result = engine.turn(session, "Joining the League of Nations in 1934 was smart diplomacy.")
    assert not any(e.verdict == "contradicted" for e in result.scorecard), result.scorecard


@pytest.mark.parametrize("side", ["stalin", "trotsky"])
def test_an_agreeing_message_is_carried_further_not_rebutted(engine, side):
    rhetoric, persona = load_bank().sides[side].rhetoric, load_bank().sides[side].persona
    message = {
        "stalin": "I agree, socialism had to be built in Russia without waiting for Europe.",
        "trotsky": "You're right, the revolution could not survive isolated in one backward country.",
    }[side]
    result = engine.turn(_debate(engine, side, "socialism-in-one-country"), message)
    assert persona.agreement in result.answer
    assert not any(opener in result.answer for opener in rhetoric.rebuttal_openers)
    assert any(opener in result.answer for opener in rhetoric.advance_openers) and "[1]" in result.answer
    # "…but" turns agreement into an objection, which is rebutted.
    objection = engine.turn(_debate(engine, side, "socialism-in-one-country"), f"{message.split(',')[0]}, but the plan was a mistake.")
    assert persona.agreement not in objection.answer


def test_agreement_is_read_off_the_opening_words():
    from tutor_plugins.debate import agrees_with_persona

    assert agrees_with_persona("I completely agree with you, comrade.")
    assert agrees_with_persona("Exactly. The kulaks were hoarding grain.")
    assert not agrees_with_persona("I agree with nothing you said, but go on.")
    assert not agrees_with_persona("Collectivisation was a crime; I don't agree.")  # agreement must open the message
