"""The ONNX Runtime path gives the vectors PyTorch gives, so a store built with either serves both."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.embeddings import MAX_SESSIONS, SentenceTransformerEmbeddings, embedding_id
from tutor.onnx_runtime import OnnxSentenceEncoder, UnsupportedModel
from tutor.settings import EmbeddingSettings


@pytest.fixture(scope="module")
def both():
    return SentenceTransformerEmbeddings(runtime="onnx"), SentenceTransformerEmbeddings(runtime="torch")


def test_onnx_vectors_match_torch(both, encoder_texts):
    onnx, torch = both
    a, b = onnx.encode(encoder_texts), torch.encode(encoder_texts)
    assert a.shape == b.shape == (len(encoder_texts), 384) and a.dtype == np.float32
    assert np.abs(a - b).max() < 1e-5
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_batches_and_order_do_not_change_vectors(both, encoder_texts):
    onnx, _ = both
    whole = onnx.encode(encoder_texts)
    one_by_one = np.concatenate([onnx.encode([t]) for t in reversed(encoder_texts)])[::-1]
    assert np.abs(whole - one_by_one).max() < 1e-5  # padding in a batch must not leak into the mean


def test_runtime_is_part_of_the_store_identity_only_with_int8():
    assert embedding_id(EmbeddingSettings(runtime="onnx")) == embedding_id(EmbeddingSettings(runtime="torch"))
    ids = {embedding_id(EmbeddingSettings(runtime=r, int8=q)) for r in ("onnx", "torch") for q in (True, False)}
    assert len(ids) == 3  # fp32 shared; the two int8 quantisations give different vectors


def test_int8_onnx_stays_close_to_fp32(both, encoder_texts):
    """Int8 (weights per channel, activations per token) changes the vectors a little (which is why it has its
    own store identity) but keeps them close enough for the composer to rank the same sentences."""
    fp32 = both[0].encode(encoder_texts)
    int8 = SentenceTransformerEmbeddings(int8=True, runtime="onnx").encode(encoder_texts)
    cosines = (fp32 * int8).sum(axis=1)
    assert np.abs(fp32 - int8).max() > 1e-4
    assert cosines.min() > 0.98 and cosines.mean() > 0.99
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)


def test_an_int8_vector_does_not_depend_on_the_texts_encoded_with_it(encoder_texts):
    """Activations are scaled per token, so texts share a batch (and its padding) without changing each other's
    vectors; with one scale per run (ONNX Runtime's own dynamic quantisation) this fails (cosine about 0.992)."""
    encoder = SentenceTransformerEmbeddings(int8=True, runtime="onnx")
    alone = encoder.encode(encoder_texts[:1])[0]
    together = encoder.encode([*encoder_texts, "A much longer sentence about the Kronstadt sailors and what they demanded in March 1921."])[0]
    assert np.array_equal(alone, together)


def test_composer_sentences_use_the_int8_copy_only_when_it_applies():
    from tutor.embeddings import make_embeddings, make_sentence_embeddings

    settings = EmbeddingSettings()
    shared = make_embeddings(settings)
    sentences = make_sentence_embeddings(settings, shared)
    assert sentences is not shared and sentences.backend.int8 and sentences.backend.runtime == "onnx"
    assert 1 <= sentences.backend.sessions <= MAX_SESSIONS
    for other in (settings.model_copy(update={"sentence_int8": False}), settings.model_copy(update={"runtime": "torch"}), settings.model_copy(update={"int8": True})):
        assert make_sentence_embeddings(other, shared) is shared


def test_other_pooling_is_refused_by_name(both):
    import onnxruntime
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Pooling

    model = both[1].model
    cls_model = SentenceTransformer(modules=[model[0], Pooling(384, pooling_mode="cls")], device="cpu")
    with pytest.raises(UnsupportedModel, match="torch runtime"):
        OnnxSentenceEncoder(cls_model, onnxruntime, torch)


def test_side_by_side_sessions_give_the_vectors_one_session_gives(encoder_texts):
    """The sentence encoder splits batches over single-threaded sessions; which session ran a batch must not show."""
    texts = [*encoder_texts, *(f"Sentence {i} about the {i}th congress of soviets, held in Petrograd." for i in range(40))]
    one = SentenceTransformerEmbeddings(int8=True, runtime="onnx", batch_size=4)
    two = SentenceTransformerEmbeddings(int8=True, runtime="onnx", batch_size=4, sessions=2)
    two.__dict__["model"] = one.model  # load the weights once
    a, b = one.encode(texts), two.encode(texts)
    assert len(two.onnx.sessions) == 2 and a.shape == b.shape == (len(texts), 384)
    assert np.abs(a - b).max() < 1e-6


def test_int8_graph_runs_each_weight_matmul_as_one_fused_kernel(both):
    """Integer matmul, cast and weight scales in one MatMulIntegerToFloat, and the input rounded, shifted and cast
    in one QuantizeLinear: the separate ops cost the sentence pass about a tenth of its time."""
    import onnx
    import torch

    from tutor.onnx_runtime import _export, _quantise, _transformer

    model = both[1].model
    graph = onnx.load_from_string(_quantise(_export(_transformer(model).auto_model, model.tokenizer, torch)))
    ops = [n.op_type for n in graph.graph.node]
    assert ops.count("MatMulIntegerToFloat") == 36  # 6 layers x (query, key, value, output, intermediate, output dense)
    assert "MatMulInteger" not in ops and "Round" not in ops and "DynamicQuantizeLinear" not in ops
    assert ops.count("QuantizeLinear") == 24  # one per distinct matmul input: query, key and value share theirs
