#!/usr/bin/env bash
# Size sweep (run on a CUDA box to choose the size quickly; same scripts as train.sh).
# Usage: bash training/sweep.sh <python> <steps> "name:layers:hidden:heads" ...
set -euo pipefail
cd "$(dirname "$0")"
PY="$1"; STEPS="$2"; shift 2
for spec in "$@"; do
  IFS=: read -r name layers hidden heads <<<"$spec"
  "$PY" -u train.py --name "$name" --layers "$layers" --hidden "$hidden" --heads "$heads" --steps "$STEPS" | tail -3
  "$PY" -u eval_pll.py "$name" | tr -d '\n ' ; echo
done
