"""Where the sources gloss a term, and definition questions led by that gloss."""

from __future__ import annotations

import re

import pytest

from tutor.engine import Engine, new_session
from tutor.glossary import gloss_strength, glossing, introduces, introduction_strength, term_forms, treats
from tutor.models import Chunk


@pytest.mark.parametrize(
    ("sentence", "term", "strength"),
    [
        ("Profits went to affluent peasants known as 'kulaks' and to traders.", "the kulaks", 2),
        ("It was the time when glasnost or ‘openness’ became the watchword.", "glasnost", 2),
        ("Cominform (the Communist Information Bureau) was founded in 1947.", "Cominform", 2),
        ("They replaced it with a general Food Levy (prodrazverstka) on all foodstuffs.", "prodrazverstka", 1),
        ("The word ‘Gulag’ is an acronym for the Main Administration of Camps.", "the Gulag", 2),
        ("Socialist Realism meant the truthful representation of reality.", "Socialist Realism", 2),
        ("The so-called \"Green Army\" fought both sides.", "the Green Army", 2),
        ("Gorbachev launched his perestroika programme, describing it as a radical restructuring.", "perestroika", 2),
        ("All parties had to sign the ‘21 Conditions’, which meant breaking with the socialists.", "the 21 Conditions", 2),
        ("Strikes followed the massacres of ‘Bloody Sunday’, as the events of 9 January became known.", "Bloody Sunday", 2),
        ("The October Revolution, as it was called in Moscow, began in Petrograd.", "the October Revolution", 2),
        ("They blamed the ‘kulaks’ – the phantom class of rich peasants – for hiding grain.", "the kulaks", 2),
        ("Pay was capped by the ‘Party Maximum’ – a cap on salaries for members.", "the Party Maximum", 2),
        # A sentence opening "T was a…" may define T or only judge it, and "(T)" may only label an example: they count, but less.
        ("The Red Terror is a weapon used against a class.", "the Red Terror", 1),
        ("Nicholas put forth the October Manifesto, which established an elected parliament.", "the October Manifesto", 1),
        # Mentions, consequences and dates are no glosses.
        ("The Red Terror gave rise to protests.", "the Red Terror", 0),
        ("The October Manifesto, Witte thought, would split the opposition.", "the October Manifesto", 0),
        ("Their purpose was the election of a Constituent Assembly, which alone could resolve it.", "the Constituent Assembly", 0),
        ("Perestroika failed, which meant the end of the Party.", "perestroika", 0),  # a consequence, after a verb
        ("By relaxing censorship, glasnost meant that the Party lost its grip.", "glasnost", 0),
        ("The Cheka (1917) was set up in Petrograd.", "the Cheka", 0),
        ("Fifty years of collectivization (twice as long as in China) had destroyed any hope.", "collectivisation", 0),
        ("Bloody Sunday, as we have seen, was not the first blow.", "Bloody Sunday", 0),  # "as" but no naming verb
        ("In 1929 the kulaks were deported.", "the kulaks", 0),
        ("Power passed to the Soviet – a threat the Bolsheviks would invoke.", "the Soviet", 0),  # the dash describes the clause
        # A capitalised term is a name: the common word is not it.
        ("Stalin issued an emergency decree (approved two days later).", "the Decree on Peace", 0),
        ("Stalin issued an emergency decree (approved two days later).", "the Decree", 0),
    ],
)
def test_a_gloss_is_told_by_the_way_texts_define_a_word(sentence, term, strength):
    assert gloss_strength(sentence, term) == strength


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Moscow reinforced its grip on Eastern Europe by issuing the Brezhnev Doctrine, outlined in a speech in 1968.", True),
        ("The Brezhnev Doctrine gave Moscow the right to intervene.", True),
        ("It also involved the renunciation of the Brezhnev Doctrine.", False),  # mentioned inside another noun's phrase
        ("Brezhnev gave a name to this idea, the absurd doctrine that socialism had been built.", False),  # not the whole term
    ],
)
def test_a_definition_lead_treats_the_term_rather_than_mentioning_it(sentence, expected):
    assert treats(sentence, "the Brezhnev Doctrine") is expected


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        ("Then Alexander Kerensky, a young and popular lawyer, agreed to join the government.", "Kerensky", True),
        ("In November he was replaced by his deputy, Lavrenty Beria, who announced a review.", "Beria", True),
        ("Growth was pushed through by Count Witte, the Minister of Finance from 1892.", "Witte", True),
        ("In fact, Yezhov was Stalin’s loyal executioner.", "Ezhov", True),  # in another spelling
        # The title someone was appointed to says who they were.
        ("Meanwhile, the Tsar appointed Petr Stolypin as Prime Minister, a man of resolute measures.", "Stolypin", True),
        ("In April 1922 Stalin was appointed General Secretary of the Party.", "Stalin", True),
        ("Trotsky appointed Tukhachevsky in the spring.", "Tukhachevsky", False),
        # A mention, a list of names and a misparse without the comma are no introductions.
        ("Back in Moscow, Beria was blamed for the uprising by Khrushchev.", "Beria", False),
        ("Stalin, Kamenev and Zinoviev formed a triumvirate.", "Kamenev", False),
        ("This preoccupation with rival leftists concerned Bukharin, who saw fascism as the greater threat.", "Bukharin", False),
    ],
)
def test_a_person_is_introduced_by_an_apposition_a_title_or_after_was(sentence, name, expected):
    assert introduces(sentence, name) is expected


@pytest.mark.parametrize(
    ("sentence", "name", "strength"),
    [
        # A role right before the name introduces as plainly as one after a comma…
        ("The Bolshevik leader Lenin returned to Petrograd in April.", "Lenin", 2),
        ("Her ambitions were encouraged by her ‘holy friend’ Rasputin, who used her as a mouthpiece.", "Rasputin", 2),
        ("Growth was pushed through by Count Witte, the Minister of Finance from 1892.", "Witte", 2),
        # …while "was" may give a verdict rather than a role.
        ("In the eyes of one historian, Rasputin was a \"fatal disease\" to the Tsarist regime.", "Rasputin", 1),
        ("This preoccupation with rival leftists concerned Bukharin, who saw fascism as the greater threat.", "Bukharin", 0),
    ],
)
def test_a_role_beside_the_name_introduces_more_plainly_than_one_after_was(sentence, name, strength):
    assert introduction_strength(sentence, name) == strength


def test_a_term_is_matched_in_its_spellings_but_not_by_its_aliases():
    forms = term_forms("the Ezhovshchina")
    assert "Yezhovshchina" in forms and "Great Terror" not in forms  # an alias names the thing, it does not gloss the word
    assert gloss_strength("The arrests were known as the Yezhovshchina (‘the rule of Yezhov’).", "the Ezhovshchina") == 2
    assert gloss_strength("A period known as the Great Terror began.", "the Ezhovshchina") == 0
    assert "Communist Information Bureau" in term_forms("Cominform")  # an abbreviation's full name is the same word


def test_a_common_noun_is_matched_in_either_number():
    # "What was a kulak?" is glossed by "affluent peasants known as 'kulaks'".
    sentence = "These Communists distrusted affluent peasants known as 'kulaks' and the Nepmen."
    assert gloss_strength(sentence, "a kulak") == gloss_strength(sentence, "the kulaks") == 2
    assert "soviet" in term_forms("soviets") and "Chekas" not in term_forms("the Cheka")  # a name keeps its number
    assert term_forms("the class") == ("class",)  # "-ss" is no plural


def test_glossing_chunks_are_found_in_corpus_order_up_to_the_limit():
    def chunk(n: int, text: str) -> Chunk:
        return Chunk(chunk_id=str(n), source="s", title="t", section=0, location="l", paragraph=1, text=text, start=0, end=len(text))

    chunks = [
        chunk(0, "The kulaks were deported in 1930."),
        chunk(1, "Profits went to affluent peasants known as 'kulaks'. Others lost."),
        chunk(2, "The richest, called kulaks, were hated."),
        chunk(3, "Villagers called the kulaks ‘bloodsuckers’."),
    ]
    assert [c.chunk_id for c in glossing(chunks, "the kulaks")] == ["1", "2"]
    assert glossing(chunks, "the Okhrana") == []


@pytest.fixture(scope="module")
def engine(full):
    return Engine(full)


def test_a_definition_question_leads_with_the_sources_gloss_wherever_it_ranks(engine):
    # The gloss is a clause in a passage on other things; neither retriever ranks it high for the bare word.
    result = engine.turn(new_session(), "What was glasnost?")
    assert "‘openness’" in result.citations[0].quote
    result = engine.turn(new_session(), "what were the kulaks?")
    # Either source's gloss; the book's ("the ‘kulaks’ – the phantom class…") needs no sentence before it, as the
    # article's ("These Communists had concerns about… peasants known as 'kulaks'") does.
    assert gloss_strength(result.citations[0].quote, "the kulaks") == 2


def test_each_of_two_defined_terms_gets_its_own_lead(engine):
    from tutor.question import analyse, asked_parts

    parts = asked_parts(analyse("What were glasnost and the Cheka?"))
    assert [p.focus for p in parts] == ["glasnost", "the Cheka"]
    result = engine.turn(new_session(), "What were glasnost and the Cheka?")
    assert "openness" in result.answer and "Cheka" in result.answer


def test_a_gloss_opening_it_was_not_until_leads_alone(engine):
    # "It was not until 1987 that…" is a cleft, not a pronoun leaning on the sentence before (on the 'quickening').
    result = engine.turn(new_session(), "What was perestroika?")
    assert "restructuring" in result.citations[0].quote


def test_who_was_leads_with_the_sentence_that_says_who_he_was(engine):
    # The best-scoring mention of Beria is his being blamed for the uprising; the sources say who he was elsewhere.
    result = engine.turn(new_session(), "Who was Beria?")
    lead = re.sub(r"\[\d+\]", "", result.citations[0].quote).replace("\xa0", " ")  # the article's note marks, as cleaned
    assert introduces(lead, "Beria")
