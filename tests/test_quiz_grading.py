"""Quiz grading: names, dates and numbers in students' forms and spellings; letters for choices; true/false words."""

from __future__ import annotations

import pytest

from tutor_plugins.quiz.evaluation import load_answers
from tutor.models import Citation
from tutor_plugins.quiz.grading import grade, matches, parse_date, parse_number
from tutor_plugins.quiz.items import AnswerType, ItemKind, QuizItem

CITATION = Citation(number=1, source="s", title="T", location="Chapter 1", chunk_id="c", quote="q", start=0, end=1)


def _item(kind: ItemKind, answer: str, answer_type: AnswerType = AnswerType.PERSON, options: list[str] | None = None, key: str | None = None) -> QuizItem:
    return QuizItem(
        id="x", kind=kind, answer_type=answer_type, prompt="p", answer=answer, key=key or answer, options=options or [],
        distractors=[o for o in options or [] if o != answer], sentence="s", topic="Chapter 1", citation=CITATION,
    )


@pytest.mark.parametrize("case", load_answers(), ids=lambda c: f"{c.key}<-{c.answer}")
def test_answer_cases_are_graded_as_reviewed(case):
    assert matches(case.answer, case.key, case.answer_type) is case.correct, case.note


def test_dates_are_read_in_common_forms():
    assert parse_date("October 25th, 1917") == parse_date("25 Oct. 1917") == parse_date("1917-10-25")
    assert parse_date("the 1880s").decade == 1880
    assert parse_date("no date here") is None


def test_numbers_are_read_in_digits_and_words():
    assert parse_number("2,000,000") == parse_number("two million") == parse_number("2m") == 2_000_000
    assert parse_number("forty per cent") == 40
    assert parse_number("none") is None


def test_choice_takes_the_letter_or_the_option_but_not_a_distractor():
    item = _item(ItemKind.CHOICE, "Kerensky", options=["Lenin", "Kerensky", "Kornilov", "Lvov"])
    assert grade(item, "B").correct and grade(item, "b)").correct and grade(item, "kerenskii").correct
    assert not grade(item, "A").correct and not grade(item, "Kornilov").correct
    assert grade(item, "A").given == "Lenin"


def test_true_false_takes_common_words():
    item = _item(ItemKind.TRUE_FALSE, "false")
    assert grade(item, "False").correct and grade(item, "no, that's wrong").correct and grade(item, "F").correct
    assert not grade(item, "true").correct and not grade(item, "maybe").correct


def test_cloze_grading_never_raises_on_odd_input():
    item = _item(ItemKind.CLOZE, "25 October 1917", AnswerType.DATE)
    for reply in ["", "   ", "31/02/1917", "<b>1917</b>", "1917" * 500, "🙂"]:
        assert grade(item, reply).correct is False
