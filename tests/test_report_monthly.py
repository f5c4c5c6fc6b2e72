"""`gridctl report monthly`: every rate equals its numerator ÷ denominator, counts match the
ledger, the charts reference the right ranges; and the metric formulas on hand-made issues."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from gridctl import metrics
from gridctl.ledger.issues import IssueState
from tests.helpers import run
from tests.helpers import FORTNIGHT_UNIT as UNIT
from tests.helpers import ok

SHEETS = ["一、总体情况", "二、考评与排名", "三、高发问题", "四、超期未处置", "人员情况", "图表", "说明"]


def issue(**kw):
    """A hand-made issue state: what the rates read, the rest left empty."""
    base = dict(id="X", office="", year=2026, seq=0, grid="", title="", status=None, level=None, found_at=None,
                source="report", category="roads", late_report=0, on_the_spot=0, reported_at=None,
                accepted_at=None, deadline=None, handled_at=None, closed_at=None, extensions=0,
                reworks=0, callback=None, callback_at=None)
    return IssueState(**(base | kw))


def test_rates_on_hand_made_issues():
    start, end = "2026-11-01 00:00", "2026-11-30 23:59"
    issues = [
        issue(id="a", source="patrol", reported_at="2026-11-02 09:00", accepted_at="2026-11-02 10:00",
              deadline="2026-11-09 23:59", handled_at="2026-11-05 10:00", closed_at="2026-11-06 10:00",
              callback="satisfied", callback_at="2026-11-07 10:00"),
        issue(id="b", reported_at="2026-11-03 09:00", late_report=1, accepted_at="2026-11-03 10:00",
              deadline="2026-11-10 23:59", handled_at="2026-11-12 10:00", closed_at="2026-11-13 10:00",
              reworks=1, callback="unsatisfied", callback_at="2026-11-14 09:00"),
        issue(id="c", reported_at="2026-11-04 09:00", accepted_at="2026-11-04 10:00",
              deadline="2026-11-20 23:59", extensions=1),
        issue(id="d", reported_at="2026-10-30 09:00", accepted_at="2026-10-30 10:00",
              deadline="2026-11-05 23:59", handled_at="2026-11-04 10:00"),
    ]
    c = metrics.tally(issues + [issue(id="e", source="patrol", status="rejected", reported_at="2026-11-05 09:00",
                                      rejected_at="2026-11-05 10:00")], start, end, found_by_patrol={"b"})
    r = metrics.rates(c)
    assert (r["discovery"].numerator, r["discovery"].denominator) == (2, 3)          # a by source, b by link; e rejected
    assert (r["reporting"].numerator, r["reporting"].denominator) == (1, 2)          # of the own finds a, b: b late
    assert (r["handling"].numerator, r["handling"].denominator) == (2, 4)           # a, b closed; d only handled
    assert (r["closure"].numerator, r["closure"].denominator) == (2, 4)
    assert (r["on_time_handling"].numerator, r["on_time_handling"].denominator) == (1, 4)   # b closed after its deadline
    assert (r["satisfaction"].numerator, r["satisfaction"].denominator) == (1, 2)
    assert (r["rework"].numerator, r["rework"].denominator) == (1, 3)
    assert metrics.performance(r).points == pytest.approx((2 / 3 + 2 / 4 + 1 / 2 + 1 / 2) * 20, abs=1e-9)
    empty = metrics.rates(metrics.tally([], start, end, set()))
    assert empty["discovery"].value is None and metrics.performance(empty).points is None


def test_rank_shares_places_on_ties():
    assert metrics.rank({"a": 70.0, "b": 80.0, "c": 70.0, "d": None, "e": 60.0}) == {
        "a": 2, "b": 1, "c": 2, "d": None, "e": 4}


def test_monthly_workbook(fortnight, tmp_path):
    out = tmp_path / "m.xlsx"
    result = run("report", "monthly", "--unit", UNIT, "--month", "2026-11", "--as-of", "2026-11-25 18:00",
                 "-o", out, "--json")
    assert result.exit_code == 0, result.stderr
    figures = result.json()
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    # 一、总体情况 against the ledger
    listed = ok("issue", "list", "--grid", UNIT)
    overall = {r[0]: r[1] for r in wb["一、总体情况"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert overall["受理 (本月登记)"] == len(listed) == figures["overall"]["counts"]["recorded"] == 12
    assert overall["当场解决"] == 0
    # 二、考评与排名: every rate is its numerator ÷ denominator
    ws = wb["二、考评与排名"]
    header = [c.value for c in ws[2]]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert {r[0] for r in rows} >= {"黄河路社区", "纬五路社区", "花园路社区", "丰产路社区"}
    for row in rows:
        for key in metrics.RATES:
            name = {"discovery": "发现率", "handling": "处置率", "on_time_handling": "按期处置率", "reporting": "上报率",
                    "satisfaction": "满意率", "rework": "返工率", "closure": "结案率"}[key]
            value, num, den = (row[header.index(h)] for h in (name, f"{name} 分子", f"{name} 分母"))
            assert value == (pytest.approx(num / den) if den else None), (row[0], name)
    rate_cells = [c for c in ws[3][1:1 + len(metrics.RATES)] if c.value is not None]
    assert rate_cells and all(c.number_format == "0.0%" for c in rate_cells)
    ranks = [r[header.index("排名")] for r in rows if r[header.index("排名")] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    # the charts and their ranges
    charts = wb["图表"]._charts
    assert len(charts) == 2
    bar, line = charts
    refs = [s.val.numRef.f for s in bar.series]
    assert refs == [f"'图表'!${c}$3:${c}${2 + len(rows)}" for c in "BCDE"]
    cat = bar.series[0].cat
    assert (cat.numRef or cat.strRef).f == f"'图表'!$A$3:$A${2 + len(rows)}"
    assert bar.y_axis.numFmt.formatCode == "0%" and (bar.y_axis.scaling.min, bar.y_axis.scaling.max) == (0, 1)
    week_refs = [s.val.numRef.f for s in line.series]
    assert len(week_refs) == 2 and week_refs[0].startswith("'图表'!$B$")
    weeks = [r for r in wb["图表"].iter_rows(min_row=4 + len(rows), values_only=True) if r[0] and "-W" in str(r[0])]
    assert [w[0] for w in weeks] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]   # to 11-25
    assert [w[1] for w in weeks if w[1]] == [w[1] for w in weeks if w[0] in ("2026-W46", "2026-W47")]
    assert sum(w[1] for w in weeks) == 12
    charts = wb["图表"]                     # the charts start a page: never cut by a page's end (rendered: whole)
    assert [b.id for b in charts.row_breaks.brk] == [charts.max_row + 1]
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=3, values_only=True)}
    assert notes["指标口径版本"] == metrics.FORMULA_VERSION and "发现率" in notes
    assert "office" not in notes["计入的最后一条事件"] and "(平台 " in notes["计入的最后一条事件"]   # in Chinese


def test_bad_month_is_refused(loaded, tmp_path):
    result = run("report", "monthly", "--unit", UNIT, "--month", "2026-13", "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "2026-11" in result.stderr


def test_english_monthly_states_the_rates_in_english(fortnight, tmp_path):
    path = tmp_path / "m.xlsx"
    assert run("--lang", "en", "report", "monthly", "--unit", UNIT, "--month", "2026-11", "-o", path).exit_code == 0
    notes = {row[0]: row[1] for row in load_workbook(path)["Notes"].iter_rows(min_row=3, values_only=True)}
    assert notes["Discovery"].startswith("discovery = issues of the period")
    assert not any("率" in str(v) for v in notes.values())


def test_the_rate_definitions_are_the_metrics_own():
    """The catalogue's Chinese definitions are metrics.DEFINITIONS, word for word."""
    from gridctl.messages import CATALOGUE

    assert {k: CATALOGUE[f"rate.def.{k}"][0] for k in metrics.DEFINITIONS} == metrics.DEFINITIONS


def test_the_weekly_line_counts_every_week_of_the_month_a_quiet_one_as_0(loaded, tmp_path):
    """The 图表 sheet's weekly table (under its line chart) listed only the weeks in which an issue
    was opened or closed: a month with issues in W45 and W47 drew W45 → W47 as neighbours, the
    quiet W46 (and W44, W48) left out, on paper a trend that never dipped. Every ISO week holding a
    day of the month up to as-of is a row now, 0 where nothing happened."""
    for day in ("2026-11-03", "2026-11-17"):
        ok("issue", "add", "-g", "黄河路社区/1号楼院", "-c", "环境卫生", "-s", "热线", "-t", f"堆物{day}",
           "--at", f"{day} 09:00", "--force")
    path = tmp_path / "m.xlsx"
    made = run("report", "monthly", "--unit", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-26 18:00",
               "-o", path)
    assert made.exit_code == 0, made.stderr
    rows = [row for row in load_workbook(path)["图表"].iter_rows(values_only=True)
            if isinstance(row[0], str) and row[0].startswith("2026-W")]
    assert [row[:3] for row in rows] == [("2026-W44", 0, 0), ("2026-W45", 1, 0), ("2026-W46", 0, 0),
                                         ("2026-W47", 1, 0), ("2026-W48", 0, 0)]


def test_the_weekly_line_s_axis_counts_in_whole_issues(loaded, tmp_path):
    """The 每周新增与结案 line's axis was labelled 0, 0.2, 0.4 … 1.2 for a month of one or two issues a
    week (LibreOffice's automatic steps): counts of issues are whole; its steps are whole now."""
    for day in ("2026-11-03", "2026-11-17"):
        ok("issue", "add", "-g", "黄河路社区/1号楼院", "-c", "环境卫生", "-s", "热线", "-t", f"堆物{day}",
           "--at", f"{day} 09:00", "--force")
    path = tmp_path / "m.xlsx"
    assert run("report", "monthly", "--unit", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-26 18:00",
               "-o", path).exit_code == 0
    line = load_workbook(path)["图表"]._charts[1]
    assert line.y_axis.majorUnit == 1 and line.y_axis.numFmt.formatCode == "0"
