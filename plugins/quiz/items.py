"""Quiz items generated from source sentences: cloze, multiple choice and true/false, never invented.

A sentence qualifies when it stands alone (8 to 45 words, not opening with a
pronoun that leans on the sentence before, not a question, not inside a
quotation) and spaCy's recogniser finds in it a name, a date, a number or a
place that occurs there exactly once. That span is the keyed answer, so a key
is always what the source says.

- **Cloze**: the sentence with the span blanked; any type.
- **Multiple choice**: the same blank with three distractors of the key's type
  taken from the same chapter or section of the same source (other people
  named there, other places, other years of the period), never named in the
  sentence, never another form of the key (the variants table decides), and
  checked by `also_true` not to be a true answer too; a place must be in
  the hand-written table `places.json`, of the key's kind (city, country,
  region), and neither inside the key nor containing it (Kiev and Ukraine);
  a person named with the key in three or more sentences of the sources is
  not offered (Lenin and Trotsky shared too many deeds and views); a
  comparison ("differed from", "unlike") gets no distractors;
  a year after "by",
  "since", "from", "until", "before" or "after", and a sentence reporting a
  claim ("argued", "alleged", "speculate"), get no distractors, since another
  value may be true as well. Full dates (day and
  month) and numbers are asked as cloze only: the texts give too few of them
  per chapter for distractors of the same kind.
- **True/false**: the sentence itself (true) or the sentence with the key
  replaced by the first distractor that passes the same check (false), one or
  the other chosen by a stable hash of the sentence.

Every choice is deterministic (ordered by stable hashes, not by a random
generator), so the reviewed sample in `evals/quiz/sample.jsonl` can be
regenerated exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from tutor.compose import Candidate, candidates
from tutor.corpus import Corpus
from tutor.models import Citation, Passage
from tutor.question import parse
from tutor.text import sentence_spans
from tutor.variants import load_variants
from tutor.verify import content_stems

MIN_WORDS, MAX_WORDS = 8, 45
CHOICES = 4  # the key and three distractors
PEOPLE_TOGETHER = 3  # a person named with the key in this many sentences is not offered as the wrong person
ALSO_TRUE_SHARE = 0.5  # a corpus sentence naming the distractor and this share of the item's other content words states it too
_DANGLING = re.compile(r"^(He|She|It|They|This|These|That|Those|His|Her|Their|Its|Such|Both|The latter|The former)\b")
_YEAR = re.compile(r"(?<!\d)1[89]\d\d(?!\d)")
_DECADE = re.compile(r"^(?:the )?1[89]\d0s$")
_PURE_YEAR = re.compile(r"^(?:1[89]\d\d)$")
_DIGIT = re.compile(r"\d")
_LABELS = {"PERSON": "person", "GPE": "place", "LOC": "place", "DATE": "date", "CARDINAL": "number", "PERCENT": "number", "QUANTITY": "number", "MONEY": "number"}
# spaCy's small model calls some non-people PERSON; these words in a span mean it is not a person's name.
_NOT_PERSON = re.compile(r"\b(Party|Army|Soviet|Duma|Congress|Committee|Revolution|War|Plan|Church|Empire|Union|Guard|Front|Council|Republic|Sovnarkom|Politburo|Comintern|Bolsheviks?|Mensheviks?|Whites?|Reds?|NEP|Cheka|Tsar|Tsarina)\b")
_LEADING = re.compile(r"^(?:(?:the|in|on|by|about|some|around|over|almost|nearly|only|just|roughly|more than|less than|fewer than|at least|up to)\s+)+", re.I)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_FORM = re.compile(rf"(?:\d{{1,2}} )?(?:{_MONTHS} )?1[89]\d\d|{_MONTHS} \d{{1,2}}, 1[89]\d\d|1[89]\d0s")
# Directions are not places one could be wrong about ("the West").
_NOT_PLACES = {"West", "East", "North", "South", "Arctic"}
_DATE_START = re.compile(r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
# The country of the story contains most places the texts name ("the worst-affected areas were in the USSR" is true too).
# "by 1919", "since 1917": a later (or earlier) year makes the sentence true as well.
_OPEN_RANGE = re.compile(r"\b(?:by|since|from|until|till|before|after|up to)\s+(?:the\s+(?:end|spring|summer|autumn|winter|start|beginning|middle)\s+of\s+)?$", re.I)
_REPORTED = re.compile(r"\b(?:argued?|claim(?:ed|s)?|alleged|accused|rumou?red|speculated?|suspected|believed|differ(?:ed|s)?|unlike|compared|similar)\b", re.I)
_WHOLE_COUNTRY = {"Russia", "USSR", "Soviet Union", "Russian Empire", "the Soviet Union", "Soviet Russia"}
_ADJECTIVE = re.compile(r"(?:ian|ish|ese|ans)$")
_NOT_PLACE = re.compile(r"(?:ian|ish|ese|an|s)$|\b(?:Party|Army|Tsar|Manifesto|Bolshevik|Soviet|Duma)\b")
NAME_SHARE = 0.9  # each word of a name or place must be capitalised in at least this share of its uses in the corpus
_QUOTE_MARKS = "‘’“”\"'"


class ItemKind(StrEnum):
    """How an item is asked."""

    CLOZE = "cloze"
    CHOICE = "choice"
    TRUE_FALSE = "true_false"


class AnswerType(StrEnum):
    """The type of the blanked span."""

    PERSON = "person"
    DATE = "date"
    NUMBER = "number"
    PLACE = "place"


class QuizItem(BaseModel):
    """One question with its keyed answer and the source sentence it comes from."""

    id: str = Field(description="Stable id: a hash of the kind, the source, the sentence's offsets and the key.")
    kind: ItemKind
    answer_type: AnswerType
    prompt: str = Field(description="The sentence with a blank (cloze, choice) or the statement to judge (true/false).")
    answer: str = Field(description="The keyed answer: the blanked span as the source writes it, or 'true'/'false'.")
    key: str = Field(description="The span of the source sentence the item is about (the blank, or the span a false statement changes).")
    options: list[str] = Field(default_factory=list, description="Multiple choice: the key and the distractors, in display order.")
    distractors: list[str] = Field(default_factory=list, description="The wrong options (choice) or the substituted value (a false statement).")
    sentence: str = Field(description="The source sentence (cleaned text).")
    topic: str = Field(description="The chapter or section the sentence is in: the unit of scheduling and mastery.")
    citation: Citation = Field(description="The sentence as a citation (number 1): exact original quote and offsets.")


class Blank(BaseModel):
    """A span of a sentence that can be asked about."""

    text: str
    start: int
    end: int
    answer_type: AnswerType


def stable_hash(*parts: str) -> int:
    """A hash that is the same in every process (Python's own is salted)."""
    return int(hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12], 16)


def topic_of(location: str) -> str:
    """The chapter or section part of a passage location ('Chapter 5: …, ¶12' → 'Chapter 5: …')."""
    return location.rsplit(", ¶", 1)[0]


def standalone(text: str) -> bool:
    """Whether a sentence can be read without the one before it."""
    words = text.split()
    return (
        MIN_WORDS <= len(words) <= MAX_WORDS
        and not _DANGLING.match(text)
        and not text.rstrip(_QUOTE_MARKS + ")").endswith(("?", ":"))
        and text[0].isupper()
        and text.count("‘") + text.count("“") + text.count('"') == 0
    )


def _entity_type(text: str, label: str) -> AnswerType | None:
    kind = _LABELS.get(label)
    if kind == "date":
        # Only spans that pin a time down: a year, a decade, a month with a year.
        return AnswerType.DATE if _YEAR.search(text) and len(text.split()) <= 4 else None
    if kind == "number":
        return AnswerType.NUMBER if _DIGIT.search(text) and not _YEAR.fullmatch(text) else None
    if kind == "person":
        return AnswerType.PERSON if text[:1].isupper() and not _NOT_PERSON.search(text) and not _ADJECTIVE.search(text) and not _DIGIT.search(text) else None
    if kind == "place":
        # Not adjectives or peoples ("Ukrainian", "Russians"), not plurals ("Bolsheviks"): spaCy's small model calls them places.
        return AnswerType.PLACE if text[:1].isupper() and not _NOT_PLACE.search(text) and text not in _NOT_PLACES else None
    return None


@lru_cache(maxsize=8192)
def blanks(sentence: str) -> tuple[Blank, ...]:
    """The spans of a sentence that can be blanked: names, dates, numbers and places that occur in it once."""
    doc = parse(sentence)
    found = []
    for ent in doc.ents:
        text = _LEADING.sub("", ent.text).strip(" ,.;’'")
        kind = _entity_type(text, ent.label_)
        if kind == AnswerType.DATE:
            # "the summer of 1891" → "1891": the season or "end of" stays in the sentence as a clue.
            text = text[_DATE_START.search(text).start() :]
            if not _DATE_FORM.fullmatch(text):
                continue
        if kind is None or not text or len(re.findall(rf"(?<!\w){re.escape(text)}(?!\w)", sentence)) != 1:
            continue
        start = sentence.index(text, ent.start_char)
        found.append(Blank(text=text, start=start, end=start + len(text), answer_type=kind))
    return tuple(found)


class Places:
    """The reviewed table of places (`places.json`): kind and what each lies in."""

    def __init__(self, data: dict):
        self._entries: dict[str, tuple[str, str, frozenset[str], str]] = {}  # form → (name, kind, containers, group)
        for name, entry in data["places"].items():
            for form in [name, *entry.get("aliases", [])]:
                self._entries[form.lower()] = (name, entry["kind"], frozenset(entry["in"]), entry.get("group", ""))

    def comparable(self, key: str, other: str) -> bool:
        """Whether `other` can be a wrong answer for `key`: both listed, of one kind, neither inside the other, not of one group."""
        a, b = self._entries.get(key.lower()), self._entries.get(other.lower())
        if a is None or b is None or a[0] == b[0] or a[1] != b[1] or (a[3] and a[3] == b[3]):
            return False
        return a[0] not in b[2] and b[0] not in a[2]


@lru_cache(maxsize=1)
def load_places() -> Places:
    """The places table shipped with the plugin."""
    return Places(json.loads((Path(__file__).parent / "places.json").read_text(encoding="utf-8")))


class Inventory:
    """What distractors are drawn from and checked against: the corpus's sentences and each section's spans by type."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.variants = load_variants()
        self.places = load_places()

    @property
    def sentences(self) -> list[str]:
        return self._sentences()

    @lru_cache(maxsize=1)
    def _sentences(self) -> list[str]:
        out = []
        for doc in self.corpus.documents():
            for paragraph in doc.paragraphs:
                text = doc.text[paragraph.clean_start : paragraph.clean_end]
                out += [text[a:b].strip() for a, b in sentence_spans(text)]
        return out

    @lru_cache(maxsize=64)
    def _section_votes(self, source: str, section: int) -> dict[str, dict[AnswerType, int]]:
        """How often each span of a chapter (book) or section (article) is recognised as each type."""
        doc = self.corpus.document(source)
        votes: dict[str, dict[AnswerType, int]] = {}
        for paragraph in doc.paragraphs:
            if paragraph.section != section:
                continue
            text = doc.text[paragraph.clean_start : paragraph.clean_end]
            for a, b in sentence_spans(text):
                sentence = text[a:b].strip()
                for blank in self.blanks(sentence):
                    counts = votes.setdefault(blank.text, {})
                    counts[blank.answer_type] = counts.get(blank.answer_type, 0) + 1
                for year in _YEAR.findall(sentence):
                    votes.setdefault(year, {}).setdefault(AnswerType.DATE, 0)
                    votes[year][AnswerType.DATE] += 1
        return votes

    def type_in_section(self, source: str, section: int, span: str, fallback: AnswerType) -> AnswerType:
        """The type a span is given most often in its chapter or section (spaCy's small model wavers: "Galicia" a person once, a place twice)."""
        counts = self._section_votes(source, section).get(span)
        return max(counts, key=lambda kind: (counts[kind], kind == fallback)) if counts else fallback

    @lru_cache(maxsize=64)
    def section_spans(self, source: str, section: int) -> dict[AnswerType, tuple[str, ...]]:
        """Spans of each type named in a chapter or section, most frequent first.

        A name or place must be recognised as that type at least twice there and
        never as the other (spaCy's small model calls "Bukharin" a place now and
        then): one stray label makes no distractor.
        """
        out: dict[AnswerType, list[tuple[int, str]]] = {kind: [] for kind in AnswerType}
        for span, counts in self._section_votes(source, section).items():
            kind = max(counts, key=lambda k: counts[k])
            names = {AnswerType.PERSON, AnswerType.PLACE}
            if kind in names and (counts[kind] < 2 or any(counts.get(other) for other in names - {kind})):
                continue  # seen once, or seen as a person and a place: too unsure to offer as either
            out[kind].append((-counts[kind], span))
        return {kind: tuple(span for _, span in sorted(spans)) for kind, spans in out.items()}

    @lru_cache(maxsize=4096)
    def written_as(self, span: str, kind: AnswerType) -> bool:
        """Whether the corpus writes a span the way names of that type are written.

        A place follows "in", "into", "across", "towards" or "near" somewhere
        ("in Moscow"); a person never follows those nor "the" ("the
        Volga"). spaCy's small model calls "Bukharin" a place and "Volga" a
        person now and then; the texts' own usage settles it.
        """
        before = {m.group(1).lower() for doc in self.corpus.documents() for m in re.finditer(rf"(\w+)\s+{re.escape(span)}(?![\w’'])", doc.text)}
        places = before & {"in", "across", "towards", "near", "into"}
        if kind == AnswerType.PLACE:
            return bool(places)
        return not places and "the" not in before

    def usable(self, blank: Blank) -> bool:
        """Whether a span can be asked about: a name or place must be written as a name wherever its words occur.

        spaCy's small model calls "Bill" (the Naval General Staff Bill) a person
        and "Tsar" a place; the texts write "bill" and "tsar" in lower case too,
        which no name is.
        """
        if blank.answer_type not in (AnswerType.PERSON, AnswerType.PLACE):
            return True
        upper, lower = self._word_cases()
        for word in re.findall(r"[A-Za-z]+", blank.text):
            total = upper.get(word.lower(), 0) + lower.get(word.lower(), 0)
            if not total or upper.get(word.lower(), 0) < NAME_SHARE * total:
                return False
        return True

    @lru_cache(maxsize=1)
    def _word_cases(self) -> tuple[dict[str, int], dict[str, int]]:
        upper: dict[str, int] = {}
        lower: dict[str, int] = {}
        for doc in self.corpus.documents():
            for word in re.findall(r"(?<![\w’'-])[A-Za-z]+", doc.text):
                counts = upper if word[0].isupper() else lower
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
        return upper, lower

    def blanks(self, sentence: str) -> list[Blank]:
        """The usable blanks of a sentence."""
        return [b for b in blanks(sentence) if self.usable(b)]

    def also_true(self, sentence: str, key: str, distractor: str) -> bool:
        """Whether some corpus sentence names the distractor and most of what the item's sentence says around the key.

        Then the sentence with the distractor in the key's place may be true as
        well (the famine of 1921 and the famine of 1932 both killed millions),
        so the distractor is not used.
        """
        around = content_stems(sentence) - content_stems(key)
        if not around:
            return True
        pattern = re.compile(rf"(?<!\w){re.escape(distractor)}(?!\w)")
        for other in self.naming(distractor):
            if pattern.search(other) and len(around & content_stems(other)) >= ALSO_TRUE_SHARE * len(around):
                return True
        return False

    def together(self, a: str, b: str) -> int:
        """How many corpus sentences name both."""
        pattern_a, pattern_b = (re.compile(rf"(?<!\w){re.escape(x)}(?!\w)") for x in (a, b))
        return sum(1 for sentence in self.naming(f"{a} {b}") if pattern_a.search(sentence) and pattern_b.search(sentence))

    def naming(self, phrase: str) -> list[str]:
        """The corpus sentences holding every word of a phrase (a superset of those naming it)."""
        found: set[int] | None = None
        for word in re.findall(r"\w+", phrase.lower()):
            hits = self._word_index().get(word, set())
            found = hits if found is None else found & hits
        return [self.sentences[i] for i in sorted(found or ())]

    @lru_cache(maxsize=1)
    def _word_index(self) -> dict[str, set[int]]:
        index: dict[str, set[int]] = {}
        for i, sentence in enumerate(self.sentences):
            for word in set(re.findall(r"\w+", sentence.lower())):
                index.setdefault(word, set()).add(i)
        return index


def same_thing(variants, a: str, b: str) -> bool:
    """Forms of one name ('Lenin' and 'Vladimir Lenin', 'Petrograd' and 'St Petersburg')."""
    if variants.same(a, b):
        return True
    wa, wb = a.lower().split(), b.lower().split()
    return bool(wa and wb) and (wa[-1] == wb[-1] or set(wa) <= set(wb) or set(wb) <= set(wa))


def distractors(inventory: Inventory, blank: Blank, sentence: str, source: str, section: int, want: int = CHOICES - 1) -> list[str]:
    """Up to `want` wrong answers of the key's type from the same chapter or section, each checked not to be true too."""
    if _REPORTED.search(sentence) or blank.text in _WHOLE_COUNTRY:
        # A claim or comparison with its agent or date changed may still hold; and with Russia
        # swapped for another country the sentence leaves what the sources can settle.
        return []  # with the agent or date of a claim changed, the claim may still have been made by someone
    if blank.answer_type == AnswerType.DATE:
        if not _PURE_YEAR.match(blank.text) or _OPEN_RANGE.search(sentence[: blank.start]):
            return []
        key_year = int(blank.text)
        years = [y for y in inventory.section_spans(source, section)[AnswerType.DATE] if _PURE_YEAR.match(y) and y not in sentence]
        # Other years of the period: the nearest ones the section names, at least two years away so the choice is not a quibble.
        pool = sorted((y for y in years if abs(int(y) - key_year) >= 2), key=lambda y: (abs(int(y) - key_year), y))
    elif blank.answer_type in (AnswerType.PERSON, AnswerType.PLACE):
        words = len(blank.text.split())
        spans = inventory.section_spans(source, section)[blank.answer_type]
        pool = [
            s
            for s in spans
            if (len(s.split()) > 1) == (words > 1) and s.lower() not in sentence.lower() and s not in _WHOLE_COUNTRY and inventory.written_as(s, blank.answer_type)
        ]
        pool = sorted(pool, key=lambda s: stable_hash(blank.text, s))  # a stable shuffle: not always the chapter's most named
    else:
        return []
    out: list[str] = []
    for candidate in pool:
        if len(out) == want:
            break
        if same_thing(inventory.variants, candidate, blank.text) or any(same_thing(inventory.variants, candidate, o) for o in out):
            continue
        if inventory.also_true(sentence, blank.text, candidate):
            continue
        if blank.answer_type == AnswerType.PLACE and not inventory.places.comparable(blank.text, candidate):
            continue
        if blank.answer_type == AnswerType.PERSON and inventory.together(blank.text, candidate) >= PEOPLE_TOGETHER:
            continue  # allies and rivals named together often shared the deed or the view (Lenin and Trotsky on terror)
        out.append(candidate)
    return out


def _blanked(sentence: str, blank: Blank) -> str:
    return f"{sentence[: blank.start]}____{sentence[blank.end :]}"


def cite(corpus: Corpus, candidate: Candidate) -> Citation:
    """The sentence as citation number 1, quoted exactly as the original has it."""
    passage = candidate.passage
    quote = corpus.document(passage.source).original[candidate.start : candidate.end]
    return Citation(number=1, source=passage.source, title=passage.title, location=passage.location, chunk_id=passage.chunk_id, quote=quote, start=candidate.start, end=candidate.end)


def items_for(candidate: Candidate, inventory: Inventory) -> list[QuizItem]:
    """Every item one source sentence gives: a cloze per blank, and a choice and a true/false item where distractors pass."""
    text = candidate.text
    if not standalone(text):
        return []
    passage = candidate.passage
    citation = cite(inventory.corpus, candidate)
    topic = topic_of(passage.location)
    out = []
    for blank in inventory.blanks(text):
        blank = blank.model_copy(update={"answer_type": inventory.type_in_section(passage.source, passage.section, blank.text, blank.answer_type)})
        base = dict(answer_type=blank.answer_type, key=blank.text, sentence=text, topic=topic, citation=citation)

        def make_id(kind: ItemKind) -> str:
            return f"{stable_hash(kind, passage.source, str(candidate.start), str(candidate.end), blank.text):012x}"

        out.append(QuizItem(id=make_id(ItemKind.CLOZE), kind=ItemKind.CLOZE, prompt=_blanked(text, blank), answer=blank.text, **base))
        wrong = distractors(inventory, blank, text, passage.source, passage.section)
        if len(wrong) == CHOICES - 1:
            options = sorted([blank.text, *wrong], key=lambda o: stable_hash(text, o))
            out.append(
                QuizItem(id=make_id(ItemKind.CHOICE), kind=ItemKind.CHOICE, prompt=_blanked(text, blank), answer=blank.text, options=options, distractors=wrong, **base)
            )
        if wrong:
            truthful = stable_hash(text, blank.text) % 2 == 0
            statement = text if truthful else f"{text[: blank.start]}{wrong[0]}{text[blank.end :]}"
            out.append(
                QuizItem(
                    id=make_id(ItemKind.TRUE_FALSE),
                    kind=ItemKind.TRUE_FALSE,
                    prompt=statement,
                    answer="true" if truthful else "false",
                    distractors=[] if truthful else [wrong[0]],
                    **base,
                )
            )
    return out


class ItemFactory:
    """Generates items from passages; one per toolkit (it keeps the corpus inventory)."""

    def __init__(self, corpus: Corpus):
        self.inventory = Inventory(corpus)
        self.corpus = corpus

    def from_passages(self, passages: list[Passage]) -> list[QuizItem]:
        """Items from every qualifying sentence of the passages, in passage and sentence order (a sentence in two overlapping chunks once)."""
        out: dict[str, QuizItem] = {}
        for candidate in candidates(self.corpus, passages):
            for item in items_for(candidate, self.inventory):
                out.setdefault(item.id, item)
        return list(out.values())
