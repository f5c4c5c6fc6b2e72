"""`score` and `score explain` for people: the header (period, scope, draft or approved), the
team, unit and award tables (members with --members), explain in words, in Chinese by default
and English with --lang en; a township ledger's default scope; the workbook's title."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from gridctl.cli.plain import width
from tests.helpers import ROOT, ok, run
from tests.test_score import quarter, scripted_quarter  # noqa: F401  (the two-team quarter)

CJK = re.compile(r"[\u3400-\u9fff]")


def data_words(result: dict) -> set[str]:
    """The ledger's own names in a result (team, unit and person names): Chinese in any language."""
    words = {row["name"] for row in result["teams"]} | {row["unit"] for row in result["teams"]}
    return words | {m["name"] for m in result["members"] if m["name"]} | {m["team_name"] for m in result["members"]}


def chinese_beyond(text: str, words: set[str]) -> set[str]:
    """Chinese characters in `text` that none of `words` has (a long name may fold in a table)."""
    return set(CJK.findall(text)) - set("".join(words))


def test_score_prints_a_header_the_tables_and_the_awards_in_chinese(quarter):
    text = run("score", "--quarter", "2026Q3")
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("2026Q3 考核结果 截至 2026-09-30")
    assert lines[1] == "范围: 全部工作队"
    assert lines[2].startswith("草稿: 未经批准 不得外传")
    for title in ("工作队", "派出单位", "奖项"):
        assert any(line.strip() == title for line in lines), title
    assert "已评/成员" in text.stdout and all(f" {code} " in text.stdout for code in ("T1", "T2", "T3"))
    assert "无可计数" in text.stdout                                  # T3 did nothing
    result = ok("score", "--quarter", "2026Q3")
    for award in result["awards"]:
        assert award["award"] in text.stdout
    assert "队员甲" not in text.stdout and "加 --members 列出" in text.stdout   # members only when asked
    members = run("score", "--quarter", "2026Q3", "--members").stdout
    assert "成员" in members and all(m["name"] in members for m in result["members"])
    ok("score", "approve", "--quarter", "2026Q3", by="Z")
    approved = run("score", "--quarter", "2026Q3").stdout.splitlines()
    assert approved[2].startswith("已于 ") and approved[2].endswith("由 Z 批准")
    assert "草稿" not in "\n".join(approved)


def test_score_in_english_has_no_chinese_but_the_ledger_s_names(quarter):
    result = ok("score", "--quarter", "2026Q3")
    english = run("--lang", "en", "score", "--quarter", "2026Q3", "--members")
    assert english.exit_code == 0, english.stderr
    lines = english.stdout.splitlines()
    assert lines[0].startswith("Assessment 2026Q3 as of 2026-09-30")
    assert lines[1] == "Scope: every team" and lines[2].startswith("DRAFT: not approved")
    assert "Teams" in english.stdout and "Dispatching units" in english.stdout and "Members" in english.stdout
    assert not chinese_beyond(english.stdout, data_words(result) | {a["award"] for a in result["awards"]}), \
        english.stdout


def test_the_member_table_aligns_names_of_two_and_three_characters(loaded):
    """Names are measured in terminal columns: 董霞's figures stand under 韩立新's."""
    result = ok("score", "--quarter", "2026Q4")
    rows = [line for line in run("score", "--quarter", "2026Q4", "--members").stdout.splitlines()
            if any(f" {m['person']} " in line for m in result["members"])]
    names = {m["name"] for m in result["members"]}
    assert {len(n) for n in names} >= {2, 3}
    assert len(rows) == len(result["members"])
    assert len({width(row[:row.index(" 5.00")]) for row in rows}) == 1, rows   # every conduct figure: one column


def test_a_township_ledger_scores_its_own_node_by_default(township):
    own = ok("score", "--quarter", "2026Q4")
    assert own["scope"] == {"unit": "410105001", "name": "经八路街道 (410105001)", "default": True, "whole": False}
    assert [row["team"] for row in own["teams"]] == ["T01"] and {m["team"] for m in own["members"]} == {"T01"}
    text = run("score", "--quarter", "2026Q4").stdout
    assert "范围: 经八路街道 (410105001), 本台账的节点 (用 --unit 改变)" in text and "T02" not in text
    assert "Scope: 经八路街道 (410105001), this ledger's own node" in run("--lang", "en", "score", "-q", "2026Q4").stdout
    city = ok("score", "--quarter", "2026Q4", "--unit", "4101")                       # --unit widens
    assert [row["team"] for row in city["teams"]] == ["T01", "T02", "T03", "T04"]
    assert city["scope"]["whole"] and city["unit"] is None
    assert "范围: 全部工作队" in run("score", "-q", "2026Q4", "--unit", "4101").stdout
    narrow = ok("score", "--quarter", "2026Q4", "--unit", "黄河路社区")               # and narrows
    assert narrow["scope"]["name"] == "黄河路社区 (410105001001)" and not narrow["scope"]["default"]


def test_a_city_ledger_scores_every_team(loaded):
    result = ok("score", "--quarter", "2026Q4")
    assert result["scope"] is None and len(result["teams"]) == 4


def test_the_workbook_title_names_the_unit_in_words(loaded, tmp_path):
    out = tmp_path / "s.xlsx"
    assert run("score", "-q", "2026Q4", "--unit", "T01", "-o", out).exit_code == 0
    title = load_workbook(out)["成员"]["A1"].value
    assert title.startswith("T01 市教体局驻黄河路社区工作队 2026Q4 考核结果 截至"), title
    assert title.count("工作队") == 1 and "部分视图" in title                     # named once
    assert run("--lang", "en", "score", "-q", "2026Q4", "-o", out).exit_code == 0
    english = load_workbook(out).worksheets[0]["A1"].value
    assert english.startswith("Assessment 2026Q4 as of"), english
    assert run("--lang", "en", "score", "-q", "2026Q4", "--unit", "T01", "-o", out).exit_code == 0
    assert load_workbook(out).worksheets[0]["A1"].value.startswith("T01 市教体局驻黄河路社区工作队 assessment 2026Q4")


def test_explain_says_each_item_in_words(quarter, tmp_path):
    text = run("score", "explain", "--person", "A2", "--quarter", "2026Q3").stdout
    assert "宣传报道" in text and "按完成比例计分" in text
    assert re.search(r"发现率 \d+\.\d\d 分: 网格内本期问题 \d+ 件, 工作队巡查自己发现 \d+ 件", text), text
    assert "民意测评" in text and "取平均" in text
    assert not re.search(r"min\(|max\(|→|·", text)                    # words, not code
    config = tmp_path / "scoring.yaml"
    config.write_text((ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
                      .replace("  not_rated: prorate", "  not_rated: full"), encoding="utf-8")
    prorate = run("score", "explain", "--person", "B1", "--quarter", "2026Q3").stdout
    assert "群众评价 未评: 没有民意测评票: 数据不足, 不排名、不评先" in prorate, prorate


def test_explain_says_what_a_rate_with_nothing_to_count_gets(loaded, tmp_path):
    """`0/0 → full (20)` was code: now 无应处置问题, 按规则记满分 20 (and the other rules in words)."""
    ok("issue", "add", "-g", "黄河路社区/2号楼院", "-c", "环境卫生", "-s", "巡查发现", "--reporter", "P102",
       "-t", "楼道堆物", "--at", "2026-11-20 09:00", by="P008")      # found, not yet due: nothing to handle
    config = tmp_path / "scoring.yaml"
    config.write_text((ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
                      .replace("  not_rated: prorate", "  not_rated: full"), encoding="utf-8")
    explain = ("score", "explain", "--person", "P102", "--quarter", "2026Q4")
    full = run(*explain, "--config", config).stdout
    assert "处置率 20.00 分: 无应处置问题, 按规则记满分 20" in full, full
    assert "满意率 20.00 分: 本期没有回访, 按规则记满分 20" in full, full
    assert "发现率 20.00 分: 网格内本期问题 1 件, 工作队巡查自己发现 1 件: 1 ÷ 1 × 20" in full, full
    prorate = run(*explain).stdout
    assert "处置率 未评: 无应处置问题, 此项不评, 其余各项按比例折算到满分 80" in prorate, prorate
    assert "有未评的项: 已评各项之和按比例折算到满分 80" in prorate
    english = run("--lang", "en", *explain, "--config", config)
    assert "Handling 20.00: no issue due for handling: full 20 by the rules" in english.stdout, english.stdout
    result = ok(*explain)
    names = {m["name"] for m in result["memberships"]} | {m["team_name"] for m in result["memberships"]}
    assert not chinese_beyond(english.stdout, names), english.stdout


def test_a_member_without_survey_votes_is_said_not_rated_as_in_the_workbook(quarter, tmp_path):
    """B1 has no survey votes: the workbook's 成员 sheet said 未评 (备注 缺: 民意测评), the
    `--members` table 数据不足 for the same fact. One word now, the workbook's, in both languages."""
    out = tmp_path / "s.xlsx"
    table = run("score", "--quarter", "2026Q3", "--members")
    assert table.exit_code == 0 and run("score", "--quarter", "2026Q3", "-o", out).exit_code == 0, table.stderr
    b1 = next(line for line in table.stdout.splitlines() if " B1 " in line)
    assert b1.rstrip().endswith("未评") and "数据不足" not in table.stdout, table.stdout
    ws = load_workbook(out)["成员"]
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[header.index("人员")] == "B1")
    assert row[header.index("等次")] == "未评"
    english = run("--lang", "en", "score", "--quarter", "2026Q3", "--members").stdout
    assert next(line for line in english.splitlines() if " B1 " in line).rstrip().endswith("not rated"), english
    assert "insufficient data" not in english
