"""Turn benchmark: offline latency and grounding, and (optionally) the SmolLM2 backend's grounding.

Usage: python evals/bench_turns.py [--llm-url http://127.0.0.1:8080/v1]
Prints offline turn latency p50/p95 over 50 eval questions after the web app's warm-up
(`Toolkit.warm`: question parser, the sources' names, every sentence vector), the
share of factual answer sentences the verifier supports (the offline composer
must reach 1.0), and with --llm-url the same share for an OpenAI-compatible
server (e.g. llama.cpp serving SmolLM2-135M) and the share it flagged.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from tutor.engine import Engine, new_session
from tutor.services import Services

SUITE = Path(__file__).resolve().parent / "suite"


def questions(n: int = 50) -> list[str]:
    """The first `n` answerable and multi-hop questions of the dev and test splits."""
    out = []
    for name in ("dev.jsonl", "test.jsonl"):
        for line in (SUITE / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["kind"] in ("answerable", "multi_hop"):
                out.append(item["question"])
    return out[:n]


def run(engine: Engine, items: list[str]) -> tuple[list[float], int, int]:
    """Latencies (s), supported and total factual sentences over the questions."""
    latencies, supported, total = [], 0, 0
    for question in items:
        started = time.perf_counter()
        result = engine.turn(new_session(), question)
        latencies.append(time.perf_counter() - started)
        factual = [g for g in result.grounding if g.factual]
        supported += sum(g.supported for g in factual)
        total += len(factual)
    return latencies, supported, total


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--llm-url", help="an OpenAI-compatible /v1 URL to benchmark as well")
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    items = questions(args.n)
    services = Services()
    services.ensure_store(progress=False)
    engine = Engine(services)
    started = time.perf_counter()
    engine.tools.warm()  # as the web app does in the background: parser, names, every sentence vector
    print(f"warm-up {time.perf_counter() - started:.1f} s")
    run(engine, items[:5])
    latencies, supported, total = run(engine, items)
    print(f"offline: {len(items)} turns, p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
          f"supported {supported}/{total} = {supported / max(total, 1):.3f}")
    if args.llm_url:
        services.settings.llm.backend = "openai"
        services.settings.llm.base_url = args.llm_url
        services.settings.llm.max_tokens = 160
        llm_engine = Engine(services)
        latencies, supported, total = run(llm_engine, items[:10])
        print(f"llm {args.llm_url}: 10 turns, p50 {statistics.median(latencies):.1f} s, supported {supported}/{total} = "
              f"{supported / max(total, 1):.3f}, flagged {1 - supported / max(total, 1):.3f}")


if __name__ == "__main__":
    main()
