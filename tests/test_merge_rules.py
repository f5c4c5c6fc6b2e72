"""A ledger written by a gridctl before the one-record rules (one callback a closing; one patrol,
meeting, attendance, study, publicity or survey record of a kind a day) may hold what those rules
now refuse. Merged upward (the event log is append-only: a lower office's events are never
dropped) or read where it was written, it is counted as if the rules had held: the same figures
as the ledger of a clerk whom gridctl refused, and the ambiguity said where there is one."""

from __future__ import annotations

import functools
import sqlite3

import pytest

from tests import helpers
from tests.helpers import run
from tests.test_exchange import township_and_district

ok = functools.partial(helpers.ok, by="P1")
BLOCK = "410105001001001"
DAY = "2026-11-16"


@pytest.fixture
def older_gridctl(monkeypatch):
    """What a gridctl before the rules did: took a second callback on a closing as a callback."""
    from gridctl.issues import service

    def older():
        monkeypatch.setattr(service, "_callback_correction", lambda state, correct: {})
    return older


def closed_and_called_back(db, results, older=None) -> str:
    """An issue of township A closed and called back with each of `results` in turn (the later
    ones as the older gridctl took them: `older` set before them)."""
    issue = ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "热线电话", "-t", "垃圾堆放",
               "--at", f"{DAY} 09:00", db=db)["id"]
    for action, hour in (("accept", 10), ("dispatch", 11), ("handle", 15), ("close", 16)):
        ok("issue", action, issue, "--at", f"{DAY} {hour}:00", db=db)
    for day, result in enumerate(results, start=17):
        if day > 17 and older:
            older()
        ok("issue", "callback", issue, "--result", result, "--at", f"2026-11-{day} 09:00", db=db)
    return issue


def handed_up(base, results, older=None) -> tuple:
    dbs = township_and_district(base)
    issue = closed_and_called_back(dbs["A"], results, older)
    ok("bundle", "-o", base / "a.jsonl.gz", db=dbs["A"])
    ok("merge", base / "a.jsonl.gz", db=dbs["D"])
    return dbs, issue


def test_a_second_callback_merged_from_an_older_ledger_leaves_the_first_counted(tmp_path, older_gridctl, monkeypatch):
    """Township A's older gridctl took 不满意 then 满意 on one closing; merged into the district, the
    issue said 满意 (the later replaced the earlier: a resident's 不满意 hidden) and the 满意率 of
    the month and the quarter counted it satisfied. Now the first counts, as the rule would have
    had it (the second refused, or recorded as `--correct`); `issue show` says the second is not
    counted, in both languages; the figures equal those of a ledger where the rule held."""
    (tmp_path / "old").mkdir()
    (tmp_path / "ruled").mkdir()
    old, issue = handed_up(tmp_path / "old", ["不满意", "满意"], older_gridctl)
    ruled, same = handed_up(tmp_path / "ruled", ["不满意"])
    assert issue == same
    for dbs in (old, ruled):
        for db in dbs.values():
            shown = ok("issue", "show", issue, db=db)
            assert (shown["callback"], shown["callback_at"]) == ("unsatisfied", "2026-11-17 09:00"), db
            assert run("--db", db, "verify", "--deep").exit_code == 0
    screen = run("--db", old["D"], "issue", "show", issue)
    assert "回访: 不满意" in screen.stdout and "群众满意度" in screen.stdout, screen.stdout
    assert "回访: 满意 (未计入: 本次结案已回访)" in screen.stdout, screen.stdout
    english = run("--lang", "en", "--db", old["D"], "issue", "show", issue)
    assert "callback: satisfied (not counted: called back already)" in english.stdout, english.stdout
    figures = []
    for dbs in (old, ruled):
        monthly = ok("report", "monthly", "--unit", "金水区", "--month", "2026-11", "--as-of", "2026-11-26 18:00",
                     "-o", dbs["D"].with_suffix(".xlsx"), db=dbs["D"])
        scored = ok("score", "--quarter", "2026Q4", db=dbs["D"])
        figures.append(([(r["name"], r["points"], r["rates"]) for r in monthly["ranking"]],
                        [(t["id"], t["total"], t["rates"]) for t in scored["teams"]]))
    assert figures[0] == figures[1]
    assert "satisfaction" in str(figures[0])
    # the township's own ledger as the older gridctl left it (the later callback in its row) is
    # folded again when this gridctl opens it (m020), and verifies
    with sqlite3.connect(old["A"]) as conn:
        conn.execute("UPDATE issues SET callback = 'satisfied', callback_at = '2026-11-18 09:00'")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm020_one_callback_a_closing'")
    assert ok("issue", "show", issue, db=old["A"])["callback"] == "unsatisfied"
    assert run("--db", old["A"], "verify", "--deep").exit_code == 0
    # with this gridctl the township's correction is recorded as one, and it counts
    monkeypatch.undo()
    ok("issue", "callback", issue, "--result", "满意", "--correct", "--at", "2026-11-20 09:00", db=old["A"])
    assert ok("issue", "show", issue, db=old["A"])["callback"] == "satisfied"


RECORDS = [
    ("patrol", "add", "-p", "P1", "-g", BLOCK, "-d", DAY, "--households", "4"),
    ("meeting", "add", "--unit", "T1", "-d", DAY, "--kind", "碰头会", "--attendees", "P1"),
    ("attendance", "add", "-p", "P2", "-d", DAY, "--kind", "不在岗", "--reason", "未到岗"),
    ("study", "add", "-p", "P2", "-d", DAY, "--kind", "组织学习", "--attended", "否"),
    ("publicity", "add", "-p", "P1", "-d", DAY, "--kind", "工作动态", "--title", "同一篇"),
    ("survey", "add", "--team", "T1", "-p", "P2", "-d", DAY, "--participants", "50", "--satisfied", "30",
     "--fair", "10", "--unsatisfied", "10"),
]


@pytest.fixture
def older_records(monkeypatch):
    """What a gridctl before the one-record rules did: recorded the same record again."""
    from gridctl.ledger import records as rq

    def older():
        for check in ("patrol_on_day", "meeting_on_day", "same_record", "absence_overlapping"):
            monkeypatch.setattr(rq, check, lambda *args: None)
        monkeypatch.setattr(rq, "survey_exists", lambda *args: False)
    return older


def counted(db, base) -> dict:
    """What the week's and the quarter's figures say on `db` (the ledger's own words left out)."""
    weekly = ok("report", "weekly", "--unit", "金水区", "--week", "2026-W47", "--as-of", "2026-11-22 18:00",
                "-o", base / f"w-{db.stem}.xlsx", db=db)
    scored = ok("score", "--quarter", "2026Q4", db=db)
    members = [(m["id"], m["conduct"], m["counts"], m["votes"], m["conduct_items"], m["rates"]) for m in scored["members"]]
    return {"weekly": {k: weekly[k] for k in ("patrols", "missing", "rows", "meetings_held", "meetings_missed")},
            "members": members,
            "teams": [(t["id"], t["total"]) for t in scored["teams"]],
            "patrols": ok("patrol", "missing", "--week", "2026-W47", db=db),
            "meetings": ok("meeting", "missing", "--week", "2026-W47", db=db)}


def test_records_repeated_by_an_older_ledger_count_once_merged_or_not(tmp_path, older_records, monkeypatch):
    """A township whose older gridctl recorded the same patrol, meeting, 不在岗, missed study,
    publicity item and survey twice on a day: merged into the district, the weekly report counted
    two patrols and two visits of 4 households, the score two publicity items, two days absent,
    two missed sessions and the survey's votes twice, the weekly's meetings listed the huddle
    twice. Each counts once now (the first written standing for both), on the district's ledger
    and on the township's own: the figures of a ledger whose gridctl refused the repeats."""
    ledgers = {}
    for name in ("old", "ruled"):
        (tmp_path / name).mkdir()
        dbs = township_and_district(tmp_path / name)
        for command in RECORDS:
            ok(*command, db=dbs["A"])
        if name == "old":
            older_records()
            for command in RECORDS:
                ok(*command, db=dbs["A"])
            monkeypatch.undo()
        ok("bundle", "-o", tmp_path / name / "a.jsonl.gz", db=dbs["A"])
        ok("merge", tmp_path / name / "a.jsonl.gz", db=dbs["D"])
        ledgers[name] = dbs
    assert len(ok("patrol", "list", db=ledgers["old"]["D"])) == 2          # both held: nothing dropped
    for office in ("A", "D"):
        old, ruled = (counted(ledgers[name][office], tmp_path / name) for name in ("old", "ruled"))
        assert old == ruled, office
    figures = counted(ledgers["old"]["D"], tmp_path)
    assert figures["weekly"]["patrols"] == 1
    p2 = next(m for m in figures["members"] if m[0] == "T1:P2")
    assert p2[3] == {"satisfied": 30, "fair": 10, "unsatisfied": 10}, p2


def test_a_merge_names_each_repeat_it_takes_in_and_says_which_counts(tmp_path, older_records, older_gridctl):
    """The merge took the older ledger's repeats without a word. It names each (its event, the
    record it repeats, whether the two say the same; the callback and which result counts), in
    both languages, on stderr, and in the receipt (`--json`); a bundle without any says nothing
    more than before."""
    dbs = township_and_district(tmp_path)
    for command in RECORDS:
        ok(*command, db=dbs["A"])
    older_records()
    ok(*RECORDS[0], db=dbs["A"])
    survey = list(RECORDS[-1])
    survey[survey.index("--satisfied") + 1] = "20"
    second = ok(*survey, db=dbs["A"])["id"]
    issue = closed_and_called_back(dbs["A"], ["不满意", "满意"], older_gridctl)
    bundle = tmp_path / "a.jsonl.gz"
    ok("bundle", "-o", bundle, db=dbs["A"])
    english_copy, words = tmp_path / "D-en.db", tmp_path / "D-words.db"
    english_copy.write_bytes(dbs["D"].read_bytes())
    words.write_bytes(dbs["D"].read_bytes())
    merged = run("--db", dbs["D"], "merge", bundle)
    assert merged.exit_code == 0, merged.stderr
    said = merged.stderr
    assert "注意: 合并进来的 2 条记录与本台账已有的记录是同一条" in said, said
    assert "平台 410105001 第 7 条事件的巡查 410105001-P2026-000002 与 410105001-P2026-000001 相同" in said, said
    assert f"平台 410105001 第 8 条事件的民意测评 {second} 与 410105001-V2026-000001 内容不同, 按 410105001-V2026-000001 计" \
        in said, said
    assert "注意: 合并进来的 1 次回访是同一次结案的第二次回访" in said and f"问题 {issue} 的回访 满意 (计 不满意)" in said, said
    english = run("--lang", "en", "--db", english_copy, "merge", bundle, "--json")
    assert english.exit_code == 0, english.stderr
    receipt = english.json()
    assert [(r["kind"], r["record"], r["same"], r["n"]) for r in receipt["repeats"]] == \
        [("patrol", "410105001-P2026-000002", True, 7), ("survey", second, False, 8)]
    assert [(c["issue"], c["result"], c["counted"]) for c in receipt["uncounted_callbacks"]] == \
        [(issue, "satisfied", "unsatisfied")]
    english = run("--lang", "en", "--db", words, "merge", bundle)
    assert "note: 2 merged record(s) are the same record as one this ledger holds" in english.stderr, english.stderr
    assert f"the survey {second} (office 410105001 event #8) differs from 410105001-V2026-000001; " \
        "410105001-V2026-000001 counts" in english.stderr, english.stderr
    assert f"issue {issue}'s callback satisfied (unsatisfied counts)" in english.stderr, english.stderr
    clean = township_and_district(tmp_path / "clean")
    ok(*RECORDS[0], db=clean["A"])
    ok("bundle", "-o", tmp_path / "clean.jsonl.gz", db=clean["A"])
    quiet = run("--db", clean["D"], "merge", tmp_path / "clean.jsonl.gz")
    assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr


def test_verify_deep_names_the_repeats_a_ledger_holds(tmp_path, older_records):
    """A ledger already holding repeats (written by an older gridctl, or merged before this version
    named them) said nothing of them: `verify --deep` names each (as the merge does) as a note,
    not a fault (exit 0), on the township's ledger and the district's; `--json` lists them. A ledger
    without any says nothing more than before."""
    dbs = township_and_district(tmp_path)
    for command in RECORDS:
        ok(*command, db=dbs["A"])
    assert run("--db", dbs["A"], "verify", "--deep").stderr == ""
    older_records()
    ok(*RECORDS[0], db=dbs["A"])
    survey = list(RECORDS[-1])
    survey[survey.index("--satisfied") + 1] = "20"
    second = ok(*survey, db=dbs["A"])["id"]
    ok("bundle", "-o", tmp_path / "a.jsonl.gz", db=dbs["A"])
    ok("merge", tmp_path / "a.jsonl.gz", db=dbs["D"])
    for db in (dbs["A"], dbs["D"]):
        deep = run("--db", db, "verify", "--deep")
        assert deep.exit_code == 0, deep.stderr
        assert "注意: 台账中有 2 条记录与先记的记录是同一条" in deep.stderr, deep.stderr
        assert f"民意测评 {second} 与 410105001-V2026-000001 内容不同, 按 410105001-V2026-000001 计" in deep.stderr
        english = run("--lang", "en", "--db", db, "verify", "--deep")
        assert "note: 2 record(s) are the same record as one written before them" in english.stderr
        listed = run("--db", db, "verify", "--deep", "--json").json()
        assert listed["ok"] and [r["record"] for r in listed["repeats"]] == ["410105001-P2026-000002", second]


def test_a_record_s_words_are_trimmed_alike_when_added_counted_merged_and_verified(tmp_path, older_records):
    """A reason typed with a full-width space before it and a newline after (a pasted cell) was
    stored so; the same 不在岗 given again as plain 未到岗 was taken at add time (Python trimmed the
    new words of any blank, SQL the held ones of spaces only) and counted twice; given again
    with the same blanks it was taken too, then counted once. One trimming now, everywhere: the
    add refuses both, the score counts one day, and a repeat held (an older ledger's) is named
    as the same record by `verify --deep` and by the merge."""
    dbs = township_and_district(tmp_path)
    pasted = ("attendance", "add", "-p", "P2", "-d", DAY, "--kind", "不在岗", "--reason", "\u3000未到岗\n")
    first = ok(*pasted, db=dbs["A"])["id"]
    for reason in ("未到岗", "未到岗\t", "\u3000未到岗\n"):
        again = run("--db", dbs["A"], "--by", "P1", "attendance", "add", "-p", "P2", "-d", DAY, "--kind", "不在岗", "--reason", reason)
        assert again.exit_code == 1 and first in again.stderr, (reason, again.stdout, again.stderr)
    older_records()
    second = ok("attendance", "add", "-p", "P2", "-d", DAY, "--kind", "不在岗", "--reason", " 未到岗\t", db=dbs["A"])["id"]
    ok("bundle", "-o", tmp_path / "a.jsonl.gz", db=dbs["A"])
    merged = run("--db", dbs["D"], "merge", tmp_path / "a.jsonl.gz")
    assert merged.exit_code == 0, merged.stderr
    assert f"出勤记录 {second} 与 {first} 相同" in merged.stderr, merged.stderr
    for db in (dbs["A"], dbs["D"]):
        deep = run("--db", db, "verify", "--deep", "--json")
        assert deep.exit_code == 0 and [(r["record"], r["first"], r["same"]) for r in deep.json()["repeats"]] == \
            [(second, first, True)], deep.stdout
        p2 = next(m for m in ok("score", "--quarter", "2026Q4", db=db)["members"] if m["id"] == "T1:P2")
        assert p2["counts"]["absent"] == 1, p2


def test_verify_deep_names_a_second_callback_a_ledger_holds(tmp_path, older_gridctl, monkeypatch):
    """A second callback on one closing (no correction) held by a ledger (an older gridctl's, or
    merged from one before the merge named them) was said by `issue show` and at the merge, not
    by `verify --deep`, which names the repeated records: now it names it too, as a note (exit 0),
    in both languages and in `--json`, on the township's ledger and the district's; a ledger
    with one callback a closing, or a correction, says nothing more."""
    dbs, issue = handed_up(tmp_path, ["不满意", "满意"], older_gridctl)
    for db in (dbs["A"], dbs["D"]):
        deep = run("--db", db, "verify", "--deep")
        assert deep.exit_code == 0, deep.stderr
        assert "注意: 台账中有 1 次回访是同一次结案的第二次回访, 未标为更正" in deep.stderr, deep.stderr
        assert f"平台 410105001 第 7 条事件: 问题 {issue} 的回访 满意 (计 不满意)" in deep.stderr, deep.stderr
        english = run("--lang", "en", "--db", db, "verify", "--deep")
        assert "note: 1 callback(s) came second on one closing" in english.stderr, english.stderr
        assert f"office 410105001 event #7: issue {issue}'s callback satisfied (unsatisfied counts)" in english.stderr
        listed = run("--db", db, "verify", "--deep", "--json").json()
        assert listed["ok"] and [(c["issue"], c["n"], c["result"], c["counted"]) for c in listed["uncounted_callbacks"]] \
            == [(issue, 7, "satisfied", "unsatisfied")], listed
    (tmp_path / "ruled").mkdir()
    ruled, _ = handed_up(tmp_path / "ruled", ["不满意"])
    monkeypatch.undo()
    ok("issue", "callback", issue, "--result", "满意", "--correct", "--at", "2026-11-20 09:00", db=ruled["A"])
    for db in (ruled["A"], ruled["D"]):
        quiet = run("--db", db, "verify", "--deep")
        assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr
        assert "uncounted_callbacks" not in run("--db", db, "verify", "--deep", "--json").json()


def test_overlapping_absences_an_older_ledger_holds_count_each_day_once_and_are_named(tmp_path, older_records):
    """An older gridctl took 不在岗 on days P2 was already recorded absent (another reason, or a
    longer stretch): 3 days from 11-16, then 11-17 again and 2 days from 11-18. The score summed
    6 days (past 5: 不称职 where scoring.yaml says so) where P2 was absent 4 (11-16 to 11-19), on the
    township's ledger and on the district's after the merge, in the workbook's 成员 sheet and in `score
    explain` too, and nobody named the overlap. Each day counts once now: the figures of a ledger
    whose clerk recorded the 4 days once; `verify --deep` names the two records as a note (exit 0,
    zh/en/--json), as the merge does those it takes in."""
    from openpyxl import load_workbook

    ledgers = {}
    for name in ("old", "ruled"):
        (tmp_path / name).mkdir()
        dbs = township_and_district(tmp_path / name)
        absent = ("attendance", "add", "-p", "P2", "--kind", "不在岗")
        if name == "old":
            first = ok(*absent, "-d", DAY, "--days", "3", "--reason", "未到岗", db=dbs["A"])["id"]
            older_records()
            again = [ok(*absent, "-d", day, "--days", days, "--reason", "外出", db=dbs["A"])["id"]
                     for day, days in (("2026-11-17", "1"), ("2026-11-18", "2"))]
        else:
            ok(*absent, "-d", DAY, "--days", "4", "--reason", "未到岗", db=dbs["A"])
        ok("bundle", "-o", tmp_path / name / "a.jsonl.gz", db=dbs["A"])
        merged = run("--db", dbs["D"], "merge", tmp_path / name / "a.jsonl.gz")
        assert merged.exit_code == 0, merged.stderr
        assert ("注意: 合并进来的 2 条不在岗与本台账已有的不在岗有重叠的日子" in merged.stderr) == (name == "old"), merged.stderr
        ledgers[name] = dbs
    said = run("--db", ledgers["old"]["D"], "merge", tmp_path / "old" / "a.jsonl.gz")  # nothing new: nothing said
    assert "不在岗" not in said.stderr, said.stderr
    for office in ("A", "D"):
        figures = []
        for name in ("old", "ruled"):
            db = ledgers[name][office]
            scored = ok("score", "--quarter", "2026Q4", "-o", tmp_path / f"{name}{office}.xlsx", db=db)
            p2 = next(m for m in scored["members"] if m["id"] == "T1:P2")
            sheet = load_workbook(tmp_path / f"{name}{office}.xlsx")["成员"]
            header = [c.value for c in sheet[2]]
            row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[header.index("人员")] == "P2")
            explained = run("--db", db, "score", "explain", "--person", "P2", "--quarter", "2026Q4").stdout
            figures.append((p2["counts"]["absent"], p2["conduct_items"], p2["unfit"], p2["grade"],
                            row[header.index("无故缺勤 (天)")], row[header.index("等次")],
                            [line for line in explained.splitlines() if "出勤到位" in line]))
        assert figures[0] == figures[1], (office, figures)
        assert figures[0][0] == 4 and figures[0][4] == 4 and "无故缺勤 4 天" in figures[0][6][0], figures[0]
    for db in (ledgers["old"]["A"], ledgers["old"]["D"]):
        deep = run("--db", db, "verify", "--deep")
        assert deep.exit_code == 0, deep.stderr
        assert "注意: 台账中有 2 条不在岗与先记的不在岗有重叠的日子" in deep.stderr, deep.stderr
        assert f"第 3 条事件的不在岗 {again[1]} (自 2026-11-18 起 2 天) 与 {first} (自 2026-11-16 起 3 天) 有重叠的日子" \
            in deep.stderr, deep.stderr
        english = run("--lang", "en", "--db", db, "verify", "--deep")
        assert "note: 2 absence(s) share days with an absence written before them" in english.stderr, english.stderr
        listed = run("--db", db, "verify", "--deep", "--json").json()
        assert listed["ok"] and [(o["record"], o["first"]) for o in listed["absences_overlapping"]] \
            == [(again[0], first), (again[1], first)], listed
    for db in (ledgers["ruled"]["A"], ledgers["ruled"]["D"]):
        quiet = run("--db", db, "verify", "--deep")
        assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr


def test_an_absence_overlapping_one_of_the_quarter_before_counts_only_its_own_days(tmp_path, older_records):
    """3 days absent from 09-29 (counted whole in the third quarter), then an older gridctl's 不在岗
    on 10-01 and 2 days from 10-01: the fourth quarter counted 3 days held by the third's record
    already (1 and 2). Each day counts once, in the quarter of the record that first holds it:
    the fourth quarter counts 1 (10-02), as a ledger whose clerk recorded 09-29 to 10-02 as two
    records counts it; the third quarter 3 as before."""
    counts = {}
    for name in ("old", "ruled"):
        (tmp_path / name).mkdir()
        db = township_and_district(tmp_path / name)["A"]
        absent = ("attendance", "add", "-p", "P2", "--kind", "不在岗", "--reason", "未到岗")
        ok(*absent, "-d", "2026-09-29", "--days", "3", db=db)
        if name == "old":
            older_records()
            for days, reason in (("1", "外出"), ("2", "病")):    # two reasons: no repeat of each other
                ok("attendance", "add", "-p", "P2", "--kind", "不在岗", "--reason", reason, "-d", "2026-10-01",
                   "--days", days, db=db)
        else:
            ok(*absent, "-d", "2026-10-02", db=db)
        counts[name] = [next(m["counts"]["absent"] for m in ok("score", "--quarter", quarter, db=db)["members"]
                             if m["id"] == "T1:P2") for quarter in ("2026Q3", "2026Q4")]
    assert counts["old"] == counts["ruled"] == [3, 1], counts


def _patrol_lines(db, unit: str, out) -> list[tuple]:
    """The weekly's 巡查情况 lines of `unit` (W47, as of its Sunday evening), as printed."""
    from openpyxl import load_workbook

    ok("report", "weekly", "--unit", unit, "--week", "2026-W47", "--as-of", "2026-11-22 18:00", "-o", out, db=db)
    sheet = load_workbook(out, read_only=True)["巡查情况"]
    return [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]


def test_a_repeated_patrol_counts_once_with_the_first_one_s_households(tmp_path, older_records, monkeypatch):
    """An older gridctl's repeat of a patrol (the same person, grid and day, written with other
    households) counts once, its households the first's, in the weekly of a township, a
    district (per child grid) and a team, as `first_of_its_kind` has it."""
    db = township_and_district(tmp_path)["A"]
    ok("patrol", "add", "-p", "P1", "-g", BLOCK, "-d", DAY, "--households", "4", db=db)
    older_records()
    ok("patrol", "add", "-p", "P1", "-g", BLOCK, "-d", DAY, "--households", "9", db=db)
    ok("patrol", "add", "-p", "P1", "-g", BLOCK, "-d", "2026-11-17", "--households", "2", db=db)
    monkeypatch.undo()
    assert len(ok("patrol", "list", db=db)) == 3
    township = _patrol_lines(db, "410105001", tmp_path / "a.xlsx")
    assert [line[3:5] for line in township if line[0] == "P1"] == [(2, 6)], township
    district = _patrol_lines(db, "410105", tmp_path / "d.xlsx")
    assert [line[2:4] for line in district if line[0] == "经八路街道"] == [(2, 6)], district
    team = _patrol_lines(db, "T1", tmp_path / "t.xlsx")
    assert [line[3:5] for line in team if line[0] == "P1"] == [(2, 6)], team


def test_a_repeated_patrol_makes_one_of_the_patrols_owed(tmp_path, older_records, monkeypatch):
    """Three patrols owed a week (conduct.yaml) and an older gridctl's repeat of one of the two
    made: two made, still short, in `patrol missing` and the weekly's 未巡查."""
    from tests.test_config_files import _run_afresh, _with_config

    db = township_and_district(tmp_path)["A"]
    ok("patrol", "add", "-p", "P1", "-g", BLOCK, "-d", DAY, db=db)
    older_records()
    for day in (DAY, "2026-11-17"):
        ok("patrol", "add", "-p", "P1", "-g", BLOCK, "-d", day, db=db)
    monkeypatch.undo()
    _with_config(tmp_path, monkeypatch, "conduct.yaml", "roles: [网格长]     # each 网格长 for their own block\n    per_week: 1",
                 "roles: [网格长]     # each 网格长 for their own block\n    per_week: 3")
    missing = _run_afresh("--db", db, "patrol", "missing", "--week", "2026-W47", "--json")
    assert missing.exit_code == 0, missing.stderr
    assert [(m["person"], m["made"]) for m in missing.json()["missing"] if m["person"] == "P1"] == [("P1", 2)], missing.stdout
    weekly = _run_afresh("--db", db, "report", "weekly", "--unit", "410105001", "--week", "2026-W47",
                         "--as-of", "2026-11-22 18:00", "-o", tmp_path / "w.xlsx", "--json")
    assert weekly.exit_code == 0 and weekly.json()["missing"] == 2, weekly.stdout    # and P2's, owed to T1


def test_an_absence_and_leave_sharing_a_day_are_merged_and_named(tmp_path, monkeypatch):
    """A 不在岗 and a 请假 of one person on one day, which `attendance add` refuses either way round,
    can still reach a ledger: a bundle of an older gridctl's ledger carrying both, or the district's
    own 不在岗 (its inspection) and the township's 请假 for the same day. Merge takes every event (a
    lower office's events are never dropped, and refusing would stall every later bundle of that
    office's chain), counts the absence as it counted it (the score does not know which of the two
    is wrong; an absence found by inspection stands until the office that wrote it voids it), and
    names each pair on stderr and in the receipt (`absences_on_leave`); `verify --deep` names them
    as a note (exit 0), as it names overlapping absences."""
    from gridctl.ledger import records as rq

    dbs = township_and_district(tmp_path)
    absent = ok("attendance", "add", "-p", "P2", "-d", "2026-11-19", "--kind", "不在岗", db=dbs["A"])["id"]
    with monkeypatch.context() as older:      # what a gridctl before the rule took: the leave over it
        older.setattr(rq, "absence_overlapping", lambda *args: None)
        leave = ok("attendance", "add", "-p", "P2", "-d", "2026-11-18", "--kind", "请假", "--days", "3", db=dbs["A"])["id"]
    found = ok("attendance", "add", "-p", "P3", "-d", "2026-11-20", "--kind", "不在岗", db=dbs["D"])["id"]
    given = ok("attendance", "add", "-p", "P3", "-d", "2026-11-20", "--kind", "请假", db=dbs["A"])["id"]
    ok("bundle", "-o", tmp_path / "a.jsonl.gz", db=dbs["A"])
    merged = run("--db", dbs["D"], "merge", tmp_path / "a.jsonl.gz", "--receipt", tmp_path / "r.json")
    assert merged.exit_code == 0, merged.stderr
    assert "注意: 合并进来的 2 对不在岗与请假落在同一天" in merged.stderr, merged.stderr
    assert (f"不在岗 {absent} (自 2026-11-19 起 1 天) 与请假 {leave} (自 2026-11-18 起 3 天) 同在 2026-11-19 "
            f"(后记的是平台 {absent.split('-')[0]} 第 2 条事件 {leave})") in merged.stderr, merged.stderr
    assert f"不在岗 {found} (自 2026-11-20 起 1 天) 与请假 {given} (自 2026-11-20 起 1 天) 同在 2026-11-20" in merged.stderr
    import json
    receipt = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [(p["absence"], p["leave"], p["on"]) for p in receipt["absences_on_leave"]] == [
        (absent, leave, "2026-11-19"), (found, given, "2026-11-20")], receipt
    assert len(ok("attendance", "list", "--person", "P2", db=dbs["D"])) == 2          # every event kept
    again = run("--db", dbs["D"], "merge", tmp_path / "a.jsonl.gz")                  # nothing new: nothing said
    assert "请假" not in again.stderr, again.stderr
    deep = run("--db", dbs["D"], "verify", "--deep")
    assert deep.exit_code == 0 and "注意: 台账中有 2 对不在岗与请假落在同一天" in deep.stderr, deep.stderr
    english = run("--lang", "en", "--db", dbs["D"], "verify", "--deep")
    assert "note: 2 pair(s) of an absence and leave share a day" in english.stderr, english.stderr
    assert "The absence counts (leave does not undo an absence found by inspection)" in english.stderr
    own = run("--db", dbs["A"], "verify", "--deep", "--json").json()          # the older ledger itself: one pair
    assert own["ok"] and [(p["absence"], p["leave"]) for p in own["absences_on_leave"]] == [(absent, leave)], own
    scored = ok("score", "--quarter", "2026Q4", db=dbs["D"])
    assert next(m for m in scored["members"] if m["id"] == "T1:P2")["counts"]["absent"] == 1   # the absence counts
