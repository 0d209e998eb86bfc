#!/usr/bin/env python3
"""Write crates/tether-core/data/holidays.txt: the public holidays tether ships, 2000-2050.

The only place the data comes from (docs/decisions.md, "Public holidays and closures"): a new
release of the Python `holidays` package is one command,

    python3 -m pip install "holidays==$(sed -n 's/^PINNED = "\\(.*\\)"/\\1/p' scripts/gen-holidays.py)"
    python3 scripts/gen-holidays.py

after changing PINNED below (and the same pin in .ci/run, which installs it for the oracle test,
crates/tether-core/tests/holidays_oracle.rs).

The format (read by crates/tether-core/src/domain/holidays/table.rs), one record a line:

    V <format> <package version> <first year> <last year>
    N <english>\t<local>          a name; the first N line is name 0, the next 1, ... (<local>
                                  empty when the country's own language is English)
    C <code> <categories,...> <english language or -> <local language or -> <subdivision codes,...|->
    = <entries>                   the country's holidays (no subdivision)
    R <code>\t<entries>           a subdivision whose holidays differ: what differs from "="

(The subdivision list ends the C line and a code ends at the tab: a few codes have a space,
such as New Zealand's "South Canterbury".)

<entries> are space-separated `<days>.<name>`: <days> counts from the previous entry of the same
line (from 2000-01-01 for the first), <name> is a name number, or `x` in an R line for a national
holiday the subdivision does not have. A subdivision not given an R line has the country's days.
Every date is in the country's own calendar; a date with two holidays has one entry whose name
joins both with "; " (as the package does).
"""

import datetime
import os
import sys

import holidays

PINNED = "0.62"
FIRST, LAST = 2000, 2050
FORMAT = 1

# The countries a remote freelancer most often serves (issue 16), in the order shown in messages.
COUNTRIES = (
    "JP CN KR IN SG AU NZ US CA MX BR AR CL GB IE DE FR NL BE CH AT IT ES PT SE NO DK FI PL ZA AE"
).split()

# The package's categories tether counts as "closed". Public holidays everywhere; in Brazil also
# the "optional" days (ponto facultativo), when offices close for Carnival, Ash Wednesday,
# Corpus Christi and the year's end (docs/decisions.md says which caveat that brings).
CATEGORIES = {"BR": ("public", "optional")}


def languages(cls):
    """(english, local): the languages to ask for, None for the package's default."""
    default = cls.default_language
    if default is None or default.startswith("en"):
        return None, None  # the default names are English (en_AU, en_GB... spellings kept)
    supported = cls.supported_languages or ()
    english = "en_US" if "en_US" in supported else None
    return english, default


def days(code, subdiv, categories, language):
    h = holidays.country_holidays(
        code,
        subdiv=subdiv,
        years=range(FIRST, LAST + 1),
        categories=categories,
        language=language,
    )
    return {d: n for d, n in h.items() if FIRST <= d.year <= LAST}


def main():
    if holidays.__version__ != PINNED:
        sys.exit(f"holidays {holidays.__version__} is installed; this script is pinned to {PINNED}")
    names, index = [], {}

    def name(en, local):
        key = (en, local or "")
        if key not in index:
            index[key] = len(names)
            names.append(key)
        return str(index[key])

    def entries(pairs):
        out, prev = [], datetime.date(FIRST, 1, 1)
        for d, n in pairs:
            out.append(f"{(d - prev).days}.{n}")
            prev = d
        return " ".join(out)

    def calendar(code, subdiv, categories, en, local):
        e = days(code, subdiv, categories, en)
        l = days(code, subdiv, categories, local) if local else {}
        if local and e.keys() != l.keys():
            sys.exit(f"{code} {subdiv}: the English and local days differ")
        return {d: name(e[d], l.get(d)) for d in e}

    body = []
    for code in COUNTRIES:
        cls = holidays.country_holidays(code).__class__
        categories = CATEGORIES.get(code, ("public",))
        en, local = languages(cls)
        national = calendar(code, None, categories, en, local)
        regions = []
        for sub in cls.subdivisions:
            own = calendar(code, sub, categories, en, local)
            if own == national:
                continue
            diff = [(d, n) for d, n in own.items() if national.get(d) != n]
            diff += [(d, "x") for d in national if d not in own]
            regions.append(f"R {sub}\t{entries(sorted(diff))}")
        body.append(
            f"C {code} {','.join(categories)} {en or '-'} {local or '-'} "
            f"{','.join(cls.subdivisions) or '-'}"
        )
        body.append(f"= {entries(sorted(national.items()))}")
        body.extend(regions)

    for en, local in names:
        for s in (en, local):
            if any(c in s for c in "\t\n\r"):
                sys.exit(f"a name with a tab or line break: {s!r}")
    out = [f"V {FORMAT} {PINNED} {FIRST} {LAST}"]
    out += [f"N {en}\t{local}" for en, local in names]
    out += body
    path = os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "..", "crates", "tether-core", "data", "holidays.txt",
    )
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")
    print(f"{os.path.normpath(path)}: {os.path.getsize(path)} bytes, {len(names)} names")


if __name__ == "__main__":
    main()
