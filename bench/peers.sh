#!/usr/bin/env bash
# Measure one app on one data size with tuibench.py, in a private tmux server.
#
#   bench/peers.sh APP N [extra tuibench.py args]     APP: tether | calcurse | twtui | tty-clock
#
# Data must exist under $PERF/data (bench/run.sh makes it): tether-N (examples/gen),
# cal-N (gen_calcurse.py), tw-N (gen_taskwarrior.py). Each run starts from a pristine copy in
# $PERF/work and its own $HOME. Results are appended to $PERF/results/all.jsonl.
# Env: PERF (/tmp/perf), TETHER_DATA, NAME (tether only), RUNS (5), IDLE (30), SETTLE (3), KEYN (20), TETHER (target/release/tether),
#      TWTUI (/tmp/perf/cargo-root-025/bin/taskwarrior-tui).
set -euo pipefail
APP=${1:?app}; N=${2:?size}; shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
PERF=${PERF:-/tmp/perf}
RUNS=${RUNS:-5}; IDLE=${IDLE:-30}; SETTLE=${SETTLE:-3}; KEYN=${KEYN:-20}
TETHER=${TETHER:-$HERE/../target/release/tether}
TWTUI=${TWTUI:-$PERF/cargo-root-025/bin/taskwarrior-tui}
mkdir -p "$PERF/results" "$PERF/work" "$PERF/home" "$PERF/screens"
H=$PERF/home/$APP
common=(--n "$N" --runs "$RUNS" --idle "$IDLE" --settle "$SETTLE" --key-n "$KEYN"
        --env LANG=C.UTF-8 --env "HOME=$H" --json "$PERF/results/all.jsonl"
        --save-screen "$PERF/screens/$APP-$N.txt")
case "$APP" in
tether)
  # TETHER_DATA and NAME measure another tether directory of size N under another name.
  W=$PERF/work/tether-$N; SRC=${TETHER_DATA:-$PERF/data/tether-$N}
  exec python3 "$HERE/tuibench.py" --name "${NAME:-tether}" "${common[@]}" \
    --cmd "$TETHER --data-dir $W" \
    --setup "rm -rf $W $H && mkdir -p $H && cp -rL $SRC $W" \
    --marker "Kestrel-7 handover" --key j --key k \
    --edit-cmd "printf '%s\n' '{\"what\":\"Osprey-edit-{i}\",\"due\":\"2000-01-01\"}' >> $W/followups.jsonl" \
    --edit-marker "Osprey-edit-{i}" --edit-n 3 "$@" ;;
calcurse)
  W=$PERF/work/cal-$N
  # calcurse does not watch its files: the edit is expected to time out.
  exec python3 "$HERE/tuibench.py" --name calcurse "${common[@]}" \
    --cmd "calcurse -D $W" \
    --setup "rm -rf $W $H && mkdir -p $H && cp -r $PERF/data/cal-$N $W" \
    --marker "Kestrel-7 handover" --key j --key k \
    --ignore-re '(?m)^.*[0-9]{2}:[0-9]{2}:[0-9]{2}.*$' \
    --edit-cmd "printf '%s\n' '[1] Osprey-edit-{i}' >> $W/todo" \
    --edit-marker "Osprey-edit-{i}" --edit-n 1 --edit-timeout 3 "$@" ;;
twtui)
  W=$PERF/work/tw-$N
  exec python3 "$HERE/tuibench.py" --name taskwarrior-tui "${common[@]}" \
    --cmd "$TWTUI" --env "TASKRC=$W/taskrc" --env "TASKDATA=$W/data" \
    --setup "rm -rf $W $H && mkdir -p $H && cp -r $PERF/data/tw-$N $W && sed -i 's#^data.location=.*#data.location=$W/data#' $W/taskrc" \
    --marker "Kestrel-7 handover" --key j --key k \
    --edit-cmd "printf '[description:\"Osprey-edit-{i}\" due:\"946684800\" entry:\"1700000000\" modified:\"1700000000\" priority:\"H\" status:\"pending\" tags:\"next\" uuid:\"%s\"]\n' \$(cat /proc/sys/kernel/random/uuid) >> $W/data/pending.data" \
    --edit-marker "Osprey-edit-{i}" --edit-n 1 --edit-timeout 10 "$@" ;;
tty-clock)
  exec python3 "$HERE/tuibench.py" --name tty-clock "${common[@]}" --cmd "tty-clock -c" \
    --setup "rm -rf $H && mkdir -p $H" --marker "█" "$@" ;;
*) echo "unknown app $APP" >&2; exit 2 ;;
esac
