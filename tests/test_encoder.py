"""The shared encoder: concurrent calls are joined into one forward pass, short texts are cached, errors reach every caller."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from tutor.encoder import BULK, Encoder


class Counting(Embeddings):
    """Wraps the real MiniLM backend and records each batch it is asked to encode."""

    def __init__(self, real, delay: threading.Event | None = None):
        self.real, self.batches, self.gate = real, [], delay

    def encode(self, texts):
        if self.gate is not None:
            self.gate.wait(10)
        self.batches.append(list(texts))
        return self.real.encode(texts)

    def embed_documents(self, texts):
        return self.encode(texts).tolist()

    def embed_query(self, text):
        return self.encode([text])[0].tolist()


@pytest.fixture
def real(embeddings):
    return embeddings.backend


def test_vectors_match_the_model_and_are_normalised(real):
    encoder = Encoder(Counting(real))
    texts = ["What was the NEP?", "Who was Father Gapon?"]
    got = encoder.encode(texts)
    assert np.allclose(got, real.encode(texts), atol=1e-5)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_repeated_short_texts_come_from_the_cache(real):
    backend = Counting(real)
    encoder = Encoder(backend)
    first = encoder.encode(["What was the NEP?"])
    again = encoder.encode(["What was the NEP?", "What was the NEP?"])
    assert backend.batches == [["What was the NEP?"]]
    assert np.array_equal(again[0], first[0]) and np.array_equal(again[1], first[0])


def test_bulk_calls_bypass_the_cache(real):
    backend = Counting(real)
    encoder = Encoder(backend)
    texts = [f"passage number {i}" for i in range(BULK + 1)]
    encoder.encode(texts)
    encoder.encode(texts)
    assert len(backend.batches) == 2
    assert not encoder._cache


def test_the_cache_is_bounded(real):
    encoder = Encoder(Counting(real), cache_size=3)
    for i in range(5):
        encoder.encode([f"question {i}"])
    assert list(encoder._cache) == ["question 2", "question 3", "question 4"]


def test_concurrent_callers_share_one_batch(real):
    gate = threading.Event()
    backend = Counting(real, delay=gate)
    encoder = Encoder(backend)
    results: dict[int, np.ndarray] = {}
    questions = [f"Question {i} about the Kronstadt mutiny" for i in range(6)]

    def ask(i):
        results[i] = encoder.encode([questions[i]])[0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    threads[0].start()
    while not encoder._busy:  # the first caller is encoding (held at the gate)
        pass
    for thread in threads[1:]:
        thread.start()
    while len(encoder._queue) < 5:  # the others wait behind it
        pass
    gate.set()
    for thread in threads:
        thread.join(10)
    assert backend.batches[0] == questions[:1]
    assert sorted(backend.batches[1]) == sorted(questions[1:])
    assert len(backend.batches) == 2
    for i, question in enumerate(questions):
        assert np.allclose(results[i], real.encode([question])[0], atol=1e-5)


def test_a_failing_backend_raises_in_every_waiting_caller():
    class Down(Embeddings):
        """Stands in for a hosted embeddings API that is unreachable (none can run here)."""

        def embed_documents(self, texts):
            raise ConnectionError("embeddings server is down")

        def embed_query(self, text):
            raise ConnectionError("embeddings server is down")

    encoder = Encoder(Down())
    with pytest.raises(ConnectionError, match="down"):
        encoder.encode(["What was the NEP?"])
    assert not encoder._busy  # the next call may try again


def test_backends_without_a_native_encode_are_normalised():
    class Unnormalised(Embeddings):
        """Stands in for a hosted embeddings API (none can run here) whose vectors are not unit length."""

        def embed_documents(self, texts):
            return [[3.0, 4.0] for _ in texts]

        def embed_query(self, text):
            return [3.0, 4.0]

    assert Encoder(Unnormalised()).embed_query("x") == pytest.approx([0.6, 0.8])
