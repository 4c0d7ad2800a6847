"""A learner's wrong figure (a count or a share) answered by the source's, however they worded it (plugins/debate/scorecard.py)."""

from __future__ import annotations

from types import SimpleNamespace

from tutor.compose import Candidate
from tutor.models import Passage
from tutor_plugins.debate.scorecard import _figures_given, _swap, _swapped_detail, clauses, miscounted, wrong_detail

TREATY = "In the final reckoning, the Soviet Republic lost 34 per cent of its population (55 million people) and 54 per cent of its industrial enterprises."
PASSAGE = "The Treaty of Brest-Litovsk was signed on 3 March. " + TREATY


class _Corpus:
    """A one-document corpus: the words it writes capitalised are the names the checks know."""

    def documents(self):
        return [SimpleNamespace(text=f"It was said of the Soviet Republic and of Brest and of Kronstadt and of Trotsky that {PASSAGE}")]


CORPUS = _Corpus()


def _candidate(text: str, passage: str = PASSAGE, score: float = 0.7) -> Candidate:
    chunk = Passage(chunk_id="c", source="book", title="Book", section=0, location="ch 1", paragraph=1, text=passage, start=0, end=len(passage))
    return Candidate(rank=0, passage=chunk, text=text, start=0, end=len(text), score=score)


def test_a_number_is_swapped_in_every_way_it_is_written():
    assert _swap("took 10 per cent of 1,000 men and 10 horses", "10%", "54%", number=True) == "took 54% of 1,000 men and 10 horses"
    assert _swap("took 10 per cent of 1,000 men and 10 horses", "1000", "2000", number=True) == "took 10 per cent of 2000 men and 10 horses"
    assert _swap("took 10 per cent of 1,000 men and 10 horses", "10", "12", number=True) == "took 10 per cent of 1,000 men and 12 horses"


def test_a_thousands_comma_does_not_split_a_claim_into_clauses():
    assert "the Czech Legion had only 3,000 men" in clauses("Honestly, the Czech Legion had only 3,000 men? how did they win")


def test_a_share_is_answered_by_a_share_named_in_the_sentences_passage():
    claim = "the Soviet Republic lost only 5 per cent of its population at Brest"
    assert _swapped_detail(claim, TREATY, frozenset({"soviet", "republic", "brest"}), setting=PASSAGE) == "5%"
    assert _swapped_detail(claim, TREATY, frozenset({"soviet", "republic", "brest"})) is None  # Brest is not in the sentence
    # A share is not swapped for a count or a year: "won 60 per cent" is not answered by "in January 1918".
    assert _swapped_detail("The Bolsheviks won 60 per cent in the elections", "The Bolsheviks dissolved the elected body in January 1918.", frozenset({"bolsheviks"})) is None


def test_a_figure_in_the_learners_own_words_is_answered_by_a_close_sentence_on_its_names():
    sentence = "During the following weeks, 2,500 Kronstadt sailors were shot without trial."
    claim = "after Kronstadt Trotsky's side only shot about 200 sailors"
    assert miscounted(CORPUS, claim, _candidate(sentence, sentence))
    assert wrong_detail(CORPUS, claim, sentence) == "200"
    assert wrong_detail(CORPUS, "only about 3,000 sailors were shot at Kronstadt", sentence) == "3,000"  # shown as written
    assert not miscounted(CORPUS, claim, _candidate(sentence, sentence, score=0.4))  # not close enough to be about it
    assert not miscounted(CORPUS, "after the mutiny they shot about 200 sailors", _candidate(sentence, sentence))  # names nothing


def test_a_figure_the_sources_give_for_the_same_names_is_not_contradicted():
    given = _figures_given(CORPUS, "Brest cost the Soviet Republic 34 per cent of its population", [_candidate(TREATY)])
    assert given == {"34%"}


def test_a_name_is_not_swapped_into_a_sentence_that_denies_what_the_claim_says():
    # The opinion "the revolution had to spread to Europe" is not contradicted by a sentence saying where it did NOT spread.
    source = "But as the revolution did not spread outside Russia, as Lenin had assumed it soon would, the doctrine changed."
    assert _swapped_detail("the revolution had to spread to Europe", source, frozenset({"europe", "russia", "lenin"})) is None
    assert _swapped_detail("the revolution spread to Europe", "The revolution spread to Russia.", frozenset({"europe", "russia"})) == "europe"
