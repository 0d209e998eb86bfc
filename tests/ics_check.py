"""Read an iCalendar file with Python's `icalendar` package (an independent parser) and print
what it understood as JSON, for tests/ics_roundtrip.rs to compare with what tether meant.

Exit 3 when the package is missing (the Rust test then skips, unless TETHER_REQUIRE_E2E=1).
"""

import json
import sys

try:
    import icalendar
except ImportError:
    print("icalendar is not installed (pip install icalendar)", file=sys.stderr)
    sys.exit(3)


def value(prop):
    """A date-time as ISO 8601 (UTC shown as +00:00), a date as YYYY-MM-DD."""
    return prop.dt.isoformat() if prop is not None else None


def main(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    items = []
    problems = []
    for c in cal.walk():
        problems.extend(f"{c.name}: {e}" for e in getattr(c, "errors", []))
        if c.name not in ("VEVENT", "VTODO"):
            continue
        start = c.get("DTSTART") if c.name == "VEVENT" else c.get("DUE")
        items.append(
            {
                "kind": c.name,
                "uid": str(c.get("UID")),
                "summary": str(c.get("SUMMARY")),
                "description": str(c.get("DESCRIPTION", "")),
                "when": value(start),
                "end": value(c.get("DTEND")),
                "dtstamp": value(c.get("DTSTAMP")),
                "categories": [str(x) for x in c.get("CATEGORIES").cats]
                if c.get("CATEGORIES") is not None
                else [],
            }
        )
    json.dump(
        {
            "version": str(cal.get("VERSION")),
            "prodid": str(cal.get("PRODID")),
            "items": items,
            "problems": problems,
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main(sys.argv[1])
