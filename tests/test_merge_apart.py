"""A large merge goes apart (`gridctl.apart`): a second process reads, checks and chains the
bundle while the merging one folds and writes. It gives the ledger the one-process merge gives;
a bundle it refuses (anywhere in the file) is merged again in one process, which refuses it in
the same words with nothing written; a lost second process, or none to be had, leaves the merge
to one process; Ctrl+C leaves the ledger as it was and no process behind."""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import dump, run
from tests.test_bundle_faults import reseal, write
from tests.test_interrupts import STATUS, TWICE
from tests.test_merge_indexes import copy, rows, schema, year  # noqa: F401 - year: the fixture


@pytest.fixture
def apart(monkeypatch):
    """Every merge goes apart (a bundle of any size), in batches of 97 events; what each apart
    merge came to ("merged", or "again": merged in one process after it) is listed."""
    from gridctl import apart as module
    from gridctl import exchange

    came: list[str] = []
    original = exchange._merge_apart

    def counted(*args):
        receipt = original(*args)
        came.append("again" if receipt is None else "merged")
        return receipt

    monkeypatch.setattr(module, "APART_FROM", 0)
    monkeypatch.setattr(module, "spare_core", lambda: True)     # however busy the machine running the tests
    monkeypatch.setattr(exchange, "BATCH", 97)
    monkeypatch.setattr(exchange, "_merge_apart", counted)
    return came


def one_process(monkeypatch) -> None:
    from gridctl import apart as module

    monkeypatch.setattr(module, "APART_FROM", 1 << 62)


def test_a_merge_apart_gives_the_ledger_a_merge_in_one_process_gives(year, tmp_path, apart, monkeypatch):
    upper, bundle = year
    both, one = copy(upper, tmp_path / "both.db"), copy(upper, tmp_path / "one.db")
    done = run("--db", both, "merge", bundle, "--json")
    assert done.exit_code == 0 and apart == ["merged"], done.stderr
    one_process(monkeypatch)
    alone = run("--db", one, "merge", bundle, "--json")
    assert alone.exit_code == 0 and apart == ["merged"]
    assert {k: v for k, v in done.json().items() if k != "received"} == \
        {k: v for k, v in alone.json().items() if k != "received"}
    assert done.stderr.replace("both.db", "one.db") == alone.stderr     # the notice that others' writes wait, once
    assert rows(both) == rows(one) and schema(both) == schema(one)
    assert run("--db", both, "verify", "--deep").exit_code == 0
    from gridctl import apart as module

    monkeypatch.setattr(module, "APART_FROM", 0)
    again = run("--db", both, "merge", bundle, "--json")      # every event held already: none added
    assert again.exit_code == 0 and again.json()["added"] == 0 and apart == ["merged", "merged"]


def _late(lines: list[str], at: int, **changes) -> list[str]:
    event = json.loads(lines[at])
    event.update(changes)
    lines[at] = json.dumps(event, ensure_ascii=False)
    return lines


def sealed(lines: list[str]) -> list[str]:
    """The trailer's checksum made again (of lines `reseal` could not read)."""
    trailer = json.loads(lines[-1])
    trailer["sha256"] = hashlib.sha256("".join(line + "\n" for line in lines[:-1]).encode()).hexdigest()
    return lines[:-1] + [json.dumps(trailer)]


@pytest.mark.parametrize("damage, words", [
    (lambda lines: reseal(_late(lines, -40, issue="4101-2025-99999")), "4101-2025-99999"),      # the fold
    (lambda lines: reseal(_late(lines, -40, note=7), rehash=False), "备注"),                    # a line's shape
    (lambda lines: reseal(_late(lines, -40, note="改过"), rehash=False), "改动"),               # an edited event
    (lambda lines: reseal(lines[:-30] + lines[-1:], rehash=False), "不完整"),                  # the count falls short
    (lambda lines: sealed(lines[:-40] + ["{not json"] + lines[-39:]), "第"),                  # a line not JSON
    (lambda lines: lines[:-1] + [lines[-1].replace('"sha256": "', '"sha256": "0')], "校验"),    # the checksum
])
def test_a_bundle_refused_late_is_refused_in_the_same_words_and_nothing_is_written(
        year, tmp_path, apart, monkeypatch, damage, words):
    upper, bundle = year
    lines = gzip.open(bundle, "rt", encoding="utf-8").read().splitlines()
    bad = write(tmp_path / "bad.jsonl.gz", damage(lines))
    db = copy(upper, tmp_path / "up.db")
    before = dump(db)
    done = run("--db", db, "merge", bad)
    assert done.exit_code == 1 and words in done.stderr, done.stderr
    assert apart == ["again"]
    assert dump(db) == before and schema(db) == schema(upper)
    one_process(monkeypatch)
    alone = run("--db", db, "merge", bad)
    assert (alone.exit_code, alone.stderr) == (done.exit_code, done.stderr)
    english = run("--db", db, "--lang", "en", "merge", bad, "--json")
    assert english.exit_code == 1 and english.json()["error"]
    assert dump(db) == before


def test_a_lost_second_process_leaves_the_merge_to_one(year, tmp_path, apart, monkeypatch):
    from gridctl import exchange

    original = exchange._checked_batches

    def killed(conn, path, send):          # the second process dies after its first batch (out of memory, kill -9)
        def first(message):
            send(message)
            if message[0] == "batch":
                os.kill(os.getpid(), 9)
        original(conn, path, first)

    monkeypatch.setattr(exchange, "_checked_batches", killed)
    upper, bundle = year
    db, one = copy(upper, tmp_path / "up.db"), copy(upper, tmp_path / "one.db")
    done = run("--db", db, "merge", bundle)
    assert done.exit_code == 0 and apart == ["again"], done.stderr
    one_process(monkeypatch)
    assert run("--db", one, "merge", bundle).exit_code == 0
    assert rows(db) == rows(one)


def test_no_second_process_to_be_had_merges_in_one(year, tmp_path, apart, monkeypatch):
    from gridctl import apart as module

    def refused():
        raise OSError(errno.EAGAIN, "no process to be had")

    monkeypatch.setattr(module, "fork", refused)
    upper, bundle = year
    db = copy(upper, tmp_path / "up.db")
    assert run("--db", db, "merge", bundle).exit_code == 0
    assert apart == []


def test_a_machine_with_no_core_to_spare_merges_in_one_process(year, tmp_path, apart, monkeypatch):
    from gridctl import apart as module

    monkeypatch.setattr(module, "spare_core", lambda: False)   # others' work keeps the second core busy
    upper, bundle = year
    db = copy(upper, tmp_path / "up.db")
    assert run("--db", db, "merge", bundle).exit_code == 0
    assert apart == []


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_twice_in_a_merge_apart_leaves_the_ledger_as_it_was_and_no_process(year, tmp_path, sig):
    upper, bundle = year
    db = copy(upper, tmp_path / "up.db")
    before = dump(db)
    pids = tmp_path / "pids"
    env = dict(os.environ, GRIDCTL_LANG="en", GRIDCTL_DB=str(db), STOP_SIGNAL=sig)
    script = ("import gridctl.apart as apart\napart.APART_FROM = 0\napart.spare_core = lambda: True\n_start = apart.Apart.start.__func__\n"
              "def start(cls, *a):\n    made = _start(cls, *a)\n"
              f"    open({str(pids)!r}, 'a').write(f'{{made.pid}}\\n')\n    return made\n"
              "apart.Apart.start = classmethod(start)\n" + TWICE.format(reader="exchange", writer="exchange"))
    done = subprocess.run([sys.executable, "-c", script, "merge", str(bundle)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == STATUS[sig], done.stderr
    assert "Traceback" not in done.stderr and "BATCH IN ITS TRANSACTION" in done.stderr, done.stderr
    assert dump(db) == before
    (pid,) = [int(p) for p in pids.read_text().split()]
    assert not Path(f"/proc/{pid}").exists()        # ended and reaped by the merging process
    assert run("--db", db, "merge", bundle).exit_code == 0
