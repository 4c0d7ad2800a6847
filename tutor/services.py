"""The one place where settings choose the swappable parts: embeddings, store, retriever (and later the writer).

Everything is built on first use and kept, so a command or the web app pays
for the model load and the BM25 index once.
"""

from __future__ import annotations

from functools import cached_property

from tutor.corpus import Corpus
from tutor.embeddings import make_embeddings, make_sentence_embeddings
from tutor.settings import Settings


class Services:
    """Lazily built components for one settings tree."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()

    @cached_property
    def corpus(self) -> Corpus:
        """The cleaned corpus (for quoting originals)."""
        return Corpus(self.settings.corpus_dir)

    @cached_property
    def embeddings(self):
        """The embedding backend."""
        return make_embeddings(self.settings.embedding)

    @cached_property
    def sentence_embeddings(self):
        """The encoder of the composer's sentence vectors (an int8 copy of the model by default)."""
        return make_sentence_embeddings(self.settings.embedding, self.embeddings)

    @cached_property
    def store(self):
        """The Chroma store."""
        from tutor.store import Store

        return Store(self.settings)

    @cached_property
    def retriever(self):
        """The hybrid retriever over the active collection."""
        from tutor.retrieve import Retriever

        return Retriever(self.store, self.embeddings, self.settings)

    @cached_property
    def sessions(self):
        """Where conversations are saved as they happen."""
        from tutor.session_store import SessionStore, database_url

        return SessionStore(database_url(self.settings.sessions_url, self.settings.data_dir))

    def reset_store(self) -> None:
        """Forget the opened store and retriever (after a rebuild) so the next use opens them afresh."""
        for name in ("store", "retriever"):
            self.__dict__.pop(name, None)

    def ensure_store(self, progress: bool = True):
        """Build the store if there is none yet (the main job calls this so a fresh machine needs no extra step)."""
        from tutor.ingest import ingest

        if self.store.info() is None:
            return ingest(self.settings, progress=progress, embeddings=self.embeddings)
        return None
