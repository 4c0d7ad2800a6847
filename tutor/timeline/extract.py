"""Find the dates a sentence states: day, month, year or decade, ranges as both their ends.

Rules (measured on `evals/timeline_sample.json`, see README "Timeline"):
- "25 October 1917", "October 25, 1917", "25–26 October 1917" (both days): day precision.
- "October 1917", "in the spring of 1918" (a season is given as its year): month / year.
- "1905", "1921–1928", "1932–33", "the 1930s", "the early 1930s": year or decade precision; a
  range gives both its ends.
- A day or month without a year ("On 7 March", "in October") takes the year last named earlier in
  the same paragraph, or else the one year its own sentence names after it; with neither it is
  left out. Relative dates ("the following spring", "two years later") are left out: resolving
  them is not certain.
- Not dates: a month naming an event ("the October Revolution", "the July Days", "the April
  Theses"), "May" as a verb, numbers that count things ("1,000", "1917 deputies"), "No. 1".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, name in enumerate(
        "January February March April May June July August September October November December".split(), 1
    )
}
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_DASH = "[–—-]"
_YEAR = r"(?:18\d\d|19\d\d|20[0-2]\d)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
# Words after a month that make it the name of an event, not a date ("the October Revolution").
_EVENT_NAME = r"(?:Revolution|Revolutionary|Manifesto|Days?|Socialist|Theses|Crisis|Plenum|Offensive|Uprising|Insurrection|Coup|Party|Congress|Decree|Constitution|Strikes?)\b"
# Words after a bare number that make it a count, not a year.
_COUNT = r"(?:people|men|women|deputies|delegates|workers|peasants|soldiers|troops|members|roubles|rubles|tons|tonnes|km|kilometres|miles|dead|killed|votes|copies|pages|%|per)\b"
SEASONS = ("spring", "summer", "autumn", "fall", "winter")

_PATTERNS: list[tuple[str, re.Pattern]] = [
    # 25 October 1917, 25–26 October 1917, 25 October to 7 November 1917 is two matches
    ("dmy", re.compile(rf"\b(?P<d1>{_DAY})(?:\s?{_DASH}\s?(?P<d2>{_DAY}))?\s(?:of\s)?(?P<m>{_MONTH}),?\s(?P<y>{_YEAR})\b")),
    # October 25, 1917
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH})\s(?P<d1>{_DAY})(?:\s?{_DASH}\s?(?P<d2>{_DAY}))?,?\s(?P<y>{_YEAR})\b")),
    # 7 March (no year)
    ("dm", re.compile(rf"\b(?P<d1>{_DAY})(?:\s?{_DASH}\s?(?P<d2>{_DAY}))?\s(?:of\s)?(?P<m>{_MONTH})\b(?!,?\s{_YEAR})(?!\s{_EVENT_NAME})")),
    # October 1917, October–November 1917
    ("my", re.compile(rf"\b(?P<m>{_MONTH})(?:\s?{_DASH}\s?(?P<m2>{_MONTH}))?,?\s(?:of\s)?(?P<y>{_YEAR})\b")),
    # in October (no year): only after a word that makes it a time
    ("m", re.compile(rf"(?i:\b(?:in|on|by|until|till|from|since|during|of|early|late|mid-?|end of|beginning of|middle of|throughout|that|next|last|between|and|to)\s)(?P<m>{_MONTH})\b(?!,?\s(?:of\s)?{_YEAR})(?!\s\d)(?!\s{_EVENT_NAME})")),
    # the spring of 1918
    ("season", re.compile(rf"(?i:\b(?P<s>spring|summer|autumn|fall|winter)\s(?:of\s)?)(?P<y>{_YEAR})(?:{_DASH}(?P<y2>\d{{1,4}}))?\b")),
    # the 1930s, the early 1930s
    ("decade", re.compile(r"\b(?P<y>1[89]\d0|20[0-2]0)s\b")),
    # 1921–1928, 1932–33
    ("yy", re.compile(rf"\b(?P<y>{_YEAR}){_DASH}(?P<y2>\d{{1,4}})\b(?!\s?{_COUNT})")),
    # 1905
    ("y", re.compile(rf"(?<![\d,.])(?<!No\.\s)(?<!No\s)\b(?P<y>{_YEAR})\b(?![,.]\d)(?!s\b)(?!\s?{_COUNT})")),
]


@dataclass(frozen=True)
class DateMention:
    """A date as a sentence states it, before any calendar is applied."""

    start: int  # offsets of the date expression in the text searched
    end: int
    year: int | None  # None: to be taken from the context (a day or month stated without a year)
    month: int | None = None
    day: int | None = None
    precision: str = "year"  # day, month, year or decade

    def with_year(self, year: int) -> "DateMention":
        """The same mention with its year filled in from the context."""
        return DateMention(self.start, self.end, year, self.month, self.day, self.precision)


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _expand_year(first: int, second: str) -> int | None:
    """The end year of a range: '1932–33' ends in 1933, '1941–2' in 1942; an end before the start is no range."""
    end = int(second) if len(second) == 4 else first // 10 ** len(second) * 10 ** len(second) + int(second)
    return end if first < end <= first + 100 else None


def _mentions_of(kind: str, m: re.Match) -> list[DateMention]:
    s, e = m.start(), m.end()
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    if kind in ("dmy", "mdy", "dm"):
        month = MONTHS[g["m"]]
        days = [_day(g["d1"])] + ([_day(g["d2"])] if g.get("d2") else [])
        if not all(1 <= d <= 31 for d in days):
            return []
        return [DateMention(s, e, year, month, d, "day") for d in days]
    if kind in ("my", "m"):
        start = s + m.group(0).index(g["m"])
        months = [MONTHS[g["m"]]] + ([MONTHS[g["m2"]]] if g.get("m2") else [])
        return [DateMention(start, e, year, mo, None, "month") for mo in months]
    if kind == "season":
        end_year = _expand_year(year, g["y2"]) if g.get("y2") else None
        return [DateMention(s, e, year)] + ([DateMention(s, e, end_year)] if end_year else [])
    if kind == "decade":
        return [DateMention(s, e, year, None, None, "decade")]
    if kind == "yy":
        end_year = _expand_year(year, g["y2"])
        if end_year is None:
            return [DateMention(s, s + 4, year)]
        return [DateMention(s, e, year), DateMention(s, e, end_year)]
    return [DateMention(s, e, year)]


def find_dates(text: str) -> list[DateMention]:
    """Every date the text states, in order; a span matched by a more precise pattern is not matched again."""
    taken = [False] * len(text)
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            span = range(m.start("m") if kind == "m" else m.start(), m.end())
            if any(taken[i] for i in span):
                continue
            if kind == "m" and _may_is_verb(text, m):
                continue
            mentions = _mentions_of(kind, m)
            if not mentions:
                continue
            for i in span:
                taken[i] = True
            found.extend(mentions)
    return sorted(found, key=lambda d: (d.start, d.year or 0, d.month or 0, d.day or 0))


def _may_is_verb(text: str, m: re.Match) -> bool:
    """'May' after 'that', 'by', … is a date only when a year or day is near; alone it is usually the verb."""
    return m.group("m") == "May" and not re.match(r"\s+(?:1[89]\d\d|the\s\d)", text[m.end() :])


def year_context(paragraph: str, position: int, sentence_end: int) -> int | None:
    """The year a day or month without one belongs to: the last year named earlier in the paragraph,
    or else the only year named after it in its own sentence."""
    before = [d for d in find_dates(paragraph[:position]) if d.year is not None and d.precision != "decade"]
    if before:
        return before[-1].year
    after = {d.year for d in find_dates(paragraph[position:sentence_end]) if d.year is not None and d.precision != "decade"}
    return after.pop() if len(after) == 1 else None
