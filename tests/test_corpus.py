"""Cleaning, structure and the offset map, on the real corpus."""

from __future__ import annotations

import json
import random
import re
import unicodedata

import pytest

from tutor.corpus import Corpus, CorpusError, clean_line, read_joins
from tutor.text import fold, sentence_spans


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
            allowed = set(fold(re.sub(r"\[[^\]]*\]", "", original)).split()) | set(
                w.rstrip("0123456789*") for w in fold(original).split()
            )
            original_words = fold(original).split()
            for word in set(fold(body).split()) - allowed:
                # A word split off a glued one ("OctobristAlexander") is part of an original word.
                assert any(word in w for w in original_words), word


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


# --- Glued words, Old Style notes and other leftovers of the article's flattened layout ---

ARTICLE = "russian-revolution-and-stalin"
BOOK = "revolutionary-russia"


def _clean(line: str) -> str:
    return clean_line(line)[0]


@pytest.mark.parametrize(
    "line, cleaned",
    [
        ("a prominent\xa0OctobristAlexander Guchkov", "a prominent Octobrist Alexander Guchkov"),
        ("Felix DzerzhinskyGenrikh Yagoda, and", "Felix Dzerzhinsky Genrikh Yagoda, and"),
        ("guarded by\xa0TrotskySverdlovZinoviev\xa0and", "guarded by Trotsky Sverdlov Zinoviev and"),
        ("including in\xa0KomsomolOGPU, and", "including in Komsomol OGPU, and"),  # an acronym after the join
        ("cities of RussiaSt. Petersburg", "cities of Russia St. Petersburg"),
        ("внутренних делNarodnyy Komissariat", "внутренних дел Narodnyy Komissariat"),
        ("the text inOctober", "the text in October"),
        ("at the 13thParty Congress", "at the 13th Party Congress"),
        ("King LouisXIV of France", "King Louis XIV of France"),
        ("in the soviets.[citation needed]The Bolsheviks", "in the soviets. The Bolsheviks"),
        ("the demand.[337]Large debts", "the demand. Large debts"),
        ("for many years,[331]Bukharin expressed", "for many years, Bukharin expressed"),
        ("from the party,[415]with Stalin", "from the party, with Stalin"),
        ("From around 1929,as Trotsky", "From around 1929, as Trotsky"),
        ("the Party(SRP), agreed", "the Party (SRP), agreed"),
    ],
)
def test_glued_words_are_split(line, cleaned):
    assert _clean(line) == cleaned


@pytest.mark.parametrize(
    "line",
    [
        "McDonald and MacArthur met DeGaulle and FitzGerald.",  # name prefixes
        "an iPhone, an eBay sale, a PhD and mRNA",  # fewer than two lowercase letters before the capital
        "the Committee of Soviets (VTsIK)",  # an acronym with a lowercase letter inside
        "the GPU, then the OGPU, the NKVD and the GULag",
        "the XXVIth Congress of the CPSU and the SRs and NEPmen",
        "a YouTube video and JavaScript",  # _CAMEL_WORDS
        "groups (e.g. railway workers) in the U.S.S.R. and the U.S. embassy",
        "1,000 inhabitants at 4:30 p.m., then etc., or 7.3 per cent",
        "the member(s) of the soviet(s)",
        "the Petrograd Soviet [Council] of Workers' Deputies and [...] a success",
    ],
)
def test_legitimate_forms_are_kept(line):
    assert _clean(line) == line


def test_an_inserted_space_takes_the_offset_of_the_character_before_it():
    text, offsets = clean_line("OctobristAlexander Guchkov")
    assert text == "Octobrist Alexander Guchkov"
    assert offsets[:11] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9]
    # Either word alone quotes exactly; a quote across the join is the glued original.
    assert "OctobristAlexander Guchkov"[offsets[0] : offsets[8] + 1] == "Octobrist"
    assert "OctobristAlexander Guchkov"[offsets[10] : offsets[18] + 1] == "Alexander"


@pytest.mark.parametrize(
    "line, cleaned",
    [
        ("On 7 March [O.S.\xa022 February], workers", "On 7 March, workers"),
        ("stopped 14 March [O.S.\xa01 March],[16] by a group", "stopped 14 March, by a group"),
        ("(from 6 August [O.S.\xa024 July] 1917) and", "(from 6 August 1917) and"),
        ("established (20 December [O.S.\xa07 December] 1917) a secret", "established (20 December 1917) a secret"),
        ("on 7 November [N.S. 25 October].", "on 7 November."),
        ("on 25 October (O.S.) and (O.S. 25 October) 1917", "on 25 October (O.S.) and 1917"),
        ("on 7 November [Old Style: 25 October] 1917", "on 7 November 1917"),
    ],
)
def test_old_style_notes_are_dropped(line, cleaned):
    text, offsets = clean_line(line)
    assert text == cleaned
    for char, at in zip(text, offsets):
        assert char == " " or char in unicodedata.normalize("NFKC", line[at])


def test_footnotes_after_an_ellipsis_or_a_word_are_dropped():
    assert _clean("as Trotsky once put it10 – tended") == "as Trotsky once put it – tended"
    assert _clean("bringing them such misfortune …8") == "bringing them such misfortune ..."
    assert _clean("Regiment 181st and MI6 in 1917 flew a Tu144 and a MiG15") == "Regiment 181st and MI6 in 1917 flew a Tu144 and a MiG15"


def _sentences(doc):
    for para in doc.paragraphs:
        body = doc.text[para.clean_start : para.clean_end]
        for a, b in sentence_spans(body):
            yield para.clean_start + a, para.clean_start + b


def test_every_cleaned_character_comes_from_its_original_character(corpus):
    for doc in corpus.documents():
        for i, char in enumerate(doc.text):
            source = doc.original[doc.offsets[i]]
            if char == "\n":  # the blank line between paragraphs
                continue
            if char == " " and (source.isspace() or doc.offsets[i] == doc.offsets[i - 1]):
                continue  # folded whitespace, or a space inserted between glued words
            assert char in unicodedata.normalize("NFKC", source), (doc.source.id, i, doc.text[i - 30 : i + 30])


def test_sentence_quotes_are_original_slices_that_clean_back_to_the_sentence(corpus):
    rng = random.Random(11)
    for doc in corpus.documents():
        spans = list(_sentences(doc))
        inserted = [k for k in range(1, len(doc.text)) if doc.text[k] == " " and doc.offsets[k] == doc.offsets[k - 1]]
        # A sample, and every sentence with a space inserted between glued words.
        with_insertions = [(a, b) for a, b in spans if any(a < k < b for k in inserted)]
        assert bool(with_insertions) == (doc.source.id == ARTICLE)
        for start, end in rng.sample(spans, 300) + with_insertions:
            sentence = doc.text[start:end]
            o_start, o_end = doc.original_span(start, end)
            quote = doc.quote(start, end)
            assert quote == doc.original[o_start:o_end]
            assert clean_line(quote)[0] == sentence
            assert doc.clean_start_of(sentence, o_start) == start


def test_split_sentences_keep_their_own_start(corpus):
    doc = corpus.document(ARTICLE)
    at = doc.text.index("soviets. The Bolsheviks dissolved") + len("soviets. ")
    start, _ = doc.original_span(at, at + 3)
    assert doc.original[start : start + 3] == "The"
    assert doc.original[start - len("soviets.[citation needed]") : start] == "soviets.[citation needed]"
    assert doc.clean_start_of(doc.text[at : at + 40], start) == at


def _leftovers(doc) -> dict[str, list[str]]:
    """What the cleaning leaves of the flattened layout in a document's cleaned sentences."""
    text = doc.text
    glued = []
    for m in re.finditer(r"(?<=[^\W\d_])(?=[^\W\d_])", text):
        k = m.start()
        if text[k - 1].islower() and text[k].isupper():
            word = re.search(r"\w*$", text[:k]).group() + re.match(r"\w*", text[k:]).group()
            glued.append(word)
    unbalanced = []
    for start, end in _sentences(doc):
        sentence, depth = text[start:end], 0
        for char in sentence:
            depth += {"[": 1, "]": -1}.get(char, 0)
            if depth < 0:
                break
        if depth:
            unbalanced.append(sentence)
    found = {"glued": [w for w in glued if w not in KEPT_GLUED], "unbalanced brackets": unbalanced}
    for kind, pattern in LEFTOVER_PATTERNS.items():
        found[kind] = [text[max(0, m.start() - 20) : m.end() + 20] for m in re.finditer(pattern, text)]
    return found


LEFTOVER_PATTERNS = {
    "style notes": r"\b[ON]\.\s?S\.",
    "punctuation glued": r"[a-z]{2}[.!?][A-Z][a-z]|\w[,;][^\W\d_]|[^\W\d_]:[^\W\d_]|[^\W\d_]\([A-Z]",
    "space before punctuation": r"\s[,;:!?)\]]|\s\.(?!\.)",
    "empty brackets": r"\(\s*\)|\[\s*\]",
    "footnote digits": r"[a-z]\d{1,3}(?!\w)|\.\.\.\d",  # "put it10", "misfortune …8"
    "doubled punctuation": r"([,;:!?])\s*\1|(?<!\.)\.\s*,|,\s*\.(?!\.)",
}


# Lowercase-capital pairs that stay in the cleaned corpus on purpose: the article's acronym of
# the All-Russian Central Executive Committee of Soviets.
KEPT_GLUED = {"VTsIK"}
# Abbreviations followed by a comma, which is right: "nobles etc., regardless", "at 4 p.m., the".
KNOWN_DOUBLED = {ARTICLE: 1, BOOK: 2}


@pytest.mark.parametrize("source_id", [ARTICLE, BOOK])
def test_nothing_of_the_flattened_layout_is_left(corpus, source_id):
    doc = corpus.document(source_id)
    left = _leftovers(doc)
    doubled = left.pop("doubled punctuation")
    assert all(re.search(r"(etc|p\.m|a\.m)\.,", d) for d in doubled) and len(doubled) == KNOWN_DOUBLED[source_id]
    assert {kind: found for kind, found in left.items() if found} == {}
    if source_id == ARTICLE:
        assert "VTsIK" in doc.text and "[O.S." in doc.original and "OctobristAlexander" in doc.original


# Article words the book never uses that split into two words the book often uses, and are words as written.
REAL_JOINED_WORDS = {
    "battlefronts", "bodyguard", "businesspeople", "democratically", "elsewhere", "farmland", "firefighting",
    "highland", "homelands", "incomplete", "indirectly", "ineffective", "inhuman", "leadup", "notable", "ongoing",
    "overseeing", "overview", "predominated", "ranking", "rebuilt", "remembers", "reorganizing", "shortfall",
    "standpoint", "takeover", "thereof", "troublesome", "undertake", "undertook", "workday",
    "Allan", "Besides", "Formally", "Furthermore", "Notable",
}


def test_no_glued_word_without_an_inner_capital_is_left_in_the_article(corpus):
    book = corpus.document(BOOK).text.lower()
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]+", book):
        counts[word] = counts.get(word, 0) + 1
    common = {w for w, n in counts.items() if n >= 5}
    article = corpus.document(ARTICLE)
    # A capitalised first part may be a name the book lacks ("Kerenskygovernment"): any word of the article.
    either = common | set(re.findall(r"[a-z]+", article.text.lower()))
    suspects = {
        w
        for w in re.findall(r"(?<![^\W\d_])[A-Za-z][a-z]+(?![^\W\d_])", article.text)
        if w.lower() not in counts
        and any(w[:k].lower() in (either if w[0].isupper() else common) and w[k:] in common for k in range(2, len(w) - 1))
    }
    assert suspects == REAL_JOINED_WORDS
    at = article.text.index("socialist state following seven years")
    # The inserted space quotes as the glued original, as the capital rule's do.
    assert article.quote(at, at + len("socialist state following")) == "socialist statefollowing"


def test_a_malformed_table_of_glued_words_names_its_file(tmp_path):
    bad = tmp_path / "joins.json"
    bad.write_text('{"joins": {"statefollowing": "state folowing"}}', encoding="utf-8")
    with pytest.raises(CorpusError, match="joins.json"):
        read_joins(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CorpusError, match="joins.json"):
        read_joins(bad)


def test_the_table_of_glued_words_is_part_of_the_cleaning_key(monkeypatch):
    """Stores and the timeline key their contents by it: an edited table must rebuild them."""
    import tutor.corpus

    key = tutor.corpus.cleaning_key()
    monkeypatch.setattr(tutor.corpus, "_joins", lambda: {"statefollowing": 5})
    assert tutor.corpus.cleaning_key() != key
