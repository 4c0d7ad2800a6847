"""Evidence that supports the persona: planted traps of each kind, taken from the sources' own sentences."""

from __future__ import annotations

import pytest

from tutor.corpus import Corpus
from tutor.text import match_form
from tutor_plugins.debate.evidence import EvidenceKind, acceptable, kind_of, reports_other_view
from tutor_plugins.debate.positions import load_bank

# Sentences of the book, quoted exactly (checked below), that sit next to the right words but argue the other side,
# report a persona's own words, or judge rather than narrate.
OPPONENTS_VIEW = "In their view socialism was unsustainable in Russia on its own because it lacked the industries it needed to defend itself against the ‘imperialist’ powers."
TROTSKY_WROTE = "In The Revolution Betrayed (1936), Trotsky wrote that Stalin’s power rested on a vast ‘administrative pyramid’ of bureaucrats, which he numbered at 5 million or 6 million officials."
TROTSKY_BLAMED = "In The Revolution Betrayed Trotsky blamed this Thermidor on the triumph of the Stalinist bureaucracy, whose material aspirations were advanced by the regime in exchange for its loyalty."
CRITICS = "Critics argued that the huge construction costs could not be justified given the little shipping on the White Sea."
JUDGEMENT = "There is no doubt that the Bolsheviks had wanted their offensive to be the start of a revolutionary war."
EVENT = "The peace treaty was finally signed on 3 March."
AFTER_DEATH = "The Soviet system never recovered from the crisis of belief caused by Khrushchev’s revelations at the Twentieth Party Congress in 1956."


@pytest.fixture(scope="module")
def book() -> str:
    return match_form(Corpus().document("revolutionary-russia").text)


def test_the_traps_are_the_sources_own_sentences(book):
    for sentence in (OPPONENTS_VIEW, TROTSKY_WROTE, TROTSKY_BLAMED, CRITICS, JUDGEMENT, EVENT, AFTER_DEATH):
        assert match_form(sentence) in book, sentence


@pytest.mark.parametrize("side", ["stalin", "trotsky"])
def test_a_reported_view_of_the_other_side_is_never_evidence(side):
    persona = load_bank().sides[side]
    assert reports_other_view(OPPONENTS_VIEW, persona.opponents)
    assert reports_other_view(CRITICS, persona.opponents)
    subject = "socialism Russia unsustainable industries defend imperialist"
    assert not acceptable(OPPONENTS_VIEW, subject, persona.opponents, persona.cutoff_year)


def test_trotskys_words_are_the_opponents_view_for_stalin_and_his_own_for_trotsky():
    bank = load_bank()
    stalin, trotsky = bank.sides["stalin"], bank.sides["trotsky"]
    subject = "Stalin power administrative pyramid bureaucrats Thermidor Stalinist bureaucracy"
    for sentence in (TROTSKY_WROTE, TROTSKY_BLAMED):
        assert not acceptable(sentence, subject, stalin.opponents, stalin.cutoff_year)
        assert acceptable(sentence, subject, trotsky.opponents, trotsky.cutoff_year)
        assert kind_of(sentence, trotsky.self_names) is EvidenceKind.OWN  # framed as his own writing, not a historian's


def test_the_framing_line_matches_the_kind_of_evidence():
    trotsky = load_bank().sides["trotsky"]
    assert kind_of(JUDGEMENT, trotsky.self_names) is EvidenceKind.JUDGEMENT
    assert kind_of(EVENT, trotsky.self_names) is EvidenceKind.EVENT
    assert not any("historian" in intro.lower() for intro in trotsky.rhetoric.evidence_intros + trotsky.rhetoric.own_intros)
    assert all("historian" in intro.lower() for intro in trotsky.rhetoric.judgement_intros)
    assert all(" i " in f" {intro.lower()} " or " my " in f" {intro.lower()} " for intro in trotsky.rhetoric.own_intros)


def test_evidence_from_after_the_personas_death_is_refused():
    for side in load_bank().sides.values():
        assert not acceptable(AFTER_DEATH, "Soviet system crisis belief Khrushchev revelations Party Congress", [], side.cutoff_year)


def test_evidence_must_be_on_the_claims_subject():
    stalin = load_bank().sides["stalin"]
    assert not acceptable(EVENT, "kulaks grain collective farms", stalin.opponents, stalin.cutoff_year)
    assert acceptable(EVENT, "peace treaty signed Brest-Litovsk", stalin.opponents, stalin.cutoff_year)
