"""Help, version, language and the demo generator."""

from __future__ import annotations

import pytest

from gridctl.cli.app import app
from gridctl.config import load_config
from tests.helpers import EXAMPLE, conduct_year, run


def commands():
    """Every command path in the app, e.g. ("grid", "show")."""
    import typer.main

    root = typer.main.get_command(app)
    paths = []

    def walk(cmd, prefix):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, prefix + (name,))
        else:
            paths.append(prefix)

    walk(root, ())
    return paths


def test_the_command_names_of_the_spec_exist():
    assert {("init",), ("check",), ("load",), ("demo",), ("grid", "tree"), ("grid", "show"),
            ("duty", "who")} <= set(commands())


@pytest.mark.parametrize("path", commands())
def test_every_command_has_help_with_an_example(path):
    result = run("--lang", "en", *path, "--help")
    assert result.exit_code == 0
    assert "Example: gridctl" in result.stdout
    assert "示例: gridctl" in run(*path, "--help").stdout


def test_root_help_and_version():
    assert "Example: gridctl" in run("--lang", "en", "--help").stdout
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("gridctl ")


def test_lang_en_switches_messages(example):
    assert "check passed" in run("--lang", "en", "check", example).stdout
    assert "检查通过" in run("check", example).stdout


def test_lang_from_environment(example, monkeypatch):
    monkeypatch.setenv("GRIDCTL_LANG", "en")
    assert "check passed" in run("check", example).stdout


def test_unknown_lang_is_a_usage_error():
    assert run("--lang", "fr", "grid", "tree").exit_code == 2


def test_a_global_option_after_the_command_says_where_it_goes(tmp_path):
    """`gridctl init --node 410105001 --db l.db` said 没有选项 --db (可能是: --node): the clerk was
    offered an unrelated option. A global option written after the command is said as one, with
    where it goes; an option no command has keeps its words, and a command's own --db is its own."""
    db = tmp_path / "l.db"
    init = run("init", "--node", "410105001", "--db", db)
    assert init.exit_code == 2 and "错误: --db 是 gridctl 本身的选项, 要写在命令之前, 如 gridctl --db … init …" in init.stderr
    assert "--node" not in init.stderr.splitlines()[0] and not db.exists()
    listed = run("--lang", "en", "issue", "list", "--by", "P007")
    assert listed.exit_code == 2 and "--by is an option of gridctl itself: it goes before the command, as in " \
        "gridctl --by … issue list …" in listed.stderr, listed.stderr
    assert "--lang 是 gridctl 本身的选项" in run("issue", "list", "--lang", "en").stderr
    bogus = run("issue", "list", "--bogus")
    assert bogus.exit_code == 2 and "没有选项 --bogus" in bogus.stderr
    assert run("demo", "-o", tmp_path / "d", "--db", db, "--bogus").stderr.count("没有选项 --bogus") == 1


def test_a_ledger_that_does_not_exist_is_refused_not_made(tmp_path, monkeypatch):
    """`--db jingbalu.bd issue list` (a typo) made an empty ledger there, said 没有符合条件的问题 as if
    the office had no issues, and left the file behind; so did any command with GRIDCTL_DB unset in
    a new folder. Only init, load, restore and demo make a ledger; the others refuse a missing one
    naming it, and make nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRIDCTL_DB", raising=False)
    typo = tmp_path / "jingbalu.bd"
    for args in (("--db", typo, "issue", "list"), ("--db", typo, "status"), ("--db", typo, "verify"),
                 ("--db", typo, "issue", "add", "-g", "1号楼院", "-c", "占道", "-s", "热线", "-t", "x"),
                 ("grid", "tree"), ("issue", "export", "-o", tmp_path / "e.xlsx")):
        said = run(*args)
        assert said.exit_code == 1 and "不存在; 请检查 --db 或 GRIDCTL_DB 是否写对" in said.stderr, (args, said.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert "does not exist: check --db or GRIDCTL_DB" in run("--lang", "en", "--db", typo, "issue", "list").stderr
    assert run("--db", typo, "init", "--node", "410105001").exit_code == 0
    assert run("--db", typo, "issue", "list").exit_code == 0
    assert run("check", EXAMPLE).exit_code == 0 and not (tmp_path / "gridctl.db").exists()
    assert run("load", EXAMPLE).exit_code == 0 and (tmp_path / "gridctl.db").exists()


def test_demo_is_deterministic_and_valid(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    counts = run("demo", "--scale", "township", "--seed", "3", "-o", a, "--json").json()["counts"]
    run("demo", "--scale", "township", "--seed", "3", "-o", b)
    run("demo", "--scale", "township", "--seed", "4", "-o", c)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert any((a / f).read_bytes() != (c / f).read_bytes() for f in files)
    assert counts["townships"] == 1 and 200 <= counts["blocks"] <= 300
    config, problems = load_config(a)
    assert problems == []
    assert len([g for g in config.grids.values() if g.level == "block"]) == counts["blocks"]
    assert len(config.posts) == counts["posts"]


def test_demo_never_writes_among_a_city_s_own_files(tmp_path, monkeypatch):
    """`demo -o ''` wrote into the current folder, replacing its city.yaml; `-o` naming a file said
    `无法读写 …: File exists` (Python's English). An earlier demo's folder is written again."""
    import shutil

    from tests.helpers import EXAMPLE

    city = tmp_path / "city"
    shutil.copytree(EXAMPLE, city)
    before = {p.name: p.read_bytes() for p in city.iterdir() if p.is_file()}
    monkeypatch.chdir(city)
    for target in ("", city):
        result = run("demo", "--scale", "township", "-o", target)
        assert result.exit_code == 1 and "已有别的文件" in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in city.iterdir() if p.is_file()} == before
    result = run("demo", "--scale", "township", "-o", city / "city.yaml")
    assert result.exit_code == 1 and "不是文件夹" in result.stderr and "File exists" not in result.stderr
    again = tmp_path / "demo"
    for _ in range(2):
        assert run("demo", "--scale", "township", "-o", again).exit_code == 0


def test_demo_fills_a_ledger_deterministically(tmp_path):
    import sqlite3

    hashes = []
    for name in ("a", "b"):
        db = tmp_path / f"{name}.db"
        result = run("demo", "--scale", "township", "--seed", "5", "-o", tmp_path / name,
                     "--db", db, "--issues", "300", "--json")
        assert result.exit_code == 0, result.stderr
        filled = result.json()["issues"]
        assert filled["issues"] == 300 and filled["closed"] > 150
        assert {"rejected", "callbacks", "reworked"} <= set(filled)
        conn = sqlite3.connect(db)
        hashes.append([h for (h,) in conn.execute("SELECT hash FROM events ORDER BY n")])
        statuses = dict(conn.execute("SELECT status, count(*) FROM issues GROUP BY status"))
        escalated = conn.execute("SELECT count(*) FROM issues WHERE escalations > 0").fetchone()[0]
        conn.close()
        assert statuses["closed"] == filled["closed"] + filled["on_the_spot"] - filled.get("reopened", 0)
        assert escalated > 0
        assert run("--db", db, "verify", "--deep").exit_code == 0
    assert hashes[0] == hashes[1] and len(hashes[0]) > 900


@pytest.mark.parametrize("path", commands())
def test_every_command_is_in_the_readme(path):
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"gridctl {' '.join(path)}" in readme or f"`{path[-1]} " in readme or f"`{path[-1]}`" in readme


def test_demo_conduct_year(db, templates):
    """The demo run itself is tests.helpers.conduct_year (built once per run: test_tally reads it too)."""
    filled = templates.copy("conduct_year", conduct_year, db)["issues"]
    assert filled["patrol"] > 15000 and filled["meeting"] > 1500 and filled["survey"] > 0
    week = run("--db", db, "patrol", "missing", "--week", "2026-W40", "--json").json()
    assert 0 < len(week["missing"]) < week["owed"] * 0.2       # some skip, most do not
    assert run("--db", db, "verify").exit_code == 0


def test_a_stdout_that_cannot_carry_every_character_gets_the_rest_not_a_crash(loaded):
    """An emoji pasted into a title (from WeChat) listed on a stdout in GBK (a pipe or file on a
    Chinese Windows; here PYTHONIOENCODING=gbk) ended in 内部错误: UnicodeEncodeError, exit 3, for
    `issue list` and `--json` alike. The list now writes `?` for what GBK cannot hold, and `--json`
    is written in ASCII escapes there, so the document still reads back exact."""
    import json
    import os
    import subprocess
    import sys

    from tests.helpers import ok

    ok("issue", "add", "-g", "金水区/经八路街道/黄河路社区/1号楼院", "-c", "非法建设", "-s", "热线", "-t", "楼顶😀搭建",
       by="P007")
    env = dict(os.environ, PYTHONIOENCODING="gbk", GRIDCTL_LANG="zh")
    listed = subprocess.run([sys.executable, "-m", "gridctl", "issue", "list"], capture_output=True, env=env, timeout=60)
    assert listed.returncode == 0, listed.stderr.decode("gbk", "replace")
    assert "楼顶?搭建" in listed.stdout.decode("gbk"), listed.stdout.decode("gbk", "replace")
    said = "注意: 输出的编码 (gbk) 写不出其中 1 个字符 (如表情符号), 已写成“?”"   # a --csv so written is no export
    assert said in listed.stderr.decode("gbk"), listed.stderr.decode("gbk", "replace")
    as_csv = subprocess.run([sys.executable, "-m", "gridctl", "issue", "list", "--csv"], capture_output=True, env=env,
                            timeout=60)
    assert as_csv.returncode == 0 and "楼顶?搭建" in as_csv.stdout.decode("gbk") and said in as_csv.stderr.decode("gbk")
    as_json = subprocess.run([sys.executable, "-m", "gridctl", "issue", "list", "--json"], capture_output=True, env=env,
                             timeout=60)
    assert as_json.returncode == 0, as_json.stderr.decode("gbk", "replace")
    assert [i["title"] for i in json.loads(as_json.stdout.decode("ascii"))] == ["楼顶😀搭建"]
    assert as_json.stderr == b""        # exact: nothing replaced
