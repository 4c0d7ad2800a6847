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


def test_a_sentence_telling_of_the_act_answers_with_the_place_of_that_act():
    exiled = analyse("Which country was Trotsky exiled to?")
    assert not has_type("In August 1940, Trotsky was assassinated in Mexico, where he had lived in exile since 1937.", exiled)
    assert has_type("In 1929 Trotsky was exiled to Turkey.", exiled)
    # The small parser hangs the place on "called", under "assassinated": any verb of the act above it counts.
    shot = analyse("Where was Stolypin assassinated?")
    assert has_type("Stolypin was assassinated by a police informer called D. G. Bogrov in the Kiev Opera House.", shot)


def test_a_place_dated_by_the_act_is_not_where_it_happened():
    killed = analyse("Where were Nicholas II and his family killed?")
    reburied = ("The monarchist revival culminated in the reburial of Nicholas II and his family in the Peter and Paul "
                "Cathedral in St Petersburg on 17 July 1998, exactly eighty years after they were executed by the Bolsheviks.")
    assert not has_type(reburied, killed)
    assert has_type("Nicholas and his family were shot by a firing squad in the basement of a house in Ekaterinburg.", killed)


def test_where_an_idea_comes_from_asks_how_it_arose_and_where_a_person_comes_from_a_place():
    assert analyse("Where did the American policy of 'containment' come from?").answer_type == "cause"
    assert analyse("Where did Stalin come from?").answer_type == "place"
