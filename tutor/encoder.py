"""The embedding front every part of the tutor shares: concurrent calls joined into one batch, recent short texts remembered.

Under a class's load many turns want a question vector at the same moment. On
a small CPU machine, parallel forward passes only fight over the cores (each
one also starts its own intra-op threads), while one batched pass of a few
short texts costs about as much as one. So calls queue up, and whichever
caller finds the model idle encodes everything queued so far for everyone.
Interactive texts (questions, replies, debate claims) recur within a turn and
across students, so they are kept in a small LRU cache; bulk calls (ingest,
warm-up) bypass it because their callers keep the results themselves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

BULK = 16  # calls with more texts than this are bulk work and are not cached


@dataclass
class _Job:
    texts: list[str]
    vectors: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False


class Encoder(Embeddings):
    """Wraps any LangChain embeddings backend; `encode` returns normalised float32 vectors."""

    def __init__(self, backend: Embeddings, cache_size: int = 4096):
        self.backend = backend
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cond = threading.Condition()
        self._queue: list[_Job] = []
        self._busy = False

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for the texts, one row each, from the cache or one shared batch."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if len(texts) > BULK:
            return self._batched(texts)
        with self._cond:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = dict(zip(missing, self._batched(missing)))
            with self._cond:
                self._cache.update(fresh)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            known.update(fresh)
        return np.stack([known[t] for t in texts])

    def _batched(self, texts: list[str]) -> np.ndarray:
        job = _Job(texts)
        with self._cond:
            self._queue.append(job)
            while self._busy and not job.done:
                self._cond.wait()
            if job.done:
                return self._result(job)
            self._busy = True
            batch, self._queue = self._queue, []
        try:
            vectors, error = self._encode_now([t for j in batch for t in j.texts]), None
        except BaseException as exc:  # handed to every caller in the batch, each raises it
            vectors, error = None, exc
        with self._cond:
            offset = 0
            for queued in batch:
                if error is None:
                    queued.vectors = vectors[offset : offset + len(queued.texts)]
                    offset += len(queued.texts)
                queued.error, queued.done = error, True
            self._busy = False
            self._cond.notify_all()
        return self._result(job)

    @staticmethod
    def _result(job: _Job) -> np.ndarray:
        if job.error is not None:
            raise job.error
        return job.vectors

    def _encode_now(self, texts: list[str]) -> np.ndarray:
        native = getattr(self.backend, "encode", None)
        vectors = np.asarray(native(texts) if native else self.backend.embed_documents(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
