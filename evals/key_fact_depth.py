"""Where the key facts an answer missed sit in the composer's ranking of candidate sentences.

Usage: python evals/key_fact_depth.py [SPLIT ...]   (default: dev student-dev)
For every answerable item whose offline answer lacks a key fact, each missing
keyword group is placed by the rank of the best-scored retrieved sentence that
holds it: within the answer's reach (the first MAX_SENTENCES, lost to the order
in which an answer is built), just below it (four more), deep, or in no
retrieved passage. A deep miss is one that no reordering of the top sentences
and no longer answer would reach: it needs a reader that sees the key sentence
answers the question although it shares few of its words. It measures and tunes
nothing, so it may be run on a test split to say why that split falls short;
what it shows there must not be tuned against.
"""

from __future__ import annotations

import sys
from collections import Counter

from tutor.compose import MAX_SENTENCES
from tutor.engine import Engine, new_session
from tutor.evaluation.dataset import EVALS_DIR, load_suite
from tutor.evaluation.metrics import has_all_groups, mentions
from tutor.services import Services

REACH = MAX_SENTENCES  # an answer quotes at most this many sentences
BANDS = (f"1-{REACH}", f"{REACH + 1}-{REACH + 4}", f"{REACH + 5}+", "not retrieved")


def band(rank: int | None) -> str:
    """The depth band of a 1-based rank (None: in no retrieved sentence)."""
    if rank is None:
        return BANDS[3]
    return BANDS[0] if rank <= REACH else BANDS[1] if rank <= REACH + 4 else BANDS[2]


def main(splits: list[str]) -> None:
    services = Services()
    services.ensure_store(progress=False)
    engine = Engine(services)
    print(f"{'split':<14} {'missed':>6} " + " ".join(f"{b:>13}" for b in BANDS))
    for split in splits:
        suite = load_suite(EVALS_DIR / "suite" / f"{split}.jsonl")
        depths: Counter[str] = Counter()
        missed = 0
        for item in suite.items:
            if item.kind not in ("answerable", "multi_hop") or not item.answer_keywords:
                continue
            result = engine.turn(new_session(), item.question)
            if result.abstained or has_all_groups(result.answer, item.answer_keywords):
                continue
            missed += 1
            ranked = engine.tools.assess(item.question, result.passages).candidates
            for group in item.answer_keywords:
                if any(mentions(result.answer, k) for k in group):
                    continue
                rank = next((i for i, c in enumerate(ranked, 1) if any(mentions(c.text, k) for k in group)), None)
                depths[band(rank)] += 1
        print(f"{split:<14} {missed:>6} " + " ".join(f"{depths[b]:>13}" for b in BANDS))


if __name__ == "__main__":
    main(sys.argv[1:] or ["dev", "student-dev"])
