"""Compare mode: figures, dates and names compared between the sources, the plugin found like any other, and its evals."""

import argparse

import pytest

from tutor.corpus import Corpus
from tutor.engine import Engine, new_session
from tutor.evaluation.cli import add_parser
from tutor.evaluation.runner import EvalRun, summarise
from tutor.evaluation.timeline_compare import CompareItem, CompareRecord, TimelineCompareRun, judge, load_compare_suite, rescore_timeline_compare, run_timeline_compare
from tutor.models import Citation, TurnResult
from tutor.plugins import PluginRegistry
from tutor.text import fold
from tutor.timeline.events import TimelineEvent
from tutor_plugins.compare import topic_of
from tutor_plugins.compare.differences import about_the_same, compare_sentences, quantities


def test_quantities_are_figures_not_years_or_days():
    assert [q.value for q in quantities("anything up to 8.5 million people died in 1932–3")] == [8_500_000]
    assert [q.value for q in quantities("Between five and seven million people died")] == [5_000_000, 7_000_000]
    assert [q.value for q in quantities("(681,692 people) were executed on 16 June")] == [681_692]
    assert quantities("three of his six sons died in 1933") == []


def _day(date: str, old: str | None = None, calendar: str = "gregorian") -> TimelineEvent:
    return TimelineEvent(date=date, old_style=old, precision="day", calendar=calendar, text="", source="s", start=0, end=1, quote="x", date_text="")


def test_differences_in_figures_dates_and_people():
    book, article = "up to 8.5 million people died of starvation", "between five and seven million people died"
    assert about_the_same(book, article, "the famine of 1932")
    figures = compare_sentences(book, article, [], [], set(), set())
    assert [d.kind for d in figures.differences] == ["figures"] and figures.differences[0].first == ["8.5 million"]
    same = compare_sentences("1.5 million arrested", "some 1.5 million were arrested", [], [], set(), set())
    assert not same.differences and same.shared == ["1.5 million"]
    # Old Style 16 June is 29 June New Style: it differs from 18 June, and the answer gives both styles.
    dates = compare_sentences("a", "b", [_day("1917-06-29", "1917-06-16", "julian")], [_day("1917-06-18", "1917-06-05")], set(), set())
    assert dates.differences[0].kind == "dates" and dates.differences[0].first == ["16 June 1917 Old Style (29 June 1917 New Style)"]
    # The book's "25 October" (Old Style) and the article's "7 November" are the same day.
    october = compare_sentences("a", "b", [_day("1917-11-07", "1917-10-25", "julian")], [_day("1917-11-07", "1917-10-25")], set(), set())
    assert not october.differences
    people = compare_sentences("a", "b", [], [], {"Lenin"}, {"Trotsky"})
    assert people.differences[0].kind == "people"


def test_comparison_words_are_not_the_topic():
    assert topic_of("How do the sources differ on the famine of 1932–33?") == "the famine of 1932–33?"
    assert topic_of("compare the sources on Yeltsin") == "Yeltsin"
    assert topic_of("Who led the Cheka?") == "Who led the Cheka?"


def test_compare_is_found_through_its_entry_point():
    registry = PluginRegistry()
    assert "compare" in registry.modes and registry.modes["compare"].title == "Compare"


def test_compare_suite_quotes_are_in_the_sources():
    corpus = Corpus()
    items = load_compare_suite()
    assert sum(i.expect == "differ" for i in items) >= 5 and {i.expect for i in items} == {"differ", "agree", "one_source"}
    for item in items:
        assert item.evidence, item.id
        for evidence in item.evidence:
            assert fold(evidence.quote) in corpus.document(evidence.source).folded_original, (item.id, evidence.quote)
        if item.expect == "differ":
            assert {e.source for e in item.evidence} == {s.id for s in corpus.sources}, item.id


def test_judge():
    item = CompareItem(id="x", question="q", expect="differ", kind="figures", evidence=[{"source": "a", "quote": "8.5 million"}, {"source": "b", "quote": "seven million"}])
    cites = [Citation(number=1, source="a", title="A", location="", chunk_id="c", quote="up to 8.5 million died", start=0, end=1), Citation(number=2, source="b", title="B", location="", chunk_id="d", quote="five and seven million", start=0, end=1)]
    flagged = TurnResult(answer="**Where they differ.** The figures differ: …", mode="compare", backend="offline", citations=cites)
    assert judge(item, flagged, {"a": "A", "b": "B"})
    assert not judge(item.model_copy(update={"kind": "dates"}), flagged, {"a": "A", "b": "B"})
    assert not judge(item.model_copy(update={"expect": "agree"}), flagged, {"a": "A", "b": "B"})
    silent = TurnResult(answer="Only one source covers this: *B* does not.", mode="compare", backend="offline")
    assert judge(CompareItem(id="y", question="q", expect="one_source", silent="b"), silent, {"a": "A", "b": "B"})


@pytest.mark.slow
def test_a_known_disagreement_side_by_side(full):
    engine = Engine(full, PluginRegistry())
    result = engine.turn(new_session(mode="compare"), "How do the sources differ on the famine of 1932–33?")
    assert result.mode == "compare" and not result.abstained
    assert {c.source for c in result.citations} == {s.id for s in full.corpus.sources}
    assert "**Where they differ.** The figures differ" in result.answer
    assert all(g.supported for g in result.grounding if g.factual), [g for g in result.grounding if not g.supported]
    for c in result.citations:
        assert full.corpus.document(c.source).original[c.start : c.end] == c.quote


@pytest.mark.slow
def test_compare_eval_finds_the_known_disagreements_and_rescoring_agrees(full):
    run = run_timeline_compare(full)
    assert run.metrics["compare:disagreements_found"] >= 0.8
    assert run.metrics["compare:false_disagreements"] == 0.0
    assert run.metrics["timeline:precision"] >= 0.95 and run.metrics["timeline:recall"] >= 0.9
    again = rescore_timeline_compare(TimelineCompareRun.model_validate_json(run.model_dump_json()), full)
    assert again.metrics == run.metrics


def test_eval_gates_and_reports_the_timeline_and_compare_metrics(tmp_path, capsys):
    item = CompareItem(id="cmp-x", question="q", expect="agree")
    flagged = TurnResult(answer="**Where they differ.** The dates differ: …", mode="compare", backend="offline")
    recorded = EvalRun(metrics=summarise([]), items=[], timeline_compare=TimelineCompareRun(metrics={}, timeline={"sentences": 0, "expected": 0, "extracted": 0, "correct": 0, "precision": 0, "recall": 0}, compare=[CompareRecord(item=item, result=flagged, correct=True)]))
    path = tmp_path / "run.json"
    path.write_text(recorded.model_dump_json(), encoding="utf-8")
    gate = tmp_path / "gate.json"
    gate.write_text('{"max": {"compare:false_disagreements": 0.03}}', encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["eval", "--rescore", str(path), "--no-baseline", "--thresholds", str(gate), "--report", str(tmp_path / "r.md"), "--junit", str(tmp_path / "j.xml"), "--json", str(tmp_path / "out.json")])
    assert args.func(args) == 1  # re-judged: the agreeing item was flagged, so the gate fails
    assert "FAIL: compare:false_disagreements = 1.0000" in capsys.readouterr().err
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "## Timeline and compare mode" in report and "| timeline:precision |" in report and "`cmp-x`" in report
    assert 'name="compare:false_disagreements"' in (tmp_path / "j.xml").read_text(encoding="utf-8")
    rescored = EvalRun.model_validate_json((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert rescored.timeline_compare.metrics["timeline:heldout_precision"] >= 0.9
