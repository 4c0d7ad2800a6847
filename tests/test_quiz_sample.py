"""The reviewed sample of 100 generated quiz items: regenerated exactly from the full store, every automatic check and review passing."""

from __future__ import annotations

from collections import Counter

import pytest

from tutor_plugins.quiz.evaluation import SAMPLE_SIZE, draw_sample, load_sample, problems
from tutor_plugins.quiz.items import Inventory, ItemKind

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def regenerated(full):
    return draw_sample(full, SAMPLE_SIZE)


def test_the_generator_makes_the_reviewed_items_again(regenerated):
    sample = load_sample()
    assert len(sample) == SAMPLE_SIZE
    assert [item.model_dump() for item in regenerated] == [line.item.model_dump() for line in sample]


def test_every_sample_item_was_reviewed_right_and_passes_the_checks(full):
    inventory = Inventory(full.corpus)
    sample = load_sample()
    for line in sample:
        assert line.review.note != "not reviewed", line.item.id
        assert line.review.key_right, line.item.id
        assert line.review.distractors_false is (True if line.item.distractors else None), line.item.id
        assert problems(line.item, inventory) == [], line.item.id
    kinds = Counter(line.item.kind for line in sample)
    assert set(kinds) == set(ItemKind)  # cloze, multiple choice and true/false are all reviewed
    assert len({(line.item.citation.source, line.item.citation.start) for line in sample}) == SAMPLE_SIZE  # one item per sentence
