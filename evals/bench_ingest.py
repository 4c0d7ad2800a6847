"""Benchmark ingest and query speed against the embedding floor and a plain LangChain baseline.

Usage: python evals/bench_ingest.py [--json OUT]
Everything is measured in one run on the packaged corpus, in temporary data
folders (./data is never touched). The baseline is
RecursiveCharacterTextSplitter(1000, 200) over the raw texts into a
langchain_chroma.Chroma collection, embedding with the same model run as
sentence-transformers runs it (PyTorch), which is what a plain LangChain
pipeline gets. Ours runs the model as the settings say (ONNX Runtime by
default) and encodes the composer's sentence vectors with the int8 copy the
settings choose (`embedding.sentence_int8`), and its chunks in bfloat16 where the
settings and the CPU allow (`embedding.bf16`); the row "ours-pt" is our ingest,
sentence vectors included, with the baseline's fp32 PyTorch encoder, so the gain
from the pipeline and the gain from the runtime can be told apart.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from tune_chunking import load_questions

from tutor.chunking import chunk_document
from tutor.compose import OfflineComposer
from tutor.corpus import Corpus
from tutor.embeddings import make_embeddings, make_sentence_embeddings, uses_bf16
from tutor.ingest import ingest
from tutor.models import Passage
from tutor.retrieval_metrics import first_hit_rank
from tutor.retrieve import Retriever
from tutor.settings import Settings
from tutor.store import Store
from tutor.text import fold

EMBED_BATCH = 256  # texts per embed_documents call, as in tutor.ingest
WARMUP = 5


def timed(function, *args, **kwargs) -> tuple[float, object]:
    """Seconds a call takes, and its result."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def embedding_floor(embeddings, calls: list[list[str]]) -> float:
    """Seconds the model alone needs to embed the texts, one embed_documents call per list."""
    started = time.perf_counter()
    for texts in calls:
        embeddings.embed_documents(texts)
    return time.perf_counter() - started


def latencies(search, questions: list[dict]) -> tuple[float, float, list]:
    """Warm p50 and p95 (ms) of `search(question)` over the questions, and the results in question order."""
    for q in questions[:WARMUP]:
        search(q["question"])
    times, results = [], []
    for q in questions:
        started = time.perf_counter()
        results.append(search(q["question"]))
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return statistics.median(times), p95, results


def bench_ours(embeddings, corpus: Corpus, questions: list[dict], tmp: Path, sentences=None) -> dict:
    """Time our ingest from empty, the embedding floor of its chunks, a re-ingest, every sentence vector of the
    composer (encoded by `sentences`, the chunk encoder when None) and warm hybrid queries."""
    settings = Settings(data_dir=tmp)
    seconds, report = timed(ingest, settings, embeddings=embeddings)
    calls = []  # like tutor.ingest: per source, EMBED_BATCH texts per call
    for doc in corpus.documents():
        texts = [c.text for c in chunk_document(doc, settings.chunking.size, settings.chunking.overlap)]
        calls += [texts[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]
    floor = embedding_floor(embeddings, calls)
    reingest_s, again = timed(ingest, settings, embeddings=embeddings)
    assert not again.changed, "re-ingest of an unchanged corpus embedded something"
    retriever = Retriever(Store(settings), embeddings, settings)
    # The composer's sentence vectors are ours alone (the baseline has none): built lazily per turn, or all at
    # once by the web app's background warm-up. Timed here so the added index's cost is reported beside ingest.
    composer = OfflineComposer(corpus, embeddings, sentences)
    sentences_s, _ = timed(composer.warm, [Passage(**c.model_dump()) for c in retriever.chunks])
    p50, p95, results = latencies(lambda q: retriever.search(q, k=5), questions)
    hits = sum(first_hit_rank(corpus, passages, q["evidence"]) is not None for q, passages in zip(questions, results))
    return row(report.chunks, seconds, floor, p50, p95, hits / len(questions), reingest_s=reingest_s, sentences_s=sentences_s)


def bench_baseline(embeddings, corpus: Corpus, questions: list[dict], tmp: Path) -> dict:
    """Time the plain LangChain pipeline: split the raw texts, embed and add them to Chroma, then query."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    raw = {s.id: corpus.document(s.id).original for s in corpus.sources}
    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    docs = splitter.create_documents(list(raw.values()), metadatas=[{"source": sid} for sid in raw])
    store = Chroma(
        collection_name=f"baseline_{uuid.uuid4().hex[:8]}",
        embedding_function=embeddings,
        persist_directory=str(tmp / "chroma"),
        client_settings=ChromaSettings(anonymized_telemetry=False),
    )
    store.add_texts(
        [d.page_content for d in docs],
        metadatas=[{"source": d.metadata["source"], "start": d.metadata["start_index"]} for d in docs],
    )
    seconds = time.perf_counter() - started
    floor = embedding_floor(embeddings, [[d.page_content for d in docs]])  # Chroma.add_texts embeds in one call
    p50, p95, results = latencies(lambda q: store.similarity_search(q, k=5), questions)
    hits = sum(any(baseline_contains(d, e) for d in found for e in q["evidence"]) for q, found in zip(questions, results))
    return row(len(docs), seconds, floor, p50, p95, hits / len(questions))


def baseline_contains(doc, evidence) -> bool:
    """Whether a baseline passage holds the quote (same source, both in `fold` form)."""
    return doc.metadata["source"] == evidence.source and fold(evidence.quote) in fold(doc.page_content)


def row(
    chunks: int, ingest_s: float, floor_s: float, p50: float, p95: float, hit5: float, reingest_s: float | None = None, sentences_s: float = 0.0
) -> dict:
    """One table row of figures."""
    return {
        "chunks": chunks,
        "ingest_s": ingest_s,
        "sentences_s": sentences_s,
        "floor_s": floor_s,
        "ingest_over_floor": ingest_s / floor_s,
        "chunks_per_s": chunks / ingest_s,
        "reingest_s": reingest_s,
        "query_p50_ms": p50,
        "query_p95_ms": p95,
        "hit@5": hit5,
    }


def goals(ours: dict, baseline: dict) -> dict[str, bool]:
    """The targets, each met or not."""
    return {
        "ingest <= 1.3x embedding floor": ours["ingest_over_floor"] <= 1.3,
        "our ingest faster than the baseline's": ours["ingest_s"] < baseline["ingest_s"],
        "our ingest + sentence vectors faster than the baseline's ingest": ours["ingest_s"] + ours["sentences_s"] < baseline["ingest_s"],
        "re-ingest < 3 s": ours["reingest_s"] < 3,
        "query p95 < 50 ms": ours["query_p95_ms"] < 50,
        "our hit@5 > baseline hit@5": ours["hit@5"] > baseline["hit@5"],
    }


def print_table(rows: dict[str, dict], met: dict[str, bool]) -> None:
    """The figures as a fixed-width table, then one PASS/MISS line per goal."""
    header = f"{'':9}{'chunks':>7}{'ingest s':>10}{'sent. s':>9}{'floor s':>9}{'ing/floor':>10}{'chunks/s':>10}{'re-ingest s':>12}{'p50 ms':>8}{'p95 ms':>8}{'hit@5':>7}"
    print(header)
    for name, r in rows.items():
        reingest = f"{r['reingest_s']:.2f}" if r["reingest_s"] is not None else "-"
        print(
            f"{name:9}{r['chunks']:>7}{r['ingest_s']:>10.2f}{r['sentences_s']:>9.2f}{r['floor_s']:>9.2f}{r['ingest_over_floor']:>10.2f}"
            f"{r['chunks_per_s']:>10.1f}{reingest:>12}{r['query_p50_ms']:>8.1f}{r['query_p95_ms']:>8.1f}{r['hit@5']:>7.3f}"
        )
    print()
    for goal, ok in met.items():
        print(f"{'PASS' if ok else 'MISS'}  {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="OUT", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args()
    import chromadb  # noqa: F401  (imported before any clock starts, as the baseline's langchain_chroma is)
    settings = Settings().embedding
    embeddings = make_embeddings(settings)
    sentences = make_sentence_embeddings(settings, embeddings)
    plain = make_embeddings(settings.model_copy(update={"runtime": "torch", "bf16": "off"}))
    for model in (embeddings, sentences, plain):
        model.embed_query("warm up the model")  # model loading (and the ONNX export) stays out of every timing
    corpus, questions = Corpus(), load_questions()
    rows = {}
    runs = (
        ("ours", lambda *a: bench_ours(*a, sentences=sentences), embeddings),
        ("ours-pt", bench_ours, plain),
        ("baseline", bench_baseline, plain),
    )
    for name, run, model in runs:
        with tempfile.TemporaryDirectory() as folder:
            rows[name] = run(model, corpus, questions, Path(folder))
    met = goals(rows["ours"], rows["baseline"])
    print(f"ours encodes chunks in {'bfloat16 (PyTorch autocast)' if uses_bf16(settings) else settings.runtime + ' fp32'}")
    print_table(rows, met)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "goals": met, "questions": len(questions)}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
