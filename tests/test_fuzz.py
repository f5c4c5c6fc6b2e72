"""Fuzzing: hostile YAML folders, import sheets, bundles and command-line arguments.

One rule for all: the exit code is 0, 1 or 2 (never 3, "内部错误"), and after a refusal the
ledger's dump is byte-identical. A bundle that is accepted must leave a ledger that passes
`verify --deep`. The default profile keeps the suite fast; `HYPOTHESIS_PROFILE=big` runs
twenty times the examples (and `-s` prints how many cases ended how).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import EXAMPLE, MINI, dump, run

settings.register_profile("default", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("big", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

COUNTS: Counter = Counter()
GRID = "金水区/经八路街道/黄河路社区/1号楼院"


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print("\nfuzz cases by target and exit code:", dict(sorted(COUNTS.items())))


def attempt(target: str, db: Path, *args, codes=(0, 1, 2)) -> int:
    before = dump(db)
    result = run("--db", db, *args)
    said = result.stdout + result.stderr
    COUNTS[f"{target}:{result.exit_code}"] += 1
    if os.environ.get("FUZZ_SHOW"):
        print(target, result.exit_code, repr(args)[-120:], "→", said.strip().splitlines()[:1])
    assert result.exit_code in codes, f"{args!r} → exit {result.exit_code}: {said[-2000:]}"
    assert "内部错误" not in said
    if result.exit_code != 0:
        assert dump(db) == before, f"{args!r} was refused but changed the ledger"
    return result.exit_code


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "ledger.db"
    for args in (("load", EXAMPLE, "--as-of", "2026-11-26"),
                 ("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶",
                  "--at", "2026-11-20 09:00"),
                 ("--by", "P007", "issue", "accept", "1", "--at", "2026-11-20 10:00")):
        assert run("--db", db, *args).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture(scope="module")
def ledger(template, tmp_path_factory) -> Path:
    """One working copy per module: examples that succeed may change it, as a clerk would."""
    db = tmp_path_factory.mktemp("work") / "ledger.db"
    shutil.copy(template, db)
    return db


# ---- the values a hostile or careless person produces --------------------------------------

NASTY = st.sampled_from(["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\ud800", "\udcff", "\ufffe", "\u202e",
                         "=cmd|' /C calc'!A0", "@SUM(1)", "'; DROP TABLE issues;--", "\r\n", "\t", "%s%n",
                         "{title}", "*", "..", "/", "\\", "𠀀", "", " ", "ＡＢＣ", "0" * 40])
TEXT = st.one_of(st.text(max_size=30), NASTY, st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=4).map("".join),
                 st.integers(10_001, 10_050).map(lambda n: "楼" * n))
INTEGER = st.one_of(st.integers(-10**25, 10**25), st.sampled_from([0, -1, 1, 366, 367, 10**6, 10**6 + 1, 2**63, 2**64]))
NUMBER_TEXT = st.one_of(INTEGER.map(str), st.sampled_from(["1e20", "1e29", "NaN", "inf", "-0", "0x10", "１２", "1_000",
                                                         " 12 ", "12.5", ""]), TEXT)
DAY = st.one_of(st.dates().map(lambda d: d.isoformat()),
                st.tuples(st.integers(0, 99999), st.integers(0, 13), st.integers(0, 32)).map(
                    lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
                st.sampled_from(["garbage", "2026-02-30", "0001-01-01", "9999-12-31", "2026-11-20T", "２０２６-１１-２０"]),
                TEXT)
MOMENT = st.one_of(DAY, st.tuples(DAY, st.integers(-1, 99), st.integers(-1, 99)).map(
    lambda t: f"{t[0]} {t[1]:02d}:{t[2]:02d}"))
WEEK = st.one_of(st.tuples(st.integers(0, 99999), st.integers(-1, 60)).map(lambda t: f"{t[0]:04d}-W{t[1]:02d}"), TEXT)
MONTH = st.one_of(st.tuples(st.integers(0, 99999), st.integers(-1, 14)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"), TEXT)
ISSUE = st.one_of(st.sampled_from(["1", "2", "4101-2026-00001"]), INTEGER.map(str), TEXT)


def _commands(out: Path):
    add = ("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现")
    patrol = ("--by", "P007", "patrol", "add", "-p", "P007", "-g", GRID)
    return st.one_of(
        st.tuples(TEXT, st.one_of(st.none(), TEXT), MOMENT).map(
            lambda v: (*add, "-t", v[0], *(("--place", v[1]) if v[1] is not None else ()), "--at", v[2])),
        st.tuples(TEXT, TEXT, TEXT).map(lambda v: ("--by", "P007", "issue", "add", "-g", v[0], "-c", v[1], "-s", v[2],
                                                   "-t", "x", "--at", "2026-11-21 09:00")),
        st.tuples(ISSUE, NUMBER_TEXT, TEXT, MOMENT).map(
            lambda v: ("--by", "P007", "issue", "extend", v[0], "--days", v[1], "--reason", v[2], "--approver", "P001",
                       "--at", v[3])),
        st.tuples(ISSUE, TEXT, MOMENT).map(lambda v: ("--by", "P007", "issue", "dispatch", v[0], "--note", v[1], "--at", v[2])),
        st.tuples(NUMBER_TEXT, ISSUE).map(lambda v: ("issue", "list", "--limit", v[0], "--grid", v[1])),
        ISSUE.map(lambda v: ("issue", "show", v)),
        st.tuples(DAY, DAY).map(lambda v: ("issue", "list", "--since", v[0], "--until", v[1])),
        st.tuples(DAY, NUMBER_TEXT, TEXT).map(lambda v: (*patrol, "-d", v[0], "--households", v[1], "--notes", v[2])),
        st.tuples(DAY, NUMBER_TEXT, TEXT).map(lambda v: ("--by", "P007", "attendance", "add", "-p", "P007", "-d", v[0],
                                                         "--kind", "leave", "--days", v[1], "--reason", v[2])),
        st.tuples(NUMBER_TEXT, NUMBER_TEXT, NUMBER_TEXT).map(
            lambda v: ("--by", "P007", "survey", "add", "--team", "T01", "-d", "2026-11-20", "-p", "P003",
                       "--participants", v[0], "--satisfied", v[1], "--fair", v[2], "--unsatisfied", "0")),
        WEEK.map(lambda v: ("report", "weekly", "-u", "黄河路社区", "--week", v, "-o", out / "w.xlsx")),
        MONTH.map(lambda v: ("report", "monthly", "-u", "黄河路社区", "--month", v, "-o", out / "m.xlsx")),
        DAY.map(lambda v: ("status", "--as-of", v)),
        st.tuples(WEEK, TEXT).map(lambda v: ("patrol", "missing", "--week", v[0], "--grid", v[1])),
        TEXT.map(lambda v: ("grid", "show", v)),
        TEXT.map(lambda v: ("duty", "who", "--category", v, "--grid", GRID)),
        TEXT.map(lambda v: ("issue", "search", v)),
        st.tuples(TEXT, TEXT).map(lambda v: ("--by", v[0], "score", "flag", "-p", "P007", "-q", v[1], "--reason", "x")),
        TEXT.map(lambda v: ("issue", "export", "-o", out / f"{v[:20]}.csv")),
    )


@given(data=st.data())
def test_fuzz_command_line_arguments(ledger, tmp_path_factory, data):
    out = tmp_path_factory.getbasetemp() / "fuzz-out"
    out.mkdir(exist_ok=True)
    args = data.draw(_commands(out))
    lang = data.draw(st.sampled_from([(), ("--lang", "en")]))    # both catalogues' wordings
    attempt("args", ledger, *lang, *args)


# ---- YAML folders -------------------------------------------------------------------------

def _yaml_mutation():
    scalar = st.one_of(TEXT.map(json.dumps), INTEGER.map(str), DAY, st.sampled_from(
        ["*a", "&a [*a]", "[" * 200 + "]" * 200, "!!python/object:os.system", "1e29", "~", "{", "'", "\"\\x07\"",
         "&x x\n  y: *x", "!!binary AAAA", "2026-13-45", "\"\\ud800\""]))
    key = st.one_of(st.none(), st.sampled_from(["households", "residents", "duty_phone", "extent", "since",
                                                 "until", "phone", "kind", "extra"]))
    return st.tuples(st.integers(0, 10_000), scalar, key)


@given(mutation=_yaml_mutation())
def test_fuzz_yaml_folders(ledger, tmp_path_factory, mutation):
    """A value of the small city replaced by something hostile; check and load must agree."""
    where, value, key = mutation
    base = tmp_path_factory.mktemp("yaml")
    lines = MINI.strip("\n").splitlines()
    spots = [(i, line.index(": ") + 2) for i, line in enumerate(lines) if ": " in line]
    i, at = spots[where % len(spots)]
    line = lines[i]
    end = len(line)
    for stop in (",", "}"):
        found = line.find(stop, at)
        if found != -1:
            end = min(end, found)
    if key is None:      # the value replaced
        lines[i] = line[:at] + value + line[end:]
    else:                # a key added beside it (real optional keys mostly)
        indent = len(line) - len(line.lstrip(" -"))
        lines[i] = line + "\n" + " " * indent + f"{key}: {value}" if "{" not in line else \
            line.replace("{", "{" + f"{key}: {value}, ", 1)
    folder = base / "city"
    folder.mkdir()        # bytes as given: a lone surrogate becomes invalid UTF-8 in the file
    (folder / "city.yaml").write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    checked = attempt("yaml-check", ledger, "check", folder)
    loaded = attempt("yaml-load", ledger, "load", folder, "--as-of", "2026-11-26")
    assert (checked == 0) == (loaded == 0) or loaded == 1  # load may refuse what check cannot see (the ledger)


# ---- import sheets ------------------------------------------------------------------------

CELL = st.one_of(TEXT, DAY, MOMENT, NUMBER_TEXT, st.sampled_from(["410105001001001", "非法建设", "巡查发现", GRID]))


@given(rows=st.lists(st.lists(CELL, min_size=6, max_size=7), min_size=1, max_size=3),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_fuzz_issue_import_sheets(ledger, tmp_path_factory, rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["网格编码", "问题类别", "来源", "问题描述", "发现时间", "上报时间"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("sheet") / "sheet.csv"
    try:
        path.write_bytes(buffer.getvalue().encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    attempt("import", ledger, "--by", "P007", "issue", "import", path)


@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=3))
def test_fuzz_patrol_import_sheets(ledger, tmp_path_factory, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["人员", "网格编码", "日期", "走访户数", "民情日记"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("sheet") / "patrols.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    attempt("patrol-import", ledger, "--by", "P007", "patrol", "import", path)


# ---- bundles ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def handed_up(tmp_path_factory):
    """A township ledger's week as a bundle, and an empty district ledger to merge it into."""
    from tests.test_exchange import hand_up_a_week

    base = tmp_path_factory.mktemp("bundle")
    district, bundle = hand_up_a_week(base)
    return district, gzip.open(bundle, "rt", encoding="utf-8").read().splitlines()


def _seal(lines: list[str]) -> list[str]:
    """Recompute the trailer's checksum (what a careful forger or a buggy tool would do)."""
    try:
        trailer = json.loads(lines[-1])
    except (ValueError, IndexError):
        return lines
    if not isinstance(trailer, dict):
        return lines
    trailer["sha256"] = hashlib.sha256("".join(line + "\n" for line in lines[:-1]).encode("utf-8", "surrogatepass")).hexdigest()
    return lines[:-1] + [json.dumps(trailer)]


JSON_VALUE = st.one_of(st.none(), st.booleans(), INTEGER, TEXT, st.lists(st.integers(), max_size=2),
                       st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(data=st.data())
def test_fuzz_bundles(handed_up, tmp_path_factory, data):
    receiver, lines = handed_up
    kind = data.draw(st.sampled_from(["flip", "drop_line", "swap_lines", "dup_line", "field", "details", "garbage"]))
    lines = list(lines)
    path = tmp_path_factory.mktemp("b") / "b.jsonl.gz"
    if kind == "flip":
        raw = bytearray(gzip.compress("".join(line + "\n" for line in lines).encode()))
        for _ in range(data.draw(st.integers(1, 3))):
            raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
        path.write_bytes(bytes(raw))
    else:
        if kind == "drop_line":
            del lines[data.draw(st.integers(0, len(lines) - 1))]
        elif kind == "swap_lines":
            a, b = data.draw(st.integers(1, len(lines) - 2)), data.draw(st.integers(1, len(lines) - 2))
            lines[a], lines[b] = lines[b], lines[a]
        elif kind == "dup_line":
            n = data.draw(st.integers(0, len(lines) - 1))
            lines.insert(n, lines[n])
        elif kind in ("field", "details"):
            n = data.draw(st.integers(0, len(lines) - 2))
            obj = json.loads(lines[n])
            key = "details" if kind == "details" and "details" in obj else data.draw(st.sampled_from(sorted(obj)))
            obj[key] = data.draw(JSON_VALUE if kind == "field" else st.one_of(
                TEXT, JSON_VALUE.map(lambda v: json.dumps(v))))
            lines[n] = json.dumps(obj, ensure_ascii=False)
        else:
            lines[data.draw(st.integers(0, len(lines) - 1))] = data.draw(TEXT).replace("\n", " ")
        if data.draw(st.booleans()):
            lines = _seal(lines)
        with gzip.open(path, "wt", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write("".join(line + "\n" for line in lines))
    work = path.with_name("receiver.db")
    shutil.copy(receiver, work)
    if attempt(f"bundle-{kind}", work, "merge", path, codes=(0, 1)) == 0:
        verified = run("--db", work, "verify", "--deep")
        assert verified.exit_code == 0, f"an accepted bundle broke the ledger: {verified.stderr}"
