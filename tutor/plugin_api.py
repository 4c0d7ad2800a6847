"""What a tutoring mode (explainer, Socratic questioner, debate partner, or a third party's) implements and receives.

A mode gets a `TurnContext` and returns a `TurnResult`. The core verifies the
result's answer afterwards, so a mode cannot skip grounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel

from tutor.models import Session, TurnResult

if TYPE_CHECKING:
    from tutor.toolkit import Toolkit


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
    stream: list = field(default_factory=list)  # modes may append text pieces as they are produced
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

    def turn(self, ctx: TurnContext) -> TurnResult | None:
        """Handle one learner message (ctx.command says when it is a 'start' or 'end' instead).

        For 'start' and 'end' a mode may return None to let the core answer.
        """
        raise NotImplementedError
