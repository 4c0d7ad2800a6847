"""The offline composer: answers built only from sentences of the retrieved passages, each cited exactly.

It never writes a factual sentence of its own. It scores every sentence of the
retrieved passages against the question (embedding similarity plus the share
of the question's content words it contains), keeps the best few while
skipping near-repeats, leads with the best one and puts the rest in reading
order, and frames them with short phrases that carry no facts.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from tutor.corpus import Corpus
from tutor.models import Citation, Passage
from tutor.text import match_form, sentence_spans, words, years_in
from tutor.verify import STOP_WORDS, check, content_stems, proper_names

# Calibrated on the eval dev split (evals/calibrate_scope.py): the highest threshold that still answers every
# in-scope dev item; it abstains on 5 of 8 dev out-of-scope items (near-topic ones score higher).
IN_SCOPE_SCORE = 0.48
# A question that names something the sources never mention (a name or a year absent from every
# text) must match far better to count as answerable. Chosen on the dev split: above every dev
# out-of-scope question with such a name (at most 0.66), below the false-premise questions whose
# invented detail is such a name (0.9), which must be corrected, not refused.
UNKNOWN_NAME_SCORE = 0.75
MIN_SENTENCE_SCORE_SHARE = 0.75  # later sentences must score at least this share of the best one
REPEAT_SIMILARITY = 0.8
MAX_SENTENCES = 4
MIN_WORDS = 7
# A sentence opening with a pronoun leans on the one before it, which the reader may not see.
_DANGLING = re.compile(r"^(He|She|It|They|This|These|That|Those|His|Her|Their|Its)\b")
DANGLING_PENALTY = 0.08


@dataclass
class Candidate:
    """A sentence of a retrieved passage, with where it is in the original text."""

    rank: int  # the passage's retrieval rank, 0-based
    passage: Passage
    text: str
    start: int  # original offsets
    end: int
    score: float = 0.0
    vector: np.ndarray | None = None


@dataclass
class Assessment:
    """How well the retrieved passages answer a question."""

    candidates: list[Candidate]
    best: float
    unknown: list[str] = field(default_factory=list)  # the question's names and years that no source mentions

    @property
    def in_scope(self) -> bool:
        """Whether the sources say enough to answer."""
        bar = UNKNOWN_NAME_SCORE if self.unknown else IN_SCOPE_SCORE
        return bool(self.candidates) and self.best >= bar


@dataclass
class Composition:
    """The composer's answer before verification."""

    answer: str
    citations: list[Citation]
    used: list[Candidate]


def candidates(corpus: Corpus, passages: list[Passage]) -> list[Candidate]:
    """Every sentence of the passages, mapped to its original span."""
    out = []
    for rank, passage in enumerate(passages):
        doc = corpus.document(passage.source)
        base = doc.clean_start_of(passage.text, passage.start)
        for a, b in sentence_spans(passage.text):
            text = passage.text[a:b].strip()
            if len(text.split()) < MIN_WORDS or text.rstrip("’'”\")").endswith("?"):
                continue
            start, end = doc.original_span(base + a, base + b)
            out.append(Candidate(rank, passage, text, start, end))
    return out


class OfflineComposer:
    """Selects, orders, frames and cites source sentences."""

    def __init__(self, corpus: Corpus, embeddings):
        self.corpus = corpus
        self.embeddings = embeddings
        # Sentence vectors by (source, original start): passages recur across turns, so each sentence is encoded once.
        self._vectors: dict[tuple[str, int], np.ndarray] = {}
        self._lock = threading.Lock()

    def _sentence_vectors(self, found: list[Candidate]) -> list[np.ndarray]:
        keys = [(c.passage.source, c.start) for c in found]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            texts = {(c.passage.source, c.start): c.text for c in found}
            encoded = np.asarray(self.embeddings.encode([texts[k] for k in missing]))
            with self._lock:
                self._vectors.update(zip(missing, encoded))
        with self._lock:
            return [self._vectors[k] for k in keys]

    def warm(self, passages: list[Passage], batch: int = 32) -> None:
        """Build the vocabulary and encode the sentences of these passages ahead of need (the web app does this for the whole store in the background)."""
        self.vocabulary
        for i in range(0, len(passages), batch):
            self._sentence_vectors(candidates(self.corpus, passages[i : i + batch]))

    def assess(self, question: str, passages: list[Passage]) -> Assessment:
        """Score every candidate sentence against the question."""
        found = candidates(self.corpus, passages)
        if not found:
            return Assessment([], 0.0, self.unknown_names(question))
        query = np.asarray(self.embeddings.encode([question]))[0]
        rest = self._sentence_vectors(found)
        wanted = content_stems(question)
        for candidate, vector in zip(found, rest):
            lexical = len(wanted & content_stems(candidate.text)) / len(wanted) if wanted else 0.0
            candidate.vector = vector
            candidate.score = float(vector @ query) + 0.25 * lexical - 0.01 * candidate.rank
            if _DANGLING.match(candidate.text):
                candidate.score -= DANGLING_PENALTY
        found.sort(key=lambda c: c.score, reverse=True)
        return Assessment(found, found[0].score, self.unknown_names(question))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the sources, their titles and authors included."""
        texts = [d.text for d in self.corpus.documents()] + [f"{s.title} {s.author}" for s in self.corpus.sources]
        return frozenset(w for text in texts for w in words(text))

    def unknown_names(self, question: str) -> list[str]:
        """Names and years in the question that appear in none of the sources."""
        known = self.vocabulary
        named = [n for n in proper_names(question) if not any(part in known for part in n.split("-"))]
        return named + [str(y) for y in years_in(question) if str(y) not in known]

    def select(self, assessment: Assessment, limit: int = MAX_SENTENCES) -> list[Candidate]:
        """The best sentences without near-repeats: the best first, the rest in reading order."""
        chosen: list[Candidate] = []
        for candidate in assessment.candidates:
            if len(chosen) == limit or candidate.score < MIN_SENTENCE_SCORE_SHARE * assessment.best:
                break
            if any(float(candidate.vector @ c.vector) > REPEAT_SIMILARITY for c in chosen):
                continue
            chosen.append(candidate)
        head, tail = chosen[:1], chosen[1:]
        tail.sort(key=lambda c: (c.passage.source != head[0].passage.source, c.passage.source, c.start))
        return head + tail

    def cite(self, candidate: Candidate, number: int) -> Citation:
        """A numbered citation quoting a candidate sentence exactly as the original has it."""
        passage = candidate.passage
        return Citation(
            number=number,
            source=passage.source,
            title=passage.title,
            location=passage.location,
            chunk_id=passage.chunk_id,
            quote=self.corpus.document(passage.source).original[candidate.start : candidate.end],
            start=candidate.start,
            end=candidate.end,
        )

    def compose(self, question: str, assessment: Assessment, intro: str) -> Composition:
        """An answer of cited source sentences under a fact-free intro line."""
        chosen = self.select(assessment)
        citations = [self.cite(c, n) for n, c in enumerate(chosen, 1)]
        body = []
        previous_source = chosen[0].passage.source if chosen else None
        for n, c in enumerate(chosen, 1):
            if c.passage.source != previous_source:
                kind = self.corpus.source(c.passage.source).kind
                body.append(f"\n\nThe {kind} adds this.\n\n")
                previous_source = c.passage.source
            body.append(f"{c.text} [{n}] ")
        return Composition(f"{intro}\n\n{''.join(body).strip()}", citations, chosen)


_PRESUPPOSING = re.compile(r"^\s*(why|how|when|where|what)\s+(did|was|were|had|has|does|do|is|are)\s+", re.IGNORECASE)


def premise_unsupported(question: str, assessment: Assessment, depth: int = 8) -> bool:
    """Whether a question that presupposes a dated claim ("Why did X become Y in 1922?") finds no sentence that states it.

    The claim is the question without its question words; it is supported when
    one of the best sentences has all its names and numbers and half its words.
    Only claims with a date or number are checked: without one, names written
    differently ("the New Economic Policy" and "NEP") make too many false alarms.
    """
    if not _PRESUPPOSING.match(question) or not re.search(r"\d", question):
        return False
    claim = _PRESUPPOSING.sub("", question).rstrip("?")
    return not any(check(claim, c.text, min_share=0.5)[0] for c in assessment.candidates[:depth])


def follow_up_questions(question: str, passages: list[Passage], limit: int = 3) -> list[str]:
    """Questions the retrieved passages can answer: about named things they mention that the question did not."""
    asked = proper_names(question)
    topics: list[str] = []
    for passage in passages:
        for phrase in re.findall(r"\b[A-Z][a-z-]+(?: (?:of |the )?[A-Z][a-z-]+)+", passage.text):
            names = phrase.split()
            if names[0].lower() in STOP_WORDS or any(match_form(w).strip("'") in asked for w in names) or phrase in topics:
                continue
            topics.append(phrase)
    return [f"What do the sources say about {topic}?" for topic in topics[:limit]]
