#!/usr/bin/env bash
# Quick start: set up and run the whole test suite (the command CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS=0
bash scripts/setup.sh
echo "timing: set-up ${SECONDS} s"
. .venv/bin/activate
export HF_HUB_OFFLINE=1
SECONDS=0
python -m pytest -v "$@"
echo "timing: pytest ${SECONDS} s"
# The grounding evals gate the build: offline backend, thresholds in evals/thresholds.json.
mkdir -p artifacts
SECONDS=0
TUTOR_DATA_DIR="${TUTOR_DATA_DIR:-artifacts/data}" tutor eval --json artifacts/eval.json --report artifacts/eval.md --plot artifacts/eval.png --junit artifacts/eval-junit.xml
echo "timing: eval ${SECONDS} s"
