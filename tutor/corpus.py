"""Corpus: read the manifest and texts, clean them, and keep a map back to the original offsets.

A cleaned document is the source's kept paragraphs joined by blank lines. Every
character of it knows the offset of the original character it came from, so any
span of cleaned text (a chunk, a quoted sentence) can be quoted from the
original file exactly.

Cleaning decisions:
- NFKC normalisation per character (the article's non-breaking spaces become
  spaces) and whitespace runs folded to one space.
- The book's footnote numbers glued to sentence ends (``export.’1``) and
  footnote asterisks (``Street*``) are dropped; decimals (``7.3``) and
  thousands (``1,000``) are kept, a digit after a year's full stop
  (``1917.6``) is a footnote.
- The article's reference marks (``[edit]``, ``[287]``, ``[citation needed]``,
  ``[nb 1]``, ``[a]``) are dropped.
- Paragraphs repeated verbatim inside a source are kept once.
- Article lines that are not prose (image captions, "Main article:" pointers,
  the date line) are not indexed: they are short lines without a sentence end.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tutor.models import Source
from tutor.text import fold

_FOOTNOTE = re.compile(r"(?<=[.!?,;:’”\"\)\]])\d{1,3}(?=\s|$)")
_ASTERISK = re.compile(r"(?<=[\w.’”)])\*+")
_REF_MARK = re.compile(
    r"\[(?:edit|[^\]]{0,20}needed|dubious[^\]]*|who\?|when\?|nb \d+|note \d+|[a-z]{1,2}|\*?\d{1,4})\]", re.IGNORECASE
)
_NOT_PROSE = re.compile(r"^(Main article|Further information|See also):", re.IGNORECASE)


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


def _clean_line(line: str, base: int, chars: list[str], offsets: list[int]) -> None:
    """Append the cleaned characters of one original line (starting at `base`) to the buffers."""
    drop = [False] * len(line)
    for pattern in (_REF_MARK, _ASTERISK):
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
