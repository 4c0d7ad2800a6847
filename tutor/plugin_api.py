"""What a tutoring mode (explainer, Socratic questioner, debate partner, or a third party's) implements and receives.

A mode gets a `TurnContext` and returns a `TurnResult`. The core verifies the
result's answer afterwards, so a mode cannot skip grounding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, Field

from tutor.models import Session, TurnResult

if TYPE_CHECKING:
    from tutor.toolkit import Toolkit


class Stream:
    """The text of a reply as it is produced, forwarded to whoever shows it to the learner.

    The core guarantees that what was streamed ends up equal to the turn's final
    answer: a mode that must take back what it sent (an LLM failed half-way and
    the offline composer answers instead) calls `restart`, and the core restarts
    the stream itself when a mode's final answer differs from what it streamed.
    """

    def __init__(self, on_text: Callable[[str], None] | None = None, on_restart: Callable[[], None] | None = None):
        self.pieces: list[str] = []
        self._on_text = on_text
        self._on_restart = on_restart

    @property
    def text(self) -> str:
        """Everything streamed since the last restart."""
        return "".join(self.pieces)

    def append(self, piece: str) -> None:
        """Send a piece of the reply."""
        if not piece:
            return
        self.pieces.append(piece)
        if self._on_text:
            self._on_text(piece)

    def restart(self) -> None:
        """Take back everything streamed so far (the learner's view is cleared)."""
        if not self.pieces:
            return
        self.pieces.clear()
        if self._on_restart:
            self._on_restart()


class TopicProgress(BaseModel):
    """A learner's standing on one topic of a mode that keeps progress (e.g. a quiz)."""

    topic: str
    items: int = Field(description="Items of the topic the learner has answered.")
    due: int = Field(description="Of those, how many are due for review now.")
    mastery: float = Field(description="0–1, as the mode defines it (its docstring says how).")


class StudyProgress(BaseModel):
    """What a mode reports for a learner's study page: what is due and per-topic mastery."""

    mode: str
    title: str
    due: list[str] = Field(default_factory=list, description="The items due now, as the learner would be asked them.")
    topics: list[TopicProgress] = Field(default_factory=list)


class NoOptions(BaseModel):
    """For modes without options."""


@dataclass
class TurnContext:
    """Everything a mode needs for one turn."""

    message: str  # the learner's message, as typed (after cleaning)
    query: str  # the retrieval query: the message rewritten with the conversation's context
    session: Session
    state: dict  # this mode's own state in the session; mutate it to remember things
    options: BaseModel  # this mode's options, validated against its options model
    tools: "Toolkit"  # retrieval, answer writing, verification, prompts
    stream: Stream = field(default_factory=Stream)  # modes append text pieces as they are produced
    command: str | None = None  # "start" when the learner switches to this mode, "end" for /end


class Mode:
    """Base class for tutoring modes; subclasses set the class attributes and implement `turn`."""

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    options_model: ClassVar[type[BaseModel]] = NoOptions
    usage: ClassVar[str] = ""  # arguments of the mode's slash command, shown by /help

    def option_choices(self) -> dict[str, list[tuple[str, str]]]:
        """Named choices for option fields, as (label, value) pairs, for forms (e.g. the debate motions)."""
        return {}

    def options_from_args(self, args: list[str]) -> dict:
        """Options given after the slash command (e.g. '/debate stalin'); by default none."""
        return {}

    def progress(self, session: Session) -> StudyProgress | None:
        """The learner's progress in this mode for the study page; None for modes that keep none."""
        return None

    def turn(self, ctx: TurnContext) -> TurnResult | None:
        """Handle one learner message (ctx.command says when it is a 'start' or 'end' instead).

        For 'start' and 'end' a mode may return None to let the core answer.
        """
        raise NotImplementedError


class EvalCheck:
    """A measurement a plugin adds to `tutor eval` beside the question suites (e.g. the quiz's reviewed sample).

    Its metrics are reported as the study-tool split `split`; a split ending in
    "-test" is gated like the held-out question splits, as "<split>:<metric>".
    """

    name: ClassVar[str] = ""  # what `tutor eval --skip NAME` names
    split: ClassVar[str] = ""

    def run(self, services) -> dict[str, float]:
        """Measure and return the metrics by name."""
        raise NotImplementedError
