"""Typed data passed between the layers: corpus → chunks → passages → turn results."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Source(BaseModel):
    """One text of the corpus, as listed in corpus/manifest.json."""

    id: str = Field(description="Stable source id used in citations.")
    title: str
    author: str
    kind: str = Field(description="'book' or 'article'.")
    file: str
    provenance: str
    structure: str = Field(description="Which structure rules apply: 'book' or 'article'.")
    chapter_labels: list[str] = Field(default_factory=list)
    extra_headings: list[dict[str, str]] = Field(default_factory=list)


class Chunk(BaseModel):
    """A passage cut from a cleaned source, before it is stored."""

    chunk_id: str
    source: str
    title: str
    section: int = Field(description="Chapter (book) or section (article) number, 0-based.")
    location: str = Field(description="Human-readable location, e.g. 'Chapter 5: The February Revolution, 1917, ¶12'.")
    paragraph: int = Field(description="Number of the first paragraph within its section, 1-based.")
    text: str = Field(description="Cleaned text, the text that is embedded and indexed.")
    start: int = Field(description="Start offset in the original file text.")
    end: int = Field(description="End offset (exclusive) in the original file text.")
    years: list[int] = Field(default_factory=list, description="Years (1800–2029) the passage mentions.")


class Passage(Chunk):
    """A retrieved chunk with its fused retrieval score."""

    score: float = 0.0
