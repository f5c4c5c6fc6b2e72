"""四级平台: township ledgers handed up to a district and merged, exactly; and back down."""

from __future__ import annotations

import functools
import gzip
import json
import hashlib
import itertools
import sqlite3

import pytest

from tests import helpers
from tests.helpers import load_example, run, write_folder

DISTRICT = """
grids:
  - code: "410105"
    name: 金水区
    children:
"""
for _n, _name in ((1, "经八路街道"), (2, "花园路街道"), (3, "文化路街道")):
    DISTRICT += f"""      - code: "41010500{_n}"
        name: {_name}
        children:
          - code: "41010500{_n}001"
            name: 第一社区
            kind: 社区
            children:
              - {{code: "41010500{_n}001001", name: 1号楼院, kind: 楼院}}
"""
DISTRICT += """people:
  - {id: P1, name: 甲, phone: "13800004001"}
  - {id: P2, name: 乙, phone: "13800004002"}
  - {id: P3, name: 丙, phone: "13800004003"}
  - {id: D1, name: 区平台, phone: "13800004009"}
posts:
  - {grid: "410105001001001", role: 网格长, person: P1, since: 2026-01-01}
  - {grid: "410105002001001", role: 网格长, person: P2, since: 2026-01-01}
  - {grid: "410105003001001", role: 网格长, person: P3, since: 2026-01-01}
teams:
  - {code: T1, name: 驻经八路工作队, unit: 市教体局, leader: P1, members: [P2], grids: ["410105001001", "410105002001"],
     since: 2026-01-01}
departments:
  - {code: CG105, name: 金水区城管执法局, grid: "410105", kind: 城市管理}
  - {code: JT105, name: 金水区交通局, grid: "410105", kind: 交通运输}
"""
TOWNS = {"A": "410105001", "B": "410105002", "C": "410105003"}


def office_ledger(node: str, path):
    """The district's definitions loaded into the ledger of the office at `node`."""
    load_example(path, "2026-01-01", node=node, folder=write_folder(path.parent / "defs", {"d.yaml": DISTRICT}))


@pytest.fixture
def offices(tmp_path, templates):
    dbs = {}
    for name, node in {**TOWNS, "D": "410105", "S": "410105"}.items():
        dbs[name] = tmp_path / f"{name}.db"
        templates.copy(f"office-{node}", functools.partial(office_ledger, node), dbs[name])
    return dbs


ok = functools.partial(helpers.ok, by="P1")


def week_of(db, name, single=None, day="2026-11-16"):
    """One township's scripted week; `single` replays the same actions into one shared ledger."""
    town = TOWNS[name]
    block = f"{town}001001"
    targets = [db] + ([single] if single else [])
    ids = {}
    for target in targets:
        a = ok("issue", "add", "-g", block, "-c", "环境卫生", "-s", "巡查发现", "-t", f"{name}垃圾",
               "--at", f"{day} 09:00", "--force", db=target)["id"]     # the same title every week
        ok("issue", "accept", a, "--at", f"{day} 10:00", db=target)
        ok("issue", "dispatch", a, "--at", f"{day} 11:00", db=target)
        ok("issue", "handle", a, "--at", f"{day} 15:00", db=target)
        ok("issue", "close", a, "--at", f"{day} 16:00", db=target)
        b = ok("issue", "add", "-g", block, "-c", "道路", "-s", "热线电话", "-t", f"{name}路面塌陷",
               "--at", f"{day} 09:30", "--force", db=target)["id"]
        ok("patrol", "add", "-p", f"P{'ABC'.index(name) + 1}", "-g", block, "-d", day[:10],
           "--households", "4", db=target)
        ids[target] = (a, b)
    return ids[db]


def township_and_district(base) -> dict:
    """Two offices' ledgers loaded from DISTRICT: township A ("A") and the district ("D")."""
    folder = write_folder(base / "defs", {"d.yaml": DISTRICT})
    dbs = {}
    for name, node in (("A", TOWNS["A"]), ("D", "410105")):
        dbs[name] = base / f"{name}.db"
        assert run("--db", dbs[name], "init", "--node", node).exit_code == 0
        assert run("--db", dbs[name], "load", folder, "--as-of", "2026-01-01").exit_code == 0
    return dbs


def hand_up_a_week(base):
    """Township A with a scripted week and its bundle; an empty district ledger.
    Returns (district ledger, bundle path)."""
    dbs = township_and_district(base)
    week_of(dbs["A"], "A")
    bundle = base / "a.jsonl.gz"
    ok("bundle", "-o", bundle, db=dbs["A"])
    return dbs["D"], bundle


def dump(db) -> dict:
    conn = sqlite3.connect(db)
    out = {
        "events": conn.execute("SELECT office, n, issue, record, action, happened_at, details, hash FROM events "
                               "ORDER BY office, n").fetchall(),
        "issues": conn.execute("SELECT * FROM issues ORDER BY id").fetchall(),
        "patrols": conn.execute("SELECT * FROM patrols ORDER BY id").fetchall(),
        "links": conn.execute("SELECT * FROM patrol_issues ORDER BY issue").fetchall(),
        "heads": conn.execute("SELECT * FROM ledger_meta WHERE key LIKE 'head:%' ORDER BY key").fetchall(),
    }
    conn.close()
    out["issues"] = [row[1:] for row in out["issues"]]        # num is local to each ledger
    return out


def test_merge_in_any_order_gives_the_same_ledger(offices, tmp_path):
    for name in TOWNS:
        week_of(offices[name], name)
    bundles = {name: tmp_path / f"{name}.jsonl.gz" for name in TOWNS}
    for name in TOWNS:
        assert ok("bundle", "-o", bundles[name], db=offices[name])["count"] == 9
    dumps = []
    for order in itertools.permutations(TOWNS):
        db = tmp_path / f"d-{''.join(order)}.db"
        shutil_copy(offices["D"], db)
        for name in order:
            assert ok("merge", bundles[name], db=db)["added"] == 9
        dumps.append(dump(db))
        assert run("--db", db, "verify", "--deep").exit_code == 0
    assert all(d == dumps[0] for d in dumps[1:])
    again = ok("merge", bundles["A"], db=db)
    assert again["added"] == 0
    assert dump(db) == dumps[0]


def shutil_copy(src, dst):
    import shutil

    shutil.copy(src, dst)


def test_an_edited_byte_is_refused_naming_the_event(offices, tmp_path):
    week_of(offices["A"], "A")
    path = tmp_path / "a.jsonl.gz"
    ok("bundle", "-o", path, db=offices["A"])
    lines = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
    lines[3] = lines[3].replace("11:00", "11:01")         # event #3: the dispatch time
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    before = dump(offices["D"])
    result = run("--db", offices["D"], "merge", path)
    assert result.exit_code == 1
    assert "数据包已损坏" in result.stderr and "校验和" in result.stderr    # the whole-content checksum
    assert dump(offices["D"]) == before
    # the checksum recomputed by whoever edited it: the event's own hash still names it
    trailer = json.loads(lines[-1])
    trailer["sha256"] = hashlib.sha256("".join(line + "\n" for line in lines[:-1]).encode()).hexdigest()
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:-1] + [json.dumps(trailer)]) + "\n")
    result = run("--db", offices["D"], "merge", path)
    assert result.exit_code == 1
    assert "410105001" in result.stderr and "第 3 条" in result.stderr and "改动" in result.stderr
    assert dump(offices["D"]) == before


def test_truncated_and_damaged_bundles_are_refused(offices, tmp_path):
    week_of(offices["A"], "A")
    path = tmp_path / "a.jsonl.gz"
    ok("bundle", "-o", path, db=offices["A"])
    lines = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
    with gzip.open(tmp_path / "t.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:5] + lines[-1:]) + "\n")
    result = run("--db", offices["D"], "merge", tmp_path / "t.jsonl.gz")
    assert result.exit_code == 1 and "数据包已损坏" in result.stderr      # lines missing: the checksum
    with gzip.open(tmp_path / "t.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:5]) + "\n")                   # cut off: no trailer at all
    result = run("--db", offices["D"], "merge", tmp_path / "t.jsonl.gz")
    assert result.exit_code == 1 and "不完整" in result.stderr
    (tmp_path / "junk.gz").write_bytes(path.read_bytes()[:40])
    assert run("--db", offices["D"], "merge", tmp_path / "junk.gz").exit_code == 1


def test_a_skipped_bundle_is_detected(offices, tmp_path):
    a = offices["A"]
    week_of(a, "A", day="2026-11-16")
    first = tmp_path / "a1.jsonl.gz"
    ok("bundle", "-o", first, db=a)
    receipt_holder = tmp_path / "d-shadow.db"
    shutil_copy(offices["D"], receipt_holder)
    receipt = tmp_path / "receipt.json"
    assert run("--db", receipt_holder, "merge", first, "--receipt", receipt).exit_code == 0
    week_of(a, "A", day="2026-11-17")
    second = tmp_path / "a2.jsonl.gz"
    header = ok("bundle", "-o", second, "--since", receipt, db=a)
    assert header["chains"]["410105001"]["first_n"] == 10
    result = run("--db", offices["D"], "merge", second)         # the first was never merged here
    assert result.exit_code == 1 and "缺少第 1–9 条" in result.stderr
    assert ok("merge", first, db=offices["D"])["added"] == 9
    assert ok("merge", second, db=offices["D"])["added"] == 9
    status = ok("status", "--as-of", "2026-11-26", db=offices["D"])
    assert [o["office"] for o in status["offices"]] == ["410105001"]
    late = ok("status", "--as-of", "2026-12-10", db=offices["D"])
    assert late["not_this_week"] == ["410105001"]
    line = run("--db", offices["D"], "status", "--as-of", "2026-11-26").stdout
    received = status["offices"][0]["received_at"]
    assert f"最近合并 {received[:10]} {received[11:16]} (" in line, line   # the time as every command prints it


def test_cross_office_escalation_round_trip(offices, tmp_path):
    a, d = offices["A"], offices["D"]
    _, road = week_of(a, "A")
    ok("bundle", "-o", tmp_path / "up.jsonl.gz", db=a)
    ok("merge", tmp_path / "up.jsonl.gz", db=d)
    queued = ok("issue", "list", "--open", db=d)
    held = {i["id"]: i for i in queued}[road]
    assert held["holder"] == "410105" and held["level"] == "district" and held["department"] == "JT105"
    ok("issue", "accept", road, "--at", "2026-11-17 09:00", db=d)
    ok("issue", "dispatch", road, "--to", "JT105", "--at", "2026-11-17 10:00", db=d)
    ok("issue", "handle", road, "--at", "2026-11-18 10:00", db=d)
    ok("issue", "close", road, "--at", "2026-11-18 16:00", db=d)
    ok("issue", "callback", road, "--result", "满意", "--at", "2026-11-19 09:00", db=d)
    ok("bundle", "-o", tmp_path / "down.jsonl.gz", db=d)
    back = ok("merge", tmp_path / "down.jsonl.gz", db=a)
    assert back["added"] == 5 and back["chains"]["410105001"]["added"] == 0
    up, down = ok("issue", "show", road, db=d), ok("issue", "show", road, db=a)
    assert down["status"] == "closed" and down["callback"] == "satisfied"
    history = [(e["office"], e["n"], e["action"], e["hash"]) for e in up["timeline"]]
    assert [(e["office"], e["n"], e["action"], e["hash"]) for e in down["timeline"]] == history
    assert [h[2] for h in history] == ["add", "escalate", "escalate", "accept", "dispatch", "handle", "close", "callback"]
    for db in (a, d):
        assert run("--db", db, "verify", "--deep").exit_code == 0


def test_reports_and_scores_on_the_merged_ledger_equal_a_single_ledger(offices, tmp_path):
    for name in TOWNS:
        week_of(offices[name], name, single=offices["S"])
        ok("bundle", "-o", tmp_path / f"{name}.jsonl.gz", db=offices[name])
        ok("merge", tmp_path / f"{name}.jsonl.gz", db=offices["D"])
    reports = []
    for db in (offices["D"], offices["S"]):
        figures = ok("report", "weekly", "--unit", "金水区", "--week", "2026-W47", "--as-of", "2026-11-20 18:00",
                     "-o", tmp_path / f"{db.stem}.xlsx", db=db)
        reports.append({k: figures[k] for k in ("status", "category", "source", "colour", "this_week", "rows",
                                                "patrols", "missing")})
    assert reports[0] == reports[1]
    monthly = [ok("report", "monthly", "--unit", "金水区", "--month", "2026-11", "--as-of", "2026-11-20 18:00",
                  "-o", tmp_path / f"m{db.stem}.xlsx", db=db)["ranking"] for db in (offices["D"], offices["S"])]
    assert [(r["name"], r["points"], r["rates"]) for r in monthly[0]] == [(r["name"], r["points"], r["rates"]) for r in monthly[1]]
    scores = [ok("score", "--quarter", "2026Q4", db=db) for db in (offices["D"], offices["S"])]
    assert [(m["id"], m["total"], m["rates"]) for m in scores[0]["members"]] == \
        [(m["id"], m["total"], m["rates"]) for m in scores[1]["members"]]
    assert scores[0]["teams"][0]["total"] == scores[1]["teams"][0]["total"]


def test_a_voided_patrols_issue_links_stay_gone_once_merged(tmp_path):
    # A township records a patrol, an issue that patrol found, then voids the patrol (a wrong date):
    # its links go. Merged above, the void came before the batch's new links were written, and the
    # link came back (verify --deep: patrol_issues 表与事件链不符).
    dbs = township_and_district(tmp_path)
    block = f"{TOWNS['A']}001001"
    patrol = ok("patrol", "add", "-p", "P1", "-g", block, "-d", "2026-11-16", "--households", "4",
                db=dbs["A"])["id"]
    ok("issue", "add", "-g", block, "-c", "环境卫生", "-s", "巡查发现", "-t", "楼道堆物", "--patrol", patrol,
       "--at", "2026-11-16 10:00", "--force", db=dbs["A"])
    ok("patrol", "void", patrol, "--reason", "日期填错", db=dbs["A"])
    bundle = tmp_path / "a.jsonl.gz"
    ok("bundle", "-o", bundle, db=dbs["A"])
    ok("merge", bundle, db=dbs["D"])
    assert dump(dbs["D"])["links"] == dump(dbs["A"])["links"] == []
    assert run("--db", dbs["D"], "verify", "--deep").exit_code == 0


def test_notes_merged_later_are_found_by_search_upstairs(offices, tmp_path):
    """Notes written after an issue was handed up reach the district's search index with the
    next bundle (many issues' notes go in per statement): each note found on its own issue."""
    town, district = offices["A"], offices["D"]
    a, b = week_of(town, "A")
    ok("bundle", "-o", tmp_path / "1.jsonl.gz", db=town)
    ok("merge", tmp_path / "1.jsonl.gz", db=district)
    ok("issue", "accept", b, "--at", "2026-11-17 09:00", "--note", "联系交通局铺设钢板", db=town)
    ok("issue", "dispatch", b, "--at", "2026-11-17 10:00", "--note", "交通局养护科已到场", db=town)
    c = ok("issue", "add", "-g", "410105001001001", "-c", "环境卫生", "-s", "巡查发现", "-t", "楼道堆物",
           "--at", "2026-11-17 11:00", db=town)["id"]
    ok("issue", "accept", c, "--at", "2026-11-17 12:00", "--note", "通知物业清理", db=town)
    ok("bundle", "-o", tmp_path / "2.jsonl.gz", db=town)
    assert ok("merge", tmp_path / "2.jsonl.gz", db=district)["added"] == 4
    for db in (town, district):
        assert [i["id"] for i in ok("issue", "search", "钢板", db=db)] == [b]
        assert [i["id"] for i in ok("issue", "search", "养护科", db=db)] == [b]
        assert [i["id"] for i in ok("issue", "search", "物业清理", db=db)] == [c]
        assert [i["id"] for i in ok("issue", "search", "垃圾", db=db)] == [a]


@pytest.mark.parametrize("size", [1, 2, 4])
def test_small_batches_merge_to_the_same_ledger(offices, tmp_path, monkeypatch, size):
    """An issue's events spread over several batches, each folded while the one before is still
    being written (from that batch's states, not the ledger): the same ledger as one batch."""
    from gridctl import exchange

    week_of(offices["A"], "A")
    bundle = tmp_path / "a.jsonl.gz"
    ok("bundle", "-o", bundle, db=offices["A"])
    whole = tmp_path / "whole.db"
    shutil_copy(offices["D"], whole)
    ok("merge", bundle, db=whole)
    monkeypatch.setattr(exchange, "BATCH", size)
    assert ok("merge", bundle, db=offices["D"])["added"] == 9
    assert dump(offices["D"]) == dump(whole)
    assert [i["id"] for i in ok("issue", "search", "路面塌陷", db=offices["D"])] == \
        [i["id"] for i in ok("issue", "search", "路面塌陷", db=whole)]
    assert run("--db", offices["D"], "verify", "--deep").exit_code == 0
