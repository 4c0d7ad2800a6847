"""Chunk and question vectors under bfloat16 autocast stay close enough to fp32 to share the store.

These run on any CPU: where bfloat16 is not native PyTorch emulates it (slower, same numbers), so forcing
`bf16="on"` tests the path whichever machine runs the suite."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.embeddings import SentenceTransformerEmbeddings, embedding_id, make_embeddings, native_bf16, uses_bf16
from tutor.settings import EmbeddingSettings


@pytest.fixture(scope="module")
def fp32_and_bf16():
    fp32 = SentenceTransformerEmbeddings(runtime="torch")
    bf16 = SentenceTransformerEmbeddings(runtime="onnx", bf16=True)
    bf16.__dict__["model"] = fp32.model  # one copy of the weights; autocast leaves them in fp32
    return fp32, bf16


def test_bf16_vectors_stay_close_to_fp32(fp32_and_bf16, encoder_texts):
    fp32, bf16 = fp32_and_bf16
    a, b = fp32.encode(encoder_texts), bf16.encode(encoder_texts)
    assert b.dtype == np.float32 and b.shape == a.shape
    assert np.abs(a - b).max() > 1e-6  # bfloat16 really ran
    assert (a * b).sum(axis=1).min() > 0.999
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)


def test_bf16_runs_in_pytorch_whatever_the_runtime(fp32_and_bf16, encoder_texts):
    _, bf16 = fp32_and_bf16
    bf16.encode(encoder_texts[:1])
    assert "onnx" not in bf16.__dict__  # no fp32 graph was exported for it


def test_the_setting_chooses_bf16_only_for_fp32_sentence_transformers():
    assert uses_bf16(EmbeddingSettings(bf16="on"))
    assert not uses_bf16(EmbeddingSettings(bf16="off"))
    assert uses_bf16(EmbeddingSettings(bf16="auto")) == native_bf16()
    assert not uses_bf16(EmbeddingSettings(bf16="on", int8=True))
    assert not uses_bf16(EmbeddingSettings(bf16="on", backend="ollama"))
    assert make_embeddings(EmbeddingSettings(bf16="on")).backend.bf16
    assert not make_embeddings(EmbeddingSettings(bf16="off")).backend.bf16


def test_bf16_is_not_part_of_the_store_identity():
    assert embedding_id(EmbeddingSettings(bf16="on")) == embedding_id(EmbeddingSettings(bf16="off"))
