#!/usr/bin/env bash
# Rebuild loupe-log-bert from scratch: corpus → tokenizer → train → export → golden/parity → card.
# Usage: bash training/train.sh   (env: PY=/usr/bin/python3 LAYERS HIDDEN HEADS STEPS VOCAB RUN)
set -euo pipefail
cd "$(dirname "$0")"
PY="${PY:-/usr/bin/python3}"
LAYERS="${LAYERS:-4}" HIDDEN="${HIDDEN:-192}" HEADS="${HEADS:-3}" STEPS="${STEPS:-12000}" VOCAB="${VOCAB:-6000}"
RUN="${RUN:-final}"
mkdir -p work out

# A generated log with a seed different from the demo's, when the generator exists.
GEN=""
if [ -f ../src/core/generate/index.ts ]; then
  GEN="$PWD/work/generated_messages.txt"
  (cd .. && npx tsx training/generated_messages.ts "$GEN") || GEN=""
fi
"$PY" -u corpus.py $GEN
"$PY" -u tokenizer_train.py "$VOCAB"
"$PY" -u train.py --name "$RUN" --layers "$LAYERS" --hidden "$HIDDEN" --heads "$HEADS" --steps "$STEPS"
"$PY" -u eval_pll.py "$RUN"
"$PY" -u export.py "$RUN"
"$PY" -u quantize.py || echo "int8 export skipped"
"$PY" -u golden.py "$RUN"
(cd .. && npx vitest run tests/model)
"$PY" -u card.py "$RUN"
du -ch ../public/models/loupe-log-bert | tail -1
