"""Evidence for a debate claim: a source sentence that supports the persona, and the kind of sentence it is.

A source sentence can sit next to the right words and still argue the other
side. Three traps are filtered out or framed for what they are:

- a sentence reporting an opponent's view ("Trotsky claimed that …", "in
  their view …", "critics argued …", "according to Bukharin …") is never
  offered as the persona's evidence: it states what the other side thought;
- a sentence reporting the persona's own words ("Trotsky wrote …", "as Stalin
  put it") is the persona's *own* writing, framed as such ("As I wrote
  myself …"), never as a neutral historian conceding the point;
- a historian's judgement ("There is no doubt that …", "In this sense …",
  "… was essentially …") is framed as a judgement, an event as an event.

The sentence must also be on the claim's subject (enough words shared with the
claim or its evidence query) and from before the persona's death.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from tutor.text import years_in
from tutor.verify import content_stems

MIN_SHARED = 2  # content words a sentence must share with the claim and its query to count as on its subject
REPORTING_VERBS = (
    "claimed|claims|argued|argues|believed|believes|maintained|insisted|alleged|wrote|writes|said|says|called|calls|described|"
    "thought|warned|accused|denounced|complained|charged|feared|saw|viewed|regarded|considered|declared|proclaimed|suggested|"
    "condemned|attacked|criticized|criticised|dismissed|ridiculed|put it|recalled|remarked|told|urged|demanded|defended himself|"
    "polemicized|polemicised|objected|protested|mocked|branded|denied|blamed|explained|attributed|predicted|dubbed|labelled|labeled|condemned"
)
_GENERIC_OTHER_VIEW = re.compile(
    r"\b(in their (view|eyes|opinion)|in (his|her) (view|eyes|opinion)|(his|their) critics|critics (of [\w ]+ )?(argued|claimed|said|say|charged)"
    r"|opponents (argued|claimed|said)|one view is|a different view|some historians|it was claimed|they claimed|they argued|later they would)\b",
    re.I,
)
_JUDGEMENT = re.compile(
    r"\b(no doubt|it is (difficult|clear|hard|true|easy|important|likely)|in this sense|in (fact|effect|truth|reality)|must not|should not|"
    r"was essentially|were essentially|seems|seemed|arguably|perhaps|the truth is|this (was|is) (why|what|how)|the (real|main|chief) (reason|cause|purpose)|"
    r"one of the (ironies|reasons|causes)|above all|was not just|not just a|the essence of|was rooted in|the origins of|the upshot)\b",
    re.I,
)


class EvidenceKind(StrEnum):
    """What kind of source sentence the evidence is, which decides how the persona frames it."""

    EVENT = "event"
    JUDGEMENT = "judgement"
    OWN = "own"


@dataclass
class Evidence:
    """A source sentence chosen as evidence, with its kind."""

    text: str
    kind: EvidenceKind
    key: str  # source and offsets: the same sentence is never offered twice in a debate


@lru_cache(maxsize=64)
def _reporting(names: tuple[str, ...]) -> re.Pattern:
    """Sentences that report what one of the names said, wrote or thought."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    who = rf"(?:{alternatives})(?:[’']s?)?"
    return re.compile(
        rf"\b(?:according to {who}|as {who} (?:put it|said|wrote|argued|called it)|in {who} (?:view|words|eyes|opinion)"
        rf"|{who}(?:[’']s? (?:supporters|followers|view|argument|claim|position|thesis|line|critique|critics))"
        rf"|{who}\b(?:\W+\w+){{0,6}}?\W+(?:{REPORTING_VERBS})\b)",
        re.I,
    )


def reports_view_of(sentence: str, names: list[str]) -> bool:
    """Whether the sentence reports what one of the named people (or groups) said, wrote or thought."""
    return bool(names) and bool(_reporting(tuple(names)).search(sentence))


def reports_other_view(sentence: str, opponents: list[str]) -> bool:
    """Whether the sentence states the opponents' view, or an unnamed 'their view', rather than a fact or a judgement."""
    return bool(_GENERIC_OTHER_VIEW.search(sentence)) or reports_view_of(sentence, opponents)


def kind_of(sentence: str, self_names: list[str]) -> EvidenceKind:
    """The persona's own words, a historian's judgement, or an event."""
    if reports_view_of(sentence, self_names):
        return EvidenceKind.OWN
    if _JUDGEMENT.search(sentence):
        return EvidenceKind.JUDGEMENT
    return EvidenceKind.EVENT


def acceptable(sentence: str, subject: str, opponents: list[str], cutoff_year: int) -> bool:
    """Whether a sentence may be offered as the persona's evidence on the subject (a claim and its query)."""
    if any(y > cutoff_year for y in years_in(sentence)):
        return False
    if reports_other_view(sentence, opponents):
        return False
    return len(content_stems(sentence) & content_stems(subject)) >= MIN_SHARED
