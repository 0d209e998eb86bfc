#!/usr/bin/env bash
# Measure everything and print the table: tether (release build, real terminal via tmux) and the
# peers calcurse and taskwarrior-tui on data of the same size, in the same run.
#
#   bench/run.sh                 # full run (≈ 45 min on 2 cores)
#   QUICK=1 bench/run.sh         # 1k and 10k only, short idle: a smoke test (≈ 5 min)
#
# Env: PERF (/tmp/perf: data, copies, results), SIZES (tether sizes), PEER_SIZES, RUNS (5),
#      LONG_IDLE (60 s: the one idle run per app and size), SEED (1), CRITERION=1 to also run
#      `cargo bench` over SIZES, TWTUI (taskwarrior-tui 0.25.4; skipped when missing).
# Needs: tmux ≥ 3.2, python3, hyperfine, calcurse, task (Debian: apt-get install -y tmux calcurse
#        taskwarrior hyperfine) and, for the third peer,
#        cargo install taskwarrior-tui --version 0.25.4 --locked --root /tmp/perf/cargo-root-025
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
export PERF=${PERF:-/tmp/perf}
SEED=${SEED:-1}
if [ -n "${QUICK:-}" ]; then
  SIZES=${SIZES:-"1000 10000"}; PEER_SIZES=${PEER_SIZES:-"1000 10000"}
  RUNS=${RUNS:-2}; LONG_IDLE=${LONG_IDLE:-10}
fi
SIZES=${SIZES:-"1000 10000 100000 1000000"}
PEER_SIZES=${PEER_SIZES:-"1000 10000 100000"}
export RUNS=${RUNS:-5}
LONG_IDLE=${LONG_IDLE:-60}
export TWTUI=${TWTUI:-$PERF/cargo-root-025/bin/taskwarrior-tui}
export TETHER=${TETHER:-$ROOT/target/release/tether}
GEN=${GEN:-$ROOT/target/release/examples/gen}
for t in tmux python3 hyperfine calcurse task; do
  command -v $t >/dev/null || { echo "run.sh: $t is missing (see the header)" >&2; exit 2; }
done

if [ -z "${SKIP_BUILD:-}" ]; then  # SKIP_BUILD=1: use $TETHER and $GEN as they are
  echo "== build"
  (cd "$ROOT" && cargo build --release --bin tether --example gen)
fi
mkdir -p "$PERF/data" "$PERF/results"
# Data is laid out around today, so the live clock (idle runs have no --now) sees a current
# picture; the content is otherwise fixed by the seed.
ANCHOR=$(date +%F)
echo "== data (anchor $ANCHOR, seed $SEED)"
for n in $SIZES; do
  d=$PERF/data/tether-$n
  stamp="$SEED $ANCHOR $(md5sum "$ROOT/benches/support/datagen.rs" | cut -c1-12)"
  if [ "$(cat "$d/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$d"
    "$GEN" --out "$d" --records "$n" --seed "$SEED" --anchor "$ANCHOR"
    echo "$stamp" > "$d/.stamp"
  fi
done
for n in $PEER_SIZES; do
  [ -f "$PERF/data/cal-$n/.stamp" ] && [ "$(cat "$PERF/data/cal-$n/.stamp")" = "$ANCHOR" ] || {
    rm -rf "$PERF/data/cal-$n"
    python3 "$HERE/gen_calcurse.py" "$n" "$PERF/data/cal-$n" --seed "$SEED" --anchor "$ANCHOR"
    echo "$ANCHOR" > "$PERF/data/cal-$n/.stamp"; }
  [ -f "$PERF/data/tw-$n/.stamp" ] && [ "$(cat "$PERF/data/tw-$n/.stamp")" = "$ANCHOR" ] || {
    rm -rf "$PERF/data/tw-$n"
    python3 "$HERE/gen_taskwarrior.py" "$n" "$PERF/data/tw-$n" --seed "$SEED"
    echo "$ANCHOR" > "$PERF/data/tw-$n/.stamp"; }
done

[ -f "$PERF/results/all.jsonl" ] && mv "$PERF/results/all.jsonl" "$PERF/results/all.jsonl.$(date +%s)"
rm -f "$PERF/results"/cli-*.json
measure() { # app size
  # Start-up, keys, edits and RSS over RUNS runs with a short idle window, then one run with the
  # long idle window for CPU and wake-ups (a 60 s window holds at least one minute tick).
  local extra=()
  [ "$2" -ge 1000000 ] && extra=(--edit-timeout 30)  # generous: a timeout is reported, not hidden
  IDLE=2 SETTLE=1 "$HERE/peers.sh" "$1" "$2" "${extra[@]}" || echo "run.sh: $1 $2 failed" >&2
  IDLE=$LONG_IDLE RUNS=1 "$HERE/peers.sh" "$1" "$2" --warmup 0 --key-n 4 --edit-n 1 \
    "${extra[@]}" || echo "run.sh: $1 $2 (idle) failed" >&2
}
for n in $SIZES; do
  echo "== tether $n"
  measure tether "$n"
  if [[ " $PEER_SIZES " == *" $n "* ]]; then
    echo "== calcurse $n"; measure calcurse "$n"
    if [ -x "$TWTUI" ]; then echo "== taskwarrior-tui $n"; measure twtui "$n"
    else echo "run.sh: $TWTUI missing: taskwarrior-tui not measured" >&2; fi
  fi
done
echo "== one-shot commands (hyperfine)"
# shellcheck disable=SC2086
"$HERE/cli.sh" $SIZES
if [ -n "${CRITERION:-}" ]; then
  echo "== criterion"
  (cd "$ROOT" && TETHER_BENCH_SIZES=$(echo $SIZES | tr ' ' ,) cargo bench --bench '*' -- \
     --warm-up-time 1 --measurement-time 2)
fi
{
  echo "# tether performance run $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
  echo
  python3 "$HERE/table.py" --perf "$PERF" --criterion "$ROOT/target/criterion"
} | tee "$PERF/results/table.md"
