"""Many students at once through the Gradio API: no errors, and no session ever sees another's messages.

Latency goals live in the benchmark (`python evals/load_test.py URL`); this test checks correctness under load.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Imported by name from evals/ so the load test's worker processes (spawned) can import it too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "evals"))
load_test = importlib.import_module("load_test")


def test_twenty_students_at_once(tutor_server):
    # Two worker processes, so the merged tally (and a session seen from both) is checked too.
    figures = load_test.run(tutor_server, users=20, seconds=30, max_turns=50, processes=2)
    print(f"\nload: {figures}")
    assert figures["turns"] >= 20
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["isolation_violations"] == 0, figures["violation_samples"]


def test_load_test_refuses_other_hosts():
    with pytest.raises(SystemExit):
        load_test.run("http://10.0.0.1:7860/", users=1, seconds=1, max_turns=1)
