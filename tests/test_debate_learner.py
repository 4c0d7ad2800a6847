"""How the debate partner reads the learner's subject: the weight of their words (no store) and the sources' vote (full store)."""

from __future__ import annotations

from tutor.toolkit import Toolkit
from tutor_plugins.debate.learner import passage_overlap, rank_claims, specificity, term_hits
from tutor_plugins.debate.positions import Claim, load_bank


def _claim(*terms: str) -> Claim:
    return Claim(id="x", motion="great-terror", claim="c", reasoning="r", answers=[], counter_terms=list(terms), evidence_queries=[])


def test_a_counter_term_matches_other_forms_of_its_words():
    assert term_hits("Zinoviev and Kamenev were shot after a show trial.", _claim("show trials")) == 1.0
    assert term_hits("The trials were shown on film.", _claim("show trials")) == 0  # the words, in order
    assert term_hits("The army purges of 1937 were madness.", _claim("army purge")) == 1.0


def test_a_name_that_acts_in_many_motions_weighs_less_than_a_subjects_own_term():
    # Kamenev and Bukharin appear in the bank's claims on several subjects (October, the succession, the trials ...)
    assert specificity("kamenev") < 0.5 and specificity("bukharin") < 0.5
    assert specificity("show trials") == 1.0 and specificity("comintern") == 1.0
    assert term_hits("Kamenev and Zinoviev were shot.", _claim("kamenev", "zinoviev")) < 1.0


def test_the_sources_place_a_message_that_shares_no_words_with_its_motions_claims(full):
    # Nothing in the bank's claims speaks of selling grain on the market, but the passages this message finds
    # are those the NEP motion's queries find; without the passages' vote the message was read as collectivisation.
    tools = Toolkit(full)
    message = "Letting peasants sell their grain on the market was a step back to capitalism."
    overlap = passage_overlap(tools, message)
    assert max(overlap, key=overlap.get) == "nep"
    for side in ("trotsky", "stalin"):
        assert rank_claims(tools, load_bank().sides[side], message, None)[0][0].motion == "nep"
