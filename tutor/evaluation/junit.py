"""JUnit XML for CI systems: one test case per eval item, and one per gated metric.

An item fails when any of its own scores fails (the reply does not do what its
kind asks, the evidence is not retrieved, a key fact is missing, a sentence is
unsupported, a forbidden phrase appears); the failure message names the metric
and quotes the answer, so a red test in GitHub's or GitLab's test view says
what went wrong without opening the JSON. The gate's cases fail exactly when
`tutor eval` exits 1.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tutor.evaluation.metrics import ItemScores, Thresholds
from tutor.evaluation.runner import EvalRun, ItemRecord

ANSWER_CHARS = 400  # enough of the answer to judge it in a CI log


def item_problems(scores: ItemScores) -> list[str]:
    """The metrics one item fails, each as a short phrase naming the metric."""
    problems = []
    if not scores.correct:
        problems.append("correct: the reply does not do what the item's kind asks")
    if scores.hit_at_5 is False:
        problems.append("retrieval.hit@5: no evidence quote in the top 5 passages")
    if scores.key_facts is False:
        problems.append("key_fact_recall: an answer keyword group is missing")
    if not scores.forbidden_absent:
        problems.append("forbidden: the reply contains a forbidden phrase")
    if scores.supported < scores.sentences:
        problems.append(f"faithfulness: {scores.sentences - scores.supported} of {scores.sentences} factual sentences unsupported")
    return problems


def _case(record: ItemRecord) -> ET.Element:
    case = ET.Element("testcase", classname=f"tutor_eval.{record.split}.{record.kind}", name=record.id, time="0")
    problems = item_problems(record.scores)
    if problems:
        answer = record.result.answer.strip()
        answer = answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "…"
        failure = ET.SubElement(case, "failure", message="; ".join(problems), type=problems[0].split(":")[0])
        failure.text = f"Question: {record.item.question}\nAnswer: {answer}\n" + "\n".join(f"- {p}" for p in problems)
    return case


def to_junit(run: EvalRun, gate: Thresholds, seconds: float = 0.0, extra: dict[str, float] | None = None) -> ET.ElementTree:
    """The run as a JUnit XML tree: a suite per split of items, and a `gate` suite of threshold checks
    (over the run's gated values and `extra` ones, e.g. the dialogue evals')."""
    root = ET.Element("testsuites", name="tutor eval", time=f"{seconds:.1f}")
    for split in sorted({r.split for r in run.items}):
        records = [r for r in run.items if r.split == split]
        suite = ET.SubElement(root, "testsuite", name=f"tutor_eval.{split}", tests=str(len(records)))
        cases = [_case(r) for r in records]
        suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
        suite.extend(cases)
    values = run.gated() | (extra or {})
    failures = gate.failures(values)
    suite = ET.SubElement(root, "testsuite", name="tutor_eval.gate", tests="0", failures=str(len(failures)))
    for name in [*gate.min, *gate.max]:
        if name not in values:
            continue
        case = ET.SubElement(suite, "testcase", classname="tutor_eval.gate", name=name, time="0")
        missed = [f for f in failures if f.startswith(f"{name} =")]
        if missed:
            ET.SubElement(case, "failure", message=missed[0], type="threshold").text = missed[0]
    suite.set("tests", str(len(suite)))
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(run: EvalRun, gate: Thresholds, path: Path, seconds: float = 0.0, extra: dict[str, float] | None = None) -> None:
    """Write the JUnit XML file."""
    to_junit(run, gate, seconds, extra).write(path, encoding="utf-8", xml_declaration=True)
