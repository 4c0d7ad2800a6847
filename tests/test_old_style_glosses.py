"""Answers quoting an Old Style day show the New Style day beside it, and the verifier accepts only correct glosses."""

import pytest

from tutor.corpus import Corpus, clean_line
from tutor.engine import Engine, new_session
from tutor.models import Citation
from tutor.plugins import PluginRegistry
from tutor.timeline.events import TimelineEvent, build_timeline
from tutor.timeline.styles import gloss, gloss_old_style, strip_style_glosses
from tutor.verify import verify

BOOK = "revolutionary-russia"
SENTENCE = "Few historical events have been more distorted by myth than those of 25 October 1917."


@pytest.fixture(scope="module")
def timeline():
    return build_timeline(Corpus())


def _citation(number: int, quote: str) -> Citation:
    original = Corpus().document(BOOK).original
    start = original.index(quote)
    return Citation(number=number, source=BOOK, title="t", location="l", chunk_id="c", quote=quote, start=start, end=start + len(quote))


def test_an_old_style_day_gets_its_new_style_day(timeline):
    answer = f"Intro.\n\n{SENTENCE} [1]"
    glossed = gloss_old_style(answer, [_citation(1, SENTENCE)], timeline)
    assert glossed == "Intro.\n\nFew historical events have been more distorted by myth than those of 25 October 1917 (7 November New Style). [1]"
    grounding, bad = verify(glossed.split("\n")[-1], {1: SENTENCE})
    assert not bad and all(g.supported for g in grounding if g.factual)


def test_new_style_dates_and_uncited_text_are_left_alone(timeline):
    article = "The Bolsheviks executed the tsar and his family on 16 July 1918."
    assert gloss_old_style(f"{article} [1]", [Citation(number=1, source="russian-revolution-and-stalin", title="t", location="l", chunk_id="c", quote=article, start=0, end=10**6)], timeline) == f"{article} [1]"
    assert gloss_old_style("25 October 1917 was a day.", [], timeline) == "25 October 1917 was a day."


def test_the_year_is_given_when_it_changes():
    event = TimelineEvent(date="1918-01-07", old_style="1917-12-25", precision="day", calendar="julian", text="", source=BOOK, start=0, end=1, quote="x", date_text="25 December 1917")
    assert gloss(event) == " (7 January 1918 New Style)"


def test_only_correct_glosses_are_set_aside_by_the_verifier():
    assert strip_style_glosses("on 25 October 1917 (7 November New Style) they") == "on 25 October 1917 they"
    assert strip_style_glosses("on 23 February (8 March New Style) they") == "on 23 February they"
    wrong = "Few historical events have been more distorted by myth than those of 25 October 1917 (9 November New Style). [1]"
    assert strip_style_glosses(wrong) == wrong
    grounding, _ = verify(wrong, {1: SENTENCE})
    assert not grounding[0].supported and "numbers not in the source" in grounding[0].problems[0]


@pytest.mark.slow
def test_explain_answers_show_both_styles(full):
    engine = Engine(full, PluginRegistry())
    result = engine.turn(new_session(), "What happened on 25 October 1917?")
    assert "25 October 1917 (7 November New Style)" in result.answer
    assert all(g.supported for g in result.grounding if g.factual)


@pytest.mark.slow
def test_llm_answers_show_both_styles_and_stream_what_is_saved(full):
    # A model that reliably writes an Old Style date cannot run here (SmolLM2's wording is not ours to
    # choose), so LangChain's own fake chat model plays the LLM; everything after it is the real pipeline.
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    from tutor.services import Services

    services = Services(full.settings.model_copy(update={"llm": full.settings.llm.model_copy(update={"backend": "openai"})}, deep=True))
    services.embeddings, services.retriever = full.embeddings, full.retriever
    engine = Engine(services, PluginRegistry())
    question = "Few historical events have been more distorted by myth than those of 25 October 1917"
    # The passages the explainer will show the model, numbered as it numbers them.
    passages = engine.tools.retrieve(question, k=services.settings.retrieval.answer_k)[: services.settings.retrieval.k]
    number = next(i for i, p in enumerate(passages, 1) if SENTENCE in p.text)
    engine.tools.__dict__["chat_model"] = GenericFakeChatModel(messages=iter([f"{SENTENCE} [{number}]"]))
    pieces = []
    result = engine.turn(new_session(), question, on_text=pieces.append, on_restart=pieces.clear)
    assert result.backend != "offline" and "25 October 1917 (7 November New Style)" in result.answer
    assert "".join(pieces) == result.answer
    # "… 1917. [1]": the marker after the full stop cites that sentence, not the passage's first one.
    assert result.citations[0].quote.startswith("Few historical events")


def test_a_day_range_is_left_as_the_source_writes_it(timeline):
    sentence = "Moving their troops south again by rail, the Germans then defeated the Russians in the Battle of the Masurian Lakes (9–14 September)"
    original = Corpus().document(BOOK).original
    quote = original[original.index(sentence): original.index(".", original.index(sentence)) + 1]
    answer = f"{quote} [1]"
    assert gloss_old_style(answer, [_citation(1, quote)], timeline) == answer


def test_the_old_style_day_the_article_gives_in_brackets_is_restored_beside_the_new_style_one(timeline):
    article = "russian-revolution-and-stalin"
    original = Corpus().document(article).original
    start = original.index("He did so on 15 March [O.S.")
    quote = original[start: original.index("Tsarevich.", start) + len("Tsarevich.")]
    cleaned = clean_line(quote)[0]  # as the answer quotes it: cleaning drops the bracketed note
    assert "[O.S." not in cleaned
    citation = Citation(number=1, source=article, title="t", location="l", chunk_id="c", quote=quote, start=start, end=start + len(quote))
    glossed = gloss_old_style(f"{cleaned} [1]", [citation], timeline)
    assert glossed.startswith("He did so on 15 March (2 March Old Style), on behalf of himself")
    grounding, bad = verify(glossed, {1: quote})
    assert not bad and all(g.supported for g in grounding if g.factual)


def test_only_a_correct_old_style_gloss_is_set_aside_by_the_verifier():
    assert strip_style_glosses("on 15 March (2 March Old Style), on behalf") == "on 15 March, on behalf"
    assert strip_style_glosses("established (20 December 1917 (7 December Old Style)) a") == "established (20 December 1917) a"
    for wrong in ("on 15 March (3 March Old Style), on behalf", "established (20 December 1917 (8 December Old Style)) a"):
        assert strip_style_glosses(wrong) == wrong  # a day out: in 1900-1918 the calendars are 13 days apart
