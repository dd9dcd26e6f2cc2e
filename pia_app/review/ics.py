"""The due list as an iCalendar file (RFC 5545), for calendars (`pia-app due --ics FILE`).

Written by hand on purpose: the file is a handful of all-day VEVENTs, and the few rules that
matter are implemented and tested here — CRLF line ends, TEXT escaping (backslash, semicolon,
comma, newline), lines folded at 75 octets without splitting a UTF-8 character, a stable UID per
item so a calendar updates an event instead of duplicating it, DTSTAMP in UTC. A library
(icalendar) would add a dependency for about forty lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pia_app.review.due import DueItem

PRODID = "-//pia-app//due list//ZH"
LIMIT = 75


def escape_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> list[str]:
    """Split a content line into lines of at most 75 octets; continuation lines start with a space."""
    out: list[str] = []
    current, size, limit = "", 0, LIMIT
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, LIMIT
        current += ch
        size += n
    out.append(current)
    return out


def calendar(items: Sequence[DueItem], summaries: Sequence[str], now: dt.datetime | None = None) -> str:
    """An iCalendar document with one all-day event per dated item (`summaries[i]` is the
    event title of `items[i]`, in the user's language)."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for item, summary in zip(items, summaries, strict=True):
        if item.due is None:
            continue
        uid = f"{item.uid}-{item.kind}" + (f"-{item.revision}-{item.row}" if item.row is not None else "")
        description = "\n".join(x for x in (item.title, item.measure, item.owner) if x)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@pia-app",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))
