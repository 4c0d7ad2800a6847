"""Scoring one eval item's reply, aggregating scores into metrics, and the thresholds gate."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from tutor.corpus import Corpus
from tutor.evaluation.dataset import EvalItem, KeywordGroups
from tutor.models import Passage, TurnResult
from tutor.retrieval_metrics import first_hit_rank, recall
from tutor.text import match_form, sentence_spans
from tutor.timeline.styles import strip_style_glosses
from tutor.verify import _TRAILING_MARKERS, check, strip_markers  # the verifier's marker pattern: split sentences as it does

# Items whose answer is in the sources: abstaining on them is a mistake.
ANSWERABLE_KINDS = ("answerable", "multi_hop", "false_premise")


def keyword_form(text: str) -> str:
    """Case-, Unicode-, punctuation- and space-insensitive form in which keywords are matched."""
    # match_form folds quotes, dashes, "per cent" and thousands separators; other punctuation becomes a space
    # so that "Five-Year Plan" and "Five Year Plan" match.
    return " ".join(re.sub(r"[^\w%]+", " ", match_form(text)).split())


def mentions(text: str, phrase: str) -> bool:
    """Whether the text contains the phrase (both in keyword form)."""
    wanted = keyword_form(phrase)
    return bool(wanted) and wanted in keyword_form(text)


def has_all_groups(text: str, groups: KeywordGroups) -> bool:
    """Whether the text contains at least one alternative of every group."""
    return all(any(mentions(text, alternative) for alternative in group) for group in groups)


def has_any_keyword(text: str, groups: KeywordGroups) -> bool:
    """Whether the text contains any alternative of any group (a Socratic reply giving the answer away)."""
    return any(mentions(text, alternative) for group in groups for alternative in group)


def states_key_facts(text: str, item: EvalItem) -> bool | None:
    """Whether the text states every answer-keyword group; None for items without keywords and Socratic ones (which must not)."""
    return has_all_groups(text, item.answer_keywords) if item.answer_keywords and item.kind != "socratic" else None


def reply_text(result: TurnResult) -> str:
    """The answer without its suggested follow-up questions, which are not claims and would inflate keyword matches."""
    text = result.answer
    for question in result.follow_ups:
        text = text.replace(question, "")
    return text


class ItemScores(BaseModel):
    """What one reply achieved; None where a score does not apply to the item."""

    hit_at_5: bool | None = Field(None, description="An evidence quote lies in the top 5 retrieved passages.")
    recall_at_10: float | None = Field(None, description="Share of the evidence quotes in the top 10.")
    reciprocal_rank: float | None = Field(None, description="1 / rank of the first passage holding a quote (0 if none in the top 10).")
    key_facts: bool | None = Field(None, description="Every answer-keyword group is present (items with answer keywords, not Socratic).")
    forbidden_absent: bool = True
    abstained: bool = False
    said_missing: bool = Field(False, description="The reply abstained or said which asked detail the sources lack.")
    correct: bool = Field(description="The reply does what the item's kind asks for.")
    crag: int = Field(description="+1 correct, 0 abstained, -1 wrong.")
    sentences: int = Field(0, description="Factual answer sentences.")
    supported: int = Field(0, description="Factual sentences the verifier supports.")
    cited_supported: int = Field(0, description="Factual sentences whose cited texts together support them (ALCE recall).")
    citations: int = Field(0, description="Citation markers on factual sentences.")
    precise_citations: int = Field(0, description="Citations needed for their sentence's support (ALCE precision).")


def retrieval_scores(corpus: Corpus, retrieved: list[Passage], item: EvalItem) -> dict:
    """hit@5, recall@10 and reciprocal rank of the evidence quotes in the retrieved top 10 (nothing without evidence)."""
    if not item.evidence:
        return {}
    rank = first_hit_rank(corpus, retrieved[:10], item.evidence)
    return {
        "hit_at_5": rank is not None and rank <= 5,
        "recall_at_10": recall(corpus, retrieved[:10], item.evidence),
        "reciprocal_rank": 1 / rank if rank else 0.0,
    }


def _supported_by(sentence: str, texts: list[str]) -> bool:
    # Joined as the verifier joins several cited texts, and read as it reads them: without the core's correct
    # calendar glosses ("(7 November New Style)", "(2 March Old Style)"), which it checks on their own.
    return check(strip_style_glosses(sentence), " ".join(texts))[0]


def cited_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """Every sentence of an answer with the citation numbers it carries, split exactly as the verifier splits."""
    answer = _TRAILING_MARKERS.sub(r"\2\1", answer)
    return [strip_markers(line[a:b]) for line in answer.splitlines() for a, b in sentence_spans(line)]


def citation_scores(result: TurnResult, supports: dict[int, str]) -> dict:
    """Faithfulness and ALCE citation recall/precision counts over the factual sentences of a verified result.

    A sentence counts for recall when its cited texts together support it. Each of its
    citations counts for precision when the sentence is supported jointly and the citation is
    needed: it supports the sentence alone, or the others without it do not.
    """
    factual = [entry for entry in result.grounding if entry.factual]
    texts = {entry.text for entry in factual}
    counts = {"sentences": len(factual), "supported": sum(e.supported for e in factual), "cited_supported": 0, "citations": 0, "precise_citations": 0}
    for text, cited in cited_sentences(result.answer):
        # Framing and questions are not claims; the grounding report says which sentences are.
        if text not in texts:
            continue
        cited = list(dict.fromkeys(cited))
        counts["citations"] += len(cited)
        valid = [n for n in cited if n in supports]
        if not valid or not _supported_by(text, [supports[n] for n in valid]):
            continue
        counts["cited_supported"] += 1
        for n in valid:
            others = [supports[m] for m in valid if m != n]
            if len(valid) == 1 or _supported_by(text, [supports[n]]) or not _supported_by(text, others):
                counts["precise_citations"] += 1
    return counts


def _correct(item: EvalItem, reply: str, facts: bool | None, forbidden_absent: bool, abstained: bool, said_missing: bool = False) -> bool:
    if item.kind == "out_of_scope":
        return abstained
    if item.kind == "missing_detail":
        return said_missing and forbidden_absent
    if item.kind == "debate_stance":
        return has_all_groups(reply, item.stance_keywords) and forbidden_absent
    if item.kind == "socratic":
        asks = "?" in reply or not item.must_ask
        return asks and not has_any_keyword(reply, item.answer_keywords) and not abstained
    # answerable, multi_hop, false_premise (corrected: the facts stated, the false premise not affirmed)
    return bool(facts) and forbidden_absent and not abstained


def score_item(item: EvalItem, result: TurnResult, retrieved: list[Passage], corpus: Corpus, supports: dict[int, str]) -> ItemScores:
    """All scores of one item's verified reply; `supports` maps citation numbers to the texts they stand for."""
    reply = reply_text(result)
    facts = states_key_facts(reply, item)
    forbidden_absent = not any(mentions(reply, phrase) for phrase in item.forbidden)
    said_missing = result.abstained or bool(result.missing)
    correct = _correct(item, reply, facts, forbidden_absent, result.abstained, said_missing)
    # CRAG: abstaining scores 0, except where abstaining is the right reply (out of scope), which is correct.
    crag = 1 if correct else 0 if result.abstained else -1
    return ItemScores(
        **retrieval_scores(corpus, retrieved, item),
        key_facts=facts,
        forbidden_absent=forbidden_absent,
        abstained=result.abstained,
        said_missing=said_missing,
        correct=correct,
        crag=crag,
        **citation_scores(result, supports),
    )


def share(values: list) -> float | None:
    """Mean of the values that apply (None skipped), rounded; None when none apply."""
    present = [float(v) for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def aggregate(scored: list[tuple[str, ItemScores]]) -> dict[str, float]:
    """The metrics over (kind, scores) pairs; metrics no item applies to are left out."""
    scores = [s for _, s in scored]

    def of(*kinds: str) -> list[ItemScores]:
        return [s for kind, s in scored if kind in kinds]

    values = {
        "retrieval.hit@5": share([s.hit_at_5 for s in scores]),
        "retrieval.recall@10": share([s.recall_at_10 for s in scores]),
        "retrieval.mrr": share([s.reciprocal_rank for s in scores]),
        "key_fact_recall": share([s.key_facts for s in scores]),
        "faithfulness": _ratio(sum(s.supported for s in scores), sum(s.sentences for s in scores)),
        "citation_recall": _ratio(sum(s.cited_supported for s in scores), sum(s.sentences for s in scores)),
        "citation_precision": _ratio(sum(s.precise_citations for s in scores), sum(s.citations for s in scores)),
        "abstention.out_of_scope_abstained": share([s.abstained for s in of("out_of_scope")]),
        "abstention.answerable_abstained": share([s.abstained for s in of(*ANSWERABLE_KINDS)]),
        "missing_detail.said_missing": share([s.correct for s in of("missing_detail")]),
        "answerable.missing_claimed": share([s.said_missing and not s.abstained for s in of(*ANSWERABLE_KINDS)]),
        "false_premise.corrected": share([s.correct for s in of("false_premise")]),
        "debate.stance_held": share([s.correct for s in of("debate_stance")]),
        "socratic.asks": share([s.correct for s in of("socratic")]),
        "crag": share([s.crag for s in scores]),
    }
    return {name: value for name, value in values.items() if value is not None}


class Thresholds(BaseModel):
    """The gate: lowest acceptable values (`min`) and, for lower-is-better metrics, highest (`max`)."""

    model_config = ConfigDict(populate_by_name=True)

    comment: str = Field("", alias="_comment")
    min: dict[str, float] = Field(default_factory=dict)
    max: dict[str, float] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        """Read a thresholds file."""
        return cls.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))

    def failures(self, values: dict[str, float]) -> list[str]:
        """One message per metric that misses its threshold (a metric the run did not measure is skipped)."""
        failed = [f"{name} = {values[name]:.4f} is below the threshold {bound:.2f}" for name, bound in self.min.items() if name in values and values[name] < bound]
        failed += [f"{name} = {values[name]:.4f} is above the threshold {bound:.2f}" for name, bound in self.max.items() if name in values and values[name] > bound]
        return failed
