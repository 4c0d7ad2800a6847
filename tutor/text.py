"""Small text helpers shared by cleaning, chunking, verification and evals."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "−": "-"})

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {"i.e", "e.g", "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "capt", "prof", "rev", "vol", "no", "pp", "eg", "ie", "etc", "cf", "vs", "approx", "c"}
# A bracket opening on a figure goes on the sentence before: "The poem ‘Kill Him!’ (1942) by Konstantin Simonov…".
_SENTENCE_END = re.compile(r"[.!?…]+[’'”\")\]]*(?=\s+(?:[\"“‘'\[]?[A-Z0-9А-Я]|\([A-ZА-Я]))")
_YEAR = re.compile(r"\b(1[89]\d\d|20[0-2]\d)\b")
_WORD = re.compile(r"[\w’']+", re.UNICODE)


def fold(text: str) -> str:
    """NFKC-normalise and collapse runs of whitespace: the form eval quotes are matched in."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=32768)  # the same source sentences are compared in turn after turn
def match_form(text: str) -> str:
    """Case-, quote-, dash- and space-insensitive form for keyword and support checks."""
    text = fold(text).lower().translate(_QUOTES)
    text = re.sub(r"\bper\s?cent\b", "%", text)
    text = re.sub(r"\s+%", "%", text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    # The book spells -ization, the article -isation: compare them as one word.
    return re.sub(r"(?<=\w)is(ation|e|ed|es|ing)\b", r"iz\1", text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes folded."""
    return [w.strip("'") for w in _WORD.findall(match_form(text)) if w.strip("'")]


def years_in(text: str) -> list[int]:
    """Distinct years from 1800 to 2029 mentioned in the text, sorted."""
    return sorted({int(y) for y in _YEAR.findall(text)})


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a paragraph (blank-line breaks always end a sentence)."""
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+", text):
        start = block.start()
        for match in _SENTENCE_END.finditer(block.group()):
            end = block.start() + match.end()
            before = text[start:end].rstrip(".!?…’'”\")]").split()
            last = before[-1].lower().strip("(") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            spans.append((start, end))
            start = end
            while start < block.end() and text[start].isspace():
                start += 1
        if start < block.end():
            spans.append((start, block.end()))
    return [(a, b) for a, b in spans if text[a:b].strip()]
