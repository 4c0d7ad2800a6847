"""Where the sources say what a term means: the sentences that gloss it.

"What was the Ezhovshchina?" is answered by "the mass arrests were known as the
Yezhovshchina (‘the rule of Yezhov’)", "who were the kulaks?" by "affluent
peasants known as 'kulaks'". Such a gloss is usually a passing clause in a
passage about something else, so neither retriever ranks it high for the bare
term; a definition question therefore also looks the term up here, and the
composer leads with a glossing sentence.

A sentence glosses a term explicitly ("known as T", "so-called T", "T or ‘…’",
"T (…)", "T means…", "T is an acronym for…", "T, which meant…", "T programme,
describing it as…", "T, as the events of … became known") or weakly ("T was a…",
which may give a verdict rather than a meaning, "(T)", which may only label an
example, and "T, which established…" on a term the sentence is about, which may
tell only one thing it did). The term is
matched as a whole phrase in its variant-table spellings, not its aliases,
and with the capital it opens with. Without a gloss, a
definition leads with a sentence that makes the term its subject or object
(`treats`), not one that mentions it inside another noun's phrase ("the
renunciation of the Brezhnev Doctrine").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

from tutor.models import Chunk
from tutor.question import parse
from tutor.text import sentence_spans
from tutor.variants import load_variants

_Q = r"[‘’'\"“”]?"  # an optional quote mark around the term
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# A bracket that opens with a year or a page gives a date, not a gloss ("the Cheka (1917)"), and one that opens with
# a measure gives an aside ("fifty years of collectivization (twice as long as in China)").
_MEASURE = r"twice|thrice|half|almost|nearly|about|around|roughly|some|over|under|more|less|at least|up to|compared"
_GLOSS_OPEN = rf"\((?![\s\d–-]*\)|\s*\d|\s*O\.S\.|\s*N\.S\.|\s*see\b|\s*(?:{_MEASURE})\b)"


@lru_cache(maxsize=256)
def term_forms(focus: str) -> tuple[str, ...]:
    """The focus without its article, and the other forms the variant table gives the whole of it."""
    term = _ARTICLE.sub("", focus.strip(" ‘’'\"“”?.")).strip(" ‘’'\"“”")
    if not term:
        return ()
    table = load_variants()
    forms = [term, *_other_number(term)]
    for group in table.groups_in(term):
        if table.same(term, group.preferred):
            # An alias names the thing, not the term ("the Great Terror" is no gloss of "Yezhovshchina"): only its spellings count.
            forms += [f for f in group.forms if group.kind != "alias" or difflib.SequenceMatcher(None, f.casefold(), term.casefold()).ratio() >= 0.8]
    return tuple(dict.fromkeys(forms))


def _other_number(term: str) -> list[str]:
    """The term in the other grammatical number, when it ends in a common noun: "What was a kulak?" is glossed by
    "affluent peasants known as 'kulaks'"."""
    *head, last = term.split(" ")
    if not (last.isalpha() and last.islower()) or last.endswith("ss"):
        return []
    other = last[:-1] if last.endswith("s") else f"{last}s"
    return [" ".join([*head, other])]


def _form_regex(form: str) -> str:
    """A form as a regex, case-insensitive except a capital it opens with: "the Decree on Peace" is no "decree"."""
    body = r"\s+".join(re.escape(w) for w in form.split())
    return rf"(?-i:{re.escape(form[0])}){body[len(re.escape(form[0])):]}" if form[0].isupper() else body


@lru_cache(maxsize=256)
def _patterns(forms: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The explicit ways of glossing the term, and the weaker ones: a sentence opening "T was a…" may give a verdict,
    not a meaning, and "(T)" may only label an example ("medical staff ("Doctors' Plot")")."""
    t = rf"{_Q}(?:{'|'.join(_form_regex(form) for form in forms)}){_Q}"
    explicit = [
        rf"\b(?:known as|so-called|so called|called|termed|dubbed|name of)\s+(?:the\s+)?{t}(?!\w)",
        rf"(?<!\w){t},?\s+or\s+[‘'\"“(]",  # glasnost or ‘openness’
        rf"(?<!\w){t}\s*{_GLOSS_OPEN}",  # Cominform (the Communist Information Bureau)
        rf"(?<!\w){t}\s+(?:(?:means?|meant)(?!\s+that\b)|stands? for|stood for|refers? to|referred to|(?:is|was) an acronym)\b",
        rf"(?<!\w){t},\s+which meant\b",  # the ‘21 Conditions’, which meant…
        rf"(?<!\w){t}(?:\s+\w+)?,\s+describing it as\b",  # his perestroika programme, describing it as…
        rf"(?<!\w){t},\s+as\s+[^.;:]{{1,80}}?\b(?:became|was|were|is|are|came to be)\s+(?:known|called)\b",  # ‘Bloody Sunday’, as the events of 9 January became known
        # The ‘kulaks’ – the phantom class of…: only a quoted term, since "…to the Soviet – a threat the Bolsheviks
        # would invoke" describes the clause before the dash.
        rf"[‘'\"“](?:{'|'.join(_form_regex(form) for form in forms)})[’'\"”]\s+[–—]\s+(?:the|a|an)\s+\w",
    ]
    weak = [
        rf"^(?:the\s+|a\s+|an\s+)?{t}\s+(?:is|was|are|were)\s+(?:a|an|the)\b",  # The Red Terror is a weapon…
        rf"\((?:the\s+)?{t}\)",  # a general Food Levy (prodrazverstka)
    ]
    return tuple(re.compile("|".join(f"(?:{way})" for way in ways), re.IGNORECASE) for ways in (explicit, weak))


@lru_cache(maxsize=256)
def _clause_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """A relative clause on the term: "the October Manifesto, which established a parliament"."""
    t = rf"{_Q}(?:{'|'.join(_form_regex(form) for form in forms)}){_Q}"
    return re.compile(rf"(?<!\w){t},\s+which\s+(?!meant\b)[a-z]+", re.IGNORECASE)


# A term the sentence is about, not one it mentions on the way ("the renunciation of the Brezhnev Doctrine").
_ABOUT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "appos", "ROOT"})


@lru_cache(maxsize=8192)
def treats(sentence: str, focus: str) -> bool:
    """Whether the sentence makes the focus term its subject or object ("issuing the Brezhnev Doctrine, outlined
    in a speech…"), rather than mentioning it inside another noun's phrase."""
    forms = [form.casefold().split() for form in term_forms(focus)]
    doc = parse(sentence)
    # The whole term, ending at a word the sentence is about: "the absurd doctrine" is not "the Brezhnev Doctrine".
    return any(
        t.dep_ in _ABOUT_DEPS and [w.lower_.strip("‘’'\"“”") for w in doc[max(0, t.i + 1 - len(form)) : t.i + 1]] == form
        for t in doc
        for form in forms
    )


_APPOINTING = frozenset({"appoint", "make", "name", "elect", "choose", "promote", "install", "nominate"})


def _is_role(token) -> bool:
    """A common noun, or a capitalised one with an article ("the Minister of Finance"), not another name in a list."""
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and any(c.dep_ == "det" for c in token.children))


@lru_cache(maxsize=8192)
def introduction_strength(sentence: str, name: str) -> int:
    """How plainly the sentence says who the named person was, the way texts introduce one: 2 for a role beside the
    name ("Alexander Kerensky, a young and popular lawyer", "his deputy, Lavrenty Beria", "the Bolshevik leader
    Lenin") or the title the person was appointed to ("appointed Petr Stolypin as Prime Minister"); 1 for a role
    after "was" ("Yezhov was Stalin's loyal executioner"), which may be a verdict ("Rasputin was a 'fatal
    disease'"); 0 for none. "Who was Beria?" is answered by that, not by the best-scoring mention."""
    surnames = {form.split()[-1].casefold() for form in term_forms(name)}
    if not any(surname in sentence.casefold() for surname in surnames):
        return 0  # no parse for the many retrieved sentences that do not name the person
    doc = parse(sentence)
    strength = 0
    for token in doc:
        if token.lower_ not in surnames or token.pos_ != "PROPN":
            continue
        # The surname is the name's head word, the one its apposition hangs on; an apposition is set off by a comma
        # (the small model also reads "leftists concerned Bukharin" as one)…
        comma_after = token.i + 1 < len(doc) and doc[token.i + 1].text == ","
        roles = [c for c in token.children if c.dep_ == "appos" and c.i > token.i and comma_after and _is_role(c)]
        first = token.left_edge.i  # "Lavrenty" in "his deputy, Lavrenty Beria"
        if token.dep_ == "appos" and token.head.i < token.i and first > 0 and _is_role(token.head):
            # …or stands right before the name ("the Bolshevik leader Lenin", "her ‘holy friend’ Rasputin").
            between = [t for t in doc[token.head.i + 1 : first] if not t.is_quote]
            named = all(t.pos_ == "PROPN" or t.is_quote for t in doc[first : token.i + 1])  # not "leftists concerned Bukharin"
            if doc[first - 1].text == "," or (not between and named):
                roles.append(token.head)
        if token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_ in _APPOINTING:
            # "the Tsar appointed Petr Stolypin as Prime Minister", "Stalin was appointed General Secretary": a title.
            verb = token.head
            titles = [c for c in verb.children if c.dep_ == "oprd"]
            titles += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
            roles += [t for t in titles if t.pos_ in ("NOUN", "PROPN")]
        if roles:
            return 2
        if token.dep_ == "nsubj" and token.head.lemma_ == "be" and any(c.dep_ == "attr" and c.pos_ == "NOUN" for c in token.head.children):
            strength = 1
    return strength


def introduces(sentence: str, name: str) -> bool:
    """Whether the sentence says who the named person was (`introduction_strength`)."""
    return introduction_strength(sentence, name) > 0


def gloss_strength(sentence: str, focus: str) -> int:
    """How plainly the sentence glosses the focus term (in any of its forms): 2 for an explicit gloss ("known as",
    "or ‘…’", "T (…)", "means"), 1 for a weak one ("T was a…", "(T)", "T, which established…"), 0 for none."""
    forms = term_forms(focus)
    if not forms:
        return 0
    explicit, weak = _patterns(forms)
    sentence = sentence.strip()
    if explicit.search(sentence):
        return 2
    # A relative clause glosses a term the sentence is about, not one inside another noun's phrase ("the election
    # of a Constituent Assembly, which alone could…" is about the election).
    return 1 if weak.search(sentence) or (_clause_pattern(forms).search(sentence) and treats(sentence, focus)) else 0


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    """A chunk's text case-folded, once per process (every definition question scans every chunk)."""
    return text.casefold()


def glossing(chunks: Iterable[Chunk], focus: str, limit: int = 2) -> list[Chunk]:
    """Up to `limit` chunks, in corpus order, with a sentence that glosses the focus."""
    forms = term_forms(focus)
    if not forms:
        return []
    explicit, weak = _patterns(forms)
    folded_forms = {" ".join(form.split()).casefold() for form in forms}
    found = []
    for chunk in chunks:
        text = chunk.text
        folded = _folded(text)
        if not any(form in folded for form in folded_forms):
            continue
        # The explicit ways need no sentence bounds; the weak ones are read sentence by sentence ("^T was a…").
        if explicit.search(text) or any(weak.search(text[a:b].strip()) for a, b in sentence_spans(text)):
            found.append(chunk)
            if len(found) == limit:
                break
    return found
