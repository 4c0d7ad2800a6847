"""When-questions looked up in the timeline: the dated sentences that tell of the asked act and name its focus."""

from __future__ import annotations

import pytest

from tutor.engine import Engine, new_session
from tutor.question import analyse
from tutor.timeline.answers import dating, sentence_years
from tutor.timeline.events import TimelineEvent


def _event(text: str, year: str) -> TimelineEvent:
    return TimelineEvent(date=year, precision="year", calendar="gregorian", text=text, source="s", start=0, end=len(text), quote=text, date_text=year)


EVENTS = [
    _event("After the Bolsheviks seized power in 1917, Stalin joined the Politburo.", "1917"),
    _event("The Bolsheviks held their congress in 1917 in Petrograd.", "1917"),  # the focus, but not the act
    _event("In 1917 Lenin seized the initiative and power passed to him.", "1917"),  # the act, but not the focus
    _event("In 1918 the Whites rose against Bolshevik power, hoping to seize Moscow.", "1918"),  # an adjective names no party
]


def test_a_dated_sentence_must_tell_of_the_act_and_name_the_focus():
    found = dating(EVENTS, analyse("When did the Bolsheviks seize power?"))
    assert [e.text for e in found] == [EVENTS[0].text]


def test_a_question_in_other_words_finds_the_sources_words():
    # "step down" is the sources' "abdicate" (the paraphrase table), and the Tsar is named as the Tsar.
    events = [_event("The Tsar abdicated in 1917 at Pskov.", "1917"), _event("The Tsar travelled to Pskov in 1917.", "1917")]
    assert [e.text for e in dating(events, analyse("When did the Tsar abdicate?"))] == [events[0].text]


def test_a_sentence_takes_the_years_of_the_timeline_events_it_overlaps():
    def at(start: int, end: int, year: str, source: str = "s") -> TimelineEvent:
        return TimelineEvent(date=year, precision="year", calendar="gregorian", text="x", source=source, start=start, end=end, quote="x", date_text=year)

    years = sentence_years([at(100, 150, "1917"), at(0, 40, "1905"), at(150, 180, "1918"), at(100, 150, "1921", source="t")])
    assert years("s", 100, 150) == {1917}
    assert years("s", 95, 140) == {1917}  # cut a little differently from the timeline's sentence
    assert years("s", 120, 170) == {1917, 1918}
    assert years("s", 40, 100) == frozenset()  # between events
    assert years("u", 100, 150) == frozenset()  # another source


@pytest.fixture(scope="module")
def engine(full):
    return Engine(full)


def test_a_when_question_retrieves_the_sentence_that_dates_its_act(engine, full):
    # Neither retriever ranks it in the first ten: the sources say far more about power and the Bolsheviks than
    # about when they took it.
    question = "When did the Bolsheviks seize power?"
    searched = {p.chunk_id for p in full.retriever.search(question, k=10)}
    passages = engine.tools.retrieve(question)
    dated = [p for p in passages if "seized power in Russia during the 1917 October Revolution" in p.text or "October Revolution of 1917 saw a seizure" in p.text]
    assert dated and dated[0].chunk_id not in searched
    lead = next(line for line in engine.turn(new_session(), question).answer.split("\n") if "[1]" in line)
    assert "1917" in lead


def test_a_dated_sentence_with_all_the_questions_words_comes_before_a_closer_one_with_half(engine):
    # "In 1917 Trotsky had called the Kronstadt sailors…" is closer to the question than the article's long sentence
    # on the Tambov and Kronstadt rebellions, but has only half its words.
    lead = next(line for line in engine.turn(new_session(), "Which year did the Kronstadt uprising happen?").answer.split("\n") if "[1]" in line)
    assert "1921" in lead


def test_other_questions_retrieve_as_before(engine, full):
    question = "Why did the Bolsheviks seize power?"
    assert [p.chunk_id for p in engine.tools.retrieve(question)] == [p.chunk_id for p in full.retriever.search(question)]
