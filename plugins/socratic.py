"""The Socratic questioner: leads the learner to the answer with questions and a hint ladder instead of handing it over.

From the retrieved passages it takes the expected points of a good answer (the
best source sentences, each cited). The first reply is a guiding question.
Each learner reply is graded against the points (embedding similarity and key
terms); hints get more specific (where to look, then the point with its key
words blanked, then with one word blanked); low-effort replies ("idk", "yes")
get an easier step. The full cited answer comes only when the ladder is used up
or the learner clearly asks for it, with a summary of what they got right.
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from tutor.hookspecs import hookimpl
from tutor.models import Citation, TurnResult
from tutor.plugin_api import Mode, TurnContext
from tutor.verify import content_stems, numbers, proper_names

_WANTS_ANSWER = re.compile(r"\b(just tell me|tell me the answer|give me the answer|what is the answer|i give up|reveal|show me the answer)\b", re.I)
_LOW_EFFORT = re.compile(r"^\W*(idk|i do ?n[o']?t know|dunno|no idea|not sure|yes|yeah|yep|no|nope|maybe|ok|okay|pass|hmm+|\?+|\.+)\W*$", re.I)
_NEW_QUESTION = re.compile(r"^\s*(who|what|when|where|why|how|which|explain|tell me about|describe)\b", re.I)
MASTERY_SIMILARITY = 0.6


class SocraticOptions(BaseModel):
    """Options of the Socratic questioner."""

    max_hints: int = Field(3, ge=1, le=6, description="Hints before the full answer is given.")


def _keywords(point: str, question: str) -> list[str]:
    """Terms of a point that the question does not already give away: numbers, names, then content words."""
    asked = content_stems(question) | proper_names(question) | numbers(question)
    terms = [n for n in numbers(point) if n not in asked] + [n for n in proper_names(point) if n not in asked]
    terms += [w for w in content_stems(point) if w not in asked and w not in terms]
    return terms


def _cloze(text: str, keep: int) -> str:
    """The sentence with its numbers and names blanked, leaving at most `keep` of them visible."""
    blanks = 0

    def blank(match: re.Match) -> str:
        nonlocal blanks
        blanks += 1
        return match.group(0) if blanks <= keep else "____"

    return re.sub(r"\d[\d,.]*|\b[A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+)*", lambda m: blank(m) if m.start() > 0 else m.group(0), text)


class Socratic(Mode):
    name = "socratic"
    title = "Socratic questioner"
    description = "Leads you to the answer with questions and hints instead of giving it away."
    options_model = SocraticOptions

    def turn(self, ctx: TurnContext) -> TurnResult | None:
        state = ctx.state
        if ctx.command == "start":
            return self._reply(ctx, "Ask me a question about the Russian Revolution and I'll help you work out the answer yourself. What would you like to explore?")
        if ctx.command == "end":
            return self._reveal(ctx) if state.get("points") else None
        if not state.get("points") or self._is_new_question(ctx):
            return self._start(ctx)
        if _WANTS_ANSWER.search(ctx.message):
            return self._reveal(ctx)
        if _LOW_EFFORT.match(ctx.message) or len(content_stems(ctx.message)) < 2:
            return self._hint(ctx, "That's fine, let's make it easier.")
        return self._grade(ctx)

    def _is_new_question(self, ctx: TurnContext) -> bool:
        if not _NEW_QUESTION.match(ctx.message) or not ctx.message.rstrip().endswith("?"):
            return False
        vectors = ctx.tools.services.embeddings.encode([ctx.message, ctx.state["question"]])
        return float(vectors[0] @ vectors[1]) < 0.6

    def _start(self, ctx: TurnContext) -> TurnResult:
        tools = ctx.tools
        passages = tools.retrieve(ctx.query)
        assessment = tools.assess(ctx.query, passages)
        if not assessment.in_scope:
            ctx.state.clear()
            return tools.abstain(ctx.query, passages, self.name)
        composition = tools.composer.compose(ctx.query, assessment, intro="")
        points = [
            {"text": c.text, "citation": citation.model_dump(), "keywords": _keywords(c.text, ctx.message), "mastered": False, "hints": 0}
            for c, citation in zip(composition.used[:3], composition.citations)
        ]
        ctx.state.update(question=ctx.message, points=points, hints=0, passages=[p.model_dump() for p in passages])
        names = sorted(proper_names(ctx.message))
        subject = " and ".join(n.title() for n in names[:2]) if names else "this"
        lead = {
            "why": "What problems or pressures do you think were at work, and who wanted what?",
            "when": "What events do you think led up to it?",
            "who": "Which groups or leaders do you think were involved, and why?",
        }.get(ctx.message.split()[0].lower(), "What do you already know about it? Tell me one thing you are sure of.")
        return self._reply(ctx, f"Let's work it out together rather than me just telling you. Think about {subject}. {lead}")

    def _grade(self, ctx: TurnContext) -> TurnResult:
        points = ctx.state["points"]
        reply_stems = content_stems(ctx.message) | numbers(ctx.message) | proper_names(ctx.message)
        open_points = [p for p in points if not p["mastered"]]
        vectors = ctx.tools.services.embeddings.encode([ctx.message] + [p["text"] for p in open_points])
        newly = []
        for point, vector in zip(open_points, vectors[1:]):
            keys = point["keywords"][:6]
            hits = len(set(keys) & reply_stems) / max(1, min(3, len(keys)))
            if hits >= 0.67 or (float(np.dot(vectors[0], vector)) >= MASTERY_SIMILARITY and hits > 0):
                point["mastered"] = True
                newly.append(point)
        ctx.state.setdefault("mastered", []).extend(p["text"] for p in newly)
        if all(p["mastered"] for p in points):
            return self._reveal(ctx, opening="Excellent, you've covered every point the sources make.")
        if newly:
            right = " ".join(f"{p['text']} [{p['citation']['number']}]" for p in newly)
            missing = sum(not p["mastered"] for p in points)
            after = f"{missing} more point{'s' if missing > 1 else ''} to find. What else can you add?"
            return self._reply(ctx, "Good, that's right. The sources confirm it:", facts=right, after=after, citations=[Citation(**p["citation"]) for p in newly])
        return self._hint(ctx, "Not quite yet.")

    def _hint(self, ctx: TurnContext, opening: str) -> TurnResult:
        state = ctx.state
        if state["hints"] >= ctx.options.max_hints:
            return self._reveal(ctx, opening="You've used all the hints, so here is the answer.")
        state["hints"] += 1
        point = next(p for p in state["points"] if not p["mastered"])
        citation = Citation(**point["citation"])
        step = state["hints"]
        if step == 1:
            hint = f"Hint: look at what *{citation.title}* says in {citation.location.rsplit(', ¶', 1)[0]}. Which people or events there matter?"
            return self._reply(ctx, f"{opening} {hint}")
        cloze = _cloze(point["text"], keep=0 if step == 2 else 2)
        return self._reply(ctx, f"{opening} Hint: fill in the gaps.", facts=f"{cloze} [{citation.number}]", after="What goes in the blanks?", citations=[citation])

    def _reveal(self, ctx: TurnContext, opening: str = "Here is the full answer from the sources.") -> TurnResult:
        points = ctx.state["points"]
        got = [p for p in points if p["mastered"]]
        summary = (
            f"You worked out {len(got)} of the {len(points)} points yourself." if got else "You didn't find these points yet, and that's fine: this is how we learn."
        )
        body = " ".join(f"{p['text']} [{p['citation']['number']}]" for p in points)
        citations = [Citation(**p["citation"]) for p in points]
        ctx.state.pop("points")
        return self._reply(ctx, f"{opening} {summary}", facts=body, after="Ask another question whenever you are ready.", citations=citations)

    def _reply(self, ctx: TurnContext, talk: str, facts: str = "", after: str = "", citations: list[Citation] | None = None) -> TurnResult:
        """A reply of tutor talk (framing), optionally cited source sentences, and a closing prompt."""
        text = "\n\n".join(part for part in (talk, facts, after) if part)
        passages = list(ctx.state.get("passages", [])) if citations else []
        ctx.stream.append(text)
        return TurnResult(
            answer=text, mode=self.name, backend="offline", citations=citations or [], passages=passages, framing=[talk, after]
        )


@hookimpl
def register_modes(register):
    register(Socratic())
