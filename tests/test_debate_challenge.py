"""The debate partner challenges only the dates, numbers and names of a claim that no source sentence bears out."""

from __future__ import annotations

import pytest

from tutor.corpus import Corpus
from tutor_plugins.debate.scorecard import challenged, details_borne_out

CLAIM = "Stalin was right: revolution in Europe had failed by 1923, so Russia had to build socialism alone."


@pytest.fixture(scope="module")
def corpus():
    return Corpus()


def test_a_claim_borne_out_clause_by_clause_leaves_nothing_to_challenge(corpus):
    sources = [
        "The weather was cold that winter.",
        "By the end of 1923 it was becoming clear that revolutions were unlikely in Europe.",
        "Stalin thought Soviet Russia could build socialism alone; he believed he was right.",
    ]
    unborne, bearing = details_borne_out(corpus, CLAIM, sources)
    assert unborne == [] and bearing == 1  # two details each: the better-ranked sentence


def test_only_the_details_no_sentence_bears_out_are_challenged(corpus):
    sources = ["By the end of 1923 it was becoming clear that revolutions were unlikely in Europe."]
    unborne, _ = details_borne_out(corpus, CLAIM, sources)
    assert unborne == ["Russia", "Stalin"]


def test_a_detail_named_beside_other_words_is_not_borne_out(corpus):
    # 1923 and Europe are both named, but the sentence says nothing of a revolution failing.
    unborne, bearing = details_borne_out(corpus, CLAIM, ["In 1923 Europe was at peace and trade grew."])
    assert "1923" in unborne and bearing is None


def test_a_name_is_borne_out_only_by_a_sentence_that_says_nearly_all_the_clause(corpus):
    # Half the words and the name are shared, but the sentence does not say Trotsky advanced the policy.
    claim = "Trotsky advanced the policy of socialism in one country, not Stalin."
    sources = ["Trotsky said that socialism in one country would fail without revolution abroad."]
    unborne, _ = details_borne_out(corpus, claim, sources)
    assert "Trotsky" in unborne


def test_a_challenge_names_the_unborne_dates_and_numbers_before_the_names():
    # The names beside an unborne date are the claim's subject: the learner is asked for the date's evidence.
    assert challenged(["1930s", "Stalin"]) == ["1930s"]
    assert challenged(["Russia", "Stalin"]) == ["Russia", "Stalin"]
    assert challenged(["1921", "1925", "70", "90"]) == ["1921", "1925", "70"]
