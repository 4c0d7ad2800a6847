"""The debate partner: the tutor argues Trotsky's or Stalin's side of a motion (or of any subject, in an open debate).

Each turn first reads what the learner said (`learner.py`: the topic across
all ten motions, names, years, factual claims), then answers that: it says so
when the learner has moved to another subject, answers each factual claim the
sources contradict with the sources' fact and its citation ("You say 1930; …
[1]") and challenges claims they do not bear out, then rebuts with the
persona's best claim on the learner's topic not made yet, and cites a source
sentence that supports it (`evidence.py`: never the opponents' reported view;
the persona's own words framed as their own, a historian's judgement as a
judgement). Claims and evidence sentences are never repeated in a debate.
Persona rhetoric and claims come from reviewed data (positions/*.json) and are
marked as framing; every fact is a cited source sentence. The persona never
changes side or concedes and declines events after its death. After the set
number of rounds or /end a judge sums up.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from tutor.hookspecs import hookimpl
from tutor.models import Citation, ScoreEntry, TurnResult
from tutor.plugin_api import Mode, TurnContext
from tutor.text import match_form, years_in
from tutor_plugins.debate.evidence import Evidence, EvidenceKind, acceptable, kind_of
from tutor_plugins.debate.learner import LearnerPoint, choose_claim, read_point
from tutor_plugins.debate.positions import OPEN_DEBATE, Claim, Side, load_bank
from tutor_plugins.debate.scorecard import challenged, check_claim, checked_form, details, wrong_detail

_SWITCH = re.compile(r"\b(you are now|you're now|switch sides|change sides|argue (for )?the other side|pretend to be|play (the role of )?(trotsky|stalin))\b", re.I)
# "I agree", "You're right", "Exactly" open a message that sides with the persona; a "but" after them turns it into an objection.
_AGREES = re.compile(r"^\W*(?:i (?:\w+ )?agree|you(?:'re| are) (?:\w+ )?right|(?:good|fair|great) point|exactly|absolutely|quite right|true)\b", re.I)
_BUT = re.compile(r"\b(?:but|however|yet|although|though)\b", re.I)


def agrees_with_persona(message: str) -> bool:
    """Whether the learner's message sides with the persona ("I agree, the NEP had to end") rather than objects."""
    return bool(_AGREES.search(message)) and not _BUT.search(message)


_CONCEDE = re.compile(r"\b(admit|concede|confess|apologi[sz]e|say (that )?you were wrong|you were wrong|you lost)\b", re.I)
NAME_BONUS = 0.1  # added to an evidence sentence's score per name of the learner's it mentions
# Events a persona cannot know, by the year they began.
_LATER_EVENTS = {
    "barbarossa": 1941, "stalingrad": 1942, "kursk": 1943, "yalta": 1945, "potsdam": 1945, "cold war": 1947,
    "khrushchev": 1953, "secret speech": 1956, "brezhnev": 1964, "gorbachev": 1985, "perestroika": 1986,
    "glasnost": 1986, "yeltsin": 1991, "putin": 1999, "collapse of the soviet union": 1991,
}


class DebateOptions(BaseModel):
    """Options of the debate partner."""

    side: Literal["trotsky", "stalin"] = Field("stalin", description="The side the tutor argues.")
    motion: str = Field("socialism-in-one-country", description="A preset motion id, 'open' for an open debate on any subject, or a motion in your own words.")
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
        motions = [(m.title, m.id) for m in load_bank().motions.values()] + [("Open debate: any subject of the period", OPEN_DEBATE)]
        return {"motion": motions, "side": [("Trotsky", "trotsky"), ("Stalin", "stalin")]}

    def options_from_args(self, args: list[str]) -> dict:
        options: dict = {}
        if args and args[0].lower() in ("trotsky", "stalin"):
            options["side"] = args[0].lower()
            args = args[1:]
        if args:
            wanted = " ".join(args).lower()
            if wanted in (OPEN_DEBATE, "open debate"):
                return {**options, "motion": OPEN_DEBATE}
            preset = next((m for m in load_bank().motions if wanted in m or m.startswith(wanted.replace(" ", "-"))), None)
            options["motion"] = preset or " ".join(args)
        return options

    def turn(self, ctx: TurnContext) -> TurnResult:
        bank = load_bank()
        side = bank.sides[ctx.options.side]
        state = ctx.state
        if ctx.command == "start" or state.get("side") != side.side or state.get("motion") != ctx.options.motion:
            state.clear()
            state.update(side=side.side, motion=ctx.options.motion, title=self._title(ctx.options.motion), round=0, used=[], evidence_used=[], topics=[], scorecard=[])
            if ctx.command == "start":
                return self._opening(ctx, side)
        if ctx.command == "end":
            return self._judge(ctx, side)
        state["round"] += 1
        state.setdefault("evidence_used", [])
        state.setdefault("topics", [])
        talk: list[str] = []
        if _mentions_later_events(ctx.message, side.cutoff_year):
            talk.append(side.persona.decline_after_cutoff)
        if _SWITCH.search(ctx.message):
            talk.append(side.persona.refuse_switch)
        if _CONCEDE.search(ctx.message):
            talk.append(side.persona.refuse_concede)
        agrees = agrees_with_persona(ctx.message)
        if agrees:
            talk.append(side.persona.agreement)
        current = state["topics"][-1] if state["topics"] else ctx.options.motion
        point, ranked = read_point(ctx.tools, side, ctx.message, current)
        talk += self._topic_line(side, point.topic, current, first=not state["topics"])
        state["topics"].append(point.topic)
        state["subject"] = load_bank().motions[point.topic].label  # shown in the web app's debate panel
        persona = side.name.split()[-1]
        scorecard = [check_claim(ctx.tools, claim, 100 + len(state["scorecard"]) + i, persona) for i, claim in enumerate(point.claims)]
        state["scorecard"] += [entry.model_dump() for entry in scorecard]
        claim = choose_claim(ranked, point.topic, state["used"])
        state["used"].append(claim.id)
        notices: list[str] = []
        if ctx.tools.chat_model is not None:
            written = self._llm_turn(ctx, side, claim, talk, scorecard)
            if written.backend != "offline":
                return self._finish(ctx, side, written)
            notices = written.notices
        corrections, correction_citations, correction_framing = self._corrections(ctx.tools, side, scorecard)
        rhetoric = side.rhetoric
        turn_no = state["round"]
        # An opener that calls the learner wrong only answers an argument, not agreement or a question.
        openers = rhetoric.advance_openers if agrees or point.asks else rhetoric.rebuttal_openers
        talk += [openers[turn_no % len(openers)], claim.claim, claim.reasoning]
        number = len(correction_citations) + 1
        state["evidence_used"] += [f"{c.source}:{c.start}" for c in correction_citations]
        evidence, citation = self._evidence(ctx, side, claim, point, number)
        intro = ""
        if evidence:
            state["evidence_used"].append(evidence.key)
            intros = {EvidenceKind.OWN: rhetoric.own_intros, EvidenceKind.JUDGEMENT: rhetoric.judgement_intros}.get(evidence.kind, rhetoric.evidence_intros)
            intro = intros[turn_no % len(intros)]
        closing = "What do you say to that?"
        facts = f"{evidence.text} [{number}]" if evidence else ""
        parts = [" ".join(talk), *corrections, intro, facts, closing]
        result = TurnResult(
            answer="\n\n".join(p for p in parts if p),
            mode=self.name,
            backend="offline",
            citations=correction_citations + ([citation] if citation else []),
            framing=[" ".join(talk), intro, closing, *correction_framing],
            notices=notices,
        )
        ctx.stream.append(result.answer)
        return self._finish(ctx, side, result)

    def _topic_line(self, side: Side, topic: str, current: str, first: bool) -> list[str]:
        """Say so when the learner argues about another subject than the motion (first turn) or the last turn's subject."""
        motions = load_bank().motions
        if topic == current or current not in motions:
            return []
        if first:
            return [side.persona.off_motion.format(new=motions[topic].label)]
        return [side.persona.topic_change.format(old=motions[current].label, new=motions[topic].label)]

    def _corrections(self, tools, side: Side, scorecard: list[ScoreEntry], first_number: int = 1) -> tuple[list[str], list[Citation], list[str]]:
        """The learner's contradicted claims answered with the sources' fact and its citation; unsupported ones challenged."""
        parts: list[str] = []
        citations: list[Citation] = []
        framing: list[str] = []
        for entry in scorecard:
            if entry.verdict == "contradicted" and entry.citation:
                wrong = wrong_detail(tools.services.corpus, checked_form(entry.claim, side.name.split()[-1]), entry.citation.quote)
                shown = (wrong if wrong[0].isdigit() else wrong.title()) if wrong else f"“{entry.claim}”"
                line = side.persona.correction.format(wrong=shown)
                citation = entry.citation.model_copy(update={"number": first_number + len(citations)})
                citations.append(citation)
                parts.append(f"{line}\n\n{citation.quote} [{citation.number}]")  # its own sentence, so the verifier checks the quote alone
                framing.append(line)
            elif entry.verdict == "not in the sources":
                about = challenged(entry.unsupported or details(tools.services.corpus, entry.claim))
                line = side.persona.challenge.format(about=" and ".join(about) or "this")
                parts.append(line)
                framing.append(line)
        return parts, citations, framing

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

    def _llm_turn(self, ctx: TurnContext, side: Side, claim: Claim, talk: list[str], scorecard: list[ScoreEntry]) -> TurnResult:
        """The turn written by the LLM in the persona's voice from the claim and its evidence (verified afterwards).

        The corrections of the learner's facts follow the LLM's text, numbered after its passages, so they are in the
        reply whatever the model writes.
        """
        tools = ctx.tools
        passages = [p for q in claim.evidence_queries[:2] for p in tools.retrieve(q, k=3)]
        passages = [p for p in passages if not p.years or p.years[0] <= side.cutoff_year][:5]
        motion = load_bank().motions.get(ctx.state["topics"][-1])
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
        corrections, citations, framing = self._corrections(tools, side, scorecard, first_number=len(passages) + 1)
        if corrections:
            extra = "\n\n" + "\n\n".join(corrections)
            result.answer += extra
            ctx.stream.append(extra)
            result.citations += citations
            result.framing += framing
        result.framing.append(claim.claim)
        return result

    @staticmethod
    def _title(motion: str) -> str:
        """The motion as the learner sees it: a preset's title, "Open debate", or their own words."""
        preset = load_bank().motions.get(motion)
        return "Open debate" if motion == OPEN_DEBATE else preset.title if preset else f"This house believes: {motion}"

    def _opening(self, ctx: TurnContext, side: Side) -> TurnResult:
        motion = load_bank().motions.get(ctx.options.motion)
        if ctx.options.motion == OPEN_DEBATE:
            title, position = "Open debate", "Raise any question of my time, from the October insurrection to the purges and the Comintern, and I will answer it."
        elif motion:
            title, position = motion.title, getattr(motion, side.side)
        else:
            title, position = f"This house believes: {ctx.options.motion}", "I argue the case as I see it."
        text = f"{side.persona.opening}\n\n**Motion:** {title}\n\n**{side.name}:** {position}\n\nMake your first argument against me."
        ctx.stream.append(text)
        return TurnResult(answer=text, mode=self.name, backend="offline", framing=[text])

    def _evidence(self, ctx: TurnContext, side: Side, claim: Claim, point: LearnerPoint, number: int) -> tuple[Evidence | None, Citation | None]:
        """A source sentence supporting the claim, on the learner's subject, not used before in this debate, with its citation.

        Candidates are scored against the claim and its query; a sentence naming
        what the learner named is preferred, so the evidence meets their point.
        """
        tools = ctx.tools
        used = set(ctx.state.get("evidence_used", []))
        names = " ".join(point.names)
        best = None
        for query in claim.evidence_queries:
            passages = tools.retrieve(query, k=5)
            for candidate in tools.assess(f"{claim.claim} {query}", passages).candidates[:12]:
                key = f"{candidate.passage.source}:{candidate.start}"
                if key in used or not acceptable(candidate.text, f"{claim.claim} {query} {names}", side.opponents, side.cutoff_year):
                    continue
                score = candidate.score + NAME_BONUS * sum(n.lower() in candidate.text.lower() for n in point.names)
                if best is None or score > best[0]:
                    best = (score, candidate, key)
        if best is None:
            return None, None
        _, candidate, key = best
        return Evidence(text=candidate.text, kind=kind_of(candidate.text, side.self_names), key=key), tools.composer.cite(candidate, number)

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
