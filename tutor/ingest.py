"""Ingest: corpus files → cleaned documents → chunks → embeddings → a new Chroma collection.

Idempotent: when every source file hashes as before and the settings match,
nothing is read from the model and the store is left alone. A changed file
gets new chunks; only chunks whose id (a hash of their text and span) is new
are embedded, the rest copy their vectors from the active collection.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tutor.chunking import chunk_document
from tutor.corpus import Corpus, cleaning_key
from tutor.embeddings import make_embeddings
from tutor.store import BATCH, Store, StoreError, StoreInfo, chunk_metadata


@dataclass
class IngestReport:
    """What an ingest did."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    collection: str = ""

    def summary(self) -> str:
        """One line for the terminal."""
        if not self.changed:
            return f"Store up to date ({self.chunks} chunks); nothing embedded. {self.seconds:.1f}s"
        return (
            f"Ingested {', '.join(self.changed)}: {self.chunks} chunks, {self.embedded} embedded, "
            f"{len(self.unchanged)} source(s) unchanged. {self.seconds:.1f}s"
        )


def fingerprint(path: Path) -> str:
    """Hash of a source file's bytes and of the cleaning rules (`cleaning_key`): a change to either rebuilds its chunks."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"cleaning {cleaning_key()}".encode())
    return digest.hexdigest()


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="chunk", desc="Embedding", disable=not enabled, leave=False)


def ingest(settings, rebuild: bool = False, progress: bool = False, embeddings=None) -> IngestReport:
    """Bring the store up to date with the corpus; `rebuild` starts from nothing."""
    started = time.perf_counter()
    corpus = Corpus(settings.corpus_dir)
    store = _open_for_ingest(settings, rebuild)
    report = IngestReport()
    info = None if rebuild else store.info()
    if info is not None and (problem := store.mismatch(info)):
        raise StoreError(f"The store was built with other settings: {problem}. Run `tutor ingest --rebuild`.")

    prints = {s.id: fingerprint(corpus.dir / s.file) for s in corpus.sources}
    if info is not None and info.fingerprints == prints:
        store.drop_stale(keep=info.collection)
        report.unchanged = list(prints)
        report.chunks = sum(info.counts.values())
        report.collection = info.collection
        report.seconds = time.perf_counter() - started
        return report

    old = store.active() if info is not None else None
    name = f"{settings.collection}_{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
    new = store.new_collection(name)
    counts: dict[str, int] = {}
    embedder = embeddings or make_embeddings(settings.embedding)
    for source in corpus.sources:
        if info is not None and info.fingerprints.get(source.id) == prints[source.id]:
            report.unchanged.append(source.id)
            counts[source.id] = _copy_source(store, old, new, source.id)
            continue
        report.changed.append(source.id)
        chunks = chunk_document(corpus.document(source.id), settings.chunking.size, settings.chunking.overlap)
        counts[source.id] = len(chunks)
        report.embedded += _add_chunks(store, old, new, chunks, embedder, progress)
    report.chunks = sum(counts.values())
    store.publish(
        StoreInfo(collection=name, fingerprints=prints, counts=counts, **store.expected())
    )
    report.collection = name
    report.seconds = time.perf_counter() - started
    return report


def _open_for_ingest(settings, rebuild: bool) -> Store:
    """The store to ingest into; a rebuild sets an unreadable local store aside (kept, renamed) and starts afresh."""
    try:
        return Store(settings)
    except StoreError:
        if not rebuild or settings.chroma_url:
            raise
    from chromadb.api.client import SharedSystemClient

    broken = settings.data_dir / "chroma"
    broken.rename(broken.with_name(f"chroma.broken-{time.strftime('%Y%m%d%H%M%S')}"))
    SharedSystemClient.clear_system_cache()  # chromadb caches clients by path; the old one points at the broken files
    return Store(settings)


def _copy_source(store: Store, old, new, source_id: str) -> int:
    """Copy an unchanged source's records, vectors included, from the old collection."""
    got = store.records(old, where={"source": source_id}, embeddings=True)
    for i in range(0, len(got["ids"]), BATCH):
        new.add(
            ids=got["ids"][i : i + BATCH],
            documents=got["documents"][i : i + BATCH],
            metadatas=got["metadatas"][i : i + BATCH],
            embeddings=got["embeddings"][i : i + BATCH],
        )
    return len(got["ids"])


def _add_chunks(store: Store, old, new, chunks, embedder, progress: bool) -> int:
    """Add a changed source's chunks, embedding only those the old collection lacks. Returns how many were embedded."""
    reused: dict[str, list[float]] = {}
    if old is not None and chunks:
        got = old.get(ids=[c.chunk_id for c in chunks], include=["embeddings"])
        reused = {i: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"])}
    # Batches of similar length waste less padding in the transformer.
    fresh = sorted((c for c in chunks if c.chunk_id not in reused), key=lambda c: len(c.text))
    vectors = dict(reused)
    with _progress(len(fresh), progress) as bar:
        for i in range(0, len(fresh), 256):
            batch = fresh[i : i + 256]
            for chunk, vector in zip(batch, embedder.embed_documents([c.text for c in batch])):
                vectors[chunk.chunk_id] = vector
            bar.update(len(batch))
    for i in range(0, len(chunks), BATCH):
        batch = chunks[i : i + BATCH]
        new.add(
            ids=[c.chunk_id for c in batch],
            documents=[c.text for c in batch],
            metadatas=[chunk_metadata(c) for c in batch],
            embeddings=[vectors[c.chunk_id] for c in batch],
        )
    return len(fresh)
