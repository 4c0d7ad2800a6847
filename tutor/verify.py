"""The grounding verifier: is every factual answer sentence supported by the passage it cites?

A sentence is supported when the cited text contains every number and every
proper name of the sentence, has no negation the sentence lacks (or the
reverse), and contains at least ``MIN_WORD_SHARE`` of its content words
(compared as stems, after normalising case, punctuation, Unicode and
"per cent"/"%"). Embedding similarity can lift a sentence whose word share is a
little short, but never one with a missing number, name or negation.
Sentences that ask a question or only frame the answer make no factual claim.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from tutor.models import GroundingEntry
from tutor.text import match_form, sentence_spans, words
from tutor.timeline.styles import strip_style_glosses

MIN_WORD_SHARE = 0.75
SIMILARITY_LIFT = (0.55, 0.8)  # (lowest word share that similarity may lift, similarity needed)

_MARKER = re.compile(r"\s*\[(\d+)\]")
_TRAILING_MARKERS = re.compile(r"([.!?…]+[’'”\")]*)((?:\s*\[\d+\])+)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
_NEGATIONS = {"not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "without", "cannot"}
STOP_WORDS = set(
    """a an the and or but if then than that this these those there their they them he she his her him it its
    of in on at to for from by with as into onto over under about after before during between against among
    is are was were be been being has have had do does did done will would can could should may might must shall
    which who whom whose what when where why how while also so such very more most much many some any all each
    i you we our your my me us one ones own same other another just only even still yet again ever
    don't doesn't didn't isn't aren't wasn't weren't can't won't
    """.split()
)
# Words the composer and personas use to frame sentences; they carry no fact about the past.
FRAME_WORDS = set(
    """source sources book article passage passages say says said adds add explains explain notes note according
    account accounts here answer question tell tells told put puts way describes describe writes write see also
    next might could ask short more detail further support supports part assumes assume cover covers happened happen involved""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    try:
        import Stemmer

        snowball = Stemmer.Stemmer("english").stemWord
    except ImportError:
        return lambda w: IRREGULAR_PAST.get(w, w)
    return lambda w: snowball(IRREGULAR_PAST.get(w, w))


# Irregular verbs' past forms, read as their base form: a question asks "What did Russia lose?" or "When did the
# war begin?", the sources say "lost" and "began", and Snowball leaves the two apart. Forms that are also other
# words are left out ("left", "saw", "lay", "felt", "ground", "wound", "bore", "spoke"), and so is "led": read as
# "lead" it would match every "leading" and "leads to", and "Who led…?" is the commonest question there is. "found"
# is read as "find": the sources write it only so (all 28 times), and Snowball stems "founded" to "found", so "When
# was the Cheka founded?" was told of by "the Cheka found on his person a photograph".
IRREGULAR_PAST = dict(pair.split(":") for pair in """
    began:begin begun:begin beaten:beat bought:buy broke:break broken:break brought:bring built:build
    caught:catch chose:choose chosen:choose dealt:deal drew:draw drawn:draw drove:drive driven:drive fallen:fall
    fell:fall fled:flee fought:fight found:find forbade:forbid forbidden:forbid froze:freeze frozen:freeze grew:grow grown:grow
    held:hold hid:hide hidden:hide hung:hang kept:keep knew:know known:know lost:lose meant:mean met:meet
    overthrew:overthrow overthrown:overthrow paid:pay ran:run rode:ride rose:rise risen:rise sank:sink sunk:sink
    sent:send shot:shoot sold:sell sought:seek spent:spend stole:steal stolen:steal stood:stand
    struck:strike swore:swear sworn:swear taught:teach thrown:throw threw:throw undertook:undertake
    undertaken:undertake understood:understand withdrew:withdraw withdrawn:withdraw won:win wrote:write written:write
""".split())


def stem(word: str) -> str:
    """A word's English stem (Snowball, an irregular verb's past form read as its base), as the verifier and the lexical
    index compare words."""
    return _stemmer()(word)


@lru_cache(maxsize=32768)  # source sentences recur in turn after turn
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry content (not stop, frame or negation words, not numbers)."""
    stem = _stemmer()
    return frozenset({stem(w) for w in words(text) if w not in STOP_WORDS and w not in FRAME_WORDS and w not in _NEGATIONS and not w[0].isdigit()})


def numbers(text: str) -> set[str]:
    """Numbers and dates in a normalised form (thousands separators dropped)."""
    return {n.rstrip(".,") for n in _NUMBER.findall(match_form(text))}


def proper_names(text: str) -> set[str]:
    """Capitalised words, lower-cased, possessives dropped (a sentence's first word counts unless it is a stop word)."""
    names = {re.sub(r"['’]s$", "", t) for t in re.findall(r"[A-ZА-Я][\w’'-]+", text)}
    return {match_form(n).strip("'") for n in names if n.lower() not in STOP_WORDS and n.lower() not in FRAME_WORDS}


def negations(text: str) -> Counter:
    """How often each negation word occurs, with n't counted as 'not'."""
    found = Counter(w for w in words(text) if w in _NEGATIONS)
    found["not"] += len(re.findall(r"n['’]t\b", text))
    return +found


def strip_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without its [n] markers, and the numbers it cites."""
    cited = [int(n) for n in _MARKER.findall(sentence)]
    return _MARKER.sub("", sentence).strip(), cited


def is_factual(sentence: str) -> bool:
    """Whether a sentence makes a claim that needs support (questions and pure framing do not)."""
    bare = sentence.strip().strip("*_ ")
    if bare.endswith("?") or bare.endswith("?*"):
        return False
    return bool(content_stems(bare) or numbers(bare) or proper_names(bare))


def check(sentence: str, support: str, similarity: float | None = None, min_share: float = MIN_WORD_SHARE) -> tuple[bool, float, list[str]]:
    """(supported, word share, problems) for one sentence against the text it cites."""
    problems = []
    support_form = match_form(support)
    support_numbers = numbers(support)
    missing_numbers = [n for n in numbers(sentence) if n not in support_numbers]
    if missing_numbers:
        problems.append("numbers not in the source: " + ", ".join(missing_numbers))
    support_words = set(words(support))
    missing_names = [n for n in proper_names(sentence) if n not in support_words and n not in support_form]
    if missing_names:
        problems.append("names not in the source: " + ", ".join(missing_names))
    if negations(sentence) - negations(support):
        problems.append("negation not in the source")
    stems = content_stems(sentence)
    support_stems = content_stems(support)
    share = len(stems & support_stems) / len(stems) if stems else 1.0
    if share < min_share:
        lifted = similarity is not None and share >= SIMILARITY_LIFT[0] and similarity >= SIMILARITY_LIFT[1]
        if not lifted:
            problems.append(f"only {share:.0%} of its words are in the source")
    return not problems, round(share, 3), problems


def verify(answer: str, supports: dict[int, str]) -> tuple[list[GroundingEntry], list[int]]:
    """Grade every sentence of an answer against the texts its markers cite.

    `supports` maps citation numbers to the text each stands for. Returns the
    grounding entries and the marker numbers that point to no text.
    """
    entries: list[GroundingEntry] = []
    bad: list[int] = []
    # "… 1922. [1]" and "… 1922 [1]." both cite for the sentence before the marker.
    answer = _TRAILING_MARKERS.sub(r"\2\1", answer)
    for line in answer.splitlines():
        for a, b in sentence_spans(line):
            raw = line[a:b]
            text, cited = strip_markers(raw)
            claim = strip_style_glosses(text)  # "(7 November New Style)" is the core's gloss, checked there
            bad += [n for n in cited if n not in supports and n not in bad]
            if not is_factual(text):
                entries.append(GroundingEntry(text=text, supported=True, citation=None, score=1.0, factual=False))
                continue
            valid = [n for n in cited if n in supports]
            if not valid:
                problems = ["no citation"] if not cited else [f"cites [{n}], which is not a passage" for n in cited]
                entries.append(GroundingEntry(text=text, supported=False, citation=cited[0] if cited else None, problems=problems))
                continue
            verdicts = [(check(claim, supports[n]), n) for n in valid]
            joint = check(claim, " ".join(supports[n] for n in valid)) if len(valid) > 1 else None
            (ok, share, problems), number = max(verdicts, key=lambda v: (v[0][0], v[0][1]))
            if not ok and joint and joint[0]:
                ok, share, problems = joint
            entries.append(GroundingEntry(text=text, supported=ok, citation=number, score=share, problems=problems))
    return entries, bad
