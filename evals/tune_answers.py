"""Tune the offline composer's answer length on the dev splits (how MAX_SENTENCES and the score share were chosen).

Usage: python evals/tune_answers.py [MAX:SHARE ...]   (default: a small grid)
Runs evals/suite/dev.jsonl and student-dev.jsonl through one engine per
setting, without the baseline, and prints key-fact recall, faithfulness, wrong
"missing" claims and CRAG for each. Only dev splits: the test splits stay held out.
"""

from __future__ import annotations

import sys

import tutor.compose as compose
from tutor.evaluation.dataset import EVALS_DIR, load_suite
from tutor.evaluation.runner import evaluate
from tutor.services import Services

GRID = ("4:0.75", "5:0.7", "5:0.65", "6:0.65", "6:0.6", "7:0.55", "8:0.5")
# Measured 2026-11-30 with TUTOR_RETRIEVAL__ANSWER_K=10 (key facts dev / student-dev): 4:0.75 at k=5 0.557 / 0.603;
# 6:0.6 0.608 / 0.724; 5:0.65 0.582 / 0.707. Longer answers keep gaining a little (8:0.5 at k=5: 0.633 / 0.707)
# but read as a page rather than an answer: 6 sentences at 0.6 was chosen.


def main(settings: list[str]) -> None:
    services = Services()
    suites = [load_suite(EVALS_DIR / "suite" / f"{split}.jsonl") for split in ("dev", "student-dev")]
    print(f"{'setting':<10} {'split':<12} {'key facts':>9} {'faithful':>9} {'missing?':>9} {'crag':>6}")
    for setting in settings:
        most, share = setting.split(":")
        compose.MAX_SENTENCES, compose.MIN_SENTENCE_SCORE_SHARE = int(most), float(share)
        run = evaluate(suites, services, baseline=False)
        for split, aggregate in run.metrics.splits.items():
            v = aggregate.values
            print(f"{setting:<10} {split:<12} {v.get('key_fact_recall', 0):>9.3f} {v.get('faithfulness', 0):>9.3f} {v.get('answerable.missing_claimed', 0):>9.3f} {v.get('crag', 0):>6.3f}")


if __name__ == "__main__":
    main(sys.argv[1:] or list(GRID))
