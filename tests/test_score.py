"""`gridctl score`: a hand-worked quarter for one team of three, worked out in this file from
the ledger rows (not by calling the formulas), then the workbook, JSON and explain against it."""

from __future__ import annotations

import functools
import shutil

import pytest
from openpyxl import load_workbook

from gridctl.scoring import formulas
from gridctl.scoring.config import load_scoring
from tests import helpers
from tests.helpers import ROOT, run, write_folder

TOWN = """
grids:
  - code: "410108"
    name: 惠济区
    children:
      - code: "410108001"
        name: 老鸦陈街道
        children:
          - code: "410108001001"
            name: 老鸦陈村
            kind: 村
            children:
              - {code: "410108001001001", name: 第一村民组, kind: 村组}
          - code: "410108001002"
            name: 毛庄村
            kind: 村
            children:
              - {code: "410108001002001", name: 第一村民组, kind: 村组}
people:
  - {id: L, name: 队长, phone: "13800003001"}
  - {id: A, name: 队员甲, phone: "13800003002"}
  - {id: B, name: 队员乙, phone: "13800003003"}
  - {id: G, name: 组长, phone: "13800003004"}
posts:
  - {grid: "410108001001001", role: 网格长, person: G, since: 2026-01-01}
teams:
  - {code: T1, name: 驻老鸦陈村工作队, unit: 市教体局, leader: L, since: 2026-01-01,
     members: [A, {person: B, since: 2026-08-16}], grids: ["410108001001"]}
"""
BLOCK = "410108001001001"


ok = functools.partial(helpers.ok, by="G")


def scripted_quarter(db) -> None:
    """The town loaded, then a quarter of issues and conduct records for team T1."""
    town = write_folder(db.parent / "town", {"t.yaml": TOWN})
    assert run("--db", db, "load", town, "--as-of", "2026-01-01").exit_code == 0
    step = functools.partial(ok, db=db)
    add = ("issue", "add", "-g", BLOCK, "-c", "环境卫生")
    i1 = step(*add, "-s", "巡查发现", "-t", "垃圾一", "--at", "2026-07-06 09:00")["id"]
    step("issue", "accept", i1, "--at", "2026-07-06 10:00")
    step("issue", "dispatch", i1, "--at", "2026-07-06 11:00")
    step("issue", "handle", i1, "--at", "2026-07-07 09:00")
    step("issue", "close", i1, "--at", "2026-07-08 09:00")
    step("issue", "callback", i1, "--result", "满意", "--at", "2026-07-10 09:00")
    i2 = step(*add, "-s", "热线电话", "-t", "垃圾二", "--found-at", "2026-07-11 08:00", "--at", "2026-07-13 09:00")["id"]
    step("issue", "accept", i2, "--at", "2026-07-13 10:00")
    step("issue", "dispatch", i2, "--at", "2026-07-13 11:00")
    step("issue", "handle", i2, "--at", "2026-07-20 09:00")
    step("issue", "close", i2, "--at", "2026-07-21 09:00")
    step("issue", "callback", i2, "--result", "不满意", "--at", "2026-07-22 09:00")
    i3 = step(*add, "-s", "群众举报", "-t", "垃圾三", "--at", "2026-08-03 09:00")["id"]
    step("issue", "accept", i3, "--at", "2026-08-03 10:00")
    i4 = step(*add, "-s", "巡查发现", "-t", "垃圾四", "--at", "2026-09-01 09:00")["id"]
    step("issue", "reject", i4, "--reason", "重复", "--at", "2026-09-01 10:00")
    step("issue", "add", "-g", "410108001002001", "-c", "环境卫生", "-s", "热线电话", "-t", "别村", "--at", "2026-07-06 09:00")
    for n in range(3):
        step("publicity", "add", "-p", "L", "-d", f"2026-07-1{n}", "--kind", "工作动态", "--title", f"动态{n}")
    step("publicity", "add", "-p", "A", "-d", "2026-08-10", "--kind", "工作简报", "--title", "简报")
    step("publicity", "add", "-p", "B", "-d", "2026-09-10", "--kind", "工作研究", "--title", "研究")
    step("publicity", "add", "-p", "A", "-d", "2026-06-30", "--kind", "工作动态", "--title", "上季度的")
    step("attendance", "add", "-p", "A", "-d", "2026-07-15", "--kind", "不在岗", "--days", "2")
    step("attendance", "add", "-p", "A", "-d", "2026-08-20", "--kind", "督查通报", "--reason", "督查不在岗")
    step("attendance", "add", "-p", "A", "-d", "2026-09-01", "--kind", "请假", "--days", "3")
    step("attendance", "add", "-p", "L", "-d", "2026-09-05", "--kind", "请假", "--days", "1")
    step("study", "add", "-p", "L", "-d", "2026-07-20", "--kind", "组织学习", "--attended", "no")
    step("study", "add", "-p", "A", "-d", "2026-07-20", "--kind", "组织学习")
    step("survey", "add", "--team", "T1", "-d", "2026-09-25", "--participants", "52", "-p", "L",
         "--satisfied", "40", "--fair", "8", "--unsatisfied", "2")
    step("survey", "add", "--team", "T1", "-d", "2026-09-25", "--participants", "52", "-p", "A",
         "--satisfied", "30", "--fair", "15", "--unsatisfied", "5")


@pytest.fixture
def quarter(db, templates):
    templates.copy("quarter", scripted_quarter, db)


# Worked by hand from the rows above, for 2026Q3 (2026-07-01 .. 2026-09-30):
#   issues in 老鸦陈村: four reported in the quarter (the 毛庄村 one is not the team's).
#   发现率  = patrol-sourced 1 and 4 of 4            = 2/4 × 20 = 10
#   上报率  = all but 2 (found 51 h before report)   = 3/4 × 20 = 15
#   处置率  = due in the quarter: 1 (07-09), 2 (07-16), 3 (08-06); handled 1 and 2 = 2/3 × 20 = 13.3333
#   满意率  = callbacks 满意, 不满意                  = 1/2 × 20 = 10
#   工作业绩 = 48.3333
#   L: publicity 3/3 → 5; attendance (leave only) 5; study 1 missed → 4; votes 40/8/2 →
#      (5·40 + 4·8 + 3·2)/50 = 4.76; conduct 18.76; total 67.09
#   A: publicity 1 (the June item is outside) → 1/3 × 5 = 1.6667; 2 days absent and 1 notice →
#      5 − 2 − 2 = 1; study 5; votes 30/15/5 → 225/50 = 4.5; conduct 12.1667; total 60.50
#   B: joined 08-16, 46 of 92 days → quota 1.5; publicity 1/1.5 × 5 = 3.3333; attendance 5;
#      study 5; no votes → full 5; conduct 18.3333; total 66.67
#   team T1 = (67.09 + 60.50 + 66.67) / 3 = 64.7533; unit 市教体局 = 64.7533
EXPECTED = {"L": (18.76, 67.09), "A": (12.1667, 60.50), "B": (18.3333, 66.67)}
PERFORMANCE = 48.3333
TEAM = (67.09 + 60.50 + 66.67) / 3


def test_hand_worked_quarter_json(quarter):
    result = ok("score", "--quarter", "2026Q3")
    assert result["config_version"] == "2026.1"
    members = {m["person"]: m for m in result["members"]}
    assert set(members) == {"L", "A", "B"}
    for person, (conduct, total) in EXPECTED.items():
        assert members[person]["conduct"] == pytest.approx(conduct, abs=0.01), person
        assert members[person]["performance"] == pytest.approx(PERFORMANCE, abs=0.01)
        assert members[person]["total"] == pytest.approx(total, abs=0.01), person
        assert members[person]["grade"] == "一般" and members[person]["letter"] == "C"
    assert members["L"]["conduct_items"]["satisfaction"]["points"] == pytest.approx(4.76, abs=0.001)
    assert members["B"]["days"] == 46
    rates = members["L"]["rates"]
    assert [(rates[k]["numerator"], rates[k]["denominator"]) for k in ("discovery", "reporting", "handling", "satisfaction")] == \
        [(2, 4), (3, 4), (2, 3), (1, 2)]
    team = result["teams"][0]
    assert team["total"] == pytest.approx(TEAM, abs=0.01) and team["members"] == 3
    assert result["units"][0]["total"] == pytest.approx(TEAM, abs=0.01)
    assert result["awards"] == []                       # nobody reaches 较好
    assert result["approval"] is None


def test_hand_worked_quarter_workbook(quarter, tmp_path):
    out = tmp_path / "s.xlsx"
    assert run("score", "--quarter", "2026Q3", "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["成员", "工作队", "派出单位", "奖项", "说明"]
    assert all("未经批准 不得外传" in ws["A1"].value for ws in wb.worksheets)
    ws = wb["成员"]
    header = [c.value for c in ws[2]]
    rows = {r[header.index("人员")]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    for person, (conduct, total) in EXPECTED.items():
        assert rows[person][header.index("思想作风 (20)")] == pytest.approx(conduct, abs=0.01)
        assert rows[person][header.index("总分")] == pytest.approx(total, abs=0.01)
    team = list(wb["工作队"].iter_rows(min_row=3, values_only=True))[0]
    assert team[6] == pytest.approx(TEAM, abs=0.01)
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=3, values_only=True)}
    assert notes["考核办法版本"] == "2026.1"


def test_explain_totals_equal_the_workbook(quarter, tmp_path):
    explained = ok("score", "explain", "--person", "A", "--quarter", "2026Q3")
    m = explained["memberships"][0]
    assert m["total"] == pytest.approx(EXPECTED["A"][1], abs=0.01)
    assert len(m["rows"]["attendance"]) == 2 and len(m["rows"]["publicity"]) == 1
    assert len(m["rows"]["issues"]["discovery"]["denominator"]) == 4
    assert len(m["rows"]["issues"]["handling"]["numerator"]) == 2
    text = run("score", "explain", "--person", "A", "--quarter", "2026Q3")
    assert text.exit_code == 0
    assert "5 − 2×1 − 1×2" in text.stdout and "(5·30 + 4·15 + 3·5) / 50 = 4.50" in text.stdout
    assert "= 60.50" in text.stdout
    assert run("score", "explain", "--person", "G", "--quarter", "2026Q3").exit_code == 1


def test_changed_weight_changes_score_and_version(quarter, tmp_path):
    config = tmp_path / "scoring.yaml"
    text = (ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', 'version: "2026.1-郑州试行"').replace("  discovery: 20", "  discovery: 30")
    config.write_text(text, encoding="utf-8")
    result = ok("score", "--quarter", "2026Q3", "--config", config)
    assert result["config_version"] == "2026.1-郑州试行"
    member = next(m for m in result["members"] if m["person"] == "L")
    assert member["total"] == pytest.approx(EXPECTED["L"][1] + 5, abs=0.01)     # 2/4 × 10 more


def test_awards_approval_and_flags(quarter, tmp_path):
    config = tmp_path / "scoring.yaml"
    shutil.copy(ROOT / "configs" / "scoring.yaml", config)
    config.write_text(config.read_text(encoding="utf-8").replace("min_tier: 较好", "min_tier: 一般"), encoding="utf-8")
    awards = ok("score", "--quarter", "2026Q3", "--config", config)["awards"]
    assert [(a["award"], a["id"]) for a in awards if a["kind"] == "members"] == [
        ("优秀工作队员一等奖", "T1:B"), ("优秀工作队员一等奖", "T1:A")]
    assert [(a["award"], a["id"]) for a in awards if a["kind"] == "leaders"] == [("优秀工作队长", "T1:L")]
    ok("score", "flag", "--person", "B", "--quarter", "2026Q3", "--reason", "虚报走访户数")
    flagged = ok("score", "--quarter", "2026Q3", "--config", config)
    assert "T1:B" not in [a["id"] for a in flagged["awards"]]
    assert next(m for m in flagged["members"] if m["person"] == "B")["flag"] == "虚报走访户数"
    ok("score", "approve", "--quarter", "2026Q3")
    out = tmp_path / "approved.xlsx"
    assert run("score", "--quarter", "2026Q3", "-o", out).exit_code == 0
    assert "未经批准" not in load_workbook(out)["成员"]["A1"].value
    assert run("verify").exit_code == 0


def test_refusals(quarter, tmp_path):
    assert run("score", "--quarter", "2026Q5").exit_code == 1
    assert run("score").exit_code == 2
    assert run("score", "flag", "--quarter", "2026Q3", "--reason", "x").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8").replace("min_tier: 较好", "min_tier: 优"),
                   encoding="utf-8")
    result = run("score", "--quarter", "2026Q3", "--config", bad)
    assert result.exit_code == 1 and str(bad) in result.stderr


def test_satisfaction_item_of_the_seed():
    cfg = load_scoring()
    assert formulas.satisfaction(40, 8, 2, cfg)[0] == pytest.approx(4.76)


def test_zero_denominators_follow_the_stated_rule():
    from gridctl.metrics import Rate

    cfg = load_scoring()
    nothing = {k: Rate(0, 0) for k in ("discovery", "handling", "on_time_handling", "reporting", "satisfaction")}
    total, items = formulas.performance(nothing, cfg)
    assert total == 80 and "full" in items["discovery"][1]
    cfg["rules"]["zero_denominator"] = "zero"
    assert formulas.performance(nothing, cfg)[0] == 0
    cfg["rules"]["no_survey_votes"] = "zero"
    assert formulas.satisfaction(0, 0, 0, cfg)[0] == 0


def test_grades_and_award_ties():
    cfg = load_scoring()
    assert [formulas.grade(x, cfg["tiers"]) for x in (95, 90, 89.99, 75, 60, 10)] == ["好", "好", "较好", "较好", "一般", "差"]
    assert [formulas.grade(x, cfg["letters"]) for x in (90, 80, 61, 45, 5)] == ["A", "B", "C", "D", "E"]
    rows = [{"id": "b", "total": 90, "performance": 70, "conduct": 20}, {"id": "a", "total": 90, "performance": 70, "conduct": 20},
            {"id": "c", "total": 90, "performance": 72, "conduct": 18}, {"id": "d", "total": 95, "performance": 75, "conduct": 20}]
    got = formulas.awards(rows, [("一等奖", 1), ("二等奖", 2)], lambda r: True)
    assert [(a["award"], a["id"]) for a in got] == [("一等奖", "d"), ("二等奖", "c"), ("二等奖", "a")]
