#!/usr/bin/env bash
# Quick start: set up and run the whole test suite (the command CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1
python -m pytest -v "$@"
# The grounding evals gate the build: offline backend, thresholds in evals/thresholds.json.
mkdir -p artifacts
TUTOR_DATA_DIR="${TUTOR_DATA_DIR:-artifacts/data}" tutor eval --json artifacts/eval.json --report artifacts/eval.md --plot artifacts/eval.png
