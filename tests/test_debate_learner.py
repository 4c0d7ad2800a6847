"""How the debate partner weighs the learner's words when it reads their subject (plugins/debate/learner.py; no store)."""

from __future__ import annotations

from tutor_plugins.debate.learner import specificity, term_hits
from tutor_plugins.debate.positions import Claim


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
