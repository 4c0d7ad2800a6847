"""The Socratic questioner: leads the learner to the answer with questions and a hint ladder instead of handing it over.

The expected points are the explainer's whole answer to the question (the
composer's sentences from ten passages of both sources, each cited), and every
good sentence of those passages counts as a valid point too: a learner who
names a cause the sources give ("because of the war") is credited ("Yes — the
war, that's right."), shown the sentence that bears it out, and the ladder moves
on to the points still missing. A reply is credited when most of what it says
(its content words beyond the question's) is in one source sentence, or when
it is close in meaning to the sentence and shares a word with it, so "the cold
war" does not pass for "the war". The first reply is a real guiding question
about the question's focus, typed by what it asks (a cause, a person, a date…),
never a list of the question's words, and it gives nothing away. Hints get more
specific (where to look, then the point with its key words blanked, then with
one word blanked); low-effort replies ("idk", "yes") get an easier step. The
full cited answer comes only when the ladder is used up or the learner clearly
asks for it, with a summary of what they got right.
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
MASTERY_SIMILARITY = 0.6  # close enough in meaning to credit a reply that shares a word with the sentence
SHORT_REPLY = 3  # a reply of at most this many content words must have two thirds of them in the sentence; longer ones half
POOL_SIZE = 30  # good sentences of the retrieved passages that also count as valid points
_FILLER = frozenset({"think", "becaus", "caus", "reason", "mayb", "probabl", "lot", "thing", "stuff", "realli", "got", "get", "like", "would", "huge", "massiv"})
# The first guiding question, by what the question asks; {focus} is the question's own subject. Each ends by asking.
GUIDES = {
    "cause": "What pressures or problems were at work around {focus}, and which of them do you think mattered most?",
    "person": "Who had the power and the motive to act in {focus}, and what did each of them want?",
    "date": "What was happening around {focus} at the time, and what came just before it?",
    "number": "How large do you think it was, and what would have made it larger or smaller?",
    "definition": "What do you already know about {focus}: who was behind it, and what was it for?",
    "event": "What is one thing you are sure of about {focus}, and what do you think followed from it?",
    "comparison": "What did each side want, and where do you think they differed most?",
}
DEFAULT_GUIDE = "What is one thing you already know about {focus}, and how sure are you of it?"


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


def _point(text: str, citation: Citation, question: str) -> dict:
    return {"text": text, "citation": citation.model_dump(), "keywords": _keywords(text, question), "mastered": False, "hints": 0}


def _guide(analysis) -> str:
    """A guiding question about the question's focus, typed by what it asks (never a list of its words)."""
    return GUIDES.get(str(analysis.answer_type), DEFAULT_GUIDE).format(focus=analysis.focus or "it")


def _said(reply: str, question: str) -> frozenset[str]:
    """What the reply adds to the question: its content words and names, without the question's and filler."""
    return (content_stems(reply) | numbers(reply)) - content_stems(question) - numbers(question) - _FILLER


def _credits(said: frozenset[str], point: dict, similarity: float) -> bool:
    """Whether a reply saying `said` names what the point's sentence states."""
    stems = content_stems(point["text"]) | numbers(point["text"])
    shared = said & stems
    if not shared:
        return False
    needed = 2 / 3 if len(said) <= SHORT_REPLY else 1 / 2
    return len(shared) >= needed * len(said) or similarity >= MASTERY_SIMILARITY


def _echo(reply: str, points: list[dict]) -> str:
    """The learner's own words that the credited sentence bears out ("the war"), from the first such word to the last."""
    stems = set().union(*(content_stems(p["text"]) | numbers(p["text"]) for p in points))
    tokens = re.findall(r"[\w’'-]+", reply)
    hits = [i for i, w in enumerate(tokens) if content_stems(w) & stems or w in stems]
    if not hits:
        return "that's a point the sources make"
    first, last = hits[0], min(hits[-1], hits[0] + 7)
    if first > 0 and tokens[first - 1].lower() in ("the", "a", "an", "his", "her", "their", "its"):
        first -= 1
    return " ".join(tokens[first : last + 1])


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
        if _LOW_EFFORT.match(ctx.message) or not content_stems(ctx.message):
            return self._hint(ctx, "That's fine, let's make it easier.")
        return self._grade(ctx)

    def _is_new_question(self, ctx: TurnContext) -> bool:
        if not _NEW_QUESTION.match(ctx.message) or not ctx.message.rstrip().endswith("?"):
            return False
        vectors = ctx.tools.services.embeddings.encode([ctx.message, ctx.state["question"]])
        return float(vectors[0] @ vectors[1]) < 0.6

    def _start(self, ctx: TurnContext) -> TurnResult:
        tools = ctx.tools
        passages = tools.retrieve(ctx.query, k=tools.services.settings.retrieval.answer_k)
        assessment = tools.assess(ctx.query, passages)
        if not assessment.in_scope:
            ctx.state.clear()
            return tools.abstain(ctx.query, passages, self.name)
        composition = tools.composer.compose(ctx.query, assessment, intro="")
        points = [_point(c.text, citation, ctx.message) for c, citation in zip(composition.used, composition.citations)]
        chosen = {c.text for c in composition.used}
        ranked = sorted(assessment.candidates, key=lambda c: -c.score)
        pool = [_point(c.text, tools.composer.cite(c, 0), ctx.message) for c in ranked[:POOL_SIZE] if c.text not in chosen]
        ctx.state.update(question=ctx.message, points=points, pool=pool, hints=0, passages=[p.model_dump() for p in passages])
        return self._reply(ctx, f"Let's work it out together rather than me just telling you. {_guide(tools.analyse(ctx.message))}")

    def _grade(self, ctx: TurnContext) -> TurnResult:
        state = ctx.state
        points = state["points"]
        said = _said(ctx.message, state["question"]) - set(state.get("credited", []))
        if not said and state.get("credited"):
            return self._reply(ctx, "You've given that one already, and it counts.", after="What else was at work?")
        open_points = [p for p in points if not p["mastered"]]
        pool = state.get("pool", [])
        vectors = ctx.tools.services.embeddings.encode([ctx.message] + [p["text"] for p in open_points + pool])
        similarity = {id(p): float(np.dot(vectors[0], v)) for p, v in zip(open_points + pool, vectors[1:])}
        newly = [p for p in open_points if _credits(said, p, similarity[id(p)])]
        if not newly:
            # A valid point the answer did not choose: credit it and count it among the points.
            extra = next((p for p in sorted(pool, key=lambda p: -similarity[id(p)]) if _credits(said, p, similarity[id(p)])), None)
            if extra is None:
                extra = self._found_for(ctx, said)
            elif extra in pool:
                pool.remove(extra)
            if extra is not None:
                extra["citation"]["number"] = len(points) + 1
                points.append(extra)
                newly = [extra]
        for point in newly:
            point["mastered"] = True
        if newly:  # the learner's words now credited: saying them again earns no second point
            stems = set().union(*(content_stems(p["text"]) | numbers(p["text"]) for p in newly))
            state["credited"] = sorted(set(state.get("credited", [])) | (said & stems))
        state.setdefault("mastered", []).extend(p["text"] for p in newly)
        if newly and all(p["mastered"] for p in points):
            return self._reveal(ctx, opening=f"Yes — {_echo(ctx.message, newly)}. Excellent, you've covered every point the sources make.")
        if newly:
            right = " ".join(f"{p['text']} [{p['citation']['number']}]" for p in newly)
            missing = sum(not p["mastered"] for p in points)
            after = f"{missing} more point{'s' if missing > 1 else ''} to find. What else was at work?"
            return self._reply(ctx, f"Yes — {_echo(ctx.message, newly)}, that's right. The sources confirm it:", facts=right, after=after, citations=[Citation(**p["citation"]) for p in newly])
        return self._hint(ctx, "Not quite yet.")

    def _found_for(self, ctx: TurnContext, said: frozenset[str]) -> dict | None:
        """A source sentence retrieved for the question and the reply together that bears the reply out and is about the question.

        The expected points come from passages retrieved for the question alone; a
        valid cause the sources give elsewhere ("Bloody Sunday" for 1905) is found
        by searching with the learner's words, and counts only if the sentence also
        shares a word with the question (so "the cold war" finds nothing about 1917).
        """
        tools = ctx.tools
        question = ctx.state["question"]
        asked = content_stems(question) | numbers(question)
        passages = tools.retrieve(f"{question} {ctx.message}", k=5)
        found = [c for c in tools.assess(f"{question} {ctx.message}", passages).candidates[:15] if (content_stems(c.text) | numbers(c.text)) & asked]
        if not found:
            return None
        vectors = tools.services.embeddings.encode([ctx.message] + [c.text for c in found])
        for candidate, vector in sorted(zip(found, vectors[1:]), key=lambda pair: -float(np.dot(vectors[0], pair[1]))):
            point = _point(candidate.text, tools.composer.cite(candidate, 0), question)
            if _credits(said, point, float(np.dot(vectors[0], vector))):
                ctx.state["passages"].append(candidate.passage.model_dump())
                return point
        return None

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
