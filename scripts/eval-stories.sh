#!/usr/bin/env bash
# Test-story pass rates for docs/benchmarks.md: copies each public Rasa project to a temp
# dir, trains Bela on it with its own config.yml and runs its test stories with
# `bela test stories`, as `rasa train && rasa test core` would.
# Usage: scripts/eval-stories.sh [DATASETS_DIR] [NAME...]
#   DATASETS_DIR defaults to ../shared/datasets (never copied into this repository).
#   BELA_BIN=path uses an already built binary instead of building one.
#   KEEP=dir keeps each project's copy and results under dir.
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=$(realpath "${1:-../shared/datasets}")
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(moodbot formbot rules concertbot initial_project financial-demo rasa-ptbr-boilerplate dcp-bot-nossas)

if [ -z "${BELA_BIN:-}" ]; then
  cargo build -q -p bela-cli
  BELA_BIN=${CARGO_TARGET_DIR:-target}/debug/bela
fi
work=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

source_of() { # name -> project folder
  local examples=$datasets/rasa-examples-3.0.4
  case $1 in
    moodbot|formbot|rules|concertbot|reminderbot|responseselectorbot) echo "$examples/examples/$1" ;;
    initial_project) echo "$examples/rasa/cli/initial_project" ;;
    rasa-ptbr-boilerplate) echo "$datasets/rasa-ptbr-boilerplate/bot" ;;
    financial-demo|dcp-bot-nossas) echo "$datasets/$1" ;;
    *) echo "unknown project $1" >&2; return 1 ;;
  esac
}

printf '| project | stories passed | actions correct | messages understood |\n|---|---|---|---|\n'
for name in "${names[@]}"; do
  proj=$work/$name
  rm -rf "$proj"
  cp -r "$(source_of "$name")" "$proj"
  rm -rf "$proj/models" "$proj/results"
  if ! "$BELA_BIN" --project "$proj" train --force >"$proj/train.log" 2>&1; then
    printf '| %s | training failed (see %s) | | |\n' "$name" "$proj/train.log"
    continue
  fi
  if [ ! -d "$proj/tests" ]; then
    printf '| %s | no test stories | | |\n' "$name"
    continue
  fi
  "$BELA_BIN" --project "$proj" test stories --out "$proj/results" >"$proj/test.log" 2>&1 || true
  # The CLI's last line: "Stories: P passed, F failed (of N); actions: C/T ...; messages: M/U ..."
  line=$(grep '^Stories:' "$proj/test.log" || true)
  if [ -z "$line" ]; then
    printf '| %s | test run failed (see %s) | | |\n' "$name" "$proj/test.log"
    continue
  fi
  passed=$(sed -E 's/^Stories: ([0-9]+) passed.*/\1/' <<<"$line")
  total=$(sed -E 's/.*\(of ([0-9]+)\).*/\1/' <<<"$line")
  actions=$(sed -E 's/.*actions: ([0-9]+\/[0-9]+).*/\1/' <<<"$line")
  messages=$(sed -nE 's/.*messages: ([0-9]+\/[0-9]+).*/\1/p' <<<"$line")
  printf '| %s | %s/%s | %s | %s |\n' "$name" "$passed" "$total" "$actions" "${messages:--}"
done
