"""Token-aware chunking on the real corpus."""

from __future__ import annotations

import pytest

from tutor.chunking import chunk_document, count_tokens
from tutor.corpus import Corpus
from tutor.text import fold, sentence_spans


@pytest.fixture(scope="module")
def doc():
    return Corpus().document("revolutionary-russia")


def test_offline_encoding_counts_tokens():
    assert count_tokens("The February Revolution of 1917") > 3


def test_chunks_fit_the_size_unless_one_sentence_is_longer(doc):
    for chunk in chunk_document(doc, 160, 0):
        tokens = count_tokens(chunk.text)
        assert tokens <= 160 or len(sentence_spans(chunk.text)) == 1


def test_chunks_end_at_sentence_ends_and_stay_in_one_section(doc):
    chunks = chunk_document(doc, 160, 0)
    sections = {p.section: doc.sections[p.section].label for p in doc.paragraphs}
    for chunk in chunks:
        assert chunk.text.rstrip()[-1] in ".!?’”\")…:;—-]" or chunk.text.rstrip()[-1].isalnum()
        assert chunk.location.startswith(sections[chunk.section])
    # A chunk never starts mid-sentence: it opens a paragraph or follows a sentence end.
    for chunk in chunks:
        at = doc.text.index(chunk.text)
        before = doc.text[:at].rstrip(" ")
        assert not before or before.endswith("\n") or before[-1] in ".!?’”\")…"


def test_chunk_spans_quote_the_original(doc):
    for chunk in chunk_document(doc, 160, 0)[::25]:
        original = doc.original[chunk.start : chunk.end]
        assert fold(chunk.text)[:30] == fold(original)[:30]


def test_overlap_repeats_trailing_sentences(doc):
    plain = chunk_document(doc, 160, 0)
    overlapped = chunk_document(doc, 160, 48)
    assert len(overlapped) > len(plain)
    repeats = sum(
        1 for a, b in zip(overlapped, overlapped[1:]) if a.section == b.section and b.start < a.end
    )
    assert repeats > len(overlapped) // 3


def test_chunk_ids_are_stable_and_unique(doc):
    first = [c.chunk_id for c in chunk_document(doc, 160, 0)]
    assert first == [c.chunk_id for c in chunk_document(doc, 160, 0)]
    assert len(first) == len(set(first))


def test_chunks_know_their_years(doc):
    chunks = chunk_document(doc, 160, 0)
    famine = next(c for c in chunks if "summer of 1891" in c.text)
    assert 1891 in famine.years
    assert famine.location.startswith("Chapter 1:")


def test_a_bracket_opening_on_a_figure_stays_with_the_sentence_before():
    text = "The soldiers were angry. The poem ‘Kill Him!’ (1942) by Konstantin Simonov was read to them. (See below.) It worked."
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == ["The soldiers were angry.", "The poem ‘Kill Him!’ (1942) by Konstantin Simonov was read to them.", "(See below.)", "It worked."]
