"""Cleaning, structure and the offset map, on the real corpus."""

from __future__ import annotations

import json
import random
import re
import unicodedata

import pytest

from tutor.corpus import Corpus, CorpusError
from tutor.text import fold


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus()


def test_manifest_lists_both_sources_with_required_fields(corpus):
    ids = [s.id for s in corpus.sources]
    assert ids == ["revolutionary-russia", "russian-revolution-and-stalin"]
    for source in corpus.sources:
        assert source.title and source.author and source.kind and source.provenance
        assert (corpus.dir / source.file).is_file()


def test_corpus_copy_matches_the_shared_texts(corpus):
    shared = corpus.dir.parent.parent / "shared" / "corpus"
    if not shared.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    for source in corpus.sources:
        assert (corpus.dir / source.file).read_bytes() == (shared / source.file).read_bytes()


def test_book_has_introduction_eighteen_chapters_and_a_note(corpus):
    labels = [s.label for s in corpus.document("revolutionary-russia").sections]
    assert labels[0] == "Introduction"
    assert [label.split(":")[0] for label in labels[1:19]] == [f"Chapter {n}" for n in range(1, 19)]
    assert labels[19] == "Note on dates"
    assert labels[5] == "Chapter 5: The February Revolution, 1917"


def test_article_sections_come_from_the_short_heading_lines(corpus):
    labels = [s.label for s in corpus.document("russian-revolution-and-stalin").sections]
    assert "Russian Revolution › World War I" in labels
    assert "Joseph Stalin › The Great Terror" in labels
    assert "Joseph Stalin › Deportations" in labels  # '[edit]' removed from the heading
    assert not any("Main article" in label for label in labels)


def test_footnote_numbers_are_removed_but_numbers_kept(corpus):
    text = corpus.document("revolutionary-russia").text
    assert not re.search(r"[a-z][.!?]’\d{1,3}(\s|$)", text), "a footnote digit survived"
    assert "export.’" in text
    assert "7.3 in" in text  # a decimal is not a footnote
    assert "1,000 inhabitants" in text or "1,000 inha" in text


def test_article_marks_and_non_breaking_spaces_are_removed(corpus):
    doc = corpus.document("russian-revolution-and-stalin")
    assert "\xa0" in doc.original and "\xa0" not in doc.text
    for mark in ("[edit]", "[citation needed]", "[nb 1]", "[287]", "[a]"):
        assert mark not in doc.text
    assert "[edit]" in doc.original and "[citation needed]" in doc.original


def test_repeated_paragraphs_are_kept_once(corpus):
    doc = corpus.document("russian-revolution-and-stalin")
    lines = [line for line in doc.original.split("\n") if len(line) > 200]
    repeated = {line for line in lines if lines.count(line) > 1}
    assert repeated, "the article is known to repeat paragraphs"
    paragraphs = [doc.text[p.clean_start : p.clean_end] for p in doc.paragraphs]
    assert len(paragraphs) == len(set(paragraphs))


def test_every_clean_span_maps_back_to_original_text(corpus):
    rng = random.Random(7)
    for doc in corpus.documents():
        assert len(doc.offsets) == len(doc.text)
        assert doc.offsets == sorted(doc.offsets)
        for para in rng.sample(doc.paragraphs, 40):
            body = doc.text[para.clean_start : para.clean_end]
            original = doc.quote(para.clean_start, para.clean_end)
            # The original differs only by the removed marks and normalisation.
            assert unicodedata.normalize("NFKC", original[0]) == body[0]
            assert unicodedata.normalize("NFKC", original[-1]) == body[-1]
            assert set(fold(body).split()) <= set(fold(re.sub(r"\[[^\]]*\]", "", original)).split()) | set(
                w.rstrip("0123456789*") for w in fold(original).split()
            )


def test_quote_of_a_sentence_with_a_footnote_is_the_original(corpus):
    doc = corpus.document("revolutionary-russia")
    at = doc.text.index("export.’")
    start = doc.text.rfind(". ", 0, at) + 2
    quote = doc.quote(start, at + len("export.’"))
    assert quote.endswith("export.’")
    assert quote in doc.original


def test_missing_corpus_file_is_named(tmp_path):
    (tmp_path / "manifest.json").write_text(
        json.dumps({"sources": [{"id": "x", "title": "X", "author": "A", "kind": "book", "file": "gone.txt", "provenance": "p", "structure": "book"}]})
    )
    with pytest.raises(CorpusError, match="gone.txt"):
        Corpus(tmp_path).documents()


def test_missing_manifest_is_named(tmp_path):
    with pytest.raises(CorpusError, match="manifest.json"):
        Corpus(tmp_path)
