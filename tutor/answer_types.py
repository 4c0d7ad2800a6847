"""Does a source sentence hold the kind of answer a question asks for (a date, a number, a person, a place)?

The composer leads with a sentence of the asked type ("When did Nicholas II
abdicate?" leads with the sentence that has the date), and when no good
sentence has it, says the sources don't give it instead of quoting something
nearby as if it answered. Types without a surface form (definition, cause,
comparison) always match: any relevant sentence can carry them. "What happened
to X?" of a named person asks X's fate, which a sentence tells by a word of
death, arrest, exile or dismissal; one that only names X does not tell it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tutor.acts import HOW_MANY, act_stems, as_acts, counted_nouns, counts_asked, does_act, shares_asked
from tutor.demonyms import as_places, load_demonyms
from tutor.paraphrases import load_paraphrases
from tutor.question import PERSON_NOUNS, REGNAL_NUMBERS, AnswerType, QuestionAnalysis, blank_frame, parse
from tutor.text import match_form
from tutor.titles import as_holders
from tutor.variants import load_variants
from tutor.verify import content_stems, proper_names, stem

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = re.compile(r"\b1[89]\d\d(?:s)?\b|\b20[0-3]\d\b")
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:–\d{{1,2}})? {_MONTH}\b|\b{_MONTH} \d{{1,2}}\b")
# A month that names an event ("the October insurrection", "the April Theses") dates nothing: it does not answer
# "When was the October Revolution?".
_MONTH_WORD = re.compile(rf"\b{_MONTH}\b(?!\s+(?:[Rr]evolutions?|Manifesto|[Ii]nsurrection|[Uu]prising|[Rr]ising|Days|days|Theses|[Cc]oup|[Cc]risis|Plenum|[Dd]ecrees?)\b)")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBER_WORDS = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|hundred|hundreds|"
    r"thousand|thousands|million|millions|billion|dozen|half|quarter|per cent|percent|once|twice|"
    rf"{'|'.join(_ORDINALS[1:])})"  # "his third stroke" answers "how many strokes" ("the first" is no figure)
)
_NUMBER = re.compile(rf"\b\d[\d,.]*\b(?!\s*(?:{_MONTH}))|%|\b{_NUMBER_WORDS}\b", re.IGNORECASE)
_ASKS_SHARE = re.compile(r"\b(?:what|which)\s+(?:%|(?:per ?cent|percentage|proportion|share|fraction)\b)", re.IGNORECASE)
_SHARE_FIGURE = re.compile(
    r"\d\s*(?:per cent|percent|%)|\bhalf\b|\b(?:a|one|two|three|four|five|seven|nine)[ -](?:thirds?|quarters?|fifths?|tenths?)\b|"
    r"\bone in (?:two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)
_EXACT_DAY = re.compile(r"\b(exact|precise|which|what) (day|date)\b|\bon what day\b|\bwhat date\b", re.IGNORECASE)

# What the answer says is missing, by type.
DETAIL = {
    AnswerType.DATE: "the date asked for",
    AnswerType.NUMBER: "the figure asked for",
    AnswerType.PERSON: "the name asked for",
    AnswerType.PLACE: "the place asked for",
    AnswerType.NAME: "the name asked for",
}
FATE = "the fate asked about"


_SHARE_AFTER = re.compile(r"\s*(?:per cent|percent|%|quarters?|thirds?|fifths?|tenths?)\b", re.IGNORECASE)
_SHARE_WORDS = {"half", "quarter", "per cent", "percent", "%"}
# The second year of a range ("the famine of 1932–33") is a year, not a figure.
_YEAR_END = re.compile(r"\b1[89]\d\d\s*[–-]\s*\d{1,2}$")


def _non_year_number(sentence: str, count: bool = False, ordinals: bool = True) -> bool:
    """Whether the sentence has a figure that is not a year; with `count`, one that counts rather than gives a
    share ("40 per cent of its infantry and three quarters of its armour" does not say how many tanks); without
    `ordinals`, one that is not an ordinal ("a third world war" says nothing of how many troops)."""
    for match in _NUMBER.finditer(sentence):
        token = match.group()
        if _YEAR.fullmatch(token.rstrip(".,")) or _YEAR_END.search(sentence, 0, match.end()):
            continue
        if count and (token.lower() in _SHARE_WORDS or _SHARE_AFTER.match(sentence, match.end())):
            continue
        if not ordinals and token.lower() in _ORDINALS:
            continue
        return True
    return False


_HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)
_DURATION = re.compile(rf"(?:\b\d[\d,.]*|\b{_NUMBER_WORDS}|\b(?:a|several|many|few))(?:\s+|-)(?:years|months|weeks|days|hours|decades|year|month|week|day|decade)\b(?![ -][Pp]lan)", re.IGNORECASE)
_SPAN_END = re.compile(r"\b(?:until|till|up to)\s+(?:\w+\s+){0,2}1[89]\d\d\b|\b1[89]\d\d\s*(?:–|-|to)\s*(?:1[89])?\d\d\b")


_COUNTING = frozenset({"nummod", "compound", "quantmod", "amod"})


@lru_cache(maxsize=20_000)
def _figure_counts(sentence: str, nouns: tuple[str, ...], ordinals: bool = True) -> bool:
    """For "how many medals", whether a figure of the sentence counts medals or stands alone ("the toll was 20
    million"), not only other things ("the two nations winning more than half the medals"); always, for no noun.
    Without `ordinals`, an ordinal is no figure ("…reduced from that of the first" counts no tonnes of steel)."""
    if not nouns:
        return True
    wanted = {stem(noun) for noun in nouns}
    for token in parse(sentence):
        ordinal = token.lower_ in _ORDINALS
        if not (token.like_num or ordinal) or (ordinal and not ordinals) or _YEAR.fullmatch(token.text):
            continue
        head = token
        while head.dep_ in _COUNTING and head.head.i != head.i and (head.head.like_num or head.head.pos_ in ("NOUN", "PROPN")):
            head = head.head
        if head.i == token.i or head.like_num or wanted & load_paraphrases().same_stems({stem(head.lower_)}):
            return True
    return False


_ASKS_NAME_WORD = re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?(?:name|nickname|title)\b|\bname of\b", re.IGNORECASE)


def asks_name(analysis: QuestionAnalysis) -> bool:
    """Whether a question asks for a name by the word or a naming verb ("What name did Lenin want for the USSR?",
    "What did Stolypin call his land reform?")."""
    return analysis.answer_type == AnswerType.NAME and (analysis.naming or bool(_ASKS_NAME_WORD.search(analysis.core)))


def gives_name(sentence: str) -> bool:
    """Whether a sentence gives something a name ("…called for the country to be renamed the ‘Union of…’"), not
    merely has the word ("…forced to invoke Lenin’s name")."""
    return bool(_GIVES_NAME.search(sentence))


def wants_day(question: str) -> bool:
    """Whether a date question asks for the day, not just the year."""
    return bool(_EXACT_DAY.search(question))


def has_type(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether the sentence can answer a question of this analysis's type."""
    if isinstance(analysis, QuestionAnalysis) and analysis.blank and completes_blank(sentence, analysis.text):
        return True  # the sentence fills the blank, whatever its context suggested ("The Five Year Plan in ____!")
    kind = analysis.answer_type
    if kind == AnswerType.DATE:
        if wants_day(analysis.text):
            return bool(_DAY_MONTH.search(sentence))
        # "that October" dates nothing by itself: it takes its year from an earlier sentence (see `dates_back`).
        return bool(_YEAR.search(sentence) or _MONTH_WORD.search(_MONTH_BACK.sub("", sentence)))
    if kind == AnswerType.NUMBER:
        if _ASKS_SHARE.search(analysis.core):
            # "What % of the vote…?" is answered by a share of the vote: not "Second, …", nor three quarters of the posts.
            return bool(_SHARE_FIGURE.search(sentence)) and shares_asked(sentence, analysis)
        if not HOW_MANY.search(analysis.core):
            if _HOW_LONG.search(analysis.core):
                # A length of time or the span's end ("lasted until 1923"), not any figure ("the Five Year Plans").
                return bool(_DURATION.search(sentence) or _SPAN_END.search(sentence))
            return _non_year_number(sentence)
        # An ordinal answers "how many strokes" only in a sentence that names strokes ("his third stroke").
        ordinals = counts_asked(sentence, analysis)
        counted = _non_year_number(sentence, count=True, ordinals=ordinals)
        return counted and _figure_counts(sentence, counted_nouns(analysis.core), ordinals)
    if kind == AnswerType.PERSON:
        if who_is(analysis):
            return True  # "Who was Pavlik Morozov?" asks what he was: the name is already given
        # Compared in the variants table's form: "Kerensky" is the "Kerenskii" the question names, no answer to it.
        asked = _question_names(_as_asked(analysis))
        patients = _patients(sentence, act_stems(analysis)) if _asks_agent(analysis.core) else frozenset()
        return any(not (_names(person, load_variants()) & asked) and not set(person.split()) <= patients for person in people(sentence))
    if kind == AnswerType.PLACE:
        # The question's own places, and words made from them ("Belorussian"), do not answer "Where in Belarus…?".
        asked = _question_names(_as_asked(analysis))
        places = _places(sentence) - _CALENDAR_WORDS
        if (analysis.kind or "") not in _COUNTRY_KINDS:
            # "…was in use in Russia" places nothing the sources' setting does not: no answer to where someone was,
            # nor to which town (but to "which country" it may be).
            places -= _SETTING_PLACES
        if _ASKS_WHERE.match(analysis.core):
            places &= _located(sentence)
        if act_stems(analysis) and does_act(sentence, analysis):
            # A sentence that tells of the asked act answers with the place the act went to or from: "exiled to
            # Kazakhstan and later deported from the country" does not say where Trotsky was deported to.
            places &= _placed_by(sentence, act_stems(analysis))
        return any(not any(place.startswith(name) for name in asked) for place in places)
    if kind == AnswerType.NAME:
        new_names = bool(proper_names(sentence) - proper_names(_as_asked(analysis)))
        if analysis.naming:
            # "What did Stolypin call his land reform?" is answered by a sentence that gives a name: "Stolypin called
            # it a ‘wager on the strong’", not any sentence with a name in it.
            return gives_name(sentence) and (new_names or bool(_QUOTED.search(sentence)))
        return new_names
    if asks_fate(analysis):
        return bool(_FATE.search(sentence))
    return True


@lru_cache(maxsize=4096)
def completes_blank(sentence: str, question: str) -> bool:
    """Whether the sentence has the words either side of the question's blank with one to four words between them
    (at least two words of the frame must be given, so that a bare "in ____" is not matched anywhere)."""
    frame = blank_frame(match_form(question))
    if frame is None or len(frame[0]) + len(frame[1]) < 2:
        return False
    gap = r"[^\W_]+(?:['-][^\W_]+)*(?:\W+[^\W_]+(?:['-][^\W_]+)*){0,3}?"
    pattern = r"\W+".join([*map(re.escape, frame[0]), gap, *map(re.escape, frame[1])])
    return bool(re.search(rf"(?<![^\W_]){pattern}(?![^\W_])", match_form(sentence)))


def _as_asked(analysis: QuestionAnalysis) -> str:
    """The core, with the student's own wording beside it when an act was reworded: "…before he was thrown out of the
    USSR" becomes "…before he was deported", and the Soviet Union, named only in the student's words, still does not
    answer where he was exiled."""
    own = analysis.own_words if isinstance(analysis, QuestionAnalysis) else None  # a later part has no wording of its own
    return f"{analysis.core} {own}" if own else analysis.core


# "What happened to General Samsonov after Tannenberg?" asks a person's fate: a sentence that only names him does not tell it.
_WHAT_BECAME = re.compile(r"^(?:what (?:happened|became) (?:to|of)|how did .+ (?:die|end up)\b)", re.IGNORECASE)
_FATE = re.compile(
    r"\b(?:die[ds]?|death|dying|killed|shot|execut\w*|murder\w*|assassinat\w*|suicide|arrest\w*|imprison\w*|prison|jail\w*|"
    r"exile[ds]?|deport\w*|banish\w*|sent to|dismiss\w*|demot\w*|removed|expell\w*|fled|emigrat\w*|captured|kidnap\w*|"
    r"abduct\w*|tried|trial|sentenced|purged|disappeared|vanished|retired|buried|victims?|perished|hanged|poisoned|"
    r"released|escaped|surrendered|resign\w*|ousted|overthrown|stroke|heart attack)\b",
    re.IGNORECASE,
)


def tells_fate_of(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether the sentence's own verb tells the focus's fate, with the focus as its subject: "Stolypin was
    assassinated by … Bogrov" tells it, "And so when Stolypin died his reforms died with him" tells of the reforms."""
    names = proper_names(analysis.focus or "")
    for token in parse(sentence):
        main = token.dep_ == "ROOT" or (token.dep_ == "conj" and token.head.dep_ == "ROOT")
        if main and _FATE.fullmatch(token.text):
            subjects = [t for c in token.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
            if names & proper_names(" ".join(t.text for t in subjects)):
                return True
    return False


_NOT_FATES = {"GPE", "LOC", "NORP", "ORG", "FAC", "EVENT"}  # "What happened to Russia in 1917?" asks of no one's fate


def asks_fate(analysis: QuestionAnalysis) -> bool:
    """Whether the question asks what became of a person it names ("What happened to Kolchak in the end?")."""
    if analysis.answer_type in DETAIL or not analysis.focus or not _WHAT_BECAME.match(analysis.core):
        return False
    # A named focus without an article is a person ("Gapon", "Marshal Zhukov"): the small parser tags too few Russian
    # names as people, and "the statue of 'Iron Felix'" or "the Central Committee" are no one's fate.
    if not proper_names(analysis.focus) or re.match(r"(?:the|a|an)\b", analysis.focus, re.IGNORECASE):
        return False
    return not any(name in analysis.focus for name in _non_persons(analysis.core))


@lru_cache(maxsize=512)
def _non_persons(core: str) -> tuple[str, ...]:
    """The question's places, groups and organisations (parsed once per question: has_type asks for every sentence)."""
    return tuple(ent.text for ent in parse(core).ents if ent.label_ in _NOT_FATES)


_MONTH_NAMES = frozenset(m.lower() for m in re.findall(r"[A-Z][a-z]+", _MONTH))


@lru_cache(maxsize=512)
def _question_names(core: str) -> frozenset[str]:
    """The question's names in the variants table's form (read once per question, not once per sentence)."""
    return frozenset(_names(core, load_variants()))


# Offices written with a capital ("the General Secretary", "Chairman of the Council") are no places.
_OFFICES = frozenset({"general", "secretary", "chairman", "president", "premier", "minister", "commissar", "commander",
                      "marshal", "admiral", "colonel", "prince", "princess", "count", "countess", "duke", "duchess", "emperor",
                      "empress", "tsar", "tsarina", "father", "comrade", "grand"})


def _places(sentence: str) -> set[str]:
    """The names of a sentence that may be a place: not a person's, not a month's, not an office, not a sentence's
    opening word capitalised only for opening it ("Using his powers…"), in the variants table's canonical form
    ("met in Belorussia" does not answer "Where in Belarus…?")."""
    table = load_variants()
    persons = {name for person in people(sentence) for name in proper_names(person)}
    found = _names(sentence, table) - persons - _MONTH_NAMES - _OFFICES
    if not _opens_with_name(sentence):
        found -= _names(" ".join(sentence.split()[:1]), table)
    return found


_GIVES_NAME = re.compile(r"\b(?:call(?:ed|ing|s)?|(?:re)?named|renames?|(?:re)?naming|dubb(?:ed|ing)|nicknamed?|christened|termed|labell?ed|known as|so-called)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[‘“\"][^’”\"]{3,80}[’”\"]")
_ASKS_WHERE = re.compile(r"^\s*where\b", re.IGNORECASE)
# The setting's names as a sentence's places: Russia, the Russian Empire, the Soviet Union, the USSR.
_SETTING_PLACES = frozenset({"russia", "russian", "empire", "soviet", "union", "ussr"})
_COUNTRY_KINDS = frozenset({"country", "countries", "nation", "nations", "state", "states", "power", "powers", "empire"})
# The variants table reads "the Gregorian calendar" as "New Style": no place.
_CALENDAR_WORDS = frozenset({"new", "old", "style"})
# Prepositions that place someone or something ("in Pskov", "exiled to Kazakhstan", "fled from Petrograd").
_LOCATIVE = frozenset({"in", "at", "to", "into", "near", "from", "outside", "inside", "within", "towards", "toward", "across",
                       "through", "via", "around", "beyond", "behind", "on", "onto", "off"})


@lru_cache(maxsize=20_000)
def _located(sentence: str) -> frozenset[str]:
    """The names a sentence puts someone or something at, in the variants table's form: the objects of a place's
    preposition ("arrived in Pskov") and a name a where-clause opens on ("Ekaterinburg, where…"). "Where was
    Nicholas when he abdicated?" is not answered by "he would have to leave Russia"."""
    doc = parse(sentence)
    placed = [list(t.subtree) for t in doc if t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE]
    placed += [[t.head] for t in doc if t.dep_ == "relcl" and any(w.lower_ == "where" for w in t.children)]
    return frozenset(_names(" ".join(w.text for words in placed for w in words), load_variants()))


_RELATIVE_TIME = frozenset({"after", "before", "since", "until", "till"})


def _is_act(token, acts: frozenset[str]) -> bool:
    """Whether the word (as written or as its lemma) is one of the act's stems, in the sources' words for it."""
    return bool(as_acts({stem(token.lower_), stem(token.lemma_.lower())}) & acts)


@lru_cache(maxsize=20_000)
def _placed_by(sentence: str, acts: frozenset[str]) -> frozenset[str]:
    """The names a sentence puts at a place within one of the act's verbs' clauses, in the variants table's form: the
    objects of a place's preposition with a verb of the act (in the sources' words for it) above them, and the act's
    own objects ("left Russia", "the invasion of Czechoslovakia"). Any verb above, not only the nearest: the small parser hangs "…informer called
    Bogrov in the Kiev Opera House" on "called", under "assassinated"."""
    doc = parse(sentence)

    def acting(token) -> bool:
        # A verb under "after", "before"… dates something else by the act ("the reburial… in St Petersburg…, eighty
        # years after they were executed"): the places in the sentence are not where the act happened, however the
        # small parser hangs them (it makes "executed" the root there).
        relative = any(child.dep_ == "mark" and child.lower_ in _RELATIVE_TIME for child in token.children)
        return token.pos_ in ("VERB", "AUX") and not relative and _is_act(token, acts)

    placed = [
        token
        for token in doc
        if (token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE and any(acting(t) for t in token.ancestors))
        or (token.dep_ == "dobj" and acting(token.head))
        # The object of an act told as a noun: "the Soviet invasion of Czechoslovakia".
        or (token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN" and _is_act(token.head.head, acts))
    ]
    return frozenset(_names(" ".join(w.text for t in placed for w in t.subtree), load_variants()))


@lru_cache(maxsize=2048)
def _asks_agent(core: str) -> bool:
    """Whether the question asks who did something ("Who led…", "Who shot…"), not to whom it was done."""
    return any(t.lower_ == "who" and t.dep_ == "nsubj" for t in parse(core))


@lru_cache(maxsize=20_000)
def _patients(sentence: str, acts: frozenset[str]) -> frozenset[str]:
    """The words of the sentence naming those the asked act was done to ("Nicholas and Alexandra … were shot"): for
    "Who led the firing squad that shot the Romanovs?" they are the question's Romanovs by other names, no answer."""
    done_to = [t for t in parse(sentence) if t.dep_ in ("nsubjpass", "dobj") and _is_act(t.head, acts)]
    # "The poem … by Konstantin Simonov was read to soldiers": who made the thing done to is no patient.
    by = {w.i for t in done_to for b in t.subtree if b.dep_ == "agent" or (b.lower_ == "by" and b.dep_ == "prep") for w in b.subtree}
    return frozenset(w.text for t in done_to for w in t.subtree if w.i not in by)


# "What did Stolypin do?" asks, like "Who was Stolypin?", what he was known for: the sentence introducing him says it.
_WHO_IS = re.compile(r"^(?:who (?:was|is|were|are) (.+?)|what did (.+?) do)\??$", re.IGNORECASE)


def who_is(analysis: QuestionAnalysis) -> bool:
    """Whether a who-question asks about a person it names ("Who was Rasputin?"), not for a name."""
    match = _WHO_IS.match(analysis.core.strip())
    focus = (analysis.focus or "").strip()
    # "the last Tsar" describes someone and asks for the name; "Father Gapon" is the name, and so is a group's plural
    # name after its article ("Who were the Octobrists?").
    described = re.match(r"(the|a|an)\b", focus, re.IGNORECASE) and not _GROUP_NAME.fullmatch(focus)
    return bool(match and focus and (match.group(1) or match.group(2)).strip() == focus and proper_names(focus) and not described)


_GROUP_NAME = re.compile(r"the\s+(?:[A-Z][\w’'-]+\s+)*[A-Z][\w’'-]*s", re.IGNORECASE)


# Party and side names the small model tags as people ("the uprising majority led by the Bolshevik minority").
_NOT_PEOPLE = frozenset({"bolshevik", "bolsheviks", "menshevik", "mensheviks", "reds", "whites", "cossack", "cossacks",
                         "kadet", "kadets", "soviet", "soviets", "communist", "communists", "tsar", "tsarist"})


# A capitalised word after one of these titles is a person's name, which the small model often misses ("Father Gapon").
_TITLED = re.compile(r"\b(?:Father|General|Admiral|Colonel|Marshal|Prince|Princess|Count|Countess|Baron|Grand Duke|Grand Duchess)"
                     r" ((?:[A-Z][\w’'-]+ ?)+)")


def people(sentence: str) -> tuple[str, ...]:
    """The people a sentence names (spaCy's PERSON entities, less party names, and names after a title)."""
    return _read(sentence)[0]


def _opens_with_name(sentence: str) -> bool:
    """Whether the sentence's first word is a proper noun, not a word capitalised only for opening it."""
    return _read(sentence)[1]


@lru_cache(maxsize=20_000)
def _read(sentence: str) -> tuple[tuple[str, ...], bool]:
    """One parse of a sentence: the people it names and whether its first word is a proper noun (cached, since the
    same sentences recur)."""
    doc = parse(sentence)
    # The small model also tags a people's word as a person ("Czech and Slovak soldiers"): the demonyms table knows them.
    tagged = [ent.text for ent in doc.ents if ent.label_ == "PERSON" and ent.text.lower() not in _NOT_PEOPLE and ent.text.lower() not in load_demonyms()]
    titled = [name for name in (m.group(1).strip() for m in _TITLED.finditer(sentence)) if not any(name in t for t in tagged)]
    leading = [name for name in _leaders(doc) if not any(name in t for t in tagged + titled)]
    return tuple(tagged + titled + leading), len(doc) > 0 and doc[0].pos_ == "PROPN"


# A name owning a band of followers is a leader's ("Antonov's rebel force", "Kolchak's government").
_LEADER_OF = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)[’']s (?:[a-z-]+ ){0,2}(?:army|armies|forces?|troops|men|followers|rebels|bands?"
                        r"|movement|government|regime|cabinet|supporters|partisans)\b")


def _leaders(doc) -> list[str]:
    """Names the small model does not tag as people but that own a band of followers ("Antonov's rebel force": it
    tags Antonov an organisation); a place's ("Russia's army") or a body's ("the Red Army's forces") is none."""
    found = []
    for match in _LEADER_OF.finditer(doc.text):
        token = doc.char_span(match.start(1), match.end(1))
        if token is None or token[0].ent_type_ in ("GPE", "LOC", "NORP", "DATE"):
            continue
        name = match.group(1)
        if name.lower() not in _NOT_PEOPLE and name.lower() not in _NAME_HEADS:
            found.append(name)
    return found


_SETTING = frozenset({"russia", "russian"})  # not "Soviet": "the Soviet counter-offensive" is not the Germans' or the Allies
_SETTING_STEMS = content_stems(" ".join(_SETTING))
# Not type words for coverage: a question asking for a share holds them, and the sentences that give one never do
# ("38 per cent"), so counting them keeps a share from another scene off the topic (the Mensheviks' vote in Moscow).
_SHARE_NOUNS = content_stems("percentage percentages proportion fraction")


def _asked_kind(analysis: QuestionAnalysis) -> str:
    """The kind of person or thing a "which" question asks for, case-folded ("" when none): "Which tsar was
    assassinated in 1881?" asks which one, so a focus that is only "tsar" is no word the sentence must repeat."""
    return analysis.kind.casefold() if analysis.kind and analysis.answer_type in (AnswerType.NAME, AnswerType.PERSON) else ""


_AND_FAMILY = re.compile(r"(.+?) and (?:his|her|their) family", re.IGNORECASE)


def about_focus(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether the sentence names what the question is about.

    Names are compared as the variants table reads them (Petrograd, Leningrad
    and St Petersburg are one place): the focus's names when it has any, else
    one of the focus's content words ("the big famine"), else any name of the question.
    """
    if _other_ordinal(sentence, analysis.focus or ""):
        return False
    if (family := _AND_FAMILY.fullmatch(analysis.focus or "")) and about_focus(sentence, analysis.model_copy(update={"focus": family[1]})):
        return True  # "Nicholas and Alexandra and all five of their children" are Nicholas II and his family
    table = load_variants()
    kind = _asked_kind(analysis)
    names = {n for n in _names(analysis.focus or "", table) if n.casefold() != kind}
    # "the man who shot Kirov" is about Kirov; "what was the exact percentage?" names only the kind of answer.
    wanted = _stems(analysis.focus or "") - _TYPE_WORDS - _SHARE_NOUNS
    if wanted <= _stems(kind):
        wanted = frozenset()  # the focus is only the kind asked for ("Which tsar…?"); "the chief prosecutor" keeps it
    if wanted and wanted <= _PERSON_STEMS and re.match(rf"who (?:was|were|is|are) {re.escape(analysis.focus or '')}\b", analysis.core, re.IGNORECASE):
        # "Who was the Bolshevik in charge of education…?" asks who the Bolshevik was: the rest of the question says what about.
        names, wanted = set(), frozenset()
    if names and names <= _SETTING and wanted - _SETTING:
        # The sources' setting alone names little in particular: "Russia's rapid industrial growth" is also about a
        # sentence that tells of the growth without repeating "Russia" ("Soviet Russia" keeps both its names).
        return bool(names & _names(sentence, table)) or bool((wanted - _SETTING) & _stems(sentence))
    if not names and not wanted:
        names = {n for n in _names(analysis.core, table) if n.casefold() != kind}
    if names:
        # "the Soviet–Polish war" is about a sentence naming Poland, "the average Muscovite" one naming Moscow.
        names = as_holders(as_places(names))
        shared = names & as_holders(as_places(_names(sentence, table)))
        # "the Black Army" is not "the Red Army": a name shared only by its generic head is another thing.
        return bool(shared - _NAME_HEADS) or (bool(shared) and names <= _NAME_HEADS)
    return not wanted or bool(wanted & _stems(sentence))


_ORDINAL = re.compile(rf"\b({'|'.join(_ORDINALS)}|[1-9](?:st|nd|rd|th))\s+([\w-]+)", re.IGNORECASE)


def _ordinal(word: str) -> str:
    word = word.lower()
    return _ORDINALS[int(word[0]) - 1] if word[0].isdigit() else word


def _other_ordinal(sentence: str, focus: str) -> bool:
    """Whether the sentence names the focus with another ordinal: "the second Five Year Plan" is not the
    "1st Five Year Plan", nor "the Second Party Congress" the first."""
    asked = _ORDINAL.search(focus)
    if asked is None:
        return False
    head = asked.group(2).lower()
    said = {_ordinal(m.group(1)) for m in _ORDINAL.finditer(sentence) if m.group(2).lower() == head}
    return bool(said) and _ordinal(asked.group(1)) not in said


@lru_cache(maxsize=20_000)
def _stems(text: str) -> frozenset[str]:
    """Content stems of the text with its variant forms read as the table's preferred form ("dekulakization" is
    "de-kulakisation"), and the sources' words for one act as one ("assassination" as "murder")."""
    return frozenset(load_paraphrases().same_stems(content_stems(load_variants().canonical(text))))


_NAME_HEADS = frozenset({"army", "armies", "party", "government", "revolution", "war", "plan", "congress", "assembly", "committee",
                         "front", "guard", "guards", "terror", "policy", "council", "union", "state", "empire", "treaty",
                         "battle", "siege", "operation", "offensive", "campaign"})


def _names(text: str, table) -> set[str]:
    return proper_names(table.canonical(text))


# Words that say what kind of answer is wanted, not what it is about.
_TYPE_WORDS = content_stems(
    "name names man woman person people year date day month exact precise number many much figure total toll "
    "place city town country called call exactly roughly approximately happen happened"
)
MIN_COVERAGE = 0.6


# Kinds that say only that a person or a name is wanted, or which party they were in: sentences naming the
# person seldom repeat them ("Dzerzhinsky founded the Cheka" answers "Which Bolshevik founded the Cheka?").
# Nor do sentences naming an office call it one ("As General Secretary…" answers "Which offices did Stalin hold?").
_GENERIC_KINDS = {"man", "woman", "person", "people", "individual", "leader", "figure", "one", "name", "thing",
                  "bolshevik", "menshevik", "revolutionary", "politician", "communist",
                  "office", "post", "position", "title", "role", "job"}


# A ruler's name with its regnal number says what he was: "the assassination of Alexander II in 1881" answers
# "Which emperor was assassinated in 1881?" without the word "emperor" ("World War II" is no ruler).
_MONARCHS = content_stems("emperor empress tsar tsarina czar czarina king queen monarch")
_REGNAL_NAME = re.compile(rf"\b(?!War\b)[A-Z][a-z]+\s+(?:{'|'.join(sorted(REGNAL_NUMBERS, key=len, reverse=True))})\b")


# A form of address before a name says what the person was: "Father Gapon" answers "Name the priest who…".
_ADDRESSED_AS = {stem: re.compile(r"\bFather\s+[A-Z]") for stem in content_stems("priest cleric clergyman")}


def names_kind(sentence: str, analysis: QuestionAnalysis) -> bool:
    """For 'Which cruiser…?' or 'the names of the Tsar's daughters': whether the sentence mentions that kind of
    thing at all; a name from the same scene that is not a cruiser or a daughter does not answer."""
    kind = analysis.kind
    if analysis.answer_type not in (AnswerType.NAME, AnswerType.PERSON) or not kind or kind in _GENERIC_KINDS:
        return True
    if content_stems(kind) & _MONARCHS and _REGNAL_NAME.search(sentence):
        return True
    if any(_ADDRESSED_AS[stem].search(sentence) for stem in content_stems(kind) & _ADDRESSED_AS.keys()):
        return True
    return bool(content_stems(kind) & (content_stems(sentence) | _named_kinds(sentence, analysis.core)))


def _named_kinds(sentence: str, core: str) -> frozenset[str]:
    """The stems of the other forms of the names a sentence has and the question has not: "The SRs received the
    largest vote" names a party, since the SRs are the Socialist Revolutionary Party."""
    table = load_variants()
    asked = set(table.groups_in(core))
    return frozenset(s for group in table.groups_in(sentence) if group not in asked for form in group.forms for s in content_stems(form))


def coverage(sentence: str, analysis: QuestionAnalysis, told: frozenset[str] = frozenset()) -> float:
    """The share of the question's content words (not those naming the answer's type) the sentence has, counting
    the stems in `told` as had."""
    wanted = _stems(analysis.core) - _TYPE_WORDS
    # Every sentence of the sources is set in Russia: "the Russian parliament" is asked about by "parliament".
    wanted = wanted - _SETTING_STEMS or wanted
    return len(wanted & (_stems(sentence) | told)) / len(wanted) if wanted else 1.0


_PERSON_STEMS = content_stems(" ".join(PERSON_NOUNS))


def fits(sentence: str, analysis: QuestionAnalysis, before: str = "", dated: str = "") -> bool:
    """Whether a sentence has the asked type, names the question's focus (it or the sentence `before` it: "Between
    five and seven million people died" follows the one naming the famine) and mentions the kind of thing asked for.
    A sentence dated "that year" has a date question's type when `dated`, the earlier sentence it refers to, has it."""
    typed = has_type(sentence, analysis) or bool(dated and analysis.answer_type == AnswerType.DATE and has_type(dated, analysis))
    return (
        typed
        and about_focus(f"{before} {sentence}", analysis)
        and names_kind(sentence, analysis)
        and not dates_anniversary(sentence, analysis)
        and not dates_another_thing(sentence, analysis)
        and not done_to_another(sentence, analysis)
    )


_WH_DETERMINERS = frozenset({"which", "what", "whose"})


def _named_done_to(text: str, acts: frozenset[str]) -> frozenset[str]:
    """The case-folded names (proper nouns, titles read as their holders) of those a fate of the act ("killed",
    "arrested", "the death of") befalls in the text: its passive subjects and objects, and its noun's of-object or
    owner. The small parser often makes a question's passive subject a plain one ("When was Trotsky murdered?"): a
    subject of a verb with a passive auxiliary counts too."""
    def passive(verb) -> bool:
        return any(c.dep_ == "auxpass" for c in verb.children)

    def fate(word) -> bool:
        # Only a fate is done to someone ("killed", "arrested"): "born Ioseb Jughashvili" names the one born.
        return _is_act(word, acts) and bool(_FATE.fullmatch(word.text))

    def befalls(t) -> bool:
        if t.dep_ in ("nsubjpass", "dobj") or (t.dep_ == "nsubj" and passive(t.head)):
            return fate(t.head)
        # A fate told by its noun: "the premature death of his father, Alexander III", "Kirov's murder".
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.dep_ == "prep":
            return t.head.head.pos_ == "NOUN" and fate(t.head.head)
        return t.dep_ == "poss" and t.head.pos_ == "NOUN" and fate(t.head)

    def asked_for(t) -> bool:
        # "Which Tsar was assassinated…?" names the kind asked for, not the one it befell (the parser may hang the
        # "Which" elsewhere).
        before = t.doc[t.left_edge.i - 1] if t.left_edge.i else None
        return any(w.lower_ in _WH_DETERMINERS for w in t.subtree) or (before is not None and before.lower_ in _WH_DETERMINERS)

    done_to = [t for t in parse(text) if befalls(t) and not asked_for(t)]
    return frozenset(as_holders({w.lower_ for t in done_to for w in t.subtree if w.pos_ == "PROPN"}))


def done_to_another(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether the asked act, done in the question to people it names ("When were Nicholas II and his family
    killed?"), is done in the sentence only to others it names ("nobles assassinated Rasputin, and in January 1917
    … Tsar Nicholas II"): that dates or places someone else's fate. A sentence naming no one done to ("executed the
    tsar and his family") is not judged here."""
    acts = act_stems(analysis)
    asked = _named_done_to(analysis.core, acts) if acts else frozenset()
    if not asked:
        return False
    done_to = _named_done_to(sentence, acts)
    return bool(done_to) and not {w for name in done_to for w in name.split()} & {w for name in asked for w in name.split()}


_ANNIVERSARY_OF = re.compile(r"\banniversary of\b[^,;:.()]*", re.IGNORECASE)


def dates_anniversary(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether, for a when-question, the sentence names what is asked about only as the thing an anniversary is of:
    "Recall the year 1918, when we celebrated the first anniversary of the October Revolution" dates the anniversary,
    and "the tenth anniversary of his death" no death. A sentence that names it outside that phrase may date it
    ("On the seventieth anniversary of the October Revolution, he called for…" dates his call)."""
    if analysis.answer_type != AnswerType.DATE or "anniversar" in analysis.core.lower():
        return False
    rest = _ANNIVERSARY_OF.sub("", sentence)
    return rest != sentence and not (about_focus(rest, analysis) and does_act(rest, analysis))


def dates_another_thing(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether, for a when-question, every date of the sentence is inside a clause that describes another thing:
    "The October revolution ended the phase of the revolution instigated in February" dates the February phase,
    not the October Revolution, and "Trotsky, who had founded the Red Army in 1918, was expelled" not his
    expulsion. Such a clause dates the asked act when it tells of it ("the Treaty of Brest-Litovsk, signed in
    March 1918"), or the focus when the question asks of no act; a date in the sentence's own clauses dates it."""
    if analysis.answer_type != AnswerType.DATE or not (_YEAR.search(sentence) or _MONTH_WORD.search(sentence)):
        return False
    described = _described_by_dates(sentence)
    if act_stems(analysis):
        # Of the focus, too: "One Bolshevik (born in 1909)" does not say when Stalin was born.
        return bool(described) and not any(does_act(clause, analysis) and about_focus(phrase, analysis) for phrase, clause in described)
    return bool(described) and not any(about_focus(phrase, analysis) for phrase, _ in described)


# A naming participle ("an informer called D. G. Bogrov") dates nothing: the parser hangs the date after the name
# ("…in the Kiev Opera House on 1 September 1911") on it, though the sentence's verb takes it.
_NAMING = frozenset({"call", "name", "know", "dub", "nickname", "title", "entitle", "label"})


def _describes(token) -> bool:
    return token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN") and token.lemma_ not in _NAMING


def _phrase(doc, token) -> str:
    return doc[token.left_edge.i : token.right_edge.i + 1].text


def _whole_noun(token):
    """The noun phrase a noun is part of: "Brest-Litovsk" is "the Treaty of Brest-Litovsk"."""
    while token.dep_ in ("pobj", "prep", "compound", "appos") and token.head is not token:
        token = token.head
    return token


@lru_cache(maxsize=20_000)
def _described_by_dates(sentence: str) -> tuple[tuple[str, str], ...]:
    """For each date of the sentence, the noun phrase whose describing clause (acl, relcl) holds it, with that
    clause; empty when some date is in none of them but in the sentence's own clauses, or when the parser breaks
    the sentence in two (its clauses are then misread: "…the RSFSR established (20 December 1917) a secret political
    police, the Cheka" became a date inside a clause describing the RSFSR)."""
    doc = parse(sentence)
    if sum(1 for _ in doc.sents) > 1:
        return ()
    found: list[tuple[str, str]] = []
    for pattern in (_YEAR, _MONTH_WORD):
        for match in pattern.finditer(sentence):
            span = doc.char_span(*match.span(), alignment_mode="expand")
            if span is None:
                continue
            clause = next((a for a in (span.root, *span.root.ancestors) if _describes(a)), None)
            if clause is None:
                return ()
            found.append((_phrase(doc, _whole_noun(clause.head)), _phrase(doc, clause)))
    return tuple(found)


def names_people(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether the sentence names every person the question says took part: "When did Gorbachev let Sakharov come
    back?" is not answered by a date of Gorbachev's that never mentions Sakharov."""
    # The parser takes "the average Muscovite" for a person; "the Tsar" names Nicholas II.
    named = as_holders(as_places(_names(sentence, load_variants())))
    return all(as_holders(as_places(names)) & named for names in _names_taking_part(analysis.core))


# "Khrushchev's Virgin Lands campaign" and "under Brezhnev" set a scene: an answer need not name them.
_SCENE_PREPOSITIONS = frozenset({"under", "during", "in", "after", "before", "since", "until", "by"})
_SPEECH_VERBS = frozenset({"say", "write", "tell", "declare", "announce", "describe", "call", "claim", "argue", "mean", "put"})


@lru_cache(maxsize=2048)
def _names_taking_part(core: str) -> tuple[frozenset[str], ...]:
    """The names of each person taking part, in the variants table's form (once per question, not per sentence).
    A person the table reads as part of a group ("Nicholas II and his family" is the Imperial family) is that group,
    which the focus check asks for."""
    table = load_variants()
    named = _names(core, table)
    return tuple(names for person in _taking_part(core) if (names := frozenset(_names(person, table))) and names <= named)


def _taking_part(core: str) -> tuple[str, ...]:
    """The people a question names as taking part in what it asks about, not as owners or a period's ruler."""
    doc = parse(core)
    found = []
    for person in people(core):
        last = next((t for t in doc if t.text == person.split()[-1]), None)
        if last is None:
            continue
        while last.dep_ in ("compound", "conj") and last.head is not last:
            last = last.head  # "by Yagoda and Stalin": Stalin stands where Yagoda does
        if last.dep_ == "poss" or (last.dep_ == "pobj" and last.head.lower_ in _SCENE_PREPOSITIONS):
            continue
        if any(t.dep_ == "relcl" for t in last.ancestors):
            continue  # "Name the prisoner whose ideas were taken up by Yagoda": who describes the asked one need not be named
        if last.dep_ == "nsubj" and last.head.lemma_.lower() in _SPEECH_VERBS:
            continue  # the sources quote a speaker's words in sentences of their own, after the one naming him
        found.append(person)
    return tuple(found)


# "…with Petrograd being renamed 'Leningrad' that year", "In the second revolution that October": the date is in an
# earlier sentence ("Lenin died in January 1924", "…the first revolution of February 1917").
_DATES_BACK = re.compile(r"\b(?:that|the same|the following|the next|the previous) (?:year|month|day|spring|summer|autumn|winter)\b", re.IGNORECASE)
_MONTH_BACK = re.compile(rf"\b(?:[Tt]hat|the same|the following|the next|the previous) {_MONTH}\b")  # capitalised: not "that may"


def dates_back(sentence: str) -> bool:
    """Whether the sentence dates what it tells only by an earlier sentence's date ("that year", "the next day")."""
    return bool(_DATES_BACK.search(sentence) or _MONTH_BACK.search(sentence)) and not _YEAR.search(sentence)


def dated(sentence: str) -> bool:
    """Whether the sentence names a year, the date a later "that year" refers to."""
    return bool(_YEAR.search(sentence))


def answers(sentence: str, analysis: QuestionAnalysis, before: str = "") -> bool:
    """Whether a sentence fits and also holds most of what the question asks about: the lead to prefer,
    since a figure or a name from a neighbouring event fits as well."""
    return fits(sentence, analysis, before) and coverage(sentence, analysis) >= MIN_COVERAGE


# Words by which a sentence gives a reason or a verdict, not just an event: what a "why" or "how far" question wants.
_EXPLAINS = re.compile(
    r"\b(because|caus(e|es|ed|ing)|reasons?|led to|lead to|leading to|result(s|ed)? (in|from)|as a result|due to|owing to|"
    r"thanks to|the root of|undoing|explains?|therefore|consequences?|in order to|so that|meant that|success(ful)?|failures?|failed)\b",
    re.IGNORECASE,
)


def explains(sentence: str) -> bool:
    """Whether a sentence gives a cause, a consequence or a verdict ("the main cause of their undoing was…")."""
    return bool(_EXPLAINS.search(sentence))


_STANDS_FOR = re.compile(r"\bst(?:and|ands|ood) for\b", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\b[A-Z]{2,7}\b")
_LINKS = ("of", "for", "the", "and", "on")  # small words inside a name that give no initial
_NAME_RUN = re.compile(rf"[A-Z][\w’'-]*(?:\s+(?:(?:{'|'.join(_LINKS)})\s+)*[A-Z][\w’'-]*)+")


def expands(sentence: str, analysis: QuestionAnalysis) -> bool:
    """Whether a sentence spells out the abbreviation a "What does NEP stand for?" question asks about, the
    way texts define one: capitalised words whose initials are its letters, followed by it in brackets
    ("the New Economic Policy (NEP)", "the \"Union of Soviet Socialist Republics\" (USSR)").

    Brackets are required: "they renamed it the 'New Exploitation of the Proletariat'" has the right
    initials and is a joke. Abbreviations of Russian words (GULAG, NKVD) are spelled out by no English
    initials, so this is a preference for the composer, never a requirement.
    """
    if not _STANDS_FOR.search(analysis.core):
        return False
    for asked in set(_ABBREVIATION.findall(analysis.core)):
        for run in _NAME_RUN.finditer(sentence):
            initials = "".join(w[0] for w in run.group().split() if w not in _LINKS).upper()
            after = sentence[run.end() : run.end() + len(asked) + 6]
            if initials.endswith(asked) and re.match(rf"[’'\"”]?\s*\({re.escape(asked)}\b", after):
                return True
    return False


def detail(analysis: QuestionAnalysis) -> str | None:
    """The phrase for what is missing when no sentence has the asked type (None for types that cannot be missing)."""
    return DETAIL.get(analysis.answer_type) or (FATE if asks_fate(analysis) else None)
