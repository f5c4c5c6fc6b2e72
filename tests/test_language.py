"""One language at a time: refusals and usage errors carry no word of the other language.

In Chinese (the default) no ASCII word of the catalogue's English side may appear, save codes,
command and option names a clerk types; in English no Chinese from the catalogue, save the
names of things in the ledger (grids, people, categories) that are data.
"""

from __future__ import annotations

import json
import re

import pytest

from gridctl.messages import CATALOGUE
from tests.helpers import MINI, ROOT, command, run

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
_CJK = re.compile(r"[\u3400-\u9fff]+")


def _commands(group, path=()):
    """Every leaf command as its path of names."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands") and command.commands:
            if command.callback is not None and command.invoke_without_command:
                yield (*path, name)
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(_commands(command()))
ENGLISH_WORDS = {w.lower() for _, en in CATALOGUE.values() for w in _ASCII_WORD.findall(_PLACEHOLDER.sub(" ", en))
                 if len(w) > 2} - {"gridctl", "yaml", "xlsx", "csv", "utf", "iso", "sqlite", "json", "gbk", "yyyy",
                                   "jsonl", "bom"}   # format names Chinese help uses too (`.jsonl.gz`, UTF-8 BOM)
DATA_TEXT = MINI + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "configs").glob("*.yaml"))
DATA_CJK = sorted(set(_CJK.findall(DATA_TEXT)), key=len, reverse=True)


def english_leaks(output: str, typed: tuple[str, ...] = ()) -> set[str]:
    """ASCII words of the English catalogue in Chinese output, once options, the command line
    (`gridctl issue reject --help`) and what the user typed are taken out."""
    for value in sorted(typed, key=len, reverse=True):
        if not value.startswith("-"):
            output = output.replace(value, " ")
    text = re.sub(r"gridctl(?: [a-z]+)*", " ", output)
    text = re.sub(r"--?[a-z][a-z-]*", " ", text)
    return {w.lower() for w in _ASCII_WORD.findall(text)} & ENGLISH_WORDS


def chinese_leaks(output: str, typed: tuple[str, ...] = ()) -> list[str]:
    """Chinese left in English output once the ledger's own names and what was typed are removed."""
    for name in [*typed, *DATA_CJK]:
        output = output.replace(name, " ")
    return _CJK.findall(output)


def test_the_leak_checks_catch_leaks():
    assert english_leaks("错误: 缺少选项 --reason") == set()
    assert english_leaks("状态为“dispatched”的问题不能 close") == {"dispatched", "close"}
    assert english_leaks("没有命令“lst”", ("lst",)) == set()
    assert chinese_leaks("no grid 金水区") == []
    assert chinese_leaks("Missing 选项 --reason") == ["选项"]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_usage_errors_in_one_language(path):
    for args in ([*path, "--no-such-option"], [*path, "--json", "--json=x"]):
        zh = run("--lang", "zh", *args)
        assert zh.exit_code == 2, (args, zh.stdout, zh.stderr)
        assert zh.stderr.startswith("错误: "), zh.stderr
        assert not english_leaks(zh.stderr, tuple(args)), (args, zh.stderr)
        en = run("--lang", "en", *args)
        assert en.exit_code == 2
        assert en.stderr.startswith("Error: "), en.stderr
        assert not chinese_leaks(en.stderr), (args, en.stderr)


def test_missing_option_and_bad_values_are_said_in_chinese():
    result = run("issue", "reject", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["错误: 缺少选项 --reason", "用 gridctl issue reject --help 查看用法"]
    result = run("issue", "list", "--limit", "0")
    assert result.exit_code == 2 and "--limit 的取值“0”无效: 应不小于 1" in result.stderr
    result = run("issue", "list", "--limit", "x")
    assert "应为整数" in result.stderr
    result = run("demo", "--scale", "town")
    assert "可选值: township, district, city" in result.stderr
    result = run("issue", "lst")
    assert result.exit_code == 2 and "没有命令“lst”; 是否要用“list”?" in result.stderr
    result = run("issue", "list", "--statu", "x")
    assert "没有选项 --statu (可能是: --status)" in result.stderr
    result = run("--lang", "en", "issue", "reject", "1")
    assert result.stderr.splitlines() == ["Error: Missing option --reason.",
                                         "Try 'gridctl issue reject --help' for help."]


def test_every_usage_error_says_where_to_find_the_usage():
    """An option given without its value (`--days` last) or a flag given one (`--json=x`) said
    `选项 --days 需要一个值` alone, without the help line every other usage error carries: Click's
    parser raises them naming no command. Now each says the command's `--help`, zh and en."""
    cases = [(("issue", "extend", "1", "--reason", "x", "--days"), "选项 --days 需要一个值",
              "Option --days requires a value.", "gridctl issue extend"),
             (("issue", "list", "--json=x"), "选项 --json 不接受值", "Option --json does not take a value.",
              "gridctl issue list"),
             (("--db",), "选项 --db 需要一个值", "Option --db requires a value.", "gridctl"),
             (("issue", "list", "--limit"), "选项 --limit 需要一个值", "Option --limit requires a value.",
              "gridctl issue list"),
             (("issue", "show", "1", "2"), "多余的参数: 2", "Got unexpected extra arguments: 2", "gridctl issue show")]
    for args, chinese, english, command in cases:
        zh = run("--lang", "zh", *args)   # (in one process the last run's language stays otherwise)
        assert zh.exit_code == 2, (args, zh.stderr)
        assert zh.stderr.splitlines() == [f"错误: {chinese}", f"用 {command} --help 查看用法"], zh.stderr
        en = run("--lang", "en", *args)
        assert en.exit_code == 2, (args, en.stderr)
        assert en.stderr.splitlines() == [f"Error: {english}", f"Try '{command} --help' for help."], en.stderr
    said = run("--lang", "zh", "issue", "list", "--json", "--limit")
    assert said.json()["error"]["message"] == "选项 --limit 需要一个值"
    assert said.stderr.splitlines()[-1] == "用 gridctl issue list --help 查看用法"


def test_lang_given_before_an_unknown_command_is_honoured():
    assert run("--lang", "en", "isue").stderr.startswith("Error: No such command 'isue'.")
    assert run("--lang", "zh", "isue").stderr.startswith("错误: 没有命令“isue”")


# Refusals (exit 1) of every command group on a small township ledger. Values typed are ASCII
# where the refusal should not depend on them, so the English run shows only its own words.
REFUSALS = [
    ("check", "nowhere"),
    ("load", "nowhere"),
    ("init", "--node", "12"),
    ("grid", "show", "nowhere"),
    ("grid", "tree", "nowhere"),
    ("duty", "who", "--category", "nothing", "--grid", "410105001001001"),
    ("issue", "add", "-g", "410105001001001", "-c", "nothing", "-s", "巡查发现", "-t", "x"),
    ("issue", "add", "-g", "410105001001001", "-c", "illegal_building", "-s", "rumour", "-t", "x"),
    ("issue", "add", "-g", "410105001001001", "-c", "illegal_building", "-s", "patrol", "-t", "x",
     "--found-at", "yesterday"),
    ("issue", "add", "-g", "410105001001001", "-c", "illegal_building", "-s", "patrol", "-t", "roof",
     "--at", "2026-11-20 10:00"),                                      # a possible duplicate of issue 1
    ("issue", "reject", "1", "--reason", "x", "--duplicate-of", "1"),
    ("issue", "reject", "1", "--reason", "x", "--duplicate-of", "99"),
    ("issue", "accept", "99"),
    ("issue", "close", "1"),
    ("issue", "callback", "1", "--result", "great"),
    ("issue", "extend", "1", "--days", "0", "--reason", "x", "--approver", "P001"),
    ("issue", "show", "99"),
    ("issue", "list", "--status", "lost"),
    ("issue", "list", "--colour", "purple"),
    ("issue", "list", "--since", "someday"),
    ("issue", "import", "nowhere.csv"),
    ("issue", "export", "-o", "out.txt"),
    ("patrol", "add", "-p", "P001", "-g", "410105001001001", "-d", "2099-01-01"),
    ("patrol", "add", "-p", "nobody", "-g", "410105001001001", "-d", "2026-11-20"),
    ("patrol", "add", "-p", "P002", "-g", "410105001001001", "-d", "2026-13-01"),
    ("patrol", "missing", "--week", "week47"),
    ("patrol", "void", "99", "--reason", "x"),
    ("meeting", "add", "--unit", "T99", "-d", "2026-11-20", "--kind", "碰头会"),
    ("meeting", "missing", "--week", "47"),
    ("attendance", "add", "-p", "nobody", "-d", "2026-11-20", "--kind", "leave"),
    ("study", "add", "-p", "P002", "-d", "2026-11-20", "--kind", "dance"),
    ("publicity", "add", "-p", "P002", "-d", "2099-11-20", "--kind", "工作动态", "--title", "x"),
    ("survey", "add", "--team", "T01", "-d", "2026-11-20", "--participants", "10", "-p", "P003",
     "--satisfied", "5", "--fair", "3", "--unsatisfied", "2"),
    ("report", "weekly", "--week", "2026-W47", "--unit", "nowhere", "-o", "w.xlsx"),
    ("report", "monthly", "--unit", "410105001", "--month", "November", "-o", "m.xlsx"),
    ("report", "notice", "-g", "nowhere", "-o", "n.xlsx"),
    ("score", "--quarter", "Q4"),
    ("score", "explain", "--person", "P001", "--quarter", "2026Q4"),
    ("bundle", "-o", "b.jsonl.gz", "--since", "nowhere.json"),
    ("merge", "nowhere.jsonl.gz"),
    ("register", "list", "nothing"),          # the kinds offered: 户 | 人 | … in Chinese, household | … in English
]


@pytest.fixture
def mini_township(mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRIDCTL_USER", "P001")
    assert run("init", "--node", "410105001").exit_code == 0
    assert run("load", mini, "--as-of", "2026-01-01").exit_code == 0
    added = run("issue", "add", "-g", "410105001001001", "-c", "illegal_building", "-s", "patrol",
                "-t", "roof", "--at", "2026-11-20 09:00")
    assert added.exit_code == 0, added.stderr
    return mini


def test_refusals_in_one_language(mini_township):
    for args in REFUSALS:
        zh = run("--lang", "zh", *args)
        assert zh.exit_code == 1, (args, zh.stdout, zh.stderr)
        assert not english_leaks(zh.stderr, args), (args, zh.stderr)
        en = run("--lang", "en", *args)
        assert en.exit_code == 1, (args, en.stderr)
        assert not chinese_leaks(en.stderr, args), (args, en.stderr)


@pytest.mark.parametrize("lang, words", [("zh", "缺少选项 --reason"), ("en", "missing option --reason")])
def test_a_usage_error_under_json_is_a_json_error_too(lang, words):
    """A script asking for --json reads one shape whatever went wrong: {"error": {code, params, message}}."""
    result = run("--lang", lang, "issue", "reject", "1", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "usage.missing" and error["params"] == {}
    assert words in error["message"].lower()
    assert words in result.stderr.lower()                 # and said to the person, as without --json


def test_english_says_one_issue_not_one_issues(loaded, tmp_path):
    from tests.helpers import ok

    ok("issue", "add", "-g", "金水区/经八路街道/黄河路社区/1号楼院", "-c", "非法建设", "-s", "巡查发现",
       "-t", "楼顶私搭乱建", "--at", "2026-11-20 09:00", by="P007")
    one = run("--lang", "en", "issue", "export", "-o", tmp_path / "one.csv")
    assert one.exit_code == 0 and "exported 1 issue to" in one.stdout + one.stderr
    ok("issue", "add", "-g", "金水区/经八路街道/黄河路社区/1号楼院", "-c", "非法建设", "-s", "巡查发现",
       "-t", "二楼阳台违建", "--at", "2026-11-21 09:00", "--force", by="P007")
    two = run("--lang", "en", "issue", "export", "-o", tmp_path / "two.csv")
    assert "exported 2 issues to" in two.stdout + two.stderr
    zh = run("issue", "export", "-o", tmp_path / "zh.csv")
    assert "已导出 2 条" in zh.stdout + zh.stderr


def test_the_language_is_taken_in_capitals_too(tmp_path, monkeypatch):
    """`GRIDCTL_LANG=EN` (or `--lang ZH`), as a Windows set or a habit writes it, was a usage error
    in English (`Error: Invalid value “EN” for --lang`), for every command. Taken as en and zh."""
    monkeypatch.setenv("GRIDCTL_DB", str(tmp_path / "l.db"))
    assert run("init").exit_code == 0
    monkeypatch.setenv("GRIDCTL_LANG", "EN")
    english = run("grid", "show", "")
    assert english.exit_code == 1 and english.stderr.startswith("error: no grid given"), english.stderr
    chinese = run("--lang", "ZH", "grid", "show", "")
    assert chinese.exit_code == 1 and chinese.stderr.startswith("错误: 没有给出网格"), chinese.stderr
    monkeypatch.setenv("GRIDCTL_LANG", "fr")
    assert run("issue", "list").exit_code == 2


def test_a_bad_language_in_the_environment_is_said_as_the_variable(loaded, monkeypatch):
    """`GRIDCTL_LANG=fr gridctl status` said `--lang 的取值“fr”无效`: the clerk typed no --lang, and
    looked for it on the command line. Said now as the environment variable that holds it; a
    `--lang` given on the command line wins over the variable, as before."""
    monkeypatch.setenv("GRIDCTL_LANG", "fr")
    said = run("status")
    assert said.exit_code == 2, said.stderr
    assert said.stderr.startswith("错误: 环境变量 GRIDCTL_LANG 的取值“fr”无效: 可选值: zh, en"), said.stderr
    assert run("--lang", "en", "status").exit_code == 0
    typed = run("--lang", "de", "status")
    assert typed.exit_code == 2 and "--lang 的取值“de”无效" in typed.stderr


def test_english_refusals_name_sources_and_headers_in_english(loaded, tmp_path):
    """In English, `issue add --patrol` with another source said `must have source 巡查发现` (the
    English source is `patrol`), and a register sheet of unknown headers expected `户主/人口, 姓名,
    场所类别 or 组织类别` (the English sheet's headers are head/size, name, place_kind, org_kind).
    Both now in English words."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    patrol = run("--by", "P007", "patrol", "add", "-p", "P007", "-g", "黄河路社区/1号楼院", "-d", "2026-11-20")
    assert patrol.exit_code == 0, patrol.stderr
    linked = run("--lang", "en", "--by", "P007", "issue", "add", "-g", "410105001001001", "-c", "占道", "-s", "hotline",
                 "-t", "x", "--patrol", "1")
    assert linked.exit_code == 1 and "must have the source patrol (-s patrol)" in linked.stderr, linked.stderr
    assert not cjk.search(linked.stderr), linked.stderr
    sheet = tmp_path / "u.csv"
    sheet.write_text("grid,colour\n410105001001001,red\n", encoding="utf-8")
    unknown = run("--lang", "en", "--by", "P007", "register", "import", sheet)
    assert unknown.exit_code == 1 and "expected head/size, name, place_kind or org_kind" in unknown.stderr
    assert not cjk.search(unknown.stderr), unknown.stderr


def test_a_missing_argument_is_named_as_its_help_names_it():
    """`gridctl backup` said 缺少参数 file (`issue show`: issue, `load`: folder): the argument's
    English code in the Chinese surface, where its --help names it 文件 / 问题编号 / 文件夹. Named as
    the help names it now; English unchanged."""
    for args, chinese, english in ((("backup",), "文件", "file"), (("issue", "show"), "问题编号", "issue"),
                                   (("load",), "文件夹", "folder"), (("register", "show"), "条目编号", "entry"),
                                   (("patrol", "link"), "巡查编号", "patrol"), (("grid", "show"), "网格", "node")):
        zh = run("--lang", "zh", *args)
        assert zh.exit_code == 2 and zh.stderr.splitlines()[0] == f"错误: 缺少参数 {chinese}", (args, zh.stderr)
        assert chinese in run("--lang", "zh", *args, "--help").stdout
        en = run("--lang", "en", *args)
        assert en.exit_code == 2 and en.stderr.splitlines()[0] == f"Error: Missing argument {english}.", en.stderr


def test_an_import_names_its_columns_in_the_screen_s_language(loaded, tmp_path):
    """Under --lang en an import's unknown-column refusal listed the sheet's Chinese headers
    (`this sheet takes: 网格编码、问题类别、…`), and a missing or faulty column was named by its
    Chinese header (`u.csv:1: 问题类别: required column is missing`); a sheet takes either. Said in
    English headers now; Chinese unchanged."""
    unknown = tmp_path / "u.csv"
    unknown.write_text("grid,colour\n410105001001001,red\n", encoding="utf-8")
    en = run("--lang", "en", "issue", "import", unknown)
    assert en.exit_code == 1, en.stderr
    assert ("this sheet takes: grid, category, source, title, found_at, reporter, place, phone, ref, reported_at"
            in en.stderr), en.stderr
    assert f"{unknown}:1: category: required column is missing" in en.stderr, en.stderr
    assert not chinese_leaks(en.stderr), en.stderr
    zh = run("--lang", "zh", "issue", "import", unknown)
    assert "此表可用的列: 网格编码、问题类别、来源、问题描述" in zh.stderr and f"{unknown}:1: 问题类别: 缺少必需的列" in zh.stderr
    patrols = run("--lang", "en", "patrol", "import", unknown)
    assert "this sheet takes: date, person, grid, households, notes, found, visited" in patrols.stderr, patrols.stderr
    assert not chinese_leaks(patrols.stderr), patrols.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("网格编码,问题类别,来源,问题描述,发现时间\n999,非法建设,热线,x,2026-11-20 09:00\n", encoding="utf-8")
    en = run("--lang", "en", "issue", "import", bad)
    assert en.exit_code == 1 and f"{bad}:2: grid: grid “999” does not exist" in en.stderr, en.stderr
    assert f"{bad}:2: 网格编码: 网格“999”不存在" in run("--lang", "zh", "issue", "import", bad).stderr
