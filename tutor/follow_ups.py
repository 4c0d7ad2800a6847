"""Suggested next questions: about people, places and events the retrieved passages name and the sources discuss.

A topic is a run of capitalised words ("Kronstadt", "New Economic Policy",
"Treaty of Brest-Litovsk") taken from a gazetteer built once from the two texts:
it must be named at least `MIN_MENTIONS` times, and a single word must be a
name rather than a capitalised sentence opening ("Because", "Despite"): the
texts write it capitalised far more often than not. Being named that often is
what makes the suggestion answerable: the sources have several sentences about
it (a test asks a sample of suggestions and checks they are answered).
A topic is asked about as the texts write it: "the Reds", "the Red Army", but
"Kronstadt", "Lenin", by whether "the" comes before most of its mentions.
The most telling topics are offered: those of the best-ranked passages that
the sources name least often, so a student asking about the Bolsheviks is sent
to the Mensheviks rather than to Russia.
A topic the question already names, in any spelling the variants table knows
or in the singular for the plural, is never suggested, and of a singular and
its plural only the plural is.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from tutor.corpus import Corpus
from tutor.models import Passage
from tutor.variants import load_variants
from tutor.verify import FRAME_WORDS, STOP_WORDS

MIN_MENTIONS = 3
NAME_SHARE = 0.9  # a single word is a name when at least this share of its uses is capitalised
# A name's word may be hyphenated ("Antonov-Ovseenko", "Brest-Litovsk") or accented ("André").
_WORD = r"[A-ZÀ-Þ][a-zß-ÿ’']+(?:-[A-Za-zÀ-ÿ][a-zß-ÿ’']*)*"
# "Moscow and Petrograd" is two topics, "League of Nations" one.
_PHRASE = re.compile(rf"(?<![\w-]){_WORD}(?: (?:of |the )?{_WORD})*")
_POSSESSIVE = re.compile(r"[’']s?$")
# Capitalised adjectives are not topics ("British", "Imperial", "Soviet" alone); "-stan" places are.
# The price: a few one-word places with such endings ("Japan") are not suggested on their own.
_ADJECTIVE = re.compile(r"(?<!st)an$|ish$|ese$|ial$|ic$|ist$|^Soviet$")
# The last word of a phrase: "Great Russian" and "Socialist Realist" name no thing ("Shakhty Trial", "Supreme Soviet" do).
_ADJECTIVE_END = re.compile(r"(?:[iec]|Germ)an$|ish$|ese$|ist$")  # not "Five Year Plan"
_MODIFIES = re.compile(r" [a-z]")  # a word followed by a lower-case word may be its modifier
_NOT_TOPICS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Chapter"}


@lru_cache(maxsize=4)
def gazetteer(corpus: Corpus) -> frozenset[str]:
    """The topics of the sources: capitalised phrases named often enough to ask about."""
    text = "\n".join(doc.text for doc in corpus.documents())
    phrases = Counter(_topic(match.group()) for match in _PHRASE.finditer(text))
    lower = Counter(re.findall(r"\b[a-z][a-z’'-]+\b", text))
    topics = set()
    for phrase, count in phrases.items():
        first = phrase.split()[0]
        if count < MIN_MENTIONS or first.lower() in STOP_WORDS or first.lower() in FRAME_WORDS or phrase in _NOT_TOPICS or len(phrase) < 3:
            continue
        last = phrase.split()[-1]
        if len(last) < 3 or _ADJECTIVE_END.search(last):
            continue  # "Order No" (of "Order No. 1"), "Great Russian", "Socialist Realist": no thing named
        if " " not in phrase and (count < NAME_SHARE * (count + lower[phrase.lower()]) or _ADJECTIVE.search(phrase)):
            continue
        topics.add(phrase)
    # A word named more often inside a longer topic than alone is a fragment of it ("Theses", "Sunday").
    within = Counter(word for phrase in topics if " " in phrase for word in phrase.split() for _ in range(phrases[phrase]))
    return frozenset(t for t in topics if " " in t or within[t] <= phrases[t])


@lru_cache(maxsize=4)
def _takes_the(corpus: Corpus) -> frozenset[str]:
    """The topics the texts mostly write after "the" ("the Reds", "the Provisional Government")."""
    text = "\n".join(doc.text for doc in corpus.documents())
    mentions, after_the = Counter(), Counter()
    for match in _PHRASE.finditer(text):
        topic = _topic(match.group())
        if " " not in topic and not topic.endswith("s") and _MODIFIES.match(text, match.end()):
            continue  # "the Kronstadt sailors": the article is the sailors' (a plural or a phrase seldom modifies)
        mentions[topic] += 1
        # "The Bolsheviks" opening a sentence counts too: _topic dropped its "The".
        opened = match.group().startswith("The ")
        after_the[topic] += opened or text[max(0, match.start() - 4): match.start()].lower() == "the "
    return frozenset(t for t in gazetteer(corpus) if after_the[t] > mentions[t] / 2)


def follow_up_questions(question: str, passages: list[Passage], corpus: Corpus, limit: int = 3) -> list[str]:
    """Up to `limit` questions about topics the passages name that the question does not, the most telling first.

    A topic is worth its passages' ranks (1 for the first, 1/2 for the second, …) times how rarely the sources
    name it (the log of paragraphs over paragraphs naming it): "the Kornilov Affair" in the second passage comes
    before "Russia" in the first, which a student of Russia's revolution has no need to be sent to. Ties keep
    passage order."""
    table = load_variants()
    asked = table.canonical(question).lower()
    known = gazetteer(corpus)
    rarity = _rarity(corpus)
    worth: dict[str, float] = {}  # topic -> its worth, in the order first met
    seen = {_key(word) for word in re.findall(r"[\w’'-]+", asked)}
    keys: dict[str, str] = {}  # a key -> the topic first met with it
    for rank, passage in enumerate(passages):
        for match in _PHRASE.finditer(passage.text):
            topic = _topic(match.group())
            key = _key(table.canonical(topic))
            if topic not in known or key in seen or table.canonical(topic).lower() in asked:
                continue
            if any(part.lower() in asked for part in topic.split() if len(part) > 3 and part[0].isupper()):
                continue  # "Lenin's Testament" when the question is about Lenin
            # Of "Bolshevik" and "Bolsheviks" one stands for both: the plural where the sources use it, since the
            # singular is mostly an adjective ("Bolshevik workers") and "What do … say about Bolshevik?" reads badly.
            name = keys.setdefault(key, f"{topic}s" if f"{topic}s" in known else topic)
            worth[name] = worth.get(name, 0.0) + rarity.get(name, 0.0) / (rank + 1)
    ranked = sorted(worth, key=lambda topic: -worth[topic])  # a stable sort: ties keep passage order
    return _ask(ranked[:limit], corpus)


@lru_cache(maxsize=4)
def _rarity(corpus: Corpus) -> dict[str, float]:
    """Each topic's log(paragraphs / paragraphs naming it), counted over the sources' paragraphs."""
    known = gazetteer(corpus)
    paragraphs = [p for doc in corpus.documents() for p in doc.text.split("\n") if p.strip()]
    naming = Counter(topic for p in paragraphs for topic in {_topic(m.group()) for m in _PHRASE.finditer(p)} & known)
    return {topic: math.log(len(paragraphs) / count) for topic, count in naming.items()}


def _topic(phrase: str) -> str:
    """The name in a capitalised run: a sentence's opening word dropped ("The Bolsheviks"), and the possessive
    ("Russia’s" is a mention of Russia)."""
    first, _, rest = phrase.partition(" ")
    if rest and (first.lower() in STOP_WORDS or first.lower() in FRAME_WORDS):
        phrase = rest
    return _POSSESSIVE.sub("", phrase)


def _key(topic: str) -> str:
    """One key for a topic's singular and plural ("Bolshevik", "Bolsheviks"), so only one of them is offered."""
    return topic.lower().removesuffix("s")


def _ask(topics: list[str], corpus: Corpus) -> list[str]:
    with_the = _takes_the(corpus)
    return [f"What do the sources say about {'the ' if t in with_the else ''}{t}?" for t in topics]
