"""The issue ledger through the CLI: add, every move, refusals, reading and the timeline."""

from __future__ import annotations

import functools

import pytest

from gridctl.issues import lifecycle as lc
from gridctl.messages import t
from tests import helpers
from tests.helpers import run

BLOCK = "410105001001001"          # 金水区/经八路街道/黄河路社区/1号楼院
DAY = "2026-11-16"                 # a Monday


ok = functools.partial(helpers.ok, by="P007")


def add(title="楼顶违建", category="非法建设", source="巡查发现", at=f"{DAY} 09:00", grid=BLOCK, *extra):
    return ok("issue", "add", "-g", grid, "-c", category, "-s", source, "-t", title, "--at", at, *extra)


def move(action, issue, at, *extra):
    return ok("issue", action, issue, "--at", at, *extra)


def test_add_routes_and_escalates_to_the_authority(township):
    issue = add()
    assert issue["id"] == "410105001-2026-00001"
    assert issue["status"] == "reported"
    assert issue["category"] == "illegal_building" and issue["source"] == "patrol"
    assert issue["holder"] == "410105001" and issue["level"] == "township"
    assert issue["department"] == "CG105" and issue["team"] == "T01"
    assert issue["lead_role"] == "网格长" and issue["lead_person"]
    assert issue["deadline"] is None and issue["accept_due"] == "2026-11-17 23:59"
    assert issue["colour"] in ("green", "yellow", "red")
    timeline = ok("issue", "show", issue["id"])["timeline"]
    assert [(e["action"], e["level"]) for e in timeline] == [("add", "community"), ("escalate", "township")]


def test_full_path_with_stage_times(township):
    i = add()["id"]
    move("accept", i, f"{DAY} 10:00")
    d = move("dispatch", i, f"{DAY} 11:00", "--to", "CG105")
    assert d["assignee"] == "CG105" and d["assignee_kind"] == "department"
    move("handle", i, "2026-11-18 16:00", "--note", "已拆除")
    c = move("close", i, "2026-11-19 09:00")
    assert c["status"] == "closed"
    assert (c["reported_at"], c["accepted_at"], c["dispatched_at"], c["handled_at"], c["closed_at"]) == (
        f"{DAY} 09:00", f"{DAY} 10:00", f"{DAY} 11:00", "2026-11-18 16:00", "2026-11-19 09:00")
    assert c["deadline"] == "2026-11-23 23:59"
    assert c["on_time"] is True and c["close_mode"] == "escalated"   # found below its authority
    cb = move("callback", i, "2026-11-20 09:00", "--result", "满意")
    assert cb["callback"] == "satisfied" and cb["status"] == "closed"
    assert cb["last_note"] == "已拆除"


def test_a_second_callback_on_one_closing_is_refused_naming_the_one_held(township, db):
    """A second 回访 silently replaced the first (the score counted only the second, the timeline
    showed two 回访 without their results). One closing has one callback: a second is refused
    naming the one held and how to go on (reopen, or --correct a result recorded wrong)."""
    i = add()["id"]
    for action, at, *extra in (("accept", f"{DAY} 10:00"), ("dispatch", f"{DAY} 11:00"),
                               ("handle", "2026-11-18 16:00"), ("close", "2026-11-19 09:00")):
        move(action, i, at, *extra)
    move("callback", i, "2026-11-20 09:00", "--result", "不满意")
    before = db.read_bytes()
    refused = run("issue", "callback", i, "--result", "满意", "--at", "2026-11-21 09:00")
    assert refused.exit_code == 1
    assert "结案后已回访 (2026-11-20 09:00, 不满意)" in refused.stderr
    assert "issue reopen" in refused.stderr and "--correct" in refused.stderr
    english = run("--lang", "en", "issue", "callback", i, "--result", "满意", "--at", "2026-11-21 09:00")
    assert english.exit_code == 1
    assert "has been called back since it was closed (2026-11-20 09:00, unsatisfied)" in english.stderr
    assert db.read_bytes() == before
    assert ok("issue", "show", i)["callback"] == "unsatisfied"
    corrected = move("callback", i, "2026-11-21 09:00", "--result", "满意", "--correct")
    assert corrected["callback"] == "satisfied" and corrected["callback_at"] == "2026-11-21 09:00"
    timeline = ok("issue", "show", i)["timeline"]
    assert [e["action"] for e in timeline].count("callback") == 2
    assert timeline[-1]["note"] == "更正 2026-11-20 09:00 的回访: 不满意 → 满意"
    screen = run("issue", "show", i).stdout                      # the timeline says each result
    assert "回访: 不满意" in screen and "回访: 满意" in screen, screen
    shown = run("--lang", "en", "issue", "show", i, "--json").json()["timeline"][-1]
    assert shown["note"] == "corrects the callback of 2026-11-20 09:00: unsatisfied → satisfied"
    # a new closing after reopening is called back again; --correct with nothing to correct is refused
    move("reopen", i, "2026-11-22 09:00", "--reason", "群众反映仍未拆净")
    move("handle", i, "2026-11-23 09:00")
    move("close", i, "2026-11-23 10:00")
    none = run("issue", "callback", i, "--result", "满意", "--correct", "--at", "2026-11-23 11:00")
    assert none.exit_code == 1 and "还没有回访, 没有可更正的" in none.stderr
    again = move("callback", i, "2026-11-23 11:00", "--result", "基本满意")
    assert again["callback"] == "fair" and again["callback_at"] == "2026-11-23 11:00"
    assert run("verify", "--deep").exit_code == 0


def test_close_modes(township):
    own = add(category="环境卫生", title="垃圾")["id"]          # community authority: no escalation
    by_dept = add(category="环境卫生", title="渣土")["id"]
    for i, to in ((own, "P007"), (by_dept, "CG105")):
        move("accept", i, f"{DAY} 10:00")
        move("dispatch", i, f"{DAY} 10:10", "--to", to)
        move("handle", i, f"{DAY} 11:00")
        move("close", i, f"{DAY} 12:00")
    assert ok("issue", "show", own)["close_mode"] == "self"
    assert ok("issue", "show", by_dept)["close_mode"] == "department"


def test_rework_extend_reopen(township):
    i = add(category="环境卫生", title="垃圾堆放", source="热线电话")["id"]
    move("accept", i, f"{DAY} 10:00")
    move("dispatch", i, f"{DAY} 10:30")
    move("handle", i, f"{DAY} 15:00")
    r = move("rework", i, f"{DAY} 16:00", "--reason", "未清理完", "--note", "东侧仍有堆放")
    assert r["last_note"] == "东侧仍有堆放"
    assert r["status"] == "dispatched" and r["reworks"] == 1 and r["handled_at"] is None
    assert r["deadline"] == "2026-11-19 23:59"        # 3 natural days
    e = move("extend", i, f"{DAY} 17:00", "--days", "2", "--reason", "需协调物业", "--approver", "P001")
    assert e["deadline"] == "2026-11-21 23:59" and e["extended_days"] == 2 and e["extensions"] == 1
    move("handle", i, "2026-11-20 10:00")
    move("close", i, "2026-11-20 11:00")
    o = move("reopen", i, "2026-11-21 08:00", "--reason", "复发")
    assert o["status"] == "dispatched" and o["reopens"] == 1 and o["closed_at"] is None
    timeline = ok("issue", "show", i)["timeline"]
    assert [e["action"] for e in timeline] == ["add", "accept", "dispatch", "handle", "rework", "extend",
                                               "handle", "close", "reopen"]
    assert timeline[5]["details"]["approver"] == "P001"


def test_an_extension_approved_by_the_clerk_asking_for_it_is_refused(township, db):
    """`extend --approver` named the acting clerk themself (self-approval of a 延期): refused,
    saying who approves (someone other than the one asking), whether named by id or by name."""
    i = add()["id"]
    move("accept", i, f"{DAY} 10:00")
    before = helpers.dump(db)
    extend = ("issue", "extend", i, "--days", "2", "--reason", "需协调物业", "--at", f"{DAY} 11:00", "--approver")
    for by, approver in (("P007", "P007"), ("P001", "黄宏伟")):
        result = run("--by", by, *extend, approver)
        assert result.exit_code == 1, result.stdout + result.stderr
        assert "就是本次操作人: 延期须由申请人以外的人批准" in result.stderr and "未记录" in result.stderr
    english = run("--lang", "en", "--by", "P001", *extend, "P001")
    assert english.exit_code == 1
    assert "the approver 黄宏伟 (P001) is the clerk acting: an extension is approved by someone other" in english.stderr
    assert helpers.dump(db) == before
    assert ok("issue", "extend", i, "--days", "2", "--reason", "需协调物业", "--approver", "P001")["extensions"] == 1


def test_extend_approver_must_be_a_person_in_the_ledger(township, db):
    """`--approver` names someone the ledger knows, as `--by` does: any other text is refused,
    nothing written; a unique name is recorded as the person's id."""
    i = add()["id"]
    move("accept", i, f"{DAY} 10:00")
    before = helpers.dump(db)
    extend = ("--by", "P007", "issue", "extend", i, "--days", "2", "--reason", "需协调物业", "--approver")
    for lang, approver, words in (("zh", "老王", ("批准人“老王”不是台账中的人员", "--approver")),
                                  ("en", "nobody", ("the approver “nobody” is not a person in the ledger", "--approver")),
                                  ("zh", "  ", ("--approver",))):
        result = run("--lang", lang, *extend, approver)
        assert result.exit_code == 1, result.stdout + result.stderr
        assert all(w in result.stderr for w in words), result.stderr
        assert helpers.dump(db) == before
    assert move("extend", i, f"{DAY} 11:00", "--days", "2", "--reason", "需协调物业", "--approver", "黄宏伟")["extensions"] == 1
    shown = ok("issue", "show", i)
    assert shown["timeline"][-1]["details"]["approver"] == "P001"
    assert shown["approvers"] == [{"id": "P001", "name": "黄宏伟"}]


def test_on_the_spot_records_every_stage(township):
    i = ok("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "patrol", "-t", "流动摊贩占道",
           "--on-the-spot", "--at", f"{DAY} 09:30")
    assert i["status"] == "closed" and i["on_the_spot"] == 1 and i["on_time"] is True
    actions = [e["action"] for e in ok("issue", "show", i["id"])["timeline"]]
    assert actions == ["add", "accept", "handle", "close"]


def test_escalate_one_platform_at_a_time_up_to_the_city(township):
    i = add(category="道路", title="路面塌陷")     # authority district: community → township → district
    assert i["level"] == "district" and i["holder"] == "410105"
    assert i["department"] == "JT4101"       # 金水区 has no 交通运输 department: the city's
    j = move("escalate", i["id"], f"{DAY} 10:00", "--reason", "需市交通局")
    assert j["level"] == "city" and j["holder"] == "4101" and j["escalations"] == 3
    assert j["department"] == "JT4101" and j["last_note"] == "需市交通局"
    k = add(category="非法建设", title="违建")               # district 金水区 has CG105; city has CG4101
    move("escalate", k["id"], f"{DAY} 10:00")
    city = move("escalate", k["id"], f"{DAY} 10:05", "--note", "区级无法协调")
    assert (k["department"], city["department"], city["level"]) == ("CG105", "CG4101", "city")
    refused = run("issue", "escalate", i["id"], "--at", f"{DAY} 11:00")
    assert refused.exit_code == 1 and "市级平台" in refused.stderr


@pytest.mark.parametrize("status", lc.STATUSES)
def test_every_move_from_every_status(status):
    for action in lc.MOVES:
        if status in lc.MOVES[action][0]:
            assert lc.next_status(status, action) in lc.STATUSES
        else:
            with pytest.raises(lc.IllegalMove) as refused:
                lc.next_status(status, action)
            for allowed in lc.allowed_from(status):
                assert t(f"action.{allowed}") in str(refused.value)


def test_illegal_moves_are_refused_with_what_is_allowed(township, db):
    i = add()["id"]
    before = db.read_bytes()
    refused = run("issue", "handle", i, "--at", f"{DAY} 10:00")
    assert refused.exit_code == 1
    assert "受理, 不予受理, 上报上级" in refused.stderr
    move("reject", i, f"{DAY} 10:00", "--reason", "重复上报")
    refused = run("issue", "close", i, "--at", f"{DAY} 11:00")
    assert refused.exit_code == 1 and "已终结" in refused.stderr
    j = add(title="另一处违建")["id"]
    refused = run("issue", "callback", j, "--result", "满意", "--at", f"{DAY} 11:00")
    assert refused.exit_code == 1 and "受理" in refused.stderr
    assert ok("issue", "show", j)["events"] == 2
    _ = before


def test_bad_input_is_refused_without_writing(township):
    add()
    cases = [
        ("issue", "add", "-g", "410105009", "-c", "非法建设", "-s", "patrol", "-t", "x"),
        ("issue", "add", "-g", BLOCK, "-c", "非法建筑", "-s", "patrol", "-t", "x"),
        ("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "微信", "-t", "x"),
        ("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", " "),
        ("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "x", "--at", "2026-13-01"),
        ("issue", "add", "-g", "410108001001001", "-c", "非法建设", "-s", "patrol", "-t", "x"),
        ("issue", "accept", "99"),
        ("issue", "accept", "1", "--at", "2026-11-15 08:00"),   # before the issue was reported
        ("issue", "callback", "1", "--result", "还行"),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 1, args
        assert "Traceback" not in result.stderr and result.stderr.strip(), args
    assert len(ok("issue", "list")) == 1
    assert run("verify").exit_code == 0


def test_short_and_full_ids(township):
    i = add()["id"]
    assert ok("issue", "show", "1")["id"] == ok("issue", "show", i)["id"] == i


def test_text_starting_with_formula_characters_is_stored_as_text(township):
    i = add(title="=HYPERLINK(\"x\")")
    assert ok("issue", "show", i["id"])["title"] == "=HYPERLINK(\"x\")"


def test_colours_as_of(township):
    i = add(category="环境卫生", title="垃圾")["id"]     # 3 natural days from acceptance
    move("accept", i, f"{DAY} 12:00")                   # due 2026-11-19 23:59
    assert ok("issue", "show", i, "--as-of", "2026-11-17 12:00")["colour"] == "green"
    assert ok("issue", "show", i, "--as-of", "2026-11-19 12:00")["colour"] == "yellow"
    late = ok("issue", "show", i, "--as-of", "2026-11-20 08:00")
    assert late["colour"] == "red" and late["overdue"] is True


def test_list_filters(township):
    a = add()["id"]
    b = add(category="环境卫生", title="垃圾", source="hotline", grid="410105001002001")["id"]
    c = add(category="道路", title="路灯坏", source="inspection", at=f"{DAY} 12:00")["id"]
    move("accept", b, f"{DAY} 12:00")
    move("dispatch", b, f"{DAY} 12:30", "--to", "T01")

    def ids(*args):
        return [i["id"] for i in ok("issue", "list", *args)]

    assert ids() == [c, b, a]
    assert ids("--grid", "黄河路社区") == [c, a]
    assert ids("--grid", "经八路街道") == [c, b, a]
    assert ids("--status", "dispatched") == [b]
    assert ids("--category", "道路") == [c]
    assert ids("--category", "roads") == [c]
    assert ids("--source", "热线电话") == [b]
    assert ids("--assigned", "T01") == sorted([a, b], reverse=True)
    assert ids("--limit", "1") == [c]
    assert ids("--overdue", "--as-of", "2026-11-26 12:00") == [c, b, a]
    assert ids("--colour", "green", "--as-of", f"{DAY} 13:00") == [c, b, a]
    assert ids("--since", "2026-11-17") == []
    close = ids("--until", DAY)
    assert close == [c, b, a]
    bad = run("issue", "list", "--status", "done")
    assert bad.exit_code == 1 and "已上报 | 已受理" in bad.stderr
    bad = run("--lang", "en", "issue", "list", "--colour", "purple")
    assert bad.exit_code == 1 and "known: green | yellow | red" in bad.stderr


def test_a_list_or_export_as_of_a_day_to_come_is_refused(township, tmp_path):
    """`issue list/export --as-of` of a day to come coloured every issue as of then, overdue
    before it could be (a forecast said as the ledger's state); refused with the reports' words.
    Later today is still today; `issue show` and the CSV to the screen likewise."""
    from datetime import date, timedelta

    i = add()["id"]
    out = tmp_path / "out"
    out.mkdir()
    today = date.today()
    ahead = (today + timedelta(days=40)).isoformat()
    said = f"--as-of {ahead} 还没有到 (今天是 {today.isoformat()}): 报表只能截至今天"
    for args in (("issue", "list"), ("issue", "list", "--csv"), ("issue", "show", i),
                 ("issue", "export", "-o", out / "台账.xlsx"), ("issue", "export", "-o", out / "台账.csv")):
        result = run(*args, "--as-of", ahead)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert said in result.stderr and result.stdout == "", args
    english = run("--lang", "en", "issue", "list", "--as-of", ahead)
    assert english.exit_code == 1 and f"--as-of {ahead} has not come yet (today is {today.isoformat()})" in english.stderr
    assert list(out.iterdir()) == []
    assert [x["id"] for x in ok("issue", "list", "--as-of", f"{today.isoformat()} 23:59")] == [i]
    assert run("issue", "export", "-o", out / "台账.xlsx", "--as-of", today.isoformat()).exit_code == 0


def test_list_filters_take_the_words_the_list_shows(township):
    """What `issue list` prints (已受理, 红(超期)) is what its filters take, and --color too."""
    a = add()["id"]
    b = add(title="另一处违建")["id"]
    move("accept", b, f"{DAY} 12:00")

    def ids(*args):
        return [i["id"] for i in ok("issue", "list", *args)]

    assert ids("--status", "已受理") == ids("--status", "accepted") == [b]
    assert ids("--status", "已上报") == [a]
    assert ids("--colour", "红", "--as-of", "2026-11-26 12:00") == [b, a]
    assert ids("--colour", "红(超期)", "--as-of", "2026-11-26 12:00") == [b, a]
    assert ids("--color", "绿", "--as-of", f"{DAY} 13:00") == [b, a]
    assert ids("--color", "yellow", "--as-of", f"{DAY} 13:00") == []


def test_search_finds_chinese_substrings_in_titles_places_and_notes(township):
    a = add(title="三号楼楼顶私搭乱建")["id"]
    b = ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "patrol", "-t", "垃圾",
           "--place", "黄河路与经三路交叉口", "--at", f"{DAY} 09:10")["id"]
    move("accept", a, f"{DAY} 10:00", "--note", "联系城管中队核查")
    assert [i["id"] for i in ok("issue", "search", "私搭乱建")] == [a]
    assert [i["id"] for i in ok("issue", "search", "经三路")] == [b]
    assert [i["id"] for i in ok("issue", "search", "城管中队")] == [a]
    assert [i["id"] for i in ok("issue", "search", "垃圾")] == [b]        # two characters
    assert ok("issue", "search", "不存在的词") == []


def test_an_empty_search_says_what_to_type_in_both_searches(township):
    """`issue search ''` listed the ledger's first 50 issues as if they were found, while
    `register search ''` refused (请给出要查找的文字). Both now refuse an empty or blank text the
    same way, as an empty title or reason is refused: exit 1, saying what to type with an example,
    nothing listed."""
    add(title="三号楼楼顶私搭乱建")
    for command, example in (("issue", "gridctl issue search 违建"), ("register", "gridctl register search 王建国")):
        for text in ("", "   "):
            said = run(command, "search", text)
            assert said.exit_code == 1 and said.stdout == "", (command, text, said.stdout)
            assert "没有给出要查找的文字" in said.stderr and example in said.stderr, said.stderr
            english = run("--lang", "en", command, "search", text, "--json")
            assert english.exit_code == 1 and "no text to search for" in english.stderr and example in english.stderr
            assert '"code": "' + command + '.empty_search"' in english.stdout, english.stdout


def test_commands_print_text_without_json(township):
    result = run("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "违建",
                 "--at", f"{DAY} 09:00")
    assert result.exit_code == 0 and "410105001-2026-00001" in result.stdout
    assert "CG105" in result.stdout
    shown = run("issue", "show", "1")
    assert shown.exit_code == 0 and "上报上级" in shown.stdout
    listed = run("issue", "list")
    assert listed.exit_code == 0 and "违建" in listed.stdout


def test_show_names_what_a_clerk_asks_about(township):
    """Dispatched to, lead, department, team, extension approver, late flag; names beside codes;
    the deadline in words; the timeline's headers in the clerk's language; markup-like text safe."""
    i = add("垃圾[/]堆放", "非法建设", "巡查发现", f"{DAY} 09:00", BLOCK, "--found-at", "2026-11-13 08:00")["id"]
    move("accept", i, f"{DAY} 10:00")
    move("dispatch", i, f"{DAY} 11:00", "--to", "CG105")
    move("extend", i, f"{DAY} 12:00", "--days", "2", "--reason", "协调产权单位", "--approver", "P001")
    shown = run("issue", "show", i)
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].endswith("垃圾[/]堆放")
    assert "派遣至: 金水区城管执法局 (CG105)" in lines
    assert "执法部门: 金水区城管执法局 (CG105)" in lines
    assert "牵头人: 任涛 (P007)" in lines
    assert any(line.startswith("协助工作队: ") and "(T01)" in line for line in lines)
    assert any(line.startswith("延期批准人: ") and "(P001)" in line for line in lines)
    assert "迟报: 是" in lines and "处置时限: 5个工作日" in lines
    assert "受理平台: 金水区/经八路街道 (410105001)" in lines
    header = next(line for line in lines if "时间" in line and "环节" in line)
    assert all(word in header for word in ("操作人", "状态", "平台", "情况"))
    listed = run("issue", "list")
    assert listed.exit_code == 0 and "垃圾[/]堆放" in listed.stdout
    english = run("--lang", "en", "issue", "show", i)
    assert "Time limit: 5 working days" in english.stdout and "Dispatched to: " in english.stdout
    assert "处置时限" not in english.stdout


def test_moves_say_the_deadline_in_words(township):
    i = add()["id"]
    accepted = run("--by", "P007", "issue", "accept", i, "--at", f"{DAY} 10:00")
    assert "办结时限 5个工作日; 截止 2026-11-23 23:59" in accepted.stdout
    road = run("--by", "P007", "issue", "add", "-g", BLOCK, "-c", "占道", "-s", "巡查发现", "-t", "摊贩",
               "--at", f"{DAY} 09:00")
    assert "办结时限 4个工作小时; 截止 受理后计算" in road.stdout


def test_a_recording_command_needs_a_person_as_its_actor(township, db, monkeypatch):
    """No --by and no GRIDCTL_USER, or someone not in the ledger: refused, nothing written, and
    the message says how to set GRIDCTL_USER. A unique name is recorded as the person's id."""
    monkeypatch.delenv("GRIDCTL_USER")
    args = ("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶违建", "--at", f"{DAY} 09:00")
    before = db.read_bytes()
    nobody = run(*args)
    assert nobody.exit_code == 1 and "GRIDCTL_USER" in nobody.stderr and "--by" in nobody.stderr
    stranger = run("--by", "张三", *args)
    assert stranger.exit_code == 1 and "“张三”不是台账中的人员" in stranger.stderr
    assert db.read_bytes() == before
    english = run("--lang", "en", *args)
    assert "set GRIDCTL_USER" in english.stderr
    by_name = run("--by", "任涛", *args, "--json")
    assert by_name.exit_code == 0, by_name.stderr
    timeline = ok("issue", "show", by_name.json()["id"])["timeline"]
    assert {e["actor"] for e in timeline} == {"P007"}
    monkeypatch.setenv("GRIDCTL_USER", "P007")
    assert run(*args, "--force").exit_code == 0          # the same issue again: past the duplicate check


def test_gridctl_s_own_note_is_read_in_the_reader_s_language(township):
    """The automatic escalation's reason is stored as a key and worded when read; a person's
    note stays as written."""
    issue = add()                                                    # recorded in Chinese
    move("accept", issue["id"], f"{DAY} 10:00")
    move("dispatch", issue["id"], f"{DAY} 10:30", "--to", "CG105")
    move("handle", issue["id"], f"{DAY} 11:00", "--note", "已拆除")
    zh = [e["note"] for e in ok("issue", "show", issue["id"])["timeline"]]
    en = [e["note"] for e in ok("--lang", "en", "issue", "show", issue["id"])["timeline"]]
    assert zh[1] == "超出本级权限, 逐级上报至乡(镇)办"
    assert en[1] == "beyond this level's authority; escalated toward the township"
    assert zh[-1] == en[-1] == "已拆除"
    shown = run("--lang", "en", "issue", "show", issue["id"])
    assert "beyond this" in shown.stdout and "逐级上报" not in shown.stdout


ISSUE_KEYS = [
    "id", "office", "year", "seq", "grid", "category", "source", "title", "place", "reporter", "phone", "ref",
    "content_key", "status", "level", "holder", "authority", "lead_person", "lead_role", "lead_grid",
    "department", "team", "assignee", "assignee_kind", "deadline_rule", "deadline_unit", "deadline",
    "accept_due", "due", "found_at", "reported_at", "accepted_at", "dispatched_at", "handled_at", "closed_at",
    "rejected_at", "late_report", "escalations", "reworks", "reopens", "extensions", "extended_days",
    "callback", "callback_at", "on_the_spot", "events", "last_event", "last_action", "last_note", "updated_at",
    "grid_path", "category_name", "source_name", "colour", "overdue", "on_time", "close_mode", "callback_name",
    "holder_name", "lead_name", "department_name", "team_name", "assignee_name", "deadline_text",
]
"""An issue's `--json` keys, in order: what scripts were given before the CLI read typed records."""


def test_the_json_keys_and_their_order_are_the_contract(township):
    first = add(category="环境卫生", title="垃圾堆放", source="热线电话")
    assert list(first) == ISSUE_KEYS
    for action, extra in (("accept", ()), ("dispatch", ()),
                          ("extend", ("--days", "2", "--reason", "需协调物业", "--approver", "P001"))):
        assert list(move(action, first["id"], f"{DAY} 10:00", *extra)) == ISSUE_KEYS
    second = add()
    rejected = move("reject", second["id"], f"{DAY} 11:00", "--reason", "重复", "--duplicate-of", first["id"])
    assert list(rejected) == ISSUE_KEYS + ["duplicate_of"] and rejected["duplicate_of"] == first["id"]
    assert [list(i) for i in ok("issue", "list")] == [ISSUE_KEYS, ISSUE_KEYS]
    assert [list(i) for i in ok("issue", "search", "垃圾")] == [ISSUE_KEYS]
    shown = ok("issue", "show", first["id"])
    assert list(shown) == ISSUE_KEYS + ["timeline", "approvers", "duplicate_of", "duplicates"]
    assert [list(e) for e in shown["timeline"]] == [[
        "seq", "office", "n", "action", "from_status", "to_status", "level", "actor", "happened_at",
        "recorded_at", "note", "details", "hash"]] * 4
    assert shown["approvers"] == [{"id": "P001", "name": shown["approvers"][0]["name"]}]
    assert shown["approvers"][0]["name"] and shown["duplicate_of"] is None and shown["duplicates"] == [second["id"]]
    assert ok("issue", "show", second["id"])["duplicate_of"] == first["id"]


def test_a_phone_refused_says_how_to_write_one(township):
    """`--phone "138 0000 1234"` (as people write a mobile number) was refused as 电话号码格式不对
    and no more: which part? It says what a phone number is here: digits and -, no spaces."""
    for phone in ("138 0000 1234", "12", "电话"):
        zh = run("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "热线", "-t", "占道经营", "--phone", phone)
        assert zh.exit_code == 1 and "--phone: 电话号码格式不对 (只写数字和 -, 5 到 20 位, 不加空格, 如 13800001234" in zh.stderr
        en = run("--lang", "en", "issue", "add", "-g", BLOCK, "-c", "占道", "-s", "热线", "-t", "占道经营", "--phone", phone)
        assert en.exit_code == 1 and "digits and -, 5 to 20 of them, no spaces" in en.stderr, en.stderr
    assert run("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "热线", "-t", "占道经营", "--phone", "0371-60001107").exit_code == 0


def test_a_dispatch_to_nobody_says_the_to_is_empty(township):
    """`issue dispatch 1 --to ''` (a script's unset variable) said “”既不是部门、工作队, 也不是人员. It
    says --to is empty and what leaving it out does (exit 1, nothing recorded)."""
    issue = add()["id"]
    move("accept", issue, f"{DAY} 10:00")
    for to in ("", "  "):
        zh = run("issue", "dispatch", issue, "--to", to)
        assert zh.exit_code == 1 and "--to 是空的; 不写 --to 则派遣给牵头的部门或工作队" in zh.stderr, zh.stderr
        en = run("--lang", "en", "issue", "dispatch", issue, "--to", to)
        assert en.exit_code == 1 and "--to is empty; leave it out to dispatch" in en.stderr, en.stderr
    assert ok("issue", "show", issue)["status"] == "accepted"


def test_a_blank_optional_text_is_none_as_a_blank_cell_is(township):
    """`issue add --reporter ' '` recorded the reporter " " (not the clerk, as with no --reporter),
    a blank `--place` or `--ref` as a blank; an imported row's blank cell is none. Now the same:
    blanks around a text are dropped, a blank one is not given."""
    added = ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "楼顶违建",
               "--reporter", "\t", "--place", " ", "--ref", "  ", "--phone", " ", "--found-at", " ")
    assert (added["reporter"], added["place"], added["ref"], added["phone"]) == ("P007", None, None, None)
    assert added["found_at"] == added["reported_at"]
    trimmed = ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "二楼违建", "--force",
                 "--reporter", " 王芳 ", "--place", "  1号楼顶 ")
    assert (trimmed["reporter"], trimmed["place"]) == ("王芳", "1号楼顶")


def test_issue_show_names_its_reporter_and_actors(township):
    """`issue show` said 上报人: P007 and 操作人 P007 (a person's id, where 牵头人 said 任涛 (P007)).
    Now the name with the id; a reporter given as a name (a resident) is shown as given; --json
    keeps the ids."""
    issue = ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "楼顶违建")["id"]
    ok("issue", "accept", issue)
    shown = run("issue", "show", issue).stdout
    assert "上报人: 任涛 (P007)" in shown, shown
    assert shown.count("任涛 (P007)") >= 4                 # the reporter, the lead, the two events' actor
    resident = ok("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "热线", "-t", "流动摊贩", "--reporter", "王大妈")["id"]
    assert "上报人: 王大妈" in run("issue", "show", resident).stdout
    assert ok("issue", "show", issue)["reporter"] == "P007"


def test_a_required_reason_of_blanks_is_no_reason(township, db):
    """`issue reject --reason ' '` and `issue extend --reason ' '` recorded a blank reason (a 不予受理
    and a 延期 with no why), where `--reason ''` was refused, as `patrol void`'s and `register
    retire`'s blanks are. Refused now, nothing recorded, in both languages."""
    from tests.helpers import dump

    first = ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "楼顶违建")["id"]
    second = ok("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "热线", "-t", "流动摊贩")["id"]
    ok("issue", "accept", second)
    before = dump(db)
    for args in (("issue", "reject", first, "--reason", " "), ("issue", "reject", first, "--reason", "\t"),
                 ("issue", "extend", second, "--days", "2", "--reason", "  ", "--approver", "P001")):
        zh = run(*args)
        assert zh.exit_code == 1 and "需要 --reason" in zh.stderr, (args, zh.stderr)
        assert "--reason is required" in run("--lang", "en", *args).stderr
    assert dump(db) == before


def test_a_note_of_blanks_is_no_note(township):
    """`issue handle --note ' '` (or a tab) recorded the note " " on the event, shown as a blank 情况
    in the timeline and counted as the issue's last note; a note of blanks is no note now."""
    issue = ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "patrol", "-t", "楼顶违建")["id"]
    ok("issue", "accept", issue, "--note", " ")
    ok("issue", "dispatch", issue, "--to", "CG105", "--note", "\t")
    ok("issue", "handle", issue, "--note", "已拆除")
    notes = [e["note"] for e in ok("issue", "show", issue)["timeline"]]
    assert notes[-3:] == [None, None, "已拆除"], notes


def test_a_phone_typed_full_width_is_its_digits(loaded, example, tmp_path):
    """`--phone １３８００００１２３４` (a Chinese input method in its full-width mode) was refused as
    电话号码格式不对 (只写数字…): it is digits. So were a sheet's 联系电话, a register entry's phone, a
    person's phone in the YAML and the 公示牌's `--supervision-phone`. Each is those digits now, and
    kept as ASCII (the same number as typed half-width); a phone with letters is still refused."""
    wide, plain = "１３８００００１２３４", "13800001234"
    add = ("issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "hotline", "--phone")
    first = ok(*add, wide, "-t", "占道经营", "--force")
    second = ok(*add, plain, "-t", "占道经营 二", "--force")
    assert ok("issue", "show", first["id"])["phone"] == ok("issue", "show", second["id"])["phone"]
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"网格编码,问题类别,来源,问题描述,发现时间,联系电话\n410105001001001,占道,巡查发现,门前堆物,"
                     f"2026-11-20 09:00,{wide}\n", encoding="utf-8")
    imported = run("--by", "P007", "issue", "import", sheet, "--json")
    assert imported.exit_code == 0, imported.stderr
    shown = ok("issue", "show", imported.json()["ids"][0])
    assert shown["phone"] == ok("issue", "show", second["id"])["phone"]
    household = ok("register", "add", "household", "--grid", "410105001001001",
                   "--address", "1号楼9单元909", "--phone", wide)
    assert household["phone"] == ok("register", "add", "household", "--grid", "410105001001001",
                                    "--address", "1号楼9单元910", "--phone", plain)["phone"]
    city = example / "city.yaml"
    text = city.read_text(encoding="utf-8")
    assert "13800000101" in text
    city.write_text(text.replace("13800000101", "１３８０００００１０１", 1), encoding="utf-8")
    assert run("check", example).exit_code == 0
    board = run("report", "notice", "--grid", "黄河路社区", "--supervision-phone", "１２３４５", "-o", tmp_path / "n.xlsx")
    assert board.exit_code == 0, board.stderr
    refused = run("--by", "P007", *add, "１３８ＡＢＣ", "-t", "占道经营 三")
    assert refused.exit_code == 1 and "电话号码格式不对" in refused.stderr


def test_a_phone_that_is_none_is_said_alike_wherever_it_is_given(loaded, example, tmp_path):
    """The phone check (full-width to ASCII, then digits and dashes) is one (`bounds.phone_text`);
    each place says its refusal its own way, quoting the number as read (half-width): an option,
    a sheet's 联系电话, a register entry, a person in the YAML, the 公示牌's supervision phone."""
    wide, said = "１３８ＡＢＣ", "“138ABC”"
    refused = run("--by", "P007", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "占道", "-s", "hotline",
                  "-t", "占道经营", "--phone", wide)
    assert refused.exit_code == 1 and "--phone: 电话号码格式不对" in refused.stderr and said in refused.stderr, refused.stderr
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"网格编码,问题类别,来源,问题描述,发现时间,联系电话\n410105001001001,占道,巡查发现,门前堆物,"
                     f"2026-11-20 09:00,{wide}\n", encoding="utf-8")
    imported = run("--by", "P007", "issue", "import", sheet)
    assert imported.exit_code == 1 and "s.csv:2: 联系电话: 电话号码格式不对" in imported.stderr, imported.stderr
    assert said in imported.stderr
    household = run("--by", "P007", "register", "add", "household", "--grid", "410105001001001",
                    "--address", "1号楼9单元909", "--phone", wide)
    assert household.exit_code == 1 and "电话号码格式不对" in household.stderr and said in household.stderr, household.stderr
    city = example / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("13800000101", wide, 1), encoding="utf-8")
    checked = run("check", example)
    assert checked.exit_code == 1 and "phone: 电话号码格式不对" in checked.stderr and said in checked.stderr, checked.stderr
    board = run("report", "notice", "--grid", "黄河路社区", "--supervision-phone", wide, "-o", tmp_path / "n.xlsx")
    assert board.exit_code == 1 and "--supervision-phone: 电话号码格式不对" in board.stderr and said in board.stderr
    assert not (tmp_path / "n.xlsx").exists()


def test_a_hotline_call_added_without_a_reporter_has_none(township, tmp_path):
    """`issue add -s 12345热线` without --reporter recorded the clerk as 上报人: `issue show` said
    上报人: 任涛 (P007), the export's 上报人 and --json likewise, for a call a resident made (and a
    sheet of hotline calls with a blank 上报人 did the same). Only a 巡查发现 takes the one recording
    it as its reporter now; any other source left without one has none (the clerk stays the add's
    操作人), in show, --json, the export and an import."""
    from openpyxl import Workbook, load_workbook

    call = ok("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "12345热线", "-t", "流动摊贩占道")
    assert call["reporter"] is None, call
    for lang, word in (("zh", "上报人"), ("en", "Reporter")):
        shown = run("--lang", lang, "issue", "show", call["id"]).stdout
        assert f"{word}:" not in shown and "P007" in shown, shown        # the clerk: the add's actor
    found = ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶违建")
    assert found["reporter"] == "P007"
    assert "上报人: 任涛 (P007)" in run("issue", "show", found["id"]).stdout
    out = tmp_path / "台账.xlsx"
    assert run("issue", "export", "-o", out).exit_code == 0
    sheet = load_workbook(out).active
    header = next(r for r in sheet.iter_rows(values_only=True) if "上报人" in r)
    rows = {r[1]: r[header.index("上报人")] for r in sheet.iter_rows(values_only=True) if r[1] in (call["id"], found["id"])}
    assert rows == {call["id"]: None, found["id"]: "任涛 (P007)"}, rows
    book = Workbook()
    book.active.append(["网格编码", "问题类别", "来源", "问题描述", "发现时间", "上报人"])
    book.active.append([BLOCK, "占道", "热线", "夜市占道", "2026-11-20 20:00", None])
    book.active.append([BLOCK, "环境卫生", "巡查发现", "楼道堆物", "2026-11-20 09:00", None])
    book.save(tmp_path / "calls.xlsx")
    imported = run("--by", "P007", "issue", "import", tmp_path / "calls.xlsx")
    assert imported.exit_code == 0, imported.stderr
    imported = {i["title"]: i["reporter"] for i in ok("issue", "list")}
    assert (imported["夜市占道"], imported["楼道堆物"]) == (None, "P007"), imported


def test_the_export_names_a_reporter_who_is_a_person_of_the_ledger(township, tmp_path):
    """`issue export` and `issue list --csv` printed 上报人 as the person's id (P007), where issue show
    says 任涛 (P007) and 处置单位 and 受理平台 beside it are named: a code a reader cannot look up on
    paper. Now the name with the id; a resident's name as given; none as none."""
    ok("issue", "add", "-g", BLOCK, "-c", "非法建设", "-s", "巡查发现", "-t", "楼顶违建")
    ok("issue", "add", "-g", BLOCK, "-c", "占道", "-s", "群众举报", "-t", "流动摊贩", "--reporter", "王大妈")
    ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "热线", "-t", "楼道堆物", "--reporter", "P102")
    for lang, header in (("zh", "上报人"), ("en", "Reporter")):
        listed = run("--lang", lang, "issue", "list", "--csv")
        assert listed.exit_code == 0, listed.stderr
        lines = [line.split(",") for line in listed.stdout.splitlines()]
        column = lines[0].index(header)
        assert sorted(line[column] for line in lines[1:]) == ["任涛 (P007)", "王大妈", "董霞 (P102)"], lines
    out = tmp_path / "台账.xlsx"
    assert run("issue", "export", "-o", out).exit_code == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = next(r for r in rows if "上报人" in r)
    assert sorted(r[header.index("上报人")] for r in rows[rows.index(header) + 1:] if r[1]) == \
        ["任涛 (P007)", "王大妈", "董霞 (P102)"]
