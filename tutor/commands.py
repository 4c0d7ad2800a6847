"""Slash commands typed in chat: /explain, /socratic, /debate stalin, /end, /help (free text stays in the current mode)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMAND = re.compile(r"^/([A-Za-z][\w-]*)\b\s*(.*)$", re.DOTALL)


@dataclass
class Command:
    """A parsed slash command: its name, its first-line arguments and any question after them."""

    name: str
    args: list[str]
    rest: str


def parse(message: str) -> Command | None:
    """The command in a message that starts with '/', or None for free text."""
    match = _COMMAND.match(message.strip())
    if not match:
        return None
    return Command(match.group(1).lower(), match.group(2).split(), match.group(2).strip())


def help_text(modes: dict) -> str:
    """The /help reply: the modes installed and the commands."""
    lines = ["**Commands**", "", "- `/help` — this list", "- `/end` — end the current exercise (a debate gets its judge's summary)"]
    for mode in modes.values():
        usage = getattr(mode, "usage", "") or ""
        lines.append(f"- `/{mode.name}{(' ' + usage) if usage else ''}` — {mode.title}: {mode.description}")
    lines += ["", "Anything else you type is answered in the current mode."]
    return "\n".join(lines)
