"""Measure retrieval quality for several chunk sizes and overlaps (how the defaults were chosen).

Usage: python evals/tune_chunking.py [SIZE:OVERLAP ...]
Builds a throwaway store per setting under a temporary folder and prints
hit@1, hit@5, MRR and recall@10 on tests/data/retrieval_questions.jsonl.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from tutor.retrieval_metrics import Evidence, first_hit_rank, recall
from tutor.services import Services
from tutor.settings import Settings

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "retrieval_questions.jsonl"


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    """The retrieval questions with parsed evidence."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in items:
        item["evidence"] = [Evidence(**e) for e in item["evidence"]]
    return items


def score(services: Services, questions: list[dict]) -> dict:
    """hit@1, hit@5, MRR and recall@10 of the retriever on the questions."""
    hits1 = hits5 = rr = rec = 0.0
    for q in questions:
        passages = services.retriever.search(q["question"], k=10)
        rank = first_hit_rank(services.corpus, passages, q["evidence"])
        hits1 += rank == 1
        hits5 += rank is not None and rank <= 5
        rr += 1 / rank if rank else 0
        rec += recall(services.corpus, passages, q["evidence"])
    n = len(questions)
    return {"hit@1": hits1 / n, "hit@5": hits5 / n, "mrr": rr / n, "recall@10": rec / n}


def main(argv: list[str]) -> None:
    grid = [tuple(map(int, a.split(":"))) for a in argv] or [(96, 0), (128, 0), (160, 0), (160, 32), (200, 0), (256, 0), (256, 64)]
    questions = load_questions()
    embeddings = None
    for size, overlap in grid:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp))
            settings.chunking.size, settings.chunking.overlap = size, overlap
            services = Services(settings)
            if embeddings is not None:
                services.embeddings = embeddings
            started = time.perf_counter()
            report = services.ensure_store(progress=False)
            built = time.perf_counter() - started
            embeddings = services.embeddings
            figures = score(services, questions)
            print(
                f"size={size:<4} overlap={overlap:<3} chunks={report.chunks:<5} ingest={built:5.1f}s  "
                + "  ".join(f"{k}={v:.3f}" for k, v in figures.items()),
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
