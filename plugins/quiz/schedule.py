"""Spaced repetition with FSRS (the `fsrs` package) per learner and topic, kept in the session.

The learner is the session (the web app keeps one per browser, `tutor ask
--session FILE` one per file); the topic is the chapter or section an item's
sentence is in. Progress is a pydantic model stored in the session's quiz
state, so it is saved and loaded by whatever store saves sessions (no tables
of its own).

A right answer is rated Good, a wrong one or a skip Again. FSRS then sets the
card's next due time (learning steps of 1 and 10 minutes, then days). Mastery
of a topic is the mean, over the topic's cards the learner has answered, of
the FSRS retrievability now (the chance the scheduler gives of recalling the
card), counting a card whose last answer was wrong as 0: FSRS calls a card
just reviewed fully retrievable, even when the review was a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler
from pydantic import BaseModel, Field

from tutor.plugin_api import TopicProgress

from .items import QuizItem

# No fuzzing: the same answers at the same times give the same schedule (tests and the sample rely on it).
SCHEDULER = Scheduler(enable_fuzzing=False)


class CardRecord(BaseModel):
    """One item in one learner's deck: the item, its FSRS card and the learner's record on it."""

    item: QuizItem
    card: dict = Field(description="The FSRS card (fsrs.Card.to_dict()).")
    reviews: int = 0
    lapses: int = 0
    last_correct: bool | None = None

    def due(self) -> datetime:
        return Card.from_dict(self.card).due


class QuizProgress(BaseModel):
    """A learner's quiz state: the deck, the item being asked, the round's tally."""

    cards: dict[str, CardRecord] = Field(default_factory=dict, description="item id → its card")
    current: QuizItem | None = None
    topic: str = Field("", description="What the learner asked to be quizzed on ('' for anything).")
    asked: int = 0
    correct: int = 0

    def add(self, item: QuizItem, now: datetime) -> CardRecord:
        """Put a new item in the deck (due now)."""
        record = self.cards.get(item.id) or CardRecord(item=item, card=Card(due=now).to_dict())
        self.cards[item.id] = record
        return record

    def review(self, item: QuizItem, correct: bool, now: datetime | None = None) -> datetime:
        """Record an answer; returns when the item is due next."""
        now = now or datetime.now(UTC)
        record = self.add(item, now)
        card, _ = SCHEDULER.review_card(Card.from_dict(record.card), Rating.Good if correct else Rating.Again, now)
        record.card = card.to_dict()
        record.reviews += 1
        record.lapses += not correct
        record.last_correct = correct
        self.asked += 1
        self.correct += correct
        return card.due

    def due(self, now: datetime | None = None, topic: str | None = None) -> list[CardRecord]:
        """The cards due now (in a topic, if given), the most overdue first."""
        now = now or datetime.now(UTC)
        found = [r for r in self.cards.values() if r.reviews and r.due() <= now and (topic is None or r.item.topic == topic)]
        return sorted(found, key=lambda r: (r.due(), r.item.id))

    def mastery(self, now: datetime | None = None) -> list[TopicProgress]:
        """Per-topic mastery and due counts, topics in the order first met."""
        now = now or datetime.now(UTC)
        topics: dict[str, list[CardRecord]] = {}
        for record in self.cards.values():
            if record.reviews:
                topics.setdefault(record.item.topic, []).append(record)
        out = []
        for topic, records in topics.items():
            recall = [SCHEDULER.get_card_retrievability(Card.from_dict(r.card), now) if r.last_correct else 0.0 for r in records]
            out.append(TopicProgress(topic=topic, items=len(records), due=sum(r.due() <= now for r in records), mastery=round(sum(recall) / len(recall), 3)))
        return out
