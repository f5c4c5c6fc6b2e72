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


@pytest.fixture
def own_calendar(tmp_path, monkeypatch):
    """A copy of the shipped calendar.yaml read as the configs (GRIDCTL_CONFIGS), with a cache
    folder of its own; the in-process reading (`lru_cache`) is forgotten around the test."""
    import shutil

    from tests.helpers import ROOT

    configs = tmp_path / "configs"
    configs.mkdir()
    shutil.copy(ROOT / "configs" / "calendar.yaml", configs / "calendar.yaml")
    monkeypatch.setenv("GRIDCTL_CONFIGS", str(configs))
    monkeypatch.setenv("GRIDCTL_CACHE", str(tmp_path / "cache"))
    load_calendar.cache_clear()
    yield configs / "calendar.yaml"
    load_calendar.cache_clear()


def fresh() -> object:
    """The calendar read again in a new process, as the next command reads it."""
    load_calendar.cache_clear()
    return load_calendar()


def test_a_calendar_read_before_is_taken_as_it_was_read(own_calendar, tmp_path):
    from gridctl.issues.calendar import _read_calendar

    first = fresh()
    assert len(list((tmp_path / "cache").glob("calendar-*.json"))) == 1
    assert fresh() == first == _read_calendar(None)     # from what was kept: the same in every field
    assert fresh().provisional_years == (2027,) and fresh().working_hours == first.working_hours


def test_a_calendar_changed_in_one_byte_is_read_again_whatever_its_dates_say(own_calendar):
    import os

    assert fresh().is_workday(date(2026, 10, 10))
    stat = os.stat(own_calendar)
    text = own_calendar.read_text(encoding="utf-8")
    own_calendar.write_text(text.replace('"2026-10-10"]', '"2026-10-17"]'), encoding="utf-8")
    os.utime(own_calendar, ns=(stat.st_atime_ns, stat.st_mtime_ns))    # same size, same dates
    assert os.stat(own_calendar).st_size == stat.st_size
    changed = fresh()
    assert changed.is_workday(date(2026, 10, 17)) and not changed.is_workday(date(2026, 10, 10))


def test_a_damaged_kept_reading_is_read_afresh(own_calendar, tmp_path):
    first = fresh()
    for kept in (tmp_path / "cache").glob("calendar-*.json"):
        kept.write_text('{"version": "2026.1", "weekend": [', encoding="utf-8")
    assert fresh() == first
    for kept in (tmp_path / "cache").glob("calendar-*.json"):
        kept.write_text('{"version": "x"}', encoding="utf-8")
    assert fresh() == first


def test_a_calendar_with_a_problem_is_refused_every_time_and_never_kept(own_calendar, tmp_path):
    from gridctl.errors import InputProblems

    text = own_calendar.read_text(encoding="utf-8")
    own_calendar.write_text(text.replace("yellow_at: 0.8", "yellow_at: abc"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputProblems):
            fresh()
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_an_empty_cache_variable_keeps_nothing(own_calendar, tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDCTL_CACHE", "")
    assert fresh() == fresh()
    assert not (tmp_path / "cache").exists()
