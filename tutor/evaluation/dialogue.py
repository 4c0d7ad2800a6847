"""Evals of dialogue: scripted multi-round debates and Socratic exchanges, scored on what the replies do, not their words.

Suite files (`evals/suite/dialogue-*.jsonl`) hold two kinds of scripts:

- `debate`: a side, a motion (or "open") and five learner turns, each with the
  motions it is about (`topics`, written by reading the message) and, for a
  planted false claim, the wrong detail, the right one and the source quote
  that states it (`false`).
- `socratic`: a question, a learner reply, whether the sources support the
  reply (`credit`) and the quote that does.

Metrics (per split; the held-out split is gated as `dialogue-test:<name>`):

- `debate.responsive`: share of turns whose reply advances a claim of the
  persona's on the learner's topic (the claim is found in the reply's text and
  looked up in the bank).
- `debate.corrected`: share of false-claim turns whose reply names the wrong
  detail and, in the same reply, a cited sentence the verifier supports that
  states the right one.
- `debate.stance_held`: share of turns whose reply advances one of the
  persona's claims, none of the other side's, concedes nothing, cites nothing
  from after the persona's death and has every factual sentence supported.
- `debate.repetition`: share of scripts in which a claim or an evidence
  sentence comes back in a later turn (goal 0).
- `socratic.credited`: share of valid replies credited ("Yes — …").
- `socratic.false_credit`: share of invalid replies credited (not gated; the
  check that crediting is not automatic).
- `socratic.no_leak`: share of first replies that ask a question, cite
  nothing and name no name or figure of the expected points that the
  question did not give.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from tutor.engine import Engine, new_session
from tutor.evaluation.dataset import EVALS_DIR, DatasetError
from tutor.evaluation.metrics import mentions, share
from tutor.models import TurnResult
from tutor.retrieval_metrics import Evidence
from tutor.services import Services
from tutor.text import match_form, words, years_in
from tutor.verify import numbers, proper_names, strip_markers

DEFAULT_DIALOGUES = tuple(EVALS_DIR / "suite" / f"dialogue-{split}.jsonl" for split in ("dev", "test"))
METRICS = ("debate.responsive", "debate.corrected", "debate.stance_held", "debate.repetition", "socratic.credited", "socratic.false_credit", "socratic.no_leak")
CONCESSIONS = ("i concede", "you are right", "you're right", "i was wrong", "i apologise", "i apologize", "i admit")
CREDIT = re.compile(r"^\s*(yes\b|good\b|excellent\b)", re.I)


class FalseClaim(BaseModel):
    """A wrong detail planted in a learner's turn, the right one, and where the sources state it."""

    wrong: str
    right: list[str] = Field(description="Alternatives of the right detail; the correction must state one.")
    evidence: list[Evidence]


class DebateTurn(BaseModel):
    say: str
    topics: list[str] = Field(description="The motions the message is about (any of them counts).")
    false: FalseClaim | None = None


class DebateScript(BaseModel):
    id: str
    kind: Literal["debate"]
    side: Literal["trotsky", "stalin"]
    motion: str
    turns: list[DebateTurn]


class SocraticScript(BaseModel):
    id: str
    kind: Literal["socratic"]
    question: str
    reply: str
    credit: bool = Field(description="Whether the sources support the reply, so it should be credited.")
    evidence: list[Evidence] = Field(default_factory=list)


class DialogueSuite(BaseModel):
    split: str
    debates: list[DebateScript]
    socratic: list[SocraticScript]


class TurnScore(BaseModel):
    say: str
    answer: str
    claims: list[str] = Field(description="Ids of the persona's claims found in the reply.")
    responsive: bool
    stance_held: bool
    corrected: bool | None = None
    evidence: list[str] = Field(default_factory=list, description="Quotes cited by the reply.")


class ScriptScore(BaseModel):
    id: str
    split: str
    kind: str
    turns: list[TurnScore] = Field(default_factory=list)
    repeated: list[str] = Field(default_factory=list, description="Claim ids and quotes that came back in a later turn.")
    credited: bool | None = None
    no_leak: bool | None = None
    replies: list[str] = Field(default_factory=list)


class DialogueRun(BaseModel):
    metrics: dict[str, dict[str, float]]
    scripts: list[ScriptScore]

    def gated(self) -> dict[str, float]:
        """Each held-out split's metrics as '<split>:<name>' (e.g. 'dialogue-test:debate.responsive')."""
        return {f"{split}:{name}": value for split, values in self.metrics.items() if split.endswith("-test") for name, value in values.items()}


def load_dialogues(path: Path) -> DialogueSuite:
    """Parse a dialogue suite; a malformed line raises DatasetError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot read the suite file ({exc})") from exc
    debates, socratic = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            (debates if data.get("kind") == "debate" else socratic).append(
                DebateScript.model_validate(data) if data.get("kind") == "debate" else SocraticScript.model_validate(data)
            )
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
        except (ValidationError, AttributeError) as exc:
            raise DatasetError(f"{path}, line {number}: not a debate or socratic script ({str(exc).splitlines()[0]})") from exc
    return DialogueSuite(split=path.stem, debates=debates, socratic=socratic)


def _claims_in(answer: str, claims) -> list:
    text = match_form(answer)
    return [c for c in claims if match_form(c.claim) in text]


def _corrected(result: TurnResult, false: FalseClaim) -> bool:
    """The reply names the wrong detail and a supported, cited sentence of it states the right one."""
    if not mentions(result.answer, false.wrong):
        return False
    for entry in result.grounding:
        text, _ = strip_markers(entry.text)
        if entry.citation is not None and entry.supported and any(mentions(text, right) for right in false.right):
            return True
    return False


def score_debate(script: DebateScript, results: list[TurnResult], split: str) -> ScriptScore:
    """Score the replies of one scripted debate."""
    from tutor_plugins.debate.positions import load_bank  # the bank is the debate plugin's data

    bank = load_bank()
    side = bank.sides[script.side]
    other = bank.other(script.side)
    seen_claims: set[str] = set()
    seen_quotes: set[str] = set()
    repeated: list[str] = []
    turns = []
    for turn, result in zip(script.turns, results):
        ours = _claims_in(result.answer, side.claims)
        theirs = _claims_in(result.answer, other.claims)
        answer = match_form(result.answer)
        quotes = [c.quote for c in result.citations]
        stance = (
            bool(ours)
            and not theirs
            and not any(phrase in answer for phrase in CONCESSIONS)
            and all(y <= side.cutoff_year for q in quotes for y in years_in(q))
            and all(g.supported for g in result.grounding if g.factual)
        )
        correction_quotes = {q for q in quotes if turn.false and any(mentions(q, r) for r in turn.false.right)}
        for claim in ours:
            if claim.id in seen_claims:
                repeated.append(claim.id)
        for quote in quotes:
            if quote in seen_quotes and quote not in correction_quotes:
                repeated.append(quote)
        seen_claims |= {c.id for c in ours}
        seen_quotes |= set(quotes)
        turns.append(
            TurnScore(
                say=turn.say,
                answer=result.answer,
                claims=[c.id for c in ours],
                responsive=any(c.motion in turn.topics for c in ours),
                stance_held=stance,
                corrected=_corrected(result, turn.false) if turn.false else None,
                evidence=quotes,
            )
        )
    return ScriptScore(id=script.id, split=split, kind="debate", turns=turns, repeated=repeated)


def run_debate(engine: Engine, script: DebateScript) -> list[TurnResult]:
    """Play the script's turns in one session (the judge held back until after the last turn)."""
    session = new_session(mode="debate")
    session.options["debate"] = {"side": script.side, "motion": script.motion, "rounds": len(script.turns) + 1}
    return [engine.turn(session, turn.say) for turn in script.turns]


def run_socratic(engine: Engine, script: SocraticScript, split: str) -> ScriptScore:
    """Ask the question, give the reply, and score the first reply (no leak) and the second (credited)."""
    session = new_session(mode="socratic")
    first = engine.turn(session, script.question)
    points = session.state.get("socratic", {}).get("points", [])
    second = engine.turn(session, script.reply)
    # A leak is a name or a figure of an expected point that the question did not give.
    given = proper_names(script.question) | numbers(script.question) | set(words(script.question))  # "the whites" gives "Whites"
    shown = proper_names(first.answer) | numbers(first.answer)
    leaked = any((proper_names(p["text"]) | numbers(p["text"])) - given & shown for p in points)
    no_leak = first.answer.rstrip().endswith("?") and not first.citations and not leaked
    return ScriptScore(
        id=script.id, split=split, kind="socratic", credited=bool(CREDIT.match(second.answer)), no_leak=no_leak, replies=[first.answer, second.answer]
    )


def aggregate(scores: list[ScriptScore], scripts: dict[str, SocraticScript]) -> dict[str, float]:
    """The metrics over one split's scored scripts (a metric with nothing to measure is left out)."""
    turns = [t for s in scores if s.kind == "debate" for t in s.turns]
    debates = [s for s in scores if s.kind == "debate"]
    socratic = [s for s in scores if s.kind == "socratic"]
    values = {
        "debate.responsive": share([t.responsive for t in turns]),
        "debate.corrected": share([t.corrected for t in turns if t.corrected is not None]),
        "debate.stance_held": share([t.stance_held for t in turns]),
        "debate.repetition": share([bool(s.repeated) for s in debates]),
        "socratic.credited": share([s.credited for s in socratic if scripts[s.id].credit]),
        "socratic.false_credit": share([s.credited for s in socratic if not scripts[s.id].credit]),
        "socratic.no_leak": share([s.no_leak for s in socratic]),
    }
    return {name: value for name, value in values.items() if value is not None}


def evaluate_dialogues(suites: list[DialogueSuite], services: Services, engine: Engine | None = None) -> DialogueRun:
    """Run every script of the suites through one engine and score it."""
    engine = engine or Engine(services)
    metrics: dict[str, dict[str, float]] = {}
    scored: list[ScriptScore] = []
    for suite in suites:
        scores = [score_debate(script, run_debate(engine, script), suite.split) for script in suite.debates]
        scores += [run_socratic(engine, script, suite.split) for script in suite.socratic]
        metrics[suite.split] = aggregate(scores, {s.id: s for s in suite.socratic})
        scored += scores
    return DialogueRun(metrics=metrics, scripts=scored)


def dialogue_table(run: DialogueRun) -> str:
    """The metrics as a Markdown table, one column per split."""
    splits = list(run.metrics)
    names = list(dict.fromkeys(name for values in run.metrics.values() for name in values))
    lines = ["| dialogue metric | " + " | ".join(splits) + " |", "| --- |" + " --- |" * len(splits)]
    for name in names:
        cells = [f"{run.metrics[s][name]:.2f}" if name in run.metrics[s] else "–" for s in splits]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
