"""Calibrate the abstention threshold (tutor.compose.IN_SCOPE_SCORE) on the eval dev split.

Prints the composer's best-sentence score for in-scope items (answerable,
multi_hop, false_premise) and out-of-scope items, and the share of each kind
that every candidate threshold would answer or abstain on.
Usage: python evals/calibrate_scope.py [SUITE.jsonl]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tutor.services import Services
from tutor.toolkit import Toolkit

DEV = Path(__file__).resolve().parent / "suite" / "dev.jsonl"


def best_scores(path: Path) -> tuple[list[float], list[float]]:
    """Best-sentence scores of in-scope and out-of-scope questions."""
    services = Services()
    services.ensure_store(progress=False)
    tools = Toolkit(services)
    inside, outside = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["kind"] not in ("answerable", "multi_hop", "false_premise", "out_of_scope"):
            continue
        passages = tools.retrieve(item["question"])
        best = tools.assess(item["question"], passages).best
        (outside if item["kind"] == "out_of_scope" else inside).append(best)
    return inside, outside


def main(argv: list[str]) -> None:
    inside, outside = best_scores(Path(argv[0]) if argv else DEV)
    print(f"in scope: n={len(inside)} min={min(inside):.3f}; out of scope: n={len(outside)} max={max(outside):.3f}")
    for threshold in [x / 100 for x in range(30, 61, 2)]:
        answered = sum(s >= threshold for s in inside) / len(inside)
        abstained = sum(s < threshold for s in outside) / len(outside)
        print(f"threshold {threshold:.2f}: answers {answered:.1%} of in-scope, abstains on {abstained:.1%} of out-of-scope")


if __name__ == "__main__":
    main(sys.argv[1:])
