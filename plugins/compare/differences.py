"""What two source sentences state differently: figures, dates (in New Style) and named people.

Starts from the debate scorecard's idea (a claim contradicts a source when it puts another
number or name in the same statement) but compares two source sentences: they must tell of the
same thing (they share content words beyond the question's), and then a figure, a date or a
named person that one gives and the other does not is a difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tutor.timeline.events import TimelineEvent
from tutor.verify import content_stems

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100, "hundred": 100,
}
_SCALES = {"million": 1_000_000, "thousand": 1_000, "hundred": 100}
_NUM = r"\d[\d,]*(?:\.\d+)?|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
# "8.5 million", "1.5 to 1.7 million", "between five and seven million", "681,692", "over a hundred"
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?P<a>{_NUM})(?:\s?(?:–|-|to|and)\s?(?P<b>{_NUM}))?(?:\s(?P<scale>million|thousand|hundred)\b)?(?P<pct>\s?(?:%|per cent))?",
    re.IGNORECASE,
)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
SHARED_WORDS = 3
AGREE_WITHIN = 0.01  # figures within 1% of each other are the same figure


@dataclass(frozen=True)
class Quantity:
    """A figure a sentence gives: its value, as written."""

    value: float
    text: str


@dataclass
class Difference:
    """What differs between a sentence of one source and one of the other."""

    kind: str  # "figures", "dates" or "people"
    first: list[str]  # as the first sentence gives them
    second: list[str]


@dataclass
class Comparison:
    """The differences and the shared figures and dates of two sentences about the same thing."""

    differences: list[Difference] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


def _number(text: str) -> float:
    text = text.lower()
    return float(_WORD_NUMBERS[text]) if text in _WORD_NUMBERS else float(text.replace(",", ""))


def quantities(sentence: str) -> list[Quantity]:
    """The figures a sentence gives (counts, sums, shares), not its years or days of the month."""
    out = []
    for m in _QUANTITY.finditer(sentence):
        after = sentence[m.end() : m.end() + 12]
        before = sentence[max(0, m.start() - 12) : m.start()]
        scale = _SCALES.get((m.group("scale") or "").lower(), 1)
        values = [m.group("a")] + ([m.group("b")] if m.group("b") else [])
        try:
            numbers = [_number(v) * scale for v in values]
        except ValueError:
            continue
        if scale == 1 and not m.group("pct"):
            if any(re.fullmatch(r"1[89]\d\d|20[0-2]\d", v) for v in values):
                continue  # a year
            if re.match(rf"\s?{_MONTHS}", after) or re.search(rf"{_MONTHS}\s$", before):
                continue  # a day of the month
            if all(n < 100 for n in numbers) and not m.group("pct"):
                continue  # small counts ("three of his six sons") say little about a disagreement
        text = m.group(0).strip()
        out += [Quantity(n, text) for n in numbers]
    return out


def _same_figure(x: float, y: float) -> bool:
    return abs(x - y) <= AGREE_WITHIN * max(x, y)


def about_the_same(first: str, second: str, question: str) -> bool:
    """Whether two sentences tell of the same thing: they share three content words, one of them beyond the question's own."""
    shared = content_stems(first) & content_stems(second)
    return len(shared) >= SHARED_WORDS and bool(shared - content_stems(question))


def compare_sentences(first: str, second: str, first_dates: list[TimelineEvent], second_dates: list[TimelineEvent], first_people: set[str], second_people: set[str]) -> Comparison:
    """The differences of two sentences about the same thing (the caller checks that they are)."""
    result = Comparison()
    q1, q2 = quantities(first), quantities(second)
    if q1 and q2:
        shared = [a for a in q1 if any(_same_figure(a.value, b.value) for b in q2)]
        if shared:
            result.shared += sorted({a.text for a in shared})
        else:
            result.differences.append(Difference("figures", sorted({a.text for a in q1}), sorted({b.text for b in q2})))
    d1 = {e.date: e for e in first_dates if e.precision == "day"}
    d2 = {e.date: e for e in second_dates if e.precision == "day"}
    if d1 and d2:
        common = set(d1) & set(d2)
        near = min(abs((date.fromisoformat(a) - date.fromisoformat(b)).days) for a in d1 for b in d2)
        if common:
            result.shared += [_both_styles(d1[c]) for c in sorted(common)]
        elif near <= 45:
            result.differences.append(Difference("dates", [_both_styles(e) for e in d1.values()], [_both_styles(e) for e in d2.values()]))
    if first_people and second_people and not first_people & second_people:
        result.differences.append(Difference("people", sorted(first_people), sorted(second_people)))
    return result


def _both_styles(event: TimelineEvent) -> str:
    """'16 June (29 June New Style)' for an Old Style day; the New Style day alone otherwise."""
    new = date.fromisoformat(event.date)
    written = f"{new.day} {new:%B} {new.year}"
    if event.old_style and event.calendar == "julian":
        y, m, d = (int(x) for x in event.old_style.split("-"))
        return f"{d} {date(2000, m, 1):%B} {y} Old Style ({written} New Style)"
    return written
