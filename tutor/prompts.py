"""Prompt templates live as files in prompts/; this loads and fills them, and refuses to leave a variable unfilled."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from tutor.resources import resource_dir


class PromptError(KeyError):
    """A template is missing or a variable it needs was not given."""


@lru_cache(maxsize=64)
def _read(folder: Path, name: str) -> str:
    path = folder / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"No prompt template {path}") from exc


def render(template: str, /, prompt_dir: Path | None = None, **values: str) -> str:
    """Fill the template `prompts/TEMPLATE.md` ($variable placeholders); raises PromptError when one is missing."""
    text = string.Template(_read(prompt_dir or resource_dir("prompts"), template))
    try:
        return text.substitute(values)
    except KeyError as exc:
        raise PromptError(f"Prompt '{template}' needs the variable {exc.args[0]!r}") from exc
