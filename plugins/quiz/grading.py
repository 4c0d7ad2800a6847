"""Grading a learner's answer against a quiz item's key: names, dates and numbers in any common form and spelling.

- **Names and places**: the variants table first ("Kerenskii" is "Kerensky",
  "Czar" is "Tsar", "Leningrad" is "Petrograd"); then word by word, where the
  learner's last word must match the key's last word (a surname alone is
  enough) and every other word must match some word of the key (unless the
  key is a surname alone: first names added to it are not checked); words of five
  letters or more may be misspelt (similarity ≥ 0.8), shorter ones must be
  exact, and regnal numbers, when both give one, must be equal ("Nicholas 2"
  is "Nicholas II", "Alexander II" is not "Alexander III", "Tsar Nicholas"
  is taken for "Nicholas II").
- **Dates**: "25 October 1917", "October 25th, 1917", "25 Oct. 1917",
  "25/10/1917" (day first), "1917-10-25", "Oct 1917", "1917", "the 1880s".
  The answer must give every part the key gives (a year more precise than a
  year key is accepted); a day date before 14 February 1918 may also be given
  in the other calendar (Old Style + 12 days before March 1900, + 13 after).
- **Numbers**: digits with separators, decimals, "2 million", "2m", "two
  million", "half a million", "40 per cent", "40%"; equal within 0.5%.
- **Multiple choice** also takes the option's letter; **true/false** takes
  true/false, t/f, yes/no, right/wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher

from tutor.variants import load_variants

from .items import AnswerType, ItemKind, QuizItem

FUZZY = 0.8
FUZZY_MIN_LENGTH = 5
LETTERS = "ABCD"
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_WORD_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5, "quarter": 0.25,
}
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "hundred": 100}
_ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "first": "i", "second": "ii", "third": "iii"}
_REGNAL = {"i", "ii", "iii", "iv"}
_TRUE = {"true", "t", "yes", "y", "right", "correct"}
_FALSE = {"false", "f", "no", "n", "wrong", "incorrect", "untrue"}
NEW_STYLE_FROM = date(1918, 2, 14)


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer."""

    correct: bool
    given: str  # the answer as understood (the option chosen for a letter)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").casefold()
    return " ".join(re.sub(r"[^\w%]+", " ", text).split())


def _name_words(text: str) -> list[str]:
    words = [w for w in _plain(text).split() if w not in {"the", "a", "an", "of", "s"}]
    return [_ROMAN.get(w, w) for w in words]


def _word_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if a in _REGNAL or b in _REGNAL or min(len(a), len(b)) < FUZZY_MIN_LENGTH:
        return False
    return SequenceMatcher(None, a, b).ratio() >= FUZZY


def same_name(given: str, key: str) -> bool:
    """Whether `given` names what `key` names, allowing other spellings, a surname alone and small misspellings."""
    variants = load_variants()
    if variants.same(given.strip(), key.strip()) or _plain(variants.canonical(given)) == _plain(variants.canonical(key)):
        return True
    g, k = _name_words(variants.canonical(given)), _name_words(variants.canonical(key))
    if not g or not k:
        return False
    # A regnal number follows the name ("Nicholas II"); an "I" before it is an initial ("V. I. Lenin").
    regnal_g, regnal_k = g[-1:] if g[-1] in _REGNAL and len(g) > 1 else [], k[-1:] if k[-1] in _REGNAL and len(k) > 1 else []
    if regnal_g and regnal_k and regnal_g != regnal_k:
        return False  # "Nicholas" may be "Nicholas II"; "Alexander III" is never "Alexander II"
    g_core, k_core = g[: len(g) - len(regnal_g)], k[: len(k) - len(regnal_k)]
    if not g_core or not k_core or not _word_match(g_core[-1], k_core[-1]) and not (len(k_core) == 1 and _word_match(g_core[0], k_core[0]) and len(g_core) == 1):
        return False
    if len(k_core) == 1:
        return True  # a surname key: first names the learner adds are not checked (the sentence gave none)
    return all(any(_word_match(w, kw) for kw in k_core) for w in g_core)


_ISO = re.compile(r"\b(1[89]\d\d)-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](1[89]\d\d)\b")
_DECADE = re.compile(r"\b(1[89]\d)0'?s\b")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d)(?!\d)")
_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")


@dataclass(frozen=True)
class DateParts:
    """The parts of a date an answer or a key gives (None where it gives none)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    decade: int | None = None


def parse_date(text: str) -> DateParts | None:
    """Year, month and day as written in any of the common forms; None when the text holds no year or decade."""
    plain = _plain(text).replace("'", "")
    if m := _ISO.search(text):
        return DateParts(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.search(text):
        return DateParts(int(m[3]), int(m[2]), int(m[1]))
    if (m := _DECADE.search(plain)) and not _YEAR.search(plain.replace(m.group(0), "")):
        return DateParts(decade=int(m[1]) * 10)
    years = _YEAR.findall(plain)
    if not years:
        return None
    month = next((_MONTHS[w[:3]] for w in plain.split() if w[:3] in _MONTHS and (len(w) == 3 or w.startswith(("janu", "febr", "marc", "apri", "may", "june", "july", "augu", "sept", "octo", "nove", "dece")))), None)
    rest = _YEAR.sub(" ", plain)
    day = next((int(m[1]) for m in _DAY.finditer(rest) if 1 <= int(m[1]) <= 31), None) if month else None
    return DateParts(int(years[0]), month, day)


def _calendar_shift(year: int, month: int, day: int) -> int:
    return 12 if date(year, month, day) < date(1900, 3, 1) else 13


def same_date(given: str, key: str) -> bool:
    """Whether the answer gives the key's date (every part the key has), in either calendar for a day before 1918."""
    g, k = parse_date(given), parse_date(key)
    if g is None or k is None:
        return False
    if k.decade is not None:
        return g.decade == k.decade or (g.year is not None and g.year // 10 * 10 == k.decade)
    if g.year is None:
        return False
    if k.day is not None and g.day is not None and k.month is not None and g.month is not None:
        try:
            asked, answered = date(k.year, k.month, k.day), date(g.year, g.month, g.day)
        except ValueError:
            return False
        if answered == asked:
            return True
        if asked < NEW_STYLE_FROM + timedelta(days=13):
            shift = timedelta(days=_calendar_shift(k.year, k.month, k.day))
            return answered in (asked + shift, asked - shift)
        return False
    if g.year != k.year:
        return False
    if k.month is not None and g.month != k.month:
        return False
    return k.day is None


_NUMBER = re.compile(r"(\d[\d,\s]*(?:\.\d+)?)\s*(%|per\s*cent|percent)?\s*(thousand|million|billion|mn|bn|m|k)?\b")


def parse_number(text: str) -> float | None:
    """The number an answer gives, in digits or words, with its scale; None when there is none."""
    plain = _plain(text).replace("per cent", "%").replace("percent", "%")
    if m := _NUMBER.search(plain.replace("%", " % ")):
        digits = re.sub(r"[,\s]", "", m[1])
        try:
            value = float(digits)
        except ValueError:
            return None
        return value * _SCALES.get(m[3] or "", 1)
    value, seen = 0.0, False
    current = 0.0
    for word in plain.replace("-", " ").split():
        if word == "a" and current:
            continue  # "half a million"
        if word in _WORD_NUMBERS and word != "hundred":
            current += _WORD_NUMBERS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _SCALES and seen:
            value += (current or 1) * _SCALES[word]
            current = 0.0
    return value + current if seen else None


def same_number(given: str, key: str) -> bool:
    """Whether the answer gives the key's number (within 0.5%)."""
    g, k = parse_number(given), parse_number(key)
    return g is not None and k is not None and abs(g - k) <= 0.005 * max(abs(k), 1e-9)


def matches(given: str, key: str, answer_type: AnswerType) -> bool:
    """Whether an answer matches a key of the given type."""
    if answer_type == AnswerType.DATE:
        return same_date(given, key)
    if answer_type == AnswerType.NUMBER:
        return same_number(given, key)
    return same_name(given, key)


def grade(item: QuizItem, reply: str) -> Grade:
    """Grade a reply to an item."""
    text = reply.strip()
    if item.kind == ItemKind.TRUE_FALSE:
        words = _plain(text).split()
        said = "true" if words and words[0] in _TRUE else "false" if words and words[0] in _FALSE else ""
        return Grade(correct=said == item.answer, given=said or text)
    if item.kind == ItemKind.CHOICE:
        letter = re.fullmatch(r"\(?([A-Da-d])[).]?", text)
        if letter:
            chosen = item.options[LETTERS.index(letter[1].upper())] if LETTERS.index(letter[1].upper()) < len(item.options) else text
            return Grade(correct=chosen == item.answer, given=chosen)
        # A typed option: the one it names, so naming a distractor is wrong even if it resembles the key.
        named = [o for o in item.options if matches(text, o, item.answer_type)]
        return Grade(correct=named == [item.answer] or (item.answer in named and _plain(text) == _plain(item.answer)), given=named[0] if named else text)
    return Grade(correct=matches(text, item.answer, item.answer_type), given=text)
