"""Possible duplicates (重复上报): `issue add` warns and records nothing unless --force; imports
report them and import all the same; `issue reject --duplicate-of` links the two issues."""

from __future__ import annotations

import csv
import functools
import shutil

from gridctl.issues.calendar import load_calendar
from gridctl.issues.duplicates import similarity
from tests import helpers
from tests.helpers import ROOT, run

BLOCK = "410105001001001"          # 金水区/经八路街道/黄河路社区/1号楼院
OTHER_BLOCK = "410105001001002"    # 2号楼院
DAY = "2026-11-16"

ok = functools.partial(helpers.ok, by="P007")


def add_args(title, at=f"{DAY} 09:00", grid=BLOCK, category="环境卫生"):
    return ("--by", "P007", "issue", "add", "-g", grid, "-c", category, "-s", "巡查发现", "-t", title, "--at", at)


def test_a_similar_issue_is_shown_and_not_recorded_until_forced(township, db):
    first = ok(*add_args("楼道堆物")[2:])["id"]
    before = db.read_bytes()
    again = run(*add_args("楼道里堆物严重", at=f"{DAY} 15:00"))
    assert again.exit_code == 1
    assert db.read_bytes() == before                                      # nothing recorded
    assert "可能是重复上报" in again.stderr and "--force" in again.stderr and "7 天" in again.stderr
    for shown in (first, "楼道堆物", "已上报", f"{DAY} 09:00", "67%"):   # id, title, status, time
        assert shown in again.stdout, again.stdout
    as_json = run(*add_args("楼道里堆物严重", at=f"{DAY} 15:00"), "--json")
    assert as_json.exit_code == 1 and as_json.json()["recorded"] is False
    assert [(c["id"], c["title"], c["status"]) for c in as_json.json()["candidates"]] == [(first, "楼道堆物", "reported")]
    english = run("--lang", "en", *add_args("楼道里堆物严重", at=f"{DAY} 15:00"))
    assert "possibly a duplicate" in english.stderr and "--force" in english.stderr and "Similarity" in english.stdout
    assert db.read_bytes() == before
    forced = run(*add_args("楼道里堆物严重", at=f"{DAY} 15:00"), "--force", "--json")
    assert forced.exit_code == 0, forced.stderr
    shown = ok("issue", "show", forced.json()["id"])
    assert shown["timeline"][0]["details"]["forced_past"] == [first]
    text = run("issue", "show", forced.json()["id"]).stdout
    assert "确认不是重复后登记" in text and first in text


def test_only_the_same_grid_category_window_and_a_similar_title_warn(township):
    ok(*add_args("楼道堆物")[2:])
    ok(*add_args("楼道堆物", grid=OTHER_BLOCK)[2:])                      # another grid
    ok(*add_args("楼道堆物", category="占道")[2:])                        # another category
    ok(*add_args("楼道堆物", at="2026-11-24 09:30")[2:])                 # 8 days later: outside 7
    ok(*add_args("绿化带垃圾", at=f"{DAY} 10:00")[2:])                    # another thing
    ok(*add_args("3号楼楼顶违建", at=f"{DAY} 11:00", category="非法建设")[2:])
    ok(*add_args("5号楼楼顶违建", at=f"{DAY} 11:30", category="非法建设")[2:])   # another building's number
    assert run(*add_args("楼道乱堆物", at=f"{DAY} 12:00")).exit_code == 1


def test_a_rejected_issue_is_no_candidate(township):
    first = ok(*add_args("楼道堆物")[2:])["id"]
    ok("issue", "reject", first, "--reason", "不属实", "--at", f"{DAY} 10:00")
    assert run(*add_args("楼道堆物", at=f"{DAY} 11:00")).exit_code == 0


def test_the_window_is_configured_in_calendar_yaml(township, tmp_path, monkeypatch):
    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", configs)
    calendar = configs / "calendar.yaml"
    text = calendar.read_text(encoding="utf-8")
    assert "duplicate_days: 7" in text
    calendar.write_text(text.replace("duplicate_days: 7", "duplicate_days: 30"), encoding="utf-8")
    monkeypatch.setenv("GRIDCTL_CONFIGS", str(configs))
    load_calendar.cache_clear()          # each command is a process of its own; the tests share one
    try:
        ok(*add_args("楼道堆物")[2:])
        refused = run(*add_args("楼道堆物", at="2026-11-26 09:00"))             # 10 days: inside 30
        assert refused.exit_code == 1 and "30 天" in refused.stderr
        calendar.write_text(text.replace("duplicate_days: 7", "duplicate_days: 0"), encoding="utf-8")
        load_calendar.cache_clear()
        assert run(*add_args("楼道堆物", at=f"{DAY} 09:05")).exit_code == 0    # 0: no check
    finally:
        load_calendar.cache_clear()


def test_reject_as_a_duplicate_links_both_issues(township, db):
    first = ok(*add_args("楼道堆物")[2:])["id"]
    second = run(*add_args("楼道里堆物", at=f"{DAY} 10:00"), "--force", "--json").json()["id"]
    before = db.read_bytes()
    for bad in ("99999", second):                                   # no such issue; the issue itself
        refused = run("issue", "reject", second, "--reason", "重复", "--duplicate-of", bad)
        assert refused.exit_code == 1 and refused.stderr, refused.stdout
    assert "不能重复于它自己" in run("issue", "reject", second, "--reason", "重复", "--duplicate-of", second).stderr
    assert db.read_bytes() == before
    moved = run("issue", "reject", "2", "--reason", "重复上报", "--duplicate-of", "1", "--at", f"{DAY} 11:00")
    assert moved.exit_code == 0, moved.stderr
    assert f"{second} 已记为 {first} 的重复上报" in moved.stdout
    rejected, original = ok("issue", "show", second), ok("issue", "show", first)
    assert rejected["status"] == "rejected" and rejected["duplicate_of"] == first and rejected["duplicates"] == []
    assert original["duplicates"] == [second] and original["duplicate_of"] is None
    assert rejected["timeline"][-1]["details"]["duplicate_of"] == first
    assert f"重复于: {first}" in run("issue", "show", second).stdout
    assert f"重复上报: {second}" in run("issue", "show", first).stdout
    assert f"Duplicates: {second}" in run("--lang", "en", "issue", "show", first).stdout
    assert run("verify", "--deep").exit_code == 0


def test_an_import_is_not_blocked_and_reports_possible_duplicates(township, tmp_path):
    first = ok(*add_args("楼道堆物")[2:])["id"]
    sheet = tmp_path / "台账.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["网格编码", "问题类别", "来源", "问题描述", "发现时间", "上报时间"])
        writer.writerow([BLOCK, "环境卫生", "群众举报", "楼道里堆物", f"{DAY} 08:00", f"{DAY} 12:00"])
        writer.writerow([BLOCK, "环境卫生", "热线电话", "楼道里堆物严重", f"{DAY} 08:30", f"{DAY} 13:00"])
        writer.writerow([BLOCK, "占道", "热线电话", "流动摊贩", f"{DAY} 08:30", f"{DAY} 13:00"])
    dry = ok("issue", "import", sheet, "--dry-run")             # against the ledger, row by row
    assert dry["possible_duplicates"] == [{"row": 2, "title": "楼道里堆物", "candidates": [first]},
                                          {"row": 3, "title": "楼道里堆物严重", "candidates": [first]}]
    said = run("--by", "P007", "issue", "import", sheet, "--dry-run").stdout
    assert "其中 2 行可能与台账中已有的问题重复" in said and f"第 2 行 楼道里堆物 ↔ {first}" in said, said
    result = ok("issue", "import", sheet)
    assert result["imported"] == 3
    found = {row["title"]: row["candidates"] for row in result["possible_duplicates"]}
    assert found["楼道里堆物"] == [first]
    assert set(found["楼道里堆物严重"]) == {first, result["ids"][0]}         # told once, on the later one
    assert "流动摊贩" not in found
    text = run("--by", "P007", "issue", "import", sheet)              # imported already: nothing new
    assert text.exit_code == 0 and "可能是重复上报" not in text.stdout
    again = tmp_path / "again.csv"
    shutil.copy(sheet, again)
    with open(again, "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow([BLOCK, "环境卫生", "网络平台", "楼道内堆物", f"{DAY} 08:40", f"{DAY} 14:00"])
    text = run("--by", "P007", "issue", "import", again)
    assert text.exit_code == 0 and "其中 1 条可能是重复上报" in text.stdout and first in text.stdout


def test_an_import_over_too_many_groups_is_not_checked_and_says_so(township, tmp_path, monkeypatch):
    from gridctl.issues import duplicates

    monkeypatch.setattr(duplicates, "GROUPS_CHECKED", 1)          # a backfill of history, in miniature

    def sheet(name, title):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["网格编码", "问题类别", "来源", "问题描述", "发现时间"])
            writer.writerow([BLOCK, "环境卫生", "群众举报", title, f"{DAY} 08:00"])
            writer.writerow([OTHER_BLOCK, "环境卫生", "群众举报", title, f"{DAY} 08:00"])
        return path

    text = run("--by", "P007", "issue", "import", sheet("a.csv", "楼道堆物"))
    assert text.exit_code == 0 and "未查重复上报" in text.stdout, text.stdout
    assert ok("issue", "import", sheet("b.csv", "绿化带垃圾"))["possible_duplicates"] is None


def test_similarity_of_short_chinese_titles():
    assert similarity("垃圾堆放", "垃圾乱堆放") > 0.5           # no trigram in common, two of three pairs
    assert similarity("楼道堆物", "楼道里堆物严重") > 0.5
    assert similarity("占道经营", "流动摊贩占道经营") == 1
    assert similarity("道路破损", "道路积水") < 0.5
    assert similarity("3号楼楼顶违建", "5号楼楼顶违建") == 0    # other numbers, other places
    assert similarity("楼 道，堆物！", "楼道堆物") == 1           # spaces and punctuation do not count
