#!/usr/bin/env python3
"""Print the performance tables (Markdown) from what bench/run.sh measured.

    python3 bench/table.py [--perf /tmp/perf] [--criterion target/criterion]

Reads $PERF/results/all.jsonl (tuibench.py runs), $PERF/results/cli-N.json (hyperfine) and
criterion's estimates; prints medians, the peers side by side with ratios, the targets with
met / NOT MET, and criterion's per-record costs (to show how cost grows with the data).
"""
import argparse
import glob
import json
import os
import statistics

APPS = ["tether", "tether-fit", "taskwarrior-tui", "calcurse", "tty-clock"]


def med(vals):
    vals = [v for v in vals if isinstance(v, (int, float))]
    return statistics.median(vals) if vals else None


def load_runs(path):
    runs = {}
    if not os.path.exists(path):
        return runs
    with open(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            runs.setdefault((r["name"], r["n"]), []).append(r)
    return runs


def figures(rs):
    """Medians of one app at one size; idle figures from the long-idle runs when there are."""
    long = [r for r in rs if (r.get("idle_s") or 0) >= 50]
    idle_src = long or rs
    f = {}
    for m in ["startup_ms", "first_paint_ms", "rss_mb", "key_ms"]:
        f[m] = med([r.get(m) for r in rs])
    if f["key_ms"] is None and any(r.get("key_timeouts") for r in rs):
        f["key_ms"] = "timeout"
    f["peak_rss_mb"] = max([r.get("peak_rss_mb") or 0 for r in rs] or [0]) or None
    for m in ["idle_cpu_pct", "idle_cpu_self_pct", "children_cpu_pct", "wakeups_s", "out_Bps",
              "tmux_cpu_pct"]:
        f[m] = med([r.get(m) for r in idle_src])
    f["idle_s"] = med([r.get("idle_s") for r in idle_src])
    edits = [x for r in rs for x in (r.get("edit_ms_list") or [])]
    if edits:
        ok = [x for x in edits if isinstance(x, (int, float))]
        f["edit_ms"] = med(ok) if ok else "timeout"
    f["runs"] = len(rs)
    return f


def fmt(x, unit="", digits=3):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return f"{x:.0f}{unit}"
    return f"{x:.{digits}g}{unit}"


def data_bytes(perf, n, app="tether"):
    d = os.path.join(perf, "data", f"tether-{n}" + ("fit" if app == "tether-fit" else ""))
    total = 0
    for name in ["tether.toml", "deadlines.jsonl", "followups.jsonl", "interactions.jsonl"]:
        p = os.path.join(d, name)
        if os.path.exists(p):
            total += os.path.getsize(p)
    return total or None


def hyperfine(perf):
    out = {}
    for p in glob.glob(os.path.join(perf, "results", "cli-*.json")):
        label = os.path.basename(p)[4:-5]
        fit = label.endswith("fit")  # cli-1000000fit.json: the fully-loading 1M directory
        try:
            n = int(label[:-3] if fit else label)
        except ValueError:
            continue
        with open(p) as f:
            for r in json.load(f)["results"]:
                name = r["command"] + (" (fit)" if fit else "")
                out[(name, n)] = r["median"] * 1000
    return out


def criterion(root):
    out = {}
    for p in glob.glob(os.path.join(root, "*", "*", "*", "new", "estimates.json")):
        parts = p.split(os.sep)
        group, bench, n = parts[-5], parts[-4], parts[-3]
        try:
            n = int(n)
            with open(p) as f:
                out[(group, bench, n)] = json.load(f)["median"]["point_estimate"]
        except (ValueError, KeyError, OSError):
            continue
    return out


def verdict(ok):
    return "met" if ok else "**NOT MET**"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--perf", default=os.environ.get("PERF", "/tmp/perf"))
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--criterion", default=os.path.join(here, "..", "target", "criterion"))
    a = p.parse_args()
    runs = load_runs(os.path.join(a.perf, "results", "all.jsonl"))
    figs = {k: figures(v) for k, v in runs.items()}
    cli = hyperfine(a.perf)
    crit = criterion(a.criterion)
    sizes = sorted({n for (_, n) in figs} | {n for (_, n) in cli})

    print("## Side by side (medians)\n")
    cols = [(app, n) for n in sizes for app in APPS if (app, n) in figs]
    print("| measure | " + " | ".join(f"{app} {n:,}" for app, n in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    rows = [("launch → first full frame (ms)", "startup_ms"), ("first paint (ms)", "first_paint_ms"),
            ("idle CPU, total (%)", "idle_cpu_pct"), ("idle CPU, children (%)", "children_cpu_pct"),
            ("wake-ups / s (idle)", "wakeups_s"), ("bytes written / s (idle)", "out_Bps"),
            ("tmux server CPU (%)", "tmux_cpu_pct"), ("idle window (s)", "idle_s"),
            ("RSS after start (MB)", "rss_mb"), ("peak RSS (MB)", "peak_rss_mb"),
            ("key → screen (ms)", "key_ms"), ("appended line → screen (ms)", "edit_ms"),
            ("runs", "runs")]
    for label, m in rows:
        print(f"| {label} | " + " | ".join(fmt(figs[c].get(m)) for c in cols) + " |")
    cli_rows = sorted({c for (c, _) in cli})
    if cli_rows:
        csz = sorted({n for (_, n) in cli})
        print("\n## One-shot commands (hyperfine, median ms)\n")
        print("| command | " + " | ".join(f"{n:,}" for n in csz) + " |")
        print("|---" * (len(csz) + 1) + "|")
        for c in cli_rows:
            print(f"| `{c}` | " + " | ".join(fmt(cli.get((c, n))) for n in csz) + " |")

    print("\n## Ratios (peer ÷ tether; > 1 means tether is better)\n")
    print("| size | measure | ÷ taskwarrior-tui | ÷ calcurse |")
    print("|---|---|---|---|")
    for n in sizes:
        t = figs.get(("tether", n))
        if not t or not any((p, n) in figs for p in ["taskwarrior-tui", "calcurse"]):
            continue
        for label, m in [("launch → first frame", "startup_ms"), ("peak RSS", "peak_rss_mb"),
                         ("key → screen", "key_ms"), ("idle CPU", "idle_cpu_pct")]:
            cells = []
            for peer in ["taskwarrior-tui", "calcurse"]:
                pf = figs.get((peer, n))
                tv, pv = t.get(m), pf.get(m) if pf else None
                if isinstance(tv, (int, float)) and isinstance(pv, (int, float)) and tv > 0:
                    cells.append(f"{pv / tv:.1f}×")
                elif isinstance(pv, (int, float)) and tv == 0:
                    cells.append("tether 0")
                elif pv == "timeout":
                    cells.append("peer timed out")
                else:
                    cells.append("–")
            print(f"| {n:,} | {label} | " + " | ".join(cells) + " |")

    print("\n## Targets (tether, release build, medians; targets are set at 10k and 1M)\n")
    print("| size | measure | target | measured | verdict |")
    print("|---|---|---|---|---|")
    for app, n in [(a_, n_) for n_ in sizes for a_ in ("tether", "tether-fit")]:
        t = figs.get((app, n))
        if not t or n not in (10_000, 1_000_000):
            continue
        label = f"{n:,}" + (" fit" if app == "tether-fit" else "")
        sfx = " (fit)" if app == "tether-fit" else ""
        tw = figs.get(("taskwarrior-tui", n))
        big = n >= 1_000_000
        st = t.get("startup_ms")
        if st is not None:
            lim = 400 if big else 20
            ok = st <= lim
            extra = ""
            if not big and tw and tw.get("startup_ms"):
                ok = ok and st <= tw["startup_ms"] / 5
                extra = f" (taskwarrior-tui {fmt(tw['startup_ms'])} ms, ÷5 = {fmt(tw['startup_ms'] / 5)})"
            print(f"| {label} | launch → first full frame | ≤ {lim} ms{'' if big else ', ≤ 1/5 of taskwarrior-tui'} "
                  f"| {fmt(st)} ms{extra} | {verdict(ok)} |")
        cpu, wk = t.get("idle_cpu_pct"), t.get("wakeups_s")
        if cpu is not None:
            print(f"| {label} | idle CPU, minute clocks ({fmt(t.get('idle_s'))} s) | ≤ 0.05 %, ≤ 1 wake-up/s "
                  f"| {fmt(cpu)} %, {fmt(wk)} /s | {verdict(cpu <= 0.05 and (wk or 0) <= 1)} |")
        pk = t.get("peak_rss_mb")
        if pk:
            if big:
                db = data_bytes(a.perf, n, app)
                lim = 2 * db / 1048576 if db else None
                print(f"| {label} | peak RSS | ≤ 2 × data on disk ({fmt(lim)} MB) | {fmt(pk)} MB "
                      f"| {verdict(lim is not None and pk <= lim)} |")
            else:
                print(f"| {label} | peak RSS | ≤ 25 MB | {fmt(pk)} MB | {verdict(pk <= 25)} |")
        k = t.get("key_ms")
        if isinstance(k, (int, float)):
            lim = 30 if big else 10
            print(f"| {label} | key → screen | ≤ {lim} ms | {fmt(k)} ms | {verdict(k <= lim)} |")
        e = t.get("edit_ms")
        if e is not None:
            ok = isinstance(e, (int, float)) and e <= 300
            print(f"| {label} | appended line → screen | ≤ 300 ms | {fmt(e)} ms | {verdict(ok)} |")
        s = cli.get(("tether-status" + sfx, n))
        if s is not None:
            lim = 50 if big else 10
            print(f"| {label} | `tether status` | ≤ {lim} ms | {fmt(s)} ms | {verdict(s <= lim)} |")
        # The reload an appended line costs (criterion: append one contact + Reloader::reload).
        ld = crit.get(("reload", "append_contact", n))
        if big and ld is not None and app == "tether":
            print(f"| {label} | reload after an appended line (criterion reload/append_contact) | ≤ 5 ms | {fmt(ld / 1e6)} ms | {verdict(ld / 1e6 <= 5)} |")

    if crit:
        csizes = sorted({n for (_, _, n) in crit})
        print("\n## criterion (median per iteration; ns per record in brackets)\n")
        print("| bench | " + " | ".join(f"{n:,}" for n in csizes) + " |")
        print("|---" * (len(csizes) + 1) + "|")
        for g, b in sorted({(g, b) for (g, b, _) in crit}):
            cells = []
            for n in csizes:
                v = crit.get((g, b, n))
                if v is None:
                    cells.append("–")
                    continue
                t = f"{v / 1e6:.3f} ms" if v >= 1e5 else f"{v / 1e3:.1f} µs"
                cells.append(f"{t} ({v / n:.0f})")
            print(f"| {g}/{b} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
