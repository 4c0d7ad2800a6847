"""A learner's dated claim checked against the sources' date for the same event, however the learner worded it.

Learners rarely repeat the book's sentence: "Lenin died in 1926" has to be
answered by "As Lenin fell ill and then died in 1924 …", and "Zinoviev and
Kamenev were shot after a show trial in 1938" by "The first Moscow Trial took
place in August 1936; Kamenev and Zinoviev were … found guilty in a show
trial, and executed." Swapping the year into the learner's words and asking for
word support (the scorecard's first test) misses both, so a claim's event is
matched on its own:

1. each part of the claim that states a year (its assertions, then their
   comma-separated pieces) is split into the year and the event (the part
   without it);
2. the event is searched for in the sources and their sentences ranked by how
   well they match it (the composer's scoring: meaning and words);
3. a sentence is about the event if it names every name of the part the
   sources know (or says "he" early and its passage named them just before)
   and shares half the event's other words;
4. if a sentence on those names gives the learner's year, the claim stands
   (they may mean that event); otherwise, of the first three dated sentences
   about the event, the one dated nearest the learner's year is the
   correction's citation (a learner who misdates an event is usually near it).

Only named events are checked this way ("the famine in 1932" names nobody and
is left to the word test), since without a name the best sentence may be about
something else that happened in another year. An event told in none of the
source's words ("kicked you out" for "deported") is not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.compose import Candidate
from tutor.text import years_in
from tutor.verify import content_stems

EVENT_CANDIDATES = 6  # the best-matching sentences on the event's names that are looked at
MIN_EVENT_SCORE = 0.35  # a sentence scoring lower against the event is not about it, whatever names it shares
NEAREST_OF = 3  # among this many dated sentences about the event, the one nearest the learner's year is cited
PRONOUN_WORDS = 15  # "In an article in Pravda (…) on 2 March 1930, he accused …": the subject comes after the setting
REFERENT_WINDOW = 300  # characters before a sentence saying "he" in which the person it refers to must be named
_PRONOUN = re.compile(r"\b(he|she|his|her|him)\b", re.I)
# Breaks between assertions ("…, so you can't blame Stalin"); "and" and "after" stay, as they join one event's parts.
_ASSERTION_BREAK = re.compile(r"\s*[;:–—]\s*|,?\s+(?:but|so|because|since|although|though|while|just|which means|that's why|that is why)\s+|,?\s+(?=(?:and |but )(?:you|he|she|they|it|this|that|i)\b)", re.I)
_YEAR = re.compile(r"\b(?:in |by |of |from |since |until )?(?:the )?(?:year )?(1[89]\d\d|20[0-2]\d)s?\b", re.I)


@dataclass
class DateContradiction:
    """The year the learner stated for an event, and the source sentence that dates the event otherwise."""

    wrong: str
    candidate: Candidate


def _names_present(names: set[str], candidate: Candidate) -> bool:
    """Every name is in the sentence, or (when the sentence refers by pronoun) in its passage before it."""
    sentence = candidate.text.lower()
    missing = [n for n in names if not _named(n, sentence)]  # whole words: "Trotsky" is not in "right-Trotskyist"
    if not missing:
        return True
    if not _PRONOUN.search(" ".join(candidate.text.split()[:PRONOUN_WORDS])):
        return False  # only a pronoun early in the sentence (its subject) refers back to a person named before it
    before = candidate.passage.text.lower().split(sentence[:40])[0][-REFERENT_WINDOW:]
    return all(_named(n, before) for n in missing)


def _named(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?![\w-])", text) is not None


def _on_event(wanted: frozenset[str], candidate: Candidate) -> bool:
    """The sentence shares half of what the event says besides its names (at least one word), or it says nothing else."""
    if not wanted:
        return True
    shared = len(wanted & content_stems(candidate.text))
    return shared >= 1 and shared >= len(wanted) / 2


def dated_assertions(claim: str) -> list[str]:
    """The parts of a claim that state a year, widest first: each assertion ("Lenin died in 1926" of "… and you weren't
    there"), then its comma-separated pieces ("in that article about being dizzy in 1932")."""
    parts = [p.strip() for p in _ASSERTION_BREAK.split(claim) if p and p.strip() and years_in(p)]
    pieces = [q.strip() for p in parts for q in re.split(r",(?!\d{3}\b)", p) if years_in(q) and q.strip() != p]
    return list(dict.fromkeys(parts + pieces))


def event_of(clause: str) -> str:
    """The clause with its years (and the preposition before them) left out: the event the year is claimed for."""
    return re.sub(r"\s{2,}", " ", _YEAR.sub(" ", clause)).strip(" ,;")


def wrong_year(claim: str, source: str) -> str | None:
    """The claim's year that a dated source sentence does not give (the detail a date correction names)."""
    theirs = years_in(source)
    return next((str(y) for y in years_in(claim) if theirs and y not in theirs), None)


def date_contradiction(tools, clause: str, names: set[str]) -> DateContradiction | bool | None:
    """The source sentence that dates the clause's event in another year than the clause states.

    `names` are the clause's names that the sources use (lower case); with none
    the clause is not checked. False when a sentence on these names gives the
    clause's year (the learner may mean that event), None when nothing decides.
    """
    stated = years_in(clause)
    if not stated or not names:
        return None
    event = event_of(clause)
    passages = tools.retrieve(event, k=6)
    ranked = sorted(tools.assess(event, passages).candidates, key=lambda c: -c.score)
    wanted = content_stems(event) - content_stems(" ".join(names))
    about = [c for c in ranked if c.score >= MIN_EVENT_SCORE and _names_present(names, c) and _on_event(wanted, c)][:EVENT_CANDIDATES]
    named = [c for c in ranked if c.score >= MIN_EVENT_SCORE and _names_present(names, c)][:EVENT_CANDIDATES]
    if any(set(stated) & set(years_in(c.text)) for c in named):
        return False  # a sentence on these names gives the learner's year: they may mean that event
    dated = [c for c in about if years_in(c.text)][:NEAREST_OF]
    if not dated:
        return None
    # A learner who misdates an event is usually near it; a sentence dated far off is more likely about another event.
    nearest = min(dated, key=lambda c: min(abs(y - s) for y in years_in(c.text) for s in stated))
    return DateContradiction(wrong=str(stated[0]), candidate=nearest)
