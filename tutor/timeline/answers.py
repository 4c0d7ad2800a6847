"""Dated sentences that may answer a when-question, found in the timeline rather than by the retrievers.

"When did the Bolsheviks seize power?" is worded like many passages about power and the Bolsheviks, and the one
that dates the seizure ("After the Bolsheviks seized power in Russia during the 1917 October Revolution, …") ranks
28th. The timeline already holds every dated sentence, so a when-question can look there for sentences that tell
of its act, name its focus and have most of its words, the way a student would look the event up in a chronology.
"""

from __future__ import annotations

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
