"""The debate position bank: motions and each side's persona, rhetoric and claims, kept as JSON data in positions/."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

FOLDER = Path(__file__).parent / "positions"


OPEN_DEBATE = "open"  # the motion id of a debate with no preset motion: the learner picks the subjects


class Motion(BaseModel):
    id: str
    title: str
    label: str  # the subject in a few words, for "You have moved from X to Y"
    trotsky: str
    stalin: str
    queries: list[str]


class Persona(BaseModel):
    voice: str
    opening: str
    decline_after_cutoff: str
    refuse_switch: str
    refuse_concede: str
    agreement: str  # the learner agrees with the persona: it takes the point further instead of rebutting
    topic_change: str  # {old} and {new} are motion labels
    off_motion: str  # {new}: the learner argues about another subject than the preset motion
    challenge: str  # {about}: the names and numbers of a claim the sources neither support nor contradict
    correction: str  # {wrong}: the date, number or name the sources give otherwise


class Rhetoric(BaseModel):
    rebuttal_openers: list[str]  # before the claim that answers the learner's argument
    advance_openers: list[str]  # before a claim that carries on where the learner agrees, or answers their question
    evidence_intros: list[str]  # before an event
    judgement_intros: list[str]  # before a historian's judgement
    own_intros: list[str]  # before the persona's own words or writing


class Claim(BaseModel):
    id: str
    motion: str
    claim: str
    reasoning: str
    answers: list[str]
    counter_terms: list[str]
    evidence_queries: list[str]


class Side(BaseModel):
    side: str
    name: str
    knowledge_cutoff: str
    opponents: list[str]  # names whose reported views are never offered as this side's evidence
    self_names: list[str]  # the persona's names: a sentence reporting their words is their own writing, not a historian's
    persona: Persona
    rhetoric: Rhetoric
    claims: list[Claim]

    @property
    def cutoff_year(self) -> int:
        return int(self.knowledge_cutoff[:4])


class Bank(BaseModel):
    motions: dict[str, Motion]
    sides: dict[str, Side]

    def other(self, side: str) -> Side:
        return next(s for name, s in self.sides.items() if name != side)


@lru_cache(maxsize=1)
def load_bank() -> Bank:
    """The motions and both sides, validated."""
    motions = [Motion(**m) for m in json.loads((FOLDER / "motions.json").read_text(encoding="utf-8"))]
    sides = {name: Side(**json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))) for name in ("trotsky", "stalin")}
    return Bank(motions={m.id: m for m in motions}, sides=sides)
