"""`gridctl check` and `gridctl load`: validate everything, then write only the difference."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests import helpers
from tests.helpers import MINI, ok, run, write_folder

BLOCK_OF_P007 = "410105001001001"     # 黄河路社区/1号楼院: 任涛 (P007) its 网格长 since 2026-01-01


def rows(db, sql, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_check_example_passes_without_touching_a_ledger(example, db):
    result = run("check", example)
    assert result.exit_code == 0, result.stderr
    assert "检查通过" in result.stdout
    assert not db.exists()


def test_load_example_reports_counts(example, db):
    result = run("load", example, "--as-of", "2026-11-26", "--json")
    assert result.exit_code == 0, result.stderr
    summary = result.json()
    assert summary["changed"] is True
    assert summary["levels"] == {"city": 1, "district": 3, "township": 3, "community": 10, "block": 50}
    assert summary["tables"]["grids"] == {"total": 67, "added": 67, "changed": 0, "ended": 0}
    held = rows(db, "SELECT count(DISTINCT person) FROM posts")[0][0]
    assert held >= 80
    # every block has a 网格长, every community a 第一书记 and a 支部书记
    assert rows(db, """SELECT count(*) FROM grids g WHERE g.level='block' AND NOT EXISTS
        (SELECT 1 FROM posts p WHERE p.grid=g.code AND p.role='网格长' AND p.until IS NULL)""") == [(0,)]
    for role in ("第一书记", "支部书记"):
        assert rows(db, """SELECT count(*) FROM grids g WHERE g.level='community' AND NOT EXISTS
            (SELECT 1 FROM posts p WHERE p.grid=g.code AND p.role=?)""", role) == [(0,)]
    assert rows(db, "SELECT count(DISTINCT unit) FROM teams") == [(2,)]


def test_load_twice_changes_nothing_and_says_so(loaded, db):
    before = db.read_bytes()
    result = run("load", loaded)
    assert result.exit_code == 0
    assert "无变化" in result.stdout
    assert rows(db, "SELECT count(*) FROM loads") == [(1,)]
    assert db.read_bytes() == before
    again = run("load", loaded, "--json").json()
    assert again["changed"] is False
    assert all(c["added"] == c["changed"] == c["ended"] == 0 for c in again["tables"].values())


def test_broken_folder_reports_every_problem_and_leaves_ledger_unchanged(loaded, db, tmp_path):
    before = db.read_bytes()
    broken = write_folder(tmp_path / "broken", {
        "a.yaml": MINI.replace('{id: P003, name: 张敏, unit: 市教体局}',
                               '{id: P003, name: 张敏, unit: 市教体局, mobile: "1"}'),
        "b.yaml": 'grids:\n  - {code: "4101060", name: 坏码区}\n',
        "c.yaml": 'posts:\n  - {grid: "410105001001002", role: 网格长, person: P404, since: 2026-01-01}\n',
        "d.yaml": 'grids:\n  - {code: "410105", name: 又一个金水区}\n',
        "e.yaml": "people:\n  - {id: P9, name: [unclosed\n",
    })
    result = run("load", broken)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and result.exception.__class__ is SystemExit
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{broken}/a.yaml:19: people.mobile:") for line in lines)
    assert any(line.startswith(f"{broken}/b.yaml:2: grids.code:") for line in lines)
    assert any(line.startswith(f"{broken}/c.yaml:2: posts.person:") and "P404" in line for line in lines)
    assert any(line.startswith(f"{broken}/d.yaml:2: grids.code:") for line in lines)
    assert any(line.startswith(f"{broken}/e.yaml:") and "YAML" in line for line in lines)
    assert "5 个问题" in lines[-1]
    assert db.read_bytes() == before


def test_problems_as_json(tmp_path):
    broken = write_folder(tmp_path / "b", {"a.yaml": "people:\n  - {id: P1}\n"})
    result = run("check", broken, "--json")
    assert result.exit_code == 1
    assert result.json() == [{"file": f"{broken}/a.yaml", "line": 2, "field": "people.name",
                              "message": "缺少必填字段", "code": "field.required"}]


def test_a_refusal_as_json_carries_its_code(loaded):
    result = run("grid", "show", "410105999", "--json")
    assert result.exit_code == 1
    error = result.json()["error"]
    assert error["code"] in ("grid.not_found", "grid.not_found_near") and error["params"]["node"] == "410105999"
    assert error["message"] in result.stderr and "410105999" in error["message"]
    english = run("--lang", "en", "grid", "show", "410105999", "--json").json()["error"]
    assert english["code"] == error["code"] and english["message"] != error["message"]


def test_reload_after_edit_keeps_post_history(mini, db):
    assert run("load", mini, "--as-of", "2026-03-01").exit_code == 0
    text = (mini / "city.yaml").read_text(encoding="utf-8")
    # P003 leaves the 网格长 post (removed from the YAML); P001 takes it; a block is added
    text = text.replace('  - {grid: "410105001001001", role: 网格长, person: P003, since: 2026-01-01}',
                        '  - {grid: "410105001001001", role: 网格长, person: P001, since: 2026-06-16}')
    text = text.replace('              - {code: "410105001001002", name: 2号楼院, kind: 楼院}',
                        '              - {code: "410105001001002", name: 2号楼院, kind: 楼院}\n'
                        '              - {code: "410105001001003", name: 3号楼院, kind: 楼院}')
    (mini / "city.yaml").write_text(text, encoding="utf-8")
    summary = run("load", mini, "--as-of", "2026-06-15", "--json").json()
    assert summary["tables"]["posts"]["added"] == 1
    assert summary["tables"]["posts"]["ended"] == 1
    assert summary["tables"]["grids"]["added"] == 1
    assert rows(db, "SELECT person, since, until FROM posts WHERE grid='410105001001001' ORDER BY since") == [
        ("P003", "2026-01-01", "2026-06-15"), ("P001", "2026-06-16", None)]
    before = run("grid", "show", "410105001001001", "--as-of", "2026-05-01", "--json").json()
    after = run("grid", "show", "410105001001001", "--as-of", "2026-07-01", "--json").json()
    assert [p["name"] for p in before["posts"]] == ["张敏"]
    assert [p["name"] for p in after["posts"]] == ["王芳"]


def test_removed_grid_is_retired_not_deleted(mini, db):
    run("load", mini, "--as-of", "2026-03-01")
    text = (mini / "city.yaml").read_text(encoding="utf-8")
    (mini / "city.yaml").write_text(
        text.replace('              - {code: "410105001001002", name: 2号楼院, kind: 楼院}\n', ""),
        encoding="utf-8")
    summary = run("load", mini, "--as-of", "2026-04-01", "--json").json()
    assert summary["tables"]["grids"]["ended"] == 1
    assert rows(db, "SELECT retired FROM grids WHERE code='410105001001002'") == [("2026-04-01",)]
    tree = run("grid", "tree", "黄河路社区", "--json").json()
    assert [c["code"] for c in tree["children"]] == ["410105001001001"]


def test_member_added_later_joins_on_the_load_date(mini, db):
    run("load", mini, "--as-of", "2026-03-01")
    text = (mini / "city.yaml").read_text(encoding="utf-8")
    (mini / "city.yaml").write_text(text.replace("members: [P003]", "members: [P003, P001]"),
                                    encoding="utf-8")
    run("load", mini, "--as-of", "2026-05-10")
    assert rows(db, "SELECT person, since, until FROM team_members ORDER BY person") == [
        ("P001", "2026-05-10", None), ("P003", "2026-01-01", None)]


def test_ledger_of_another_office_refuses_a_folder_without_its_node(mini, db):
    assert run("init", "--node", "410108001").exit_code == 0
    result = run("load", mini)
    assert result.exit_code == 1
    assert "410108001" in result.stderr
    assert rows(db, "SELECT count(*) FROM grids") == [(0,)]


def test_a_yaml_file_not_in_utf8_names_its_line_in_the_clerk_s_words(tmp_path):
    """A definitions file saved as GBK (Notepad's ANSI on a Chinese Windows) said Python's English reason
    (`文件不是 UTF-8 编码: invalid start byte`); it names the line where the text stops being UTF-8."""
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "grids.yaml").write_bytes('grids:\n  - code: "410105"\n    name: 金水区\n'.encode("gbk"))
    for lang, words in (("zh", "grids.yaml:3: 从此行起不是 UTF-8 编码; 请把文件另存为 UTF-8"),
                        ("en", "grids.yaml:3: not UTF-8 from this line on; save the file as UTF-8")):
        result = run("--lang", lang, "check", folder)
        assert result.exit_code == 1 and words in result.stdout + result.stderr, result.stdout + result.stderr
        assert "byte" not in result.stdout + result.stderr


def test_an_entry_named_yaml_that_is_not_a_file_is_named_not_passed_over(loaded, db, tmp_path):
    """A folder named `jinshui.yaml`, a broken link or a pipe named `*.yml` were passed over without a
    word (exit 0): the districts they stood for were simply not checked or loaded."""
    import os
    import shutil

    from tests.helpers import EXAMPLE

    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "city"))
    (folder / "jinshui.yaml").rename(tmp_path / "jinshui")
    (folder / "jinshui.yaml").mkdir()
    (tmp_path / "jinshui").rename(folder / "jinshui.yaml" / "jinshui.yaml")
    (folder / "gone.yml").symlink_to(folder / "nowhere.yml")
    os.mkfifo(folder / "pipe.yaml")        # never opened: reading it would wait for a writer
    before = helpers.dump(db)
    for lang, words in (("zh", ("jinshui.yaml: 是文件夹 (名字以 .yaml/.yml 结尾), 不是 YAML 文件, 未读取",
                                "gone.yml: 名字以 .yaml/.yml 结尾, 但不是可读的文件", "pipe.yaml: 名字以")),
                        ("en", ("jinshui.yaml: is a folder (its name ends in .yaml/.yml), not a YAML file: not read",
                                "gone.yml: its name ends in .yaml/.yml, but it is not a file that can be read",
                                "pipe.yaml: its name ends"))):
        for command in ("check", "load"):
            result = run("--lang", lang, command, folder)
            shown = result.stdout + result.stderr
            assert result.exit_code == 1 and all(f"{folder}/{w}" in shown for w in words), shown
    assert helpers.dump(db) == before
    only = tmp_path / "only"
    (only / "a.yaml").mkdir(parents=True)
    result = run("check", only)
    assert result.exit_code == 1 and f"{only}/a.yaml: 是文件夹" in result.stderr and "没有 .yaml" not in result.stderr


def test_a_district_file_whose_name_ends_in_capitals_is_read(db, tmp_path):
    """`JINSHUI.YAML` (a Windows tool's naming) was passed over without a word: check passed with
    one file fewer and load left the district out."""
    import shutil

    from tests.helpers import EXAMPLE

    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "city"))
    files = len(list(folder.glob("*.yaml")))
    (folder / "jinshui.yaml").rename(folder / "JINSHUI.YAML")
    checked = run("check", folder)
    assert checked.exit_code == 0 and f"{files} 个文件" in checked.stdout, checked.stdout
    ok("load", folder, "--as-of", "2026-01-01")
    shown = ok("grid", "show", "金水区")
    assert shown["code"] == "410105", shown


def test_a_control_character_in_a_yaml_file_is_said_with_its_line(tmp_path):
    """A control character in a YAML file (a paste from another program) was said on the Chinese
    screen as YAML 语法错误: 无法解析, with no line (PyYAML's reader error, English only)."""
    folder = write_folder(tmp_path / "city", {"city.yaml": MINI + '\nnote: "a\x01"\n'})
    text = (folder / "city.yaml").read_text(encoding="utf-8")
    line = text[:text.index("\x01")].count("\n") + 1
    zh = run("check", folder)
    assert zh.exit_code == 1 and f"{folder / 'city.yaml'}:{line}: 含有控制字符 (U+0001), 请删去后重试" in zh.stderr, zh.stderr
    en = run("--lang", "en", "check", folder)
    assert en.exit_code == 1 and f"city.yaml:{line}: holds a control character (U+0001)" in en.stderr, en.stderr


@pytest.mark.parametrize("text, zh, en", [
    ("people:\n\t- {id: P9, name: ab}\n", "含有制表符 (请用空格缩进)", "a tab character (indent with spaces)"),
    ("people:\n  - id: P9\n\tname: ab\n", "含有制表符 (请用空格缩进)", "a tab character (indent with spaces)"),
    ("people:\n  - {id: P9, name: @ab}\n", "含有不能出现在此处的字符", "a character that cannot start a value here"),
    ("people:\n  - {id: P9, name: ab}\n  more: [a, b\n", "缩进不一致", "inconsistent indentation"),
])
def test_a_yaml_syntax_error_is_said_in_the_clerk_s_words_in_both_languages(tmp_path, text, zh, en):
    """A tab typed for indentation was said `YAML 语法错误: 含有不能出现在此处的字符` or `无法解析`
    (libyaml, gridctl's reader, does not say which character it found), and in English in libyaml's
    own words (`found character that cannot start any token`, `found a tab character that violates
    indentation`, `did not find expected '-' indicator`), where the catalogue has the clerk's words
    in both languages. Now the tab is named and the English says what the Chinese says."""
    folder = write_folder(tmp_path / "city", {"city.yaml": MINI, "zz.yaml": text})
    said = run("check", folder)
    assert said.exit_code == 1 and f"zz.yaml:{3 if text.count(chr(10)) > 2 else 2}: YAML 语法错误: {zh}" in said.stderr, \
        said.stderr
    english = run("--lang", "en", "check", folder)
    assert english.exit_code == 1 and f"YAML syntax error: {en}" in english.stderr, english.stderr
    assert "token" not in english.stderr and "violates" not in english.stderr and "indicator" not in english.stderr


def test_a_folder_without_a_district_the_ledger_holds_is_refused_unless_said(db, tmp_path):
    """A copy of the city's folder without a district's file (left behind) loaded with exit 0:
    every grid of that district retired, every post in it ended, its people retired (checked on
    the demo township: 275 grids, 516 posts, 708 people). It is refused naming the district
    (exit 1, ledger unchanged); `--retire-districts` says the city gave it up. (In the example city
    the other files name the district's grids, so `check` already refuses such a copy.)"""
    import shutil

    from tests.helpers import dump

    folder = tmp_path / "city"
    assert run("demo", "--scale", "township", "--seed", "1", "-o", folder).exit_code == 0
    assert run("load", folder).exit_code == 0
    partial = tmp_path / "partial"
    shutil.copytree(folder, partial)
    district = next(partial.glob("district_*.yaml"))
    code = district.stem.removeprefix("district_")
    district.unlink()
    before = dump(db)
    zh = run("load", partial)
    assert zh.exit_code == 1 and "文件夹中没有台账现有的 1 个县区: " in zh.stderr and f"({code})" in zh.stderr, zh.stderr
    assert "少拷了这些县区的 YAML 文件吗?" in zh.stderr and "--retire-districts" in zh.stderr
    en = run("--lang", "en", "load", partial, "--json")
    assert en.exit_code == 1 and en.json()[0]["code"] == "load.district_missing", en.stdout
    assert dump(db) == before
    assert run("load", partial, "--retire-districts").exit_code == 0
    assert rows(db, "SELECT retired IS NOT NULL FROM grids WHERE code = ?", code) == [(1,)]


def test_a_yaml_file_or_a_missing_folder_given_to_check_is_said_as_that(tmp_path):
    """`check city.yaml` (one district's file, given for its folder) and `check /no/such` both said
    `不是文件夹`. A file is said as one, with the folder to give; a missing folder as missing."""
    from tests.helpers import EXAMPLE

    for command in ("check", "load"):
        zh = run(command, EXAMPLE / "city.yaml")
        assert zh.exit_code == 1 and f"是一个文件, 不是文件夹: check 和 load 读一个文件夹中的全部 YAML; 请给出它所在的文件夹 {EXAMPLE}" in zh.stderr, zh.stderr
        en = run("--lang", "en", command, EXAMPLE / "city.yaml")
        assert en.exit_code == 1 and f"is a file, not a folder: check and load read every YAML file of a folder; give its folder, {EXAMPLE}" in en.stderr
        missing = run(command, tmp_path / "no-such")
        assert missing.exit_code == 1 and f"{tmp_path / 'no-such'}: 文件夹不存在" in missing.stderr, missing.stderr


def test_an_empty_yaml_file_in_the_folder_is_named_as_empty(loaded, db, example, tmp_path, monkeypatch):
    """A district's file emptied (a save cut short) was read as defining nothing: `load` said
    网格“410108”不存在 at city.yaml's lines, never naming the empty file; a new ledger loaded a folder
    whose only other file was empty as 已载入 with nothing in it. The empty file (0 bytes, comments
    only or a bare `---`) is a problem of its own, named first, zh and en; nothing is loaded. An
    empty duties.yaml under GRIDCTL_CONFIGS gave 111 problems (every role and department kind
    unknown, `可选: `) without naming it: now said alone, with the copy gridctl ships."""
    import shutil

    from gridctl.paths import shipped_configs
    before = rows(db, "SELECT count(*) FROM events")
    for text in ("", "# 惠济区\n", "---\n"):
        (example / "huiji.yaml").write_text(text, encoding="utf-8")
        zh = run("load", example)
        assert zh.exit_code == 1, zh.stdout
        said = zh.stderr.splitlines()
        assert said[0] == f"{example / 'huiji.yaml'}: 文件是空的: 没有任何定义 (城市、网格、人员、岗位…); 请写入定义, 或把它移出文件夹", said
        en = run("--lang", "en", "check", example)
        assert en.exit_code == 1 and f"{example / 'huiji.yaml'}: the file is empty: it defines nothing" in en.stderr
    assert rows(db, "SELECT count(*) FROM events") == before
    alone = write_folder(tmp_path / "alone", {"city.yaml": 'city: {code: "4101", name: 郑州市}\n', "people.yaml": ""})
    new = tmp_path / "new.db"
    refused = run("--db", new, "load", alone)
    assert refused.exit_code == 1 and "people.yaml: 文件是空的" in refused.stderr and not new.exists()
    configs = Path(shutil.copytree(shipped_configs(), tmp_path / "configs"))
    (configs / "duties.yaml").write_text("# 本市职责\n", encoding="utf-8")
    (example / "huiji.yaml").write_text((helpers.EXAMPLE / "huiji.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("GRIDCTL_CONFIGS", str(configs))
    duties = run("load", example)
    assert duties.exit_code == 1 and duties.stderr.splitlines() == [
        f"{configs / 'duties.yaml'}: 文件是空的: 没有问题类别、职责矩阵、岗位和部门类别 (各项及其写法见 gridctl 自带的 "
        f"{shipped_configs() / 'duties.yaml'})", "发现 1 个问题, 台账未改动"], duties.stderr
    assert rows(db, "SELECT count(*) FROM events") == before


def test_a_count_typed_full_width_in_the_yaml_is_that_number(example, db):
    """`households: ３４０` (an input method's full-width digits) was refused as 应为非负整数 by
    `check` and `load`, while a sheet's 走访户数 `３` and `--households ９` are taken as numbers.
    The YAML's count is that number too; a count that is none (`3.5`) is still refused."""
    city = example / "jinshui.yaml"
    text = city.read_text(encoding="utf-8")
    assert "households: 340, residents: 1020" in text
    city.write_text(text.replace("households: 340, residents: 1020", "households: ３４０, residents: １０２０", 1),
                    encoding="utf-8")
    ok("load", example)
    shown = ok("grid", "show", "410105001001001")
    assert (shown["households"], shown["residents"]) == (340, 1020), shown
    city.write_text(text.replace("households: 340, residents: 1020", "households: 3.5, residents: 1020", 1),
                    encoding="utf-8")
    refused = run("check", example)
    assert refused.exit_code == 1 and "grids.households: 应为非负整数: “3.5”" in refused.stderr


def test_init_cannot_turn_a_loaded_city_ledger_into_a_township_s(example, db):
    """A ledger made by `load` without `init` is the city platform's. `init --node 410105001` on it
    said 已创建台账 (平台: 410105001) and made it 经八路街道's: its lists, reports and bundles
    narrowed to one township, the city's grids still in it. Refused now, saying it is the city's
    ledger in use, nothing changed; `init` without a node says it exists, as the city's."""
    ok("load", example)
    refused = run("init", "--node", "410105001")
    assert refused.exit_code == 1, refused.stdout
    assert f"台账 {db} 已作为市级平台的台账使用 (已载入网格或记有事件), 不能改为 410105001 的台账" in refused.stderr
    english = run("--lang", "en", "init", "--node", "410105001", "--json")
    assert english.exit_code == 1 and english.json()["error"]["code"] == "ledger.used_as_city"
    assert ok("init") == {"db": str(db), "node": None, "created": False}
    assert "台账属于 市级平台, 不能改为 410105001" in run("init", "--node", "410105001").stderr


def test_a_load_dated_before_the_last_one_is_refused_when_it_changes_anything(example, db):
    """`load --as-of 2025-06-01` (a slip for 2026) after a load of 2026-11-26, the YAML without
    1号楼院's 网格长 (since 2026-01-01): the post was ended on the day it began, so 任涛 held it one
    day, his patrols of the year were no duty and the routes' lead had no holder. Any change dated
    before the last load is refused, saying both dates and how to write an earlier end (the post's
    `until`); nothing changed. The same load at its own date goes through, and a load that changes
    nothing is not refused whatever its date."""
    ok("load", example, "--as-of", "2026-11-26")
    assert ok("load", example, "--as-of", "2025-06-01")["changed"] is False       # nothing to change
    held = ok("grid", "show", BLOCK_OF_P007, "--as-of", "2026-06-01")["posts"]
    city = example / "jinshui.yaml"
    text = city.read_text(encoding="utf-8")
    post = '  - {grid: "410105001001001", role: 网格长, person: P007, since: 2026-01-01}\n'
    assert post in text
    city.write_text(text.replace(post, ""), encoding="utf-8")
    zh = run("load", example, "--as-of", "2025-06-01")
    assert zh.exit_code == 1, zh.stdout
    assert "--as-of 2025-06-01 早于上次载入的日期 2026-11-26" in zh.stderr and "YAML 中写明它的 until" in zh.stderr
    en = run("--lang", "en", "load", example, "--as-of", "2025-06-01", "--json")
    assert en.exit_code == 1 and en.json()["error"]["code"] == "load.as_of_before_last"
    assert ok("grid", "show", BLOCK_OF_P007, "--as-of", "2026-06-01")["posts"] == held
    ok("load", example, "--as-of", "2026-11-27")
