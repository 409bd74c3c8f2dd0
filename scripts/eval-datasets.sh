#!/usr/bin/env bash
# Accuracy table for docs/benchmarks.md: trains Bela with its DEFAULT configuration on each
# public dataset's training split and scores the held-out split with `bela test nlu`.
# Usage: scripts/eval-datasets.sh [DATASETS_DIR] [NAME...]
#   DATASETS_DIR defaults to ../shared/datasets (never copied into this repository).
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=$(realpath "${1:-../shared/datasets}")
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(rasa-ptbr-boilerplate dcp-bot-nossas snips-2017 hwu64)

cargo build --release -q -p bela-cli ${BELA_FEATURES:+--features "$BELA_FEATURES"}
bin=${CARGO_TARGET_DIR:-target}/release/bela
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

split() { # name -> "train test"
  case $1 in
    rasa-ptbr-boilerplate|dcp-bot-nossas|alanabot|ej-bot)
      echo "$datasets/$1/converted/split_train_nlu.yml $datasets/$1/converted/split_test.json" ;;
    snips-2017) echo "$datasets/snips-2017/train_full_nlu.yml $datasets/snips-2017/test.json" ;;
    snips-2017-small) echo "$datasets/snips-2017/train_small_nlu.yml $datasets/snips-2017/test.json" ;;
    hwu64) echo "$datasets/hwu64-nlu-evaluation-data/train_nlu.yml $datasets/hwu64-nlu-evaluation-data/test.json" ;;
    *) echo "unknown dataset $1" >&2; return 1 ;;
  esac
}

language() { case $1 in snips*|hwu64) echo en ;; *) echo pt ;; esac; }

printf '| dataset | intent accuracy | macro-F1 (report) | macro-F1 (gold intents) | entity micro-F1 | train s |\n|---|---|---|---|---|---|\n'
for name in "${names[@]}"; do
  read -r train test < <(split "$name")
  proj=$work/$name
  mkdir -p "$proj/data"
  cp "$train" "$proj/data/nlu.yml"
  printf 'language: %s\n' "$(language "$name")" >"$proj/config.yml"
  [ -n "${BELA_ENCODER:-}" ] && printf 'pipeline:\n  - name: BelaEncoder\n    model_path: %s\n' "$BELA_ENCODER" >>"$proj/config.yml"
  t0=$(date +%s.%N)
  "$bin" --project "$proj" train --force >/dev/null 2>"$proj/train.log" || { cat "$proj/train.log"; exit 1; }
  t1=$(date +%s.%N)
  "$bin" --project "$proj" test nlu --data "$test" --out "$proj/results" >/dev/null 2>&1
  python3 - "$proj/results" "$name" "$(echo "$t1 - $t0" | bc)" <<'PY'
import json, sys, os
d, name, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
i = json.load(open(os.path.join(d, "intent_report.json")))
e_path = os.path.join(d, "entity_report.json")
ent = "-"
if os.path.exists(e_path):
    e = json.load(open(e_path))
    m = e.get("micro avg") or {}
    if m.get("support"):
        ent = f"{m['f1-score']:.3f}"
# The report's macro average (sklearn's, as Rasa writes it) also averages labels that were
# only predicted (nlu_fallback, intents absent from the test split) with F1 0.
rows = [v for k, v in i.items() if isinstance(v, dict) and k not in ("macro avg", "weighted avg")]
gold = [v["f1-score"] for v in rows if v.get("support", 0) > 0]
print(f"| {name} | {i['accuracy']:.3f} | {i['macro avg']['f1-score']:.3f} | {sum(gold) / len(gold):.3f} | {ent} | {secs:.1f} |")
PY
done
