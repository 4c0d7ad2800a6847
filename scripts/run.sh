#!/usr/bin/env bash
# Quick start: set up, build the store if there is none, and start the web app on http://127.0.0.1:7860.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/tutor ] || bash scripts/setup.sh
. .venv/bin/activate
exec tutor serve "$@"
