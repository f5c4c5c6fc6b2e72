"""`--help` in one language: Chinese by default, English with `--lang en` (cli/helptext.py).

Every command's help page, Typer's and Click's own words included (`Usage:`, `Options`,
`[required]`, `Show this message and exit.`), carries no ASCII word of the catalogue's English
side in Chinese, and no Chinese in English, save the examples (command lines a clerk types, with
Chinese names in them), what a clerk types literally (in backticks) and the ledger's own names.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import run
from tests.test_language import COMMANDS, chinese_leaks, english_leaks

GROUPS = sorted({path[:1] for path in COMMANDS if len(path) > 1})
PAGES = [(), *GROUPS, *COMMANDS]


def prose(page: str, example: str) -> str:
    """The help page without its examples, metavars (`<文本>`), literals (`household`) and the
    command names a group lists (`issue`, `explain`)."""
    text = re.sub(rf"\n  {example}:.*?(?=\n\n|\n\S|\Z)", "\n", page, flags=re.S)
    head, _, commands = text.partition("\n命令:\n" if example == "示例" else "\nCommands:\n")
    text = head + "\n" + re.sub(r"(?m)^  [a-z-]+", " ", commands)
    return re.sub(r"`[^`]*`|<[^>]*>|(?:默认|default|环境变量|env var):\s*[^;\]]*", " ", text)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: " ".join(p) or "gridctl")
def test_help_in_one_language(path):
    zh = run(*path, "--help")
    assert zh.exit_code == 0, zh.stderr
    assert zh.stdout.startswith("用法: gridctl") and "选项:" in zh.stdout
    assert not english_leaks(prose(zh.stdout, "示例")), zh.stdout
    en = run("--lang", "en", *path, "--help")
    assert en.exit_code == 0
    assert en.stdout.startswith("Usage: gridctl") and "Options:" in en.stdout
    assert not chinese_leaks(prose(en.stdout, "Example")), en.stdout


def test_typer_s_own_words_are_said_in_chinese():
    page = run("issue", "reject", "--help").stdout
    assert "用法: gridctl issue reject [选项] {问题编号}" in page
    assert "参数:" in page and "选项:" in page and "[必填]" in page
    assert "显示本帮助并退出" in page and "Show this message" not in page
    root = run("--help").stdout
    assert "命令:" in root and "为当前终端安装命令补全" in root and "[环境变量: GRIDCTL_DB]" in root
    assert "[默认: A4]" in run("report", "weekly", "--help").stdout


def test_lang_en_before_help_and_from_the_environment(monkeypatch):
    assert run("--lang", "en", "--help").stdout.startswith("Usage: gridctl [OPTIONS] COMMAND [ARGS]...")
    monkeypatch.setenv("GRIDCTL_LANG", "en")
    page = run("issue", "reject", "--help").stdout
    assert "Show this message and exit." in page and "[required]" in page


def test_columns_line_up_for_chinese():
    """The help column starts at one terminal column for every option (a Chinese character is two)."""
    from gridctl.cli.helptext import width

    page = run("report", "weekly", "--help").stdout
    options = page.split("选项:\n", 1)[1].splitlines()
    starts = {width(line[:line.index(help_)]) for line, help_ in zip(options, ("网格", "写入", "ISO"))}
    assert len(starts) == 1, options


def test_a_line_break_between_chinese_characters_is_no_space():
    """A docstring's Chinese folded over two source lines reads as one run (`不存在或属于`)."""
    page = run("patrol", "add", "--help").stdout
    assert "不存在 或属于" not in page and "不存在或属于" in page.replace("\n  ", "")


def test_every_help_text_is_a_key_of_the_catalogue():
    """Help is said from gridctl/messages.py as every other word: each command's page (`cmd.<path>`),
    the root's list (`root.<name>`), each option's and argument's help; no command function keeps a
    docstring of its own (it would be a second, unseen copy), and no help key is left unused."""
    import inspect

    from gridctl.cli.app import COMMANDS
    from gridctl.messages import CATALOGUE
    from tests.helpers import command

    used, wrong = set(), []

    def walk(cmd, path):
        for key in [cmd.help, *(p.help for p in cmd.params if getattr(p, "help", None))]:
            (used.add(key) if key in CATALOGUE else wrong.append((path, key)))
        if path and cmd.callback is not None and inspect.unwrap(cmd.callback).__doc__:   # (the root's: for the code)
            wrong.append((path, "docstring"))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))

    walk(command(), ())
    used.update(entry.help for entry in COMMANDS.values())
    wrong += [("table", entry.help) for entry in COMMANDS.values() if entry.help not in CATALOGUE]
    typer_own = ("Show this message and exit.", "Install completion for the current shell.",
                 "Show completion for the current shell, to copy it or customize the installation.")
    assert [w for w in wrong if w[1] not in typer_own] == []
    help_keys = {k for k in CATALOGUE if k.split(".")[0] in ("cmd", "root", "opt", "arg")}
    assert help_keys - used == set()


def test_an_option_s_range_and_required_are_said_in_chinese_too():
    """Typer's note after an option with a range (`[x>=0; required]`) fell on the English side of the
    old `中文 / English` pair: the Chinese page showed neither the range nor `[必填]`."""
    page = run("survey", "add", "--help").stdout
    assert "满意票 [x>=0; 必填]" in page and "不满意票 [x>=0; 必填]" in page, page
    assert "向下显示几级 [x>=0]" in run("grid", "tree", "--help").stdout
    assert "[默认: 8001; 1<=x<=65535]" in run("serve", "--help").stdout          # after a default it was shown
    assert "votes satisfied [x>=0; required]" in run("--lang", "en", "survey", "add", "--help").stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_import_s_help_names_each_kind_s_headers_as_its_sheet_takes_them(lang):
    """`register import --help` listed a resident's optional headers as `… 户籍类型 联系电话标签 备注`
    and an organisation's as `… 联系人联系电话 标签`: a clerk who copied them made a header the import
    refuses. A place's and organisation's 备注 (note) went unsaid. Each kind's list is now its
    sheet's headers, every one taken by that kind's import, and every one of them named."""
    from gridctl.messages import CATALOGUE
    from gridctl.sheet_columns import REGISTER_COLUMNS

    page = CATALOGUE["cmd.register.import"][lang == "en"]       # as written: the page folds it anywhere
    shown = run("--lang", lang, "register", "import", "--help").stdout
    assert page.split("\n")[0] in shown
    kinds = (("户", "household"), ("人", "resident"), ("地物", "place"), ("组织", "org")) if lang == "zh" else \
        (("Households", "household"), ("Residents", "resident"), ("Places", "place"), ("Organisations", "org"))
    for word, kind in kinds:
        listed = re.search(rf"(?:\n|。|\. ){word}: ([^\[]+)\[([^\]]+)\]", page)
        assert listed, (word, page)
        said = listed[1].split() + listed[2].split()
        columns = REGISTER_COLUMNS[kind]
        taken = {head.lower() for heads in columns.values() for head in heads}
        assert set(said) <= taken, (kind, set(said) - taken)
        named = {field for field, heads in columns.items() if taken & set(said) & {h.lower() for h in heads}}
        assert named == set(columns), (kind, set(columns) - named)


def test_verify_s_help_says_what_deep_checks():
    """`verify --help` said --deep replays the events against the issue rows only, where it also
    checks the records, the register, the marks, links and merges, each day's last event, and
    names repeated records."""
    from tests.helpers import run

    zh = run("verify", "--help").stdout
    assert "巡查与考核记录" in zh and "每日末条事件" in zh and "重复的记录" in zh, zh
    en = run("--lang", "en", "verify", "--help").stdout
    assert "each day's last event" in en and "records repeated" in en, en
