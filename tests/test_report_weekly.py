"""`gridctl report weekly`: the workbook's cells against the ledger, and a past week kept as it was."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.helpers import FORTNIGHT_BLOCKS as BLOCKS
from tests.helpers import FORTNIGHT_UNIT as UNIT
from tests.helpers import ok, run, write_folder

SHEETS = ["概况", "问题台账", "超期督办", "巡查情况", "未巡查", "会议", "说明"]


def workbook(path, *args):
    result = run("report", "weekly", "--unit", UNIT, "-o", path, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return load_workbook(path), result.json()


def values(wb):
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def summary_counts(ws) -> dict:
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=3) if row[1].value is not None}


def test_weekly_workbook_matches_the_ledger(fortnight, tmp_path):
    as_of = "2026-11-22 23:59"
    wb, figures = workbook(tmp_path / "w47.xlsx", "--week", "2026-W47", "--as-of", as_of)
    assert wb.sheetnames == SHEETS
    title = wb["概况"]["A1"].value
    assert isinstance(title, str) and "金水区/经八路街道" in title and as_of in title
    counts = summary_counts(wb["概况"])
    for status, name in (("reported", "已上报"), ("accepted", "已受理"), ("closed", "已结案")):
        listed = ok("issue", "list", "--grid", UNIT, "--status", status)
        assert counts[name] == len(listed), status
    overdue = ok("issue", "list", "--grid", UNIT, "--overdue", "--as-of", as_of)
    assert counts["超期未办结"] == len(overdue) == figures["this_week"].get("overdue", 0)
    new = [i for i in ok("issue", "list", "--grid", UNIT) if i["reported_at"] >= "2026-11-16"]
    assert counts["新增问题"] == len(new) == 6
    assert counts["巡查次数"] == 2
    ledger_rows = list(wb["问题台账"].iter_rows(min_row=3, values_only=True))
    assert len(ledger_rows) == figures["rows"]["ledger"]
    assert {r[1] for r in ledger_rows} >= {i["id"] for i in new}
    overdue_ws = wb["超期督办"]
    assert sorted(r[1] for r in overdue_ws.iter_rows(min_row=3, values_only=True)) == sorted(i["id"] for i in overdue)
    for row in overdue_ws.iter_rows(min_row=3):
        assert row[0].fill.fgColor.rgb.endswith("FFC7CE")        # overdue rows are red
        assert isinstance(row[5].value, datetime) and isinstance(row[6].value, (int, float))
    assert wb["问题台账"].freeze_panes == "A3" and wb["问题台账"].auto_filter.ref.startswith("A2:")
    assert wb["问题台账"].page_setup.orientation == "landscape"
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=3, values_only=True)}
    assert notes["计入的最后一条事件"].startswith(figures["last_event"])
    assert "office" not in notes["计入的最后一条事件"] and "seq" not in notes["计入的最后一条事件"]   # in Chinese
    assert "T01" not in [r[1] for r in wb["会议"].iter_rows(min_row=3, values_only=True) if r[0] is None]


def test_a_past_week_made_later_is_identical(fortnight, tmp_path):
    ids = fortnight
    before, _ = workbook(tmp_path / "a.xlsx", "--week", "2026-W46", "--as-of", "2026-11-15 23:59")
    # more happens afterwards: issues move, new ones come, a W46 patrol is voided, posts change
    ok("issue", "accept", ids[3], "--at", "2026-11-23 09:00")
    ok("issue", "add", "-g", BLOCKS[1], "-c", "占道", "-s", "hotline", "-t", "后来的", "--at", "2026-11-24 09:00")
    patrol = ok("patrol", "list", "-p", "P007", "--until", "2026-11-15")[0]
    ok("patrol", "void", patrol["id"], "--reason", "补录更正")
    after, _ = workbook(tmp_path / "b.xlsx", "--week", "2026-W46", "--as-of", "2026-11-15 23:59")
    assert values(before) == values(after)
    now, _ = workbook(tmp_path / "c.xlsx", "--week", "2026-W46", "--as-of", "2026-11-25 12:00")
    assert values(now) != values(after)


def test_formula_like_text_stays_text(tmp_path, db):
    folder = write_folder(tmp_path / "f", {"a.yaml": """
        grids:
          - code: "410105"
            name: "=1+1区"
            children:
              - code: "410105001"
                name: "+cmd街道"
        people:
          - {id: P001, name: 王芳}
        """})
    assert run("load", folder).exit_code == 0
    ok("issue", "add", "-g", "410105001", "-c", "占道", "-s", "patrol", "-t", "@SUM(A1)", "--at", "2026-11-16 09:00")
    result = run("report", "weekly", "--unit", "=1+1区", "--week", "2026-W47", "--as-of", "2026-11-20 12:00",
                 "-o", tmp_path / "f.xlsx")
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(tmp_path / "f.xlsx")
    assert wb["概况"]["A1"].data_type == "s" and wb["概况"]["A1"].value.startswith("=1+1区")
    cell = next(r[4] for r in wb["问题台账"].iter_rows(min_row=3) if r[4].value == "@SUM(A1)")
    assert cell.data_type == "s"


@pytest.mark.parametrize("unit", ["T01", "CG105"])
def test_team_and_department_units(fortnight, tmp_path, unit):
    result = run("report", "weekly", "--unit", unit, "--week", "2026-W47", "--as-of", "2026-11-22 23:59",
                 "-o", tmp_path / "u.xlsx", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["unit"]["kind"] == ("team" if unit == "T01" else "department")
    assert load_workbook(tmp_path / "u.xlsx").sheetnames == SHEETS


def test_bad_unit_and_week(loaded, tmp_path):
    assert run("report", "weekly", "--unit", "不存在", "--week", "2026-W47", "-o", tmp_path / "x.xlsx").exit_code == 1
    assert run("report", "weekly", "--unit", UNIT, "--week", "47", "-o", tmp_path / "x.xlsx").exit_code == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_english_workbook(loaded, tmp_path):
    result = run("--lang", "en", "report", "weekly", "--unit", UNIT, "--week", "2026-W47", "-o", tmp_path / "e.xlsx")
    assert result.exit_code == 0
    assert load_workbook(tmp_path / "e.xlsx").sheetnames == ["Summary", "Issues", "Overdue", "Patrols",
                                                              "Not patrolled", "Meetings", "Notes"]


def test_the_not_patrolled_sheet_says_why_in_words(fortnight, tmp_path):
    """Found by QA: 依据 printed the ledger's code (`post:网格长`, `team:T01`); now as `patrol missing`."""
    wb, _ = workbook(tmp_path / "w47.xlsx", "--week", "2026-W47")
    via = {r[4] for r in wb["未巡查"].iter_rows(min_row=3, values_only=True) if r[4]}
    printed = {r["via_text"] for r in ok("patrol", "missing", "--week", "2026-W47", "--unit", UNIT)["missing"]}
    assert via and via <= printed, (via, printed)
    assert not [v for v in via if v.startswith(("post:", "team:"))]


def test_weekly_without_week_means_this_week(loaded, tmp_path):
    from datetime import date

    from openpyxl import load_workbook

    year, number, _ = date.today().isocalendar()
    out = tmp_path / "本周.xlsx"
    result = run("report", "weekly", "--unit", "经八路街道", "-o", out)
    assert result.exit_code == 0, result.stderr
    title = load_workbook(out).worksheets[0]["A1"].value
    assert f"{year}-W{number:02d}" in title


def test_english_workbook_says_gridctl_s_own_words_in_english(fortnight, tmp_path):
    """Under --lang en the meeting kinds and gridctl's own notes (the automatic escalation) are
    English; the Chinese left is the ledger's data (names, titles, notes people typed)."""
    import re

    path = tmp_path / "e.xlsx"
    assert run("--lang", "en", "report", "weekly", "--unit", UNIT, "--week", "2026-W47", "-o", path).exit_code == 0
    cells = values(load_workbook(path))
    kinds = {row[2] for row in cells["Meetings"][2:] if row[2]}
    assert kinds == {"team huddle"}, kinds
    notes = [row[-1] for row in cells["Issues"][2:] if row[-1]]
    assert any(note.startswith("beyond this level's authority") for note in notes), notes
    assert not any("逐级上报" in note for note in notes)
    zh = tmp_path / "z.xlsx"
    run("report", "weekly", "--unit", UNIT, "--week", "2026-W47", "-o", zh)
    zh_cells = values(load_workbook(zh))
    assert {row[2] for row in zh_cells["会议"][2:] if row[2]} == {"碰头会"}
    assert any(re.match("超出本级权限", row[-1] or "") for row in zh_cells["问题台账"][2:])


@pytest.mark.parametrize(("unit", "code", "chinese", "english"), [
    (UNIT, "410105001", "网格", "grid"), ("T01", "T01", "工作队", "team"), ("CG105", "CG105", "部门", "department")])
def test_the_notes_sheet_names_the_unit_s_kind_in_words(fortnight, tmp_path, unit, code, chinese, english):
    """The weekly's and the monthly's 说明 sheet said the unit as `金水区/经八路街道 (grid 410105001)`:
    the code of its kind, in English, on a Chinese workbook. Now in the workbook's language."""
    for report, period in (("weekly", ("--week", "2026-W47")), ("monthly", ("--month", "2026-11"))):
        for lang, sheet, label, word in (("zh", "说明", "单位", chinese), ("en", "Notes", "Unit", english)):
            path = tmp_path / f"{report}-{lang}.xlsx"
            result = run("--lang", lang, "report", report, "--unit", unit, *period, "-o", path)
            assert result.exit_code == 0, result.stderr
            notes = {r[0]: r[1] for r in load_workbook(path)[sheet].iter_rows(min_row=3, values_only=True)}
            assert notes[label].endswith(f" ({word} {code})"), (report, lang, notes[label])


def test_a_week_or_month_not_begun_is_refused_not_reported_empty(loaded, tmp_path):
    """`report weekly --week 2027-W10` (a slip for 2026-W10) wrote an empty workbook, as if the
    office had done nothing that week; so did `report monthly --month 2027-01`. Refused now, saying
    when the period starts, nothing written; the week under way is still reported."""
    from datetime import date, timedelta

    ahead = date.today() + timedelta(days=7)
    week = f"{ahead.isocalendar()[0]}-W{ahead.isocalendar()[1]:02d}"
    monday = (ahead - timedelta(days=ahead.weekday())).isoformat()
    said = run("report", "weekly", "-u", UNIT, "--week", week, "-o", tmp_path / "w.xlsx")
    assert said.exit_code == 1 and f"{week} 还没有开始 (从 {monday} 起)" in said.stderr, said.stderr
    month = (date.today().replace(day=28) + timedelta(days=4)).strftime("%Y-%m")
    english = run("--lang", "en", "report", "monthly", "-u", UNIT, "--month", month, "-o", tmp_path / "m.xlsx")
    assert english.exit_code == 1 and f"{month} has not begun (it starts on {month}-01)" in english.stderr
    assert list(tmp_path.glob("*.xlsx")) == []
    assert run("report", "weekly", "-u", UNIT, "-o", tmp_path / "now.xlsx").exit_code == 0    # this week


def test_a_report_as_of_a_day_to_come_is_refused(loaded, tmp_path):
    """`report weekly --as-of 2027-01-01` (a slip for 2026-01-01, or a week's report run ahead)
    wrote `截至 2027-01-01 00:00` and counted as 超期未办结 every open issue whose deadline falls
    before then, as if it had run late; `report monthly --as-of` of a day to come likewise.
    Refused now, saying today's date, nothing written; later today (`--as-of` today 23:59) is
    still a report of today."""
    from datetime import date, timedelta

    ahead = (date.today() + timedelta(days=1)).isoformat()
    said = run("report", "weekly", "-u", UNIT, "--as-of", ahead, "-o", tmp_path / "w.xlsx")
    assert said.exit_code == 1, said.stderr
    assert f"--as-of {ahead} 还没有到 (今天是 {date.today().isoformat()}): 报表只能截至今天" in said.stderr, said.stderr
    english = run("--lang", "en", "report", "monthly", "-u", UNIT, "--month", date.today().strftime("%Y-%m"),
                  "--as-of", f"{ahead} 08:00", "-o", tmp_path / "m.xlsx", "--json")
    assert english.exit_code == 1 and english.json()["error"]["code"] == "report.as_of_ahead"
    assert f"--as-of {ahead} 08:00 has not come yet (today is {date.today().isoformat()})" in english.stderr
    assert list(tmp_path.glob("*.xlsx")) == []
    assert run("report", "weekly", "-u", UNIT, "--as-of", f"{date.today().isoformat()} 23:59",
               "-o", tmp_path / "today.xlsx").exit_code == 0


def test_the_notes_say_when_the_duty_matrix_was_loaded_as_the_ledger_shows_a_time(fortnight, tmp_path):
    """The weekly's 说明 said the last load of the duty matrix as `aace2d03ef425925
    (2026-11-27T09:51:10)`: a stored timestamp, with its `T` and seconds, where every time the
    workbook shows is `2026-11-27 09:51`. Said so now."""
    import re

    wb, _ = workbook(tmp_path / "w.xlsx", "--week", "2026-W47")       # the ledger was loaded after the week
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=3, values_only=True)}
    assert re.fullmatch(r"[0-9a-f]{16} \(\d{4}-\d\d-\d\d \d\d:\d\d 载入, 晚于截至时间: 截至时台账中还没有载入职责矩阵\)",
                        notes["职责矩阵 (截至时已载入)"]), notes


def test_the_notes_cite_the_duty_matrix_load_in_force_at_the_as_of_time(fortnight, example, tmp_path, monkeypatch):
    """The weekly's 说明 cited the ledger's last load of the duty matrix whatever the as-of: a
    past week reported after a later load cited that later load as its own, and a week reported
    from a ledger built since cited a load made after it without a word. Now the load in force at
    the as-of time; where the ledger's first load came after it, said plainly (zh, en)."""
    from datetime import date, datetime, timedelta

    from gridctl.ledger import reference

    this_week = "{}-W{:02d}".format(*date.today().isocalendar()[:2])

    def duties(path, *args):
        wb, _ = workbook(path, *args)
        return {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=3, values_only=True)}["职责矩阵 (截至时已载入)"]

    first = duties(tmp_path / "now.xlsx", "--week", this_week)
    assert "晚于" not in first
    city = example / "jinshui.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("households: 340", "households: 341"), encoding="utf-8")

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.combine(date.today() + timedelta(days=1), datetime.min.time()).replace(hour=9)

    monkeypatch.setattr(reference, "datetime", Tomorrow)           # a load made after the report's as-of
    second = run("load", example, "--as-of", date.today().isoformat(), "--json")
    assert second.exit_code == 0 and second.json()["changed"], second.stderr
    assert second.json()["digest"][:16] != first.split(" ")[0]
    monkeypatch.setattr(reference, "datetime", datetime)
    assert duties(tmp_path / "again.xlsx", "--week", this_week) == first    # the load in force, not the last
    past = duties(tmp_path / "w47.xlsx", "--week", "2026-W47")
    assert past.startswith(first.split(" ")[0]) and "载入, 晚于截至时间" in past     # the first load, said later
    english = run("--lang", "en", "report", "weekly", "--unit", UNIT, "--week", "2026-W47", "-o", tmp_path / "en.xlsx")
    assert english.exit_code == 0
    from openpyxl import load_workbook

    notes = [r for r in load_workbook(tmp_path / "en.xlsx").worksheets[-1].iter_rows(values_only=True) if r[0]]
    said = dict((r[0], r[1]) for r in notes)
    assert "after the as-of time: the ledger held no duty matrix then" in said["Duty matrix (loaded by the as-of time)"]


def test_a_report_as_of_before_its_period_began_is_refused(fortnight, tmp_path):
    """`report monthly --month 2026-11 --as-of 2026-10-15` wrote `2026-11 网格化管理月报 … 截至 2026-10-15`,
    a month's report as of a day before the month began (empty: nothing of it was recorded yet);
    `report weekly --week 2026-W47 --as-of 2026-11-15` likewise. Refused, saying when the period
    starts, nothing written; an as-of on the period's first day is a report."""
    said = run("report", "monthly", "-u", UNIT, "--month", "2026-11", "--as-of", "2026-10-15", "-o", tmp_path / "m.xlsx")
    assert said.exit_code == 1, said.stdout
    assert "--as-of 2026-10-15 在 2026-11 开始 (2026-11-01) 之前: 这时还没有该期的任何记录" in said.stderr, said.stderr
    english = run("--lang", "en", "report", "weekly", "-u", UNIT, "--week", "2026-W47", "--as-of", "2026-11-15 18:00",
                  "-o", tmp_path / "w.xlsx", "--json")
    assert english.exit_code == 1 and english.json()["error"]["code"] == "report.as_of_before"
    assert "--as-of 2026-11-15 18:00 is before 2026-W47 began (2026-11-16)" in english.stderr
    assert list(tmp_path.glob("*.xlsx")) == []
    assert run("report", "weekly", "-u", UNIT, "--week", "2026-W47", "--as-of", "2026-11-16",
               "-o", tmp_path / "w.xlsx").exit_code == 0


def test_the_meetings_sheet_heads_a_meeting_s_notes_as_its_minutes(loaded, tmp_path):
    """The weekly's 会议 sheet headed a meeting's notes 民情日记 (the patrol diary's word): on paper a
    team huddle's 会议记录 read as a 民情日记. Its column is 会议记录 (en Minutes), as `meeting list` says."""
    assert run("--by", "P001", "meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会",
               "--attendees", "P101,P102", "--notes", "研究1号楼堆物").exit_code == 0
    for lang, sheet, word in (("zh", "会议", "会议记录"), ("en", "Meetings", "Minutes")):
        path = tmp_path / f"{lang}.xlsx"
        made = run("--lang", lang, "report", "weekly", "--unit", "黄河路社区", "--week", "2026-W47",
                   "--as-of", "2026-11-22 23:59", "-o", path)
        assert made.exit_code == 0, made.stderr
        rows = [[c for c in row if c is not None] for row in load_workbook(path)[sheet].iter_rows(values_only=True)]
        head = next(row for row in rows if word in row)
        assert "民情日记" not in head and "Notes" not in head, head
        assert any("研究1号楼堆物" in row for row in rows), rows
