"""Titles that name one person in the texts ("the Tsar" is Nicholas II), read as that person's name.

The table is ``corpus/titles.json`` (its ``_comment`` says what is in it and what is left
out). A question's focus and a sentence are compared by their names, and "Where was
Nicholas II when he abdicated?" shares no name with "When the Tsar finally arrived at in
Pskov…" until "Tsar" is read as Nicholas.
"""

from __future__ import annotations

from functools import lru_cache

from tutor.corpus import read_word_map

TITLES_FILE = "titles.json"


@lru_cache(maxsize=1)
def load_titles() -> dict[str, str]:
    """Each lower-cased title mapped to the lower-cased name of the one person it names (read once per process).

    Raises ValueError naming the file when the table is malformed.
    """
    return read_word_map(TITLES_FILE, "holders", "Title")


def as_holders(names: set[str]) -> set[str]:
    """Lower-cased names with each title that names one person replaced by that person's name."""
    table = load_titles()
    return {table.get(name, name) for name in names}
