"""Quiz evals: a reviewed sample of generated items regenerated and checked, and grading of answers in students' forms.

The sample (`evals/quiz/sample.jsonl`, 100 items) is drawn deterministically:
the store's chunks in the order of a stable hash of their ids, every item the
quiz plugin makes from them, one item per source sentence with the kinds in
turn (cloze, choice, true/false), until 100. Each line holds the item and a
human review (`review.key_right`, `review.distractors_false`, `review.note`),
made by reading the item against its cited sentence and the sources.

Metrics (reported by `tutor eval` as the `quiz-test` study-tool split and
gated like the held-out splits, as `quiz-test:<metric>`):
- `quiz.regenerated`: share of sample items the current code makes again identically.
- `quiz.keyed_right`: share whose review says the key is right and whose
  automatic checks pass (the key is the blanked span of the cited sentence,
  the quote is the original's text at the cited offsets).
- `quiz.distractors_false`: share of items with distractors whose review says
  none is also true and whose distractors pass the automatic checks (not in
  the sentence, not a form of the key, not stated by another corpus sentence).
- `quiz.grading_accuracy`: share of the answers in `evals/quiz/answers.jsonl`
  (other spellings, date forms and calendars, number words, wrong answers that
  look close) graded as their `correct` says.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, Field

from tutor.evaluation.dataset import EVALS_DIR
from tutor.models import Passage
from tutor.plugin_api import EvalCheck
from tutor.services import Services

from .grading import matches
from .items import AnswerType, Inventory, ItemFactory, ItemKind, QuizItem, same_thing, stable_hash

SAMPLE = EVALS_DIR / "quiz" / "sample.jsonl"
ANSWERS = EVALS_DIR / "quiz" / "answers.jsonl"
SAMPLE_SIZE = 100
SPLIT = "quiz-test"
METRICS = ("quiz.items", "quiz.regenerated", "quiz.keyed_right", "quiz.distractors_false", "quiz.grading_accuracy")


class Review(BaseModel):
    """A reviewer's verdict on one item, read against its sentence and the sources."""

    key_right: bool = Field(description="The keyed answer is what the sentence says and the only answer it allows.")
    distractors_false: bool | None = Field(description="No distractor (or changed value) is also true; None for items without any.")
    note: str = ""


class SampleLine(BaseModel):
    """A line of the reviewed sample."""

    item: QuizItem
    review: Review


class AnswerCase(BaseModel):
    """A student's answer to a key, and whether it should be graded right."""

    key: str
    answer_type: AnswerType
    answer: str
    correct: bool
    note: str = ""


def draw_sample(services: Services, size: int = SAMPLE_SIZE) -> list[QuizItem]:
    """The deterministic sample: chunks in stable-hash order, one item per sentence, kinds in turn."""
    factory = ItemFactory(services.corpus)
    chunks = sorted(services.retriever.chunks, key=lambda c: stable_hash(c.chunk_id))
    kinds = [ItemKind.CLOZE, ItemKind.CHOICE, ItemKind.TRUE_FALSE]
    out: list[QuizItem] = []
    seen: set[tuple[str, int]] = set()
    for chunk in chunks:
        for sentence_items in _by_sentence(factory.from_passages([Passage(**chunk.model_dump())])):
            wanted = kinds[len(out) % len(kinds)]
            pick = min(sentence_items, key=lambda i: (i.kind != wanted, stable_hash(i.id)))
            key = (pick.citation.source, pick.citation.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(pick)
            if len(out) == size:
                return out
    return out


def _by_sentence(items: list[QuizItem]) -> list[list[QuizItem]]:
    groups: dict[tuple[str, int], list[QuizItem]] = {}
    for item in items:
        groups.setdefault((item.citation.source, item.citation.start), []).append(item)
    return list(groups.values())


def problems(item: QuizItem, inventory: Inventory) -> list[str]:
    """What the automatic checks find wrong with an item (empty when none)."""
    found = []
    doc = inventory.corpus.document(item.citation.source)
    if doc.original[item.citation.start : item.citation.end] != item.citation.quote:
        found.append("the quote is not the original text at the cited offsets")
    whole_key = re.compile(rf"(?<!\w){re.escape(item.key)}(?!\w)")
    if len(whole_key.findall(item.sentence)) != 1:
        found.append("the key is not a span of the sentence exactly once")
    if item.kind in (ItemKind.CLOZE, ItemKind.CHOICE) and item.prompt != whole_key.sub("____", item.sentence, count=1):
        found.append("the prompt is not the sentence with the key blanked")
    if item.kind == ItemKind.CHOICE and (item.answer not in item.options or len(set(item.options)) != len(item.options)):
        found.append("the options do not hold the key once")
    if item.kind == ItemKind.TRUE_FALSE:
        changed = item.distractors[0] if item.distractors else ""
        expected = item.sentence if item.answer == "true" else whole_key.sub(lambda _: changed, item.sentence, count=1)
        if item.prompt != expected:
            found.append("the statement is not the sentence or the sentence with one value changed")
    for wrong in item.distractors:
        if wrong.lower() in item.sentence.lower() or same_thing(inventory.variants, wrong, item.key):
            found.append(f"distractor {wrong!r} is in the sentence or a form of the key")
        elif inventory.also_true(item.sentence, item.key, wrong):
            found.append(f"distractor {wrong!r} is stated by another sentence of the sources")
    return found


def load_sample(path: Path = SAMPLE) -> list[SampleLine]:
    """The reviewed sample."""
    return [SampleLine.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_answers(path: Path = ANSWERS) -> list[AnswerCase]:
    """The grading cases."""
    return [AnswerCase.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def quiz_metrics(services: Services, sample_path: Path = SAMPLE, answers_path: Path = ANSWERS) -> dict[str, float]:
    """The quiz metrics (see the module docstring)."""
    sample = load_sample(sample_path)
    regenerated = {item.id: item for item in draw_sample(services, len(sample))}
    inventory = Inventory(services.corpus)
    same = keyed = with_wrong = wrong_false = 0
    for line in sample:
        item = line.item
        same += regenerated.get(item.id) == item
        checks = problems(item, inventory)
        keyed += line.review.key_right and not any("distractor" not in p for p in checks)
        if item.distractors:
            with_wrong += 1
            wrong_false += bool(line.review.distractors_false) and not any("distractor" in p for p in checks)
    answers = load_answers(answers_path)
    graded = sum(matches(case.answer, case.key, case.answer_type) == case.correct for case in answers)
    return {
        "quiz.items": float(len(sample)),
        "quiz.regenerated": same / len(sample),
        "quiz.keyed_right": keyed / len(sample),
        "quiz.distractors_false": wrong_false / with_wrong if with_wrong else 1.0,
        "quiz.grading_accuracy": graded / len(answers) if answers else 0.0,
    }


def write_unreviewed(items: list[QuizItem], path: Path) -> None:
    """Write a sample for review: every verdict starts unset-as-false, so nothing passes until a person has read it."""
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            line = SampleLine(item=item, review=Review(key_right=False, distractors_false=False if item.distractors else None, note="not reviewed"))
            out.write(json.dumps(line.model_dump(mode="json"), ensure_ascii=False) + "\n")


class QuizCheck(EvalCheck):
    """The quiz metrics as the held-out `quiz-test` study-tool split (so the gate applies to them)."""

    name = "quiz"
    split = SPLIT

    def run(self, services: Services) -> dict[str, float]:
        services.ensure_store()
        return quiz_metrics(services)
