"""A scripted day at a township: 30 issues through every path; every view agrees; verify holds."""

from __future__ import annotations

import csv
import sqlite3

from gridctl.issues.lifecycle import SOURCES
from tests.helpers import ok, run

BLOCKS = ["410105001001001", "410105001001004", "410105001002002", "410105001003005", "410105001004003"]
CATEGORIES = ["非法建设", "环境卫生", "占道", "安全生产", "矛盾纠纷", "道路", "流动人口", "困难群众帮扶"]


def at(minute: int) -> str:
    return f"2026-11-16 {8 + minute // 60:02d}:{minute % 60:02d}"


def scripted_day():
    """On the `township` ledger (经八路街道's office, the example city as of 2026-11-01)."""
    ids = []
    for n in range(30):
        issue = ok("issue", "add", "-g", BLOCKS[n % 5], "-c", CATEGORIES[n % 8],
                   "-s", list(SOURCES)[n % 7], "-t", f"第{n + 1}件: {CATEGORIES[n % 8]}问题",
                   "--place", f"{n + 1}号门前", "--at", at(n), *(["--on-the-spot"] if n % 10 == 9 else []))
        ids.append(issue["id"])
    for n, i in enumerate(ids):
        if n % 10 == 9:
            ok("issue", "callback", i, "--result", "满意", "--at", at(200 + n))
            continue
        if n % 10 == 8:
            ok("issue", "reject", i, "--reason", "重复上报", "--at", at(100 + n))
            continue
        ok("issue", "accept", i, "--at", at(100 + n))
        if n % 10 == 7:
            continue                                           # left accepted
        if n % 10 == 6:
            ok("issue", "escalate", i, "--reason", "需区级协调", "--at", at(130 + n))
            continue
        ok("issue", "dispatch", i, "--at", at(150 + n))
        if n % 10 == 5:
            ok("issue", "extend", i, "--days", "2", "--reason", "等待材料", "--approver", "P001", "--at", at(160 + n),
               by="P007")                                  # asked by the 网格长, approved by P001
            continue
        ok("issue", "handle", i, "--note", f"已处置{n}", "--at", at(200 + n))
        if n % 10 == 4:
            ok("issue", "rework", i, "--reason", "未达标", "--at", at(230 + n))
            continue
        ok("issue", "close", i, "--at", at(260 + n))
        if n % 10 == 3:
            ok("issue", "reopen", i, "--reason", "复发", "--at", at(300 + n))
        else:
            ok("issue", "callback", i, "--result", ["满意", "基本满意", "不满意"][n % 3], "--at", at(320 + n))
    return ids


def test_a_day_at_a_township(township, db, tmp_path):
    ids = scripted_day()
    as_of = "2026-11-16 18:00"
    listed = ok("issue", "list", "--as-of", as_of)
    assert sorted(i["id"] for i in listed) == sorted(ids) and len(listed) == 30
    expected = ["closed", "closed", "closed", "dispatched", "dispatched", "dispatched", "accepted",
                "accepted", "rejected", "closed"]
    status_of = {i["id"]: i["status"] for i in listed}
    assert [status_of[i] for i in ids] == expected * 3
    assert any(i["escalations"] >= 2 for i in listed)           # 道路 went to the district
    assert any(i["level"] == "district" for i in listed)
    by_id = {i["id"]: i for i in listed}
    for i in ids:
        shown = ok("issue", "show", i, "--as-of", as_of)
        timeline = shown.pop("timeline")
        shown.pop("approvers")  # show alone names who approved extensions
        assert shown.pop("duplicate_of") is None and shown.pop("duplicates") == []  # and duplicate links
        assert shown == by_id[i]
        assert timeline[-1]["hash"] == shown["last_event"]
        assert len(timeline) == shown["events"]
        assert timeline[-1]["to_status"] == shown["status"]
    out = tmp_path / "day.csv"
    assert run("issue", "export", "-o", out, "--as-of", as_of).exit_code == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["事件编号"] for r in rows] == [i["id"] for i in listed]
    for row in rows:
        item = by_id[row["事件编号"]]
        assert row["截止时间"] == (item["deadline"] or "")
        assert row["办结时间"] == (item["closed_at"] or "")
        assert row["上报次数"] == str(item["escalations"])
        assert row["返工次数"] == str(item["reworks"])
    text = run("issue", "list", "--as-of", as_of)
    assert all(i[-5:] in text.stdout for i in ids)
    verified = run("verify", "--deep")
    assert verified.exit_code == 0, verified.stderr
    assert "30 个问题" in verified.stdout
    # one event edited behind the ledger's back (as with the sqlite3 shell)
    conn = sqlite3.connect(db, isolation_level=None)
    seq, n = conn.execute("SELECT seq, n FROM events WHERE action = 'close' ORDER BY n LIMIT 1").fetchone()
    conn.execute("UPDATE events SET happened_at = '2026-11-16 08:00' WHERE seq = ?", (seq,))
    conn.close()
    broken = run("verify")
    assert broken.exit_code == 1
    assert f"第 {n} 条事件" in broken.stderr and f"seq {seq}" in broken.stderr
