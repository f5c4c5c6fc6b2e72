"""Patrol and conduct commands: every refusal, imports all or nothing, links with issues."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from tests.helpers import EXAMPLE, ok, run

BLOCK = "410105001001001"          # 黄河路社区/1号楼院; its 网格长 is P007
OTHER_BLOCK = "410108001001001"    # 惠济区/老鸦陈街道/老鸦陈村/第一村民组


def refused(*args, expect: str):
    result = run(*args)
    assert result.exit_code == 1, args
    assert expect in result.stderr, (args, result.stderr)
    assert "Traceback" not in result.stderr


def test_patrol_refusals(loaded):
    issue = ok("issue", "add", "-g", OTHER_BLOCK, "-c", "环境卫生", "-s", "patrol", "-t", "x",
               "--at", "2026-11-16 09:00")["id"]
    refused("patrol", "add", "-p", "P109", "-g", BLOCK, "-d", "2026-11-16", expect="--visiting")
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2099-01-01", expect="未来")
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026/11/16", expect="YYYY-MM-DD")
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-31", expect="没有这一天")
    refused("patrol", "add", "-p", "P999", "-g", BLOCK, "-d", "2026-11-16", expect="P999")
    refused("patrol", "add", "-p", "P007", "-g", "410105009", "-d", "2026-11-16", expect="410105009")
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-16", "--found", issue, expect="不在")
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-16", "--found", "77", expect="77")
    assert ok("patrol", "list") == []
    visiting = ok("patrol", "add", "-p", "P109", "-g", BLOCK, "-d", "2026-11-16", "--visiting")
    assert visiting["visiting"] == 1
    # a team member may walk a block below the community the team is assigned to
    member = ok("patrol", "add", "-p", "P102", "-g", BLOCK, "-d", "2026-11-16")
    assert member["team"] == "T01" and member["visiting"] == 0
    # the first 网格长 left 3号楼院 on 2026-06-30: he may not patrol it as its 网格长 in July
    refused("patrol", "add", "-p", "P011", "-g", "410105001001003", "-d", "2026-07-02", expect="--visiting")
    assert ok("patrol", "add", "-p", "P011", "-g", "410105001001003", "-d", "2026-06-02")["role"] == "网格长"


def test_issue_added_with_its_patrol(loaded):
    patrol = ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-16")
    issue = ok("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "巡查发现", "-t", "占道",
               "--patrol", patrol["id"], "--at", "2026-11-16 10:00")
    assert ok("patrol", "list")[0]["found"] == [issue["id"]]
    refused("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "hotline", "-t", "x", "--patrol", patrol["id"],
            expect="巡查发现")
    refused("issue", "add", "-g", "410105001002001", "-c", "占道", "-s", "patrol", "-t", "x",
            "--patrol", patrol["id"], expect="不在")
    later = ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "patrol", "-t", "垃圾", "--at", "2026-11-16 11:00")
    linked = ok("patrol", "link", patrol["id"], "--found", later["id"])
    assert linked["found"] == sorted([issue["id"], later["id"]])
    ok("patrol", "void", patrol["id"], "--reason", "录入有误")
    refused("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "patrol", "-t", "x", "--patrol", patrol["id"],
            expect="作废")
    assert run("verify").exit_code == 0


def test_conduct_refusals(loaded):
    refused("meeting", "add", "--unit", "T01", "-d", "2026-11-16", "--kind", "茶话会", expect="碰头会")
    refused("meeting", "add", "--unit", "T99", "-d", "2026-11-16", "--kind", "碰头会", expect="T99")
    refused("meeting", "add", "--unit", "T01", "-d", "2026-11-16", "--kind", "碰头会", "--attendees", "P001,P999",
            expect="P999")
    assert ok("meeting", "add", "--unit", "经八路街道", "-d", "2026-11-16", "--kind", "民情分析会")["unit_kind"] == "grid"
    refused("attendance", "add", "-p", "P102", "-d", "2026-11-16", "--kind", "旷工", expect="请假")
    refused("study", "add", "-p", "P102", "-d", "2026-11-16", "--kind", "study", "--attended", "maybe", expect="是 | 否")
    refused("publicity", "add", "-p", "P102", "-d", "2026-11-16", "--kind", "工作动态", "--title", " ", expect="title")
    refused("publicity", "add", "-p", "P102", "-d", "2026-11-16", "--kind", "新闻", "--title", "x", expect="工作简报")
    survey = ("survey", "add", "--team", "T01", "-d", "2026-11-16", "-p", "P102")
    refused(*survey, "--participants", "49", "--satisfied", "40", "--fair", "5", "--unsatisfied", "1", expect="50")
    refused(*survey, "--participants", "50", "--satisfied", "40", "--fair", "9", "--unsatisfied", "2", expect="超过")
    refused("survey", "add", "--team", "T01", "-d", "2026-11-16", "-p", "P109", "--participants", "50",
            "--satisfied", "40", "--fair", "5", "--unsatisfied", "1", expect="不是工作队")
    ok(*survey, "--participants", "50", "--satisfied", "40", "--fair", "9", "--unsatisfied", "1")
    refused(*survey, "--participants", "50", "--satisfied", "40", "--fair", "9", "--unsatisfied", "1", expect="已记录")
    assert run("patrol", "missing", "--week", "2026-47").exit_code == 1


def test_records_in_english(loaded):
    result = run("--lang", "en", "patrol", "add", "-p", "P109", "-g", BLOCK, "-d", "2026-11-16")
    assert result.exit_code == 1 and "use --visiting" in result.stderr


def write_patrol_sheet(path, rows, header=("日期", "人员", "网格编码", "走访户数", "民情日记", "发现问题")):
    book = Workbook()
    ws = book.active
    ws.title = "巡查日志"
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_patrol_import_reports_every_bad_row_and_imports_nothing(loaded, tmp_path):
    elsewhere = ok("issue", "add", "-g", OTHER_BLOCK, "-c", "环境卫生", "-s", "patrol", "-t", "x",
                   "--at", "2026-11-16 09:00")["id"]
    here = ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "patrol", "-t", "y", "--ref", "TZ-7",
              "--at", "2026-11-16 09:00")["id"]
    good = [[f"2026-11-{12 + n}", "P007", BLOCK, 8, f"第{n}次走访", ""] for n in range(5)]     # one a day
    bad = good + [["2026-11-32", "P007", BLOCK, 3, "日期错", ""],
                  ["2026-11-16", "P999", BLOCK, 3, "人不存在", ""],
                  ["2026-11-16", "P007", BLOCK, 3, "别处的问题", elsewhere]]
    path = write_patrol_sheet(tmp_path / "巡查.xlsx", bad)
    result = run("patrol", "import", path)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{path}:巡查日志:7", "日期"], [f"{path}:巡查日志:8", "人员"], [f"{path}:巡查日志:9", "发现问题"]]
    assert ok("patrol", "list") == []
    good.append(["2026-11-17", "P007", BLOCK, 2, "找到问题", "TZ-7"])
    write_patrol_sheet(path, good)
    fixed = run("patrol", "import", path, "--json")
    assert fixed.exit_code == 0, fixed.stdout
    assert fixed.json()["imported"] == 6
    again = ok("patrol", "import", path)
    assert (again["imported"], again["already"]) == (0, 6)
    assert [p["found"] for p in ok("patrol", "list") if p["found"]] == [[here]]


def test_a_patrol_imported_again_with_other_notes_is_refused_as_patrol_add_refuses_it(loaded, tmp_path):
    """A sheet imported, one row's 民情日记 corrected, imported again: the corrected row was a second
    patrol of that person, grid and day (the first kept), counted twice; two rows of one walk in
    one sheet likewise. `patrol add` refuses the same patrol twice (`已记录 …; 要更正请先 patrol void`):
    the import now refuses such a row the same way, naming the patrol held or the row before,
    nothing written; a row as it was imported is still skipped, a day not yet recorded imported."""
    rows = [[f"2026-11-{16 + n}", "P007", BLOCK, 8, f"走访{n}", ""] for n in range(3)]
    path = write_patrol_sheet(tmp_path / "巡查.xlsx", rows)
    first = ok("patrol", "import", path)
    held = {p["date"]: p["id"] for p in ok("patrol", "list")}
    rows[1][4] = "走访1 (更正)"
    rows.append(["2026-11-19", "P007", BLOCK, 5, "新的一天", ""])
    write_patrol_sheet(path, rows)
    again = run("patrol", "import", path)
    assert again.exit_code == 1, again.stdout
    assert (f"{path}:巡查日志:3: 日期: P007 在 2026-11-17 巡查该网格已记录 ({held['2026-11-17']}); "
            "要更正请先 patrol void") in again.stderr, again.stderr
    english = run("--lang", "en", "patrol", "import", path, "--dry-run")
    assert english.exit_code == 1 and "P007's patrol of this grid on 2026-11-17 is recorded already" in english.stderr
    assert len(ok("patrol", "list")) == first["imported"] == 3
    rows[1][4] = "走访1"
    rows.append(["2026-11-19", "P007", BLOCK, 2, "同一天又记一行", ""])
    write_patrol_sheet(path, rows)
    twice = run("patrol", "import", path)
    assert twice.exit_code == 1 and (f"{path}:巡查日志:6: 日期: 与第 5 行是同一人同一天对同一网格的巡查 (一天记一次); "
                                     "请合为一行") in twice.stderr, twice.stderr
    write_patrol_sheet(path, rows[:-1])
    last = ok("patrol", "import", path)
    assert (last["imported"], last["already"]) == (1, 3)


def test_patrol_import_csv_english_headers_and_dry_run(loaded, tmp_path):
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person", "date", "grid", "notes"])
        writer.writerow(["任涛", "2026-11-16", BLOCK, "=走访"])
    dry = ok("patrol", "import", path, "--dry-run")
    assert dry["dry_run"] and dry["imported"] == 1 and ok("patrol", "list") == []
    assert ok("patrol", "import", path)["imported"] == 1
    assert ok("patrol", "list")[0]["notes"] == "=走访"


def test_english_headers_are_sentence_case_and_read_back_in_any_case(loaded, tmp_path):
    """gridctl's English headers (lists, sheets, tables) are written in sentence case, and a sheet's
    English headers are read whatever their case: `Person`, `person` and `PERSON` are one column."""
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Person", "DATE", "Grid", "notes"])
        writer.writerow(["任涛", "2026-11-16", BLOCK, "走访"])
    assert ok("patrol", "import", path)["imported"] == 1
    listed = run("--lang", "en", "patrol", "list", "--csv")
    header = listed.stdout.splitlines()[0].split(",")
    assert header[:3] == ["Id", "Date", "Person"] and all(h[:1].isupper() for h in header), header
    table = run("--lang", "en", "grid", "show", BLOCK).stdout + run("--lang", "en", "load", EXAMPLE).stdout
    for word in ("Level", "Households", "Role", "Phone", "Since", "Kind", "Total", "Added"):
        assert word in table, word


def test_survey_import(loaded, tmp_path):
    path = tmp_path / "s.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工作队", "日期", "参会人数", "人员", "满意", "一般满意", "不满意"])
        writer.writerow(["T01", "2026-11-20", "55", "P102", "50", "4", "1"])
        writer.writerow(["T01", "2026-11-20", "55", "P103", "45", "20", "1"])
    result = run("survey", "import", path)
    assert result.exit_code == 1 and f"{path}:3: 满意:" in result.stderr
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工作队", "日期", "参会人数", "人员", "满意", "一般满意", "不满意"])
        writer.writerow(["T01", "2026-11-20", "55", "P102", "50", "4", "1"])
        writer.writerow(["T01", "2026-11-20", "55", "P103", "45", "9", "1"])
    assert ok("survey", "import", path)["imported"] == 2
    assert ok("survey", "import", path)["already"] == 2


def test_an_empty_patrol_or_survey_sheet_is_said_to_be_empty(loaded, tmp_path):
    """A 0-byte .xlsx was said `无法读取 …: 文件格式不对`; an empty CSV `文件是空的`. Both are empty."""
    for name in ("empty.csv", "empty.xlsx"):
        (tmp_path / name).write_bytes(b"")
        for kind in ("patrol", "survey"):
            zh = run(kind, "import", tmp_path / name)
            assert zh.exit_code == 1 and "文件是空的: 没有表头, 也没有数据行" in zh.stderr, zh.stderr
            assert "文件格式不对" not in zh.stderr and "缺少必需的列" not in zh.stderr
            en = run("--lang", "en", kind, "import", tmp_path / name)
            assert en.exit_code == 1 and "the file is empty: no header and no rows" in en.stderr, en.stderr


def test_the_same_patrol_twice_is_refused(township):
    first = run("--by", "P007", "patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-16")
    assert first.exit_code == 0, first.stderr
    again = run("--by", "P007", "patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-16",
                "--notes", "又走了一遍")
    assert again.exit_code == 1 and "已记录" in again.stderr and "patrol void" in again.stderr
    other_day = run("--by", "P007", "patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-17")
    assert other_day.exit_code == 0


def test_a_township_ledger_lists_its_own_scope(example, tmp_path):
    """After `init --node 410105001`, patrol missing and meeting missing cover that township, not the city."""
    city, town = tmp_path / "city.db", tmp_path / "town.db"
    assert run("--db", city, "load", example, "--as-of", "2026-11-01").exit_code == 0
    assert run("--db", town, "init", "--node", "410105001").exit_code == 0
    assert run("--db", town, "load", example, "--as-of", "2026-11-01").exit_code == 0
    whole = ok("patrol", "missing", "--week", "2026-W47", db=city)
    own = ok("patrol", "missing", "--week", "2026-W47", db=town)
    assert own["missing"] and all(m["grid"].startswith("410105001") for m in own["missing"])
    assert len(own["missing"]) < len(whole["missing"])
    meetings_city = ok("meeting", "missing", "--week", "2026-W47", db=city)["missing"]
    meetings_town = ok("meeting", "missing", "--week", "2026-W47", db=town)["missing"]
    assert meetings_town and len(meetings_town) < len(meetings_city)
    wider = ok("patrol", "missing", "--week", "2026-W47", "--unit", "金水区", db=town)
    assert len(wider["missing"]) >= len(own["missing"])


def test_record_lists_say_kinds_in_the_reader_s_words(loaded):
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-18", "--kind", "leave", "--days", "2")
    ok("study", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "study", "--attended", "no")
    ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会")
    zh = run("attendance", "list").stdout + run("study", "list").stdout
    assert "请假" in zh and "组织学习" in zh and "否" in zh
    assert "leave" not in zh and " study " not in zh
    en = run("--lang", "en", "meeting", "list").stdout + run("--lang", "en", "study", "list").stdout
    assert "team huddle" in en and "碰头会" not in en and " no " in en


def test_an_id_given_empty_is_said_as_none_given(fortnight):
    """`issue show ''`, `patrol void '' …`, `register show ''` (a script's unset variable) said
    `找不到问题 ` (and nothing after it), `找不到巡查 `, `基础信息中没有“”`. Each is said as none
    given, with what to write (exit 1)."""
    from tests.helpers import run

    for args, chinese, english in (
            (("issue", "show", ""), "没有给出问题编号 (是空的); 请写出问题编号", "no issue given (it is empty)"),
            (("--by", "P007", "issue", "accept", " "), "没有给出问题编号", "no issue given"),
            (("--by", "P007", "patrol", "void", "", "--reason", "录错"), "没有给出巡查编号 (是空的)", "no patrol given"),
            (("register", "show", ""), "没有给出基础信息的编号或门牌 (是空的)", "no register entry given")):
        zh = run(*args)
        assert zh.exit_code == 1 and chinese in zh.stderr and "找不到" not in zh.stderr, (args, zh.stderr)
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and english in en.stderr, (args, en.stderr)


def test_study_s_attended_is_offered_in_chinese_and_attended_by_default(fortnight):
    """`study add --help` in Chinese offered `--attended` as `yes` 或 `no` [默认: yes] and its example
    `--kind study --attended no`, while the refusal of another value offered 是 | 否. The Chinese page
    now offers 是 (the default) or 否 and its example is in Chinese; without --attended the
    session counts as attended, as before."""
    from tests.helpers import run

    page = " ".join(run("study", "add", "--help").stdout.split())     # as wrapped at any width
    assert "是否参加: `是` (默认) 或 `否` (缺席)" in page and "[默认: yes]" not in page, page
    assert "--kind 组织学习 --attended 否" in page and "--kind study" not in page
    recorded = ok("study", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "组织学习")
    assert [r["attended"] for r in ok("study", "list") if r["id"] == recorded["id"]] == [1]
    refused("study", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "组织学习", "--attended", "maybe", expect="是 | 否")


def test_a_week_the_year_does_not_have_is_said_as_that(fortnight, tmp_path):
    """`--week 2025-W53` (2025 has 52 ISO weeks) or `2026-W00` was refused as 周应写作 2026-W47: written
    just so, and the clerk was told it is not. Said now as a week the year does not have, with the
    year's weeks; a text that is no week keeps its words."""
    from tests.helpers import run

    for week, weeks in (("2025-W53", 52), ("2026-W54", 53), ("2026-W00", 53)):
        year = week[:4]
        for args in (("patrol", "missing", "--week", week),
                     ("report", "weekly", "-u", "410105", "--week", week, "-o", tmp_path / "w.xlsx")):
            zh = run(*args)
            assert zh.exit_code == 1 and f"{year} 年没有这一周: “{week}” ({year} 年的周是 W01 到 W{weeks})" in zh.stderr
            en = run("--lang", "en", *args)
            assert en.exit_code == 1 and f"{year} has no such week: “{week}” (its weeks are W01 to W{weeks})" in en.stderr
    refused("patrol", "missing", "--week", "W47", expect="周应写作 2026-W47")
    assert run("patrol", "missing", "--week", "2020-W53").exit_code == 0    # a year that has a 53rd week


def test_a_week_in_lower_case_is_the_week_as_written(fortnight, tmp_path):
    """`--week 2026-w47` (or `2026w47`, ` 2026-W47 `) was refused as 周应写作 2026-W47; it is that
    week, and the lists and the workbook name it 2026-W47."""
    from openpyxl import load_workbook

    from tests.helpers import run

    written = run("patrol", "missing", "--week", "2026-W47", "--json").json()
    for week in ("2026-w47", "2026w47", " 2026-W47 "):
        assert run("patrol", "missing", "--week", week, "--json").json() == written
        said = run("patrol", "missing", "--week", week)
        assert said.exit_code == 0 and said.stdout.startswith("2026-W47"), said.stdout
        assert run("meeting", "missing", "--week", week, "--json").json()["week"] == "2026-W47"
    assert run("patrol", "missing", "--week", "2026-w5", "--json").json()["week"] == "2026-W05"
    assert run("report", "weekly", "-u", "410105", "--week", "2026-w47", "-o", tmp_path / "w.xlsx").exit_code == 0
    cells = [c for row in load_workbook(tmp_path / "w.xlsx").worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert any("2026-W47" in str(c) for c in cells) and not any("2026-w47" in str(c) for c in cells)
    refused("patrol", "missing", "--week", "2026-w54", expect="2026 年没有这一周: “2026-w54”")


def test_a_day_or_a_time_that_does_not_exist_is_said_as_that(fortnight, tmp_path):
    """`-d 2026-02-30`, `--at "2026-11-20 25:00"`, `--since 2026-04-31`, a YAML `since: 2026-02-30`
    were refused as 日期格式应为 YYYY-MM-DD / 时间格式应为 YYYY-MM-DD HH:MM: written just so, and the
    clerk told they were not (as weeks and months were). Said now as no such day or time, with the
    month's days; year 0 as out of range; a text that is no day keeps its words."""
    import shutil

    from tests.helpers import EXAMPLE, run

    block = "黄河路社区/1号楼院"
    for args, chinese, english in (
            (("patrol", "add", "-p", "P007", "-g", block, "-d", "2026-02-30"),
             "--date: 没有这一天: “2026-02-30” (2026 年 2 月只有 28 天)", "no such day: “2026-02-30” (2026-02 has 28 days)"),
            (("attendance", "add", "-p", "P007", "-d", "2026-13-01", "--kind", "请假"),
             "没有这一天: “2026-13-01” (月份是 01 到 12)", "(months are 01 to 12)"),
            (("issue", "add", "-g", block, "-c", "环境卫生", "-s", "热线", "-t", "x", "--at", "2026-11-20 25:00"),
             "--at: 没有这个时刻: “2026-11-20 25:00” (时是 00 到 23, 分是 00 到 59)", "no such time: “2026-11-20 25:00”"),
            (("issue", "add", "-g", block, "-c", "环境卫生", "-s", "热线", "-t", "x", "--found-at", "2026年4月31日"),
             "--found-at: 没有这一天: “2026年4月31日” (2026 年 4 月只有 30 天)", "(2026-04 has 30 days)"),
            (("issue", "list", "--since", "2026-04-31"), "--since: 没有这一天: “2026-04-31”", "no such day: “2026-04-31”"),
            (("patrol", "add", "-p", "P007", "-g", block, "-d", "0000-01-01"),
             "年份超出范围: 0000-01-01 (应在 2000–2100 年之间)", "0000-01-01")):
        zh = run(*args)
        assert zh.exit_code == 1 and chinese in zh.stderr and "格式应为" not in zh.stderr, (args, zh.stderr)
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and english in en.stderr, (args, en.stderr)
    refused("patrol", "add", "-p", "P007", "-g", block, "-d", "2026/11/16", expect="日期格式应为 YYYY-MM-DD")
    refused("issue", "list", "--since", "someday", expect="日期格式应为 YYYY-MM-DD")
    sheet = tmp_path / "台账.csv"
    sheet.write_text("网格编码,问题类别,来源,问题描述,发现时间\n410105001001001,环境卫生,热线,楼道堆物,2026-02-30 09:00\n",
                     encoding="utf-8")
    imported = run("issue", "import", sheet)
    assert imported.exit_code == 1 and "台账.csv:2: 发现时间: 没有这一天: “2026-02-30 09:00”" in imported.stderr, imported.stderr
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "city"))
    city = folder / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("since: 2026-01-01", "since: 2026-02-30", 1), encoding="utf-8")
    checked = run("check", folder)
    assert checked.exit_code == 1 and "since: 没有这一天: “2026-02-30” (2026 年 2 月只有 28 天)" in checked.stderr, checked.stderr


def test_a_month_or_quarter_that_is_none_is_said_as_that(fortnight, tmp_path):
    """`--month 2026-13` was refused as 月份应写作 2026-11 (register due: 月份格式应为 YYYY-MM), and
    `--quarter 2026Q5` as 考核期应写作 2026Q4 或 2026: written just so, and the clerk told it is not.
    Said now as no such month or quarter, with the range; a text that is neither keeps its words."""
    from tests.helpers import run

    for args, chinese, english in (
            (("report", "monthly", "-u", "410105", "--month", "2026-13", "-o", tmp_path / "m.xlsx"),
             "没有这个月份: “2026-13” (月份是 01 到 12, 写作 2026-11)", "no such month: “2026-13” (months are 01 to 12"),
            (("register", "due", "--grid", "410105001001", "--month", "2026-00"),
             "没有这个月份: “2026-00”", "no such month: “2026-00”"),
            (("score", "--quarter", "2026Q5"), "没有这个季度: “2026Q5” (季度是 Q1 到 Q4)",
             "no such quarter: “2026Q5” (quarters are Q1 to Q4)")):
        zh = run(*args)
        assert zh.exit_code == 1 and chinese in zh.stderr, (args, zh.stderr)
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and english in en.stderr, (args, en.stderr)
    refused("report", "monthly", "-u", "410105", "--month", "11", "-o", tmp_path / "m.xlsx", expect="月份应写作 2026-11")
    refused("score", "--quarter", "Q4", expect="考核期应写作 2026Q4 或 2026")


def test_since_after_until_is_said_as_written_the_wrong_way_round(fortnight):
    """`issue list --since 2026-12-01 --until 2026-11-01` (the two swapped) listed nothing: 没有符合
    条件的问题, as if the ledger held nothing then. Said now as since after until (exit 1), for
    issues and records alike; the same day twice is a day."""
    from tests.helpers import run

    for command in (("issue", "list"), ("patrol", "list"), ("meeting", "list")):
        zh = run(*command, "--since", "2026-12-01", "--until", "2026-11-01")
        assert zh.exit_code == 1 and "--since 2026-12-01 晚于 --until 2026-11-01" in zh.stderr, zh.stderr
        assert "是写反了吗?" in zh.stderr
        en = run("--lang", "en", *command, "--since", "2026-12-01", "--until", "2026-11-01")
        assert en.exit_code == 1 and "--since 2026-12-01 is after --until 2026-11-01" in en.stderr, en.stderr
        assert run(*command, "--since", "2026-11-16", "--until", "2026-11-16").exit_code == 0


def test_a_team_or_person_given_blank_is_missing_and_a_blank_filter_is_no_filter(fortnight):
    """`survey add --team ''` said 工作队“”不存在 and `patrol add -p ' '` 人员“ ”不存在: a search for
    someone named nothing. Both are now 缺少必填字段, as `-p ''` already was. A list filter of blanks
    (`--status ' '`, `--person ' '`) refused as an unknown value while '' meant no filter: it now
    means no filter too."""
    from tests.helpers import run

    refused("survey", "add", "--team", "", "-d", "2026-11-20", "--participants", "50", "-p", "P102",
            "--satisfied", "1", "--fair", "0", "--unsatisfied", "0", expect="--team: 缺少必填字段")
    refused("patrol", "add", "-p", " ", "-g", "410105001001001", "-d", "2026-11-20", expect="--person: 缺少必填字段")
    for command, option in ((("issue", "list"), "--status"), (("issue", "list"), "--grid"),
                            (("patrol", "list"), "--person")):
        blank = run(*command, option, "  ", "--json")
        assert blank.exit_code == 0, blank.stderr
        assert blank.stdout == run(*command, option, "", "--json").stdout


def test_patrol_missing_for_a_week_not_over_says_so(fortnight):
    """`patrol missing --week` of the week under way listed everyone owing a patrol as missing
    (`未巡查 445 项` on a Tuesday), with nothing to say the week is not over. It says so under the
    count; a past week's list is as before (a week to come is refused: the test below)."""
    from datetime import date

    from tests.helpers import run

    year, week, _ = date.today().isocalendar()
    for text, sunday in ((f"{year}-W{week:02d}", date.fromisocalendar(year, week, 7)),):
        zh = run("patrol", "missing", "--week", text)
        assert zh.exit_code == 0 and f"该周到 {sunday.isoformat()} 才过完: 以下是到今天为止的情况" in zh.stderr, zh.stderr
        en = run("--lang", "en", "patrol", "missing", "--week", text)
        assert f"the week runs to {sunday.isoformat()}" in en.stderr, en.stderr
    past = run("patrol", "missing", "--week", "2026-W40")
    assert past.exit_code == 0 and "才过完" not in past.stdout + past.stderr


def test_a_meeting_s_or_study_record_s_notes_are_not_a_patrol_diary(loaded):
    """`meeting list` and `study list` headed their notes 民情日记, a patrol's diary (their own help
    says 会议记录 and 备注), on the screen and in --csv. Now their own words; a patrol's stays."""
    from tests.helpers import run

    ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会", "--attendees", "P101", "--notes", "议定走访")
    ok("study", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "组织学习", "--notes", "学习文件")
    meetings = run("meeting", "list")
    assert "会议记录" in meetings.stdout and "民情日记" not in meetings.stdout, meetings.stdout
    assert run("meeting", "list", "--csv").stdout.splitlines()[0].endswith("会议记录")
    assert run("study", "list", "--csv").stdout.splitlines()[0].endswith("备注")
    assert "Minutes" in run("--lang", "en", "meeting", "list", "--csv").stdout.splitlines()[0]
    assert "民情日记" in run("patrol", "list", "--csv").stdout.splitlines()[0]


def test_a_meeting_s_attendee_named_twice_is_recorded_once(loaded):
    """`--attendees P101,P101` (or a person by id and by name) recorded P101 twice: the list showed
    `P101,P101`. Each attendee once now, in the order first named."""
    p102 = ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会", "--attendees", "P102,P101,P102")
    assert p102["attendees"] == ["P102", "P101"]
    twice = ok("meeting", "add", "--unit", "T01", "-d", "2026-11-21", "--kind", "碰头会", "--attendees", "P101，韩立新")
    assert twice["attendees"] == ["P101"]                   # 韩立新 is P101


def test_a_missing_list_of_a_week_not_begun_is_refused(fortnight):
    """`patrol missing --week 2027-W10` (a slip for 2026-W10) listed every person owing a patrol as
    missing, exit 0, and `meeting missing` every team, as if the whole office had skipped a week that
    has not come. Refused now as the weekly report refuses it, saying when the week starts; the
    week under way is still listed."""
    from datetime import date, timedelta

    ahead = date.today() + timedelta(days=7)
    week = f"{ahead.isocalendar()[0]}-W{ahead.isocalendar()[1]:02d}"
    monday = (ahead - timedelta(days=ahead.weekday())).isoformat()
    for command in (("patrol", "missing"), ("meeting", "missing")):
        refused(*command, "--week", week, expect=f"{week} 还没有开始 (从 {monday} 起)")
        english = run("--lang", "en", *command, "--week", week.lower(), "--json")
        assert english.exit_code == 1 and f"{week} has not begun (it starts on {monday})" in english.stderr
        assert english.json()["error"]["code"] == "report.not_begun"
        year, number, _ = date.today().isocalendar()
        assert run(*command, "--week", f"{year}-W{number:02d}").exit_code == 0     # the week under way


def test_the_same_meeting_twice_is_refused_naming_the_one_held(loaded):
    """`meeting add --unit T01 -d 2026-11-20 --kind 碰头会` typed twice recorded two 碰头会, and
    `meeting missing` counted both toward the week's rule. Refused now as a patrol twice is: naming
    the meeting held and how to correct it (void it first), exit 1, nothing written. Another kind,
    day or unit is another meeting; once the first is voided the day can be recorded again.
    `meeting missing` in English said the kind in Chinese (碰头会): now in English."""
    first = ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会", "--attendees", "P101")
    held = len(ok("meeting", "list"))
    refused("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "huddle", "--notes", "再记一遍",
            expect=f"T01 在 2026-11-20 的碰头会已记录 ({first['id']}); 同一天同一种会只记一次, 要更正请先 meeting void")
    english = run("--lang", "en", "meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会")
    assert english.exit_code == 1, english.stderr
    assert f"T01's team huddle on 2026-11-20 is recorded already ({first['id']})" in english.stderr, english.stderr
    assert "碰头会" not in english.stderr
    assert len(ok("meeting", "list")) == held
    ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "民情分析会")
    ok("meeting", "add", "--unit", "T01", "-d", "2026-11-21", "--kind", "碰头会")
    ok("meeting", "void", first["id"], "--reason", "记错了参会人员")
    again = ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会", "--attendees", "P102")
    assert again["id"] != first["id"]
    missing = run("--lang", "en", "meeting", "missing", "--week", "2026-W40")
    assert missing.exit_code == 0 and "team huddle" in missing.stdout and "碰头会" not in missing.stdout, missing.stdout


def test_dates_weeks_months_and_periods_typed_full_width_are_read(fortnight, tmp_path):
    """A Chinese input method in its full-width mode types `２０２６－１１－２０`: `patrol add -d` and
    `issue list --since` refused it as 日期格式应为 YYYY-MM-DD (it is written so), `--found-at
    "２０２６年１１月２０日　０９：００"` as not a time, `--week ２０２６－Ｗ４７`, `--quarter ２０２６Ｑ３`
    and `register due --month ２０２６－１１` as written wrong, while `report monthly --month ２０２６－１０`
    was taken and its title said `２０２６－１０`. Each is read as its ASCII text and said back so; a
    day that does not exist is still said as that."""
    from openpyxl import load_workbook

    patrol = ok("--by", "P007", "patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "２０２６－１１－２０")
    assert patrol["date"] == "2026-11-20"
    issue = ok("--by", "P007", "issue", "add", "-g", BLOCK, "-c", "占道", "-s", "hotline", "-t", "占道经营",
               "--found-at", "２０２６年１１月２０日　０９：００")
    assert issue["found_at"] == "2026-11-20 09:00"
    assert ok("issue", "list", "--since", "２０２６－１１－０１") == ok("issue", "list", "--since", "2026-11-01")
    assert ok("patrol", "missing", "--week", "２０２６－Ｗ４７") == ok("patrol", "missing", "--week", "2026-W47")
    assert ok("score", "--quarter", "２０２６Ｑ４")["period"] == "2026Q4"
    due = run("register", "due", "--grid", "黄河路社区", "--month", "２０２６－１１")
    assert due.exit_code == 0 and due.stdout.startswith("2026-11 (截至"), due.stdout + due.stderr
    out = tmp_path / "m.xlsx"
    assert run("report", "monthly", "-u", "410105001", "--month", "２０２６－１０", "-o", out).exit_code == 0
    title = load_workbook(out).worksheets[0]["A1"].value
    assert " 2026-10 " in title and "２０２６" not in title, title
    refused("--by", "P007", "patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "２０２６－０２－３０",
            expect="没有这一天: “2026-02-30” (2026 年 2 月只有 28 天)")


def test_the_same_attendance_study_or_publicity_record_twice_is_refused(loaded):
    """Typed twice, `publicity add -p P101 -d 2026-11-20 --kind 工作动态 --title 同一篇` was two items
    (the assessment counts each), `study add` two sessions, `attendance add --kind leave` two leaves.
    Each is refused as a patrol or a meeting twice is, naming the record held and how to correct
    it, exit 1, nothing written. Other words make another record (two meetings attended in a day,
    two articles); a voided record frees its place."""
    cases = [
        (("publicity", "add", "-p", "P101", "-d", "2026-11-20", "--kind", "工作动态", "--title", "同一篇"),
         "P101 在 2026-11-20 的工作动态《同一篇》已记录", "P101's news “同一篇” on 2026-11-20 is recorded already",
         ("--title", "另一篇")),
        (("study", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "参加会议"),
         "P103 在 2026-11-19 的参加会议已记录", "P103's meeting on 2026-11-19 is recorded already", ("--notes", "下午的会")),
        (("attendance", "add", "-p", "P102", "-d", "2026-11-18", "--kind", "leave", "--days", "2", "--reason", "病假"),
         "P102 在 2026-11-18 的请假已记录", "P102's leave on 2026-11-18 is recorded already", ("--reason", "事假")),
    ]
    for command, chinese, english, other in cases:
        held = ok(*command)
        listed = len(ok(command[0], "list"))
        refused(*command, expect=f"{chinese} ({held['id']}); 同样的记录只记一次, 要更正请先 {command[0]} void")
        en = run("--lang", "en", *command)
        assert en.exit_code == 1 and f"{english} ({held['id']}); void it first" in en.stderr, en.stderr
        assert len(ok(command[0], "list")) == listed
        changed = list(command)
        at = changed.index(other[0]) if other[0] in changed else None
        if at is None:
            changed += list(other)
        else:
            changed[at + 1] = other[1]
        ok(*changed)
        ok(command[0], "void", held["id"], "--reason", "重复")
        ok(*command)


def test_a_survey_imported_again_with_other_figures_is_refused_not_dropped(loaded, tmp_path):
    """A 民意测评 sheet imported, one member's votes corrected, imported again: `导入 0 条, 已存在 1 条`,
    exit 0, the correction dropped without a word (the old votes stay and count). The corrected row
    is refused now, naming the survey held with both sets of figures and how to correct it; the
    same figures are still skipped, and once the held survey is voided the row imports."""
    def sheet(satisfied, fair):
        path = tmp_path / "s.csv"
        path.write_text("工作队,日期,参会人数,人员,满意,一般满意,不满意\n"
                        f"T01,2026-11-20,55,P102,{satisfied},{fair},1\n", encoding="utf-8")
        return path

    held = ok("survey", "import", sheet(50, 4))["ids"][0]
    corrected = run("survey", "import", sheet(40, 14))
    assert corrected.exit_code == 1, corrected.stdout
    assert (f"s.csv:2: 满意: P102 在工作队 T01 的 2026-11-20 测评已记录 ({held}, 参会/满意/一般/不满意 55/50/4/1), "
            "此行为 55/40/14/1; 要更正请先 survey void") in corrected.stderr, corrected.stderr
    english = run("--lang", "en", "survey", "import", sheet(40, 14))
    assert english.exit_code == 1 and "this row says 55/40/14/1" in english.stderr
    assert [s["satisfied"] for s in ok("survey", "list")] == [50]
    assert ok("survey", "import", sheet(50, 4))["already"] == 1
    ok("survey", "void", held, "--reason", "票数录错")
    assert ok("survey", "import", sheet(40, 14))["imported"] == 1


def test_a_survey_sheet_imported_again_asks_for_each_held_survey_once(loaded, tmp_path, monkeypatch):
    """Each re-imported survey row asked the ledger for the survey held twice (whether one is held,
    then its figures): once now, the same answers (skipped, or refused when the figures differ)."""
    from gridctl.ledger import records as rq

    path = tmp_path / "s.csv"
    path.write_text("工作队,日期,参会人数,人员,满意,一般满意,不满意\nT01,2026-11-20,55,P102,50,4,1\n"
                    "T01,2026-11-21,55,P102,50,4,1\n", encoding="utf-8")
    assert ok("survey", "import", path)["imported"] == 2
    asked = []
    held = rq.survey_held
    monkeypatch.setattr(rq, "survey_held", lambda *args: asked.append(args) or held(*args))
    assert ok("survey", "import", path)["already"] == 2
    assert sorted(args[-1] for args in asked) == ["2026-11-20", "2026-11-21"]
    path.write_text(path.read_text(encoding="utf-8").replace("50,4,1\nT01", "40,14,1\nT01"), encoding="utf-8")
    asked.clear()
    refused = run("survey", "import", path)
    assert refused.exit_code == 1 and "此行为 55/40/14/1" in refused.stderr and len(asked) == 2, refused.stderr


def test_a_patrol_imported_again_with_other_households_is_refused_not_dropped(loaded, tmp_path):
    """A 巡查走访日志 imported, one row's 走访户数 corrected (3 → 5) or its 走访户 completed, imported
    again: `导入 0 条, 已存在 1 条`, exit 0, the correction dropped without a word (the row's key is
    person, grid, day and 民情日记). Refused now naming the patrol held and what it holds, as a
    survey's changed votes are; the same row is still skipped, and after `patrol void` it imports."""
    from tests.helpers import EXAMPLE

    assert run("--by", "P001", "register", "import", EXAMPLE / "register" / "households.csv").exit_code == 0
    path = tmp_path / "p.csv"

    def sheet(households="", visited=""):
        path.write_text(f"日期,人员,网格编码,走访户数,走访户,民情日记\n2026-11-20,P007,410105001001001,{households},"
                        f"{visited},走访独居老人\n", encoding="utf-8")
        return path

    held = ok("patrol", "import", sheet(3))["ids"][0]
    for households, visited, column, words in (
            (5, "", "走访户数", f"({held}, 已记为 3), 此行为 5"),
            ("", "H1", "走访户", f"({held}, 已记为 -), 此行为 4101-H000001")):
        again = run("patrol", "import", sheet(households, visited))
        assert again.exit_code == 1, again.stdout
        assert f"p.csv:2: {column}: P007 在 2026-11-20 巡查该网格已记录 {words}; 要更正请先 patrol void" in again.stderr, \
            again.stderr
    english = run("--lang", "en", "patrol", "import", sheet(5))
    assert english.exit_code == 1 and "recorded as 3), this row says 5" in english.stderr, english.stderr
    assert [p["households"] for p in ok("patrol", "list")] == [3]
    assert ok("patrol", "import", sheet(3))["already"] == 1
    assert ok("patrol", "import", sheet())["already"] == 1           # blank cells say nothing
    ok("patrol", "void", held, "--reason", "户数录错")
    assert ok("patrol", "import", sheet(5))["imported"] == 1


def test_a_patrol_imported_again_with_an_issue_found_later_says_to_link_it(loaded, tmp_path):
    """The same sheet imported again with its 发现问题 filled in later: `已存在 1 条`, the issue never
    linked (not counted in the patrol's 发现问题数, nor as the team's own find). Refused now with the
    command that links it; once linked, the row is skipped as before."""
    issue = ok("issue", "add", "-g", "黄河路社区/1号楼院", "-c", "环境卫生", "-s", "巡查发现", "-t", "楼道堆物")["id"]
    path = tmp_path / "p.csv"
    path.write_text("日期,人员,网格编码,走访户数,民情日记\n2026-11-20,P007,410105001001001,3,走访\n", encoding="utf-8")
    held = ok("patrol", "import", path)["ids"][0]
    path.write_text(f"日期,人员,网格编码,走访户数,民情日记,发现问题\n2026-11-20,P007,410105001001001,3,走访,{issue}\n",
                    encoding="utf-8")
    again = run("patrol", "import", path)
    assert again.exit_code == 1, again.stdout
    assert (f"p.csv:2: 发现问题: P007 在 2026-11-20 巡查该网格已记录 ({held}), 此行的发现问题 {issue} 没有关联到它, 未导入; "
            f"请用 gridctl patrol link {held} --found {issue} 关联") in again.stderr, again.stderr
    english = run("--lang", "en", "patrol", "import", path)
    assert english.exit_code == 1 and f"link them with gridctl patrol link {held} --found {issue}" in english.stderr
    ok("patrol", "link", held, "--found", issue)
    assert ok("patrol", "import", path)["already"] == 1


def test_days_absent_that_overlap_a_held_absence_are_refused(loaded):
    """不在岗 days are added up for the score (more than 5 in a quarter: 不称职 by rule). P102 absent
    3 days from 11-16, then again from 11-17 (the second day entered on its own, or with another
    reason) was recorded: 4 days counted for 3. A 不在岗 meeting a held one's days is refused,
    naming it; the days next to it and the days after a void are taken (a 请假 over its days is
    refused too, until it is voided)."""
    first = ok("attendance", "add", "-p", "P102", "-d", "2026-11-16", "--kind", "不在岗", "--days", "3",
               "--reason", "未到岗")["id"]
    for day, days, reason in (("2026-11-17", "1", "未到岗"), ("2026-11-16", "1", "迟到"), ("2026-11-13", "4", "未到岗"),
                              ("2026-11-18", "2", "")):
        said = run("attendance", "add", "-p", "P102", "-d", day, "--kind", "不在岗", "--days", days, "--reason", reason)
        assert said.exit_code == 1, (day, said.stdout)
        assert f"P102 自 {day} 起 {days} 天的不在岗与已记录的 {first} (自 2026-11-16 起 3 天) 有重叠" in said.stderr, said.stderr
        assert "attendance void" in said.stderr
    english = run("--lang", "en", "attendance", "add", "-p", "P102", "-d", "2026-11-17", "--kind", "不在岗")
    assert english.exit_code == 1 and f"overlap {first} (absent 3 day(s) from 2026-11-16)" in english.stderr
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-13", "--kind", "不在岗", "--days", "3")     # 13–15: next to it
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-19", "--kind", "不在岗")                     # 19: after it
    assert run("attendance", "add", "-p", "P102", "-d", "2026-11-17", "--kind", "请假").exit_code == 1   # over it
    ok("attendance", "add", "-p", "P103", "-d", "2026-11-17", "--kind", "不在岗")                     # someone else
    member = next(m for m in ok("score", "--quarter", "2026Q4")["members"] if m["person"] == "P102")
    assert member["counts"]["absent"] == 7, member["counts"]
    ok("attendance", "void", first, "--reason", "记错")
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-17", "--kind", "请假")       # leave is no absence
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-16", "--kind", "不在岗")     # 17 is on leave
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-18", "--kind", "不在岗")


def test_an_absence_on_a_day_of_approved_leave_is_refused(loaded):
    """P102 on approved leave 11-18 to 11-20 (请假 3 天) and then recorded 不在岗 on 11-19 was
    accepted: the score counted a day absent on a day of leave, where 出满勤 counts leave as
    present and 不在岗 is absence without leave (未经请假而缺勤, the source's rule). A 不在岗 any of
    whose days is on approved leave is refused, naming the leave and what to do; a day after a
    销假 ends the leave, a day after the leave, a voided leave and someone else's days are taken."""
    leave = ok("attendance", "add", "-p", "P102", "-d", "2026-11-18", "--kind", "请假", "--days", "3",
               "--reason", "病假")["id"]
    for day, days, on in (("2026-11-19", "1", "2026-11-19"), ("2026-11-16", "4", "2026-11-18"),
                          ("2026-11-20", "3", "2026-11-20")):
        said = run("attendance", "add", "-p", "P102", "-d", day, "--kind", "不在岗", "--days", days)
        assert said.exit_code == 1, (day, said.stdout)
        assert (f"P102 在 {on} 请假已获批准 ({leave}: 自 2026-11-18 起 3 天), 请假期间不算不在岗 (出满勤含请假)。"
                f"请假记错了请先 attendance void {leave} (或记 --kind 销假), 再记不在岗; 否则请换一个日期") in said.stderr, \
            said.stderr
        english = run("--lang", "en", "attendance", "add", "-p", "P102", "-d", day, "--kind", "absent", "--days", days)
        assert english.exit_code == 1 and f"P102 was on approved leave on {on} ({leave}: 3 day(s) from 2026-11-18)" \
            in english.stderr and not any("\u4e00" <= ch <= "\u9fff" for ch in english.stderr), english.stderr
    assert [r["kind"] for r in ok("attendance", "list", "--person", "P102")] == ["leave"]      # nothing written
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-21", "--kind", "不在岗")       # the day after the leave
    ok("attendance", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "不在岗")       # someone else
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-20", "--kind", "销假")         # back on the 20th
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-20", "--kind", "不在岗")
    assert run("attendance", "add", "-p", "P102", "-d", "2026-11-19", "--kind", "不在岗").exit_code == 1
    ok("attendance", "void", leave, "--reason", "没有请假")
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-18", "--kind", "不在岗", "--days", "2")


def test_a_notice_or_a_cancelled_leave_given_days_is_refused(loaded):
    """`attendance add --kind 督查通报 --days 5` was recorded and listed 天数 5, while the score
    counts a notice once (1, not 5); `--kind 销假 --days 4` listed 4 days where a 销假 only ends
    leave from its day. Both refused now, saying why and what to write; without --days (or 1)
    they are recorded as before, and 请假 / 不在岗 keep their days."""
    for held, (kind, words, english) in enumerate((("督查通报", "督查通报按次计, 不计天数 (写了 5 天, 考核只计 1 次通报)", "counts once, not by days"),
                                 ("销假", "销假只记哪一天回岗 (自该日起请假结束), 不计天数 (写了 5 天)", "says the day leave ends"))):
        said = run("attendance", "add", "-p", "P103", "-d", "2026-11-18", "--kind", kind, "--days", "5")
        assert said.exit_code == 1 and f"--days: {words}" in said.stderr, said.stderr
        english_said = run("--lang", "en", "attendance", "add", "-p", "P103", "-d", "2026-11-18", "--kind", kind,
                           "--days", "5").stderr
        assert english in english_said and not any("\u4e00" <= ch <= "\u9fff" for ch in english_said), english_said
        assert len(ok("attendance", "list", "--person", "P103")) == held        # nothing written
        assert ok("attendance", "add", "-p", "P103", "-d", "2026-11-18", "--kind", kind, "--reason", kind)["days"] == 1
    ok("attendance", "add", "-p", "P103", "-d", "2026-11-19", "--kind", "督查通报", "--days", "1", "--reason", "又一次")
    assert ok("attendance", "add", "-p", "P103", "-d", "2026-11-20", "--kind", "请假", "--days", "5")["days"] == 5
    person = next(m for m in ok("score", "--quarter", "2026Q4")["members"] if m["person"] == "P103")
    assert person["counts"]["notices"] == 2, person["counts"]


def test_a_missing_list_with_nothing_missing_prints_no_empty_table(loaded):
    """`meeting missing` of a week whose 碰头会 were all held said `应开会 1 次, 未开 0 次` and then
    drew the table's header over no row, as if the list had been cut off (`patrol missing` of a
    grid all walked, `register due` with nothing due likewise). The count alone now; a list with
    something missing is drawn as before."""
    from tests.helpers import run

    ok("meeting", "add", "--unit", "T01", "-d", "2026-11-20", "--kind", "碰头会", "--attendees", "P101")
    held = run("meeting", "missing", "--week", "2026-W47", "--unit", "T01")
    assert held.exit_code == 0 and held.stdout.splitlines() == ["2026-W47 (2026-11-16 至 2026-11-22): 应开会 1 次, 未开 0 次"], \
        held.stdout
    missed = run("meeting", "missing", "--week", "2026-W46", "--unit", "T01")
    assert "未开 1 次" in missed.stdout and "T01" in missed.stdout.splitlines()[-1], missed.stdout


def test_leave_recorded_over_a_held_absence_is_refused(loaded):
    """P102 found absent (不在岗) on 11-19 and then given 请假 from 11-18 for 3 days was accepted: a
    leave recorded afterwards over an absence found by inspection (the reverse, a 不在岗 on a day of
    leave, was refused by a272325). Refused now either way round, naming the absence and what to
    do (void the absence if the leave had in fact been approved; else the other days only); leave
    on other days, someone else's, and leave once the absence is voided are taken."""
    absent = ok("attendance", "add", "-p", "P102", "-d", "2026-11-19", "--kind", "不在岗", "--reason", "督查未到岗")["id"]
    for day, days, on in (("2026-11-18", "3", "2026-11-19"), ("2026-11-19", "1", "2026-11-19")):
        said = run("attendance", "add", "-p", "P102", "-d", day, "--kind", "请假", "--days", days, "--reason", "病假")
        assert said.exit_code == 1, (day, said.stdout)
        assert (f"--date: P102 在 {on} 已记不在岗 ({absent}: 自 2026-11-19 起 1 天), 请假不能补记在不在岗的日子上 "
                f"(不在岗是未经请假的缺勤, 事后补的请假不抵)。若当天其实已获准请假、不在岗记错了, 请先 attendance void "
                f"{absent} (写明原因), 再记请假; 否则请假从不在岗之外的日子记起") in said.stderr, said.stderr
        english = run("--lang", "en", "attendance", "add", "-p", "P102", "-d", day, "--kind", "leave", "--days", days)
        assert english.exit_code == 1 and f"P102 is recorded absent on {on} ({absent}: 1 day(s) from 2026-11-19)" \
            in english.stderr and not any("\u4e00" <= ch <= "\u9fff" for ch in english.stderr), english.stderr
    assert [r["kind"] for r in ok("attendance", "list", "--person", "P102")] == ["absent"]     # nothing written
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-20", "--kind", "请假", "--days", "2")      # the days after
    ok("attendance", "add", "-p", "P103", "-d", "2026-11-18", "--kind", "请假", "--days", "3")      # someone else
    ok("attendance", "void", absent, "--reason", "当天已获准请假")
    ok("attendance", "add", "-p", "P102", "-d", "2026-11-18", "--kind", "请假", "--days", "2")
