#!/usr/bin/env python3
"""The oracle for tests/holidays_oracle.rs: every public holiday tether ships, checked against the
Python `holidays` package at the pinned version, computed here independently of
scripts/gen-holidays.py.

stdin, one record a line (tab-separated):
    V <package version> <first year> <last year>
    C <country> <categories,...> <english language|-> <local language|-> <subdivisions,...|->
    H <country> <subdivision|-> <YYYY-MM-DD> <english name> <local name|empty>

Prints `OK <n> holidays` or each difference and `DIFFERENCES <n>`; `SKIPPED: ...` when the
package or its pinned version is not installed.
"""

import datetime
import sys

try:
    import holidays
except ImportError:
    print("SKIPPED: the Python holidays package is not installed")
    sys.exit(0)


def main():
    lines = sys.stdin.read().split("\n")
    head = lines[0].split("\t")
    version, first, last = head[1], int(head[2]), int(head[3])
    if holidays.__version__ != version:
        print(f"SKIPPED: holidays {holidays.__version__} is installed; tether ships {version}")
        return
    countries, ours = [], {}
    for line in lines[1:]:
        f = line.split("\t")
        if f[0] == "C":
            countries.append(f[1:])
        elif f[0] == "H":
            cc, sub, day, en, local = f[1:6]
            ours.setdefault((cc, sub), {})[day] = (en, local)
    diffs = []
    total = 0

    def report(msg):
        diffs.append(msg)
        if len(diffs) <= 40:
            print(msg)

    for cc, categories, english, local, subs in countries:
        cls = holidays.country_holidays(cc).__class__
        shipped = [] if subs == "-" else subs.split(",")
        if list(cls.subdivisions) != shipped:
            report(f"{cc}: subdivisions {shipped} but the package has {list(cls.subdivisions)}")
        cats = tuple(categories.split(","))
        for sub in ["-"] + shipped:

            def days(language):
                h = holidays.country_holidays(
                    cc,
                    subdiv=None if sub == "-" else sub,
                    years=range(first, last + 1),
                    categories=cats,
                    language=None if language == "-" else language,
                )
                return {d.isoformat(): n for d, n in h.items() if first <= d.year <= last}

            en = days(english)
            loc = days(local) if local != "-" else {}
            want = {d: (n, loc.get(d, "")) for d, n in en.items()}
            got = ours.get((cc, sub), {})
            total += len(want)
            for d in sorted(set(want) | set(got)):
                if want.get(d) != got.get(d):
                    report(f"{cc} {sub} {d}: package {want.get(d)!r}, tether {got.get(d)!r}")
    if diffs:
        print(f"DIFFERENCES {len(diffs)}")
    else:
        print(f"OK {total} holidays")


if __name__ == "__main__":
    main()
