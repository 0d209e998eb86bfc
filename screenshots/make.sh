#!/usr/bin/env bash
# Make the PNG screenshots in this folder from the real running dashboard: the release binary
# runs in xterm under Xvfb on the shipped example data with a fixed --now, keys are sent with
# xdotool-free means (tmux inside xterm), and ImageMagick's `import` captures the window.
#
# Needs (Debian): xvfb xterm imagemagick fonts-dejavu-core xfonts-base tmux dbus dunst
#   apt-get install -y --no-install-recommends xvfb xterm imagemagick fonts-dejavu-core xfonts-base tmux dbus dunst
set -euo pipefail
cd "$(dirname "$0")/.."
# A private session bus with a notification server (dunst, started on demand), as on a desktop;
# without one the header would show the "desktop alerts unavailable" warning.
if [ -z "${TETHER_SHOTS_BUS:-}" ] && command -v dbus-run-session >/dev/null; then
  export TETHER_SHOTS_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi
cargo build --release --quiet
BIN="$PWD/target/release/tether"
OUT="$PWD/screenshots"
NOW="2026-11-25T09:30:00+10:00"
WORK=$(mktemp -d)
trap 'kill ${XVFB:-0} 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The reference example (fixed dates, for this --now); `tether init` would date it from today.
cp -R config/example "$WORK/data"
Xvfb :97 -screen 0 2800x1100x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
export DISPLAY=:97
sleep 0.7
# dunst is started by the bus, which must know the display; its pop-ups appear at the top right
# of this wide screen, clear of the xterm captured at the top left.
command -v dbus-update-activation-environment >/dev/null && dbus-update-activation-environment DISPLAY 2>/dev/null || true

# shot NAME COLS ROWS KEYS...: start tether in tmux inside an xterm of COLS×ROWS, send KEYS,
# capture the xterm window.
shot() {
  local name=$1 cols=$2 rows=$3; shift 3
  local sock="shots-$name-$$"
  tmux -L "$sock" -f /dev/null new-session -d -s s -x "$cols" -y "$rows" \
    "env TERM=tmux-256color COLORTERM=truecolor $BIN --data-dir '$WORK/data' --now $NOW"
  tmux -L "$sock" set -g status off
  xterm -T "shot-$name" -geometry "${cols}x${rows}+0+0" -fa 'DejaVu Sans Mono' -fs 11 \
    -bg '#1d1f21' -fg '#d0d0d0' -xrm 'XTerm*termName: xterm-256color' \
    -e tmux -L "$sock" attach -t s &
  local xt=$!
  sleep 1.2
  for k in "$@"; do tmux -L "$sock" send-keys -t s "$k"; sleep 0.3; done
  sleep 0.5
  import -window "shot-$name" "$OUT/$name.png"
  kill $xt 2>/dev/null || true
  wait $xt 2>/dev/null || true
  tmux -L "$sock" kill-server 2>/dev/null || true
  echo "wrote screenshots/$name.png"
}

shot dashboard 160 45
shot deadline-detail 160 45 2 Enter
shot help 120 40 '?'
shot small-pane 80 24 4
shot add-followup 120 36 4 a
shot week 160 45 w
shot client-page 160 45 3 Enter
shot clocks-scrubbed 160 45 1 j j l l l l l l
shot log-contact 120 36 3 l
shot weekly-review 120 40 R
shot meeting-slots 160 45 1 j j j j m
