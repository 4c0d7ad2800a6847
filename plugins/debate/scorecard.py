"""Check the learner's factual claims against the sources: supported, contradicted, or not in the sources."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from tutor.models import ScoreEntry
from tutor.question import analyse
from tutor.text import match_form, sentence_spans
from tutor.verify import FRAME_WORDS, STOP_WORDS, check, content_stems, is_factual, negations, numbers, proper_names
from tutor_plugins.debate.facts import date_contradiction, dated_assertions, wrong_year

NUMBER_SWAP_SHARE = 0.6  # with the source's date or figure swapped in, the claim must be this well supported
NAME_SWAP_SHARE = 0.8  # a name swap proves less (many sentences share a few words), so it must match more closely
DETAIL_SHARE = 0.5  # a sentence with every date or number of a clause (and its names) bears it out at this share of its words
COUNT_SCORE = 0.55  # a sentence this close to the claim, on all its names, that gives other counts answers the claim's count
SUBJECT_WORDS = 8  # a pronoun this early is the sentence's subject ("… find Kirov in his offices" names its subject)
MONTHS = frozenset("january february march april may june july august september october november december".split())


def factual_sentences(message: str) -> list[str]:
    """The sentences of a message that assert something checkable (a name or number and some content)."""
    out = []
    for a, b in sentence_spans(message):
        sentence = message[a:b].strip()
        if is_factual(sentence) and (numbers(sentence) or proper_names(sentence)) and len(content_stems(sentence)) >= 3:
            out.append(sentence)
    return out


@lru_cache(maxsize=1)
def _capitalised_words(corpus) -> frozenset[str]:
    """Words the corpus writes capitalised in mid-sentence at least 80% of the time: names, not ordinary words."""
    upper: Counter = Counter()
    lower: Counter = Counter()
    for doc in corpus.documents():
        for match in re.finditer(r"(?<=[a-z,;] )([A-Za-z][a-z’'-]+)", doc.text):
            word = match.group(1)
            (upper if word[0].isupper() else lower)[word.lower()] += 1
    return frozenset(w for w, n in upper.items() if n >= 0.8 * (n + lower[w]))


_PERSON_PRONOUN = re.compile(r"\b(he|she|him|his|her|hers)\b", re.I)
_CLAUSE_BREAK = re.compile(r"\s*(?:,(?!\d{3}\b)|[;:–—?!])\s*|\s+(?:but|and|after|before|because|when|while|so|although|though|since)\s+", re.I)


def clauses(claim: str) -> list[str]:
    """The claim and, after it, its clauses that hold a date, number or name: one wrong detail is checked without the rest."""
    parts = [c.strip() for c in _CLAUSE_BREAK.split(claim) if c and c.strip()]
    return [claim] + [c for c in parts if c != claim and (numbers(c) or proper_names(c)) and len(content_stems(c)) >= 2]


def _persons(*texts: str) -> set[str]:
    """The words of names the question analysis (spaCy) reads as people in any of the texts, lower case."""
    return {match_form(w) for text in texts for e in analyse(text).entities if e.label == "PERSON" for w in e.text.split()}


def _swapped_detail(claim: str, source: str, names: frozenset[str], setting: str = "") -> str | None:
    """The date, number or name of the claim that, replaced by the source's, makes the claim supported.

    A person's name is only swapped for a person's and a place's or body's for another's: "murdered in the
    Kremlin" is not answered by a sentence that names Trotsky, however many words it shares. For a number, the
    claim's names that the sentence leaves to its `setting` (the passage around it) are not asked of the sentence:
    "lost 5 per cent of its population at Brest" is answered by "In the final reckoning, the Soviet Republic lost
    34 per cent of its population", told in a paragraph on the treaty.
    """
    names = names - MONTHS
    persons = _persons(claim, source)
    # A number is only swapped for a number and a name for a name: "in 1930" -> "in Lenin" proves nothing.
    claim = _singular_names(claim, source)
    in_setting = {n for n in proper_names(claim) - proper_names(source) if n in match_form(setting)}
    in_sentence = _without(claim, in_setting)
    pairs = [
        (sorted(numbers(claim) - numbers(source)), sorted(numbers(source) - numbers(claim)), NUMBER_SWAP_SHARE),
        (sorted(n for n in proper_names(claim) - proper_names(source) if n in names), sorted(n for n in proper_names(source) - proper_names(claim) if n in names), NAME_SWAP_SHARE),
    ]
    for ours, theirs, share in pairs:
        if share == NAME_SWAP_SHARE and _PERSON_PRONOUN.search(" ".join(source.split()[:SUBJECT_WORDS])):
            continue  # "he edited Pravda" names its subject elsewhere: swapping a name into it proves nothing
        for old in ours[:3]:
            for new in theirs[:6]:
                if share == NAME_SWAP_SHARE and (old in persons) != (new in persons):
                    continue
                if share == NUMBER_SWAP_SHARE and (_kind(old) != _kind(new) or _in_decade(claim, old, new)):
                    continue
                swapped = _swap(claim, old, new, number=False) if share == NAME_SWAP_SHARE else _swap(in_sentence, old, new, number=True)
                if share == NAME_SWAP_SHARE and negations(source) - negations(swapped):
                    continue  # "did not spread outside Russia" says nothing of where "it had to spread"
                if swapped not in (claim, in_sentence) and check(swapped, source, min_share=share)[0]:
                    return old
    return None


def _swap(claim: str, old: str, new: str, number: bool) -> str:
    """The claim with `old` (a name, or a number in `numbers`' form: "10%", "1000") replaced by `new` wherever it is written.

    Numbers are compared normalised, so "10 per cent" and "1,000" are found by
    their normalised forms and replaced whole.
    """
    if not number:
        return re.sub(rf"\b{re.escape(old)}\b", new.title(), claim, flags=re.IGNORECASE)
    digits = old.rstrip("%")
    written = ",?".join(re.escape(d) for d in digits)
    percent = r"\s*(?:%|per\s?cent\b)" if old.endswith("%") else r"(?!\s*(?:%|per\s?cent\b))"
    return re.sub(rf"(?<![\d.,]){written}(?![\d]|[.,]\d){percent}", new, claim, flags=re.IGNORECASE)


def _without(claim: str, names: set[str]) -> str:
    """The claim with these names (and a preposition just before them) left out."""
    for name in names:
        claim = re.sub(rf"(?:\b(?:at|in|of|from|to|by|on)\s+)?(?:the\s+)?\b{re.escape(name)}\b(?:['’]s)?", " ", claim, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", claim).strip()


def _as_decade(claim: str, number: str) -> bool:
    """Whether the claim writes the number as a decade ("the 1920s")."""
    return number.endswith("0") and re.search(rf"\b{number}s\b", claim) is not None


def _in_decade(claim: str, old: str, new: str) -> bool:
    """Whether the claim's "1920s" is a decade holding the source's year: "in the 1920s" is not contradicted by 1928."""
    return _as_decade(claim, old) and _kind(new) == "year" and 0 <= int(new) - int(old) <= 9


def _kind(number: str) -> str:
    """A share, a year or a count: a number is only swapped for one of its kind ("won 60%" is not "won 1918")."""
    if number.endswith("%"):
        return "share"
    return "year" if re.fullmatch(r"1[89]\d\d|20[0-2]\d", number) else "count"


def _singular_names(claim: str, source: str) -> str:
    """"The Bolsheviks" in the claim read as "Bolshevik" when that is the source's form (names are matched exactly)."""
    theirs = proper_names(source)
    for name in proper_names(claim) - theirs:
        if name.endswith("s") and name[:-1] in theirs:
            claim = re.sub(rf"\b{re.escape(name)}\b", name[:-1].title(), claim, flags=re.IGNORECASE)
    return claim


def details(corpus, claim: str) -> list[str]:
    """The claim's numbers and the names the sources use (so a challenge never echoes anything else the learner typed)."""
    names = _capitalised_words(corpus) - MONTHS
    # A decade is shown as the learner wrote it: "the 1920s" is not the year 1920.
    shown = [f"{n}s" if _as_decade(claim, n) else n for n in sorted(numbers(claim))]
    return shown + sorted(_name_phrases(claim, names))


# A run of capitalised words; a possessive ends it ("Trotsky's Red Army" is two names).
_CAPITALISED_RUN = re.compile(r"[A-ZА-Я][\w-]*(?:['’]s\b|(?:\s+[A-ZА-Я][\w-]*)*(?:['’]s\b)?)")


def _name_phrases(claim: str, names: frozenset[str]) -> set[str]:
    """The claim's names as whole phrases: a run of capitalised words holding a name the sources use is one detail,
    so "the Red Army" is challenged as "Red Army", never as the colour "Red"."""
    phrases = set()
    for run in _CAPITALISED_RUN.finditer(claim):
        held = [re.sub(r"['’]s$", "", w) for w in run.group().split()]
        while held and held[0].lower() in STOP_WORDS | FRAME_WORDS:
            held.pop(0)
        if any(match_form(w) in names for w in held):
            phrases.add(" ".join(w.title() if w.islower() else w for w in held))
    return phrases


def contradiction(corpus, claim: str, source: str, supported: frozenset[str] = frozenset(), setting: str = "") -> str | None:
    """The detail (date, number or name) of the claim, or of one of its clauses, that the source states otherwise.

    Clauses in `supported` (borne out by some source sentence) are not checked, nor is the whole claim when any is.
    `setting` is the passage the source sentence stands in.
    """
    names = _capitalised_words(corpus)
    parts = [p for p in clauses(claim)[1:] if p not in supported]
    if not supported:
        parts.insert(0, claim)
    return next((old for part in parts if (old := _swapped_detail(part, source, names, setting))), None)


def checked_form(claim: str, persona: str | None) -> str:
    """The claim as it is checked: "you" read as the persona, opening filler ("everyone knows") dropped."""
    return _FILLER.sub("", as_said_of(claim, persona))


# Openings that add nothing to the claim but words the source sentence lacks.
_FILLER = re.compile(r"^\s*(?:(?:everyone|everybody) knows|i think|i believe|honestly|obviously|clearly|actually|well|but|and|so|ok(?:ay)?)\b[\s,:]*(?:that\s+)?", re.I)
_YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.I)


def as_said_of(claim: str, persona: str | None) -> str:
    """The claim with "you" replaced by the persona's name, since the learner addresses the persona ("you refused" -> "Trotsky refused")."""
    if not persona:
        return claim
    return _YOU.sub(lambda m: persona + ("’s" if m.group(1).lower().startswith("your") else ""), claim)


def check_claim(tools, claim: str, number: int, persona: str | None = None) -> ScoreEntry:
    """The verdict on one claim, citing the source sentence it rests on ("you" is read as the persona)."""
    dated = [checked_form(part, persona) for part in dated_assertions(claim)]  # split before "you" becomes a name
    entry = _verdict(tools, checked_form(claim, persona), number, dated)
    return entry.model_copy(update={"claim": claim})


def wrong_detail(corpus, claim: str, source: str) -> str | None:
    """The claim's year the source dates otherwise, the detail a swap shows wrong (see `contradiction`), or its count
    or share the source does not give (see `miscounted`); a count as it is usually written ("3,000")."""
    wrong = wrong_year(claim, source) or contradiction(corpus, claim, source) or _count_not_in(claim, source)
    return f"{int(wrong):,}" if wrong and wrong.isdigit() and _kind(wrong) == "count" else wrong


def _count_not_in(claim: str, source: str) -> str | None:
    """The claim's first count or share (not a year) that the source lacks while giving others of its kind."""
    theirs = {_kind(n) for n in numbers(source)}
    return next((n for n in sorted(numbers(claim)) if _kind(n) != "year" and _kind(n) in theirs and n not in numbers(source)), None)


def miscounted(corpus, claim: str, candidate) -> bool:
    """The sentence gives other counts (or shares) than the claim, on everything the claim names, close to its meaning.

    Learners rarely repeat the source's wording around a figure ("only about 3,000 men" against "the 35,000 soldiers
    of the Czech Legion"), so a swapped figure seldom passes the word test; the figure's names and the meaning must.
    One of the claim's names must be in the sentence (the others may be the persona, as "you" is read, or the
    setting the sentence leaves to its passage).
    """
    if candidate.score < COUNT_SCORE or _count_not_in(claim, candidate.text) is None:
        return False
    sentence = match_form(candidate.text)
    return any(n in sentence for n in proper_names(claim) if n in _capitalised_words(corpus) - MONTHS)


def _misdated(tools, claim: str, dated: list[str], number: int) -> ScoreEntry | None:
    """The claim contradicted when a year it states is not the sources' year for the same event (`facts.py`)."""
    known = _capitalised_words(tools.services.corpus) - MONTHS
    fallback = {n for n in proper_names(claim) if n in known}
    for part in dated:
        found = date_contradiction(tools, part, {n for n in proper_names(part) if n in known} or fallback)
        if found is False:
            return None  # the sources give this year for an event with these names
        if found:
            return ScoreEntry(claim=claim, verdict="contradicted", citation=tools.composer.cite(found.candidate, number))
    return None


def _figures_given(corpus, claim: str, candidates) -> set[str]:
    """The claim's numbers that a sentence naming one of its names gives: the learner may mean that sentence's fact
    ("the Bolsheviks polled 24 per cent" is not answered by the Moscow elections' percentages)."""
    names = {n for n in proper_names(claim) if n in _capitalised_words(corpus) - MONTHS}
    return {n for c in candidates if any(name in match_form(c.text) for name in names) for n in numbers(claim) & numbers(c.text)}


def _verdict(tools, claim: str, number: int, dated: list[str] = ()) -> ScoreEntry:
    passages = tools.retrieve(claim, k=5)
    candidates = tools.assess(claim, passages).candidates[:10]
    for candidate in candidates:
        if check(claim, candidate.text, min_share=0.6)[0]:
            return ScoreEntry(claim=claim, verdict="supported", citation=tools.composer.cite(candidate, number))
    if misdated := _misdated(tools, claim, dated, number):
        return misdated
    corpus = tools.services.corpus
    supported = frozenset(p for p in clauses(claim)[1:] if any(check(p, c.text, min_share=NAME_SWAP_SHARE)[0] for c in candidates))
    given = _figures_given(corpus, claim, candidates)
    for candidate in candidates:
        wrong = contradiction(corpus, claim, candidate.text, supported, candidate.passage.text)
        if wrong and wrong not in given:
            return ScoreEntry(claim=claim, verdict="contradicted", citation=tools.composer.cite(candidate, number))
    for candidate in candidates:
        if miscounted(corpus, claim, candidate) and not numbers(claim) & given:
            return ScoreEntry(claim=claim, verdict="contradicted", citation=tools.composer.cite(candidate, number))
    unborne, bearing = details_borne_out(corpus, claim, [c.text for c in candidates])
    if bearing is not None and not unborne:  # some sentence bears out a detail, and none is left unborne
        return ScoreEntry(claim=claim, verdict="supported", citation=tools.composer.cite(candidates[bearing], number))
    return ScoreEntry(claim=claim, verdict="not in the sources", unsupported=unborne)


def challenged(unborne: list[str], limit: int = 3) -> list[str]:
    """The details a challenge names: the unborne dates and numbers when there are any (a name beside them is the
    claim's subject, which the sources do name: "You bring in 1930s and Stalin" reads as doubting Stalin), else the
    names."""
    return ([d for d in unborne if d[:1].isdigit()] or unborne)[:limit]


def details_borne_out(corpus, claim: str, sources: list[str]) -> tuple[list[str], int | None]:
    """The claim's dates, numbers and names that no source bears out, and the source that bears out most of them.

    A source bears a detail out when it has every detail of a clause holding it and half that clause's words with
    them, or, for a clause with names but no date or number, as much of it as a name swap needs (NAME_SWAP_SHARE:
    "Trotsky advanced the policy of socialism in one country" shares half its words with sentences on Trotsky's
    view of it). "Revolution in Europe had failed by 1923" is borne out by "By the end of 1923 it was becoming clear
    that revolutions were unlikely in Europe"; the judgement a claim draws is the learner's to argue, not a fact to
    challenge."""
    wanted = details(corpus, claim)
    borne: dict[int, set[str]] = {}
    for clause in clauses(claim):
        held = [d for d in wanted if match_form(d) in match_form(clause)]
        if not held:
            continue
        share = DETAIL_SHARE if numbers(clause) else NAME_SWAP_SHARE
        for index, source in enumerate(sources):
            if all(match_form(d) in match_form(source) for d in held) and check(clause, source, min_share=share)[0]:
                borne.setdefault(index, set()).update(held)
                break
    given = set().union(*borne.values())
    bearing = max(borne, key=lambda i: (len(borne[i]), -i), default=None)
    return [d for d in wanted if d not in given], bearing

