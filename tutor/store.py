"""The Chroma store: a local persistent database or a `chroma run` server, chosen by `TUTOR_CHROMA_URL`.

Each ingest writes a fresh collection and then flips one pointer record in a
small registry collection. Readers only ever open the collection the pointer
names, so an ingest killed halfway leaves the previous store in use, and a
half-built collection is never mistaken for a ready one (it is removed by the
next ingest). The pointer also records the embedding model and chunking
settings the collection was built with.
"""

from __future__ import annotations

from urllib.parse import urlparse

from pydantic import BaseModel, Field

from tutor.embeddings import embedding_id
from tutor.models import Chunk
from tutor.settings import Settings

POINTER_ID = "active"
BATCH = 1000


class StoreError(RuntimeError):
    """The store is missing, unreachable, corrupt or built with other settings; the message says what to do."""


class StoreInfo(BaseModel):
    """What the registry pointer says about the active collection."""

    collection: str
    embedding: str
    chunk_size: int
    chunk_overlap: int
    fingerprints: dict[str, str] = Field(default_factory=dict, description="source id → hash of its file")
    counts: dict[str, int] = Field(default_factory=dict, description="source id → chunk count")


def make_client(settings: Settings):
    """A Chroma client: HTTP when a server URL is set, else a persistent local database."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def chunk_metadata(chunk: Chunk) -> dict:
    """Chroma metadata for a chunk (Chroma stores flat scalars and lists)."""
    meta = chunk.model_dump(exclude={"chunk_id", "text", "years"})
    if chunk.years:
        meta.update(years=chunk.years, year_min=chunk.years[0], year_max=chunk.years[-1])
    return meta


def chunk_from_record(chunk_id: str, text: str, meta: dict) -> Chunk:
    """Rebuild a chunk from what Chroma returns."""
    fields = {k: v for k, v in meta.items() if k not in ("year_min", "year_max")}
    fields["years"] = list(fields.get("years") or [])
    return Chunk(chunk_id=chunk_id, text=text, **fields)


class Store:
    """The tutor's collections in one Chroma database."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.prefix = settings.collection
        try:
            self.client = make_client(settings)
            self.registry = self.client.get_or_create_collection(f"{self.prefix}_registry", embedding_function=None)
        except Exception as exc:  # chromadb raises many kinds; all mean the same to the user
            where = settings.chroma_url or settings.data_dir / "chroma"
            raise StoreError(
                f"Cannot open the Chroma store at {where}: {exc}. "
                "Check that the server is running, or run `tutor ingest --rebuild` to build a new local store."
            ) from exc

    def info(self) -> StoreInfo | None:
        """The active collection's record, or None when nothing was ever built."""
        got = self.registry.get(ids=[POINTER_ID], include=["documents"])
        if not got["ids"]:
            return None
        return StoreInfo.model_validate_json(got["documents"][0])

    def expected(self) -> dict:
        """The settings a compatible store must have been built with."""
        return {
            "embedding": embedding_id(self.settings.embedding),
            "chunk_size": self.settings.chunking.size,
            "chunk_overlap": self.settings.chunking.overlap,
        }

    def mismatch(self, info: StoreInfo) -> str | None:
        """A description of how the store differs from the settings, or None when it matches."""
        diffs = [
            f"{key} is {getattr(info, key)!r} in the store but {value!r} in the settings"
            for key, value in self.expected().items()
            if getattr(info, key) != value
        ]
        return "; ".join(diffs) or None

    def active(self):
        """The ready collection, checked against the settings."""
        try:
            info = self.info()
        except Exception as exc:
            raise StoreError(f"The store's registry is unreadable ({exc}). Run `tutor ingest --rebuild`.") from exc
        if info is None:
            raise StoreError("The store is empty. Run `tutor ingest` to build it.")
        problem = self.mismatch(info)
        if problem:
            raise StoreError(f"The store was built with other settings: {problem}. Run `tutor ingest --rebuild`.")
        try:
            return self.client.get_collection(info.collection, embedding_function=None)
        except Exception as exc:
            raise StoreError(f"The store's collection {info.collection} is missing or corrupt ({exc}). Run `tutor ingest --rebuild`.") from exc

    def new_collection(self, name: str):
        """An empty collection for an ingest in progress."""
        # A wide HNSW search makes the approximate search exact in practice for a corpus this size, so
        # results do not vary between processes.
        hnsw = {"space": "cosine", "ef_construction": 200, "ef_search": 200}
        return self.client.create_collection(name, embedding_function=None, configuration={"hnsw": hnsw})

    def publish(self, info: StoreInfo) -> None:
        """Make `info.collection` the active one (one upsert: the atomic switch) and drop the others."""
        self.registry.upsert(ids=[POINTER_ID], documents=[info.model_dump_json()], embeddings=[[0.0]])
        self.drop_stale(keep=info.collection)

    def drop_stale(self, keep: str | None) -> None:
        """Remove this prefix's collections other than the registry and `keep` (leftovers of killed ingests)."""
        for collection in self.client.list_collections():
            name = getattr(collection, "name", collection)
            if name.startswith(f"{self.prefix}_") and name not in (keep, f"{self.prefix}_registry"):
                self.client.delete_collection(name)

    def records(self, collection, where: dict | None = None, embeddings: bool = False) -> dict:
        """All records of a collection (optionally filtered), fetched in batches."""
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        out: dict[str, list] = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
        offset = 0
        while True:
            got = collection.get(where=where, include=include, limit=BATCH, offset=offset)
            if not got["ids"]:
                return out
            out["ids"] += got["ids"]
            out["documents"] += got["documents"]
            out["metadatas"] += got["metadatas"]
            if embeddings:
                out["embeddings"] += list(got["embeddings"])
            offset += len(got["ids"])

    def chunks(self) -> list[Chunk]:
        """Every chunk of the active collection."""
        got = self.records(self.active())
        return [chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]

