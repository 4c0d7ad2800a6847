#!/usr/bin/env bash
# Run `.ci/run` exactly as CI does: a fresh clone of the committed HEAD in an empty directory,
# with ../shared beside it, a new virtual environment and empty pip and model caches.
# Uncommitted changes are not in the clone: commit first. Prints the set-up and test times.
# Usage: bash scripts/ci-fresh.sh [WORK_DIR]   (default: a new directory under /tmp; kept for inspection)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/tutor-ci.XXXXXX)}"
mkdir -p "$work"
[ -z "$(ls -A "$work")" ] || { echo "ci-fresh: $work is not empty" >&2; exit 2; }
git clone -q "$repo" "$work/main"
ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"
echo "ci-fresh: $(git -C "$work/main" log -1 --format='%h %s') in $work/main"
cd "$work/main"
# Nothing from this machine's earlier installs: pip, Hugging Face and XDG caches start empty.
export PIP_CACHE_DIR="$work/cache/pip" XDG_CACHE_HOME="$work/cache" HF_HOME="$work/cache/huggingface"
started=$(date +%s)
status=0
bash .ci/run 2>&1 | tee "$work/ci.log" || status=$?
echo "ci-fresh: .ci/run exited $status after $(( $(date +%s) - started )) s; log in $work/ci.log"
grep -E "^timing:" "$work/ci.log" || true
exit "$status"
