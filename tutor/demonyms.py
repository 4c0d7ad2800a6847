"""Words for a place's people or things ("Polish", "Muscovites"), read as the place they come from.

The table is ``corpus/demonyms.json`` (its ``_comment`` says what is in it and what is
left out). A question's focus and a sentence are compared by their names, and "the
Soviet–Polish war" shares no name with "the Treaty of Riga … with Poland" until
"Polish" is read as Poland.
"""

from __future__ import annotations

from functools import lru_cache

from tutor.corpus import read_word_map

DEMONYMS_FILE = "demonyms.json"


@lru_cache(maxsize=1)
def load_demonyms() -> dict[str, str]:
    """Each lower-cased word for a place's people or things, mapped to the lower-cased place (read once per process).

    Raises ValueError naming the file when the table is malformed.
    """
    return read_word_map(DEMONYMS_FILE, "places", "Demonym")


def as_places(names: set[str]) -> set[str]:
    """Lower-cased names with each word for a place's people or things replaced by the place."""
    table = load_demonyms()
    return {table.get(name, name) for name in names}
