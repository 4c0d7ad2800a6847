"""Dated sentences that may answer a when-question, found in the timeline rather than by the retrievers.

"When did the Bolsheviks seize power?" is worded like many passages about power and the Bolsheviks, and the one
that dates the seizure ("After the Bolsheviks seized power in Russia during the 1917 October Revolution, …") ranks
28th. The timeline already holds every dated sentence, so a when-question can look there for sentences that tell
of its act, name its focus and have most of its words, the way a student would look the event up in a chronology.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable

from tutor.acts import does_act
from tutor.answer_types import coverage, fits
from tutor.question import QuestionAnalysis
from tutor.timeline.events import TimelineEvent

COVERAGE = 0.5  # a dated sentence must have this share of the question's words to be looked up


def dating(events: list[TimelineEvent], part: QuestionAnalysis) -> list[TimelineEvent]:
    """The events whose sentence could answer when the part's act happened: it has most of the part's words, tells
    of its act and names its focus, in the order the timeline keeps."""
    near = (e for e in events if coverage(e.text, part) >= COVERAGE)
    return [e for e in near if does_act(e.text, part) and fits(e.text, part)]


def sentence_years(events: list[TimelineEvent]) -> Callable[[str, int, int], frozenset[int]]:
    """A lookup of the years the timeline gives the sentence at (source, start, end) in the original text.

    The book writes the dates of 1917 without the year ("On Thursday, 23 February…"); the timeline has taken each
    one's year from its paragraph or chapter, so a check of "…in February 1917" can find it there."""
    spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for event in events:
        spans[event.source].append((event.start, event.end, event.year))
    for held in spans.values():
        held.sort()

    def years(source: str, start: int, end: int) -> frozenset[int]:
        held = spans.get(source, [])
        i = bisect_left(held, (start, -1, -1))
        # The sentence may be cut a little differently from the timeline's: any event overlapping it counts.
        near = held[max(0, i - 1) : bisect_left(held, (end, -1, -1), lo=i)]
        return frozenset(year for a, b, year in near if a < end and b > start)

    return years
