"""The services the core offers to modes: retrieve, assess, write (LLM or offline, with fallback), abstain, cite, verify."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property, lru_cache

import numpy as np

from tutor import llm
from tutor.answer_types import coverage, who_is
from tutor.compose import Assessment, OfflineComposer, as_when_question, premise_unsupported
from tutor.follow_ups import follow_up_questions
from tutor.glossary import glossing
from tutor.models import Citation, GroundingEntry, Passage, TurnResult
from tutor.plugin_api import Stream
from tutor.question import AnswerType, QuestionAnalysis, asked_parts
from tutor.question import analyse as analyse_question
from tutor.prompts import render
from tutor.retrieve import Filters
from tutor.services import Services
from tutor.text import match_form, sentence_spans, years_in
from tutor.timeline.answers import dating, sentence_years
from tutor.timeline.events import TimelineEvent, load_timeline
from tutor.timeline.styles import gloss_old_style
from tutor.verify import content_stems, strip_markers, verify

ABSTAIN = (
    "The sources don't cover that. They are *{titles}*, which tell the story of Russia's revolution "
    "from the famine of 1891 to the end of the Soviet Union in 1991, so I can't answer from them."
)
PREMISE = "The sources don't support part of what the question assumes. Here is what they say."
INTROS = {
    AnswerType.CAUSE: "Here is how the sources explain it.",
    AnswerType.DATE: "Here is what the sources say about when it happened.",
    AnswerType.PERSON: "Here is what the sources say about who was involved.",
    AnswerType.NUMBER: "Here is what the sources say about the figures.",
    AnswerType.PLACE: "Here is what the sources say about where it happened.",
}
DATING_PASSAGES = 2  # passages of the dated sentences closest to a when-question, put before the retrieved ones
HOW_INTRO = "Here is how the sources describe it."
DEFAULT_INTRO = "Here is what the sources say."


def intro_for(analysis: QuestionAnalysis | None) -> str:
    """A fact-free opening line matched to what the question asks for (its analysed answer type, not its first
    word: "How many…" asks for figures, "Who was Lenin?" for what he was, and a two-part question for two things)."""
    if analysis is None or asked_parts(analysis) or (analysis.answer_type == AnswerType.PERSON and who_is(analysis)):
        return DEFAULT_INTRO
    if analysis.answer_type == AnswerType.CAUSE and analysis.core.lower().startswith("how did"):
        return HOW_INTRO  # "How did Lenin take power?" asks for the course of events as much as its causes
    if analysis.answer_type == AnswerType.PLACE and not analysis.core.lower().startswith("where"):
        return DEFAULT_INTRO  # "Which countries backed the Whites?" asks for no scene
    return INTROS.get(analysis.answer_type, DEFAULT_INTRO)


class Toolkit:
    """Given to every mode; one per engine."""

    def __init__(self, services: Services):
        self.services = services

    @cached_property
    def composer(self) -> OfflineComposer:
        return OfflineComposer(self.services.corpus, self.services.embeddings, self.services.sentence_embeddings)

    @cached_property
    def timeline(self) -> list[TimelineEvent]:
        """The dated sentences of the sources (read from the data folder's cache after the first build)."""
        return load_timeline(self.services.corpus, self.services.settings.data_dir)

    @cached_property
    def sentence_years(self) -> Callable[[str, int, int], frozenset[int]]:
        """The years the timeline gives a sentence of the sources (by source and original span)."""
        return sentence_years(self.timeline)

    @cached_property
    def chat_model(self):
        return llm.make_chat_model(self.services.settings.llm)

    @property
    def backend(self) -> str:
        """The configured answer backend's label."""
        return llm.backend_label(self.services.settings.llm)

    def warm(self) -> None:
        """Load the question parser, index the names the sources use and encode every stored sentence once,
        so steady-state turns only encode the question (the web app does this in the background)."""
        self.analyse("Who led the Bolsheviks in 1917?")
        retriever = self.services.retriever
        retriever.worded("Milyukov")
        self.composer.warm([Passage(**c.model_dump()) for c in retriever.chunks])
        self.timeline

    def analyse(self, question: str) -> QuestionAnalysis:
        """What the question asks: answer type, focus, parts, quiz framing removed.

        Retrieval and assessment both ask within one turn; the parse is cached so a
        turn pays for spaCy once. Callers must treat the analysis as read-only.
        """
        return _analysed(question)

    def retrieve(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        """Hybrid retrieval for a question: its quiz framing left out, its hints kept, each part of a multi-part question
        searched, and the student's own wording as well as the sources' when the two differ.

        The parts' rankings are dealt out in turn, so every part has passages among the first k.
        """
        k = k or self.services.settings.retrieval.k
        filters = filters or Filters()
        analysis = self.analyse(query)
        hints = " ".join(analysis.hints)
        searches = [f"{part.core} {hints}".strip() for part in asked_parts(analysis)] or [f"{analysis.core or query} {hints}".strip()]
        if analysis.own_words:
            # The sources also use some students' words for other acts ("in charge of" beside "led"): search both wordings.
            searches.append(f"{analysis.own_words} {hints}".strip())
        rankings = [self.services.retriever.search(text, k=k, filters=filters) for text in searches]
        merged: dict[str, Passage] = {p.chunk_id: p for p in self._glosses(analysis, filters) + self._dating(analysis, filters)}
        for rank in range(k):
            for ranking in rankings:
                if rank < len(ranking):
                    merged.setdefault(ranking[rank].chunk_id, ranking[rank])
        return list(merged.values())[:k]

    def _glosses(self, analysis: QuestionAnalysis, filters: Filters) -> list[Passage]:
        """For a definition question, the passages where the sources gloss its term ("known as the Yezhovshchina"):
        they come first, since a passing gloss is what answers and neither retriever ranks it high."""
        retriever = self.services.retriever
        found: list[Passage] = []
        for part in asked_parts(analysis) or [analysis]:
            if part.answer_type != AnswerType.DEFINITION or not part.focus:
                continue
            for focus in dict.fromkeys((part.focus, retriever.worded(part.focus))):
                found += [Passage(**c.model_dump()) for c in glossing((c for c in retriever.chunks if filters.allows(c)), focus)]
        return found

    def _dating(self, analysis: QuestionAnalysis, filters: Filters) -> list[Passage]:
        """For a when-question, the passages of the timeline's sentences that date its act (`tutor.timeline.answers`),
        closest to the question first: they come first, since neither retriever ranks such a sentence high."""
        retriever = self.services.retriever
        found: list[Passage] = []
        for part in asked_parts(analysis) or [analysis]:
            if part.answer_type != AnswerType.DATE:
                continue
            worded = self.analyse(retriever.worded(part.core))
            held = [(e, chunk) for e in dating(self.timeline, worded) if (chunk := retriever.holding(e.source, e.start, e.end)) and filters.allows(chunk)]
            if not held:
                continue
            question = np.asarray(self.services.embeddings.encode([worded.core]))[0]
            vectors = self.composer.vectors([(e.source, e.start, e.text) for e, _ in held])
            closeness = [float(v @ question) / (np.linalg.norm(v) * np.linalg.norm(question)) for v in vectors]
            # A sentence with all of the question's words first ("…the Kronstadt rebellion in March 1921"), however
            # close a shorter one with half of them is ("In 1917 Trotsky had called the Kronstadt sailors…").
            shares = [coverage(e.text, worded) for e, _ in held]
            order = sorted(range(len(held)), key=lambda i: (shares[i], closeness[i]), reverse=True)
            found += [Passage(**held[i][1].model_dump()) for i in order[:DATING_PASSAGES]]
        return found

    def _dated_as_asked(self, analysis: QuestionAnalysis | None) -> bool:
        """Whether the timeline dates the act a why- or how-question presupposes to a year it gives: "Why did Lenin
        go into hiding in July 1917?" asked as "When did Lenin go into hiding in July 1917?" finds a sentence of July
        1917 on his flight, though the retrieved sentences on it write no year."""
        asked = as_when_question(analysis.core) if analysis is not None and analysis.years else None
        if asked is None:
            return False
        when = self.analyse(asked)
        # A sentence giving other years too may date something else by them ("Removed from office in January 1925,
        # Trotsky was expelled from the Party on 12 November 1927" does not date an expulsion to 1925).
        return any(event.year in analysis.years and set(years_in(event.text)) <= set(analysis.years) for event in dating(self.timeline, when))

    def assess(self, question: str, passages: list[Passage]) -> Assessment:
        """Score the passages' sentences against the question (and decide whether the sources cover it).

        The question is scored as the sources word it (its quiz framing removed,
        spellings they don't use replaced), so "Ezhov" is not an unknown name.
        """
        analysis = self.analyse(question)
        retriever = self.services.retriever
        worded = retriever.worded(analysis.core or question)
        return self.composer.assess(worded, passages, analysis, retriever.worded)

    def abstain(self, question: str, passages: list[Passage], mode: str) -> TurnResult:
        """The answer when the sources are silent: what they cover, and questions they can answer."""
        titles = "* and *".join(s.title for s in self.services.corpus.sources)
        follow = follow_up_questions(question, passages, self.services.corpus)
        return TurnResult(answer=ABSTAIN.format(titles=titles), mode=mode, backend="offline", abstained=True, passages=passages, follow_ups=follow)

    def answer(
        self,
        question: str,
        passages: list[Passage],
        assessment: Assessment,
        mode: str,
        prompt: str = "explain",
        stream: Stream | None = None,
        **prompt_values: str,
    ) -> TurnResult:
        """Write a cited answer with the configured backend; if the LLM fails, compose offline and say so.

        The answer is appended to `stream` as it is written; what an LLM streamed
        before failing is taken back.
        """
        notices = []
        if self.chat_model is not None:
            try:
                shown = passages[: self.services.settings.retrieval.k]
                return self.llm_answer(question, shown, mode, prompt, stream, **prompt_values)
            except Exception as exc:  # any failure of the LLM path falls back; the reason is shown to the user
                notices.append(self.fallback_notice(exc))
                if stream is not None:
                    stream.restart()
        years = self.sentence_years
        unsupported = premise_unsupported(question, assessment, years_of=lambda c: years(c.passage.source, c.start, c.end))
        unsupported = unsupported and not self._dated_as_asked(assessment.analysis)
        intro = PREMISE if unsupported else intro_for(assessment.analysis)
        composition = self.composer.compose(question, assessment, intro)
        answer = gloss_old_style(composition.answer, composition.citations, self.timeline)
        if stream is not None:
            stream.append(answer)
        return TurnResult(
            answer=answer,
            mode=mode,
            backend="offline",
            missing=composition.missing,
            citations=composition.citations,
            passages=passages,
            framing=[composition.intro],
            notices=notices,
            follow_ups=follow_up_questions(question, passages, self.services.corpus),
        )

    def llm_answer(self, question: str, passages: list[Passage], mode: str, prompt: str, stream: Stream | None = None, **prompt_values: str) -> TurnResult:
        """An answer written by the configured LLM with the named prompt, streamed as it comes; raises when the LLM fails."""
        text = llm.write(self.chat_model, prompt, question, passages, stream.append if stream is not None else None, **prompt_values)
        citations = self.cite_passages(text, passages)
        # The Old Style glosses are added once the text is complete; the engine then re-sends the final answer.
        answer = gloss_old_style(text, citations, self.timeline)
        return TurnResult(
            answer=answer,
            mode=mode,
            backend=self.backend,
            citations=citations,
            passages=passages,
            follow_ups=follow_up_questions(question, passages, self.services.corpus),
        )

    def fallback_notice(self, exc: Exception) -> str:
        """What the learner is told when the LLM failed and the offline composer answered."""
        return f"The language model ({self.backend}) failed ({type(exc).__name__}: {str(exc)[:120]}); this answer was composed offline from the sources."

    def cite_passages(self, answer: str, passages: list[Passage]) -> list[Citation]:
        """Citations for an LLM answer's [n] markers: the sentence of passage n closest to what cites it."""
        citing: dict[int, list[str]] = {}
        flat = answer.replace("\n", " ")
        previous = ""
        for a, b in sentence_spans(flat):
            text, cited = strip_markers(flat[a:b])
            # "… 1917. [1]": the splitter gives the marker a "sentence" of its own; it cites the one before.
            text = text if text.strip() else previous
            for n in cited:
                citing.setdefault(n, []).append(text)
            previous = text
        citations = []
        for n in sorted(citing):
            if not 1 <= n <= len(passages):
                continue
            passage = passages[n - 1]
            doc = self.services.corpus.document(passage.source)
            base = doc.clean_start_of(passage.text, passage.start)
            wanted = content_stems(" ".join(citing[n]))
            spans = sentence_spans(passage.text) or [(0, len(passage.text))]
            a, b = max(spans, key=lambda s: len(wanted & content_stems(passage.text[s[0] : s[1]])))
            start, end = doc.original_span(base + a, base + b)
            citations.append(
                Citation(number=n, source=passage.source, title=passage.title, location=passage.location, chunk_id=passage.chunk_id, quote=doc.original[start:end], start=start, end=end)
            )
        return citations

    def supports(self, result: TurnResult) -> dict[int, str]:
        """What each citation number stands for: the quote (offline) or the whole cited passage (LLM)."""
        by_chunk = {p.chunk_id: p for p in result.passages}
        out = {}
        for c in result.citations:
            passage = by_chunk.get(c.chunk_id)
            out[c.number] = passage.text if result.backend != "offline" and passage else c.quote
        return out

    def verify(self, result: TurnResult) -> TurnResult:
        """Fill in the grounding report of a result (an abstention only describes the sources: nothing to check)."""
        started = time.perf_counter()
        if result.abstained:
            result.grounding = [GroundingEntry(text=result.answer, supported=True, factual=False)]
            return result
        result.grounding, result.bad_markers = verify(result.answer, self.supports(result))
        framing = {match_form(strip_markers(s)[0]) for f in result.framing for s in (f[a:b] for a, b in sentence_spans(f))}
        for entry in result.grounding:
            if match_form(entry.text) in framing:
                entry.factual, entry.supported, entry.problems = False, True, []
        result.timings["verify"] = round(time.perf_counter() - started, 4)
        return result

    def render(self, name: str, **values: str) -> str:
        """Fill a prompt template from prompts/."""
        return render(name, **values)


@lru_cache(maxsize=512)
def _analysed(question: str) -> QuestionAnalysis:
    return analyse_question(question)
