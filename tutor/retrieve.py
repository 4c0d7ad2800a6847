"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused by reciprocal rank fusion, near-duplicates removed.

A query is first worded as the sources word it (`tutor.variants`): a spelling,
transliteration or abbreviation they never use is replaced by one they do, and
an Old Style date gets its New Style form beside it (and the other way round).
Doing it on the query reaches both retrievers and leaves the index as the text is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from tutor.models import Chunk, Passage
from tutor.store import Store, chunk_from_record
from tutor.text import words
from tutor.variants import form_key, load_variants
from tutor.verify import stem


@dataclass(frozen=True)
class Filters:
    """Optional restrictions on what may be retrieved."""

    sources: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def where(self) -> dict | None:
        """The same restriction as a Chroma `where` clause."""
        clauses: list[dict] = []
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.year_from is not None:
            clauses.append({"year_max": {"$gte": self.year_from}})
        if self.year_to is not None:
            clauses.append({"year_min": {"$lte": self.year_to}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def allows(self, chunk: Chunk) -> bool:
        """Whether a chunk passes (a chunk mentioning no year fails any year filter)."""
        if self.sources and chunk.source not in self.sources:
            return False
        if self.year_from is not None and (not chunk.years or chunk.years[-1] < self.year_from):
            return False
        if self.year_to is not None and (not chunk.years or chunk.years[0] > self.year_to):
            return False
        return True


NO_FILTERS = Filters()


def _stem_tokens(tokens: list[str]) -> list[str]:
    """BM25's stemmer: each token stemmed as the composer and the verifier stem words ("lost" as "lose")."""
    return [stem(t) for t in tokens]


class Retriever:
    """Searches the active collection; the BM25 index is built once, here, and reused for every query."""

    def __init__(self, store: Store, embeddings, settings):
        import bm25s

        self.settings = settings.retrieval
        self.embeddings = embeddings
        self.collection = store.active()
        got = store.records(self.collection)
        self.chunks = [chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        self.by_id = {c.chunk_id: c for c in self.chunks}
        self._bm25 = bm25s.BM25()
        self._bm25.index(self._tokenize([c.text for c in self.chunks]), show_progress=False)
        self._word_sets = {c.chunk_id: set(words(c.text)) for c in self.chunks}
        self.variants = load_variants()

    def holding(self, source: str, start: int, end: int) -> Chunk | None:
        """The stored chunk that holds a sentence given by its original offsets (the first, when chunks overlap)."""
        return next((c for c in self._by_source.get(source, []) if c.start <= start and end <= c.end), None)

    @cached_property
    def _by_source(self) -> dict[str, list[Chunk]]:
        found: dict[str, list[Chunk]] = {}
        for chunk in sorted(self.chunks, key=lambda c: c.start):
            found.setdefault(chunk.source, []).append(chunk)
        return found

    def known(self, form: str) -> bool:
        """Whether the indexed text uses this form of a name (e.g. "Yezhov" but not "Ezhov")."""
        return form_key(form) in self._forms_used

    @cached_property
    def _forms_used(self) -> frozenset[str]:
        return self.variants.forms_in("\n".join(c.text for c in self.chunks))

    @cached_property
    def _vocabulary(self) -> dict[str, list[str]]:
        """Names the sources capitalise, and other words of ten letters or more, by first letter: what a respelling may become."""
        names = {w.lower() for c in self.chunks for w in re.findall(r"\b[A-Z][a-z]{4,}\b", c.text)}
        long_words = {w for ws in self._word_sets.values() for w in ws if len(w) >= 10 and w.isalpha()}
        by_letter: dict[str, list[str]] = {}
        for word in sorted(names | long_words):
            by_letter.setdefault(word[0], []).append(word)
        return by_letter

    @lru_cache(maxsize=4096)
    def respelling(self, word: str) -> str | None:
        """The name the sources spell otherwise ("Milyukov" → "miliukov", "Kolchack" → "kolchak"), or None.

        Transliterations differ by a letter or two (-ii/-y, ye/e, yo/e): a close
        match (difflib ratio ≥ 0.85, length within one letter, same first letter)
        among the names the sources capitalise, or among their long words for a
        long word ("prodrazvyorstka"). Ordinary English words are never bent into
        others ("landing" is not "leaning", "Australia" is not "Austria").
        """
        lowered = word.lower()
        if len(lowered) < 6 or lowered in self._known_words:
            return None
        pool = [w for w in self._vocabulary.get(lowered[0], ()) if abs(len(w) - len(lowered)) <= 1]
        close = difflib.get_close_matches(lowered, pool, n=1, cutoff=0.85)
        # Another ending of the same word ("Greens", "concentrate") is not a spelling: the stemmer already matches it.
        # A letter doubled or dropped before the end is ("Kolchack" is "Kolchak").
        if not close or stem(close[0]) == stem(lowered) or close[0].startswith(lowered) or lowered.startswith(close[0]):
            return None
        return close[0]

    def worded(self, query: str) -> str:
        """The query worded as the sources word it: table variants first, then close respellings of unknown words."""
        query = self.variants.corpus_forms(query, self.known)

        def respell(match: re.Match) -> str:
            word = match.group()
            if word.lower() in self._known_words:
                return word
            better = self.respelling(word)
            return (better.title() if word[0].isupper() else better) if better else word

        def plural(match: re.Match) -> str:
            # "What was a TOZ?": the sources write only the plural ("the small collectives known as TOZes").
            word = match.group()
            known = self._known_words
            return word if word.lower() in known else next((word + end for end in ("es", "s") if (word + end).lower() in known), word)

        query = re.sub(r"\b[A-Z]{2,6}\b", plural, query)
        return re.sub(r"[^\W\d_]{6,}", respell, query)

    @cached_property
    def _known_words(self) -> frozenset[str]:
        return frozenset(w for ws in self._word_sets.values() for w in ws)

    def _tokenize(self, texts: list[str]):
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=_stem_tokens, show_progress=False)

    def dense(self, query: str, n: int, filters: Filters = NO_FILTERS) -> list[str]:
        """Chunk ids by embedding similarity."""
        vector = self.embeddings.embed_query(query)
        got = self.collection.query(query_embeddings=[vector], n_results=n, where=filters.where(), include=[])
        return got["ids"][0]

    def lexical(self, query: str, n: int, filters: Filters = NO_FILTERS) -> list[str]:
        """Chunk ids by BM25 score (only chunks that share a term with the query)."""
        terms = [t for t in self._query_terms(query) if t in self._bm25.vocab_dict]
        if not terms:
            return []
        scores = self._bm25.get_scores(terms)
        order = np.argsort(-scores)
        out = []
        for index in order:
            if scores[index] <= 0 or len(out) >= n:
                break
            if filters.allows(self.chunks[index]):
                out.append(self.chunks[index].chunk_id)
        return out

    def _query_terms(self, query: str) -> list[str]:
        import bm25s

        return bm25s.tokenize([query], stopwords="en", stemmer=_stem_tokens, return_ids=False, show_progress=False)[0]

    def search(self, query: str, k: int | None = None, filters: Filters = NO_FILTERS) -> list[Passage]:
        """The top `k` passages for a query, fused, de-duplicated and filtered."""
        k = k or self.settings.k
        n = max(self.settings.candidates, k)
        query = self.worded(query)
        fused: dict[str, float] = {}
        rankings = ((self.dense(query, n, filters), self.settings.dense_weight), (self.lexical(query, n, filters), self.settings.bm25_weight))
        for ranking, weight in rankings:
            for rank, chunk_id in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (self.settings.rrf_k + rank + 1)
        kept: list[Passage] = []
        for chunk_id in sorted(fused, key=fused.get, reverse=True):
            if self._near_duplicate(chunk_id, kept):
                continue
            kept.append(Passage(**self.by_id[chunk_id].model_dump(), score=round(fused[chunk_id], 6)))
            if len(kept) == k:
                break
        return kept

    def _near_duplicate(self, chunk_id: str, kept: list[Passage]) -> bool:
        mine = self._word_sets[chunk_id]
        chunk = self.by_id[chunk_id]
        for other in kept:
            if other.source == chunk.source and min(other.end, chunk.end) - max(other.start, chunk.start) > 0.5 * (chunk.end - chunk.start):
                return True
            theirs = self._word_sets[other.chunk_id]
            if mine and len(mine & theirs) / len(mine | theirs) > self.settings.dedup_threshold:
                return True
        return False
