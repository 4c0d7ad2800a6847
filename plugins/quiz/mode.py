"""The quiz mode: asks items made from the sources, grades each answer, explains it with the cited sentence and schedules it.

`/quiz [topic]` starts a round: the items due for review come first (those of
the topic, when one is given), then new items from the passages retrieved for
the topic (without a topic, from a stretch of the sources chosen by the
session). One item per source sentence is put in a learner's deck, so the
same fact is not asked twice in a row in different guises. Each reply grades
the last answer, quotes the source sentence with its citation, says when the
item comes back, and asks the next question. `skip` (or "I don't know") shows
the answer and counts as wrong; `/end` closes the round with a summary.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from tutor.models import Passage, Session, TurnResult
from tutor.plugin_api import Mode, StudyProgress, TurnContext

from .grading import LETTERS, grade
from .items import ItemFactory, ItemKind, QuizItem, stable_hash
from .schedule import QuizProgress

STATE_KEY = "progress"
TOPIC_PASSAGES = 10  # passages retrieved for a topic: enough sentences for a round of new items
ANYWHERE_PASSAGES = 3
GROUP = 3  # passages new items are drawn from at a time, best-retrieved first
_SKIP = re.compile(r"^\W*(skip|pass|next|i do ?n[o']?t know|idk|dunno|no idea|give up|show me|tell me)\W*$", re.I)
# People and places both "a name": spaCy's small model mixes them up too often to say which.
TYPE_HINT = {"person": "a name", "place": "a name", "date": "a date", "number": "a number"}


class QuizOptions(BaseModel):
    """Options of the quiz."""

    topic: str = Field("", max_length=200, description="What to be quizzed on ('' for anything in the sources).")


def question_text(item: QuizItem, number: int) -> str:
    """How an item is put to the learner (Markdown)."""
    if item.kind == ItemKind.TRUE_FALSE:
        return f"**Question {number}. True or false?**\n\n{item.prompt}"
    if item.kind == ItemKind.CHOICE:
        options = "\n".join(f"- **{LETTERS[i]}** {option}" for i, option in enumerate(item.options))
        return f"**Question {number}. Which fills the blank?**\n\n{item.prompt}\n\n{options}"
    return f"**Question {number}. Fill in the blank ({TYPE_HINT[item.answer_type]}).**\n\n{item.prompt}"


def _when(due: datetime, now: datetime) -> str:
    seconds = (due - now).total_seconds()
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} minute{'s' if round(seconds / 60) > 1 else ''}"
    if seconds < 86400:
        return f"in {round(seconds / 3600)} hour{'s' if round(seconds / 3600) > 1 else ''}"
    return f"in {round(seconds / 86400)} day{'s' if round(seconds / 86400) > 1 else ''}"


class Quiz(Mode):
    name = "quiz"
    title = "Quiz"
    description = "Questions made from the sources' own sentences, graded, explained and scheduled for review (spaced repetition)."
    options_model = QuizOptions
    usage = "[topic]"

    def __init__(self, clock=None):
        self.clock = clock or (lambda: datetime.now(UTC))
        self._factories: dict[int, ItemFactory] = {}

    def options_from_args(self, args: list[str]) -> dict:
        return {"topic": " ".join(args)[:200]}

    def factory(self, ctx: TurnContext) -> ItemFactory:
        """The item factory of this engine's corpus (kept: it caches the corpus inventory)."""
        key = id(ctx.tools.services.corpus)
        if key not in self._factories:
            self._factories[key] = ItemFactory(ctx.tools.services.corpus)
        return self._factories[key]

    def progress(self, session: Session) -> StudyProgress | None:
        saved = session.state.get(self.name, {}).get(STATE_KEY)
        if not saved:
            return None
        progress = QuizProgress.model_validate(saved)
        now = self.clock()
        due = [r.item for r in progress.due(now)]
        return StudyProgress(mode=self.name, title=self.title, due=[_plain_question(item) for item in due], topics=progress.mastery(now))

    def turn(self, ctx: TurnContext) -> TurnResult | None:
        progress = QuizProgress.model_validate(ctx.state.get(STATE_KEY) or {})
        try:
            if ctx.command == "end":
                return self._end(ctx, progress)
            if ctx.command == "start" or progress.current is None:
                topic = ctx.options.topic if ctx.command == "start" else ctx.message
                return self._start(ctx, progress, topic.strip())
            return self._answer(ctx, progress)
        finally:
            ctx.state[STATE_KEY] = progress.model_dump(mode="json")

    def _start(self, ctx: TurnContext, progress: QuizProgress, topic: str) -> TurnResult:
        progress.topic, progress.asked, progress.correct, progress.current = topic, 0, 0, None
        passages = self._passages(ctx, progress)
        if passages is None:
            return self._reply(ctx, f"The sources don't cover “{topic}”, so I can't make questions on it. Try a topic such as the famine of 1891, the February Revolution, the NEP or collectivization.")
        item = self._next(ctx, progress, passages)
        about = f" on “{topic}”" if topic else ""
        talk = f"A quiz{about}, every question made from a sentence of the sources. Answer in a word, a name or a date; type *skip* to see the answer, /end to finish."
        if item is None:
            return self._reply(ctx, f"{talk}\n\nThere are no questions I can make{about} right now.")
        return self._reply(ctx, talk, question=question_text(item, 1), passages=passages)

    def _answer(self, ctx: TurnContext, progress: QuizProgress) -> TurnResult:
        item, now = progress.current, self.clock()
        verdict = grade(item, ctx.message) if not _SKIP.match(ctx.message) else None
        correct = bool(verdict and verdict.correct)
        due = progress.review(item, correct, now)
        if item.kind == ItemKind.TRUE_FALSE:
            truth = "true" if item.answer == "true" else f"false: the source has {item.key}, not {item.distractors[0]}"
            talk = f"{'Right' if correct else 'Not quite'}: the statement is {truth}."
        else:
            talk = f"Right: **{item.answer}**." if correct else f"Not quite: the answer is **{item.answer}**."
        where = f"The source, *{item.citation.title}*, {item.citation.location}:"
        after = f"This question comes back {_when(due, now)}. Score this round: {progress.correct} of {progress.asked}."
        passages = self._passages(ctx, progress) or []
        progress.current = None
        following = self._next(ctx, progress, passages)
        question = question_text(following, progress.asked + 1) if following else "That's every question I have on this topic for now. /end for your summary, or /quiz with another topic."
        return self._reply(ctx, f"{talk} {where}", fact=f"{item.sentence} [1]", after=after, question=question, item=item, passages=passages)

    def _end(self, ctx: TurnContext, progress: QuizProgress) -> TurnResult | None:
        if not progress.cards:
            return None
        progress.current = None
        now = self.clock()
        lines = [f"Quiz over: {progress.correct} of {progress.asked} right this round. Due for review now: {len(progress.due(now))}."]
        lines += [f"- {t.topic}: mastery {t.mastery:.0%} ({t.items} items, {t.due} due)" for t in progress.mastery(now)]
        return self._reply(ctx, "\n".join(lines))

    def _passages(self, ctx: TurnContext, progress: QuizProgress) -> list[Passage] | None:
        """Passages new items come from: retrieved for the topic (None when the sources don't cover it), else a stretch of the store."""
        tools = ctx.tools
        if progress.topic:
            passages = tools.retrieve(progress.topic, k=TOPIC_PASSAGES)
            return passages if tools.assess(progress.topic, passages).in_scope else None
        chunks = tools.services.retriever.chunks
        start = stable_hash(ctx.session.id, str(len(progress.cards))) % max(1, len(chunks))
        return [Passage(**c.model_dump()) for c in chunks[start : start + ANYWHERE_PASSAGES]]

    def _next(self, ctx: TurnContext, progress: QuizProgress, passages: list[Passage]) -> QuizItem | None:
        """The next item: a due one first (of the topic's passages, when there is a topic), else a new one from a sentence not yet in the deck."""
        now = self.clock()
        chunk_ids = {p.chunk_id for p in passages}
        due = [r.item for r in progress.due(now) if not progress.topic or r.item.citation.chunk_id in chunk_ids]
        if due:
            progress.current = due[0]
            return due[0]
        used = {(r.item.citation.source, r.item.citation.start) for r in progress.cards.values()}
        # The best-retrieved passages first, three at a time (a choice of kinds, and only the chapters
        # those passages are in parsed for wrong answers); kinds in turn; a learner-specific order so
        # two learners don't get the same sequence.
        kinds = [ItemKind.CLOZE, ItemKind.CHOICE, ItemKind.TRUE_FALSE]
        wanted = kinds[len(progress.cards) % len(kinds)]
        fresh: list[QuizItem] = []
        for start in range(0, len(passages), GROUP):
            group = self.factory(ctx).from_passages(passages[start : start + GROUP])
            fresh = [i for i in group if (i.citation.source, i.citation.start) not in used]
            if fresh:
                break
        if not fresh:
            return None
        fresh.sort(key=lambda i: (i.kind != wanted, stable_hash(ctx.session.id, i.id)))
        progress.current = fresh[0]
        progress.add(fresh[0], now)
        return fresh[0]

    def _reply(self, ctx: TurnContext, talk: str, fact: str = "", after: str = "", question: str = "", item: QuizItem | None = None, passages: list[Passage] | None = None) -> TurnResult:
        """Tutor talk and the next question are framing; the one factual sentence is the cited source sentence."""
        text = "\n\n".join(part for part in (talk, fact, after, question) if part)
        ctx.stream.append(text)
        citations = [item.citation] if item else []
        shown = list(passages or [])
        if item and item.citation.chunk_id not in {p.chunk_id for p in shown}:
            chunk = ctx.tools.services.retriever.by_id.get(item.citation.chunk_id)
            shown += [Passage(**chunk.model_dump())] if chunk else []
        framing = [talk, after] + [line for line in question.split("\n") if line.strip()]
        return TurnResult(answer=text, mode=self.name, backend="offline", citations=citations, passages=shown if item else [], framing=framing)


def _plain_question(item: QuizItem) -> str:
    if item.kind == ItemKind.TRUE_FALSE:
        return f"True or false? {item.prompt}"
    return item.prompt
