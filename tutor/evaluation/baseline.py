"""A plain LangChain RAG baseline: split the original texts, index them in Chroma, answer with the top 5 passages quoted.

It shares the tutor's embeddings object, so the comparison isolates what the
tutor's chunking, hybrid retrieval and answer composition add.
"""

from __future__ import annotations

import tempfile
import uuid

from pydantic import BaseModel

from tutor.corpus import Corpus
from tutor.evaluation.dataset import EvalItem
from tutor.evaluation.metrics import share, states_key_facts
from tutor.text import fold

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1000, 200, 5


class BaselineDoc(BaseModel):
    """A passage the baseline retrieved."""

    source: str
    text: str


class BaselineScores(BaseModel):
    """The baseline's retrieval and key-fact scores on one item (None where they do not apply)."""

    hit_at_5: bool | None = None
    key_facts: bool | None = None


class BaselineRecord(BaseModel):
    """What the baseline retrieved for an item (its answer is these texts joined) and how it scored."""

    docs: list[BaselineDoc]
    scores: BaselineScores


class LangChainBaseline:
    """RecursiveCharacterTextSplitter(1000, 200) over the original texts into Chroma in a temporary folder.

    Use as a context manager: the index is built on entry and deleted on exit.
    """

    def __init__(self, corpus: Corpus, embeddings):
        self.corpus = corpus
        self.embeddings = embeddings

    def __enter__(self) -> LangChainBaseline:
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self._folder = tempfile.TemporaryDirectory(prefix="tutor-baseline-", ignore_cleanup_errors=True)
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        sources = [s.id for s in self.corpus.sources]
        docs = splitter.create_documents([self.corpus.document(s).original for s in sources], metadatas=[{"source": s} for s in sources])
        self.store = Chroma(
            collection_name=f"baseline_{uuid.uuid4().hex[:8]}",
            embedding_function=self.embeddings,
            persist_directory=self._folder.name,
            client_settings=ChromaSettings(anonymized_telemetry=False),
        )
        self.store.add_texts([d.page_content for d in docs], metadatas=[d.metadata for d in docs])
        return self

    def __exit__(self, *exc_info) -> None:
        self._folder.cleanup()

    def search(self, question: str) -> list[BaselineDoc]:
        """The top 5 passages by embedding similarity."""
        found = self.store.similarity_search(question, k=TOP_K)
        return [BaselineDoc(source=d.metadata["source"], text=d.page_content) for d in found]


def score_baseline(item: EvalItem, docs: list[BaselineDoc]) -> BaselineScores:
    """hit@5 (a quote inside a passage of the same source, in `fold` form) and key facts in the joined passages."""
    hit = any(e.source == d.source and fold(e.quote) in fold(d.text) for e in item.evidence for d in docs) if item.evidence else None
    return BaselineScores(hit_at_5=hit, key_facts=states_key_facts("\n\n".join(d.text for d in docs), item))


def aggregate_baseline(scores: list[BaselineScores]) -> dict[str, float]:
    """The baseline's metrics, named as the tutor's so the two can be set side by side."""
    values = {"retrieval.hit@5": share([s.hit_at_5 for s in scores]), "key_fact_recall": share([s.key_facts for s in scores])}
    return {name: value for name, value in values.items() if value is not None}
