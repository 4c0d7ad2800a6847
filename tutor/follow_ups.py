"""Suggested next questions: about people, places and events the retrieved passages name and the sources discuss.

A topic is a run of capitalised words ("Kronstadt", "New Economic Policy",
"Treaty of Brest-Litovsk") taken from a gazetteer built once from the two texts:
it must be named at least `MIN_MENTIONS` times, and a single word must be a
name rather than a capitalised sentence opening ("Because", "Despite"): the
texts write it capitalised far more often than not. Being named that often is
what makes the suggestion answerable: the sources have several sentences about
it (a test asks a sample of suggestions and checks they are answered).
A topic the question already names, in any spelling the variants table knows,
is never suggested.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from tutor.corpus import Corpus
from tutor.models import Passage
from tutor.variants import load_variants
from tutor.verify import FRAME_WORDS, STOP_WORDS

MIN_MENTIONS = 3
NAME_SHARE = 0.9  # a single word is a name when at least this share of its uses is capitalised
_PHRASE = re.compile(r"\b[A-Z][a-z’'-]+(?: (?:of |the |and )?[A-Z][a-z’'-]+)*")
_POSSESSIVE = re.compile(r"[’']s?$")
# Capitalised adjectives are not topics ("British", "Imperial", "Soviet" alone); "-stan" places are.
# The price: a few one-word places with such endings ("Japan") are not suggested on their own.
_ADJECTIVE = re.compile(r"(?<!st)an$|ish$|ese$|ial$|ic$|ist$|^Soviet$")
_NOT_TOPICS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Chapter"}


@lru_cache(maxsize=4)
def gazetteer(corpus: Corpus) -> frozenset[str]:
    """The topics of the sources: capitalised phrases named often enough to ask about."""
    text = "\n".join(doc.text for doc in corpus.documents())
    phrases = Counter(_POSSESSIVE.sub("", match.group()) for match in _PHRASE.finditer(text))
    lower = Counter(re.findall(r"\b[a-z][a-z’'-]+\b", text))
    topics = set()
    for phrase, count in phrases.items():
        first = phrase.split()[0]
        if count < MIN_MENTIONS or first.lower() in STOP_WORDS or first.lower() in FRAME_WORDS or first in _NOT_TOPICS:
            continue
        if " " not in phrase and (count < NAME_SHARE * (count + lower[phrase.lower()]) or _ADJECTIVE.search(phrase)):
            continue
        topics.add(phrase)
    return frozenset(topics)


def follow_up_questions(question: str, passages: list[Passage], corpus: Corpus, limit: int = 3) -> list[str]:
    """Up to `limit` questions about topics the passages name, in passage order, that the question does not."""
    table = load_variants()
    asked = table.canonical(question).lower()
    known = gazetteer(corpus)
    chosen: list[str] = []
    for passage in passages:
        for match in _PHRASE.finditer(passage.text):
            topic = _POSSESSIVE.sub("", match.group())  # "Russia’s" is a mention of Russia
            if topic not in known or topic in chosen or table.canonical(topic).lower() in asked:
                continue
            if any(part.lower() in asked for part in topic.split() if len(part) > 3 and part[0].isupper()):
                continue  # "Lenin's Testament" when the question is about Lenin
            chosen.append(topic)
            if len(chosen) == limit:
                return [_ask(t) for t in chosen]
    return [_ask(t) for t in chosen]


def _ask(topic: str) -> str:
    return f"What do the sources say about {topic}?"
