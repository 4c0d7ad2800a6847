"""A learner's dated claim read as an event and a year (plugins/debate/facts.py), and name swaps of the same kind only."""

from __future__ import annotations

from types import SimpleNamespace

from tutor.compose import Candidate
from tutor.corpus import Corpus
from tutor.models import Passage
from tutor_plugins.debate.facts import _names_present, _on_event, date_contradiction, dated_assertions, event_of, wrong_year
from tutor_plugins.debate.scorecard import _swapped_detail, details
from tutor.verify import content_stems

BOOK = (
    "Lenin was now seriously ill. He had suffered a stroke and was convalescing at Gorki. "
    "On Stalin’s urging, he made him the first General Secretary of the Party in April 1922. "
    "Trotsky’s emotional appeal made little impression on the delegates."
)


def _candidate(text: str, passage: str = BOOK, score: float = 0.8) -> Candidate:
    chunk = Passage(chunk_id="c", source="book", title="Book", section=0, location="ch 1", paragraph=1, text=passage, start=0, end=len(passage))
    return Candidate(rank=0, passage=chunk, text=text, start=0, end=len(text), score=score)


class _Tools:
    """Retrieval and assessment over fixed sentences: enough to check how the best match decides."""

    def __init__(self, *sentences: tuple[str, float]):
        self.sentences = sentences

    def retrieve(self, query, k=None):
        return []

    def assess(self, question, passages):
        return SimpleNamespace(candidates=[_candidate(text, score=score) for text, score in self.sentences])


def test_a_dated_claim_is_split_into_its_assertions_and_pieces():
    assert dated_assertions("Lenin died in 1926 and you weren't even there for the funeral.") == ["Lenin died in 1926"]
    parts = dated_assertions("Even you admitted the officials went too far, in that article about being dizzy in 1932.")
    assert parts[-1] == "in that article about being dizzy in 1932."
    assert dated_assertions("Collectivisation was a crime.") == []
    # a list of names stays one assertion
    assert dated_assertions("Bukharin, Rykov and Yagoda were put on trial in 1936 and shot.")[0].startswith("Bukharin, Rykov and Yagoda")


def test_the_event_is_the_claim_without_its_year():
    assert event_of("Lenin made Stalin General Secretary in 1924") == "Lenin made Stalin General Secretary"
    assert wrong_year("Lenin made Stalin General Secretary in 1924", "… General Secretary of the Party in April 1922.") == "1924"
    assert wrong_year("Lenin made Stalin General Secretary in 1922", "… General Secretary of the Party in April 1922.") is None


def test_a_name_is_found_by_whole_word_or_through_the_pronoun_that_refers_to_it():
    sentence = "On Stalin’s urging, he made him the first General Secretary of the Party in April 1922."
    assert _names_present({"lenin", "stalin"}, _candidate(sentence))  # "he": Lenin, named in the sentences before
    assert not _names_present({"trotsky", "stalin"}, _candidate(sentence))  # Trotsky is named only after it
    assert not _names_present({"trotsky"}, _candidate("A letter about right-Trotskyist plots was written in 1940.", passage="A letter about right-Trotskyist plots was written in 1940."))
    assert _on_event(content_stems("made General Secretary"), _candidate(sentence))
    assert not _on_event(content_stems("lost its best generals"), _candidate(sentence))


def test_the_sources_date_for_the_same_event_contradicts_another_year():
    tools = _Tools(
        ("Using his powers as the General Secretary, Stalin took charge of Lenin’s doctors.", 0.9),  # no year: skipped
        ("On Stalin’s urging, he made him the first General Secretary of the Party in April 1922.", 0.8),
    )
    found = date_contradiction(tools, "Lenin made Stalin General Secretary in 1924", {"lenin", "stalin"})
    assert found and found.wrong == "1924" and "April 1922" in found.candidate.text
    # the sources' own year: no contradiction, and the answer says so (False, not None)
    assert date_contradiction(tools, "Lenin made Stalin General Secretary in 1922", {"lenin", "stalin"}) is False
    # a sentence on other names, or on another event, decides nothing
    assert date_contradiction(tools, "Trotsky was made General Secretary in 1924", {"trotsky"}) is None
    assert date_contradiction(tools, "Stalin lost the vote in 1924", {"stalin"}) is None
    # a claim that names nobody the sources know is not checked this way
    assert date_contradiction(tools, "The famine of 1924 killed millions", set()) is None


def test_the_nearest_dated_sentence_is_cited():
    tools = _Tools(
        ("Odd though it may seem, it was as late as September 1918 that Lenin, who nearly died, became widely known.", 0.9),
        ("As Lenin fell ill and then died in 1924, Stalin assumed leadership over the country.", 0.85),
    )
    found = date_contradiction(tools, "Lenin died in 1926", {"lenin"})
    assert found and "1924" in found.candidate.text


def test_a_name_swap_keeps_people_for_people_and_places_for_places():
    names = frozenset({"kirov", "kremlin", "smolny", "trotsky", "stalin", "kamenev", "lev", "grigory", "zinoviev"})
    claim = "Kirov was murdered in the Kremlin"
    assert _swapped_detail(claim, (
        "After the assassination of Kirov, which may have been orchestrated by Stalin, Stalin invented a detailed scheme to implicate "
        "opposition leaders in the murder, including Trotsky, Lev Kamenev and Grigory Zinoviev."  # the article's sentence
    ), names) is None
    smolny = (
        "On 1 December, Kirov was murdered in the Smolny Institute by a disgruntled Party member known to be a danger but mysteriously "
        "allowed by the NKVD to enter the building with a revolver and find Kirov in his offices."  # "his" late: not the subject
    )
    assert _swapped_detail(claim, smolny, names) == "kremlin"
    assert _swapped_detail(claim, "He was murdered in the Smolny Institute by a disgruntled Party member.", names) is None


def test_a_decade_is_not_contradicted_by_a_year_within_it():
    names = frozenset({"stalin"})
    source = "At its 6th Congress in July 1928, Stalin informed delegates that the main threat came from social democrats."
    assert _swapped_detail("Stalin informed delegates that the main threat came from social democrats in the 1920s", source, names) is None
    assert _swapped_detail("Stalin informed delegates that the main threat came from social democrats in the 1930s", source, names) == "1930"
    assert details(Corpus(), "Stalin was right in the 1920s")[0] == "1920s"  # the challenge echoes the decade, not 1920


def test_a_name_of_several_words_is_one_detail():
    found = details(Corpus(), "Trotsky's Red Army beat the Whites because the Red Army had rail lines")
    assert "Red Army" in found and "Red" not in found  # a challenge speaks of the army, not of the colour
    assert "Trotsky" in found  # a possessive ends the run
    assert details(Corpus(), "The Bolsheviks won")[-1] == "Bolsheviks"  # the opening article is not part of the name
