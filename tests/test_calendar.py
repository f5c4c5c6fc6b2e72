"""Deadline arithmetic on the working calendar (configs/calendar.yaml)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gridctl.issues.calendar import load_calendar


@pytest.fixture
def cal():
    return load_calendar()


def test_holidays_and_make_up_days(cal):
    assert not cal.is_workday(date(2026, 10, 1))      # 国庆
    assert cal.is_workday(date(2026, 10, 10))          # Saturday, 调休上班
    assert cal.is_workday(date(2026, 2, 14))           # Saturday before 春节, 调休上班
    assert not cal.is_workday(date(2026, 2, 16))       # 春节 Monday
    assert not cal.is_workday(date(2026, 11, 28))      # an ordinary Saturday
    assert cal.is_workday(date(2025, 1, 26))           # 2025 make-up Sunday
    assert not cal.is_workday(date(2027, 2, 8))        # 2027 (provisional) 春节
    assert 2027 in cal.provisional_years


def test_working_days_across_national_day_and_its_make_up_saturday(cal):
    # accepted Wed 30 Sep; Oct 1-7 off; Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13
    due = cal.deadline(datetime(2026, 9, 30, 15, 0), 5, "working_days")
    assert due == datetime(2026, 10, 13, 23, 59)


def test_working_days_across_spring_festival(cal):
    # accepted Fri 13 Feb; Sat 14 is a working day, 15-23 off, then Tue 24 .. Fri 27
    due = cal.deadline(datetime(2026, 2, 13, 10, 0), 5, "working_days")
    assert due == datetime(2026, 2, 27, 23, 59)


def test_ordinary_week(cal):
    assert cal.deadline(datetime(2026, 11, 20, 10, 0), 5, "working_days") == datetime(2026, 11, 27, 23, 59)


def test_working_hours_skip_lunch_and_weekend(cal):
    # Friday 11:00: one hour to 12:00, 14:30-18:00 is 3.5 h, then Monday 08:30 + 1.5 h
    due = cal.deadline(datetime(2026, 11, 20, 11, 0), 6, "working_hours")
    assert due == datetime(2026, 11, 23, 10, 0)


def test_working_hours_started_out_of_hours(cal):
    due = cal.deadline(datetime(2026, 11, 21, 20, 0), 4, "working_hours")  # Saturday evening
    assert due == datetime(2026, 11, 23, 15, 0)


def test_natural_days_and_clock_hours(cal):
    assert cal.deadline(datetime(2026, 9, 30, 15, 0), 3, "natural_days") == datetime(2026, 10, 3, 23, 59)
    assert cal.deadline(datetime(2026, 9, 30, 15, 0), 24, "clock_hours") == datetime(2026, 10, 1, 15, 0)


def test_extension_moves_by_working_days(cal):
    due = datetime(2026, 9, 30, 23, 59)
    assert cal.extend(due, 2, "working_days") == datetime(2026, 10, 9, 23, 59)
    assert cal.extend(due, 2, "natural_days") == datetime(2026, 10, 2, 23, 59)


def test_acceptance_window_is_one_working_day(cal):
    assert cal.accept_due(datetime(2026, 11, 20, 16, 0)) == datetime(2026, 11, 23, 23, 59)
