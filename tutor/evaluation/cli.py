"""`tutor eval`: run (or re-score) the eval suites, write the JSON, report and chart, and apply the thresholds gate."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tutor.evaluation.compare import compare, format_comparison
from tutor.evaluation.dataset import DEFAULT_SUITES, EVALS_DIR, load_suite
from tutor.evaluation.dialogue import DEFAULT_DIALOGUES, dialogue_table, evaluate_dialogues, load_dialogues
from tutor.evaluation.junit import write_junit
from tutor.evaluation.metrics import Thresholds
from tutor.evaluation.report import baseline_table, metrics_table, tools_table, write_plot, write_report
from tutor.evaluation.runner import EvalRun, evaluate, rescore, with_checks
from tutor.evaluation.timeline_compare import rescore_timeline_compare, run_timeline_compare
from tutor.services import Services

THRESHOLDS = EVALS_DIR / "thresholds.json"
BACKENDS = ("offline", "openai", "ollama", "llamacpp")


def add_parser(subparsers) -> None:
    """Add the `eval` subcommand to a `tutor` argument parser's subparsers."""
    p = subparsers.add_parser(
        "eval",
        help="run the factual-fidelity eval suite",
        description="Run the eval suites through the tutor and a LangChain baseline, print the metrics and fail below the thresholds.",
    )
    p.add_argument("--suite", nargs="+", type=Path, metavar="FILE", help="JSONL suite files (default: evals/suite/dev.jsonl and test.jsonl)")
    p.add_argument("--backend", choices=BACKENDS, help="the answer backend (other LLM settings come from TUTOR_LLM__*)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the metrics and every item's result and scores as JSON")
    p.add_argument("--report", type=Path, metavar="OUT.md", help="write a Markdown report")
    p.add_argument("--plot", type=Path, metavar="OUT.png", help="write a bar chart of the metrics")
    p.add_argument("--no-baseline", action="store_true", help="skip the LangChain baseline")
    p.add_argument("--skip", nargs="+", default=[], metavar="CHECK", help="skip plugins' eval checks by name (e.g. quiz: the reviewed sample of generated items and the grading cases; --rescore keeps the recorded ones)")
    p.add_argument("--rescore", type=Path, metavar="RECORDED.json", help="re-score a previous --json output offline instead of running the tutor (--suite and --backend do not apply)")
    p.add_argument("--junit", type=Path, metavar="OUT.xml", help="write JUnit XML: a test case per item (failures name the metric and quote the answer) and per gated metric")
    p.add_argument("--compare", type=Path, metavar="OLD.json", help="compare with a recorded --json run: metrics that moved, items that regressed or improved")
    p.add_argument("--timeline-compare", action=argparse.BooleanOptionalAction, default=None, help="measure the timeline sample and the compare items too (default: on when --suite is not given)")
    p.add_argument("--dialogue", nargs="+", type=Path, metavar="FILE", help="dialogue suites: scripted debates and Socratic exchanges (default: evals/suite/dialogue-dev.jsonl and dialogue-test.jsonl)")
    p.add_argument("--no-dialogue", action="store_true", help="skip the dialogue suites (they are never run with --rescore)")
    p.add_argument("--thresholds", type=Path, default=THRESHOLDS, metavar="FILE", help="the thresholds file (default: evals/thresholds.json)")
    p.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    """Run or re-score, write the outputs, print the metrics; 1 when a metric misses its threshold."""
    started = time.perf_counter()
    gate = Thresholds.load(args.thresholds)  # read first: a broken thresholds file should not cost a whole run
    recorded = EvalRun.model_validate_json(args.compare.read_text(encoding="utf-8")) if args.compare else None
    services = Services()
    if args.backend:
        services.settings.llm.backend = args.backend
    if args.rescore:
        recorded_run = EvalRun.model_validate_json(args.rescore.read_text(encoding="utf-8"))
        run = rescore(recorded_run, services, baseline=not args.no_baseline)
        if recorded_run.timeline_compare and args.timeline_compare is not False:
            run.timeline_compare = rescore_timeline_compare(recorded_run.timeline_compare, services)
        # Re-scoring re-checks recorded answers; the quiz metrics recorded with them stand as measured.
        run = run.model_copy(update={"metrics": run.metrics.model_copy(update={"tools": recorded_run.metrics.tools})})
    else:
        suites = [load_suite(path) for path in args.suite or DEFAULT_SUITES]
        services.ensure_store(progress=sys.stderr.isatty())
        run = evaluate(suites, services, baseline=not args.no_baseline, progress=sys.stderr.isatty())
        if args.timeline_compare or (args.timeline_compare is None and not args.suite):
            run.timeline_compare = run_timeline_compare(services)
        run = with_checks(run, services, skip=set(args.skip))
    if args.json:
        args.json.write_text(run.model_dump_json(), encoding="utf-8")
    if args.plot:
        write_plot(run.metrics, args.plot)
    if args.report:
        write_report(run, args.report, plot=args.plot)
    print(metrics_table(run.metrics))
    if run.metrics.tools:
        print("\n" + tools_table(run.metrics))
    if run.metrics.baseline:
        print("\n" + baseline_table(run.metrics))
    gated = run.gated()
    if not args.rescore and not args.no_dialogue:
        dialogues = evaluate_dialogues([load_dialogues(path) for path in args.dialogue or DEFAULT_DIALOGUES], services)
        print("\n" + dialogue_table(dialogues))
        gated |= dialogues.gated()
        if args.json:
            args.json.with_suffix(".dialogue.json").write_text(dialogues.model_dump_json(), encoding="utf-8")
    print(f"\n{len(run.items)} items in {time.perf_counter() - started:.0f} s.")
    if args.junit:
        write_junit(run, gate, args.junit, seconds=time.perf_counter() - started, extra=gated)
    if recorded is not None:
        print("\n" + format_comparison(compare(recorded, run)))
    if run.timeline_compare:
        print("\n" + "\n".join(f"{name}: {value:.3f}" for name, value in run.timeline_compare.metrics.items()))
    failures = gate.failures(gated)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print("Below the thresholds." if failures else f"All metrics meet the thresholds in {args.thresholds}.")
    return 1 if failures else 0
