#!/usr/bin/env python3
"""Measure a full-screen terminal program from the outside, in a private tmux server.

Per run: start-up to the first full frame (all --marker strings on screen), idle CPU, wake-ups
and bytes written per second, RSS, key-to-screen and file-edit-to-screen latency. See
docs/performance.md ("Method") for what each figure means and how it is taken.

    python3 bench/tuibench.py --name tether --n 10000 \
        --cmd "target/release/tether --data-dir /tmp/perf/work/tether-10000" \
        --marker "Kestrel-7 handover" --key j --key k \
        --edit-cmd "echo '{{\\"what\\":\\"Osprey-edit-{i}\\",\\"due\\":\\"2000-01-01\\"}}' >> F" \
        --edit-marker "Osprey-edit-{i}" --runs 5 --idle 30 --json results.jsonl

Needs Linux /proc, python3 >= 3.8, tmux >= 3.2. Uses only per-PID /proc figures.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- /proc helpers

def proc_stat(pid):
    """(utime, stime, cutime, cstime) in ticks, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = s[s.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime is field 14 -> index 11.
    return tuple(int(x) for x in fields[11:15])


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def ctx_switches(pid):
    """Voluntary and involuntary context switches summed over the live threads."""
    vol = invol = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        invol += int(line.split()[1])
        except OSError:
            pass
    return vol, invol


def io_wchar(pid):
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                if line.startswith("wchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def descendants(pid):
    """Live descendants of pid (children, grandchildren...)."""
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
            ppid = int(s[s.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def snapshot(pid, server_pid):
    st = proc_stat(pid)
    srv = proc_stat(server_pid) if server_pid else None
    return {
        "t": time.monotonic(),
        "stat": st,
        "ctx": ctx_switches(pid),
        "wchar": io_wchar(pid),
        "server": srv,
    }


# ---------------------------------------------------------------- tmux control mode

class Tmux:
    """A private tmux server plus one control-mode client used for fast polling."""

    def __init__(self, socket, width, height, env):
        self.socket = socket
        self.width, self.height = width, height
        self.conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
        # window-size manual is set after the session exists (tmux 3.3a exits otherwise).
        self.conf.write(
            "set -g status off\nset -g escape-time 0\n"
            "set -g default-terminal tmux-256color\nset -g history-limit 0\n"
        )
        self.conf.close()
        self.env = env
        self.ctl = None
        self.lock = threading.Lock()

    def cli(self, *args, check=True):
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", self.conf.name, *args],
            capture_output=True, text=True, check=check, env=self.env,
        )

    def start(self, shell_cmd):
        self.cli("new-session", "-d", "-s", "bench", "-x", str(self.width),
                 "-y", str(self.height), shell_cmd)
        self.cli("set", "-g", "window-size", "manual")
        self.cli("resize-window", "-t", "bench", "-x", str(self.width), "-y", str(self.height))
        self.ctl = subprocess.Popen(
            ["tmux", "-L", self.socket, "-f", self.conf.name, "-C", "attach", "-t", "bench"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=self.env, bufsize=0,
        )
        self.out = self.ctl.stdout
        self.buf = b""
        # The client answers its own attach first; sync on a marker before reading replies.
        token = f"SYNC{os.getpid()}x{time.monotonic_ns()}"
        self.ctl.stdin.write(f"refresh-client -f no-output\ndisplay -p {token}\n".encode())
        while True:
            if token in "\n".join(self._block()):
                break

    def _readline(self):
        while b"\n" not in self.buf:
            chunk = os.read(self.out.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError("tmux control client ended")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def cmd(self, command):
        """Run a command through the control client; return its output lines."""
        with self.lock:
            self.ctl.stdin.write((command + "\n").encode())
            return self._block()

    def _block(self):
        """The output lines of the next %begin ... %end/%error block (notifications skipped)."""
        while True:
            line = self._readline()
            if line.startswith("%begin"):
                break
        out = []
        while True:
            line = self._readline()
            if line.startswith("%end") or line.startswith("%error"):
                return out
            out.append(line)

    def capture(self, escapes=False):
        return "\n".join(self.cmd("capture-pane -p -t bench" + (" -e" if escapes else "")))

    def value(self, fmt):
        """A format's value; tagged, so a reply can never be mistaken for another's."""
        token = f"V{time.monotonic_ns()}"
        with self.lock:
            self.ctl.stdin.write(f"display -p -t bench '{token} {fmt}'\n".encode())
            for _ in range(50):
                for line in self._block():
                    if line.startswith(token + " "):
                        return line[len(token) + 1:].strip()
        raise RuntimeError(f"no reply to display {fmt}")

    def stop(self):
        try:
            if self.ctl:
                try:
                    self.ctl.stdin.close()
                except OSError:
                    pass
            self.cli("kill-server", check=False)
            if self.ctl:
                try:
                    self.ctl.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    self.ctl.kill()
        finally:
            os.unlink(self.conf.name)


# ---------------------------------------------------------------- one run

def one_run(a, run_no, warmup):
    if a.setup:
        subprocess.run(a.setup, shell=True, check=True)
    tmpdir = tempfile.mkdtemp(prefix="tuibench")
    fifo = os.path.join(tmpdir, "go")
    os.mkfifo(fifo)
    exports = " ".join(f"export {shlex.quote(e)};" for e in a.env)
    shell_cmd = (
        f"read _ < {shlex.quote(fifo)}; {exports} export TERM=tmux-256color; exec {a.cmd}"
    )
    env = dict(os.environ)
    env.pop("TMUX", None)
    tm = Tmux(f"tuibench{os.getpid()}_{run_no}", a.width, a.height, env)
    r = {"name": a.name, "n": a.n, "run": run_no}
    try:
        tm.start("sh -c " + shlex.quote(shell_cmd))
        pid = int(tm.value("#{pane_pid}"))
        server_pid = int(tm.value("#{pid}"))
        # Open the gate: the pane's shell is blocked reading the FIFO.
        deadline = time.monotonic() + 5
        while True:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the pane's shell never opened the start FIFO")
                time.sleep(0.001)
        t0 = time.perf_counter()
        os.write(fd, b"go\n")
        os.close(fd)
        first_paint = None
        screen = ""
        while True:
            screen = tm.capture()
            now = time.perf_counter()
            if first_paint is None and screen.strip():
                first_paint = (now - t0) * 1000
            if all(m in screen for m in a.marker):
                r["startup_ms"] = round((now - t0) * 1000, 2)
                break
            if now - t0 > a.startup_timeout:
                r["startup_ms"] = None
                r["error"] = "markers not seen within %ss" % a.startup_timeout
                sys.stderr.write(f"[{a.name}] screen at timeout:\n{screen}\n")
                break
            time.sleep(0.005)
        r["first_paint_ms"] = round(first_paint, 2) if first_paint is not None else None
        if a.save_screen and run_no == 1 and not warmup:
            with open(a.save_screen, "w") as f:
                f.write(screen + "\n")
        if warmup or r.get("startup_ms") is None:
            return r
        r["rss_startup_mb"] = round((status_kb(pid, "VmRSS") or 0) / 1024, 2)

        # Idle: settle, then the Δ of per-PID counters over the window.
        time.sleep(a.settle)
        s1 = snapshot(pid, server_pid)
        time.sleep(a.idle)
        s2 = snapshot(pid, server_pid)
        if s1["stat"] and s2["stat"]:
            dt = s2["t"] - s1["t"]
            d = [y - x for x, y in zip(s1["stat"], s2["stat"])]
            r["idle_s"] = round(dt, 1)
            r["idle_cpu_pct"] = round(100 * sum(d) / CLK_TCK / dt, 4)
            r["idle_cpu_self_pct"] = round(100 * (d[0] + d[1]) / CLK_TCK / dt, 4)
            r["children_cpu_pct"] = round(100 * (d[2] + d[3]) / CLK_TCK / dt, 4)
            if s1["ctx"] and s2["ctx"]:
                r["wakeups_s"] = round((s2["ctx"][0] - s1["ctx"][0]) / dt, 3)
                r["invol_cs_s"] = round((s2["ctx"][1] - s1["ctx"][1]) / dt, 3)
            if s1["wchar"] is not None and s2["wchar"] is not None:
                r["out_Bps"] = round((s2["wchar"] - s1["wchar"]) / dt, 1)
            if s1["server"] and s2["server"]:
                ds = sum(y - x for x, y in zip(s1["server"][:2], s2["server"][:2]))
                r["tmux_cpu_pct"] = round(100 * ds / CLK_TCK / dt, 4)
        r["rss_mb"] = round((status_kb(pid, "VmRSS") or 0) / 1024, 2)
        kids = descendants(pid)
        r["children_rss_mb"] = round(sum(status_kb(k, "VmRSS") or 0 for k in kids) / 1024, 2)

        # Key to screen: send a key, poll (with attributes) until the screen differs.
        if a.key:
            ign = re.compile(a.ignore_re) if a.ignore_re else None

            def scr():
                s = tm.capture(escapes=True)
                return ign.sub("", s) if ign else s

            times = []
            for i in range(a.key_n):
                key = a.key[i % len(a.key)]
                time.sleep(a.key_gap)
                before = scr()
                t = time.perf_counter()
                tm.cmd(f"send-keys -t bench {shlex.quote(key)}")
                while True:
                    if scr() != before:
                        times.append((time.perf_counter() - t) * 1000)
                        break
                    if time.perf_counter() - t > a.key_timeout:
                        times.append(None)
                        break
                    time.sleep(0.001)
            ok = [x for x in times if x is not None]
            r["key_ms"] = round(statistics.median(ok), 2) if ok else None
            r["key_ms_list"] = [round(x, 2) if x is not None else None for x in times]
            r["key_timeouts"] = len(times) - len(ok)

        # Edit to screen: run the edit command, poll until its marker shows (or time out).
        if a.edit_cmd:
            times = []
            for i in range(a.edit_n):
                time.sleep(a.key_gap + 0.2)
                marker = a.edit_marker.replace("{i}", f"{run_no}x{i}")
                subprocess.run(a.edit_cmd.replace("{i}", f"{run_no}x{i}"), shell=True,
                               check=True)
                t = time.perf_counter()
                while True:
                    if marker in tm.capture():
                        times.append((time.perf_counter() - t) * 1000)
                        break
                    if time.perf_counter() - t > a.edit_timeout:
                        times.append(None)
                        break
                    time.sleep(0.002)
            ok = [x for x in times if x is not None]
            r["edit_ms"] = round(statistics.median(ok), 2) if ok else "timeout"
            r["edit_ms_list"] = [round(x, 2) if x is not None else None for x in times]
        r["peak_rss_mb"] = round((status_kb(pid, "VmHWM") or 0) / 1024, 2)
        r["alive"] = proc_stat(pid) is not None
        return r
    finally:
        tm.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)


METRICS = ["startup_ms", "first_paint_ms", "idle_cpu_pct", "idle_cpu_self_pct",
           "children_cpu_pct", "wakeups_s", "out_Bps", "tmux_cpu_pct", "rss_startup_mb",
           "rss_mb", "peak_rss_mb", "children_rss_mb", "key_ms", "edit_ms"]


def summarize(a, runs):
    print(f"\n{a.name} n={a.n}: {len(runs)} run(s)")
    print(f"  {'metric':<18} {'min':>10} {'median':>10} {'max':>10}")
    med = {}
    for m in METRICS:
        vals = [r[m] for r in runs if isinstance(r.get(m), (int, float))]
        if not vals:
            if any(r.get(m) == "timeout" for r in runs):
                print(f"  {m:<18} {'timeout':>10}")
                med[m] = "timeout"
            continue
        med[m] = statistics.median(vals)
        print(f"  {m:<18} {min(vals):>10.3f} {med[m]:>10.3f} {max(vals):>10.3f}")
    fmt = lambda x: ("%.4g" % x) if isinstance(x, (int, float)) else str(x if x is not None else "NA")
    print(f"RESULT {a.name} {a.n} {fmt(med.get('startup_ms'))} {fmt(med.get('idle_cpu_pct'))} "
          f"{fmt(med.get('rss_mb'))}")
    return med


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--name", required=True)
    p.add_argument("--n", type=int, default=0, help="data size, for the record")
    p.add_argument("--cmd", required=True, help="one command; exec'ed, so its PID is the pane's")
    p.add_argument("--env", action="append", default=[], help="K=V exported before --cmd")
    p.add_argument("--setup", help="shell command run before every run (restore data)")
    p.add_argument("--marker", action="append", default=[], required=True)
    p.add_argument("--key", action="append", default=[])
    p.add_argument("--key-n", type=int, default=20)
    p.add_argument("--key-gap", type=float, default=0.1, help="s between keys")
    p.add_argument("--key-timeout", type=float, default=2.0)
    p.add_argument("--ignore-re", help="regex blanked before comparing screens for --key")
    p.add_argument("--edit-cmd", help="shell command; {i} is replaced by a unique tag")
    p.add_argument("--edit-marker", help="text the edit makes appear; {i} as in --edit-cmd")
    p.add_argument("--edit-n", type=int, default=3)
    p.add_argument("--edit-timeout", type=float, default=5.0)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--settle", type=float, default=3.0)
    p.add_argument("--idle", type=float, default=30.0)
    p.add_argument("--width", type=int, default=160)
    p.add_argument("--height", type=int, default=45)
    p.add_argument("--startup-timeout", type=float, default=60.0)
    p.add_argument("--json", help="append every run's figures to this file (JSON lines)")
    p.add_argument("--save-screen", help="keep run 1's first full frame here")
    a = p.parse_args()
    if a.edit_cmd and not a.edit_marker:
        p.error("--edit-cmd needs --edit-marker")

    for w in range(a.warmup):
        r = one_run(a, 1000 + w, warmup=True)
        print(f"[{a.name} n={a.n}] warmup {w + 1}: startup_ms={r.get('startup_ms')}", flush=True)
    runs = []
    for i in range(1, a.runs + 1):
        r = one_run(a, i, warmup=False)
        runs.append(r)
        short = {k: v for k, v in r.items() if not k.endswith("_list")}
        print(f"[{a.name} n={a.n}] run {i}: {json.dumps(short)}", flush=True)
        if a.json:
            with open(a.json, "a") as f:
                f.write(json.dumps(r) + "\n")
    summarize(a, runs)


if __name__ == "__main__":
    main()
