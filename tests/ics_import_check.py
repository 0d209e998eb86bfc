#!/usr/bin/env python3
"""The oracle for tests/ics_import.rs: where each item of an iCalendar file falls, computed
independently of tether with Python's icalendar (structure), zoneinfo (zones) and dateutil
(RRULE), for the window [NOW, NOW + DAYS).

Usage: ics_import_check.py FILE NOW DAYS
Prints one line per occurrence: SUMMARY <tab> an instant in UTC (2026-11-27T01:00:00Z) or a
date (2026-12-29).

A TZID is an IANA name, or a Windows name from CLDR's windowsZones (the few the fixtures use,
written here from the CLDR table, not from tether's). A local time in a gap or repeated hour is
read with fold=0 (zoneinfo's default): the offset before the change.
"""
import sys
from datetime import datetime, timedelta, timezone, date
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

WINDOWS = {
    "W. Europe Standard Time": "Europe/Berlin",
    "Tokyo Standard Time": "Asia/Tokyo",
    "E. South America Standard Time": "America/Sao_Paulo",
}


def zone(prop):
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    if tzid is None:
        return None
    tzid = str(tzid).strip('"')
    return ZoneInfo(WINDOWS.get(tzid, tzid))


def when(prop):
    """A date, or an aware datetime."""
    raw = prop.to_ical().decode()
    if len(raw) == 8:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    naive = datetime.strptime(raw.rstrip("Z"), "%Y%m%dT%H%M%S")
    if raw.endswith("Z"):
        return naive.replace(tzinfo=timezone.utc)
    z = zone(prop)
    return naive.replace(tzinfo=z or ZoneInfo("Asia/Tokyo"))


def show(w):
    if isinstance(w, datetime):
        return w.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return w.isoformat()


def instant(w):
    if isinstance(w, datetime):
        return w.astimezone(timezone.utc)
    return datetime(w.year, w.month, w.day, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(timezone.utc)


def main():
    path, now, days = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
    end = now + timedelta(days=days)
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    out = []
    for c in cal.walk():
        if c.name not in ("VEVENT", "VTODO"):
            continue
        if str(c.get("STATUS", "")).upper() == "CANCELLED":
            continue
        prop = c.get("DUE") if c.name == "VTODO" and c.get("DUE") is not None else c.get("DTSTART")
        if prop is None:
            continue  # a to-do without a date has no place in time
        first = when(prop)
        summary = str(c.get("SUMMARY", ""))
        rule = c.get("RRULE")
        if rule is None:
            starts = [first]
        else:
            text = rule.to_ical().decode()
            if isinstance(first, date) and not isinstance(first, datetime):
                start = datetime(first.year, first.month, first.day)
                starts = [d.date() for d in rrulestr(text, dtstart=start)]
            else:
                starts = list(rrulestr(text, dtstart=first))
            ex = c.get("EXDATE")
            exdates = set()
            for e in ex if isinstance(ex, list) else ([ex] if ex is not None else []):
                for d in e.dts:
                    exdates.add(instant(d.dt if isinstance(d.dt, datetime) else d.dt))
            starts = [s for s in starts if instant(s) not in exdates]
        for s in starts:
            if now <= instant(s) <= end:
                out.append(f"{summary}\t{show(s)}")
    print("\n".join(sorted(out)))


main()
