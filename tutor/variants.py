"""Spelling variants and aliases: the reviewed table ``corpus/variants.json`` and a small matcher.

Students write "NEP" where the texts say "New Economic Policy", "Czar" for
"Tsar", "Ezhov" for "Yezhov", "7 November 1917" for "25 October 1917". The
table groups the forms that name one thing (its ``_comment`` states the rules
the groups follow); this module finds those forms in a text and

- ``expand`` lists the other forms, for a retriever to add to a query's
  lexical side so that either form finds the other;
- ``canonical`` rewrites each form to its group's preferred (first) form, for
  comparing questions and names;
- ``same`` tells whether two names are forms of one group.

Forms match as whole words or phrases, case-insensitively, with curly quotes
and dashes read as straight ones; where forms overlap the longest wins, so
"New Economic Policy" is one match and "Tsaritsyn" is not "Tsar".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from tutor.corpus import default_corpus_dir

KINDS = frozenset({"spelling", "transliteration", "abbreviation", "former_name", "calendar", "alias"})
VARIANTS_FILE = "variants.json"

# One character for one, so that offsets in the folded text are offsets in the original.
_FOLD = str.maketrans({"‘": "'", "’": "'", "‛": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def form_key(form: str) -> str:
    """The identity of a form: case, quote and dash style and spacing ignored."""
    return " ".join(_fold(form).casefold().split())


def _form_regex(form: str) -> str:
    return r"\s+".join(re.escape(word) for word in _fold(form).split())


def _whole(regex: str) -> str:
    # Lookarounds rather than \b: forms may begin or end with a non-word character ("U.S.S.R.", "VKP(b)").
    return rf"(?<!\w)(?:{regex})(?!\w)"


@dataclass(frozen=True)
class VariantGroup:
    """Forms naming one thing; the first is the preferred form."""

    forms: tuple[str, ...]
    kind: str
    note: str

    @property
    def preferred(self) -> str:
        return self.forms[0]


@dataclass(frozen=True, repr=False)
class VariantTable:
    """The groups of the table, in file order, and the matcher built from them on first use."""

    groups: tuple[VariantGroup, ...]

    def __repr__(self) -> str:
        return f"VariantTable({len(self.groups)} groups)"

    @cached_property
    def _group_of(self) -> dict[str, int]:
        return {form_key(form): index for index, group in enumerate(self.groups) for form in group.forms}

    @cached_property
    def _matcher(self) -> re.Pattern[str]:
        # Longest first: at any position the regex takes the first alternative that matches.
        forms = sorted((form for group in self.groups for form in group.forms), key=lambda f: len(form_key(f)), reverse=True)
        return re.compile(_whole("|".join(_form_regex(form) for form in forms)), re.IGNORECASE)

    @cached_property
    def _form_patterns(self) -> dict[str, re.Pattern[str]]:
        return {form_key(form): re.compile(_whole(_form_regex(form)), re.IGNORECASE) for group in self.groups for form in group.forms}

    def _matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, group index) of each form found, left to right, not overlapping."""
        return [(m.start(), m.end(), self._group_of[form_key(m.group())]) for m in self._matcher.finditer(_fold(text))]

    def _occurs(self, form: str, folded_text: str) -> bool:
        return self._form_patterns[form_key(form)].search(folded_text) is not None

    def groups_in(self, text: str) -> list[VariantGroup]:
        """The groups with a form in ``text``, in table order."""
        return [self.groups[index] for index in sorted({index for _, _, index in self._matches(text)})]

    def expand(self, text: str) -> list[str]:
        """The other forms of every group found in ``text``, in table order, for a query's lexical side.

        Forms already in the text are left out, and so are longer forms that
        only add words to one that is ("Treaty of Brest-Litovsk" when the text
        says "Brest-Litovsk"): they would bring nothing but their extra words.
        """
        folded = _fold(text)
        expansions: list[str] = []
        for group in self.groups_in(text):
            present = [form for form in group.forms if self._occurs(form, folded)]
            # A present form occurs in itself, so this one test drops it and the longer forms around it.
            expansions += [form for form in group.forms if not any(self._occurs(shown, _fold(form)) for shown in present)]
        return expansions

    def in_text(self, form: str, text: str) -> bool:
        """Whether ``form`` occurs in ``text`` as a whole word or phrase."""
        return self._occurs(form, _fold(text))

    def forms_in(self, text: str) -> frozenset[str]:
        """The forms (as ``form_key``) found in a long text, in one pass.

        A form seen only inside a longer form of the table ("Brest-Litovsk" in
        "Treaty of Brest-Litovsk") is not counted: matches do not overlap.
        """
        return frozenset(form_key(m.group()) for m in self._matcher.finditer(_fold(text)))

    def corpus_forms(self, text: str, known: Callable[[str], bool]) -> str:
        """``text`` worded as the sources word it, for retrieval.

        A form the sources never use ("Ezhov", "Czar", "Kerenskii") is replaced by
        the first form of its group they do use (``known`` says which); a date in
        one calendar gets its other-calendar form added, since each source keeps
        its own style. Forms the sources use are left alone: adding their rare
        aliases ("Koba" beside "Stalin") would only pull in the passages that
        happen to use the alias.
        """
        pieces: list[str] = []
        added: list[str] = []
        last = 0
        for start, end, index in self._matches(text):
            group, asked = self.groups[index], text[start:end]
            used = [form for form in group.forms if known(form)]
            if group.kind == "calendar":
                added += [form for form in used if form_key(form) != form_key(asked)]
            elif used and not known(asked):
                pieces += [text[last:start], used[0]]
                last = end
        pieces.append(text[last:])
        return " ".join(["".join(pieces), *dict.fromkeys(added)])

    def canonical(self, text: str) -> str:
        """``text`` with each form found replaced by its group's preferred form."""
        pieces: list[str] = []
        last = 0
        for start, end, index in self._matches(text):
            pieces += [text[last:start], self.groups[index].preferred]
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def same(self, a: str, b: str) -> bool:
        """True when ``a`` and ``b`` are equal or forms of one group (ignoring case, quote style and spacing)."""
        key_a, key_b = form_key(a), form_key(b)
        if key_a == key_b:
            return True
        group_a = self._group_of.get(key_a)
        return group_a is not None and group_a == self._group_of.get(key_b)


def default_variants_path() -> Path:
    """The table shipped in the corpus folder (source checkout or installed wheel)."""
    return default_corpus_dir() / VARIANTS_FILE


def load_variants(path: Path | None = None) -> VariantTable:
    """The variant table at ``path``, or the packaged one (read once per process).

    Raises ValueError naming the file when the table is malformed.
    """
    if path is None:
        return _load_default()
    return _read_table(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> VariantTable:
    return _read_table(default_variants_path())


def _read_table(path: Path) -> VariantTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"Variant table {path} is not valid JSON: {exc}") from exc
    try:
        return VariantTable(groups=_parse_groups(data))
    except ValueError as exc:
        raise ValueError(f"Variant table {path} is malformed: {exc}") from exc


def _parse_groups(data: object) -> tuple[VariantGroup, ...]:
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list) or not data["groups"]:
        raise ValueError('expected an object with a non-empty "groups" list')
    groups: list[VariantGroup] = []
    owner: dict[str, int] = {}
    for number, entry in enumerate(data["groups"], start=1):
        where = f"group {number}"
        if not isinstance(entry, dict) or set(entry) != {"forms", "kind", "note"}:
            raise ValueError(f'{where}: expected exactly the keys "forms", "kind" and "note"')
        forms, kind, note = entry["forms"], entry["kind"], entry["note"]
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            raise ValueError(f"{where}: forms must be a list of non-empty strings")
        where = f"group {number} ({forms[0]!r})" if forms else where
        if kind not in KINDS:
            raise ValueError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        if not isinstance(note, str) or not note.strip():
            raise ValueError(f"{where}: note must be a non-empty string")
        keys = [form_key(f) for f in forms]
        if len(set(keys)) < 2:
            raise ValueError(f"{where}: needs at least two distinct forms")
        if len(set(keys)) < len(keys):
            raise ValueError(f"{where}: lists a form twice")
        for form, key in zip(forms, keys):
            if key in owner:
                raise ValueError(f"{where}: form {form!r} is already in group {owner[key]}")
            owner[key] = number
        groups.append(VariantGroup(forms=tuple(f.strip() for f in forms), kind=kind, note=note.strip()))
    return tuple(groups)
