"""Dates derived from the answers: the face-data filing deadline, retention and next review.

- Filing (人脸识别办法 art. 15 [P]): storing the face data of 100,000 persons must be filed within
  30 working days. The due date is the 30th Chinese working day after `h_filing_reached_date`,
  counted on the official calendar (public holidays and make-up workdays) of the maintained
  `chinesecalendar` package. The package only knows the years the State Council has published;
  for a later year the count falls back to Monday–Friday and `filing_note` says so, because a
  holiday in that year would move the real deadline later. Thresholds reached before the measures
  took effect (2025-06-01) had the fixed transition deadline 2025-07-14 (CAC announcement [P]).
- Retention (PIPL art. 56(2)): the report and processing records are kept at least 3 years from
  the report date; 29 February + 3 years is 28 February.
- Next review: the date the user set, or one year after the report date [I].

The numbers (30 working days, 3 years, 1 year, transition dates) are data in the form
(`forms/<form>/deadlines.yaml`), not code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import chinese_calendar

from pia_app.forms.answers import effective_answers
from pia_app.forms.conditions import add_years, parse_date
from pia_app.forms.schema import Form

NOTE_CALENDAR = "official_calendar"
"""The due date was counted on the official working-day calendar."""
NOTE_WEEKDAYS = "weekdays_only"
"""Part of the count lies in a year the calendar does not know: Monday–Friday were counted."""
NOTE_TRANSITION = "transition"
"""The threshold was reached before the measures took effect: the transition deadline applies."""

_DEFAULTS: dict[str, Any] = {
    "filing_working_days": 30,
    "transition_reached_before": "2025-06-01",
    "transition_due": "2025-07-14",
    "retention_years": 3,
    "review_years": 1,
}


@dataclass(frozen=True)
class Dates:
    filing_due: dt.date | None
    filing_note: str
    """One of NOTE_* ("" when there is no filing date); `describe_filing_note` makes a sentence."""
    retain_until: dt.date | None
    next_review: dt.date | None
    filing_overdue: bool = False
    """The due date is before `today` and the filing status does not say it was filed."""


def _params(form: Form) -> dict[str, Any]:
    raw = form.data.get("deadlines")
    out = dict(_DEFAULTS)
    if isinstance(raw, Mapping):
        out.update({k: raw[k] for k in _DEFAULTS if k in raw})
    return out


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, known to the official calendar). Unknown years: Monday–Friday."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The `days`-th working day after `start` (start itself not counted), and whether every day
    counted was on the official calendar."""
    day = start
    counted = 0
    all_known = True
    while counted < days:
        day += dt.timedelta(days=1)
        working, known = is_working_day(day)
        all_known = all_known and known
        if working:
            counted += 1
    return day, all_known


FILED_STATUSES = ("reached_filed", "reached_filed_late", "pre_2025_filed")
"""h_filing_status codes that mean the filing was made (no overdue warning)."""


def derive_dates(form: Form, answers: Mapping[str, Any], today: dt.date | None = None) -> Dates:
    """Filing due date, retention date and next review from the answers that apply."""
    today = today or dt.date.today()
    p = _params(form)
    eff = effective_answers(form, answers)

    filing_due: dt.date | None = None
    note = ""
    reached = parse_date(eff.get(form.role("dates", "filing_reached")))
    if reached is not None:
        transition_from = parse_date(str(p["transition_reached_before"]))
        if transition_from is not None and reached < transition_from:
            filing_due = parse_date(str(p["transition_due"]))
            note = NOTE_TRANSITION
        else:
            filing_due, known = add_working_days(reached, int(p["filing_working_days"]))
            note = NOTE_CALENDAR if known else NOTE_WEEKDAYS
    overdue = bool(
        filing_due is not None
        and filing_due < today
        and eff.get(form.role("dates", "filing_status")) not in FILED_STATUSES
    )

    report = parse_date(eff.get(form.role("record", "report_date")))
    retain = add_years(report, int(p["retention_years"])) if report else None
    review = parse_date(eff.get(form.role("record", "next_review")))
    if review is None and report is not None:
        review = add_years(report, int(p["review_years"]))
    return Dates(filing_due, note, retain, review, overdue)


def describe_filing_note(note: str, lang: str) -> str:
    """The filing note as a sentence in `lang` ("" for no note)."""
    from pia_app.i18n import t

    return t(f"dates.note.{note}", lang) if note else ""


def filing_due_phrase(dates: Dates, lang: str) -> str:
    """The due date for a filing finding's `{filing_due}`: "（备案截止日为 2026-01-12，已逾期）",
    with the caveat when only weekends were skipped; "" when there is no due date."""
    from pia_app.i18n import t

    if dates.filing_due is None:
        return ""
    key = "dates.phrase.overdue" if dates.filing_overdue else "dates.phrase.due"
    text = t(key, lang, due=dates.filing_due.isoformat())
    if dates.filing_note == NOTE_WEEKDAYS:
        text += t("dates.phrase.weekdays_only", lang)
    return t("dates.phrase.wrap", lang, text=text)
