"""gridctl's own config files (scoring.yaml, conduct.yaml, calendar.yaml) are read through the
line-keeping reader: a missing or wrong value is named with its file, line and key."""

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
