"""Compare a run with a recorded one: which metrics moved and which items regressed or improved.

This answers the first question after a failed gate: what changed? Items are
matched by id; an item regresses when a score it passed before now fails
(see `junit.item_problems`), and improves the other way round.
"""

from __future__ import annotations

from pydantic import BaseModel

from tutor.evaluation.junit import item_problems
from tutor.evaluation.runner import EvalRun


class ItemChange(BaseModel):
    """One item whose failures changed between the runs."""

    id: str
    split: str
    question: str
    lost: list[str]  # metrics it passed before and fails now
    gained: list[str]  # metrics it failed before and passes now
    answer: str


class Comparison(BaseModel):
    """Metric deltas (split → metric → (old, new)) and the items that changed."""

    metrics: dict[str, dict[str, tuple[float | None, float | None]]]
    regressed: list[ItemChange]
    improved: list[ItemChange]
    only_old: list[str]
    only_new: list[str]


def _metric_names(problems: list[str]) -> set[str]:
    return {p.split(":")[0] for p in problems}


def compare(old: EvalRun, new: EvalRun) -> Comparison:
    """What moved between a recorded run and this one."""
    metrics = {}
    for split in sorted(set(old.metrics.splits) | set(new.metrics.splits)):
        before = old.metrics.splits[split].values if split in old.metrics.splits else {}
        after = new.metrics.splits[split].values if split in new.metrics.splits else {}
        metrics[split] = {name: (before.get(name), after.get(name)) for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)}
    previous = {r.id: r for r in old.items}
    regressed, improved = [], []
    for record in new.items:
        if record.id not in previous:
            continue
        was = _metric_names(item_problems(previous[record.id].scores))
        now = _metric_names(item_problems(record.scores))
        if was == now:
            continue
        change = ItemChange(id=record.id, split=record.split, question=record.item.question, lost=sorted(now - was), gained=sorted(was - now), answer=record.result.answer)
        (regressed if change.lost else improved).append(change)
    new_ids = {r.id for r in new.items}
    return Comparison(
        metrics=metrics,
        regressed=regressed,
        improved=improved,
        only_old=sorted(set(previous) - new_ids),
        only_new=sorted(new_ids - set(previous)),
    )


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def format_comparison(comparison: Comparison, answer_chars: int = 200) -> str:
    """A plain-text summary for the terminal or a CI log."""
    lines = ["Metrics that moved (old → new):"]
    for split, moved in comparison.metrics.items():
        for name, (before, after) in moved.items():
            lines.append(f"  {split:<14} {name:<36} {_fmt(before)} → {_fmt(after)}")
    if len(lines) == 1:
        lines.append("  none")
    lines.append(f"\nRegressed items ({len(comparison.regressed)}):")
    for change in comparison.regressed:
        answer = " ".join(change.answer.split())[:answer_chars]
        lines.append(f"  {change.id} [{change.split}] now fails {', '.join(change.lost)}\n    Q: {change.question}\n    A: {answer}")
    lines.append(f"\nImproved items ({len(comparison.improved)}): " + (", ".join(c.id for c in comparison.improved) or "none"))
    if comparison.only_old or comparison.only_new:
        lines.append(f"Items only in the old run: {len(comparison.only_old)}; only in the new run: {len(comparison.only_new)}")
    return "\n".join(lines)
