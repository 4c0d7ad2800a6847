"""The eval suite: its data, the scoring functions, the thresholds gate, and `tutor eval` end to end on a subset."""

from __future__ import annotations

import argparse
import json

import pytest

from tutor.corpus import Corpus
from tutor.evaluation import runner
from tutor.evaluation.cli import THRESHOLDS, add_parser
from tutor.evaluation.dialogue import METRICS as DIALOGUE_METRICS
from tutor.evaluation.dataset import DEFAULT_SUITES, EVALS_DIR, KINDS, DatasetError, EvalItem, Suite, load_suite
from tutor.evaluation.metrics import ItemScores, Thresholds, aggregate, citation_scores, has_all_groups, score_item
from tutor.evaluation.report import write_plot, write_report
from tutor_plugins.quiz.evaluation import METRICS as QUIZ_METRICS
from tutor_plugins.quiz.evaluation import SPLIT as QUIZ_SPLIT
from tutor.evaluation.runner import EvalRun, evaluate, motion_for
from tutor.plugins import PluginRegistry
from tutor.evaluation.timeline_compare import METRICS as TIMELINE_COMPARE_METRICS
from tutor.models import Citation, TurnResult
from tutor.services import Services
from tutor.text import fold
from tutor.toolkit import Toolkit

# evals/quiz/ holds the quiz's reviewed items and grading cases, and dialogue-*.jsonl scripted dialogues, not question suites
# (tests/test_quiz_sample.py and tests/test_dialogue_evals.py check them).
SUITE_FILES = sorted(p for p in EVALS_DIR.rglob("*.jsonl") if p.parent.name != "quiz" and not p.name.startswith("dialogue-"))


def eval_main(*argv: str) -> int:
    """`tutor eval …` through the subcommand's own parser (as tutor/cli.py will wire it)."""
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["eval", *argv])
    return args.func(args)


# --- the data ---------------------------------------------------------------------------------------------


def test_every_evidence_quote_is_in_its_source():
    corpus = Corpus()
    assert SUITE_FILES
    for path in SUITE_FILES:
        for item in load_suite(path).items:
            for evidence in item.evidence:
                assert fold(evidence.quote) in corpus.document(evidence.source).folded_original, (path.name, item.id, evidence.quote)


def test_suite_is_large_with_every_kind_and_both_splits():
    suites = [load_suite(path) for path in DEFAULT_SUITES]
    items = [item for suite in suites for item in suite.items]
    assert len(items) >= 150
    assert {item.kind for item in items} == set(KINDS)
    assert {suite.split for suite in suites} == {"dev", "test", "student-dev", "student-test"}
    assert all(suite.items for suite in suites)
    assert len({item.id for item in items}) == len(items)


def test_student_splits_ask_the_way_students_do():
    """Held-out student questions: at least 150, every form of question, some asking for details the sources lack."""
    import collections

    items = [item for path in DEFAULT_SUITES if path.stem.startswith("student") for item in load_suite(path).items]
    raw = [json.loads(line) for path in DEFAULT_SUITES if path.stem.startswith("student") for line in path.read_text(encoding="utf-8").splitlines()]
    forms = collections.Counter(r["form"] for r in raw)
    assert len(items) >= 150
    assert {"who", "when", "how_many", "definition", "fill_blank", "true_false", "two_part", "significance", "why", "how_far", "variant_spelling"} <= set(forms)
    assert sum(item.kind == "missing_detail" for item in items) >= 10
    assert all(not item.answer_keywords for item in items if item.kind == "missing_detail")


def test_other_held_out_splits_are_gated_by_prefixed_names():
    from tutor.evaluation.runner import Aggregate, SuiteMetrics

    agg = lambda v: Aggregate(items=1, values={"crag": v}, by_kind={})  # noqa: E731
    metrics = SuiteMetrics(splits={"dev": agg(0.1), "test": agg(0.2), "student-dev": agg(0.3), "student-test": agg(0.4)}, overall=agg(0.25))
    assert metrics.gated() == {"crag": 0.2, "student-test:crag": 0.4}


def test_malformed_line_names_the_file_and_line(tmp_path):
    good = json.dumps({"id": "a", "kind": "answerable", "question": "What was the NEP?"})
    for bad, reason in (('{"id": "b", "kind": ', "not valid JSON"), (json.dumps({"id": "b", "kind": "trivia", "question": "?"}), "kind")):
        path = tmp_path / "broken.jsonl"
        path.write_text(f"{good}\n\n{bad}\n", encoding="utf-8")
        with pytest.raises(DatasetError) as error:
            load_suite(path)
        assert str(path) in str(error.value) and "line 3" in str(error.value) and reason in str(error.value)


def test_unknown_fields_are_ignored_and_defaults_apply(tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps({"id": "a", "kind": "answerable", "question": "Q?", "difficulty": "hard", "notes": [1, 2]}) + "\n", encoding="utf-8")
    suite = load_suite(path)
    assert suite.split == "extra"
    assert suite.items[0].mode == "explain" and suite.items[0].answer_keywords == [] and not hasattr(suite.items[0], "difficulty")


@pytest.mark.parametrize(
    ("where", "question", "motion"),
    [
        ("book ch 9 + debate motion: the NEP", "", "nep"),
        ("book ch 8 + debate motion: Lenin's succession and Testament", "", "lenin-succession"),
        ("article: Economic policy + debate motion: pace of industrialisation", "", "pace-of-industrialisation"),
        ("book ch 8 + debate motion: party democracy vs the apparatus", "", "party-democracy"),
        ("", "Your breakneck tempo of industrialisation was madness.", "pace-of-industrialisation"),
        ("", "I simply disagree with you.", "socialism-in-one-country"),
    ],
)
def test_debate_motion_is_guessed_from_where_or_question(where, question, motion):
    item = EvalItem(id="d", kind="debate_stance", question=question or "You are wrong.", mode="debate", side="stalin", where=where)
    motions = PluginRegistry().get("debate").option_choices()["motion"]
    assert motion_for(item, motions) == motion


# --- scoring on hand-made results -----------------------------------------------------------------------


def item(kind: str, **fields) -> EvalItem:
    return EvalItem(id=kind, kind=kind, question=fields.pop("question", "What happened?"), **fields)


def reply(answer: str, abstained: bool = False, follow_ups: list[str] | None = None) -> TurnResult:
    return TurnResult(answer=answer, mode="explain", backend="offline", abstained=abstained, follow_ups=follow_ups or [])


def scores(it: EvalItem, result: TurnResult) -> ItemScores:
    return score_item(it, result, [], Corpus(), {})


def test_keyword_groups_need_every_group_after_normalising():
    text = "Over 80,000 Red Army officers were executed; it was Trotsky’s idea to call them ‘people’s commissars’, and 15 per cent voted."
    assert has_all_groups(text, [["80,000"], ["people's commissars"], ["15%"]])
    assert has_all_groups("The Five‑Year Plan", [["five year plan"]])
    assert not has_all_groups(text, [["80,000"], ["Durnovo", "Witte"]])
    assert has_all_groups(text, [])


def test_forbidden_string_makes_a_false_premise_reply_wrong():
    premise = item("false_premise", answer_keywords=[["Bogrov"]], forbidden=["the Bolsheviks assassinated Stolypin"])
    corrected = scores(premise, reply("Stolypin was killed by Bogrov in Kiev."))
    affirmed = scores(premise, reply("Yes, the Bolsheviks assassinated Stolypin; Bogrov fired the shot."))
    assert corrected.correct and corrected.crag == 1
    assert affirmed.key_facts and not affirmed.forbidden_absent and not affirmed.correct and affirmed.crag == -1


def test_follow_up_questions_do_not_count_as_key_facts():
    answerable = item("answerable", answer_keywords=[["Durnovo"]])
    result = reply("Here is what the sources say. Witte warned.\n\nYou could ask next:\n- *What did Durnovo say?*", follow_ups=["What did Durnovo say?"])
    assert scores(answerable, result).key_facts is False


def test_abstention_and_crag():
    oos, answerable = item("out_of_scope"), item("answerable", answer_keywords=[["NEP"]])
    results = [
        ("out_of_scope", scores(oos, reply("The sources don't cover that.", abstained=True))),
        ("out_of_scope", scores(oos, reply("It happened in 1812."))),
        ("answerable", scores(answerable, reply("The sources don't cover that.", abstained=True))),
        ("answerable", scores(answerable, reply("The NEP was introduced in 1921."))),
    ]
    assert [s.crag for _, s in results] == [1, -1, 0, 1]
    values = aggregate(results)
    assert values["abstention.out_of_scope_abstained"] == 0.5
    assert values["abstention.answerable_abstained"] == 0.5
    assert values["crag"] == 0.25
    assert values["key_fact_recall"] == 0.5


def test_socratic_first_reply_must_ask_without_giving_the_answer():
    socratic = item("socratic", mode="socratic", must_ask=True, answer_keywords=[["Durnovo"]])
    assert scores(socratic, reply("Let's work it out together. Which ministers do you know of?")).correct
    assert not scores(socratic, reply("Think about Durnovo. What did he fear?")).correct
    assert not scores(socratic, reply("Let's work it out together.")).correct


def test_debate_stance_needs_the_stance_keywords_and_no_concession():
    debate = item("debate_stance", mode="debate", side="stalin", stance_keywords=[["Five-Year Plan"]], forbidden=["I concede"])
    assert scores(debate, reply("The Five Year Plan built our industry. What do you say to that?")).correct
    assert not scores(debate, reply("I concede: the Five-Year Plan failed.")).correct
    assert not scores(debate, reply("Industry rose everywhere.")).correct


QUOTES = {
    1: "Lenin nominated Stalin as General Secretary in 1922.",
    2: "The harvest failed in the Volga region.",
    3: "Trotsky commanded the Red Army during the Civil War.",
}


def test_citation_recall_and_precision_in_the_alce_sense():
    answer = (
        "Here is what the sources say.\n\n"
        "Lenin nominated Stalin as General Secretary in 1922. [1][2] "  # [2] is not needed: imprecise
        "Lenin nominated Stalin as General Secretary in 1922, while Trotsky commanded the Red Army during the Civil War. [1][3] "  # both needed
        "The harvest failed in Siberia. [2] "  # not supported: its citation is imprecise
        "Stalin ruled for decades."  # no citation
    )
    citations = [Citation(number=n, source="s", title="t", location="l", chunk_id=f"c{n}", quote=q, start=0, end=len(q)) for n, q in QUOTES.items()]
    tools = Toolkit(Services())
    result = tools.verify(TurnResult(answer=answer, mode="explain", backend="offline", citations=citations))
    counts = citation_scores(result, tools.supports(result))
    assert counts == {"sentences": 4, "supported": 2, "cited_supported": 2, "citations": 5, "precise_citations": 3}
    values = aggregate([("answerable", ItemScores(correct=True, crag=1, **counts))])
    assert (values["faithfulness"], values["citation_recall"], values["citation_precision"]) == (0.5, 0.5, 0.6)


def test_a_correct_calendar_gloss_counts_as_cited_as_the_verifier_reads_it():
    quote = "Few historical events have been more distorted by myth than those of 25 October 1917."
    answer = "Few historical events have been more distorted by myth than those of 25 October 1917 (7 November New Style). [1]"
    citations = [Citation(number=1, source="s", title="t", location="l", chunk_id="c1", quote=quote, start=0, end=len(quote))]
    tools = Toolkit(Services())
    counts = citation_scores(tools.verify(TurnResult(answer=answer, mode="explain", backend="offline", citations=citations)), {1: quote})
    assert counts["cited_supported"] == 1 and counts["precise_citations"] == 1
    wrong = answer.replace("7 November", "9 November")  # a wrong gloss is the answer's claim, and unsupported
    counts = citation_scores(tools.verify(TurnResult(answer=wrong, mode="explain", backend="offline", citations=citations)), {1: quote})
    assert counts["cited_supported"] == 0


# --- the thresholds gate --------------------------------------------------------------------------------


def test_gate_fails_below_a_minimum_or_above_a_maximum_and_passes_at_them():
    gate = Thresholds(min={"crag": 0.5, "faithfulness": 0.9}, max={"abstention.answerable_abstained": 0.1})
    assert gate.failures({"crag": 0.5, "faithfulness": 0.95, "abstention.answerable_abstained": 0.1}) == []
    failed = gate.failures({"crag": 0.4999, "faithfulness": 0.95, "abstention.answerable_abstained": 0.2})
    assert len(failed) == 2 and failed[0].startswith("crag") and failed[1].startswith("abstention.answerable_abstained")
    assert gate.failures({"faithfulness": 1.0}) == []  # metrics the run did not measure are not gated


def test_thresholds_file_names_only_real_metrics_and_says_how_it_was_set():
    thresholds = Thresholds.load(THRESHOLDS)
    every_kind = [(kind, ItemScores(hit_at_5=True, recall_at_10=1.0, reciprocal_rank=1.0, key_facts=True, correct=True, crag=1, sentences=1, supported=1, citations=1)) for kind in KINDS]
    names = set(aggregate(every_kind))
    held_out = {path.stem for path in DEFAULT_SUITES if path.stem.endswith("-test")}
    names |= {f"{split}:{name}" for split in held_out for name in names}
    names |= set(TIMELINE_COMPARE_METRICS)
    names |= {f"{QUIZ_SPLIT}:{name}" for name in QUIZ_METRICS}  # the quiz's study-tool split
    names |= {f"dialogue-test:{name}" for name in DIALOGUE_METRICS}  # the scripted debates and Socratic exchanges
    assert thresholds.min and set(thresholds.min) | set(thresholds.max) <= names
    assert any(name.startswith("student-test:") for name in thresholds.min)  # the student split is gated too
    assert "measured" in thresholds.comment


# --- end to end on a subset of the real suite ----------------------------------------------------------


@pytest.fixture(scope="module")
def subset_run(full, tmp_path_factory):
    """Two dev items of every kind run through the engine and the baseline, written as JSON."""
    dev = load_suite(DEFAULT_SUITES[0])
    pool = dev.items + load_suite(EVALS_DIR / "suite" / "student-dev.jsonl").items  # missing_detail items live there
    picked = [it for kind in KINDS for it in [i for i in pool if i.kind == kind][:2]]
    run = evaluate([Suite(split="dev", path=dev.path, items=picked)], full)
    path = tmp_path_factory.mktemp("eval") / "run.json"
    path.write_text(run.model_dump_json(), encoding="utf-8")
    return run, path


@pytest.mark.slow
def test_runner_writes_json_report_and_chart(subset_run, tmp_path):
    run, path = subset_run
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["items"]) == 2 * len(KINDS)
    for record in data["items"]:
        assert {"id", "kind", "result", "scores"} <= set(record)
        assert record["result"] == TurnResult.model_validate(record["result"]).model_dump(mode="json")
        assert record["result"]["grounding"] and "crag" in record["scores"]
    metrics = data["metrics"]
    assert set(metrics["overall"]["by_kind"]) == set(KINDS)
    assert {"retrieval.hit@5", "faithfulness", "crag", "debate.stance_held", "socratic.asks"} <= set(metrics["splits"]["dev"]["values"])
    assert set(metrics["baseline"]["overall"]) == {"retrieval.hit@5", "key_fact_recall"}
    report, plot = tmp_path / "eval.md", tmp_path / "eval.png"
    write_plot(run.metrics, plot)
    write_report(run, report, plot=plot)
    text = report.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"## {kind} (2 items)\n\n| metric | dev |" in text
    assert "| metric | tutor dev | baseline dev |" in text and "![metrics](eval.png)" in text
    assert plot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_rescore_reproduces_the_metrics_without_an_engine(subset_run, tmp_path, monkeypatch, capsys):
    run, path = subset_run

    def forbidden(*args, **kwargs):
        raise AssertionError("re-scoring must not build an engine or a baseline index")

    monkeypatch.setattr(runner, "Engine", forbidden)
    monkeypatch.setattr(runner, "LangChainBaseline", forbidden)
    out = tmp_path / "rescored.json"
    lenient, strict = tmp_path / "lenient.json", tmp_path / "strict.json"
    lenient.write_text(json.dumps({"min": {"crag": -1.0}}), encoding="utf-8")
    strict.write_text(json.dumps({"min": {"faithfulness": 1.01}}), encoding="utf-8")
    assert eval_main("--rescore", str(path), "--json", str(out), "--thresholds", str(lenient)) == 0
    assert EvalRun.model_validate_json(out.read_text(encoding="utf-8")).metrics == run.metrics
    assert eval_main("--rescore", str(path), "--thresholds", str(strict)) == 1
    assert "FAIL: faithfulness" in capsys.readouterr().err


@pytest.mark.slow
def test_junit_has_a_case_per_item_and_per_gated_metric(subset_run, tmp_path):
    import xml.etree.ElementTree as ET

    run, path = subset_run
    # A gate the run cannot meet, so the gate suite must carry a failure naming the metric.
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps({"min": {"faithfulness": 1.01, "crag": -1.0}}), encoding="utf-8")
    out = tmp_path / "eval.xml"
    assert eval_main("--rescore", str(path), "--no-baseline", "--junit", str(out), "--thresholds", str(strict)) == 1
    root = ET.parse(out).getroot()
    items = root.find("testsuite[@name='tutor_eval.dev']")
    assert len(items.findall("testcase")) == len(run.items) == int(items.get("tests"))
    by_id = {case.get("name"): case for case in items.findall("testcase")}
    for record in run.items:
        failure = by_id[record.id].find("failure")
        if not record.scores.correct or record.scores.hit_at_5 is False:
            assert failure is not None, record.id
        if failure is not None:
            assert record.item.question in failure.text and "Answer:" in failure.text
            assert failure.get("message").split(":")[0] in {"correct", "retrieval.hit@5", "key_fact_recall", "forbidden", "faithfulness"}
    assert int(items.get("failures")) == sum(case.find("failure") is not None for case in by_id.values())
    gate = {case.get("name"): case for case in root.find("testsuite[@name='tutor_eval.gate']")}
    assert set(gate) == {"faithfulness", "crag"}
    assert "faithfulness" in gate["faithfulness"].find("failure").get("message")
    assert gate["crag"].find("failure") is None


@pytest.mark.slow
def test_compare_names_the_items_that_regressed(subset_run, tmp_path, capsys):
    from tutor.evaluation.compare import compare

    run, path = subset_run
    assert compare(run, run).regressed == [] and compare(run, run).metrics == {"dev": {}}
    # The recorded run is the real one; the new run loses one passing item's key facts.
    worse = run.model_copy(deep=True)
    victim = next(r for r in worse.items if r.scores.key_facts)
    victim.scores.key_facts, victim.scores.correct = False, False
    changes = compare(run, worse)
    assert [c.id for c in changes.regressed] == [victim.id]
    assert set(changes.regressed[0].lost) == {"key_fact_recall", "correct"}
    assert compare(worse, run).improved[0].id == victim.id
    # Through the command: the recorded run had the item failing; re-scoring the real run shows it improved.
    old = tmp_path / "old.json"
    old.write_text(worse.model_dump_json(), encoding="utf-8")
    lenient = tmp_path / "lenient.json"
    lenient.write_text(json.dumps({"min": {"crag": -1.0}}), encoding="utf-8")
    assert eval_main("--rescore", str(path), "--no-baseline", "--compare", str(old), "--thresholds", str(lenient)) == 0
    out = capsys.readouterr().out
    assert "Regressed items (0)" in out and f"Improved items (1): {victim.id}" in out


def test_key_fact_depth_bands_ranks_by_the_answers_reach():
    """evals/key_fact_depth.py (a diagnostic script) still imports against the eval API and bands ranks at the answer's six sentences."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("key_fact_depth", EVALS_DIR / "key_fact_depth.py")
    depth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(depth)
    assert [depth.band(r) for r in (1, 6, 7, 10, 11, None)] == ["1-6", "1-6", "7-10", "7-10", "11+", "not retrieved"]
