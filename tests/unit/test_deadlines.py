"""Derived dates: 30 Chinese working days (holidays and make-up workdays), the fallback beyond the
calendar's last known year, retention of three years and the next review.

Expected dates are counted by hand in the comments, from the State Council's 2026 schedule
(Mid-Autumn 25–27 Sep, National Day 1–7 Oct, make-up workdays Sun 20 Sep and Sat 10 Oct).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pia_app.engine.deadlines import (
    NOTE_CALENDAR,
    NOTE_TRANSITION,
    NOTE_WEEKDAYS,
    add_working_days,
    derive_dates,
    describe_filing_note,
    is_working_day,
)
from pia_app.forms.conditions import add_years

D = dt.date


def test_official_calendar_knows_2026_holidays_and_makeup_days() -> None:
    assert is_working_day(D(2026, 10, 1)) == (False, True)  # National Day, a Thursday
    assert is_working_day(D(2026, 10, 10)) == (True, True)  # make-up workday, a Saturday
    assert is_working_day(D(2026, 9, 20)) == (True, True)  # make-up workday, a Sunday


def test_thirty_working_days_across_national_day_2026() -> None:
    # From Fri 18 Sep 2026: 20 Sep (make-up) = 1; 21–24 Sep = 2–5; 25–27 Sep Mid-Autumn;
    # 28–30 Sep = 6–8; 1–7 Oct National Day; 8, 9 Oct = 9, 10; Sat 10 Oct (make-up) = 11;
    # 12–16 Oct = 12–16; 19–23 Oct = 17–21; 26–30 Oct = 22–26; 2–5 Nov = 27–30.
    assert add_working_days(D(2026, 9, 18), 30) == (D(2026, 11, 5), True)


def test_a_plain_weekday_count_would_be_wrong_here() -> None:
    """Guard: the count above really depends on the holiday calendar."""
    day, n = D(2026, 9, 18), 0
    while n < 30:
        day += dt.timedelta(days=1)
        n += day.weekday() < 5
    assert day != D(2026, 11, 5)


def test_beyond_the_known_years_weekdays_are_counted_and_flagged() -> None:
    # From Tue 15 Dec 2026: 16–18 Dec = 1–3; 21–25 = 4–8; 28–31 = 9–12; 2027 unknown to the
    # calendar, so Fri 1 Jan counts = 13; 4–8 Jan = 14–18; 11–15 = 19–23; 18–22 = 24–28;
    # 25, 26 Jan = 29, 30.
    assert add_working_days(D(2026, 12, 15), 30) == (D(2027, 1, 26), False)


def test_wholly_unknown_year() -> None:
    # From Mon 1 Mar 2027 (not counted): 2–5 Mar = 1–4; five weeks 8 Mar–9 Apr = 5–29;
    # Mon 12 Apr = 30. Qingming 2027 is not known to the calendar, hence the flag.
    assert add_working_days(D(2027, 3, 1), 30) == (D(2027, 4, 12), False)


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2026, 11, 20), 3, D(2029, 11, 20)),
        (D(2028, 2, 29), 3, D(2031, 2, 28)),
        (D(2028, 2, 29), 4, D(2032, 2, 29)),
        (D(2027, 2, 28), 1, D(2028, 2, 28)),
    ],
)
def test_add_years(start: dt.date, years: int, expected: dt.date) -> None:
    assert add_years(start, years) == expected


def test_retention_and_review_from_the_report_date(form: Any) -> None:
    dates = derive_dates(form, {"m_report_date": "2028-02-29"}, today=D(2028, 3, 1))
    assert dates.retain_until == D(2031, 2, 28)
    assert dates.next_review == D(2029, 2, 28)
    assert dates.filing_due is None
    assert dates.filing_note == ""


def test_explicit_next_review_wins(form: Any) -> None:
    dates = derive_dates(form, {"m_report_date": "2026-11-20", "m_next_review": "2027-05-20"})
    assert dates.next_review == D(2027, 5, 20)
    assert dates.retain_until == D(2029, 11, 20)


def test_no_report_date_no_dates(form: Any) -> None:
    dates = derive_dates(form, {})
    assert (dates.retain_until, dates.next_review, dates.filing_due) == (None, None, None)


def test_filing_notes_have_both_languages() -> None:
    for note in (NOTE_CALENDAR, NOTE_WEEKDAYS):
        zh, en = describe_filing_note(note, "zh"), describe_filing_note(note, "en")
        assert zh and en and zh != en and not zh.startswith("dates.")
    assert describe_filing_note("", "en") == ""


FACE = {
    "b_uses_face_recognition": True,
    "b_rd_training_only": False,
    "b_data_types": ["face_template"],
    "b_face_stored_count": 120_000,
}


def test_filing_due_from_the_reached_date(form: Any) -> None:
    answers = {**FACE, "h_filing_status": "reached_not_filed", "h_filing_reached_date": "2026-09-18"}
    dates = derive_dates(form, answers, today=D(2026, 11, 22))
    assert dates.filing_due == D(2026, 11, 5)  # counted above
    assert dates.filing_note == NOTE_CALENDAR
    assert dates.filing_overdue  # not filed and past due
    filed = derive_dates(form, {**answers, "h_filing_status": "reached_filed"}, D(2026, 11, 22))
    assert not filed.filing_overdue


def test_filing_due_beyond_the_calendar_says_so(form: Any) -> None:
    answers = {**FACE, "h_filing_status": "reached_not_filed", "h_filing_reached_date": "2026-12-15"}
    dates = derive_dates(form, answers, today=D(2026, 12, 16))
    assert dates.filing_due == D(2027, 1, 26)
    assert dates.filing_note == NOTE_WEEKDAYS
    assert not dates.filing_overdue
    assert "周六" in describe_filing_note(dates.filing_note, "zh")


def test_threshold_reached_before_the_measures_took_effect(form: Any) -> None:
    answers = {**FACE, "h_filing_status": "pre_2025_filed", "h_filing_reached_date": "2024-03-01"}
    dates = derive_dates(form, answers, today=D(2026, 1, 1))
    assert dates.filing_due == D(2025, 7, 14)
    assert dates.filing_note == NOTE_TRANSITION


def test_no_filing_date_when_section_h_is_hidden(form: Any) -> None:
    answers = {**FACE, "b_uses_face_recognition": False, "h_filing_reached_date": "2026-09-18"}
    assert derive_dates(form, answers).filing_due is None
