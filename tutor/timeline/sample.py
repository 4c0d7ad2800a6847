"""Precision and recall of the date extraction on the hand-checked sample (`evals/timeline_sample.json`).

`SAMPLE` is what the rules were settled on; `HELDOUT` was drawn and checked afterwards. Each sample item is a sentence of a source exactly as the original has it, with every date it
states (New Style ISO date, Old Style date or null, precision), checked by reading the sentence
and its paragraph. An extracted date counts as right only when all three fields match.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from tutor.timeline.events import TimelineEvent

SAMPLE = Path(__file__).resolve().parents[2] / "evals" / "timeline_sample.json"
# Drawn (another seed, none of SAMPLE's sentences) and checked after the rules were settled on SAMPLE,
# and measured once: no rule was changed after reading it.
HELDOUT = SAMPLE.with_name("timeline_heldout.json")


class ExpectedDate(BaseModel):
    """A date a sample sentence states."""

    date: str
    old_style: str | None = None
    precision: str


class SampleItem(BaseModel):
    """One hand-checked sentence."""

    id: str
    source: str
    sentence: str = Field(description="Exactly as in the original text.")
    expected: list[ExpectedDate]
    note: str = ""


class SampleScore(BaseModel):
    """Precision and recall over the sample, with the items that went wrong."""

    sentences: int
    expected: int
    extracted: int
    correct: int
    precision: float
    recall: float
    wrong: list[str] = Field(default_factory=list, description="Ids of items with a missed or a wrong date.")


def load_sample(path: Path = SAMPLE) -> list[SampleItem]:
    """The sample items."""
    return [SampleItem.model_validate(row) for row in json.loads(Path(path).read_text(encoding="utf-8"))]


def score_sample(items: list[SampleItem], events: list[TimelineEvent]) -> SampleScore:
    """Compare the timeline's dates of each sample sentence with the expected ones."""
    by_quote: dict[tuple[str, str], list[TimelineEvent]] = {}
    for e in events:
        by_quote.setdefault((e.source, e.quote), []).append(e)
    expected = extracted = correct = 0
    wrong = []
    for item in items:
        want = {(d.date, d.old_style, d.precision) for d in item.expected}
        got = {(e.date, e.old_style, e.precision) for e in by_quote.get((item.source, item.sentence), [])}
        expected += len(want)
        extracted += len(got)
        correct += len(want & got)
        if want != got:
            wrong.append(item.id)
    return SampleScore(
        sentences=len(items), expected=expected, extracted=extracted, correct=correct,
        precision=round(correct / extracted, 4) if extracted else 0.0, recall=round(correct / expected, 4) if expected else 0.0, wrong=wrong,
    )
