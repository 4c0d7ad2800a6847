"""What a question asks happened (its act: "died", "abdicate", "stormed"), so a lead is about that act.

"How many people died in the famine of 1932–33?" is not answered by a sentence
giving the famine area's population, though it names the famine and has a
figure: the asked act is dying. The act is the question's main verbs (not
auxiliaries, not the verbs that only say what kind of answer is wanted), read in
the sources' words (``tutor/paraphrases.py``: "step down" is "abdicate") and
compared by stem, the sources' other words for the act counting alike
("death" for "died", "assassinated" for "murdered").
"""

from __future__ import annotations

import re
from functools import lru_cache

from tutor.paraphrases import load_paraphrases
from tutor.question import QuestionPart, counted_head, parse
from tutor.verify import content_stems, stem

# Verbs that frame a question rather than name what happened in it.
_FRAME_VERBS = ("be", "have", "do", "happen", "occur", "take", "place", "call", "name", "mean", "know", "say", "give", "tell", "explain",
                "describe", "become", "get", "make")


@lru_cache(maxsize=2048)
def _act_stems(core: str) -> frozenset[str]:
    doc = parse(core)
    words = [t for t in doc if not t.is_punct]
    # The small parser often tags a bare verb after "did" as a noun ("When did the Tsar abdicate?", "…did the Cadets
    # win?"): a lower-case root, or a lower-case last word after "did/does/do", is read as the verb, unless a
    # preposition's ("What did Russia lose in the Brest-Litovsk treaty?").
    after_do = any(t.lower_ in ("did", "does", "do") for t in words[:3])
    verbs = [
        t
        for t in words
        # A verb of an adverbial clause sets the scene, not the act ("How many strokes did Lenin have before he died?").
        if (t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass", "advcl"))
        or (t.pos_ == "NOUN" and t.is_lower and (t.dep_ == "ROOT" or (after_do and t is words[-1] and t.dep_ != "pobj" and not _possessed(t))))
    ]
    # Both the word and its lemma: sentences are compared by stems of word forms ("led", "won"), not lemmas.
    stems = {stem(form.lower()) for t in verbs if stem(t.lemma_.lower()) not in _frame_stems() for form in (t.text, t.lemma_)}
    return frozenset(load_paraphrases().same_stems(stems))


def _possessed(noun) -> bool:
    """Whether a noun has a possessive: "his land reform" is no verb ("the October Manifesto grant" may be one)."""
    return any(c.dep_ == "poss" for c in noun.children)


def act_stems(part: QuestionPart) -> frozenset[str]:
    """The stems of what the question asks happened (empty when it names no act)."""
    return _act_stems(part.core)


@lru_cache(maxsize=1)
def _frame_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in _FRAME_VERBS)


def as_acts(stems: set[str] | frozenset[str]) -> set[str]:
    """A sentence's stems with the sources' words for one act joined ("assassin" brings "murder") and a noun's stem
    in -s joined by its verb's in -d ("invas" brings "invad": an invasion is invading). Only a sentence's stems get
    the verbs: added to a question's, they would count as words a sentence must have."""
    return load_paraphrases().same_stems(set(stems) | {f"{s[:-1]}d" for s in stems if len(s) >= 5 and s.endswith("s")})


def _tells(sentence: str, stems: frozenset[str]) -> bool:
    """Whether the sentence has one of the stems, in its own words or the sources' other words for them (always, for none)."""
    return not stems or bool(stems & as_acts(content_stems(sentence)))


def does_act(sentence: str, part: QuestionPart) -> bool:
    """Whether the sentence tells of the asked act (always, when the question names none), not only of a plan or an
    attempt to do it."""
    stems = act_stems(part)
    return _tells(sentence, stems) and not (" to " in sentence and _only_intended(sentence, stems))


# Nouns of a plan or an attempt, whose to-clause says what was meant to happen; "the failure of NATO to respond to
# the Soviet invasion" tells of the invasion.
_PLANS = frozenset({"plan", "attempt", "plot", "coup", "bid", "effort", "scheme", "proposal", "conspiracy", "intention", "decision",
                    "order", "call", "demand", "threat", "promise", "pledge", "aim", "goal", "campaign", "move", "idea", "readiness"})


@lru_cache(maxsize=4096)
def _only_intended(sentence: str, stems: frozenset[str]) -> bool:
    """Whether every word of the act is inside a to-clause that says what a plan or an attempt was for ("a possible
    coup to force the abdication of the Tsar", "an attempt to seize power"): a plan's date is not the act's. A
    to-clause of a verb ("was forced to abdicate") tells of the act itself."""
    acts = [t for t in parse(sentence) if as_acts({stem(t.lower_)}) & stems]

    def intended(token) -> bool:
        return any(
            a.pos_ == "VERB" and a.dep_ in ("acl", "relcl") and a.head.lemma_ in _PLANS and any(c.dep_ == "aux" and c.lower_ == "to" for c in a.children)
            for a in (token, *token.ancestors)
        )

    return bool(acts) and all(intended(t) for t in acts)


@lru_cache(maxsize=2048)
def _scene_stems(core: str) -> frozenset[str]:
    doc = parse(core)
    for token in doc:
        # "Where was Stalin when he had his stroke?": the when-clause, not the question's own "When…". A while-clause
        # sets a period the sources name in other words ("while Lenin was ill": "during Lenin's absence").
        if token.lower_ == "when" and token.i > 0 and token.head.dep_ in ("advcl", "relcl"):
            words = {stem(t.lower_) for t in token.head.subtree if t.pos_ in ("NOUN", "VERB", "ADJ") and stem(t.lemma_.lower()) not in _frame_stems()}
            return frozenset(load_paraphrases().same_stems(words))
    return frozenset()


def in_scene(sentence: str, part: QuestionPart) -> bool:
    """Whether the sentence tells of the scene a when-clause sets ("…when he had his stroke": a stroke), so that
    "where was Stalin" is not answered by where Lenin was in another scene (always, for a question without one)."""
    return _tells(sentence, _scene_stems(part.core))


HOW_MANY = re.compile(r"\bhow many\b", re.IGNORECASE)
_GENERIC_COUNTS = frozenset({"people", "persons", "times", "years", "days"})


def counted_noun(core: str) -> str | None:
    """The noun a "how many" question counts, past its modifiers ("How many Warsaw Pact troops…" counts troops);
    None when the question counts nothing or counts something generic ("people", "times")."""
    nouns = counted_nouns(core)
    return nouns[0] if nouns else None


@lru_cache(maxsize=2048)
def counted_nouns(core: str) -> tuple[str, ...]:
    """The nouns a "how many" question counts: the counted noun first, then those joined to it ("How many planes and
    tanks…" counts both) and the noun it may only modify ("How many 'kulak' households…", parsed as counting kulaks);
    empty when it counts nothing or something generic."""
    if not HOW_MANY.search(core):
        return ()  # no parse for the many questions that count nothing
    head = counted_head(parse(core))
    if head is None or head.lower_ in _GENERIC_COUNTS:
        return ()
    modified = [head.head] if head.dep_ in ("compound", "nmod", "amod", "poss") and head.head.pos_ == "NOUN" else []
    # "How many manor houses…" is answered by "3,000 manors": the compound's first noun names the thing too.
    modifying = [t for t in head.children if t.dep_ == "compound" and t.pos_ == "NOUN"]
    return (head.lower_, *(t.lower_ for t in [*head.conjuncts, *modified, *modifying] if t.lower_ not in _GENERIC_COUNTS))


def counts_asked(sentence: str, part: QuestionPart) -> bool:
    """For "how many X", whether the sentence mentions X (always, for any other question or a generic X)."""
    return _mentions(sentence, counted_noun(part.core))


def _mentions(sentence: str, noun: str | None) -> bool:
    """Whether the sentence has the noun, in its words or the sources' other words for it (always, for None)."""
    return noun is None or stem(noun) in load_paraphrases().same_stems(content_stems(sentence))


_SHARE_NOUNS = frozenset({"%", "percent", "percentage", "proportion", "share", "fraction"})


@lru_cache(maxsize=2048)
def share_whole(core: str) -> str | None:
    """For "What % of the vote…?" or "What share of the population…?", the noun the share is of ("vote"); None when
    the question asks no share of a named whole (or of people in general)."""
    doc = parse(core)
    for token in doc:
        if token.lower_ in _SHARE_NOUNS and token.i > 0 and doc[token.i - 1].lower_ in ("what", "which"):
            of = next((t for t in doc[token.i + 1: token.i + 2] if t.lower_ == "of"), None)
            whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            # A people's name ("Ukrainians") may be told by its country's ("Ukraine voted"); "people" is too generic.
            return whole.lower_ if whole is not None and whole.pos_ == "NOUN" and whole.lower_ not in _GENERIC_COUNTS else None
    return None


def shares_asked(sentence: str, part: QuestionPart) -> bool:
    """For "What % of the vote…?", whether the sentence mentions the vote (always, for any other question)."""
    return _mentions(sentence, share_whole(part.core))
