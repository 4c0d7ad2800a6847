"""The README stays true to the code: its settings table and quick-start commands."""

from __future__ import annotations

from pathlib import Path

from tutor.settings import Settings, settings_rows

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table():
    for env, _, _ in settings_rows(Settings()):
        assert f"| `{env}` |" in README, env


def test_quick_start_scripts_exist_and_ci_runs_the_test_command():
    assert "bash scripts/run.sh" in README and "bash scripts/test.sh" in README
    assert (ROOT / "scripts" / "run.sh").is_file() and (ROOT / "scripts" / "test.sh").is_file()
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
