#!/usr/bin/env python3
"""Check tether's zone answers against Python's zoneinfo, an independent implementation.

Usage: zoneinfo_check.py CASES_FILE [IANA_VERSION]

With IANA_VERSION (chrono-tz's tz database release, e.g. 2025b) the check runs only on the same
release: the `tzdata` PyPI package of that release (`pip install tzdata==2025.2`), else the
system's files when they are that release; otherwise it is skipped, since releases differ in
predicted future rules and that is not a disagreement about how the rules are applied.

CASES_FILE is written by tests/zoneinfo_agreement.rs, one tab-separated case per line:

  I  ZONE  UNIX_SECS  OFFSET_SECS  LOCAL
      an instant: tether's UTC offset there and the wall-clock time it shows
  W  ZONE  WALL  UNIX_SECS  KIND  RESOLVED
      a wall-clock time: the instant tether maps it to, whether it was in a gap ("gap"),
      happened twice ("fold") or neither ("ok"), and the wall-clock time of that instant

Wall-clock times are resolved with fold=0, which is the data format's rule: a time in a gap
moves forward by the gap's length, a repeated time is the earlier of the two.

Prints every mismatch and a summary; exits 1 on any mismatch, 0 when all agree, and 77 (the
usual "skipped" code) when zoneinfo or its time zone data is not available.
"""

import os
import sys
from datetime import datetime, timezone

SKIP = 77


def pip_version(release):
    """2025b -> 2025.2, the tzdata package's numbering."""
    return f"{release[:4]}.{ord(release[4]) - ord('a') + 1}"


def same_release(zoneinfo, release):
    """Point zoneinfo at tz data of `release`; say where it is from, or None (and why)."""
    try:
        import tzdata  # the PyPI package

        if getattr(tzdata, "IANA_VERSION", None) == release:
            zoneinfo.reset_tzpath(to=[])  # the package only, not the system's files
            return f"the tzdata package {tzdata.IANA_VERSION}"
        have_pkg = getattr(tzdata, "IANA_VERSION", "?")
    except ImportError:
        have_pkg = "none"
    system = "unknown"
    # TETHER_TZDATA_PATH names a zoneinfo directory of the right release kept apart from the
    # interpreter's own (CI installs one with `pip install --target`).
    extra = [p for p in os.environ.get("TETHER_TZDATA_PATH", "").split(os.pathsep) if p]
    for base in extra + list(zoneinfo.TZPATH):
        try:
            with open(f"{base}/tzdata.zi", encoding="utf-8") as f:
                first = f.readline().split()
            if len(first) == 3 and first[1] == "version":
                system = first[2]
                if system == release:
                    zoneinfo.reset_tzpath(to=[base])
                    return f"{base} ({system})"
        except OSError:
            continue
    print(
        f"SKIPPED: no tz database {release} for Python (tzdata package: {have_pkg}, "
        f"system: {system}); install it with "
        f"`python3 -m pip install --target DIR tzdata=={pip_version(release)}` and "
        f"TETHER_TZDATA_PATH=DIR/tzdata/zoneinfo"
    )
    return None


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: zoneinfo_check.py CASES_FILE [IANA_VERSION]", file=sys.stderr)
        return 2
    try:
        import zoneinfo
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:
        print("SKIPPED: python3 zoneinfo not available (Python 3.9+ needed)")
        return SKIP
    if len(argv) == 3:
        source = same_release(zoneinfo, argv[2])
        if source is None:
            return SKIP
        print(f"zoneinfo: tz database {argv[2]} from {source}")
    try:
        ZoneInfo("America/New_York")
    except Exception as e:  # noqa: BLE001 - any failure here means no usable tz data
        print(f"SKIPPED: python3 zoneinfo not available (no time zone data: {e})")
        return SKIP

    zones = {}
    missing = set()

    def zone(name):
        if name in missing:
            return None
        if name not in zones:
            try:
                zones[name] = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                missing.add(name)
                return None
        return zones[name]

    counts = {"I": 0, "W": 0}
    skipped = 0
    mismatches = []

    with open(argv[1], encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t")
            kind = parts[0]
            z = zone(parts[1]) if len(parts) > 1 else None
            if kind not in counts or (kind == "I" and len(parts) != 5) or (
                kind == "W" and len(parts) != 6
            ):
                mismatches.append(f"line {lineno}: malformed case {line!r}")
                continue
            if z is None:
                skipped += 1
                continue
            counts[kind] += 1
            if kind == "I":
                _, name, secs, off, local = parts
                dt = datetime.fromtimestamp(int(secs), tz=z)
                want_off = int(dt.utcoffset().total_seconds())
                want_local = dt.replace(tzinfo=None).isoformat()
                if (int(off), local) != (want_off, want_local):
                    mismatches.append(
                        f"line {lineno}: {name} at {secs} "
                        f"({datetime.fromtimestamp(int(secs), tz=timezone.utc).isoformat()}): "
                        f"tether offset {off} local {local}; "
                        f"zoneinfo offset {want_off} local {want_local}"
                    )
            else:
                _, name, wall, secs, issue, resolved = parts
                naive = datetime.fromisoformat(wall)
                first = naive.replace(tzinfo=z, fold=0)
                second = naive.replace(tzinfo=z, fold=1)
                want_secs = int(first.timestamp())
                back = datetime.fromtimestamp(want_secs, tz=z).replace(tzinfo=None)
                if first.utcoffset() == second.utcoffset():
                    want_issue = "ok"
                elif back == naive:
                    want_issue = "fold"
                else:
                    want_issue = "gap"
                want_resolved = back.isoformat()
                got = (int(secs), issue, resolved)
                want = (want_secs, want_issue, want_resolved)
                if got != want:
                    mismatches.append(
                        f"line {lineno}: {name} wall {wall}: "
                        f"tether {got[0]} {got[1]} -> {got[2]}; "
                        f"zoneinfo {want[0]} {want[1]} -> {want[2]}"
                    )

    for m in mismatches:
        print("MISMATCH", m)
    print(
        f"zoneinfo agreement: {counts['I']} instants, {counts['W']} wall-clock times, "
        f"{len(mismatches)} mismatches; {skipped} cases skipped in "
        f"{len(missing)} zones unknown to Python's tz data"
        + (f" ({', '.join(sorted(missing))})" if missing else "")
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
