"""The offline composer: answers built only from sentences of the retrieved passages, each cited exactly.

It never writes a factual sentence of its own. It scores every sentence of the
retrieved passages against the question (embedding similarity plus the share
of the question's content words it contains), keeps the best few while
skipping near-repeats, leads with the best one and puts the rest in reading
order, and frames them with short phrases that carry no facts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np

from tutor.acts import act_stems, counts_asked, does_act, in_scene
from tutor.answer_types import about_focus, asks_fate, asks_name, completes_blank, coverage, dated, dates_back, detail, expands, explains, gives_name, tells_fate_of, wants_day, who_is
from tutor.corpus import Corpus
from tutor.demonyms import as_places
from tutor.glossary import gloss_strength, introduction_strength, treats
from tutor.leads import dated_otherwise, lead_answers, lead_fits, leans_on_before
from tutor.models import Citation, Passage
from tutor.paraphrases import load_paraphrases
from tutor.question import REGNAL_NUMBERS, SETTING_WORDS, AnswerType, QuestionAnalysis, asked_parts, parse
from tutor.text import sentence_spans, words, years_in
from tutor.titles import as_holders
from tutor.verify import check, content_stems, proper_names, stem

# Calibrated on the eval dev split (evals/calibrate_scope.py): the highest threshold that still answers every
# in-scope dev item; it abstains on 5 of 8 dev out-of-scope items (near-topic ones score higher).
IN_SCOPE_SCORE = 0.48
# A question that names something the sources never mention (a name or a year absent from every
# text) must match far better to count as answerable. Chosen on the dev split: above every dev
# out-of-scope question with such a name (at most 0.66), below the false-premise questions whose
# invented detail is such a name (0.9), which must be corrected, not refused.
UNKNOWN_NAME_SCORE = 0.75
MIN_SENTENCE_SCORE_SHARE = 0.6  # later sentences must score at least this share of the best one (evals/tune_answers.py)
REPEAT_SIMILARITY = 0.8
MAX_SENTENCES = 6
# Room for each further part of a multi-part question: with six sentences in all, the second part's best often lost
# its place to the first part's (session 32: test key facts 0.782 -> 0.808, the why/two-part probe 0.63 -> 0.67, no
# item lost; three more per part gained one more test item but lengthened every two-part answer).
PART_SENTENCES = 2
# When one sentence matches the question far better than the rest (it repeats its words: "Stolypin called it a
# 'wager on the strong'."), the share rule keeps it alone; the next best still explain it, down to this score.
MIN_SENTENCES = 3
FLOOR_SCORE = 0.3
LEAD_DEPTH = 6  # how far down a part's ranking a sentence of the asked type may come from to lead
LEAD_FLOOR = 0.6  # failing that, any retrieved sentence of the type scoring this share of the best may lead
MIN_WORDS = 7
# Shorter sentences are often captions or fragments, but one that answers outright ("Lenin died in January 1924.")
# may lead a typed answer; they are never quoted otherwise (admitting them everywhere lost two dev items).
BRIEF_WORDS = 4
# A sentence opening with a pronoun or a link back ("In this sense the Kornilov Affair was…") leans on the one before
# it, which the reader may not see ("It was not until 1987 that…" opens with no pronoun: its "it" points ahead, to the
# that-clause).
_DANGLING = re.compile(
    r"^(He|She|It(?!\s+(?:was|is)\s+(?:not until|only (?:later|after|when|then|in|on|with))\b)|They|This|These|That|Those|His|Her|Their|Its"
    r"|In (?:this|that) (?:sense|way|respect)|For (?:this|that|these) reasons?|Thus|Hence)\b"
)
DANGLING_PENALTY = 0.08
# A sentence that gives a name to "it" ("Stolypin called it a 'wager on the strong'") names what the sentence before
# it says: for "Define the 'wager on the strong'" that sentence is the definition, so it comes too.
_NAMES_WHAT_CAME_BEFORE = re.compile(r"\b(?:called|dubbed|named|nicknamed|termed|christened)\s+(?:it|this|that|them|these|those)\b")
STANDALONE_SHARE = 0.9  # a lead that needs no earlier sentence wins when it scores at least this share of one that does
# A sentence is also scored with the one before it, for what it leaves implicit ("In practice what this meant
# was…" after the sentence naming the Brezhnev Doctrine), its neighbour weighing this much, less a small cost.
CONTEXT_WEIGHT = 0.5
CONTEXT_PENALTY = 0.05
EXPLAINS_BONUS = 0.08  # for a why or how-far question, a sentence that gives a reason or a verdict
EXPANDS_BONUS = 0.3  # for "What does NEP stand for?", the sentence that defines it ("New Economic Policy (NEP)") leads
# A lead of the asked type that does not hold most of the question must score this share of the part's best or have
# this share of its words (chosen on the student-dev and dev splits: said missing 15 -> 18 of 25, none called missing wrongly).
TOPIC_SHARE = 0.9
TOPIC_COVERAGE = 0.3


@dataclass
class Candidate:
    """A sentence of a retrieved passage, with where it is in the original text."""

    rank: int  # the passage's retrieval rank, 0-based
    passage: Passage
    text: str
    start: int  # original offsets
    end: int
    score: float = 0.0
    vector: np.ndarray | None = None
    part_scores: list[float] = field(default_factory=list)  # one per part of a multi-part question
    before: Candidate | None = field(default=None, repr=False, compare=False)  # the sentence before it in its passage
    dated: Candidate | None = field(default=None, repr=False, compare=False)  # for "that year", the earlier sentence with the year
    # A short sentence between `before` and this one, which may name what this one leaves to a pronoun ("Lenin's
    # condition worsened overnight. Three days later he suffered his third stroke."); only set for typed questions.
    short_before: Candidate | None = field(default=None, repr=False, compare=False)


@dataclass
class Assessment:
    """How well the retrieved passages answer a question."""

    candidates: list[Candidate]
    best: float
    unknown: list[str] = field(default_factory=list)  # the question's names and years that no source mentions
    analysis: QuestionAnalysis | None = None
    brief: list[Candidate] = field(default_factory=list)  # short sentences, scored alike, that may only lead

    @property
    def in_scope(self) -> bool:
        """Whether the sources say enough to answer."""
        bar = UNKNOWN_NAME_SCORE if self.unknown else IN_SCOPE_SCORE
        return bool(self.candidates) and self.best >= bar


@dataclass
class Composition:
    """The composer's answer before verification."""

    answer: str
    citations: list[Citation]
    used: list[Candidate]
    missing: list[str] = field(default_factory=list)  # what the question asks that no good sentence states
    intro: str = ""  # the fact-free opening line actually used


def candidates(corpus: Corpus, passages: list[Passage], brief: bool = False) -> list[Candidate]:
    """Every sentence of the passages, mapped to its original span (with `brief`, only those of BRIEF_WORDS to MIN_WORDS - 1 words)."""
    out = []
    for rank, passage in enumerate(passages):
        doc = corpus.document(passage.source)
        base = doc.clean_start_of(passage.text, passage.start)
        for a, b in sentence_spans(passage.text):
            text = passage.text[a:b].strip()
            size = len(text.split())
            if not (BRIEF_WORDS <= size < MIN_WORDS if brief else size >= MIN_WORDS) or text.rstrip("’'”\")").endswith("?"):
                continue
            start, end = doc.original_span(base + a, base + b)
            out.append(Candidate(rank, passage, text, start, end))
    return out


def _score(candidate: Candidate, query: np.ndarray, wanted: set[str]) -> float:
    """How well a sentence answers one question (part): similarity plus the share of the question's content
    words it has, read alone or with the sentence before it, whichever is better."""

    def covered(stems: set[str]) -> float:
        return len(wanted & same_stems(stems)) / len(wanted) if wanted else 0.0

    stems = content_stems(candidate.text)
    alone = float(candidate.vector @ query) + 0.25 * covered(stems) - (DANGLING_PENALTY if _DANGLING.match(candidate.text) else 0.0)
    before = candidate.before
    if before is not None:
        window = candidate.vector + CONTEXT_WEIGHT * before.vector
        in_context = float(window @ query) / float(np.linalg.norm(window)) + 0.25 * covered(stems | content_stems(before.text)) - CONTEXT_PENALTY
        alone = max(alone, in_context)
    return alone - 0.01 * candidate.rank


def same_stems(stems: set[str]) -> set[str]:
    """A sentence's stems with the sources' words for one act counted as one ("assassination" as "murder")."""
    return load_paraphrases().same_stems(stems)


def _bonus(sentence: str, analysis: QuestionAnalysis | None) -> float:
    """What a sentence earns for holding what this kind of question asks for beyond its words."""
    if analysis is not None and analysis.answer_type == AnswerType.CAUSE and explains(sentence):
        return EXPLAINS_BONUS
    if analysis is not None and analysis.answer_type == AnswerType.DEFINITION and expands(sentence, analysis):
        return EXPANDS_BONUS
    return 0.0


# A sentence that says what the one before it meant ("In practice what this meant was that the Soviet Union reserved
# the right to intervene…", after the sentence naming the Brezhnev Doctrine) is what the reader of that one needs.
_SPELLS_OUT = re.compile(r"^(?:in practice,?\s+|in effect,?\s+)?(?:what (?:this|that|it) meant|(?:this|that|it) meant|in other words|that is to say)\b", re.IGNORECASE)


def _quoted(candidate: Candidate, chosen: list[Candidate]) -> bool:
    """Whether the chosen sentences already quote this one: overlapping passages hold the same sentence, each as a
    candidate of its own, and a sentence brought along for a pronoun escapes the near-repeat test."""
    return any(c.start == candidate.start and c.passage.source == candidate.passage.source for c in chosen)


def _with_what_they_introduce(chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """Each chosen sentence that ends with a colon ("…Lenin's most devastating criticisms were reserved:")
    followed by the sentence it introduces, and each followed by the sentence that spells out what it meant."""
    out: list[Candidate] = []
    for candidate in chosen:
        out.append(candidate)
        follower = next((c for c in pool if c.before is candidate), None)
        if follower is None or _quoted(follower, chosen) or _quoted(follower, out):
            continue
        if candidate.text.rstrip().endswith(":") or _SPELLS_OUT.match(follower.text):
            out.append(follower)
    return out


# How far past an untyped lead a sentence of its passage may tell the asked act and still continue it.
CONTINUATION_CHARS = 400


def _telling_after(lead: Candidate, part: QuestionAnalysis | None, pool: list[Candidate]) -> Candidate | None:
    """For a question asking of an act with no typed answer ("What did Russia lose under the Treaty of
    Brest-Litovsk?"), a lead that does not tell of the act but names the focus is followed by the next sentence of
    its passage that does ("Under the terms of the Treaty, Russia was obliged to give up…", then "In the final
    reckoning, the Soviet Republic lost 34 per cent of its population…"), when it comes soon after."""
    if part is None or detail(part) is not None or not act_stems(part) or does_act(lead.text, part) or not about_focus(lead.text, part):
        return None
    return next((c for c in _soon_after(lead, pool) if does_act(c.text, part)), None)


def _soon_after(sentence: Candidate, pool: list[Candidate]) -> list[Candidate]:
    """The sentences of the pool that follow `sentence` in its passage within CONTINUATION_CHARS, in reading order."""
    return sorted((c for c in pool if c.passage is sentence.passage and sentence.end <= c.start <= sentence.end + CONTINUATION_CHARS), key=lambda c: c.start)


def _told_in_scene(part: QuestionAnalysis, scenes: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """The first sentence soon after a top sentence that, read with it, has the asked type, names the focus and tells
    of the act: "On a sunny Sunday morning the long columns of protestors marched…" sets the scene, and two sentences
    on "At the head of the largest column was… Father Gapon" names the priest who led the march."""
    for scene in scenes:
        told = next((c for c in _soon_after(scene, pool) if does_act(c.text, part) and in_scene(c.text, part) and lead_fits(c.text, scene.text, part)), None)
        if told is not None:
            return [told]
    return []


def _of_asked_years(candidate: Candidate, part: QuestionAnalysis) -> bool:
    """Whether a sentence is not dated otherwise than the question, by its own years or, when it has none and
    leans on the sentence before it for its topic, by that sentence's ("The number of deaths is impossible to
    calculate…" after "…widespread famine in 1932–3" does not count the famine of 1921)."""
    if dated_otherwise(candidate.text, part):
        return False
    before = _before(candidate)
    return bool(years_in(candidate.text)) or not leans_on_before(candidate.text, before, part) or not dated_otherwise(before, part)


def _on_topic(candidate: Candidate, part: QuestionAnalysis, near_best: bool) -> bool:
    """Whether a sentence that has the asked type and names the focus is about what the part asks, not a
    neighbouring event: it scores near the part's best or has a fair share of its words.

    "On which day was the siege of Leningrad lifted?" is not answered by "…surrounding Leningrad by 8 September",
    nor "Who commanded the Polish army…?" by a sentence on a committee Dzerzhinsky led. A sentence that tells of the
    asked act in other words has the act's words ("were shot" for "killed").
    """
    if near_best or coverage(candidate.text, part) >= TOPIC_COVERAGE:
        return True
    acts = act_stems(part)
    in_other_words = does_act(candidate.text, part) and not acts & content_stems(candidate.text)
    return in_other_words and coverage(candidate.text, part, told=acts) >= TOPIC_COVERAGE


_WH = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}


def _opening_word_is_no_name(question: str) -> bool:
    """Whether the question's first word is capitalised only for opening it: a verb ("Summarise …"), or a word
    before the question word ("Lol why did…", "Yo who was…"), not a proper noun."""
    doc = parse(question.strip())
    return len(doc) > 0 and (doc[0].pos_ not in ("PROPN", "NOUN", "X") or (len(doc) > 1 and doc[1].lower_ in _WH))


def _before(candidate: Candidate) -> str:
    return " ".join(c.text for c in (candidate.before, candidate.short_before) if c is not None)


def _dated(candidate: Candidate) -> str:
    return candidate.dated.text if candidate.dated is not None else ""


def _fits(candidate: Candidate, part: QuestionAnalysis) -> bool:
    return lead_fits(candidate.text, _before(candidate), part, _dated(candidate))


def _answers(candidate: Candidate, part: QuestionAnalysis) -> bool:
    return lead_answers(candidate.text, _before(candidate), part, _dated(candidate))


def _gives_year(candidate: Candidate) -> bool:
    """Whether the sentence, or the earlier one its "that year" refers to, names a year, and it stands on its own (one
    that leans on its predecessor, "This mixed approach began to change in December 1934…", would lead with that)."""
    return (dated(candidate.text) or (candidate.dated is not None and dated(candidate.dated.text))) and not _DANGLING.match(candidate.text)


def _gives_name(candidate: Candidate) -> bool:
    return gives_name(candidate.text)


def _tells_fate(candidate: Candidate, part: QuestionAnalysis) -> bool:
    return tells_fate_of(candidate.text, part)


def _fits_alone(candidate: Candidate, part: QuestionAnalysis) -> bool:
    return lead_fits(candidate.text, _before(candidate), part)


def _link_dates(found: list[Candidate], brief: list[Candidate]) -> None:
    """Link each sentence dated only "that year" to the nearest of the two sentences before it in its passage that
    names a year (short ones included: "Lenin died in January 1924." is five words)."""
    for candidate in found:
        if not dates_back(candidate.text):
            continue
        earlier = sorted((c for c in found + brief if c.passage is candidate.passage and c.start < candidate.start), key=lambda c: c.start, reverse=True)
        candidate.dated = next((c for c in earlier[:2] if dated(c.text)), None)


def _glosses(part: QuestionAnalysis, index: int, ranked: list[Candidate], assessment: Assessment) -> list[Candidate]:
    """For a definition part, the sentences that gloss its term, best first: an explicit gloss from any retrieved
    passage, a weak one ("T was a…") only from the part's best few."""
    if part.answer_type != AnswerType.DEFINITION or not part.focus:
        return []
    near = set(map(id, ranked[:LEAD_DEPTH]))
    strengths = {id(c): gloss_strength(c.text, part.focus) for c in assessment.candidates}
    found = [c for c in assessment.candidates if strengths[id(c)] == 2 or (strengths[id(c)] == 1 and id(c) in near)]
    return sorted(found, key=lambda c: (strengths[id(c)], _part_score(c, index)), reverse=True)


def _part_score(candidate: Candidate, index: int) -> float:
    """A candidate's score for one part of the question (its overall score when the question has one part)."""
    return candidate.part_scores[index] if len(candidate.part_scores) > index else candidate.score


class OfflineComposer:
    """Selects, orders, frames and cites source sentences."""

    def __init__(self, corpus: Corpus, embeddings, sentence_embeddings=None):
        self.corpus = corpus
        self.embeddings = embeddings  # question vectors: the retriever's own encoder, fp32
        self.sentence_embeddings = sentence_embeddings or embeddings
        # Sentence vectors by (source, original start): passages recur across turns, so each sentence is encoded once.
        self._vectors: dict[tuple[str, int], np.ndarray] = {}
        self._lock = threading.Lock()

    def _sentence_vectors(self, found: list[Candidate]) -> list[np.ndarray]:
        return self.vectors([(c.passage.source, c.start, c.text) for c in found])

    def vectors(self, sentences: list[tuple[str, int, str]]) -> list[np.ndarray]:
        """The vectors of sentences given as (source, original start, text), each encoded once per process."""
        keys = [(source, start) for source, start, _ in sentences]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            texts = {(source, start): text for source, start, text in sentences}
            encoded = np.asarray(self.sentence_embeddings.encode([texts[k] for k in missing]))
            with self._lock:
                self._vectors.update(zip(missing, encoded))
        with self._lock:
            return [self._vectors[k] for k in keys]

    def warm(self, passages: list[Passage]) -> None:
        """Build the vocabulary and encode the sentences of these passages ahead of need (the web app does this for the whole store in the background).

        One call for all of them: the encoder batches texts of like length together, and the fewer the
        calls the less padding (every sentence of the store took 7.3 s so against 8.7 s in calls of 32 passages).
        """
        self.vocabulary
        self._sentence_vectors(candidates(self.corpus, passages))

    def assess(
        self, question: str, passages: list[Passage], analysis: QuestionAnalysis | None = None, word: Callable[[str], str] | None = None
    ) -> Assessment:
        """Score every candidate sentence against the question (each part of it, when it has several).

        `question` comes worded as the sources word it; `word` words each part so ("Define perestroyka" is scored as
        "Define perestroika": the encoder reads the two spellings as unrelated words)."""
        found = candidates(self.corpus, passages)
        if not found:
            return Assessment([], 0.0, self.unknown_names(question), analysis)
        split = asked_parts(analysis) if analysis else []
        parts = [(word or str)(p.core) for p in split] or [question]
        kinds = split or [analysis]  # the analysis each scored text answers to (None without one)
        queries = np.asarray(self.embeddings.encode(parts))
        brief = candidates(self.corpus, passages, brief=True) if any(detail(k) for k in kinds if k is not None) else []
        rest = self._sentence_vectors(found + brief)
        wanted = [content_stems(part) for part in parts]
        previous: dict[str, Candidate] = {}
        for candidate, vector in zip(found, rest):
            candidate.vector = vector
            candidate.before = previous.get(candidate.passage.chunk_id)
            previous[candidate.passage.chunk_id] = candidate
        for candidate, vector in zip(brief, rest[len(found) :]):
            candidate.vector = vector
            candidate.before = max((c for c in found if c.passage is candidate.passage and c.start < candidate.start), key=lambda c: c.start, default=None)
        for candidate in found:
            short = max((b for b in brief if b.passage is candidate.passage and b.start < candidate.start), key=lambda b: b.start, default=None)
            if short is not None and (candidate.before is None or short.start > candidate.before.start):
                candidate.short_before = short
        _link_dates(found, brief)
        for candidate in found + brief:
            candidate.part_scores = [_score(candidate, query, want) + _bonus(candidate.text, kind) for query, want, kind in zip(queries, wanted, kinds)]
            candidate.score = max(candidate.part_scores)
        found.sort(key=lambda c: c.score, reverse=True)
        return Assessment(found, found[0].score, self.unknown_names(question), analysis, brief)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the sources, their titles and authors included."""
        texts = [d.text for d in self.corpus.documents()] + [f"{s.title} {s.author}" for s in self.corpus.sources]
        return frozenset(w for text in texts for w in words(text))

    def unknown_names(self, question: str) -> list[str]:
        """Names and years in the question that appear in none of the sources."""
        known = self.vocabulary

        def is_known(word: str) -> bool:
            # "lenins plan": a possessive without its apostrophe names Lenin; "the Cuban Missile Crisis": the sources
            # write only "missiles".
            return word in known or (word.endswith("s") and word[:-1] in known) or f"{word}s" in known or f"{word}es" in known

        named = [n for n in proper_names(question) if not any(is_known(part) for part in n.split("-"))]
        if named and _opening_word_is_no_name(question):
            # "Summarise the main points of the April Theses": a capitalised instruction, not a name the sources lack.
            opening = proper_names(question.split(maxsplit=1)[0])
            named = [n for n in named if n not in opening]
        return named + [str(y) for y in years_in(question) if str(y) not in known]

    def select(self, assessment: Assessment, limit: int | None = None) -> tuple[list[Candidate], list[str]]:
        """The sentences to quote and what the question asks that none of them states.

        Each part of the question gets a lead: its best sentence of the asked type
        (a date for "when", a figure for "how many"); when no good sentence has
        that type, the part's detail is reported missing and its best sentence
        leads. A lead that opens with a pronoun brings the sentence before it.
        The best remaining sentences follow in reading order, without near-repeats.
        """
        analysis = assessment.analysis
        parts = (asked_parts(analysis) or [analysis]) if analysis else [None]
        limit = limit or MAX_SENTENCES + PART_SENTENCES * (len(parts) - 1)
        pool = assessment.candidates
        # A sentence is good when it scores near the best for some part (each part has its own best).
        bests = [max(_part_score(c, i) for c in pool) if pool else 0.0 for i in range(len(parts))]
        good = [c for c in pool if any(_part_score(c, i) >= MIN_SENTENCE_SCORE_SHARE * best for i, best in enumerate(bests))]
        leads: list[Candidate] = []
        missing: list[str] = []
        for index, part in enumerate(parts):
            ranked = sorted((c for c in good if _part_score(c, index) >= MIN_SENTENCE_SCORE_SHARE * bests[index]), key=lambda c: _part_score(c, index), reverse=True)
            if not ranked:
                continue
            lead, lacking = self._lead(part, index, ranked, assessment)
            missing += lacking
            if not _quoted(lead, leads):
                # The sentence before comes too when the lead leans on it: for a pronoun, or for naming the focus.
                leans = _DANGLING.match(lead.text) or _NAMES_WHAT_CAME_BEFORE.search(lead.text) or leans_on_before(lead.text, _before(lead), part)
                before = lead.before if leans else None
                short = lead.short_before if leans else None
                # …and that sentence its own predecessor when it too opens with a pronoun ("Its aim was…").
                earlier = before.before if before is not None and _DANGLING.match(before.text) else None
                # A lead dated "that year" brings the sentence with the year, and any sentence between them.
                dating = lead.dated if part is not None and part.answer_type == AnswerType.DATE and _fits(lead, part) and not _fits_alone(lead, part) else None
                between = lead.before if dating is not None and lead.before is not None and lead.before.start > dating.start else None
                for c in (dating, between, earlier, before, short, lead, _telling_after(lead, part, pool)):
                    if c is not None and not _quoted(c, leads):
                        leads.append(c)
        spare = [c for c in pool if c.score >= FLOOR_SCORE and c not in good]
        return _with_what_they_introduce(self._fill(leads, good, limit, spare), pool), missing

    @staticmethod
    def _lead(part: QuestionAnalysis | None, index: int, ranked: list[Candidate], assessment: Assessment) -> tuple[Candidate, list[str]]:
        """A part's lead sentence, and the detail it asks for when no good sentence has it."""
        missing = []
        if isinstance(part, QuestionAnalysis) and part.blank:
            # A retrieved sentence that fills the blank is the answer, however it ranks.
            filling = next((c for c in assessment.candidates if completes_blank(c.text, part.text)), None)
            if filling is not None:
                return filling, missing
        if part is not None and who_is(part):
            # "Who was Beria?" is answered by the sentence that says who he was ("his deputy, Lavrenty Beria"), if a
            # retrieved one does, however it ranks.
            introducing = [(strength, c) for c in assessment.candidates if (strength := introduction_strength(c.text, part.focus))]
            if introducing:
                # A plain role beside the name beats a "was" that may be a verdict, and a sentence that stands alone
                # one that needs those before it.
                return max(introducing, key=lambda sc: (sc[0], not _DANGLING.match(sc[1].text), _part_score(sc[1], index)))[1], missing
        if part is not None and (wanted := detail(part)) is not None:
            # A sentence that holds most of what is asked, else one that merely has the type, names the focus and
            # is on the part's topic; failing both, a weaker retrieved sentence that has them beats a strong one that
            # lacks them. A far sentence is on topic only by its words.
            top = _part_score(ranked[0], index)
            # A short sentence leads only when it holds most of the question and tells of its act.
            short = [c for c in assessment.brief if act_stems(part) and _part_score(c, index) >= MIN_SENTENCE_SCORE_SHARE * top and does_act(c.text, part) and _answers(c, part)]
            answering = sorted([c for c in ranked[:LEAD_DEPTH] if _answers(c, part)] + short, key=lambda c: _part_score(c, index), reverse=True)
            # A good sentence further down that answers beats a near one that merely has the type ("Which tsar was
            # assassinated in 1881?": Alexander II, not the nobles who assassinated Rasputin in a sentence of 1917).
            if not answering:
                answering = next(([c] for c in ranked[LEAD_DEPTH:] if _answers(c, part)), [])
            typed = answering or [
                c for c in ranked[:LEAD_DEPTH] if _fits(c, part) and _on_topic(c, part, _part_score(c, index) >= TOPIC_SHARE * top)
            ]
            # A detail from another scene does not answer ("where was Stalin when he had his stroke": not Gorki, where
            # Lenin was); one from the asked scene further down may ("where was Nicholas II when he abdicated": Pskov).
            typed = [c for c in typed if in_scene(c.text, part)]

            def farther(acting: bool, keep: Callable[[Candidate], bool] = lambda c: True) -> list[Candidate]:
                # The cheap act test first: the type test parses sentences.
                near = (c for c in assessment.candidates if c.score >= LEAD_FLOOR * assessment.best and (not acting or does_act(c.text, part)))
                placed = (c for c in near if keep(c) and _fits(c, part) and _on_topic(c, part, False) and in_scene(c.text, part))
                return sorted(placed, key=lambda c: _part_score(c, index), reverse=True)[:1]

            # A typed lead tells of the asked act ("died", not the famine area's population), if any good or
            # fairly good retrieved sentence of the type does.
            typed = [c for c in typed if does_act(c.text, part)] or farther(acting=True) or typed or farther(acting=False)
            # "Which country did the USSR invade in 1968?" is not led by the invasion of Georgia in 1921 when a fairly
            # good sentence of the asked year tells of the act.
            typed = [c for c in typed if _of_asked_years(c, part)] or farther(acting=True, keep=partial(_of_asked_years, part=part)) or typed
            if part.answer_type == AnswerType.DATE and not wants_day(part.text) and typed:
                # "When was the Kornilov affair?" asks the year: a sentence without one ("Kornilov was killed… on 13
                # April") gives way to a fairly good one that has it ("…after the Kornilov plot of August 1917").
                typed = [c for c in typed if _gives_year(c)] or farther(acting=True, keep=_gives_year) or typed
            # …and, for "how many strokes", one that counts strokes ("his third stroke", not "twice asked for poison").
            typed = [c for c in typed if counts_asked(c.text, part)] or typed
            if asks_name(part):
                # …and, for "What name did Lenin want…?", one that gives a name, not one that only has the word.
                typed = [c for c in typed if _gives_name(c)] or farther(acting=True, keep=_gives_name) or farther(acting=False, keep=_gives_name) or typed
            # …and, for "What happened to Stolypin?", one whose own verb tells his fate, not a clause beside another's.
            if asks_fate(part):
                telling = partial(_tells_fate, part=part)
                typed = [c for c in typed if telling(c)] or farther(acting=True, keep=telling) or typed
            if part.answer_type in (AnswerType.PERSON, AnswerType.NAME):
                # Only a name: a number or date soon after a scene is too often another one ("24 October" for how many).
                typed = typed or _told_in_scene(part, ranked[:LEAD_DEPTH], assessment.candidates)
            if not typed:
                missing.append(wanted)
            ranked = typed or [c for c in ranked if about_focus(c.text, part)] or ranked
        elif part is not None:
            # "What was the Cheka?" leads with a sentence that names the Cheka, if a good one does; but a retrieved
            # sentence that glosses the asked term ("affluent peasants known as 'kulaks'") says what was asked, however it ranks.
            # A lead opening with a pronoun comes with the sentence it points back to, which may be what names the
            # focus ("They were executed on the night of 16–17 July", after the sentence on the Imperial family).
            about = [c for c in ranked[:LEAD_DEPTH] if about_focus(c.text, part) or (_DANGLING.match(c.text) and about_focus(_before(c), part))]
            if part.answer_type == AnswerType.DEFINITION and part.focus:
                about = [c for c in about if treats(c.text, part.focus)] or about
            # "What happened at Kronstadt in 1921?" is not led by what Trotsky called the sailors in 1917.
            about = [c for c in about if not dated_otherwise(c.text, part)] or about
            ranked = _glosses(part, index, ranked, assessment) or about or ranked
        lead = ranked[0]
        if _DANGLING.match(lead.text) and not (part is not None and expands(lead.text, part)):
            # A lead that stands on its own reads better than one that needs the sentence before it (but the one
            # sentence that spells out an asked abbreviation leads even so, and brings its predecessor).
            # A lead that tells of the asked act gives way only to one that does too ("They were executed on the night
            # of 16–17 July", not "Two years later, the Imperial family were canonized").
            acting = part is not None and act_stems(part) and does_act(lead.text, part)
            lead = next(
                (
                    c
                    for c in ranked[1:LEAD_DEPTH]
                    if not _DANGLING.match(c.text)
                    and _part_score(c, index) >= STANDALONE_SHARE * _part_score(lead, index)
                    and (not acting or does_act(c.text, part))
                ),
                lead,
            )
        return lead, missing

    @staticmethod
    def _fill(leads: list[Candidate], good: list[Candidate], limit: int, spare: list[Candidate] = ()) -> list[Candidate]:
        """The leads, then the best other good sentences without near-repeats, up to `limit` (in reading order);
        `spare` sentences make up an answer that would otherwise have fewer than MIN_SENTENCES."""
        chosen = list(leads)
        context = sum(1 for c in leads if c not in good)  # brought along for a pronoun, not chosen
        for candidate in [*good, *spare]:
            if len(chosen) - context >= (limit if candidate in good else min(limit, MIN_SENTENCES)):
                break
            if _quoted(candidate, chosen) or any(float(candidate.vector @ c.vector) > REPEAT_SIMILARITY for c in chosen):
                continue
            before = candidate.before
            if _DANGLING.match(candidate.text) and before is not None and not _quoted(before, chosen):
                # "This ironclad belief rendered Nicholas unwilling…" says what it means only after the sentence before.
                chosen.append(before)
                context += 1
            chosen.append(candidate)
        head, tail = chosen[: len(leads)], chosen[len(leads) :]
        if head:
            tail.sort(key=lambda c: (c.passage.source != head[0].passage.source, c.passage.source, c.start))
        return head + tail


    def cite(self, candidate: Candidate, number: int) -> Citation:
        """A numbered citation quoting a candidate sentence exactly as the original has it."""
        passage = candidate.passage
        return Citation(
            number=number,
            source=passage.source,
            title=passage.title,
            location=passage.location,
            chunk_id=passage.chunk_id,
            quote=self.corpus.document(passage.source).original[candidate.start : candidate.end],
            start=candidate.start,
            end=candidate.end,
        )

    def compose(self, question: str, assessment: Assessment, intro: str) -> Composition:
        """An answer of cited source sentences under a fact-free intro line (which says what the sources don't give)."""
        chosen, missing = self.select(assessment)
        if missing:
            intro = f"The sources don't give {' or '.join(dict.fromkeys(missing))}. Here is what they say."
        citations = [self.cite(c, n) for n, c in enumerate(chosen, 1)]
        body = []
        previous_source = chosen[0].passage.source if chosen else None
        for n, c in enumerate(chosen, 1):
            if c.passage.source != previous_source:
                kind = self.corpus.source(c.passage.source).kind
                body.append(f"\n\nThe {kind} adds this.\n\n")
                previous_source = c.passage.source
            body.append(f"{c.text} [{n}] ")
        return Composition(f"{intro}\n\n{''.join(body).strip()}".strip(), citations, chosen, missing, intro)


PREMISE_WORD_SHARE = 0.5  # share of a presupposed claim's words one good sentence must have to support it
# "What did the Kronstadt sailors want in 1921?" asks what happened and asserts next to nothing ("the sailors want in
# 1921"), so a what-question is not checked: it was flagged whenever the 1921 passage ranked below the 1917 ones
# (no item of the dev or test splits changed without "what").
_PRESUPPOSING = re.compile(r"^\s*(why|how|when|where)\s+(did|was|were|had|has|does|do|is|are)\s+", re.IGNORECASE)


def premise_unsupported(
    question: str, assessment: Assessment, depth: int = 8, years_of: Callable[[Candidate], frozenset[int]] = lambda c: frozenset()
) -> bool:
    """Whether a question that presupposes a dated claim ("Why did X become Y in 1922?") finds no sentence that states it.

    The claim is the question without its question words (or a true-or-false
    statement); it is supported when one of the best sentences has all its names
    and numbers and half its words. Only claims with a date or number are checked:
    without one, names written differently ("the New Economic Policy" and "NEP")
    make too many false alarms. Questions that ask for a thing, a name, a date or a
    figure ("What was the secret police called in the 1930s?") assert nothing to check.
    A sentence that writes no year of its own has the years `years_of` gives it (the
    timeline's, from its paragraph or chapter: "At the beginning of February, Petrograd
    workers began several strikes" is of 1917).
    """
    claim = _claim(question, assessment.analysis)
    if claim is None or not re.search(r"\d", claim):
        return False

    def states(c: Candidate) -> bool:
        years = frozenset() if years_in(c.text) else years_of(c)
        text = " ".join([c.text, *map(str, sorted(years))])
        return check(claim, text, min_share=PREMISE_WORD_SHARE)[0] or _dates_its_names(claim, c, years)

    return not any(states(c) for c in assessment.candidates[:depth])


def as_when_question(core: str) -> str | None:
    """A why- or how-question presupposing a dated act, asked as a when-question ("Why did Lenin go into hiding in
    July 1917?" as "When did Lenin go into hiding in July 1917?"), else None."""
    m = _PRESUPPOSING.match(core)
    return f"When {core[m.start(2):]}" if m and m.group(1).lower() in ("why", "how") else None


def _claim(question: str, analysis: QuestionAnalysis | None) -> str | None:
    """What the question asserts (None when it asks for a thing, a name, a date or a figure)."""
    if analysis is not None and analysis.answer_type == AnswerType.TRUE_FALSE:
        return analysis.core
    if analysis is not None and analysis.answer_type not in (AnswerType.CAUSE, AnswerType.EVENT, AnswerType.OTHER):
        return None
    # The claim as analysed: names capitalised, in the sources' words ("why did the tsar step down" names the Tsar).
    asked = analysis.core if analysis is not None and analysis.core else question
    if analysis is not None and (parts := asked_parts(analysis)):
        # Of a two-part question, the part that presupposes: "Why was Nicholas forced to concede the October
        # Manifesto in 1905, and what was Witte's aim?" claims nothing about Witte.
        asked = next((p.core for p in parts if _PRESUPPOSING.match(p.core)), asked)
    return _PRESUPPOSING.sub("", asked).rstrip("?") if _PRESUPPOSING.match(asked) else None


def _dates_its_names(claim: str, candidate: Candidate, years: frozenset[int] = frozenset()) -> bool:
    """The sentence, read with the one before it, names every name of the claim (by stem: "Bolsheviks" is in
    "Bolshevik leaders") and gives one of its years (or is of one of them: `years`).

    A true question is seldom worded as its answer ("Why did the Bolsheviks sign the Treaty of Brest-Litovsk in
    1918?"), so the word test alone called true questions false; a false date is one no sentence on those names gives.
    Measured on 20 true dated questions of my own and the 25 false-premise items of dev and test: false alarms 8 -> 4,
    false premises flagged 11 -> 9 (the two lost are false in a detail other than the year: "only Ukraine"). Reading
    the whole passage instead cut false alarms to 3 but lost four flags, among them "Why did Trotsky become the
    Party's General Secretary in 1922?", whose passage names both men and the year.
    """
    text = f"{candidate.before.text} {candidate.text}" if candidate.before else candidate.text
    # A regnal number is seldom written beside the name ("Nicholas had taken direct command of the army"), the setting
    # seldom named at all, and a place may be named by its people ("Why did Russia go to war with Japan in 1904?":
    # "…ravaged by a Japanese surprise attack").
    named = {w for name in proper_names(claim) for w in words(name) if w.upper() not in REGNAL_NUMBERS}
    if named and named <= SETTING_WORDS:
        # A claim about the setting alone ("Why did the USSR collapse in 1991?") is told by a sentence that names the
        # setting any way it likes ("the collapse of the Soviet system in 1991") and has the claim's other words and
        # a year of it, on its own ("In 1985 the Soviet Union seemed as permanent as any state" dates no collapse).
        setting = {stem(w) for w in SETTING_WORDS - {"the"}}
        own = content_stems(candidate.text)
        rest = content_stems(claim) - setting
        told = not rest or len(rest & own) / len(rest) >= PREMISE_WORD_SHARE
        return bool(set(years_in(claim)) & (set(years_in(candidate.text)) | years)) and bool(own & setting) and told
    # A title names its holder ("Why did the Tsar abdicate…?" is told by "the abdication of Emperor Nicholas II"), and
    # beside other names the setting may go unnamed ("Why was Trotsky expelled from the USSR in 1929?": "…he was
    # deported from the Soviet Union in 1929"), as session 25 decided and session 28's rewrite of this function lost.
    names = {stem(w) for w in as_holders(named - SETTING_WORDS)}
    said = {stem(w) for w in as_holders(as_places(set(words(text))))}
    return bool(set(years_in(claim)) & (set(years_in(text)) | years)) and bool(names) and names <= said
