"""The CI files users copy: the GitHub Actions workflow uses flags, extras and paths that exist here."""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

import yaml

from tutor.evaluation.cli import add_parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "grounding-evals.yml"


def _steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    return job["steps"]


def _eval_flags() -> set[str]:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    subparser = parser._subparsers._group_actions[0].choices["eval"]
    return {option for action in subparser._actions for option in action.option_strings}


def test_workflow_runs_only_flags_tutor_eval_has():
    script = next(step["run"] for step in _steps() if "tutor eval" in step.get("run", ""))
    used = set(re.findall(r"(--[a-z][a-z-]*)", script))
    assert {"--json", "--report", "--plot", "--junit", "--compare"} <= used
    assert used <= _eval_flags()


def test_workflow_installs_an_extra_that_exists_and_pins_cpu_torch():
    script = "\n".join(step.get("run", "") for step in _steps())
    extras = set(re.findall(r'-e "\.\[([a-z,]+)\]"', script)[0].split(","))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert extras <= set(project["optional-dependencies"])
    assert "torch==2.13.0" in script and "whl/cpu" in script


def test_workflow_uploads_what_the_eval_writes():
    steps = _steps()
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact"))
    paths = set(upload["with"]["path"].split())
    run = next(step["run"] for step in steps if "tutor eval" in step.get("run", ""))
    written = set(re.findall(r"(artifacts/eval[\w.-]*)", run))
    assert written == paths and len(paths) == 4
    assert upload["if"] == "always()"  # the report matters most when the gate fails


def test_readme_documents_the_fresh_clone_check():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/ci-fresh.sh" in readme and (ROOT / "scripts" / "ci-fresh.sh").is_file()
