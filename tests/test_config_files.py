"""gridctl's own config files (scoring.yaml, conduct.yaml, calendar.yaml, register.yaml, sources.yaml,
headers.yaml) are read through the line-keeping reader: a missing or wrong value, or a key gridctl
does not read, is named with its file, line and key."""

from __future__ import annotations

import pytest

from gridctl.errors import InputProblems
from gridctl.issues.calendar import load_calendar
from gridctl.records.rules import load_rules
from gridctl.config.scoring import load_scoring
from tests.helpers import ROOT


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def problem(load, path):
    with pytest.raises(InputProblems) as caught:
        load(path)
    [found] = caught.value.problems
    return found


def test_a_wrong_number_in_scoring_is_named_at_its_line(tmp_path):
    text = (ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
    path = tmp_path / "scoring.yaml"
    path.write_text(text.replace("per_missed: 1 ", "per_missed: -1", 1), encoding="utf-8")
    found = problem(load_scoring, path)
    assert (found.file, found.line, found.field) == (str(path), line_of(text, "per_missed: 1 "), "per_missed")


def test_a_missing_section_in_scoring_names_the_mapping_that_lacks_it(tmp_path):
    text = (ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
    path = tmp_path / "scoring.yaml"
    path.write_text(text.replace("grades:", "grades_misspelt:", 1), encoding="utf-8")
    found = problem(load_scoring, path)
    top = next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#"))
    assert found.field == "grades" and found.line == top        # the line the top mapping starts on


def test_a_bad_count_in_conduct_is_named_at_its_line(tmp_path):
    text = (ROOT / "configs" / "conduct.yaml").read_text(encoding="utf-8")
    path = tmp_path / "conduct.yaml"
    path.write_text(text.replace("survey_min_participants: 50", "survey_min_participants: many"), encoding="utf-8")
    found = problem(load_rules, path)
    assert (found.line, found.field) == (line_of(text, "survey_min_participants"), "survey_min_participants")


def test_a_bad_date_in_the_calendar_is_named_at_its_line(tmp_path):
    text = (ROOT / "configs" / "calendar.yaml").read_text(encoding="utf-8")
    path = tmp_path / "calendar.yaml"
    path.write_text(text.replace('"2026-01-04"', '"2026-01-40"'), encoding="utf-8")
    found = problem(load_calendar, path)
    assert found.field == "workdays" and found.line == line_of(text, '"2026-01-04"')


@pytest.mark.parametrize(("old", "new", "lang", "said"), [
    ("per_missed: 1 ", "per_missed: abc", "zh", "per_missed: 考核配置中应为不小于 0 的数: “abc”"),
    ("grades:", "grades_misspelt:", "zh", "grades: 考核配置缺少此项"),
    ("min_tier: 较好", "min_tier: 超好", "zh", "awards.min_tier: 考核配置的取值“超好”无效 (可选: 好 | 较好 | 一般 | 差)"),
    ("not_rated: prorate", "not_rated: maybe", "en",
     "rules.not_rated: the scoring configuration: “maybe” is not one of prorate | full | zero"),
])
def test_a_wrong_scoring_file_is_said_in_the_clerk_s_words(loaded, tmp_path, old, new, lang, said):
    """`score --config` with a wrong value said Python's words after 考核配置有误: (`could not convert
    string to float: 'abc'`, `'grades'`, `rules.not_rated: maybe not in ('prorate', 'full', 'zero')`), and
    a wrong choice was placed at the line of the last key read (awards.units)."""
    from tests.helpers import run

    text = (ROOT / "configs" / "scoring.yaml").read_text(encoding="utf-8")
    path = tmp_path / "scoring.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("--lang", lang, "score", "--quarter", "2026Q4", "--config", path)
    shown = result.stdout + result.stderr
    assert result.exit_code == 1 and said in shown, shown
    assert "could not" not in shown and " not in (" not in shown and "units" not in shown, shown


@pytest.mark.parametrize("text", ["", "# 考核配置\n\n", "---\n"])
def test_an_empty_scoring_file_is_said_to_be_empty(loaded, tmp_path, text):
    """`score --config empty.yaml` said `empty.yaml: scoring: 考核配置缺少此项 (或其上一级)`: the file
    holds nothing (or comments only), and is said so, zh and en; the ledger is not touched."""
    from tests.helpers import run

    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    zh = run("score", "--quarter", "2026Q4", "--config", path)
    assert zh.exit_code == 1 and f"{path}: 文件是空的: 没有一项考核配置" in zh.stderr, zh.stderr
    assert "缺少此项" not in zh.stderr
    en = run("--lang", "en", "score", "--quarter", "2026Q4", "--config", path, "--json")
    assert en.exit_code == 1 and en.json()[0]["code"] == "scoring.empty", en.stdout
    assert "the file is empty: no scoring configuration at all" in en.json()[0]["message"]
    listed = (tmp_path / "list.yaml")
    listed.write_text("- grades\n", encoding="utf-8")   # not empty: said as before
    assert "缺少此项" in run("score", "--quarter", "2026Q4", "--config", listed).stderr


@pytest.mark.parametrize(("name", "old", "new", "command", "said"), [
    ("conduct.yaml", "    per_week: 1        # ... for each", "    per_week: abc        # ... for each",
     ("patrol", "missing", "--week", "2026-W47"), "per_week: 巡查与会议规则配置有误: 取值不对"),
    ("conduct.yaml", "  - who: team          # every", "  - who: teams          # every",
     ("patrol", "missing", "--week", "2026-W47"), "who 应为 team 或 post (post 还须给出 roles): “teams”"),
    ("calendar.yaml", "weekend: [6, 7]", "weekend: [sat, sun]",
     ("issue", "list"), "weekend: 日历配置有误: 取值不对"),
    # a misspelt top-level key was ignored: no patrol owed, the default windows, no use weights
    ("conduct.yaml", "\npatrols:", "\npatrolsx:", ("patrol", "missing", "--week", "2026-W47"), "patrolsx: 未知的项"),
    ("calendar.yaml", "\nwindows:", "\nwindow:", ("issue", "list"), "window: 未知的项"),
    ("scoring.yaml", "\nuse:", "\nuses:", ("score", "--quarter", "2026Q4"), "uses: 未知的项 (拼错了吗?"),
])
def test_a_wrong_conduct_or_calendar_file_is_said_in_the_clerk_s_words(loaded, tmp_path, monkeypatch, name, old,
                                                                      new, command, said):
    """They said Python's words (`invalid literal for int() with base 10: 'abc'`, a rule's dict); a
    misspelt top-level key (scoring.yaml's too) was ignored without a word."""
    import shutil

    from tests.helpers import run

    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", configs)
    text = (configs / name).read_text(encoding="utf-8")
    assert old in text
    (configs / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("GRIDCTL_CONFIGS", str(configs))
    load_calendar.cache_clear()          # each command is a process of its own; the tests share one
    load_rules.cache_clear()
    try:
        result = run(*command)
    finally:
        load_calendar.cache_clear()
        load_rules.cache_clear()
    shown = result.stdout + result.stderr
    assert result.exit_code == 1 and said in shown, shown
    assert "invalid literal" not in shown and "{" not in shown, shown


UNREAD_KEYS = [
    # (file, old, new, the key refused, command); each was ignored without a word, but duties.yaml's
    # top-level sections (read by check/load as a YAML folder's are)
    ("register.yaml", "\ntags:", "\ntagz:", "tagz", ("register", "due", "--grid", "黄河路社区", "--month", "2026-11")),
    ("register.yaml", "独居老人: {cadence: month}", "独居老人: {cadense: month}", "cadense",
     ("register", "due", "--grid", "黄河路社区", "--month", "2026-11")),
    ("sources.yaml", "\naliases:", "\naliasez:", "aliasez",
     ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "占道经营")),
    ("sources.yaml", "  hotline:", "  hotlin:", "hotlin",
     ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "占道经营")),
    ("headers.yaml", "\naliases:", "\naliasez:", "aliasez", ("--by", "P007", "issue", "import", "issues.csv")),
    ("duties.yaml", "\nroles:", "\nrolez:", "rolez", ("check", "EXAMPLE")),
    # a level down: calendar.yaml's windows and years, conduct.yaml's rules (kept the default: 0.8, 1 a week)
    ("calendar.yaml", "  yellow_at:", "  yelow_at:", "yelow_at",
     ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "占道经营")),
    ("calendar.yaml", "    provisional:", "    provisonal:", "provisonal",
     ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "占道经营")),
    ("conduct.yaml", "    per_week: 1        # ... for each", "    per_wek: 1        # ... for each", "per_wek",
     ("patrol", "missing", "--week", "2026-W48")),
]


def _with_config(tmp_path, monkeypatch, name: str, old: str, new: str) -> str:
    """A copy of configs/ with one file's text changed, in force for the test; the changed text."""
    import shutil

    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", configs)
    text = (configs / name).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    (configs / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("GRIDCTL_CONFIGS", str(configs))
    return text


def _refused_at_line(command: tuple, at: str, zh: str, en: str) -> None:
    """`command` refused (exit 1) in each language, its stderr naming the line (`at`: file:line: key: )
    and then saying `zh`, or `en` under `--lang en`."""
    for lang, words in (("zh", zh), ("en", en)):
        result = _run_afresh("--lang", lang, *command)
        assert result.exit_code == 1 and at + words in result.stderr, (lang, command, result.stderr)


def _run_afresh(*command):
    """Run with the config files read again (each command is a process of its own; the tests share one)."""
    from gridctl import sheets
    from gridctl.issues import sources
    from gridctl.register.config import load_register_config
    from tests.helpers import run

    from gridctl.issues.calendar import load_calendar
    from gridctl.records.rules import load_rules

    caches = (load_register_config, sources._aliases, sheets._header_aliases, load_calendar, load_rules)
    for cache in caches:
        cache.cache_clear()
    try:
        return run(*command)
    finally:
        for cache in caches:
            cache.cache_clear()


@pytest.mark.parametrize(("name", "old", "new", "key", "command"), UNREAD_KEYS)
def test_a_key_gridctl_does_not_read_is_refused_at_its_line(loaded, tmp_path, monkeypatch, name, old, new, key,
                                                            command):
    """register.yaml, sources.yaml and headers.yaml ignored a misspelt key without a word (`tagz:`
    left no visit due, `hotlin:` no alias of 热线电话), as conduct/calendar/scoring did before."""
    from tests.helpers import EXAMPLE

    text = _with_config(tmp_path, monkeypatch, name, old, new)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "issues.csv").write_text("网格,类别,来源,描述,发现时间\n黄河路社区/1号楼院,占道,巡查发现,占道经营,"
                                         "2026-11-20 09:00\n", encoding="utf-8")
    for lang, words in (("zh", "未知的"), ("en", "unknown ")):
        result = _run_afresh("--lang", lang, *(EXAMPLE if c == "EXAMPLE" else c for c in command))
        shown = result.stdout + result.stderr
        at = f"{tmp_path / 'configs' / name}:{line_of(text, key + ':')}: {key}: "
        assert result.exit_code == 1 and at + words in shown, shown
        assert "Traceback" not in shown and "内部错误" not in shown


@pytest.mark.parametrize("name", ["sources.yaml", "headers.yaml"])
def test_aliases_of_the_wrong_shape_are_refused_not_a_crash(loaded, tmp_path, monkeypatch, name):
    """`aliases: [a, b]` (a list, not a mapping) was exit 3 (AttributeError: 'list' object has no
    attribute 'items'); a single word (`hotline: 热线`) is a list of one, not its characters."""
    import re

    text = (ROOT / "configs" / name).read_text(encoding="utf-8")
    block = re.search(r"\naliases:\n(?:  .*\n)+", text)[0]
    _with_config(tmp_path, monkeypatch, name, block, "\naliases: [网格, 描述]\n")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "issues.csv").write_text("网格编码,问题类别,来源,问题描述,发现时间\n", encoding="utf-8")
    command = (("issue", "import", "issues.csv") if name == "headers.yaml" else
               ("issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "占道经营"))
    result = _run_afresh("--by", "P007", *command)
    shown = result.stdout + result.stderr
    assert result.exit_code == 1 and f"{name}:{line_of(text, 'aliases:')}: aliases: 格式不对" in shown, shown


def test_one_alias_written_alone_is_that_word(loaded, tmp_path, monkeypatch):
    _with_config(tmp_path, monkeypatch, "sources.yaml", "hotline: [热线, 12345, 市长热线, 12345热线]", "hotline: 热线")
    result = _run_afresh("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线",
                         "-t", "占道经营", "--json")
    assert result.exit_code == 0 and result.json()["source"] == "hotline", result.stderr
    result = _run_afresh("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热",
                         "-t", "占道经营二")
    assert result.exit_code == 1, result.stdout


def test_a_wrong_visit_cadence_is_said_at_its_line_in_the_clerk_s_words(loaded, tmp_path, monkeypatch):
    """It said Python's words, in English and without a line (`社区矫正: cadence weekly (week | …)`)."""
    text = _with_config(tmp_path, monkeypatch, "register.yaml", "社区矫正: {cadence: week}", "社区矫正: {cadence: weekly}")
    result = _run_afresh("register", "due", "--grid", "黄河路社区", "--month", "2026-11")
    shown = result.stdout + result.stderr
    assert result.exit_code == 1, shown
    assert (f"register.yaml:{line_of(text, '社区矫正')}: cadence: 基础信息配置 (register.yaml) 有误: "
            "走访周期应为 week | month | quarter | year | none 之一: “weekly”") in shown, shown


def test_an_alias_list_under_a_key_that_is_no_import_header_is_refused_at_its_line(loaded, tmp_path, monkeypatch):
    """headers.yaml's keys are the headers its aliases stand for. A key that is none of the import
    sheets' headers (issues, patrols, surveys, the register) made its aliases silently unused: a
    sheet headed 网格 was refused for lacking 网格编码 though headers.yaml listed 网格. Each such key
    is refused at its line, naming the nearest header and the headers there are, together with
    the file's other problems; a register header (户主) and an English one (grid) stay good keys."""
    text = _with_config(tmp_path, monkeypatch, "headers.yaml", "\n  网格编码: [", "\n  网格编号: [")
    text += "  grid: [gridcode]\n  外来人口: [流动人口]\n  满意: {a: 1}\n"
    (tmp_path / "configs" / "headers.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "issues.csv").write_text("网格编码,问题类别,来源,问题描述,发现时间\n", encoding="utf-8")
    path = tmp_path / "configs" / "headers.yaml"
    zh = _run_afresh("issue", "import", "issues.csv")
    shown = zh.stdout + zh.stderr
    assert zh.exit_code == 1 and "内部错误" not in shown, shown
    assert f"{path}:{line_of(text, '网格编号:')}: 网格编号: 不是导入表的表头, 这些别名不会被用上; 是指“网格编码”吗?" in shown
    assert f"{path}:{line_of(text, '外来人口:')}: 外来人口: 不是导入表的表头" in shown
    assert f"{path}:{line_of(text, '满意: {')}: 满意: 格式不对" in shown          # shown with them, once
    assert "表头有: 网格编码、问题类别" in shown and "户主" in shown and "grid" not in shown
    assert "发现 3 个问题" in shown
    en = _run_afresh("--lang", "en", "issue", "import", "issues.csv")
    said = en.stdout + en.stderr
    assert en.exit_code == 1 and "网格编号: not a header of an import sheet" in said, said
    assert "the headers are: grid, category, source" in said and "网格编码、" not in said


def test_a_weekend_day_that_is_no_weekday_is_refused_at_its_line(loaded, tmp_path, monkeypatch):
    """`weekend: [6, 8]` (ISO weekdays are 1-7) was taken: Sunday became a working day, silently."""
    text = _with_config(tmp_path, monkeypatch, "calendar.yaml", "weekend: [6, 7]", "weekend: [6, 8]")
    command = ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "占道经营")
    at = f"{tmp_path / 'configs' / 'calendar.yaml'}:{line_of(text, 'weekend:')}: weekend: "
    _refused_at_line(command, at, "日历配置有误: 周末的日子应为 1 (周一) 到 7 (周日) 之间的数字: “8”",
                     "the calendar configuration is wrong: weekend days are numbers from 1")


def test_a_list_where_a_role_goes_is_said_as_that_not_as_python_s_repr(loaded, tmp_path, monkeypatch):
    """`- [网格长]` under roles: was refused as 应为非空文本: “['网格长']”, Python's list on screen."""
    from tests.helpers import EXAMPLE

    text = _with_config(tmp_path, monkeypatch, "duties.yaml", "\n  - 网格长", "\n  - [网格长]")
    at = f"{tmp_path / 'configs' / 'duties.yaml'}:{line_of(text, 'roles:')}: roles: "     # the section's line
    zh = _run_afresh("check", EXAMPLE)
    assert zh.exit_code == 1 and at + "应为一个词 (每行写一个: - 网格长), 不是列表或键值" in zh.stderr, zh.stderr
    assert "['" not in zh.stderr
    en = _run_afresh("--lang", "en", "check", EXAMPLE)
    assert en.exit_code == 1 and at + "must be one word (one a line: - 网格长), not a list or a mapping" in en.stderr


def test_a_wrong_who_in_conduct_is_refused_at_its_line(loaded, tmp_path, monkeypatch):
    """`who: teem` under patrols was refused without its line (`conduct.yaml: conduct: …`), unlike
    every other config error; under meetings it was taken as `team` without a word. Both are
    refused at the rule's `who:` line, in both languages."""
    command = ("patrol", "missing", "--week", "2026-W47")
    text = _with_config(tmp_path, monkeypatch, "conduct.yaml", "  - who: team          # every", "  - who: teem          # every")
    at = f"{tmp_path / 'configs' / 'conduct.yaml'}:{line_of(text, 'who: teem')}: who: "
    _refused_at_line(command, at, "巡查与会议规则配置有误: who 应为 team 或 post (post 还须给出 roles): “teem”",
                     "the conduct rules are wrong: who is team or post")

    text = _with_config(tmp_path / "m", monkeypatch, "conduct.yaml", "meetings:\n  - who: team", "meetings:\n  - who: teem")
    at = f"{tmp_path / 'm' / 'configs' / 'conduct.yaml'}:{line_of(text, 'who: teem')}: who: "
    _refused_at_line(command, at, "巡查与会议规则配置有误: 会议规则的 who 应为 team (每个工作队): “teem”",
                     "the conduct rules are wrong: a meeting rule's who is team (each work team): “teem”")


def test_configs_naming_no_folder_is_said_as_that(loaded, tmp_path, monkeypatch):
    """`GRIDCTL_CONFIGS=/opt/gridctl/config` (a typo, or a file) said `…/calendar.yaml: 找不到文件
    …/calendar.yaml` (or duties.yaml, scoring.yaml: whichever the command read first), as if one
    file were missing. It says the variable names no folder, and how to go back to the defaults."""
    from tests.helpers import EXAMPLE, run

    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    for where in (tmp_path / "nowhere", tmp_path / "a-file"):
        monkeypatch.setenv("GRIDCTL_CONFIGS", str(where))
        for args in (("issue", "list"), ("check", EXAMPLE), ("score", "--quarter", "2026Q3")):
            zh = _run_afresh(*args)
            assert zh.exit_code == 1 and f"环境变量 GRIDCTL_CONFIGS 指向的 {where} 不是文件夹" in zh.stderr, zh.stderr
            assert "unset GRIDCTL_CONFIGS" in zh.stderr and "找不到文件" not in zh.stderr
            en = _run_afresh("--lang", "en", *args)
            assert en.exit_code == 1 and f"GRIDCTL_CONFIGS names {where}, which is not a folder" in en.stderr
    assert run("--help").exit_code == 0


EMPTY_CONFIGS = [
    # (file, its words when empty zh / en, a command that reads it and would write)
    ("conduct.yaml", "文件是空的: 没有一条巡查、会议规则", "the file is empty: no patrol or meeting rule at all",
     ("--by", "P007", "survey", "add", "--team", "T01", "-d", "2026-11-25", "--participants", "56", "-p", "P102",
      "--satisfied", "48", "--fair", "6", "--unsatisfied", "2")),
    ("calendar.yaml", "文件是空的: 没有工作日历", "the file is empty: no working calendar",
     ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "hotline", "-t", "占道经营")),
    ("register.yaml", "文件是空的: 没有基础信息的标签、走访周期", "the file is empty: no register tags, visit cadences",
     ("--by", "P007", "register", "add", "household", "--grid", "黄河路社区/1号楼院", "--address", "1号楼1单元101")),
]


@pytest.mark.parametrize("text", ["", "# 本市自定\n\n", "---\n"])
@pytest.mark.parametrize(("name", "chinese", "english", "command"), EMPTY_CONFIGS)
def test_an_empty_rules_calendar_or_register_file_is_said_to_be_empty(loaded, tmp_path, monkeypatch, text, name,
                                                                      chinese, english, command):
    """An empty conduct.yaml (or comments only) was read as no rule: nobody owed a patrol, every
    week's missing list and the scores' missed weeks were empty; an empty calendar.yaml counted
    deadlines with no holiday and 09:00-17:00; an empty register.yaml left no tag, cadence or
    residence type (every 户籍类型 refused against an empty list). Each is refused as empty, naming
    the file and the copy gridctl ships (whose comments say each key), zh and en, nothing written."""
    from gridctl.paths import shipped_configs
    from tests.helpers import ok

    events = ok("status", "--json")
    configs = tmp_path / "configs"
    _with_config(tmp_path, monkeypatch, name, "version", "version")
    (configs / name).write_text(text, encoding="utf-8")
    zh = _run_afresh(*command)
    assert zh.exit_code == 1, zh.stdout + zh.stderr
    assert f"{configs / name}: {chinese}" in zh.stderr and f"gridctl 自带的 {shipped_configs() / name}" in zh.stderr, zh.stderr
    en = _run_afresh("--lang", "en", *command)
    assert en.exit_code == 1 and f"{configs / name}: {english}" in en.stderr, en.stderr
    assert f"its keys: gridctl's own {shipped_configs() / name}" in en.stderr
    assert ok("status", "--json") == events


@pytest.mark.parametrize("name", ["sources.yaml", "headers.yaml"])
def test_an_empty_alias_file_adds_no_words_as_a_missing_one(loaded, tmp_path, monkeypatch, name):
    """sources.yaml and headers.yaml only add words clerks write (热线, 网格): empty, they add none,
    as when the file is missing (an older configs folder); gridctl's own words are still taken and
    an alias is refused as unknown, not taken silently as something else."""
    configs = tmp_path / "configs"
    _with_config(tmp_path, monkeypatch, name, "aliases", "aliases")
    (configs / name).write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    add = ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-t", "占道经营", "-s")
    sheet = "{grid},问题类别,来源,问题描述,发现时间\n黄河路社区/1号楼院,占道,巡查发现,占道经营,2026-11-20 09:00\n"
    (tmp_path / "own.csv").write_text(sheet.format(grid="网格编码"), encoding="utf-8")
    (tmp_path / "alias.csv").write_text(sheet.format(grid="网格"), encoding="utf-8")
    if name == "sources.yaml":
        assert _run_afresh(*add, "hotline").exit_code == 0
        assert _run_afresh(*add, "热线").exit_code == 1
    else:
        assert _run_afresh("--by", "P007", "issue", "import", "own.csv").exit_code == 0
        refused = _run_afresh("--by", "P007", "issue", "import", "alias.csv")
        assert refused.exit_code == 1 and "网格" in refused.stderr, refused.stderr


@pytest.mark.parametrize(("name", "command"), [
    ("conduct.yaml", ("patrol", "missing", "--week", "2026-W47")),
    ("calendar.yaml", ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "hotline", "-t", "x")),
    ("register.yaml", ("register", "due", "--grid", "黄河路社区", "--month", "2026-11")),
    ("scoring.yaml", ("score", "--quarter", "2026Q4")),
    ("sources.yaml", ("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "热线", "-t", "x")),
    ("headers.yaml", ("--by", "P007", "issue", "import", "issues.csv", "--dry-run")),
    ("duties.yaml", ("load", "EXAMPLE")),
])
def test_a_config_file_that_is_a_folder_is_said_as_that(loaded, tmp_path, monkeypatch, name, command):
    """A folder in place of a config file under GRIDCTL_CONFIGS (`mkdir conduct.yaml`, a copy gone
    wrong) was said `conduct.yaml 是文件夹; 请给出文件名`, as if the clerk had named it; a folder named
    sources.yaml or headers.yaml was passed over as a missing file (no aliases, no word). Each is
    said as a folder where a configuration file goes, naming the copy gridctl ships; nothing written."""
    from gridctl.paths import shipped_configs
    from tests.helpers import EXAMPLE, ok

    _with_config(tmp_path, monkeypatch, name, "", "")
    folder = tmp_path / "configs" / name
    folder.unlink()
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "issues.csv").write_text("网格编码,问题类别,来源,问题描述,发现时间\n黄河路社区/1号楼院,占道,巡查发现,占道经营,"
                                         "2026-11-20 09:00\n", encoding="utf-8")
    events = ok("status", "--json")
    said = _run_afresh(*(EXAMPLE if c == "EXAMPLE" else c for c in command))
    assert said.exit_code == 1, said.stdout
    words = f"{folder}: 这是一个文件夹, 不是配置文件; 请换成 YAML 文件 (写法见 gridctl 自带的 {shipped_configs() / name})"
    assert words in said.stderr, said.stderr
    assert "请给出文件名" not in said.stderr and ok("status", "--json") == events


@pytest.mark.parametrize("roles", ["[下沉人员, [网格长]]", "下沉人员", "{下沉人员: 1}"])
def test_patrol_roles_that_are_no_list_of_post_names_are_refused_at_their_line(loaded, tmp_path, monkeypatch, roles):
    """`roles: [下沉人员, [网格长]]` in conduct.yaml ended `patrol missing` in 内部错误: ProgrammingError
    (a list bound as an SQL parameter), exit 3 (found by this round's config sweep), and `roles:
    下沉人员` was taken as the three roles 下, 沉 and 人员's characters. Refused at the line, zh/en."""
    command = ("patrol", "missing", "--week", "2026-W47")
    text = _with_config(tmp_path, monkeypatch, "conduct.yaml", "    roles: [下沉人员]", f"    roles: {roles}")
    at = f"{tmp_path / 'configs' / 'conduct.yaml'}:{line_of(text, f'roles: {roles}')}: roles: "
    _refused_at_line(command, at, "巡查与会议规则配置有误: roles 应为岗位名称的列表 (每项一个词)",
                     "the conduct rules are wrong: roles is a list of post names")


def test_a_patrol_role_written_with_blanks_around_it_is_the_post_s_role(loaded, tmp_path, monkeypatch):
    """`roles: ["　网格长 "]` (blanks typed inside the quotes) was taken as the role `　网格长 `, which
    no post holds: no 网格长 owed a patrol, without a word. A role is its words, trimmed."""
    command = ("patrol", "missing", "--week", "2026-W47", "--json")
    owed = _run_afresh(*command).json()
    assert "post:网格长" in {m["via"] for m in owed["missing"]}, owed["missing"]
    _with_config(tmp_path, monkeypatch, "conduct.yaml", "    roles: [网格长]", '    roles: ["\u3000网格长 "]')
    assert _run_afresh(*command).json() == owed


@pytest.mark.parametrize("kind", ["{碰头会: 1}", "碰头汇"])
def test_a_meeting_rule_of_no_kind_of_meeting_is_refused_at_its_line(loaded, tmp_path, monkeypatch, kind):
    """`kind: {碰头会: 1}` under meetings ended `meeting missing` in 内部错误: ProgrammingError, exit 3
    (found by this round's config sweep), and `kind: 碰头汇` (a typo) had every team miss its
    meeting every week, without a word. Refused at the line, naming the kinds; the code `huddle`
    is taken as 碰头会."""
    command = ("meeting", "missing", "--week", "2026-W47")
    text = _with_config(tmp_path, monkeypatch, "conduct.yaml", "    kind: 碰头会", f"    kind: {kind}")
    at = f"{tmp_path / 'configs' / 'conduct.yaml'}:{line_of(text, f'kind: {kind}')}: kind: "
    _refused_at_line(command, at, "巡查与会议规则配置有误: 会议规则的 kind 应为会议类别之一 (碰头会 | 民情分析会 | 例会)",
                     "the conduct rules are wrong: a meeting rule's kind is one of the kinds of meeting "
                     "(huddle | analysis | regular)")
    assert _run_afresh("--by", "P002", "meeting", "add", "--unit", "T01", "-d", "2026-11-18", "--kind", "碰头会").exit_code == 0
    _with_config(tmp_path / "code", monkeypatch, "conduct.yaml", "    kind: 碰头会", "    kind: huddle")
    missing = _run_afresh(*command, "--json")
    assert missing.exit_code == 0 and "T01" not in {m["team"] for m in missing.json()["missing"]}, missing.stdout


def test_a_count_of_the_conduct_rules_past_any_week_is_refused_at_its_line(loaded, tmp_path, monkeypatch):
    """`per_week: 99999999999999999999` ended the score and `patrol missing` in 内部错误: OverflowError
    (past what SQLite binds), exit 3 (found by this round's config sweep). Refused at its line."""
    text = _with_config(tmp_path, monkeypatch, "conduct.yaml", "    per_week: 1        # ... for each",
                        "    per_week: 99999999999999999999        # ... for each")
    at = f"{tmp_path / 'configs' / 'conduct.yaml'}:{line_of(text, 'per_week: 9999')}: per_week: "
    for command in (("score", "--quarter", "2026Q4"), ("patrol", "missing", "--week", "2026-W47")):
        _refused_at_line(command, at, "巡查与会议规则配置有误: 应为 0 到 1000000 的整数: “99999999999999999999”",
                         "the conduct rules are wrong: must be a whole number from 0 to 1000000")


def test_a_performance_item_weighted_zero_scores_nothing_and_is_no_crash(loaded, tmp_path, monkeypatch):
    """`discovery: 0` in scoring.yaml (a city not scoring 发现率) ended `score` in 内部错误:
    ZeroDivisionError, exit 3, for a team whose only rated item it was (prorating divided by the
    rated items' weights). An item weighted 0 scores nothing and is not prorated over: such a team's
    performance is 未评, as one with nothing rated; the others are scored as before."""
    from tests.helpers import ok

    ok("issue", "add", "-g", "金水区/经八路街道/黄河路社区/1号楼院", "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶",
       "--at", "2026-11-20 09:00", by="P007")
    _with_config(tmp_path, monkeypatch, "scoring.yaml", "  discovery: 20 ", "  discovery: 0 ")
    scored = _run_afresh("score", "--quarter", "2026Q4", "--json")
    assert scored.exit_code == 0, scored.stderr
    assert {t["id"]: t["performance"] for t in scored.json()["teams"]}["T01"] is None     # rated by 发现率 alone
