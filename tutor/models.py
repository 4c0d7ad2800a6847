"""Typed data passed between the layers: corpus → chunks → passages → turn results."""

from __future__ import annotations

from pydantic import BaseModel, Field, PrivateAttr


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


class Citation(BaseModel):
    """A numbered citation: the exact original words an answer sentence rests on."""

    number: int
    source: str
    title: str
    location: str
    chunk_id: str
    quote: str = Field(description="The quoted span, exactly as in the original text.")
    start: int = Field(description="Start offset of the quote in the original text.")
    end: int = Field(description="End offset (exclusive) of the quote in the original text.")


class GroundingEntry(BaseModel):
    """The verifier's verdict on one answer sentence."""

    text: str
    supported: bool
    citation: int | None = Field(None, description="The citation number that supports it (or that it cites).")
    score: float = Field(0.0, description="Share of the sentence's content words found in the cited passage.")
    factual: bool = Field(True, description="False for framing sentences and questions, which make no factual claim.")
    problems: list[str] = Field(default_factory=list, description="Why it is unsupported: missing numbers, names, words.")


class ScoreEntry(BaseModel):
    """A learner's claim checked against the sources."""

    claim: str
    verdict: str = Field(description="'supported', 'contradicted' or 'not in the sources'.")
    citation: Citation | None = None
    unsupported: list[str] = Field(default_factory=list, description="For 'not in the sources': the claim's dates, numbers and names no retrieved sentence on its subject gives.")


class TurnResult(BaseModel):
    """Everything one turn produced; what `tutor ask --json` prints."""

    answer: str = Field(description="Markdown with inline citation markers [1], [2].")
    mode: str
    backend: str
    abstained: bool = False
    missing: list[str] = Field(
        default_factory=list,
        description="What the question asks for that the sources do not state (e.g. 'the exact date'), said in the answer; the rest is answered.",
    )
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    grounding: list[GroundingEntry] = Field(default_factory=list)
    bad_markers: list[int] = Field(default_factory=list, description="Citation numbers that point to no passage.")
    query: str = Field("", description="The question as sent to retrieval, after follow-up rewriting.")
    notices: list[str] = Field(default_factory=list, description="Messages for the user, e.g. that the LLM failed and the offline composer answered.")
    follow_ups: list[str] = Field(default_factory=list, description="Suggested next questions the sources can answer.")
    framing: list[str] = Field(
        default_factory=list,
        description="Text the mode wrote as framing or persona argument (from reviewed templates and position data), not as facts about the past; graded as non-factual.",
    )
    scorecard: list["ScoreEntry"] = Field(default_factory=list, description="Debate: the learner's factual claims checked against the sources.")
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")


class Message(BaseModel):
    """One message of a conversation."""

    role: str = Field(description="'user' or 'assistant'.")
    content: str
    result: TurnResult | None = None


class Session(BaseModel):
    """A conversation: its messages, current mode and each plugin's own state. Serialisable for save and restore."""

    id: str
    mode: str = "explain"
    options: dict[str, dict] = Field(default_factory=dict, description="mode name → that mode's options")
    state: dict[str, dict] = Field(default_factory=dict, description="mode name → that mode's private state")
    messages: list[Message] = Field(default_factory=list)
    # Kept by the session store (never serialised): how many of `messages` it holds, so a save only
    # appends the new ones, and the version of mode/options/state this copy was read at.
    _stored: int = PrivateAttr(0)
    _version: int = PrivateAttr(0)
