"""The debate partner: the tutor argues Trotsky's or Stalin's side of a motion; the learner argues against it.

Each bot turn rebuts the learner's last argument with the claim from the
position bank that answers it, advances that claim and cites evidence
retrieved from the corpus. Persona rhetoric and claims come from reviewed data
(positions/*.json) and are marked as framing; every fact is a cited source
sentence. The bot never changes side or concedes, declines events after its
persona's death, and keeps a scorecard of the learner's factual claims. After
the set number of rounds or /end a judge sums up.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from tutor.hookspecs import hookimpl
from tutor.models import Citation, ScoreEntry, TurnResult
from tutor.plugin_api import Mode, TurnContext
from tutor.text import match_form, years_in
from tutor_plugins.debate.positions import Claim, Side, load_bank
from tutor_plugins.debate.scorecard import check_claim, factual_sentences

_SWITCH = re.compile(r"\b(you are now|you're now|switch sides|change sides|argue (for )?the other side|pretend to be|play (the role of )?(trotsky|stalin))\b", re.I)
_CONCEDE = re.compile(r"\b(admit|concede|confess|apologi[sz]e|say (that )?you were wrong|you were wrong|you lost)\b", re.I)
# Events a persona cannot know, by the year they began.
_LATER_EVENTS = {
    "barbarossa": 1941, "stalingrad": 1942, "kursk": 1943, "yalta": 1945, "potsdam": 1945, "cold war": 1947,
    "khrushchev": 1953, "secret speech": 1956, "brezhnev": 1964, "gorbachev": 1985, "perestroika": 1986,
    "glasnost": 1986, "yeltsin": 1991, "putin": 1999, "collapse of the soviet union": 1991,
}


class DebateOptions(BaseModel):
    """Options of the debate partner."""

    side: Literal["trotsky", "stalin"] = Field("stalin", description="The side the tutor argues.")
    motion: str = Field("socialism-in-one-country", description="A preset motion id or a motion in your own words.")
    rounds: int = Field(5, ge=1, le=20, description="Rounds before the judge's summary.")


def _mentions_later_events(message: str, cutoff: int) -> bool:
    text = match_form(message)
    return any(y > cutoff for y in years_in(message)) or any(year > cutoff and term in text for term, year in _LATER_EVENTS.items())


class Debate(Mode):
    name = "debate"
    title = "Debate partner"
    description = "Argues Trotsky's or Stalin's side of a motion; you argue against it."
    options_model = DebateOptions
    usage = "[trotsky|stalin] [motion]"

    def option_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"motion": [(m.title, m.id) for m in load_bank().motions.values()], "side": [("Trotsky", "trotsky"), ("Stalin", "stalin")]}

    def options_from_args(self, args: list[str]) -> dict:
        options: dict = {}
        if args and args[0].lower() in ("trotsky", "stalin"):
            options["side"] = args[0].lower()
            args = args[1:]
        if args:
            wanted = " ".join(args).lower()
            preset = next((m for m in load_bank().motions if wanted in m or m.startswith(wanted.replace(" ", "-"))), None)
            options["motion"] = preset or " ".join(args)
        return options

    def turn(self, ctx: TurnContext) -> TurnResult:
        bank = load_bank()
        side = bank.sides[ctx.options.side]
        state = ctx.state
        if ctx.command == "start" or state.get("side") != side.side or state.get("motion") != ctx.options.motion:
            state.clear()
            state.update(side=side.side, motion=ctx.options.motion, round=0, used=[], scorecard=[], learner_claims=0)
            if ctx.command == "start":
                return self._opening(ctx, side)
        if ctx.command == "end":
            return self._judge(ctx, side)
        state["round"] += 1
        talk: list[str] = []
        if _mentions_later_events(ctx.message, side.cutoff_year):
            talk.append(side.persona.decline_after_cutoff)
        if _SWITCH.search(ctx.message):
            talk.append(side.persona.refuse_switch)
        if _CONCEDE.search(ctx.message):
            talk.append(side.persona.refuse_concede)
        scorecard = [check_claim(ctx.tools, claim, 100 + len(state["scorecard"]) + i) for i, claim in enumerate(factual_sentences(ctx.message))]
        state["scorecard"] += [entry.model_dump() for entry in scorecard]
        claim = self._choose_claim(ctx, side)
        state["used"].append(claim.id)
        notices: list[str] = []
        if ctx.tools.chat_model is not None:
            written = self._llm_turn(ctx, side, claim, talk)
            if written.backend != "offline":
                return self._finish(ctx, side, written)
            notices = written.notices
        rhetoric = side.rhetoric
        turn_no = state["round"]
        talk += [rhetoric.rebuttal_openers[turn_no % len(rhetoric.rebuttal_openers)], claim.claim, claim.reasoning]
        evidence, citation = self._evidence(ctx, side, claim)
        intro = rhetoric.evidence_intros[turn_no % len(rhetoric.evidence_intros)]
        closing = "What do you say to that?"
        facts = f"{evidence} [1]" if evidence else ""
        parts = [" ".join(talk), intro if evidence else "", facts, closing]
        result = TurnResult(
            answer="\n\n".join(p for p in parts if p),
            mode=self.name,
            backend="offline",
            citations=[citation] if citation else [],
            framing=[" ".join(talk), intro, closing],
            notices=notices,
        )
        ctx.stream.append(result.answer)
        return self._finish(ctx, side, result)

    def _finish(self, ctx: TurnContext, side: Side, result: TurnResult) -> TurnResult:
        """Attach the scorecard, and the judge's summary when the last round is played."""
        state = ctx.state
        result.scorecard = [ScoreEntry(**e) for e in state["scorecard"]]
        if state["round"] >= ctx.options.rounds:
            judge = self._judge(ctx, side, first_number=max((c.number for c in result.citations), default=0) + 1)
            summary = "\n\n---\n\n" + judge.answer
            result.answer += summary
            result.citations += judge.citations
            result.framing += judge.framing
            ctx.stream.append(summary)
        return result

    def _llm_turn(self, ctx: TurnContext, side: Side, claim: Claim, talk: list[str]) -> TurnResult:
        """The turn written by the LLM in the persona's voice from the claim and its evidence (verified afterwards)."""
        tools = ctx.tools
        passages = [p for q in claim.evidence_queries[:2] for p in tools.retrieve(q, k=3)]
        passages = [p for p in passages if not p.years or p.years[0] <= side.cutoff_year][:5]
        motion = load_bank().motions.get(ctx.options.motion)
        if talk:
            ctx.stream.append(" ".join(talk) + "\n\n")
        try:
            result = tools.llm_answer(
                ctx.message, passages, self.name, "debate", ctx.stream,
                name=side.name, voice=side.persona.voice, motion=motion.title if motion else ctx.options.motion,
                claim=claim.claim, reasoning=claim.reasoning, cutoff=side.knowledge_cutoff,
            )
        except Exception as exc:  # fall back to the offline argument, and say so
            ctx.stream.restart()
            return TurnResult(answer="", mode=self.name, backend="offline", notices=[tools.fallback_notice(exc)])
        if talk:
            result.answer = " ".join(talk) + "\n\n" + result.answer
            result.framing.append(" ".join(talk))
        result.framing.append(claim.claim)
        return result

    def _opening(self, ctx: TurnContext, side: Side) -> TurnResult:
        motion = load_bank().motions.get(ctx.options.motion)
        title = motion.title if motion else f"This house believes: {ctx.options.motion}"
        position = getattr(motion, side.side) if motion else "I argue the case as I see it."
        text = f"{side.persona.opening}\n\n**Motion:** {title}\n\n**{side.name}:** {position}\n\nMake your first argument against me."
        ctx.stream.append(text)
        return TurnResult(answer=text, mode=self.name, backend="offline", framing=[text])

    def _choose_claim(self, ctx: TurnContext, side: Side) -> Claim:
        """Our claim that best answers what the learner just said, preferring ones not yet made."""
        motion = ctx.options.motion
        claims = [c for c in side.claims if c.motion == motion] or side.claims
        message = match_form(ctx.message)
        vectors = ctx.tools.services.embeddings.encode([ctx.message] + [c.claim for c in claims])

        def score(pair) -> float:
            claim, vector = pair
            hits = sum(term in message for term in claim.counter_terms)
            return hits + 0.5 * float(vector @ vectors[0]) - (2.0 if claim.id in ctx.state["used"] else 0.0)

        return max(zip(claims, vectors[1:]), key=score)[0]

    def _evidence(self, ctx: TurnContext, side: Side, claim: Claim) -> tuple[str, Citation | None]:
        """A source sentence for the claim from before the persona's death, with its citation."""
        tools = ctx.tools
        for query in claim.evidence_queries:
            passages = tools.retrieve(query, k=5)
            for candidate in tools.assess(f"{claim.claim} {query}", passages).candidates[:8]:
                if all(y <= side.cutoff_year for y in years_in(candidate.text)):
                    return candidate.text, tools.composer.cite(candidate, 1)
        return "", None

    def _judge(self, ctx: TurnContext, side: Side, first_number: int = 1) -> TurnResult:
        """The judge's summary: strongest points, the learner's use of evidence, accuracy, suggestions."""
        bank = load_bank()
        state = ctx.state
        by_id = {c.id: c for s in bank.sides.values() for c in s.claims}
        ours = [by_id[i].claim for i in dict.fromkeys(state.get("used", []))][:3]
        entries = [ScoreEntry(**e) for e in state.get("scorecard", [])]
        supported = [e for e in entries if e.verdict == "supported"]
        contradicted = [e for e in entries if e.verdict == "contradicted"]
        other = bank.other(side.side)
        unanswered = [c.claim for c in other.claims if c.motion == state.get("motion") and not set(c.answers) & set(state.get("used", []))][:2]
        talk = ["**Judge's summary**", f"Strongest points made for {side.name}: " + (" ".join(ours) or "none yet.")]
        if entries:
            talk.append(f"Your use of evidence: you made {len(entries)} factual claims; {len(supported)} supported by the sources, {len(contradicted)} contradicted, {len(entries) - len(supported) - len(contradicted)} not in the sources.")
        else:
            talk.append("Your use of evidence: you made no factual claims that could be checked. Bring names, dates and events from the sources.")
        parts, citations = list(talk), []
        for entry in supported[:2] + contradicted[:2]:
            citation = entry.citation.model_copy(update={"number": first_number + len(citations)})
            citations.append(citation)
            said = f"You said: “{entry.claim}” Verdict: {entry.verdict}. The sources say:"
            talk.append(said)
            parts += [said, f"{citation.quote} [{citation.number}]"]
        suggestions = "Suggestions: " + (" ".join(f"You could also have argued that {c[0].lower()}{c[1:]}" for c in unanswered) or "keep grounding each argument in a source.")
        parts.append(suggestions)
        state["finished"] = True
        return TurnResult(answer="\n\n".join(parts), mode=self.name, backend="offline", citations=citations, framing=talk + [suggestions], scorecard=entries)


@hookimpl
def register_modes(register):
    register(Debate())
