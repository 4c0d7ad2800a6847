"""Run eval items through the engine (and the baseline), score them, and re-score recorded runs offline."""

from __future__ import annotations

from contextlib import nullcontext

from pydantic import BaseModel, Field
from tqdm import tqdm

from tutor.engine import Engine, new_session
from tutor.evaluation.baseline import BaselineDoc, BaselineRecord, LangChainBaseline, aggregate_baseline, score_baseline
from tutor.evaluation.dataset import EvalItem, Kind, Suite
from tutor.evaluation.metrics import ItemScores, aggregate, score_item
from tutor.evaluation.timeline_compare import TimelineCompareRun
from tutor.models import Passage, TurnResult
from tutor.plugin_api import EvalCheck
from tutor.plugins import PluginRegistry
from tutor.services import Services
from tutor.toolkit import Toolkit
from tutor.verify import content_stems

DEFAULT_MOTION = "socialism-in-one-country"
RETRIEVAL_K = 10


class ItemRecord(BaseModel):
    """One item's run: the item itself (so a recording can be re-scored alone), the turn result and its scores."""

    id: str
    kind: Kind
    split: str
    item: EvalItem
    result: TurnResult = Field(description="The full turn result, as `tutor ask --json` prints it.")
    retrieved: list[Passage] = Field(description="The top 10 passages retrieved for the question (retrieval metrics).")
    scores: ItemScores
    baseline: BaselineRecord | None = None


class Aggregate(BaseModel):
    """Metrics over a set of items, overall and per kind."""

    items: int
    values: dict[str, float]
    by_kind: dict[str, dict[str, float]]


class SuiteMetrics(BaseModel):
    """The aggregates of a run: per split, overall, and the baseline's (per split and "overall")."""

    splits: dict[str, Aggregate]
    overall: Aggregate
    baseline: dict[str, dict[str, float]] | None = None
    tools: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Split → metrics of plugins' eval checks, measured outside the item runs (the quiz's `quiz-test`); a '-test' split is gated."
    )

    def gated(self) -> dict[str, float]:
        """The values the thresholds apply to: the test split's (or overall when there is none) by name,
        and every other held-out split's (a name ending in "-test") as "<split>:<name>"."""
        values = dict(self.splits.get("test", self.overall).values)
        for split, held_out in self.splits.items():
            if split.endswith("-test"):
                values.update({f"{split}:{name}": value for name, value in held_out.values.items()})
        for split, tool_values in self.tools.items():
            if split.endswith("-test"):
                values.update({f"{split}:{name}": value for name, value in tool_values.items()})
        return values


class EvalRun(BaseModel):
    """What `tutor eval --json` writes and `--rescore` reads."""

    metrics: SuiteMetrics
    items: list[ItemRecord]
    timeline_compare: TimelineCompareRun | None = Field(None, description="The timeline sample and compare-mode items (tutor/evaluation/timeline_compare.py).")

    def gated(self) -> dict[str, float]:
        """Every value the thresholds apply to: the suites' (`SuiteMetrics.gated`) and the timeline and compare metrics."""
        return self.metrics.gated() | (self.timeline_compare.metrics if self.timeline_compare else {})


def motion_for(item: EvalItem, motions: list[tuple[str, str]]) -> str:
    """The preset debate motion an item is about, from its `where` note ("debate motion: …") or else its question.

    `motions` are the debate mode's (title, id) choices, so the eval needs no knowledge of the plugin's bank.
    """
    hint = item.where.split("debate motion:", 1)[1] if "debate motion:" in item.where else item.question
    wanted = content_stems(hint)

    def overlap(motion: tuple[str, str]) -> tuple[int, int]:
        # The motion's id words decide; its title's words break ties and catch questions that name no id word.
        title, motion_id = motion
        return len(content_stems(motion_id.replace("-", " ")) & wanted), len(content_stems(title) & wanted)

    best = max(motions, key=overlap, default=None)
    return best[1] if best is not None and overlap(best) != (0, 0) else DEFAULT_MOTION


def run_item(engine: Engine, item: EvalItem) -> TurnResult:
    """The tutor's first reply to the item's question in a fresh session of the item's mode."""
    session = new_session(mode=item.mode)
    if item.mode == "debate":
        # With its options set, the first message to a debate session is argued against directly.
        motions = engine.registry.get("debate").option_choices().get("motion", [])
        session.options["debate"] = {"motion": motion_for(item, motions), **({"side": item.side} if item.side else {})}
    return engine.turn(session, item.question)


def _baseline_record(item: EvalItem, docs: list[BaselineDoc]) -> BaselineRecord:
    return BaselineRecord(docs=docs, scores=score_baseline(item, docs))


def evaluate(suites: list[Suite], services: Services, baseline: bool = True, progress: bool = False) -> EvalRun:
    """Run every item of the suites once through one engine (and the baseline), and score them."""
    engine = Engine(services)
    jobs = [(suite.split, item) for suite in suites for item in suite.items]
    records = []
    with LangChainBaseline(services.corpus, services.embeddings) if baseline else nullcontext() as base:
        for split, item in tqdm(jobs, desc="eval", unit="item", disable=not progress):
            result = run_item(engine, item)
            retrieved = engine.tools.retrieve(item.question, k=RETRIEVAL_K)
            records.append(
                ItemRecord(
                    id=item.id,
                    kind=item.kind,
                    split=split,
                    item=item,
                    result=result,
                    retrieved=retrieved,
                    scores=score_item(item, result, retrieved, services.corpus, engine.tools.supports(result)),
                    baseline=_baseline_record(item, base.search(item.question)) if base else None,
                )
            )
    return EvalRun(metrics=summarise(records), items=records)


def rescore(run: EvalRun, services: Services, baseline: bool = True) -> EvalRun:
    """Score a recorded run again without any backend: the verifier re-checks every stored answer first."""
    toolkit = Toolkit(services)
    records = []
    for record in run.items:
        result = record.result.model_copy(deep=True)
        # Engine notices (a refused message, a failed mode) are not answers; the engine never verifies them.
        if result.backend != "none":
            toolkit.verify(result)
        scores = score_item(record.item, result, record.retrieved, services.corpus, toolkit.supports(result))
        base = _baseline_record(record.item, record.baseline.docs) if baseline and record.baseline else None
        records.append(record.model_copy(update={"result": result, "scores": scores, "baseline": base}))
    return EvalRun(metrics=summarise(records), items=records)


def with_checks(run: EvalRun, services: Services, skip: set[str] = frozenset(), checks: list[EvalCheck] | None = None) -> EvalRun:
    """The run with each eval check (by default every installed plugin's) measured and added as its study-tool split."""
    tools = dict(run.metrics.tools)
    for check in PluginRegistry().eval_checks if checks is None else checks:
        if check.name not in skip:
            tools[check.split] = check.run(services)
    return run.model_copy(update={"metrics": run.metrics.model_copy(update={"tools": tools})})


def _aggregate(records: list[ItemRecord]) -> Aggregate:
    kinds = dict.fromkeys(r.kind for r in records)
    return Aggregate(
        items=len(records),
        values=aggregate([(r.kind, r.scores) for r in records]),
        by_kind={kind: aggregate([(r.kind, r.scores) for r in records if r.kind == kind]) for kind in kinds},
    )


def summarise(records: list[ItemRecord]) -> SuiteMetrics:
    """Metrics per split and overall, and the baseline's when every record has baseline scores."""
    splits = {split: [r for r in records if r.split == split] for split in dict.fromkeys(r.split for r in records)}
    baseline = None
    if records and all(r.baseline for r in records):
        baseline = {name: aggregate_baseline([r.baseline.scores for r in group]) for name, group in {**splits, "overall": records}.items()}
    return SuiteMetrics(splits={name: _aggregate(group) for name, group in splits.items()}, overall=_aggregate(records), baseline=baseline)
