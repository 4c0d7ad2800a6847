"""The demonym table (corpus/demonyms.json) names places the texts name, and a focus named by its people's word finds the place."""

from __future__ import annotations

import json
import re

from tutor.answer_types import about_focus, has_type, names_people, people
from tutor.corpus import default_corpus_dir
from tutor.demonyms import as_places, load_demonyms
from tutor.question import analyse

TEXTS = ("revolutionary-russia-1891-1991.txt", "russian-revolution-and-stalin.txt")


def _corpus() -> str:
    return "\n".join((default_corpus_dir() / name).read_text(encoding="utf-8") for name in TEXTS)


def _occurs(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def test_every_place_and_one_of_its_words_occur_in_the_texts_and_no_word_names_two_places():
    text = _corpus()
    places = json.loads((default_corpus_dir() / "demonyms.json").read_text(encoding="utf-8"))["places"]
    words = [word.lower() for group in places.values() for word in group]
    assert len(words) == len(set(words))
    for place, group in places.items():
        assert _occurs(place, text), place
        assert any(_occurs(word, text) for word in group), place
    # Russia's and the Soviet Union's adjectives are on nearly every page: they are left out on purpose.
    assert not {"russian", "russians", "soviet"} & set(load_demonyms())


def test_a_peoples_word_is_read_as_its_place():
    assert as_places({"polish", "muscovites", "riga"}) == {"poland", "moscow", "riga"}


def test_a_focus_named_by_its_peoples_word_is_about_a_sentence_naming_the_place():
    treaty = analyse("Which treaty ended the Soviet–Polish war?")
    assert about_focus("The Bolsheviks signed the Treaty of Riga with Poland in March 1921.", treaty)
    assert not about_focus("The Bolsheviks signed the Treaty of Brest-Litovsk with Germany in March 1918.", treaty)
    space = analyse("How much living space did the average Muscovite have in the 1930s?")
    moscow = "In Moscow the average person had just 5.5 square metres of living space in 1930."
    assert about_focus(moscow, space) and names_people(moscow, space)  # the parser takes "Muscovite" for a person


def test_a_peoples_word_is_no_person_who_could_answer_who():
    # The small model tags "Slovak" a person; no "who" question is answered by it.
    sentence = "Because of the treaty a large force of Czech and Slovak soldiers became stranded on Soviet soil."
    assert people(sentence) == ()
    assert not has_type(sentence, analyse("Who signed the treaty for the Soviet side?"))
