#!/usr/bin/env bash
# Make the PNG screenshots in this folder from the real running dashboard: the release binary
# runs in xterm under Xvfb on the shipped example data with a fixed --now, keys are sent with
# xdotool-free means (tmux inside xterm), and ImageMagick's `import` captures the window.
#
# Needs (Debian): xvfb xterm imagemagick fonts-dejavu-core xfonts-base tmux
#   apt-get install -y --no-install-recommends xvfb xterm imagemagick fonts-dejavu-core xfonts-base tmux
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/tether"
OUT="$PWD/screenshots"
NOW="2026-11-25T09:30:00+10:00"
WORK=$(mktemp -d)
trap 'tmux -L shots kill-server 2>/dev/null || true; kill ${XVFB:-0} 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" init "$WORK/data" >/dev/null
Xvfb :97 -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
export DISPLAY=:97
sleep 0.7

# shot NAME COLS ROWS KEYS...: start tether in tmux inside an xterm of COLS×ROWS, send KEYS,
# capture the xterm window.
shot() {
  local name=$1 cols=$2 rows=$3; shift 3
  tmux -L shots kill-server 2>/dev/null || true
  tmux -L shots -f /dev/null new-session -d -s s -x "$cols" -y "$rows" \
    "env TERM=tmux-256color COLORTERM=truecolor $BIN --data-dir '$WORK/data' --now $NOW"
  tmux -L shots set -g status off
  xterm -T "shot-$name" -geometry "${cols}x${rows}+0+0" -fa 'DejaVu Sans Mono' -fs 11 \
    -bg '#1d1f21' -fg '#d0d0d0' -xrm 'XTerm*termName: xterm-256color' \
    -e tmux -L shots attach -t s &
  local xt=$!
  sleep 1.2
  for k in "$@"; do tmux -L shots send-keys -t s "$k"; sleep 0.3; done
  sleep 0.5
  import -window "shot-$name" "$OUT/$name.png"
  kill $xt 2>/dev/null || true
  wait $xt 2>/dev/null || true
  echo "wrote screenshots/$name.png"
}

shot dashboard 160 45
shot deadline-detail 160 45 2 Enter
shot help 120 40 '?'
shot small-pane 80 24 4
shot add-followup 120 36 4 a
