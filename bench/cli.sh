#!/usr/bin/env bash
# One-shot commands timed with hyperfine: `tether status`, `tether agenda`, `tether check`, and
# the peers' nearest equivalents (`calcurse -a`: today's appointments; `task next`).
#
#   bench/cli.sh N...        (data from bench/run.sh under $PERF/data)
# Env: PERF (/tmp/perf), TETHER (target/release/tether). JSON exports go to $PERF/results.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PERF=${PERF:-/tmp/perf}
TETHER=${TETHER:-$HERE/../target/release/tether}
mkdir -p "$PERF/results" "$PERF/work"
for N in "$@"; do
  D=$PERF/data/tether-$N
  runs=(--warmup 2 --min-runs 10)
  [ "$N" -ge 1000000 ] && runs=(--warmup 1 --runs 3)
  cmds=("$TETHER --data-dir $D status" "$TETHER --data-dir $D agenda" "$TETHER --data-dir $D check")
  names=(tether-status tether-agenda tether-check)
  if [ -d "$PERF/data/cal-$N" ]; then
    rm -rf "$PERF/work/cli-cal-$N" && cp -r "$PERF/data/cal-$N" "$PERF/work/cli-cal-$N"
    cmds+=("calcurse -D $PERF/work/cli-cal-$N -a"); names+=(calcurse-a)
  fi
  if [ -d "$PERF/data/tw-$N" ] && command -v task >/dev/null; then
    rm -rf "$PERF/work/cli-tw-$N" && cp -r "$PERF/data/tw-$N" "$PERF/work/cli-tw-$N"
    sed -i "s#^data.location=.*#data.location=$PERF/work/cli-tw-$N/data#" "$PERF/work/cli-tw-$N/taskrc"
    cmds+=("env TASKRC=$PERF/work/cli-tw-$N/taskrc task rc.gc=off next"); names+=(task-next)
  fi
  args=()
  for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  # -N: no intermediate shell; exit codes are ignored (`tether check` exits 1 on the bad lines).
  hyperfine -N -i "${runs[@]}" --export-json "$PERF/results/cli-$N.json" "${args[@]}"
done
