"""The verifier on its own: perturbed copies of true sentences must be flagged, clean paraphrases passed."""

from __future__ import annotations

import json
from pathlib import Path

from tutor.corpus import Corpus
from tutor.text import fold
from tutor.verify import check, verify

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "verifier_cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
PERTURBATIONS = ("swapped_date", "swapped_name", "negated", "invented")


def test_cases_quote_the_corpus_exactly():
    corpus = Corpus()
    assert len(CASES) >= 30
    for case in CASES:
        assert fold(case["quote"]) in corpus.document(case["source"]).folded_original, case["id"]


def test_perturbations_flagged_and_paraphrases_passed():
    flagged = sum(not check(case[kind], case["quote"])[0] for case in CASES for kind in PERTURBATIONS)
    passed = sum(check(case["paraphrase"], case["quote"])[0] for case in CASES)
    flag_rate = flagged / (len(CASES) * len(PERTURBATIONS))
    pass_rate = passed / len(CASES)
    print(f"\nverifier: flagged {flag_rate:.1%} of {len(CASES) * len(PERTURBATIONS)} perturbations, passed {pass_rate:.1%} of {len(CASES)} paraphrases")
    assert flag_rate >= 0.95
    assert pass_rate >= 0.90


def test_each_sentence_is_checked_against_the_passage_it_cites():
    supports = {1: "Stalin was appointed General Secretary in April 1922.", 2: "Lenin suffered a major stroke on 25 May 1922."}
    answer = "Stalin became General Secretary in April 1922. [1] Lenin suffered a major stroke on 25 May 1922 [1]. Trotsky was exiled. [7]"
    entries, bad = verify(answer, supports)
    assert [e.supported for e in entries] == [True, False, False]
    assert entries[1].citation == 1 and "numbers not in the source" in " ".join(entries[1].problems)
    assert bad == [7]


def test_per_cent_and_unicode_are_normalised():
    ok, _, _ = check("Some 78 % of viewers thought collectivisation justified.", "78 per cent of the viewers still believed that collectivization had been justified")
    assert ok


def test_questions_and_framing_make_no_claim():
    entries, _ = verify("Here is what the sources say.\n\nWhat do the sources say about Kronstadt?", {})
    assert all(not e.factual and e.supported for e in entries)


def test_uncited_factual_sentence_is_unsupported():
    entries, _ = verify("Stalin died in 1953.", {1: "Stalin died on 5 March 1953."})
    assert entries[0].factual and not entries[0].supported and entries[0].problems == ["no citation"]


def test_a_marker_after_an_ellipsis_cites_the_quotation_it_ends():
    # The splitter ends a sentence at "..." before a capital or a bracket, so a marker left after the
    # dots would be a sentence of its own and the quotation would count as uncited.
    quote = "We found ourselves on our feet, singing together the Internationale..."
    entries, bad = verify(f"{quote} [1] But there was no end to the war at all. [1]", {1: f"{quote} But there was no end to the war at all."})
    assert [e.supported for e in entries] == [True, True] and not bad
