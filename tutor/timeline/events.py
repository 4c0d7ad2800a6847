"""The timeline of both sources: every dated sentence, its date in New Style (and Old Style before the switch), cached per corpus.

Calendar decisions:
- A source that says it writes Old Style (the book's note: "Dates relating to domestic events are
  given in the Old Style up until 31 January 1918") is read that way: its day and month dates up
  to 31 January 1918 are Old Style. The same note puts "international events" in New Style, but
  which events those are is not certain from a sentence (the book dates the Soviet delegation's
  departure for Brest-Litovsk, "to negotiate an armistice with the Germans", in Old Style), so no
  exception is made. A source that gives Old Style notes beside its dates (the article's
  "7 March [O.S. 22 February]") and every other source is read as New Style; the note, when there
  is one, is the Old Style date, and a date after the words "Julian" or "Old Style" in its
  sentence ("…using the Julian calendar at the time, so period references show a 25 October
  date") is Old Style.
- A day or month without a year takes its year from the context (`tutor.timeline.extract.year_context`,
  else the last year its section named). The book's chapter labels name the chapter's years: a
  context year outside them is not trusted, and a chapter of one year ("…, 1917") gives that
  year instead; with neither, the date is left out.
- `date` is New Style, ISO, as precise as the source: "1917-11-07", "1917-10", "1917", and a
  decade as its first year ("1930", precision "decade"). An Old Style day is converted
  (`tutor.timeline.calendar`). A month written in Old Style cannot be converted (October 1917 OS
  runs from 14 October to 13 November NS), so it keeps its month in both fields.
- `old_style` is given for days and months before 14 February 1918 NS; a year or a decade is
  the same in both styles (the styles differ by 13 days around New Year only), so it is null.
- Disagreements: a day date of one source and a day date of the other, no more than 45 days
  apart but not equal, in sentences that share most of their names and words (`same_event`),
  are the same event dated differently. Only day dates are compared: a month or a year is too
  coarse to tell a disagreement from a second event.

The events are computed lazily from the corpus (a regex pass, well under a second) and cached
as JSON in the data folder under a fingerprint of the texts, the cleaning and the extractor, so
ingest stays as fast as before and a changed corpus or rule is never served stale events.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from tutor.corpus import Corpus, Document, cleaning_key
from tutor.text import sentence_spans
from tutor.timeline.calendar import SWITCH_NS, gregorian_to_julian, julian_iso, julian_to_gregorian, valid_julian
from tutor.timeline.extract import MONTHS, DateMention, find_dates, year_context
from tutor.verify import content_stems, proper_names

# Bump when a rule of extraction or of the calendars changes: the cache key includes it.
EXTRACTOR_VERSION = 4
DISAGREEMENT_DAYS = 45
SAME_EVENT_SHARE = 0.5

_OLD_STYLE_SOURCE = re.compile(r"given in the Old Style", re.IGNORECASE)
_OS_NOTE = re.compile(r"^\s*[\[(](?:O\.\s?S\.?|Old Style)[:,]?\s(?P<d>[0-3]?\d)\s(?P<m>" + "|".join(MONTHS) + r")(?:\s(?P<y>\d{4}))?[\])]")
_STYLE_WORDS = re.compile(r"\b(?:Julian|Old Style)\b")
_LABEL_YEAR = re.compile(r"\b1[89]\d\d\b")


class TimelineEvent(BaseModel):
    """One dated sentence of a source."""

    date: str = Field(description="ISO date in New Style, as precise as the source (YYYY-MM-DD, YYYY-MM, YYYY; a decade as its first year).")
    old_style: str | None = Field(None, description="The Old Style date (ISO) of a day or month before 14 February 1918 NS, else null.")
    precision: str = Field(description="day, month, year or decade.")
    calendar: str = Field(description="The calendar the source writes this date in: 'julian' (Old Style) or 'gregorian' (New Style).")
    text: str = Field(description="The sentence, cleaned.")
    source: str
    location: str = Field("", description="Chapter or section of the sentence.")
    start: int = Field(description="Start offset of the sentence in the original text.")
    end: int = Field(description="End offset (exclusive) of the sentence in the original text.")
    quote: str = Field(description="The sentence exactly as the original has it.")
    date_text: str = Field(description="The date as the sentence writes it (cleaned).")
    disagrees_with: list[str] = Field(default_factory=list, description="'source@start' of events of the other source that date the same event differently.")

    def public(self) -> dict:
        """The fields `tutor timeline --json` prints."""
        return self.model_dump(include={"date", "old_style", "precision", "text", "source", "start", "end", "quote"})

    @property
    def key(self) -> str:
        """An id for the event's sentence: 'source@start'."""
        return f"{self.source}@{self.start}"

    @property
    def year(self) -> int:
        """The (New Style) year the event falls in."""
        return int(self.date[:4])

    def sort_key(self) -> tuple:
        """Chronological order; a coarser date sorts before the finer ones inside it."""
        return (self.date, self.source, self.start)


def writes_old_style(doc: Document) -> bool:
    """Whether a source says it dates domestic events in the Old Style before the switch."""
    return bool(_OLD_STYLE_SOURCE.search(doc.text))


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def dated(mention: DateMention, old_style_source: bool, said_old_style: bool, note: tuple[int, int, int] | None) -> tuple[str, str | None, str] | None:
    """(New Style ISO date, Old Style ISO date or None, calendar written in) of a mention; None for a date that does not exist."""
    y, m, d = mention.year, mention.month, mention.day
    julian_written = (old_style_source or said_old_style) and m is not None and (y, m) <= (1918, 1)
    if mention.precision == "day":
        if julian_written:
            if not valid_julian(y, m, d):
                return None
            return julian_to_gregorian(y, m, d).isoformat(), julian_iso(y, m, d), "julian"
        try:
            new = date(y, m, d)
        except ValueError:
            return None
        if new >= SWITCH_NS:
            return new.isoformat(), None, "gregorian"
        return new.isoformat(), julian_iso(*(note or gregorian_to_julian(new))), "gregorian"
    if mention.precision == "month":
        iso = _iso(y, m)
        if julian_written:
            return iso, iso, "julian"
        return iso, None, "gregorian"
    return _iso(y), None, "gregorian"


def _label_years(label: str) -> tuple[int, int] | None:
    """The years a section label names ("…, 1921–1928" → (1921, 1928)), or None."""
    years = [int(y) for y in _LABEL_YEAR.findall(label)]
    return (min(years), max(years)) if years else None


def _trusted_year(year: int | None, label: tuple[int, int] | None) -> int | None:
    """A context year checked against the section's years (a chapter runs into the start of the next
    year: the Constituent Assembly of January 1918 is in the chapter on 1917): inside them it
    stands, else a one-year section's year."""
    if label is None or (year is not None and label[0] <= year <= label[1] + 1):
        return year
    return label[0] if label[0] == label[1] else None


def _note_after(doc: Document, original_end: int, year: int) -> tuple[int, int, int] | None:
    """The Old Style note the original gives right after a date ("[O.S. 22 February]"), as (y, m, d)."""
    m = _OS_NOTE.match(doc.original, original_end)
    if not m:
        return None
    y = int(m.group("y")) if m.group("y") else year
    # "7 January [O.S. 25 December 1917]": a note in December of a January date is the year before.
    return y, MONTHS[m.group("m")], int(m.group("d"))


_LOOKS_BACK = re.compile(r"\bhad\s+(?:not\s+|already\s+|long\s+|never\s+|once\s+|also\s+)?(?:been|[a-z]+(?:ed|en|wn))\b")


def document_events(doc: Document) -> list[TimelineEvent]:
    """Every dated sentence of one cleaned document."""
    old_style_source = writes_old_style(doc)
    labels = {s.number: s.label for s in doc.sections}
    events: list[TimelineEvent] = []
    carried: dict[int, int] = {}  # section → the last year it has named so far
    spans = {s.number: _label_years(s.label) for s in doc.sections}
    for para in doc.paragraphs:
        text = doc.text[para.clean_start : para.clean_end]
        sentences = sentence_spans(text)
        for a, b in sentences:
            sentence = text[a:b]
            style_word = _STYLE_WORDS.search(sentence)
            start, end = doc.original_span(para.clean_start + a, para.clean_start + b)
            seen: set[tuple[str, str]] = set()
            for mention in find_dates(sentence):
                if mention.year is None:
                    year = _trusted_year(year_context(text, a + mention.start, b) or carried.get(para.section), spans.get(para.section))
                    if year is None:
                        continue
                    mention = mention.with_year(year)
                _, date_end = doc.original_span(para.clean_start + a + mention.start, para.clean_start + a + mention.end)
                note = _note_after(doc, date_end, mention.year) if mention.precision == "day" else None
                if note and note[1] == 12 and mention.month == 1:
                    note = (note[0] - 1, 12, note[2]) if note[0] == mention.year else note
                said = bool(style_word and style_word.start() < mention.start)
                result = dated(mention, old_style_source, said, note)
                if result is None or (result[0], mention.precision) in seen:
                    continue
                seen.add((result[0], mention.precision))
                new, old, calendar = result
                events.append(
                    TimelineEvent(
                        date=new, old_style=old, precision=mention.precision, calendar=calendar, text=sentence.strip(), source=doc.source.id,
                        location=labels.get(para.section, ""), start=start, end=end, quote=doc.original[start:end],
                        date_text=sentence[mention.start : mention.end],
                    )
                )
        # A year told in the past perfect looks back ("There had been a time, in 1905, when…"): the story goes on
        # in its own year, so such a year is not carried to the next paragraph.
        told = " ".join(text[a:b] for a, b in sentences if not _LOOKS_BACK.search(text[a:b]))
        named = [d.year for d in find_dates(told) if d.year is not None and d.precision != "decade"]
        if named:
            carried[para.section] = named[-1]
    return events


def same_event(a: str, b: str) -> bool:
    """Whether two sentences tell of one event: they share most of the shorter one's names and content words."""
    names_a, names_b = proper_names(a), proper_names(b)
    words_a, words_b = content_stems(a), content_stems(b)
    if not names_a & names_b or not words_a or not words_b:
        return False
    return len(words_a & words_b) / min(len(words_a), len(words_b)) >= SAME_EVENT_SHARE


def flag_disagreements(events: list[TimelineEvent]) -> None:
    """Mark day dates of different sources that tell the same event on different days (see the module notes).

    Sentences are compared, not single dates: "the night of 16–17 July" agrees with "16 July",
    because the two sentences share a day.
    """
    sentences: dict[str, list[TimelineEvent]] = {}
    for e in events:
        if e.precision == "day":
            sentences.setdefault(e.key, []).append(e)
    groups = list(sentences.values())
    for i, ones in enumerate(groups):
        days_one = {date.fromisoformat(e.date) for e in ones}
        for others in groups[i + 1 :]:
            if others[0].source == ones[0].source:
                continue
            days_other = {date.fromisoformat(e.date) for e in others}
            if days_one & days_other or min(abs((x - y).days) for x in days_one for y in days_other) > DISAGREEMENT_DAYS:
                continue
            if same_event(ones[0].text, others[0].text):
                for e in ones:
                    e.disagrees_with.append(others[0].key)
                for e in others:
                    e.disagrees_with.append(ones[0].key)


def build_timeline(corpus: Corpus) -> list[TimelineEvent]:
    """The events of every source in date order, with disagreements flagged."""
    events = [e for doc in corpus.documents() for e in document_events(doc)]
    flag_disagreements(events)
    return sorted(events, key=TimelineEvent.sort_key)


def fingerprint(corpus: Corpus) -> str:
    """What the events depend on: the texts, the cleaning rules and the extractor version."""
    h = hashlib.sha256(f"{cleaning_key()}:{EXTRACTOR_VERSION}".encode())
    for source in corpus.sources:
        h.update(source.id.encode())
        h.update(corpus.document(source.id).original.encode())
    return h.hexdigest()[:16]


def load_timeline(corpus: Corpus, data_dir: Path | None = None) -> list[TimelineEvent]:
    """The timeline, read from the cache in `data_dir` when it was built from the same corpus and rules, else built (and cached)."""
    if data_dir is None:
        return build_timeline(corpus)
    path = Path(data_dir) / f"timeline-{fingerprint(corpus)}.json"
    try:
        return [TimelineEvent.model_validate(e) for e in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError):
        pass  # no cache yet, or an unreadable one: build again
    events = build_timeline(corpus)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps([e.model_dump() for e in events], ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only data folder: the timeline still works, only uncached
    return events


def select(events: list[TimelineEvent], year_from: int | None = None, year_to: int | None = None, topic: str | None = None, sources: tuple[str, ...] = ()) -> list[TimelineEvent]:
    """The events within the years, about the topic (all its content words in the sentence), from the sources."""
    wanted = content_stems(topic) if topic else frozenset()
    names = {n for n in proper_names(topic)} if topic else set()
    out = []
    for e in events:
        if year_from is not None and e.year < year_from:
            continue
        if year_to is not None and e.year > year_to:
            continue
        if sources and e.source not in sources:
            continue
        if topic and not (wanted <= _stems(e.text) or (not wanted and names <= proper_names(e.text))):
            continue
        out.append(e)
    return out


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    return content_stems(text)
