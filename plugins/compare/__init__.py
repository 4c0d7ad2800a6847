"""Compare mode: what the book says and what the article says, side by side, each a cited sentence,
with the figures, dates and named people they give differently flagged, and "only one source
covers this" when the other is silent.

Each source is searched on its own (the same retrieval, restricted to that source) and its
sentences scored against the question as the explainer scores them; a source whose best sentence
scores below the explainer's bar does not cover the question. Beside each source's best sentence,
the best pair of sentences (one from each source, among each one's six best) that tell of the
same thing and give a figure, date or person differently is shown and flagged (see
`differences`). Dates are compared in New Style, so the book's Old Style "25 October" and the
article's "7 November" agree. The headings and the comparison lines are framing built from the
cited sentences' own figures and dates; every sentence of the sources is quoted and cited.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tutor.compose import IN_SCOPE_SCORE, Candidate
from tutor.hookspecs import hookimpl
from tutor.models import Citation, TurnResult
from tutor.plugin_api import Mode, TurnContext
from tutor.retrieve import Filters
from tutor.timeline.events import TimelineEvent, load_timeline

from tutor_plugins.compare.differences import Comparison, about_the_same, compare_sentences

POOL = 8  # best sentences of each source considered for a differing pair (each with the sentence after it)
PAIR_FLOOR = 0.6  # a pair's sentences must score this share of their source's best
NEXT_SHARE = 0.95  # the sentence after a good one ranks just below it: figures often follow the sentence naming the topic
# "How do the sources differ on …", "Compare the sources on …": the words that ask for a comparison, not the topic.
_FRAMING = re.compile(
    r"^\s*(?:(?:how|where|in what ways?)\s+do\s+(?:the\s+)?(?:two\s+)?(?:sources|texts|book and (?:the )?article)\s+(?:differ|disagree|agree|compare)\s+(?:on|about|over|in)\s+"
    r"|compare\s+(?:the\s+)?(?:two\s+)?(?:sources|texts)\s+(?:on|about)\s+|what do (?:the\s+)?(?:two\s+)?(?:sources|texts) say about\s+)",
    re.IGNORECASE,
)
KIND_WORDS = {"figures": "The figures differ", "dates": "The dates differ", "people": "They name different people"}


def topic_of(question: str) -> str:
    """The question without the words that ask for a comparison."""
    return _FRAMING.sub("", question).strip() or question


@lru_cache(maxsize=4)
def _timeline(corpus, data_dir) -> dict[str, list[TimelineEvent]]:
    by_source: dict[str, list[TimelineEvent]] = {}
    for event in load_timeline(corpus, data_dir):
        by_source.setdefault(event.source, []).append(event)
    return by_source


def dates_of(tools, candidate: Candidate) -> list[TimelineEvent]:
    """The timeline's dates of a candidate sentence (its span overlaps theirs)."""
    events = _timeline(tools.services.corpus, tools.services.settings.data_dir).get(candidate.passage.source, [])
    return [e for e in events if e.start < candidate.end and candidate.start < e.end]


def pool(assessment) -> list[tuple[Candidate, float]]:
    """A source's sentences worth comparing, with their rank: its best ones and the sentence after each."""
    floor = max(IN_SCOPE_SCORE, PAIR_FLOOR * assessment.best)
    ordered = sorted(assessment.candidates, key=lambda c: (c.passage.chunk_id, c.start))
    after = {id(a): b for a, b in zip(ordered, ordered[1:]) if a.passage.chunk_id == b.passage.chunk_id}
    ranked: dict[tuple[str, int], tuple[Candidate, float]] = {}

    def add(candidate: Candidate, rank: float) -> None:
        key = (candidate.passage.source, candidate.start)  # the same sentence may come in two passages
        if key not in ranked or ranked[key][1] < rank:
            ranked[key] = (candidate, rank)

    for c in assessment.candidates[:POOL]:
        if c.score < floor:
            break
        add(c, c.score)
        if id(c) in after:
            add(after[id(c)], NEXT_SHARE * c.score)
    return list(ranked.values())


def timeline_pair(tools, retrieved) -> tuple[Candidate, Candidate, Comparison] | None:
    """A dating disagreement the timeline flags between sentences of the two sources' retrieved passages.

    Short sentences ("The attack began on 16 June.") are not scored as answers, but the timeline
    knows their dates and which sentence of the other source tells of the same event.
    """
    sentences: dict[str, list[TimelineEvent]] = {}
    for events in _timeline(tools.services.corpus, tools.services.settings.data_dir).values():
        for e in events:
            sentences.setdefault(e.key, []).append(e)

    def candidate(events: list[TimelineEvent], passages) -> Candidate | None:
        e = events[0]
        passage = next((p for p in passages if p.source == e.source and p.start <= e.start and e.end <= p.end), None)
        return Candidate(rank=0, passage=passage, text=e.text, start=e.start, end=e.end) if passage else None

    for key, events in sentences.items():
        flagged = [k for e in events for k in e.disagrees_with]
        first = candidate(events, retrieved[0]) if flagged else None
        if first is None:
            continue
        for other in dict.fromkeys(flagged):
            second = candidate(sentences.get(other, []), retrieved[1]) if other in sentences else None
            if second is None:
                continue
            comparison = compare_sentences(first.text, second.text, events, sentences[other], set(), set())
            if comparison.differences:
                return first, second, comparison
    return None


def people_of(tools, sentence: str) -> set[str]:
    """The people a sentence names (spaCy PERSON entities)."""
    return {e.text for e in tools.analyse(sentence).entities if e.label == "PERSON"}


class Comparer(Mode):
    name = "compare"
    title = "Compare"
    description = "Sets what the book says beside what the article says, each cited, and flags where their figures, dates or names differ."

    def turn(self, ctx: TurnContext) -> TurnResult | None:
        if ctx.command:
            return None
        tools = ctx.tools
        topic = topic_of(ctx.query)
        k = tools.services.settings.retrieval.answer_k
        sides, passages = [], []
        retrieved = []
        for source in tools.services.corpus.sources:
            found = tools.retrieve(topic, k=k, filters=Filters(sources=(source.id,)))
            passages += found
            retrieved.append(found)
            assessment = tools.assess(topic, found)
            sides.append((source, assessment if assessment.in_scope else None))
        covering = [(s, a) for s, a in sides if a is not None]
        if not covering:
            return tools.abstain(topic, passages, self.name)
        dated = timeline_pair(tools, retrieved) if len(covering) == 2 else None
        return self._compose(ctx, topic, covering, [s for s, a in sides if a is None], passages, dated)

    def _pair(self, tools, topic: str, first, second) -> tuple[Candidate, Candidate, Comparison] | None:
        """The best pair of sentences of the two sources that tell of the same thing and differ."""
        pools = [pool(assessment) for assessment in (first, second)]
        person = first.analysis is not None and first.analysis.answer_type == "person"
        best, best_rank = None, 0.0
        for a, rank_a in pools[0]:
            for b, rank_b in pools[1]:
                if rank_a + rank_b <= best_rank or not about_the_same(a.text, b.text, topic):
                    continue
                comparison = compare_sentences(
                    a.text, b.text, dates_of(tools, a), dates_of(tools, b),
                    people_of(tools, a.text) if person else set(), people_of(tools, b.text) if person else set(),
                )
                if comparison.differences:
                    best, best_rank = (a, b, comparison), rank_a + rank_b
        return best

    def _compose(self, ctx: TurnContext, topic: str, covering, silent, passages, dated=None) -> TurnResult:
        tools = ctx.tools
        framing = ["Here is what each source says."]
        lines = [framing[0]]
        citations: list[Citation] = []
        pair = self._pair(tools, topic, covering[0][1], covering[1][1]) if len(covering) == 2 else None
        pair = pair or dated
        numbers: dict[tuple[str, int], int] = {}

        def cite(candidate: Candidate) -> int:
            key = (candidate.passage.source, candidate.start)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(tools.composer.cite(candidate, numbers[key]))
            return numbers[key]

        for index, (source, assessment) in enumerate(covering):
            heading = f"**{source.title}** ({source.kind}):"
            framing.append(heading)
            lines += ["", heading]
            shown = [assessment.candidates[0]]
            if pair and (pair[index].passage.source, pair[index].start) != (shown[0].passage.source, shown[0].start):
                shown.append(pair[index])
            for candidate in sorted(shown, key=lambda c: c.start):
                lines.append(f"{candidate.text} [{cite(candidate)}]")
        for source in silent:
            note = f"Only one source covers this: *{source.title}* does not."
            framing.append(note)
            lines += ["", note]
        if len(covering) == 2:
            lines.append("")
            if pair:
                a, b, comparison = pair
                for difference in comparison.differences:
                    line = f"**Where they differ.** {KIND_WORDS[difference.kind]}: the {covering[0][0].kind} gives {', '.join(difference.first)} [{cite(a)}]; the {covering[1][0].kind} gives {', '.join(difference.second)} [{cite(b)}]."
                    framing.append(line)
                    lines.append(line)
            else:
                line = "**Where they differ.** No figure, date or name in these sentences differs."
                framing.append(line)
                lines.append(line)
        answer = "\n".join(lines)
        ctx.stream.append(answer)
        return TurnResult(answer=answer, mode=self.name, backend="offline", citations=citations, passages=passages, framing=framing)


@hookimpl
def register_modes(register):
    register(Comparer())
