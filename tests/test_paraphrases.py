"""The paraphrase table (corpus/paraphrases.json): its source words are the texts' words, and students' words reach them."""

from __future__ import annotations

import json
import re

import pytest

from tutor.answer_types import coverage
from tutor.corpus import default_corpus_dir
from tutor.paraphrases import default_paraphrases_path, load_paraphrases
from tutor.question import analyse

TEXTS = ("revolutionary-russia-1891-1991.txt", "russian-revolution-and-stalin.txt")


def _occurs(phrase: str, text: str) -> bool:
    words = r"\s+".join(re.escape(w) for w in phrase.lower().split())
    return re.search(rf"(?<!\w){words}(?!\w)", text) is not None


@pytest.fixture(scope="module")
def corpus_text() -> str:
    return " ".join((default_corpus_dir() / name).read_text(encoding="utf-8") for name in TEXTS).replace("’", "'").lower()


def test_every_source_word_occurs_in_the_texts(corpus_text):
    for group in load_paraphrases().groups:
        for phrase in group.source:
            assert _occurs(phrase, corpus_text), f"{phrase!r} ({group.note[:40]}) is not a word of the texts"


def test_no_student_phrase_is_listed_twice():
    data = json.loads(default_paraphrases_path().read_text(encoding="utf-8"))
    phrases = [" ".join(p.lower().split()) for g in data["groups"] for p in g["student"]]
    assert len(phrases) == len(set(phrases))


@pytest.mark.parametrize(
    "question,source_word",
    [
        ("When did the tsar step down?", "abdicate"),
        ("why was trotsky kicked out of the party", "expelled"),
        ("When was Trotsky kicked out of the USSR?", "deported"),
        ("Who bumped off Rasputin?", "murdered"),
        ("When did the Bolsheviks take over the country?", "seized power"),
        ("Who was in charge of the Red Army in the Civil War?", "led"),
        ("When did Lenin pass away?", "died"),
        ("When was the NEP scrapped?", "abandoned"),
        ("How many seats did the Cadets win in the first Duma?", "Kadets"),
        ("When did the Soviet Union break up?", "collapse"),
        ("why did the bolshies win", "Bolsheviks"),
        ("when did the berlin wall come down", "collapse"),
        ("Who took over from Stalin?", "succeeded"),
        ("When did the Bolsheviks shut down the Constituent Assembly?", "dissolved"),
        ("When was the Cheka set up?", "established"),
        ("When did the USSR test its first atomic bomb?", "nuclear weapon"),
        ("What did the Kronstadt sailors want?", "demand"),
    ],
)
def test_a_student_worded_question_is_analysed_in_the_sources_words(question, source_word):
    assert _occurs(source_word, analyse(question).core.lower())


def test_a_phrase_with_context_words_applies_only_with_them():
    table = load_paraphrases()
    assert "abdicate" in table.reword("When did Nicholas II step down?")
    assert table.reword("When did Khrushchev step down?") == "When did Khrushchev step down?"  # ousted, not an abdication
    assert table.reword("When was the army scrapped?") == "When was the army scrapped?"
    assert table.reword("Who were the cadets defending the Winter Palace?") == "Who were the cadets defending the Winter Palace?"
    assert table.reword("Why did Lenin's health break up?") == "Why did Lenin's health break up?"
    assert table.reword("Why did Kerensky fall?") == "Why did Kerensky fall?"
    assert table.reword("What did Lenin want in 1917?") == "What did Lenin want in 1917?"  # his aims, not a crowd's demands


def test_the_sources_other_words_for_an_act_count_as_the_asked_one():
    # "Who bumped off Rasputin?" becomes "Who murdered Rasputin?"; the book says "assassinated".
    part = analyse("Who bumped off Rasputin?")
    assert coverage("In December, a small group of nobles assassinated Rasputin.", part) == 1.0
    assert coverage("Rasputin was a holy man.", part) < 1.0


def test_the_sources_own_words_for_one_act_are_joined_without_a_student_phrase():
    # "Who drafted the October Manifesto?": the book says "a Manifesto, drawn up by Count Witte".
    from tutor.acts import does_act

    part = analyse("Who drafted the October Manifesto of 1905?")
    assert does_act("Nicholas agreed to sign a Manifesto, drawn up by Count Witte, granting civil liberties.", part)
    assert does_act("Nicholas and his family were shot in the basement.", analyse("When was the Tsar's family killed?"))


def test_a_word_of_two_groups_counts_as_either_act_but_the_two_acts_stay_apart():
    from tutor.acts import does_act

    # "killed" is a murder and a death; dying is no murder.
    assert does_act("The general was killed in an attack on the town on 13 April.", analyse("How did the general die?"))
    assert does_act("The general was killed in an attack on the town on 13 April.", analyse("Who murdered the general?"))
    assert not does_act("The general died of typhus in the town.", analyse("Who murdered the general?"))


def test_founding_is_reworded_only_when_the_question_asks_when_or_who():
    from tutor.acts import does_act

    table = load_paraphrases()
    assert table.reword("Why did Stalin set up the Gulag?") == "Why did Stalin set up the Gulag?"
    part = analyse("When was the Cheka set up?")
    # The sentence that dates the founding tells of the asked act; the later reorganisation does not.
    assert does_act("The Council of People's Commissars established (20 December 1917) a secret political police, the Cheka.", part)
    assert not does_act("The Cheka was reorganized in 1922 as the State Political Directorate.", part)


def test_a_malformed_table_is_reported_with_its_file(tmp_path):
    bad = tmp_path / "paraphrases.json"
    bad.write_text('{"groups": [{"student": ["x"]}]}', encoding="utf-8")
    with pytest.raises(ValueError, match="paraphrases.json"):
        load_paraphrases(bad)
