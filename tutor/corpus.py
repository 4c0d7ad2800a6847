"""Corpus: read the manifest and texts, clean them, and keep a map back to the original offsets.

A cleaned document is the source's kept paragraphs joined by blank lines. Every
character of it knows the offset of the original character it came from, so any
span of cleaned text (a chunk, a quoted sentence) can be quoted from the
original file exactly.

Cleaning decisions:
- NFKC normalisation per character (the article's non-breaking spaces become
  spaces) and whitespace runs folded to one space.
- The book's footnote numbers glued to sentence ends (``export.’1``), to an
  ellipsis (``misfortune …8``) or to a word (``put it10 –``) and footnote
  asterisks (``Street*``) are dropped; decimals (``7.3``) and thousands
  (``1,000``) are kept, a digit after a year's full stop (``1917.6``) is a
  footnote.
- The article's reference marks (``[edit]``, ``[287]``, ``[citation needed]``,
  ``[nb 1]``, ``[a]``) are dropped.
- The article's Old Style date notes (``7 March [O.S. 22 February]``; also
  ``[N.S. …]``, ``[Old Style …]`` and the same in round brackets) are dropped
  with the whitespace before them, so no ``[O.S.`` or ``22 February]`` sentence
  fragment and no space before the following comma is left. Other brackets are
  editorial and kept (``[Council]``, ``[...]``, the book's ``[but]``).
- Words glued where the article lost a line, cell or list break (or a
  reference mark between them) are split by inserting a space:
  ``OctobristAlexander``, ``TrotskySverdlovZinoviev``, ``делNarodnyy`` (a
  lowercase letter ending a word of at least two lowercase letters, then a
  capital), ``soviets.The`` (a sentence end after two lowercase letters, then a
  capitalised word), ``years,Bukharin``, ``1929,as`` (a comma, semicolon or
  colon straight before a letter) and ``Party(SRP)``. Kept: fewer than two
  lowercase letters before the capital (``McDonald``, ``DeGaulle``, ``iPhone``,
  ``PhD``), acronyms with a lowercase letter inside (the article's ``VTsIK``),
  all-capital forms (``OGPU``, ``NKVD``, ``XXVIth``), ``e.g.``/``U.S.``, and the
  name prefixes and words in ``_CAMEL_PREFIXES``/``_CAMEL_WORDS``. An inserted
  space has no original character: it takes the offset of the character
  before it, so quotes stay exact slices of the original (a quote across the
  join shows the glued original).
- Paragraphs repeated verbatim inside a source are kept once.
- Article lines that are not prose (image captions, "Main article:" pointers,
  the date line) are not indexed: they are short lines without a sentence end.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from tutor.models import Source
from tutor.text import fold

# A footnote number follows punctuation, an ellipsis or (once in the book, "put it10 –") a word
# ending in two lowercase letters, so "MI6" or a "Tu144" would be kept.
# Bump when a cleaning rule changes the text a source yields, or the sentence splitting (`tutor.text.sentence_spans`)
# moves where chunks may end: the ingest fingerprints include it, so every store re-chunks (re-embedding only the
# chunks whose text changed).
CLEANING_VERSION = 4

_FOOTNOTE = re.compile(r"(?:(?<=[.!?,;:’”\"\)\]…])|(?<=[a-z]{2}))\d{1,3}(?=\s|$)")
_ASTERISK = re.compile(r"(?<=[\w.’”)])\*+")
_REF_MARK = re.compile(
    r"\[(?:edit|[^\]]{0,20}needed|dubious[^\]]*|who\?|when\?|nb \d+|note \d+|[a-z]{1,2}|\*?\d{1,4})\]", re.IGNORECASE
)
# The article's Old Style / New Style date notes: "7 March [O.S. 22 February]". Dropped with the
# whitespace before them, so "14 March [O.S. 1 March], by" becomes "14 March, by". Only notes
# that open with the style marker and close in the same bracket are matched.
_STYLE_NOTE = re.compile(
    r"\s*(?:\[(?:[ON]\.\s?S\.?|Old Style|New Style)[:,]?\s[^\[\]\n]{1,40}\]"
    r"|\((?:[ON]\.\s?S\.?|Old Style|New Style)[:,]?\s[^()\[\]\n]{1,40}\))"
)
# A lowercase letter directly followed by a capital inside a word is kept (not split as a lost
# line or cell break) when the part before the capital is one of these. Forms with fewer than two
# lowercase letters before the capital are kept by rule and need no entry (McDonald, DeGaulle,
# iPhone, eBay, PhD, mRNA), as are acronyms with a lowercase letter inside (VTsIK, the article's
# All-Russian Central Executive Committee: the letters before the capital are not a word).
_CAMEL_PREFIXES = frozenset({"Mac", "Fitz", "Van", "Von", "Del", "Della", "Des"})  # MacArthur, FitzGerald, VanDyke
# Whole words whose inner capital is spelling, although the rule would split them.
_CAMEL_WORDS = frozenset({"YouTube", "JavaScript", "PowerPoint", "LinkedIn", "PayPal"})
_NOT_PROSE = re.compile(r"^(Main article|Further information|See also):", re.IGNORECASE)
# Glued words without a capital inside ("statefollowing", "Policywas"), listed because no rule tells them from words.
JOINS_FILE = "joins.json"
_PLAIN_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z][a-z]+(?![^\W\d_])")  # a word with no capital inside


class CorpusError(Exception):
    """The corpus is missing, unreadable or malformed; the message names the file."""


@dataclass
class Paragraph:
    """A kept paragraph of a cleaned document."""

    section: int
    index: int  # 1-based within its section
    clean_start: int
    clean_end: int


@dataclass
class Section:
    """A chapter of the book or a section of the article."""

    number: int
    label: str


@dataclass
class Document:
    """A cleaned source text with its offset map and structure."""

    source: Source
    original: str
    text: str
    offsets: list[int]  # offsets[i]: original offset of text[i]
    sections: list[Section]
    paragraphs: list[Paragraph] = field(default_factory=list)

    def original_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Original (start, end) offsets of a span of the cleaned text."""
        if clean_end <= clean_start:
            return self.offsets[clean_start], self.offsets[clean_start]
        return self.offsets[clean_start], self.offsets[clean_end - 1] + 1

    def clean_start_of(self, text: str, original_start: int) -> int:
        """Where `text` (a chunk's cleaned text starting at `original_start`) begins in the cleaned document."""
        at = bisect.bisect_left(self.offsets, original_start)
        if self.text.startswith(text, at):
            return at
        found = self.text.find(text)
        if found < 0:
            raise ValueError("passage text is not part of this document")
        return found

    def quote(self, clean_start: int, clean_end: int) -> str:
        """The original text behind a span of the cleaned text."""
        start, end = self.original_span(clean_start, clean_end)
        return self.original[start:end]

    @cached_property
    def folded_original(self) -> str:
        """The original in `fold` form, where eval quotes are looked up."""
        return fold(self.original)


def _is_prose(line: str) -> bool:
    stripped = line.strip()
    if _NOT_PROSE.match(stripped):
        return False
    if len(stripped) >= 80:
        return True
    return bool(re.search(r"[.!?:][’”\"')\]]*(\[[^\]]*\])*$", stripped))


def _is_heading(stripped: str, before: str | None, after: str) -> bool:
    return (
        0 < len(stripped) < 80
        and before == ""
        and after == ""
        and not stripped.endswith(".")
        and not _NOT_PROSE.match(stripped)
    )


def _is_glued_word(text: str, i: int) -> bool:
    """Whether the capital at `text[i]`, after a lowercase letter, starts a new word glued on by a lost break."""
    j = i - 1
    while j >= 0 and text[j].islower():
        j -= 1
    lowercase = i - 1 - j
    if j >= 0 and text[j].isupper():
        j -= 1
    if lowercase < 2 or (j >= 0 and text[j].isupper()):
        return False  # iPhone, McDonald, DeGaulle, PhD; or inside an acronym (VTsIK)
    if text[j + 1 : i] in _CAMEL_PREFIXES:
        return False
    start, end = j + 1, i
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end] not in _CAMEL_WORDS


def _glue_breaks(text: str) -> list[int]:
    """Positions in a cleaned line where a lost line or cell break glued two words: a space belongs before each.

    "OctobristAlexander", "TrotskySverdlovZinoviev" (lowercase then a capital, see
    `_is_glued_word`), "soviets.The" (a sentence end after a lowercase word, then a capitalised
    word), "years,Bukharin", "1929,as" (a comma, semicolon or colon straight before a letter) and
    "Party(SRP)" (a bracket opening on a word, around a capital); and the words without a capital
    inside listed in corpus/joins.json ("statefollowing", "Policywas"), which no rule can tell from real words.
    """
    joins = _joins()
    breaks = [m.start() + joins[m.group()] for m in _PLAIN_WORD.finditer(text) if m.group() in joins]
    for i in range(1, len(text)):
        ch, before = text[i], text[i - 1]
        if before.islower() and ch.isupper():
            glued = _is_glued_word(text, i)
        elif before in ".!?":
            glued = (
                ch.isupper()
                and text[i + 1 : i + 2].islower()
                and i >= 3
                and text[i - 2].islower()
                and text[i - 3].islower()  # not e.g., i.e., U.S.
            )
        elif before in ",;":
            glued = ch.isalpha() and text[i - 2 : i - 1].isalnum()
        elif before == ":":
            glued = ch.isalpha() and text[i - 2 : i - 1].isalpha()
        elif ch == "(":
            glued = before.isalpha() and text[i + 1 : i + 2].isupper()  # not member(s)
        else:
            glued = False
        if glued:
            breaks.append(i)
    return sorted(breaks)


def read_joins(path: Path) -> dict[str, int]:
    """A table of glued words without an inner capital (corpus/joins.json), each with where its space belongs; raises
    CorpusError naming the file when the table cannot be read."""
    try:
        joins = json.loads(path.read_text(encoding="utf-8"))["joins"]
        if not all(isinstance(k, str) and isinstance(v, str) and v.count(" ") == 1 and v.replace(" ", "") == k for k, v in joins.items()):
            raise ValueError("each entry must be a glued word and its letters with one space")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(f"The table of glued words {path} cannot be read: {exc}") from exc
    return {glued: split.index(" ") for glued, split in joins.items()}


@cache
def _joins() -> dict[str, int]:
    return read_joins(default_corpus_dir() / JOINS_FILE)


def cleaning_key() -> str:
    """What the cleaned text depends on besides a source's bytes: the rules' version and the table of glued words.
    Stores and the timeline cache key their contents by it, so editing the table rebuilds them."""
    table = json.dumps(_joins(), sort_keys=True)
    return f"{CLEANING_VERSION}:{hashlib.sha256(table.encode()).hexdigest()[:12]}"


def clean_line(line: str) -> tuple[str, list[int]]:
    """One original line cleaned, with the offset map into it (the rules of `clean_document`, for one line)."""
    chars: list[str] = []
    offsets: list[int] = []
    _clean_line(line, 0, chars, offsets)
    return "".join(chars), offsets


def _clean_line(line: str, base: int, chars: list[str], offsets: list[int]) -> None:
    """Append the cleaned characters of one original line (starting at `base`) to the buffers."""
    first = len(chars)
    drop = [False] * len(line)
    for pattern in (_REF_MARK, _ASTERISK, _STYLE_NOTE):
        for m in pattern.finditer(line):
            drop[m.start() : m.end()] = [True] * (m.end() - m.start())
    for m in _FOOTNOTE.finditer(line):
        digits_before = re.search(r"\d*$", line[: m.start() - 1]).group()
        punct = line[m.start() - 1]
        if digits_before and not (punct == "." and len(digits_before) == 4):
            continue
        drop[m.start() : m.end()] = [True] * (m.end() - m.start())
    pending_space = False
    started = False
    for i, ch in enumerate(line):
        if drop[i]:
            continue
        norm = unicodedata.normalize("NFKC", ch)
        if not norm or norm.isspace():
            pending_space = started
            continue
        if not started and norm == "*":
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(base + i - 1)
            pending_space = False
        for c in norm:
            chars.append(c)
            offsets.append(base + i)
        started = True
    # An inserted space takes the original offset of the character before it: a span ending on it
    # quotes up to the glued join, and the word after it keeps the first cleaned index for its own
    # original offset (see `Document.clean_start_of`).
    for at in reversed(_glue_breaks("".join(chars[first:]))):
        chars.insert(first + at, " ")
        offsets.insert(first + at, offsets[first + at - 1])


def _split_lines(original: str) -> list[tuple[int, str]]:
    lines, pos = [], 0
    for line in original.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    return lines


def _book_sections(source: Source, lines: list[tuple[int, str]]) -> list[tuple[int | None, str]]:
    """Tag each line with its chapter number (None for blank or title lines).

    A chapter starts at a line that begins with a single space and directly
    follows a non-blank line (or opens the file); a short such line is the
    chapter's title and is not itself prose.
    """
    tagged, chapter = [], -1
    for i, (_, line) in enumerate(lines):
        prev_blank = i == 0 or not lines[i - 1][1].strip()
        if line.startswith(" ") and line[1:2].strip() and (i == 0 or not prev_blank):
            chapter += 1
        elif i == 0:
            chapter = 0
        if line.startswith(" ") and line[1:2].strip() and len(line.strip()) < 40 and i == 0:
            tagged.append((None, line))
            continue
        tagged.append((chapter if line.strip() else None, line))
    return tagged


def _book_labels(source: Source, count: int) -> list[str]:
    labels = []
    for n in range(count):
        name = source.chapter_labels[n] if n < len(source.chapter_labels) else ""
        if n == 0 or (n == count - 1 and name.startswith("Note")):
            labels.append(name or f"Part {n}")
        else:
            labels.append(f"Chapter {n}: {name}" if name else f"Chapter {n}")
    return labels


def _article_sections(source: Source, lines: list[tuple[int, str]]) -> tuple[list[tuple[int | None, str]], list[str]]:
    """Tag each line with its section; headings are short lines standing alone between blank lines."""
    extra = {h["before_paragraph_starting"]: h["title"] for h in source.extra_headings}
    parts = {h["title"] for h in source.extra_headings}
    labels: list[str] = []
    part = ""
    tagged: list[tuple[int | None, str]] = []
    for i, (_, line) in enumerate(lines):
        stripped = line.strip()
        before = lines[i - 1][1].strip() if i > 0 else None
        after = lines[i + 1][1].strip() if i + 1 < len(lines) else ""
        starts_part = next((title for prefix, title in extra.items() if stripped.startswith(prefix)), None)
        if starts_part:
            part = starts_part
            labels.append(part)
        elif _is_heading(stripped, before, after):
            heading = _REF_MARK.sub("", fold(stripped)).strip()
            if not part:
                part = heading
                parts.add(heading)
            labels.append(heading if heading in parts else f"{part} › {heading}")
            tagged.append((None, line))
            continue
        if not labels and _is_prose(line):
            labels.append(source.title)
        tagged.append((len(labels) - 1 if stripped else None, line))
    return tagged, labels


def clean_document(source: Source, original: str) -> Document:
    """Clean one source text and record its structure and offset map."""
    lines = _split_lines(original)
    if source.structure == "book":
        tagged = _book_sections(source, lines)
        count = max((s for s, _ in tagged if s is not None), default=-1) + 1
        labels = _book_labels(source, count)
    else:
        tagged, labels = _article_sections(source, lines)
    chars: list[str] = []
    offsets: list[int] = []
    paragraphs: list[Paragraph] = []
    seen: set[str] = set()
    per_section: dict[int, int] = {}
    for (base, line), (section, _) in zip(lines, tagged):
        if section is None or not _is_prose(line):
            continue
        mark = len(chars)
        separator = 2 if chars else 0
        chars.extend("\n\n"[:separator])
        offsets.extend([offsets[-1] if offsets else base] * separator)
        body_start = len(chars)
        _clean_line(line, base, chars, offsets)
        body = "".join(chars[body_start:])
        if not body or body in seen:
            del chars[mark:], offsets[mark:]
            continue
        seen.add(body)
        per_section[section] = per_section.get(section, 0) + 1
        paragraphs.append(Paragraph(section, per_section[section], body_start, len(chars)))
    sections = [Section(n, label) for n, label in enumerate(labels)]
    return Document(source, original, "".join(chars), offsets, sections, paragraphs)


def default_corpus_dir() -> Path:
    """The corpus shipped with the package (source checkout or installed wheel)."""
    from tutor.resources import resource_dir

    return resource_dir("corpus")


def read_word_map(file_name: str, section: str, label: str) -> dict[str, str]:
    """A packaged table of words for a name ({"name": ["word", …]} under `section`), read as word -> name, both
    lower-cased (the demonym and title tables). Raises ValueError naming the file when the table is malformed."""
    path = default_corpus_dir() / file_name
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))[section]
        return {word.lower(): name.lower() for name, words in groups.items() for word in words}
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{label} table {path} is malformed: {exc}") from exc


def load_manifest(corpus_dir: Path) -> list[Source]:
    """Read corpus/manifest.json."""
    manifest = corpus_dir / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return [Source(**entry) for entry in data["sources"]]
    except FileNotFoundError as exc:
        raise CorpusError(f"The corpus manifest {manifest} is missing.") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"The corpus manifest {manifest} cannot be read: {exc}") from exc


def read_source_text(corpus_dir: Path, source: Source) -> str:
    """The original text of one source, with a message naming the file when it cannot be read."""
    path = corpus_dir / source.file
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CorpusError(f"Corpus file {path} (source '{source.id}') is missing.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"Corpus file {path} (source '{source.id}') cannot be read: {exc}") from exc


class Corpus:
    """The cleaned documents of a corpus folder, loaded on demand and kept."""

    def __init__(self, corpus_dir: Path | None = None):
        self.dir = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        self.sources = load_manifest(self.dir)
        self._documents: dict[str, Document] = {}

    def source(self, source_id: str) -> Source:
        """The manifest entry of a source id."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def document(self, source_id: str) -> Document:
        """The cleaned document of a source, cleaned once per Corpus."""
        if source_id not in self._documents:
            source = self.source(source_id)
            self._documents[source_id] = clean_document(source, read_source_text(self.dir, source))
        return self._documents[source_id]

    def documents(self) -> list[Document]:
        """All cleaned documents in manifest order."""
        return [self.document(s.id) for s in self.sources]
