"""Students' words for what the sources say otherwise: the reviewed table ``corpus/paraphrases.json``.

A student asks "When did the tsar step down?"; the book says "abdicate". The
variants table (``tutor/variants.py``) joins names of one thing; this one joins
a student's phrase for an act with the sources' words for it (and the odd name
a student spells as the texts spell something else: "Cadets" for the "Kadets",
who are not the officer cadets), so that

- ``reword`` puts the sources' word in the question where it is analysed, so
  the retriever, the sentence scores and the lead's topic test all see it
  ("When did the tsar abdicate?");
- ``same_stems`` folds the sources' other words for the act into the first
  ("assassination" counts as "murder"), for comparing a question's words with
  a sentence's.

A group may name context words: it applies only to a question holding one of
them ("step down" is an abdication only when a tsar, a throne or a crown is
named). Phrases match as whole words, case-insensitively, the longest first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from tutor.corpus import default_corpus_dir
from tutor.verify import stem

PARAPHRASES_FILE = "paraphrases.json"


@dataclass(frozen=True)
class Paraphrase:
    """Students' phrases for one act and the sources' words for it (the first is the one questions are reworded with)."""

    student: tuple[str, ...]
    source: tuple[str, ...]
    context: tuple[str, ...]
    note: str

    def applies(self, text: str) -> bool:
        """Whether the text names one of the group's context words (always, when it has none)."""
        return not self.context or any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) for word in self.context)


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


@dataclass(frozen=True, repr=False)
class ParaphraseTable:
    """The groups of the table and the matcher built from them on first use."""

    groups: tuple[Paraphrase, ...]

    def __repr__(self) -> str:
        return f"ParaphraseTable({len(self.groups)} groups)"

    @cached_property
    def _group_of(self) -> dict[str, int]:
        return {" ".join(p.lower().split()): i for i, g in enumerate(self.groups) for p in g.student}

    @cached_property
    def _matcher(self) -> re.Pattern[str]:
        phrases = sorted(self._group_of, key=len, reverse=True)
        return re.compile(rf"(?<!\w)(?:{'|'.join(_phrase_regex(p) for p in phrases)})(?!\w)", re.IGNORECASE)

    @cached_property
    def _stem_of(self) -> dict[str, set[str]]:
        """Each stem of a group's source words, mapped to the stems of the first words of every group it is in
        ("killed" is a murder and a death; "dissolution" an assembly's and the Union's)."""
        out: dict[str, set[str]] = {}
        for group in self.groups:
            # A phrase is known by its first word: "seizure of power" by "seizure", "expelled from" by "expelled".
            first = stem(group.source[0].split()[0].lower())
            for phrase in group.source:
                out.setdefault(stem(phrase.split()[0].lower()), set()).add(first)
        return out

    def reword(self, text: str) -> str:
        """``text`` with each student phrase whose group applies replaced by the sources' first word for it."""
        texts = text.replace("’", "'")

        def replace(match: re.Match) -> str:
            group = self.groups[self._group_of[" ".join(match.group().lower().split())]]
            return group.source[0] if group.applies(texts) else match.group()

        return self._matcher.sub(replace, text)

    def same_stems(self, stems: set[str] | frozenset[str]) -> set[str]:
        """The stems with each source word's stem joined by the first word of each group it is in ("assassin" brings "murder")."""
        table = self._stem_of
        return set(stems).union(*(table[s] for s in stems if s in table))


def default_paraphrases_path() -> Path:
    """The table shipped in the corpus folder."""
    return default_corpus_dir() / PARAPHRASES_FILE


def load_paraphrases(path: Path | None = None) -> ParaphraseTable:
    """The paraphrase table at ``path``, or the packaged one (read once per process).

    Raises ValueError naming the file when the table is malformed.
    """
    return _read(Path(path)) if path is not None else _default()


@lru_cache(maxsize=1)
def _default() -> ParaphraseTable:
    return _read(default_paraphrases_path())


def _read(path: Path) -> ParaphraseTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["groups"]
        groups = tuple(
            Paraphrase(tuple(e["student"]), tuple(e["source"]), tuple(e.get("context", ())), e["note"]) for e in entries
        )
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"Paraphrase table {path} is malformed: {exc!r}") from exc
    for group in groups:
        if not group.source or not all(isinstance(w, str) and w.strip() for w in (*group.student, *group.source, *group.context)):
            raise ValueError(f"Paraphrase table {path} is malformed: group {group.note[:40]!r} needs source words, and no empty phrase")
    return ParaphraseTable(groups)


def reword(text: str) -> str:
    """``text`` in the sources' words, by the packaged table."""
    return load_paraphrases().reword(text)
