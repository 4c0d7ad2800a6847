"""Evals of the timeline and the compare mode, reported and gated by `tutor eval` beside the grounding metrics.

- Timeline: precision and recall of the extracted dates on the hand-checked samples
  (`evals/timeline_sample.json` and `evals/timeline_heldout.json` together, see
  `tutor.timeline.sample`), and on the held-out one alone (reported, not gated).
- Compare: the items of `evals/compare.json`, written from the texts, each asked in compare mode
  in a fresh session. "differ" items are known disagreements of the two sources: found when the
  answer flags the item's kind of difference and cites both quotes. "agree" items tell the same
  thing in both: a flag there is a false disagreement. "one_source" items are covered by one
  source only: the answer must say so of the other.

Metric names (gated in `evals/thresholds.json` under these names): `timeline:precision`,
`timeline:recall`, `compare:disagreements_found`, `compare:false_disagreements`,
`compare:one_source_said`, `compare:faithfulness`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from tutor.evaluation.dataset import EVALS_DIR
from tutor.models import TurnResult
from tutor.retrieval_metrics import Evidence
from tutor.services import Services
from tutor.text import fold
from tutor.timeline.events import load_timeline
from tutor.timeline.sample import HELDOUT, SAMPLE, SampleScore, load_sample, score_sample

COMPARE_SUITE = EVALS_DIR / "compare.json"
# How the compare mode's answer names each kind of difference (its answer format is the contract).
FLAGS = {"figures": "The figures differ", "dates": "The dates differ", "people": "They name different people"}
METRICS = ("timeline:precision", "timeline:recall", "timeline:heldout_precision", "timeline:heldout_recall", "compare:disagreements_found", "compare:false_disagreements", "compare:one_source_said", "compare:faithfulness")


class CompareItem(BaseModel):
    """A question for the compare mode and what its answer must do."""

    id: str
    question: str
    expect: Literal["differ", "agree", "one_source"]
    kind: Literal["figures", "dates", "people"] | None = None
    silent: str | None = Field(None, description="one_source: the source that does not cover it.")
    evidence: list[Evidence] = Field(default_factory=list, description="Exact quotes: for 'differ', one from each source.")
    note: str = ""


class CompareRecord(BaseModel):
    """One compare item's answer and verdict."""

    item: CompareItem
    result: TurnResult
    correct: bool


class TimelineCompareRun(BaseModel):
    """The measurements of a run: metrics, the timeline sample's score and every compare answer."""

    metrics: dict[str, float]
    timeline: SampleScore
    heldout: SampleScore | None = None
    compare: list[CompareRecord]


def load_compare_suite(path: Path = COMPARE_SUITE) -> list[CompareItem]:
    """The compare items."""
    return [CompareItem.model_validate(row) for row in json.loads(Path(path).read_text(encoding="utf-8"))]


def _cites(result: TurnResult, evidence: Evidence) -> bool:
    quote = fold(evidence.quote)
    return any(c.source == evidence.source and (quote in fold(c.quote) or fold(c.quote) in quote) for c in result.citations)


def judge(item: CompareItem, result: TurnResult, titles: dict[str, str]) -> bool:
    """Whether a compare answer does what the item asks for."""
    flagged = [kind for kind, words in FLAGS.items() if f"**Where they differ.** {words}" in result.answer]
    if item.expect == "differ":
        return item.kind in flagged and all(_cites(result, e) for e in item.evidence)
    if item.expect == "agree":
        return not flagged
    silent = [sid for sid, title in titles.items() if f"Only one source covers this: *{title}*" in result.answer]
    return silent == [item.silent]


def _metrics(sample: SampleScore, heldout: SampleScore, records: list[CompareRecord]) -> dict[str, float]:
    def share(expect: str) -> float | None:
        chosen = [r for r in records if r.item.expect == expect]
        return round(sum(r.correct for r in chosen) / len(chosen), 4) if chosen else None

    factual = [g for r in records for g in r.result.grounding if g.factual]
    values = {
        "timeline:precision": sample.precision,
        "timeline:recall": sample.recall,
        "timeline:heldout_precision": heldout.precision,
        "timeline:heldout_recall": heldout.recall,
        "compare:disagreements_found": share("differ"),
        "compare:false_disagreements": None if share("agree") is None else round(1 - share("agree"), 4),
        "compare:one_source_said": share("one_source"),
        "compare:faithfulness": round(sum(g.supported for g in factual) / len(factual), 4) if factual else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def _timeline_scores(services: Services) -> tuple[SampleScore, SampleScore]:
    """(both samples together, the held-out one alone)."""
    events = load_timeline(services.corpus, services.settings.data_dir)
    return score_sample(load_sample(SAMPLE) + load_sample(HELDOUT), events), score_sample(load_sample(HELDOUT), events)


def run_timeline_compare(services: Services, items: list[CompareItem] | None = None) -> TimelineCompareRun:
    """Score the timeline sample and ask every compare item in a fresh compare session."""
    from tutor.engine import Engine, new_session

    engine = Engine(services)
    titles = {s.id: s.title for s in services.corpus.sources}
    records = []
    for item in load_compare_suite() if items is None else items:
        result = engine.turn(new_session(mode="compare"), item.question)
        records.append(CompareRecord(item=item, result=result, correct=judge(item, result, titles)))
    sample, heldout = _timeline_scores(services)
    return TimelineCompareRun(metrics=_metrics(sample, heldout, records), timeline=sample, heldout=heldout, compare=records)


def rescore_timeline_compare(recorded: TimelineCompareRun, services: Services) -> TimelineCompareRun:
    """Judge recorded compare answers again and re-measure the timeline sample, without an engine."""
    titles = {s.id: s.title for s in services.corpus.sources}
    records = [r.model_copy(update={"correct": judge(r.item, r.result, titles)}) for r in recorded.compare]
    sample, heldout = _timeline_scores(services)
    return TimelineCompareRun(metrics=_metrics(sample, heldout, records), timeline=sample, heldout=heldout, compare=records)


def report_section(run: TimelineCompareRun) -> str:
    """The Markdown section of the eval report."""
    rows = "\n".join(f"| {name} | {run.metrics[name]:.3f} |" for name in METRICS if name in run.metrics)
    wrong = [f"`{r.item.id}`" for r in run.compare if not r.correct]
    return "\n\n".join(
        [
            "## Timeline and compare mode",
            f"Timeline: {run.timeline.correct} of {run.timeline.extracted} extracted dates right, {run.timeline.expected} expected, in {run.timeline.sentences} hand-checked sentences"
            + (f" (held out: {run.heldout.correct} of {run.heldout.extracted}, {run.heldout.expected} expected, {run.heldout.sentences} sentences)" if run.heldout else "")
            + f". Compare: {len(run.compare)} items.",
            "| metric | value |\n|---|---|\n" + rows,
            "Timeline sample items with a missed or wrong date: " + (", ".join(f"`{i}`" for i in run.timeline.wrong) or "none") + ".",
            "Compare items not correct: " + (", ".join(wrong) or "none") + ".",
        ]
    )
