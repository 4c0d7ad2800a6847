"""The plugin API: entry-point discovery of a third-party plugin, routing by slash commands, bad plugins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.engine import Engine, new_session
from tutor.hookspecs import hookimpl
from tutor.models import TurnResult
from tutor.plugin_api import Mode
from tutor.plugins import PluginRegistry

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).parent / "example_plugin"


@pytest.fixture
def plugin_path(tmp_path, monkeypatch) -> Path:
    """A folder on sys.path holding the example plugin and a dist-info that lists it under `tutor.plugins`."""
    (tmp_path / "tutor_quote.py").write_text((EXAMPLE / "tutor_quote.py").read_text())
    dist = tmp_path / "tutor_quote-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tutor-quote\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[tutor.plugins]\nquote = tutor_quote\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_builtin_modes_are_found_through_entry_points():
    registry = PluginRegistry()
    assert {"explain", "socratic", "debate"} <= set(registry.modes)


def test_third_party_plugin_is_discovered_and_used_by_the_engine(plugin_path, full):
    engine = Engine(full, PluginRegistry())
    assert "quote" in engine.registry.modes
    session = new_session()
    result = engine.turn(session, "/quote What was the Kronstadt mutiny?")
    assert result.mode == "quote" and session.mode == "quote"
    assert result.citations and all(g.supported for g in result.grounding if g.factual)


def test_third_party_plugin_through_the_cli(plugin_path, full_store_dir):
    tutor = str(Path(sys.executable).with_name("tutor"))
    env = {**os.environ, "TUTOR_DATA_DIR": str(full_store_dir), "PYTHONPATH": str(plugin_path)}
    done = subprocess.run([tutor, "ask", "What was War Communism?", "--mode", "quote", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert '"mode": "quote"' in done.stdout


def test_slash_commands_route_and_free_text_stays(full):
    engine = Engine(full)
    session = new_session()
    assert "/debate" in engine.turn(session, "/help").answer
    assert "Unknown command" in engine.turn(session, "/dance").answer
    engine.turn(session, "/debate trotsky")
    assert session.mode == "debate" and session.options["debate"]["side"] == "trotsky"
    engine.turn(session, "Stalin built socialism in one country and that was right.")
    assert session.mode == "debate"
    result = engine.turn(session, "/explain What was the NEP?")
    assert session.mode == "explain" and result.citations


class _Nonsense(Mode):
    name = "nonsense"
    title = "Nonsense"
    description = "Returns a string instead of a result."

    def turn(self, ctx):
        return "not a TurnResult"


class _NeedsOptions(Mode):
    from pydantic import BaseModel

    class Options(BaseModel):
        level: int

    name = "needs"
    title = "Needs options"
    description = "Has a required option."
    options_model = Options

    def turn(self, ctx):
        raise AssertionError("never reached without options")


class _Plugin:
    @hookimpl
    def register_modes(self, register):
        register(_Nonsense())
        register(_NeedsOptions())
        register(object())  # not a mode at all


def test_bad_plugins_give_clear_messages(full):
    registry = PluginRegistry(extra_plugins=(_Plugin(),))
    assert registry.errors and "nonsense" in registry.modes
    engine = Engine(full, registry)
    session = new_session(mode="nonsense")
    assert "returned no answer" in engine.turn(session, "hello there").answer
    session.mode = "needs"
    assert "options of the needs mode are invalid" in engine.turn(session, "hello there").answer
    session.mode = "missing"
    assert "There is no 'missing' mode" in engine.turn(session, "hello there").answer
    session.mode = "explain"
    assert engine.turn(session, "What was the NEP?").citations


class _Drafter(Mode):
    name = "drafter"
    title = "Drafter"
    description = "Streams a draft, then answers something else without taking the draft back."

    def turn(self, ctx):
        ctx.stream.append("A draft the learner must not keep. ")
        return TurnResult(answer="The final answer.", mode=self.name, backend="offline", framing=["The final answer."])


class _Reconsiders(Mode):
    name = "reconsiders"
    title = "Reconsiders"
    description = "Streams a draft, takes it back, then streams its answer."

    def turn(self, ctx):
        ctx.stream.append("Half an LLM answ")
        ctx.stream.restart()
        ctx.stream.append("The offline answer.")
        return TurnResult(answer="The offline answer.", mode=self.name, backend="offline", framing=["The offline answer."])


class _StreamPlugin:
    @hookimpl
    def register_modes(self, register):
        register(_Drafter())
        register(_Reconsiders())


def _streamed_turn(engine, session, message):
    """Run a turn the way the web app does; return the result, the text the learner ends up seeing and the restarts."""
    shown, restarts = [], []

    def restart():
        shown.clear()
        restarts.append(1)

    result = engine.turn(session, message, on_text=shown.append, on_restart=restart)
    return result, "".join(shown), len(restarts)


@pytest.mark.parametrize("mode,restarts", [("drafter", 1), ("reconsiders", 1), ("explain", 0)])
def test_what_streams_is_the_final_answer(full, mode, restarts):
    engine = Engine(full, PluginRegistry(extra_plugins=(_StreamPlugin(),)))
    result, shown, restarted = _streamed_turn(engine, new_session(mode=mode), "What was the NEP?")
    assert shown == result.answer
    assert restarted == restarts  # the built-in explainer streams its answer right the first time


def test_notices_and_commands_stream_too(full):
    engine = Engine(full)
    for message in ("", "/nosuchcommand", "/socratic"):
        result, shown, _ = _streamed_turn(engine, new_session(), message)
        assert shown == result.answer and shown


def test_the_mode_picker_lists_every_registered_mode_default_first():
    registry = PluginRegistry()
    choices = registry.choices()
    assert choices[0] == ("Explain", "explain")
    assert sorted(name for _, name in choices) == sorted(registry.modes)


def test_a_plugins_eval_check_is_reported_and_gated_as_its_split(mini_settings):
    from tutor.evaluation.runner import Aggregate, EvalRun, SuiteMetrics, with_checks
    from tutor.plugin_api import EvalCheck
    from tutor.services import Services

    class Demo(EvalCheck):
        name = "demo"
        split = "demo-test"

        def run(self, services):
            return {"demo.share": 0.5}

    empty = Aggregate(items=0, values={}, by_kind={})
    run = EvalRun(metrics=SuiteMetrics(splits={}, overall=empty), items=[])
    measured = with_checks(run, Services(mini_settings), checks=[Demo()])
    assert measured.metrics.tools == {"demo-test": {"demo.share": 0.5}}
    assert measured.gated()["demo-test:demo.share"] == 0.5
    assert with_checks(run, Services(mini_settings), skip={"demo"}, checks=[Demo()]).metrics.tools == {}


def test_the_quiz_plugin_registers_its_eval_check():
    assert ("quiz", "quiz-test") in [(c.name, c.split) for c in PluginRegistry().eval_checks]
