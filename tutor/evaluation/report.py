"""The eval report: Markdown tables (all items, against the baseline, one per kind) and a bar chart of the metrics."""

from __future__ import annotations

import os
from pathlib import Path

from tutor.evaluation.dataset import KINDS
from tutor.evaluation.runner import EvalRun, SuiteMetrics
from tutor.evaluation.timeline_compare import report_section


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _columns(metrics: SuiteMetrics) -> dict[str, dict[str, float]]:
    """Column name → values: each split, then overall when there is more than one split."""
    columns = {name: agg.values for name, agg in metrics.splits.items()}
    if len(columns) > 1:
        columns["overall"] = metrics.overall.values
    return columns


def metrics_table(metrics: SuiteMetrics) -> str:
    """Every metric per split and overall."""
    columns = _columns(metrics)
    names = list(metrics.overall.values)
    return _table(["metric", *columns], [[name, *(_cell(v.get(name)) for v in columns.values())] for name in names])


def tools_table(metrics: SuiteMetrics) -> str:
    """The study tools' metrics (e.g. the quiz's), one row per metric, one column per split."""
    names = list(dict.fromkeys(name for values in metrics.tools.values() for name in values))
    return _table(["metric", *metrics.tools], [[name, *(_cell(v.get(name)) for v in metrics.tools.values())] for name in names])


def baseline_table(metrics: SuiteMetrics) -> str:
    """The tutor's and the baseline's shared metrics side by side, per split and overall."""
    columns = _columns(metrics)
    header, rows = ["metric"], []
    for column in columns:
        header += [f"tutor {column}", f"baseline {column}"]
    for name in metrics.baseline["overall"]:
        row = [name]
        for column, values in columns.items():
            row += [_cell(values.get(name)), _cell(metrics.baseline[column].get(name))]
        rows.append(row)
    return _table(header, rows)


def kind_table(metrics: SuiteMetrics, kind: str) -> str:
    """The metrics of one kind's items, per split and overall."""
    columns = {name: agg.by_kind.get(kind, {}) for name, agg in metrics.splits.items()}
    if len(columns) > 1:
        columns["overall"] = metrics.overall.by_kind[kind]
    names = list(metrics.overall.by_kind[kind])
    return _table(["metric", *columns], [[name, *(_cell(v.get(name)) for v in columns.values())] for name in names])


def write_report(run: EvalRun, path: Path, plot: Path | None = None) -> None:
    """The Markdown report: overview, baseline comparison, a table per kind with its failed items, the chart."""
    metrics = run.metrics
    backends = ", ".join(sorted({r.result.backend for r in run.items})) or "none"
    counts = ", ".join(f"{name} {agg.items}" for name, agg in metrics.splits.items())
    gated = "the test split" if "test" in metrics.splits else "all items"
    parts = [
        "# Factual-fidelity eval",
        f"Backend: {backends}. Items: {counts} ({metrics.overall.items} in all). The thresholds gate applies to {gated}.",
        "## All items",
        metrics_table(metrics),
    ]
    if metrics.tools:
        parts += ["## Study tools", "Measured outside the item runs (the quiz: a reviewed sample of generated items, regenerated and checked, and grading cases).", tools_table(metrics)]
    if metrics.baseline:
        parts += ["## Tutor against a plain LangChain RAG baseline", "Baseline: RecursiveCharacterTextSplitter(1000, 200), Chroma, the same embeddings, the top 5 passages quoted as the answer.", baseline_table(metrics)]
    for kind in (k for k in KINDS if k in metrics.overall.by_kind):
        records = [r for r in run.items if r.kind == kind]
        wrong = [r.id for r in records if not r.scores.correct]
        parts += [f"## {kind} ({len(records)} items)", kind_table(metrics, kind), "Not correct: " + (", ".join(f"`{i}`" for i in wrong) or "none") + "."]
    if run.timeline_compare:
        parts.append(report_section(run.timeline_compare))
    if plot:
        parts.append(f"![metrics]({os.path.relpath(plot, Path(path).parent)})")
    Path(path).write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_plot(metrics: SuiteMetrics, path: Path) -> None:
    """A horizontal bar chart of every metric per split, with the baseline's bars beside the tutor's."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display is needed or wanted
    import matplotlib.pyplot as plt

    names = list(metrics.overall.values)
    series = {f"tutor {c}": v for c, v in _columns(metrics).items()}
    if metrics.baseline:
        series |= {f"baseline {c}": metrics.baseline[c] for c in _columns(metrics)}
    height = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.45 * len(names) * max(1, len(series) / 2)))
    for i, (label, values) in enumerate(series.items()):
        positions = [n - 0.4 + height * (i + 0.5) for n in range(len(names))]
        ax.barh(positions, [values.get(name, float("nan")) for name in names], height=height, label=label)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()  # first metric on top, as in the tables
    lowest = min(0.0, *(v for values in series.values() for v in values.values()))  # CRAG can be negative
    ax.set_xlim(lowest - 0.05, 1.05)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_title("Factual-fidelity eval")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
