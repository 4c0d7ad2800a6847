"""What answers a place question: not the sources' setting (unless a country is asked for), not a calendar gloss."""

from __future__ import annotations

from tutor.answer_types import has_type
from tutor.question import analyse

PSKOV = "When the Tsar finally arrived at in Pskov, the Army Chief Nikolai Ruzsky, and the Duma deputees Guchkov suggested that he abdicate the throne."


def test_the_sources_setting_and_calendar_words_answer_no_where_question():
    where = analyse("Where was Nicholas II when he abdicated?")
    glossed = "Nicholas II abdicated in March (the Gregorian calendar; the Julian calendar was in use in Russia at the time)."
    assert not has_type(glossed, where)
    assert has_type(PSKOV, where)


def test_the_setting_answers_which_country_but_not_which_town():
    sentence = "Nicholas II agreed to leave Russia with his family in March 1917."
    assert not has_type(sentence, analyse("In which town did Nicholas II sign his abdication?"))
    assert has_type(sentence, analyse("Which country did Nicholas II hope to leave in 1917?"))
