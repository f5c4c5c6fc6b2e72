"""`issue import` (all or nothing, no duplicates) and `issue export` (the ledger's rows)."""

from __future__ import annotations

import csv

import pytest
from openpyxl import Workbook, load_workbook

from tests.helpers import dump, run

GRIDS = ["410105001001001", "410105001002003", "410108001001002", "410184101003005"]
CATEGORIES = ["非法建设", "environment_placeholder", "占道", "安全生产", "矛盾纠纷"]
SOURCES = ["巡查发现", "群众举报", "hotline", "网络平台"]


def sheet_rows(n=200):
    rows = []
    for i in range(n):
        category = ["非法建设", "sanitation", "占道", "安全生产", "矛盾纠纷"][i % 5]
        rows.append([GRIDS[i % 4], category, SOURCES[i % 4], f"问题{i:03d}",
                     f"2026-11-{1 + i % 20:02d} 08:{i % 60:02d}", f"张{i}", f"地点{i}",
                     "13800001111", f"TZ-{i:04d}"])
    return rows


HEADER = ["网格编码", "问题类别", "来源", "问题描述", "发现时间", "上报人", "地点", "联系电话", "编号"]


def write_xlsx(path, rows, header=HEADER, title="台账"):
    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_bad_rows_are_all_reported_and_nothing_is_imported(loaded, tmp_path, db):
    rows = sheet_rows()
    rows[10][0] = "410105009009009"          # sheet row 12: unknown grid
    rows[50][1] = "乱扔垃圾"                   # row 52: unknown category
    rows[150][4] = "2026/11/32"              # row 152: bad time
    path = write_xlsx(tmp_path / "台账.xlsx", rows)
    result = run("issue", "import", path)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert [e.split(": ")[0] for e in errors] == [f"{path}:台账:12", f"{path}:台账:52", f"{path}:台账:152"]
    assert [e.split(": ")[1] for e in errors] == ["网格编码", "问题类别", "发现时间"]
    assert run("issue", "list", "--json").json() == []
    # fixed: all 200 go in; again: none
    write_xlsx(path, sheet_rows())
    first = run("issue", "import", path, "--json").json()
    assert (first["rows"], first["imported"], first["already"]) == (200, 200, 0)
    again = run("issue", "import", path, "--json").json()
    assert (again["imported"], again["already"]) == (0, 200)
    assert len(run("issue", "list", "--json").json()) == 200
    assert run("verify").exit_code == 0


def test_a_sheet_cell_longer_than_issue_add_allows_is_a_row_error(loaded, tmp_path, db):
    """问题描述, 地点, 上报人 and 编号 have the bounds `issue add` has (10,000 characters), not Excel's 32,767."""
    rows = sheet_rows(6)
    rows[1][3] = "违" * 10_001               # sheet row 3: 问题描述
    rows[2][6] = "楼" * 32_767               # row 4: 地点, as long as Excel allows
    rows[3][5] = "张" * 10_001               # row 5: 上报人
    rows[4][8] = "T" * 10_001                # row 6: 编号
    rows[5][3] = "违" * 10_000               # row 7: at the bound, good
    path = write_xlsx(tmp_path / "长.xlsx", rows)
    before = dump(db)
    result = run("issue", "import", path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert [e.split(": ")[:2] for e in errors] == [
        [f"{path}:台账:3", "问题描述"], [f"{path}:台账:4", "地点"], [f"{path}:台账:5", "上报人"],
        [f"{path}:台账:6", "编号"]]
    assert "太长 (10001 个字符, 最多 10000)" in errors[0] and "(32767 个字符" in errors[1]
    assert dump(db) == before
    said = run("--lang", "en", "issue", "import", path).stderr
    assert f"{path}:台账:3: title: too long (10001 characters, at most 10000)" in said   # the column in English
    added = run("issue", "add", "-g", GRIDS[0], "-c", "非法建设", "-s", "巡查发现", "-t", "违" * 10_001)
    assert added.exit_code == 1 and "太长 (10001 个字符, 最多 10000)" in added.stderr   # the same bound
    del rows[1:5]
    write_xlsx(path, rows)
    assert run("issue", "import", path, "--json").json()["imported"] == 2


def test_dry_run_writes_nothing(loaded, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", sheet_rows(5))
    result = run("issue", "import", path, "--dry-run", "--json").json()
    assert result["dry_run"] is True and result["imported"] == 5
    assert run("issue", "list", "--json").json() == []


def test_english_headers_any_order_and_csv(loaded, tmp_path):
    path = tmp_path / "issues.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "grid", "found_at", "source", "category"])
        writer.writerow(["=cmd|' /C calc'!A0", "410105001001001", "2026-11-16 08:00", "patrol", "占道"])
        writer.writerow(["无编号的问题", "410105001001002", "2026-11-16", "report", "disputes"])
    result = run("issue", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["imported"] == 2
    assert run("issue", "import", path, "--json").json()["already"] == 2   # content key, no 编号
    titles = {i["title"] for i in run("issue", "list", "--json").json()}
    assert "=cmd|' /C calc'!A0" in titles


def test_extra_and_missing_columns(loaded, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [r + ["x"] for r in sheet_rows(2)], HEADER + ["备注"])
    result = run("issue", "import", path)
    assert result.exit_code == 1 and f"{path}:台账:1: 备注:" in result.stderr
    assert run("issue", "import", path, "--ignore-extra").exit_code == 0
    missing = write_xlsx(tmp_path / "b.xlsx", [r[1:] for r in sheet_rows(2)], HEADER[1:])
    result = run("issue", "import", missing)
    assert result.exit_code == 1 and "网格编码: " in result.stderr


def test_duplicate_rows_in_one_sheet(loaded, tmp_path):
    rows = sheet_rows(3)
    rows[2][8] = rows[0][8]
    result = run("issue", "import", write_xlsx(tmp_path / "a.xlsx", rows))
    assert result.exit_code == 1 and ":台账:4: 编号: " in result.stderr


def test_export_matches_list_and_writes_text_as_text(loaded, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", sheet_rows(20))
    run("issue", "import", path)
    run("--by", "P007", "issue", "add", "-g", "410105001001001", "-c", "占道", "-s", "patrol",
        "-t", "=1+2", "--on-the-spot", "--at", "2026-11-16 09:00")
    listed = run("issue", "list", "--json", "--as-of", "2026-11-26 12:00").json()
    out = tmp_path / "export.xlsx"
    assert run("issue", "export", "-o", out, "--as-of", "2026-11-26 12:00").exit_code == 0
    ws = load_workbook(out).active
    header = [c.value for c in ws[2]]                    # under the title row
    assert header[:6] == ["序号", "事件编号", "网格名称", "问题类型", "问题描述", "发现时间"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [r[1] for r in rows] == [i["id"] for i in listed]
    formula = next(r for r in ws.iter_rows(min_row=3) if r[4].value == "=1+2")
    assert formula[4].data_type == "s"
    col = {name: i for i, name in enumerate(header)}
    for row, item in zip(rows, listed):
        assert row[col["状态"]] == {"reported": "已上报", "closed": "已结案"}[item["status"]]
        assert row[col["联系电话"]] in (None, "138****1111")
        assert row[col["上报时间"]].strftime("%Y-%m-%d %H:%M") == item["reported_at"]
    csv_out = tmp_path / "export.csv"
    run("issue", "export", "-o", csv_out, "--as-of", "2026-11-26 12:00")
    with csv_out.open(encoding="utf-8-sig") as handle:
        csv_rows = list(csv.reader(handle))
    assert [r[1] for r in csv_rows[1:]] == [i["id"] for i in listed]
    assert "'=1+2" in [r[4] for r in csv_rows]


@pytest.mark.parametrize("name", ["a.txt", "missing.xlsx"])
def test_unreadable_files_are_refused(loaded, tmp_path, name):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("x")
    result = run("issue", "import", tmp_path / name)
    assert result.exit_code == 1 and "Traceback" not in result.stderr


def test_sheets_as_clerks_write_them(loaded, tmp_path):
    """网格编码 as a path (as on the command line), 来源 热线 (an alias in configs/sources.yaml),
    times as Excel writes them as text; a bad time names its column once, not twice."""
    path = tmp_path / "台账.csv"
    rows = [["金水区/经八路街道/黄河路社区/1号楼院", "非法建设", "热线", "楼顶违建", "2026/11/24 10:00"],
            ["黄河路社区/2号楼院", "占道", "12345", "摊贩", "2026-11-24 10:00:00"],
            ["410105001001001", "占道", "巡查", "堆物", "2026年11月24日 09:05"]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER[:5], *rows])
    result = run("issue", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    issues = sorted(run("issue", "list", "--json").json(), key=lambda i: i["title"])
    assert [(i["source"], i["found_at"]) for i in issues] == [
        ("patrol", "2026-11-24 09:05"), ("hotline", "2026-11-24 10:00"), ("hotline", "2026-11-24 10:00")]
    assert {i["grid"] for i in issues} == {"410105001001001", "410105001001002"}
    rows[0][4] = "明天上午"
    rows[1][0] = "黄河路"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER[:5], *rows])
    refused = run("issue", "import", path)
    assert refused.exit_code == 1
    lines = refused.stderr.splitlines()
    assert any(line.endswith("发现时间: 时间格式应为 2026-11-24 10:00 或 2026/11/24 10:00: “明天上午”") for line in lines)
    assert not any("发现时间: 发现时间" in line for line in lines)
    assert any(": 网格编码: " in line and "黄河路社区" in line for line in lines)
    assert run("issue", "add", "-g", "410105001001001", "-c", "占道", "-s", "热线", "-t", "x",
               "--at", "2026-11-24 11:00").exit_code == 0


def test_headers_as_clerks_write_them_are_taken(loaded, tmp_path):
    """Aliases from configs/headers.yaml, a template's * and (必填) marks, spaces: all taken."""
    header = ["* 网格（必填）", "问题类型", "问题来源", "描述", "发现日期", "反映人", "具体位置", "手机号", "原编号"]
    path = write_xlsx(tmp_path / "别名.xlsx", sheet_rows(5), header=header)
    result = run("issue", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["rows"], result.json()["imported"]) == (5, 5)
    issues = run("issue", "list", "--json").json()
    assert sorted(i["title"] for i in issues) == [f"问题{i:03d}" for i in range(5)]
    assert {i["reporter"] for i in issues} == {f"张{i}" for i in range(5)}


def test_an_unknown_header_is_refused_with_the_names_it_could_be(loaded, tmp_path):
    header = [*HEADER[:3], "问题描叙", *HEADER[4:]]
    path = write_xlsx(tmp_path / "错表头.xlsx", sheet_rows(3), header=header)
    result = run("issue", "import", path)
    assert result.exit_code == 1
    line = next(line for line in result.stderr.splitlines() if "问题描叙" in line)
    assert "是否是“问题描述”" in line and "网格编码、问题类别、来源、问题描述、发现时间" in line
    en = run("--lang", "en", "issue", "import", path)
    assert "did you mean “问题描述”" in en.stderr and "this sheet takes: grid, category, source, title" in en.stderr
    assert run("issue", "list", "--json").json() == []


def test_register_sheet_kind_is_told_by_an_alias(loaded, tmp_path):
    """`身份证` (an alias of 身份证号) is enough to tell a residents' sheet."""
    path = tmp_path / "居民.csv"
    path.write_text("网格编码,门牌号,姓名,身份证\n410105001001001,1号楼1单元101,王建国,\n", encoding="utf-8")
    result = run("--by", "P001", "register", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["kind"] == "resident"


def test_import_shows_counts_on_a_terminal_and_nothing_otherwise(loaded, tmp_path, monkeypatch):
    """The core tells the bar how many rows there are and how many are done (gridctl/progress.py);
    cli/render.py draws it on stderr only for a terminal and never under --json."""
    from rich.console import Console

    from gridctl.cli import render

    path = write_xlsx(tmp_path / "台账.xlsx", sheet_rows(1200))
    quiet = run("issue", "import", path, "--dry-run")               # stderr is not a terminal here
    assert quiet.exit_code == 0 and quiet.stderr == ""
    monkeypatch.setattr(render, "quiet", lambda as_json=False: as_json)
    monkeypatch.setattr(render, "console", lambda stderr=False: Console(
        file=__import__("sys").stderr, force_terminal=True, width=100, highlight=False))
    shown = run("issue", "import", path)
    assert shown.exit_code == 0, shown.stderr
    assert "1200/1200" in shown.stderr and "导入" in shown.stderr   # the rows written, of how many
    assert run("issue", "import", path, "--json").stderr == ""       # --json: no bar at all
    exported = run("issue", "export", "-o", tmp_path / "出.xlsx")
    assert exported.exit_code == 0 and "1200/1200" in exported.stderr and "导出" in exported.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_export_imported_again_is_refused_saying_so(loaded, tmp_path, db, lang, suffix):
    """A clerk re-imports `issue export`'s file: refused in words (not 20 unknown columns), with the
    code under --json, nothing written, in either language of the export."""
    run("--by", "P007", "issue", "add", "-g", "410105001001001", "-c", "占道", "-s", "群众举报", "-t", "占道经营")
    out = tmp_path / f"导出{suffix}"
    assert run("--lang", lang, "issue", "export", "-o", out).exit_code == 0
    before = dump(db)
    result = run("issue", "import", out)
    assert result.exit_code == 1, result.stderr
    assert "issue export" in result.stderr and "bundle" in result.stderr and "未知的列" not in result.stderr
    refused = run("--lang", "en", "issue", "import", out, "--json")
    assert refused.exit_code == 1 and refused.json()["error"]["code"] == "import.is_export"
    assert dump(db) == before


def test_two_headers_for_one_field_are_named_both(loaded, tmp_path):
    """`网格名称` is an alias of `网格编码`: a sheet with both names the other column, not `列重复`."""
    path = write_xlsx(tmp_path / "两列.xlsx", [[r[0], *r] for r in sheet_rows(2)], header=["网格名称", *HEADER])
    result = run("issue", "import", path)
    assert result.exit_code == 1
    assert "网格编码: 与“网格名称”列是同一列" in result.stderr, result.stderr
    twice = write_xlsx(tmp_path / "重复.xlsx", [[*r, r[3]] for r in sheet_rows(2)], header=[*HEADER, "问题描述"])
    assert "问题描述: 列重复" in run("issue", "import", twice).stderr


def test_a_title_row_above_the_header_is_passed_over(loaded, tmp_path):
    """Clerks' sheets open with a title (`经八路街道问题台账`, one cell); rows keep Excel's numbers."""
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(["经八路街道问题台账 (11月)"])
    ws.append(HEADER)
    for row in sheet_rows(3):
        ws.append(row)
    ws.append([GRIDS[0], "非法建设", "巡查发现", "坏时间", "2026-13-01 08:00"])
    path = tmp_path / "带标题.xlsx"
    book.save(path)
    result = run("issue", "import", path)
    assert result.exit_code == 1 and "带标题.xlsx:台账:6: 发现时间" in result.stderr, result.stderr
    assert "未知的列" not in result.stderr
    ws.delete_rows(6)
    book.save(path)
    assert run("--by", "P007", "issue", "import", path, "--json").json()["imported"] == 3
