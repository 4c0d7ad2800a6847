#!/usr/bin/env bash
# Create .venv and install the tutor with everything its tests and app use.
# Torch is pinned first: sentence-transformers would otherwise pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q "torch==2.13.0"
python -m pip install -q -e ".[llm,llamacpp,web,baseline,test]"
