"""The factual-fidelity eval suite: dataset files, scoring, the runner, the LangChain baseline, the report and `tutor eval`.

dataset (JSONL items) → runner (engine turns, retrieval, baseline) → metrics (per item, aggregates,
thresholds gate) → report (Markdown and chart); cli wires them into the `eval` subcommand.
"""
