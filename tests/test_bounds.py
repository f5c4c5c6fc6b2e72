"""Every out-of-range or unprintable input found by fuzzing is refused cleanly (exit 1 or 2,
never 3) and leaves the ledger's dump byte-identical: the corpus of issue #13 as plain tests."""

from __future__ import annotations

import shutil
import sqlite3
import re
import textwrap
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, dump, run

GRID = "金水区/经八路街道/黄河路社区/1号楼院"
ADD = ("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The example city loaded, one issue added and accepted: built once, copied per test."""
    db = tmp_path_factory.mktemp("template") / "ledger.db"
    for args in (("load", EXAMPLE, "--as-of", "2026-11-26"),
                 (*ADD, "-t", "楼顶私搭乱建", "--at", "2026-11-20 09:00"),
                 ("--by", "P007", "issue", "accept", "1", "--at", "2026-11-20 10:00")):
        result = run("--db", db, *args)
        assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def ledger(template, tmp_path) -> Path:
    db = tmp_path / "ledger.db"
    shutil.copy(template, db)
    return db


def refused(db: Path, *args, codes=(1, 2)) -> str:
    """Run; assert a clean refusal and an untouched ledger; return what was said."""
    before = dump(db)
    result = run("--db", db, *args)
    said = result.stdout + result.stderr
    assert result.exit_code in codes, f"{args}: exit {result.exit_code}: {said}"
    assert "内部错误" not in said and "Traceback" not in said
    assert dump(db) == before, f"{args} changed the ledger"
    return said


ARGUMENTS = {
    "limit": ("issue", "list", "--limit", "99999999999999999999"),
    "show_huge_id": ("issue", "show", "99999999999999999999999"),
    "extend_days": ("--by", "P007", "issue", "extend", "1", "--days", "99999999999", "--reason", "x",
                    "--approver", "P001"),
    "extend_days_year": ("--by", "P007", "issue", "extend", "1", "--days", "400", "--reason", "x",
                         "--approver", "P001"),
    "households_float": ("--by", "P007", "patrol", "add", "-p", "P007", "-g", "黄河路社区/1号楼院",
                         "-d", "2026-11-20", "--households", "1e20"),
    "households_huge": ("--by", "P007", "patrol", "add", "-p", "P007", "-g", "黄河路社区/1号楼院",
                        "-d", "2026-11-20", "--households", "99999999999"),
    "survey_huge": ("--by", "P007", "survey", "add", "--team", "T01", "-d", "2026-11-20", "-p", "P003",
                    "--participants", "99999999999999", "--satisfied", "1", "--fair", "0", "--unsatisfied", "0"),
    "week_0001": ("report", "weekly", "-u", "金水区", "--week", "0001-W01", "-o", "w.xlsx"),
    "week_9999": ("report", "weekly", "-u", "金水区", "--week", "9999-W52", "-o", "w.xlsx"),
    "month_0001": ("report", "monthly", "-u", "金水区", "--month", "0001-01", "-o", "m.xlsx"),
    "month_0000": ("report", "monthly", "-u", "金水区", "--month", "0000-01", "-o", "m.xlsx"),  # found by fuzzing
    "status_garbage": ("status", "--as-of", "garbage"),
    # --as-of was taken unchecked by these four (load wrote it into the posts' history)
    "load_as_of_garbage": ("load", EXAMPLE, "--as-of", "garbage"),
    "load_as_of_3000": ("load", EXAMPLE, "--as-of", "3000-01-01"),
    "grid_show_as_of": ("grid", "show", "金水区", "--as-of", "garbage"),
    "duty_who_as_of": ("duty", "who", "--category", "占道", "--grid", "黄河路社区/1号楼院", "--as-of", "2026-02-30"),
    "notice_as_of": ("report", "notice", "--grid", "黄河路社区", "--as-of", "garbage", "-o", "n.xlsx"),
    "list_since_0001": ("issue", "list", "--since", "0001-01-01"),
    "title_control": (*ADD, "-t", "楼顶\x07违建"),
    "place_control": (*ADD, "-t", "楼顶违建", "--place", "1号\x1b[31m楼"),
    "title_not_utf8": (*ADD, "-t", "楼顶\udcff"),
    "at_year_1": (*ADD, "-t", "楼顶违建", "--at", "0001-01-01 00:00"),
    "at_year_9999": (*ADD, "-t", "楼顶违建", "--at", "9999-12-31 23:59"),
    "attendance_days": ("--by", "P007", "attendance", "add", "-p", "P007", "-d", "2026-11-20", "--kind",
                        "leave", "--days", "99999999999"),
    "attendance_days_year": ("--by", "P007", "attendance", "add", "-p", "P007", "-d", "2026-11-20",
                             "--kind", "leave", "--days", "999"),
    "patrol_year_1": ("--by", "P007", "patrol", "add", "-p", "P007", "-g", "黄河路社区/1号楼院",
                      "-d", "0001-01-01"),
    "note_control": ("--by", "P007", "issue", "handle", "1", "--note", "已\x00处置"),
    "by_control": ("--by", "P\x07", *ADD[2:], "-t", "楼顶违建"),
    "db_not_utf8": ("--db", "ledger\udcff.db", "grid", "tree"),
}


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_out_of_range_argument_is_refused(ledger, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(ledger, *ARGUMENTS[name])


def test_a_huge_count_is_told_its_upper_bound_not_a_negative_range(ledger):
    said = refused(ledger, "--by", "P007", "patrol", "add", "-p", "P007", "-g", "黄河路社区/1号楼院",
                   "-d", "2026-11-20", "--households", "100000000000000000000000")
    assert "--households" in said and "数值过大" in said and "应不大于 1000000000" in said
    assert "-1000000000" not in said


def test_control_character_named_with_its_position(ledger):
    said = refused(ledger, *ADD, "-t", "楼顶\x07违建")
    assert "--title" in said and "第 3 个字符" in said and "U+0007" in said


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2067"])
def test_a_bidi_override_is_refused_like_a_control_character(ledger, tmp_path, char):
    """U+202E (right-to-left override) in a title would print it reversed in every list and workbook."""
    said = refused(ledger, "--lang", "en", *ADD, "-t", f"楼顶{char}违建")
    assert "--title" in said and "character 3" in said and f"U+{ord(char):04X}" in said
    said = refused(ledger, *ADD, "-t", "楼顶违建", "--place", f"{char}1号楼顶")
    assert "--place" in said and "第 1 个字符" in said
    sheet = _sheet(tmp_path, [f"410105001001001,非法建设,巡查发现,楼顶{char}违建,2026-11-20 09:00,"])
    assert "第 3 个字符" in refused(ledger, "--by", "P007", "issue", "import", sheet)


def test_issue_add_checks_the_phone_as_an_import_does(ledger, tmp_path):
    """联系电话 on the command line was stored whatever it said, where a sheet's is refused."""
    said = refused(ledger, *ADD, "-t", "楼顶违建", "--phone", "not a phone at all", "--force")
    assert "--phone" in said and "电话号码格式不对" in said
    sheet = _sheet(tmp_path, ["410105001001001,非法建设,巡查发现,楼顶违建,2026-11-20 09:00,"])
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("上报时间", "联系电话").replace(",\n", ",not a phone at all\n"),
                     encoding="utf-8")
    assert "电话号码格式不对" in refused(ledger, "--by", "P007", "issue", "import", sheet)
    assert run("--db", ledger, *ADD, "-t", "楼顶违建", "--phone", "0371-60001107", "--force").exit_code == 0


def test_year_out_of_range_says_the_range(ledger):
    said = refused(ledger, "--lang", "en", *ADD, "-t", "x", "--at", "0001-01-01 00:00")
    assert "2000–2100" in said


def _sheet(tmp_path, rows: list[str]) -> Path:
    path = tmp_path / "sheet.csv"
    path.write_text("网格编码,问题类别,来源,问题描述,发现时间,上报时间\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("row", [
    "410105001001001,非法建设,巡查发现,楼顶\x07违建,2026-11-20 09:00,",
    "410105001001001,非法建设,巡查发现,楼顶违建,2026-11-20 09:00,2031-01-01 09:00",
    "410105001001001,非法建设,巡查发现,楼顶违建,0001-01-01 09:00,2026-11-20 09:00",
    "410105001001001,非法建设,巡查发现,楼顶违建,2026-11-20 09:00,9999-01-01 00:00",
], ids=["control", "reported_2031", "found_0001", "reported_9999"])
def test_import_sheet_row_out_of_range_is_refused(ledger, tmp_path, row):
    refused(ledger, "--by", "P007", "issue", "import", _sheet(tmp_path, [row]))


def _folder(tmp_path, extra: str) -> Path:
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "city"))
    (folder / "zz_extra.yaml").write_text(textwrap.dedent(extra), encoding="utf-8")
    return folder


LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))

YAML = {
    "recursive_alias": "people: &a [*a]\n",
    "billion_laughs": LAUGHS,
    "deadline_huge": """
        categories:
          - {code: zz_test, name: 测试类别, authority: community, lead_role: 网格长, deadline: "999999999999999999999"}
        """,
    "name_control": """
        people:
          - {id: P999, name: "王\\x07芳"}
        """,
    "since_year_1": """
        people:
          - {id: P999, name: 王芳芳}
        posts:
          - {grid: "410105001001", role: 兼职网格员, person: P999, since: 0001-01-01}
        """,
    "deep_nesting": "people: " + "[" * 5000 + "]" * 5000 + "\n",
}


@pytest.mark.parametrize("name", sorted(YAML))
def test_yaml_folder_refused_by_check_and_load(ledger, tmp_path, name):
    folder = _folder(tmp_path, YAML[name])
    refused(ledger, "check", folder)
    refused(ledger, "load", folder, "--as-of", "2026-11-26")


@pytest.mark.parametrize("old, new", [
    ("households: 298,", "households: 100000000000000000000000000000,"),
    ("households: 298,", "households: 1e29,"),
    ("name: 第一村民组,", 'name: "第一\\x1b村民组",'),
], ids=["households_digits", "households_float", "grid_name_escape"])
def test_yaml_value_in_the_example_refused(ledger, tmp_path, old, new):
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "city"))
    text = (folder / "huiji.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "huiji.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    said = refused(ledger, "check", folder)
    assert "huiji.yaml:18" in said
    refused(ledger, "load", folder, "--as-of", "2026-11-26")


def test_a_ledger_poisoned_before_the_edge_existed_still_prints(ledger, tmp_path):
    """Control characters that got in before they were refused: the workbooks still write
    (the character shows as U+FFFD) instead of failing with IllegalCharacterError."""
    with sqlite3.connect(ledger) as conn:
        conn.execute("UPDATE issues SET title = '楼\x07顶', place = '1号\x1b楼'")
    for args in (("issue", "export", "-o", tmp_path / "x.xlsx"),
                 ("report", "weekly", "-u", "金水区", "--week", "2026-W47", "-o", tmp_path / "w.xlsx"),
                 ("report", "monthly", "-u", "金水区", "--month", "2026-11", "-o", tmp_path / "m.xlsx")):
        result = run("--db", ledger, *args)
        assert result.exit_code == 0, (args, result.stderr)


HUGE = "99999999999999999999"
NO_NUMBERS = {   # a short id that passes str.isdigit() but int() refuses (²), or too big for SQLite
    "issue_show": ("issue", "show", "²"),
    "patrol_void": ("--by", "P007", "patrol", "void", "²", "--reason", "x"),
    "patrol_void_huge": ("--by", "P007", "patrol", "void", HUGE, "--reason", "x"),
    "add_patrol": (*ADD, "-t", "另一处", "--force", "--patrol", "²"),
    "add_patrol_huge": (*ADD, "-t", "另一处", "--force", "--patrol", HUGE),
    "visited_huge": ("--by", "P007", "patrol", "add", "-p", "P007", "-g", GRID, "-d", "2026-11-20",
                     "--visited", "H" + HUGE),
    "register_show": ("register", "show", "H²"),
    "register_show_number": ("register", "show", "²"),
    "household_size": ("--by", "P007", "register", "add", "household", "-g", GRID, "--address", "9号",
                       "--size", "²"),
    "birth_year": ("--by", "P007", "register", "add", "resident", "--household", "1号楼1单元101", "--name", "李四",
                   "--birth-year", "¹⁹⁸⁰"),
    "id_number": ("--by", "P007", "register", "add", "resident", "--household", "1号楼1单元101", "--name", "李四",
                  "--id-number", "4101051990010112²3"),
}


@pytest.mark.parametrize("name", sorted(NO_NUMBERS))
def test_a_number_int_cannot_read_or_sqlite_cannot_hold_is_refused_not_a_crash(ledger, name):
    """Each was exit 3 (ValueError: invalid literal for int(), or OverflowError), or an English
    Python message as the refusal (the 身份证号)."""
    if name.startswith(("register", "household", "birth", "id_")):
        for sheet in ("households", "residents"):
            assert run("--db", ledger, "--by", "P007", "register", "import", EXAMPLE / "register" / f"{sheet}.csv").exit_code == 0
    said = refused(ledger, *NO_NUMBERS[name])
    assert "invalid literal" not in said and "Error" not in said, said


def test_a_full_width_id_number_is_the_same_person(ledger):
    """`４１０…` typed with a Chinese input method was refused as a wrong check digit (the check character
    compared full width); it is the number it reads as, and matches it."""
    body = "41010519900101123"
    number = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10,
                                                                         5, 8, 4, 2))) % 11]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    run("--db", ledger, "--by", "P007", "register", "import", EXAMPLE / "register" / "households.csv")
    added = run("--db", ledger, "--by", "P007", "register", "add", "resident", "--household", "1号楼1单元101",
                "--name", "李四", "--id-number", wide, "--json")
    assert added.exit_code == 0, added.stderr
    found = run("--db", ledger, "register", "search", number, "--json").json()
    assert [row["id"] for row in found] == [added.json()["id"]]


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def test_zero_width_characters_are_dropped_from_every_input(ledger, tmp_path):
    """Text pasted from a chat app carries invisible characters (U+200B–U+200D, U+2060, U+FEFF): they
    were stored, so two titles that look the same differed, a search missed, a name was not found.
    Dropped at the edge from arguments, sheet cells (csv, xlsx) and YAML alike; a file name is kept."""
    import openpyxl

    def titles():
        return {row["title"] for row in run("--db", ledger, "issue", "list", "--json").json()}

    zw = iter(ZERO_WIDTH * 4)
    add = run("--db", ledger, "--by", f"P007{next(zw)}", "issue", "add", "-g", f"黄河路社区{next(zw)}/1号楼院",
              "-c", "占道", "-s", "巡查发现", "-t", f"{next(zw)}占道{next(zw)}经营{next(zw)}",
              "--place", f"东{next(zw)}侧", "--at", "2026-11-21 09:00", "--json")
    assert add.exit_code == 0, add.stderr
    assert (add.json()["title"], add.json()["place"], add.json()["grid"]) == ("占道经营", "东侧", "410105001001001")
    again = run("--db", ledger, "--by", "P007", "issue", "add", "-g", GRID, "-c", "占道", "-s", "巡查发现",
                "-t", "占道经营", "--at", "2026-11-21 10:00")
    assert again.exit_code == 1 and "可能是重复上报" in again.stderr and "100%" in again.stdout   # the same title
    found = run("--db", ledger, "issue", "search", f"占道{ZERO_WIDTH}经营", "--json").json()
    assert [row["title"] for row in found] == ["占道经营"]
    assert run("--db", ledger, "--by", "P007", "issue", "add", "-g", GRID, "-c", "占道", "-s", "巡查发现",
               "-t", ZERO_WIDTH).exit_code == 1                     # nothing left: a title is required

    sheet = tmp_path / f"问题{ZERO_WIDTH[0]}.csv"                    # the file's own name is what is on disk
    sheet.write_text(f"网格编码{ZERO_WIDTH[4]},问题类别,来源,问题描述,发现时间\n"
                     f"410105001001001{ZERO_WIDTH[0]},非法建设,巡查发现,{ZERO_WIDTH[1]}私拉{ZERO_WIDTH[2]}电线,"
                     f"2026-11-21 09:00{ZERO_WIDTH[3]}\n", encoding="utf-8")
    assert run("--db", ledger, "--by", "P007", "issue", "import", sheet).exit_code == 0
    book = openpyxl.Workbook()
    book.active.append(["网格编码", f"问题类别{ZERO_WIDTH[1]}", "来源", "问题描述", "发现时间"])
    book.active.append([f"{ZERO_WIDTH[2]}410105001001001", "环境卫生", f"巡查发现{ZERO_WIDTH[4]}",
                        f"垃圾{ZERO_WIDTH[0]}{ZERO_WIDTH[3]}堆放", "2026-11-21 09:30"])
    book.save(tmp_path / "问题.xlsx")
    imported = run("--db", ledger, "--by", "P007", "issue", "import", tmp_path / "问题.xlsx")
    assert imported.exit_code == 0, imported.stderr
    assert titles() == {"楼顶私搭乱建", "占道经营", "私拉电线", "垃圾堆放"}

    folder = _folder(tmp_path, f"""
        people:
          - {{id: P999, name: "王{ZERO_WIDTH}芳芳", unit: 经八路街道}}
        """)
    assert run("--db", ledger, "load", folder, "--as-of", "2026-11-26").exit_code == 0
    by_name = run("--db", ledger, "--by", "王芳芳", "issue", "add", "-g", GRID, "-c", "环境卫生", "-s", "巡查发现",
                  "-t", "绿化带垃圾", "--at", "2026-11-22 09:00", "--json")
    assert by_name.exit_code == 0 and by_name.json()["reporter"] == "P999", by_name.stderr


def test_a_sheet_imported_while_zero_width_characters_were_kept_is_not_imported_again(ledger, tmp_path,
                                                                                     monkeypatch):
    """Importing the same sheet again adds nothing. A sheet imported before zero-width characters were
    dropped stored its titles, 编号 and notes with them, under keys of that text: imported again,
    its rows (now read without them) are found under the keys of the text as the file wrote it."""
    import openpyxl

    from gridctl import sheets

    zw = "\u200b"
    issues = tmp_path / "问题.csv"
    issues.write_text("网格编码,问题类别,来源,问题描述,发现时间,编号\n"
                      f"410105001001001,占道,巡查发现,流动{zw}摊贩,2026-11-21 09:00,\n"
                      f"410105001001001,环境卫生,巡查发现,垃圾堆放,2026-11-21 10:00,TZ{zw}-9\n"
                      f"410105001001001,环境卫生,巡查发现,污水外溢,2026-11-21 11:00,\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["网格编码", "问题类别", "来源", "问题描述", "发现时间"])
    book.active.append(["410105001001001", "非法建设", "巡查发现", f"{zw}私搭{zw}乱建", "2026-11-21 12:00"])
    book.save(tmp_path / "问题.xlsx")
    patrols = tmp_path / "巡查.csv"
    patrols.write_text(f"日期,人员,网格编码,民情日记\n2026-11-20,P007,{GRID},走访{zw}独居老人\n", encoding="utf-8")
    imports = ((issues, "issue"), (tmp_path / "问题.xlsx", "issue"), (patrols, "patrol"))

    with monkeypatch.context() as kept:             # the reader as it was: the characters kept
        kept.setattr(sheets, "has_invisible", lambda text: False)
        kept.setattr(sheets, "visible", lambda text: text)
        for sheet, group in imports:
            assert run("--db", ledger, "--by", "P007", group, "import", sheet).exit_code == 0
    titles = {row["title"] for row in run("--db", ledger, "issue", "list", "--json").json()}
    assert {f"流动{zw}摊贩", f"{zw}私搭{zw}乱建"} <= titles          # stored as written then
    before = dump(ledger)
    for sheet, group in imports:
        again = run("--db", ledger, "--by", "P007", group, "import", sheet, "--json")
        assert again.exit_code == 0 and again.json()["imported"] == 0, (sheet, again.stdout, again.stderr)
    assert dump(ledger) == before


def test_a_refused_argument_is_named_as_its_usage_line_names_it(loaded):
    """A control character in an argument was refused naming it `ISSUE:`/`TEXT:`/`FILE:`, English
    capitals on the Chinese screen; it is named as the usage line shows it: {问题编号}, {issue}."""
    for args, chinese, english in ((("issue", "show", "a\x01"), "{问题编号}", "{issue}"),
                                   (("issue", "search", "a\x01"), "{查找内容}", "{text}"),
                                   (("backup", "a\x01.db"), "{文件}", "{file}")):
        zh = run(*args)
        assert zh.exit_code == 1 and zh.stderr.startswith(f"错误: {chinese}: 第 2 个字符是控制字符 (U+0001)"), zh.stderr
        assert not re.search(r"[A-Z]{3,}", zh.stderr), zh.stderr
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and en.stderr.startswith(f"error: {english}: character 2 is a control character"), en.stderr


def test_a_file_name_with_a_tab_or_a_line_break_is_refused(loaded, tmp_path):
    """Text may hold a tab or a line break; a file name may not: `report weekly -o $'周报\\n.xlsx'`
    wrote a file whose name no Windows computer or USB stick takes and a listing shows on two lines."""
    for char, code in (("\t", "U+0009"), ("\n", "U+000A"), ("\r", "U+000D")):
        name = tmp_path / f"周{char}报.xlsx"
        for args, option in ((("report", "weekly", "-u", "410105", "--week", "2026-W47", "-o", name), "--output"),
                             (("backup", name), "{文件}")):
            result = run(*args)
            assert result.exit_code == 1, result.stdout
            assert f"{option}: 第 {len(str(tmp_path)) + 3} 个字符是控制字符 ({code})" in result.stderr, result.stderr
        assert not name.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("周", ".周"))]


def test_a_value_of_only_zero_width_characters_is_said_as_holding_nothing(ledger):
    """`-g` (or `--by`, a filter) of only zero-width characters, as pasted from a chat, was taken as
    the empty text it becomes: `找不到网格“”`, `未知问题类别“”`, or no filter at all. It is refused
    naming the option, as holding nothing (exit 1, nothing written), in both languages."""
    before = dump(ledger)
    for args, option in ((_add_with("-g", ZERO_WIDTH[0]), "--grid"),
                         (_add_with("-c", ZERO_WIDTH[1:3]), "--category"),
                         (("--by", ZERO_WIDTH[4], "issue", "add", "-g", GRID, "-c", "占道", "-s", "巡查发现", "-t", "x"),
                          "--by"),
                         (("issue", "list", "--status", ZERO_WIDTH), "--status")):
        zh = run("--db", ledger, *args)
        assert zh.exit_code == 1 and f"{option}: 只有看不见的零宽字符" in zh.stderr, (args, zh.stderr)
        assert "“”" not in zh.stderr and "找不到" not in zh.stderr, zh.stderr
        en = run("--lang", "en", "--db", ledger, *args)
        assert en.exit_code == 1 and f"{option}: holds only zero-width characters" in en.stderr, (args, en.stderr)
    assert dump(ledger) == before
    assert run("--db", ledger, "issue", "list", "--status", "").exit_code == 0     # empty as typed: no filter


def _add_with(option: str, value: str) -> tuple[str, ...]:
    args = {"-g": GRID, "-c": "占道", "-s": "巡查发现", "-t": "占道经营"} | {option: value}
    return ("--by", "P007", "issue", "add", *(x for pair in args.items() for x in pair))
