"""Questions that ask two things of one clause: "When and where was Kirov killed?".

The parser reads such a question as one part with the first wh-word's type, so the place was
never looked for. Each wh-word gets its own question on the shared clause ("When was Kirov
killed?", "Where was Kirov killed?"), which the analysis then reads as two parts.
"""

from __future__ import annotations

import re

_WH = r"(when|where|who|why|how|what year|which year|what date)"
_PAIR = re.compile(rf"^\s*{_WH}\s+and\s+{_WH}\s+(.+)$", re.IGNORECASE)


def wh_pair(core: str) -> list[str]:
    """The two questions of "When and where X?" ("When X?", "Where X?"), or [] for any other question."""
    match = _PAIR.match(core)
    if not match:
        return []
    first, second, rest = match.groups()
    return [f"{first[0].upper()}{first[1:].lower()} {rest}", f"{second[0].upper()}{second[1:].lower()} {rest}"]
