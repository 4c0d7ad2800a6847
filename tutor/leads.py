"""Whether a source sentence, read with the sentence before it, can lead the answer to a typed question.

A sentence that tells of the asked act may lean on the one before it for the
focus it leaves implicit ("Between five and seven million people died", after
the sentence naming the famine of 1932–33); such a lead brings that sentence
with it. Without the asked act only the sentence itself counts: "On 26 June, he
was arrested", after a sentence naming Beria, does not date Beria's execution.
(Measured and not kept: taking a date or figure from the sentence before one
that tells of the act; no item of either dev split changed, and the probe it was
meant for, the storming of the Winter Palace, has its date sentences apart.)
"""

from __future__ import annotations

from functools import lru_cache

from tutor.acts import act_stems, does_act
from tutor.answer_types import MIN_COVERAGE, about_focus, coverage, fits, names_people
from tutor.question import QuestionPart, parse
from tutor.text import years_in


def lead_fits(sentence: str, before: str, part: QuestionPart, dated: str = "") -> bool:
    """Whether the sentence has the asked type and names the focus (or, telling of the asked act, its predecessor
    does), and it or its predecessor names every person the question says took part; `dated` is the earlier
    sentence whose year a "that year" in it refers to."""
    if not names_people(f"{before} {sentence}", part):
        return False
    if fits(sentence, part, dated=dated):
        return True
    # The predecessor may name the focus for a sentence that tells of the asked act, or, when the question asks of no
    # act ("How many strokes did Lenin have?"), for one whose subject is a pronoun ("…he suffered his third stroke").
    leans = does_act(sentence, part) if act_stems(part) else _pronoun_subject(sentence)
    return leans and fits(sentence, part, before, dated)


@lru_cache(maxsize=20_000)
def _pronoun_subject(sentence: str) -> bool:
    """Whether the sentence's main verb has a personal pronoun for its subject."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("he", "she", "they") and t.head.dep_ == "ROOT" for t in parse(sentence))


def lead_answers(sentence: str, before: str, part: QuestionPart, dated: str = "") -> bool:
    """Whether the sentence fits as a lead, holds most of the question's words and is not dated to other years."""
    return lead_fits(sentence, before, part, dated) and coverage(sentence, part) >= MIN_COVERAGE and not dated_otherwise(sentence, part)


def dated_otherwise(sentence: str, part: QuestionPart) -> bool:
    """Whether the sentence gives years and none within a year of one the question asks about: "Which tsar was
    assassinated in 1881?" is not answered by the nobles who assassinated Rasputin in a sentence of 1917 (the
    margin keeps "the famine of 1932–33", read as 1932, for a question about 1933)."""
    asked, said = years_in(part.core), years_in(sentence)
    return bool(asked and said) and all(abs(a - s) > 1 for a in asked for s in said)


def leans_on_before(sentence: str, before: str, part: QuestionPart | None) -> bool:
    """Whether a lead needs the sentence before it to name the focus (that sentence is then quoted too)."""
    return part is not None and bool(before) and not about_focus(sentence, part) and about_focus(before, part)
