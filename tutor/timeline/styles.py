"""Both calendar styles in answers: an Old Style day quoted from a source gets its New Style day beside it, and a
New Style day gets the Old Style day its source gives in brackets ("15 March [O.S. 2 March]"), which cleaning drops.

"25 October 1917 (7 November New Style)". Which quoted dates are Old Style, and their year when the
sentence omits it, comes from the timeline (`tutor.timeline.events`), so the rules are the same
as the timeline's. The gloss is the core's, not the source's: the verifier removes a gloss before
checking a sentence, but only a correct one (`strip_style_glosses`), so an invented or wrong
"New Style" date is still unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from tutor.models import Citation
from tutor.timeline.calendar import julian_to_gregorian, valid_julian
from tutor.timeline.extract import MONTHS

if TYPE_CHECKING:  # the verifier imports this module, and the timeline imports the verifier
    from tutor.timeline.events import TimelineEvent

_MONTH_NAMES = {number: name for name, number in MONTHS.items()}
_MONTH = "|".join(MONTHS)
# "25 October 1917 (7 November New Style)", "25 October (7 November New Style)"
_GLOSSED = re.compile(
    rf"\b(?P<d>[0-3]?\d)\s(?P<m>{_MONTH})(?:,?\s(?P<y>1[89]\d\d))?(?P<gloss>\s\((?P<nd>[0-3]?\d)\s(?P<nm>{_MONTH})(?:\s(?P<ny>1[89]\d\d))?\sNew Style\))"
)
# "15 March [O.S. 2 March]", "20 December [O.S. 7 December] 1917": the article's own Old Style notes, which cleaning
# drops from sentence text, in the original words of a citation.
_SOURCE_OLD_STYLE = re.compile(
    rf"\b(?P<d>[0-3]?\d)\s(?P<m>{_MONTH})(?:,?\s1[89]\d\d)?\s*\[O\.\s?S\.\s*(?P<od>[0-3]?\d)\s(?P<om>{_MONTH})(?:,?\s1[89]\d\d)?\]"
)
# "15 March 1917 (2 March Old Style)": the core's gloss restoring such a note.
_OLD_GLOSSED = re.compile(
    rf"\b(?P<d>[0-3]?\d)\s(?P<m>{_MONTH})(?:,?\s(?P<y>1[89]\d\d))?(?P<gloss>\s\((?P<od>[0-3]?\d)\s(?P<om>{_MONTH})\sOld Style\))"
)
_MARKER = re.compile(r"\[(\d+)\]")
_CITED = re.compile(r"(?P<text>[^\[\n]*)(?P<markers>(?:\s*\[\d+\])+)")


def gloss(event: TimelineEvent) -> str:
    """The New Style gloss of an Old Style day: ' (7 November New Style)', with the year when it differs."""
    new = date.fromisoformat(event.date)
    old_year = int(event.old_style[:4]) if event.old_style else new.year
    year = f" {new.year}" if new.year != old_year else ""
    return f" ({new.day} {_MONTH_NAMES[new.month]}{year} New Style)"


def _gloss_sentence(sentence: str, events: list[TimelineEvent]) -> str:
    for event in events:
        at = sentence.find(event.date_text)
        if at < 0 or sentence[at + len(event.date_text) :].startswith(" ("):
            continue
        if re.search(r"\d\s*[–-]\s*\d", event.date_text):
            # A day range ("9–14 September"): one day's gloss after its last day would read as that day's
            # conversion, which it is not; ranges are left as the source writes them.
            continue
        end = at + len(event.date_text)
        sentence = sentence[:end] + gloss(event) + sentence[end:]
    return sentence


def gloss_old_style(answer: str, citations: list[Citation], events: list[TimelineEvent]) -> str:
    """The answer with every Old Style day of its cited sentences glossed with the New Style day."""
    old_days = [e for e in events if e.calendar == "julian" and e.precision == "day"]
    if not citations:
        return answer
    by_number = {c.number: c for c in citations}

    def glossed(m: re.Match) -> str:
        cited = [by_number[int(n)] for n in _MARKER.findall(m.group("markers")) if int(n) in by_number]
        found = [e for c in cited for e in old_days if e.source == c.source and c.start <= e.start < c.end]
        text = _gloss_sentence(m.group("text"), _first_per_text(found)) if found else m.group("text")
        return _restore_old_style_notes(text, cited) + m.group("markers")

    # Each stretch of text up to its markers is a sentence the markers' citations quote.
    return _CITED.sub(glossed, answer)


def _restore_old_style_notes(sentence: str, cited: list[Citation]) -> str:
    """The sentence with the Old Style day its source gives in brackets beside a New Style one, which cleaning
    dropped: "He did so on 15 March (2 March Old Style)", so a student whose notes have both dates sees both."""
    for c in cited:
        for note in _SOURCE_OLD_STYLE.finditer(c.quote):
            day = re.search(rf"\b{note.group('d')} {note.group('m')}(?:,? 1[89]\d\d)?(?! \()(?!\d)", sentence)
            if day is not None:
                sentence = f"{sentence[: day.end()]} ({note.group('od')} {note.group('om')} Old Style){sentence[day.end():]}"
    return sentence


def _first_per_text(events: list[TimelineEvent]) -> list[TimelineEvent]:
    seen: dict[str, TimelineEvent] = {}
    for e in events:
        seen.setdefault(e.date_text, e)
    return list(seen.values())


def _new_style_days(day: int, month: str, year: str | None, years: range) -> Iterator[date]:
    """The New Style days of an Old Style day, in its year or, without one, in each year of `years`."""
    for y in [int(year)] if year else years:
        if valid_julian(y, MONTHS[month], day):
            yield julian_to_gregorian(y, MONTHS[month], day)


def _correct(m: re.Match) -> bool:
    wanted = (int(m.group("nd")), MONTHS[m.group("nm")])
    days = _new_style_days(int(m.group("d")), m.group("m"), m.group("y"), range(1800, 1919))
    return any((new.day, new.month) == wanted and (m.group("ny") is None or int(m.group("ny")) == new.year) for new in days)


def _correct_old(m: re.Match) -> bool:
    # Without a year, the 13 days of 1900-1918, when the article's yearless notes fall: in the 1800s the calendars
    # were 12 days apart, which would pass a gloss a day out.
    days = _new_style_days(int(m.group("od")), m.group("om"), m.group("y"), range(1900, 1919))
    return any((new.day, new.month) == (int(m.group("d")), MONTHS[m.group("m")]) for new in days)


def strip_style_glosses(sentence: str) -> str:
    """The sentence without the calendar glosses that are correct conversions of the date before them (New Style
    after an Old Style day, Old Style after a New Style one)."""
    sentence = _GLOSSED.sub(lambda m: m.group(0)[: m.start("gloss") - m.start()] if _correct(m) else m.group(0), sentence)
    return _OLD_GLOSSED.sub(lambda m: m.group(0)[: m.start("gloss") - m.start()] if _correct_old(m) else m.group(0), sentence)


