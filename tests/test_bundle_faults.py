"""Every damaged or doctored bundle is "数据包已损坏" (or a named life-cycle refusal), exit 1,
and the receiving ledger is byte-identical afterwards."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import os
import re
from pathlib import Path

import pytest

from gridctl.ledger.events import GENESIS, Event, event_hash
from tests.helpers import dump, run
from tests.test_exchange import hand_up_a_week, ok, township_and_district


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """A township ledger with a scripted week and its bundle; an empty district ledger."""
    base = tmp_path_factory.mktemp("bundles")
    return hand_up_a_week(base)


_DUMPS: dict[Path, str] = {}


def refused(db: Path, bundle: Path, *words: str) -> str:
    before = _DUMPS.get(db) or _DUMPS.setdefault(db, dump(db))
    result = run("--db", db, "merge", bundle)
    said = result.stdout + result.stderr
    assert result.exit_code == 1, said
    assert "内部错误" not in said
    for word in words:
        assert word in said, said
    assert dump(db) == before
    return said


def refused_in_english(db: Path, bundle: Path, words: str) -> str:
    """The same merge in English: refused (exit 1), saying `words`; what it said."""
    result = run("--lang", "en", "--db", db, "merge", bundle)
    assert result.exit_code == 1 and words in result.stderr, result.stderr
    return result.stderr


def lines_of(bundle: Path) -> list[str]:
    return gzip.open(bundle, "rt", encoding="utf-8").read().splitlines()


def reseal(lines: list[str], rehash: bool = True) -> list[str]:
    """What a careful forger does: recompute every event hash, the links, the header and the
    trailer's checksum, so only gridctl's own checks of the content can catch the change."""
    header, *events, trailer = (json.loads(line) for line in lines)
    if rehash:
        prev = GENESIS
        for event in events:
            event["prev_hash"] = prev
            event["hash"] = event_hash(Event.of(event))
            prev = event["hash"]
        for office in header["chains"]:
            header["chains"][office]["last_hash"] = prev
            header["heads"][office]["hash"] = prev
    body = [json.dumps(header, ensure_ascii=False)] + [json.dumps(e, ensure_ascii=False) for e in events]
    trailer["sha256"] = hashlib.sha256("".join(line + "\n" for line in body).encode()).hexdigest()
    return body + [json.dumps(trailer)]


def write(path: Path, lines: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    return path


def test_the_untouched_bundle_merges(pair, tmp_path):
    db, bundle = pair
    copy = tmp_path / "d.db"
    copy.write_bytes(db.read_bytes())
    assert run("--db", copy, "merge", bundle).exit_code == 0


def test_every_single_byte_flip_is_refused(pair, tmp_path):
    db, bundle = pair
    data = bundle.read_bytes()
    target = tmp_path / "flip.jsonl.gz"
    content, tried = gzip.decompress(data), 0
    # the gzip header and trailer whole, and a spread of the deflate stream (all: FLIPS=all)
    step = 1 if os.environ.get("FLIPS") == "all" else max(1, len(data) // 40)
    positions = sorted({*range(min(32, len(data))), *range(len(data) - 8, len(data)), *range(0, len(data), step)})
    for position in positions:
        flipped = bytearray(data)
        flipped[position] ^= 0xFF
        try:
            if gzip.decompress(bytes(flipped)) == content:
                continue            # the gzip header's time, OS or file name: nothing changed
        except Exception:  # noqa: BLE001 - a damaged stream is what we are after
            pass
        target.write_bytes(bytes(flipped))
        refused(db, target, "数据包已损坏")
        tried += 1
    assert tried > len(positions) * 0.6
    if os.environ.get("FLIPS") == "all":
        print(f"\nbyte flips: {len(data)} bytes, {tried} flips refused, {len(positions) - tried} left the content as it was")


def test_damage_inside_a_valid_gzip(pair, tmp_path):
    db, bundle = pair
    lines = lines_of(bundle)
    header, first = json.loads(lines[0]), json.loads(lines[1])
    no_details = dict(first, details="not json")
    cases = {
        "json_array": ["[1, 2, 3]"],
        "empty": [],
        "header_only": lines[:1],
        "scalar_line": reseal(lines[:1] + ["42"] + lines[2:], rehash=False),
        "missing_key": reseal(lines[:1] + [json.dumps({k: v for k, v in first.items() if k != "action"})]
                              + lines[2:], rehash=False),
        "details_not_json": reseal(lines[:1] + [json.dumps(no_details)] + lines[2:], rehash=False),
        "n_is_text": reseal(lines[:1] + [json.dumps(dict(first, n="1"))] + lines[2:], rehash=False),
        "header_not_object": reseal(["[]"] + lines[1:], rehash=False),
        "header_wrong_format": reseal([json.dumps(dict(header, gridctl_bundle=99))] + lines[1:], rehash=False),
        "trailer_missing": lines[:-1],
        # found by the fuzz suite: a header whose heads are null
        "heads_null": reseal([json.dumps(dict(header, heads=None))] + lines[1:], rehash=False),
        "heads_text": reseal([json.dumps(dict(header, heads={o: "x" for o in header["heads"]}))] + lines[1:],
                             rehash=False),
        "chains_list": reseal([json.dumps(dict(header, chains=[]))] + lines[1:], rehash=False),
        "count_text": reseal([json.dumps(dict(header, count="9"))] + lines[1:], rehash=False),
        "not_utf8": None,
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.jsonl.gz"
        if content is None:
            path.write_bytes(gzip.compress(b"\xff\xfe\x00garbage\n"))
        else:
            write(path, content)
        refused(db, path, "数据包已损坏")
    (tmp_path / "plain.jsonl.gz").write_text("not gzip at all")     # text: said as a text file, not as damage
    refused(db, tmp_path / "plain.jsonl.gz", "是文本文件, 不是数据包")
    (tmp_path / "noise.jsonl.gz").write_bytes(b"\x00\x8bnot gzip at all")
    refused(db, tmp_path / "noise.jsonl.gz", "数据包已损坏")
    refused(db, tmp_path / "missing.jsonl.gz")


def test_a_bundle_read_as_the_gzip_module_reads_it(pair, tmp_path):
    """Merge inflates a bundle with zlib a MiB at a time and hands anything but one whole gzip
    member to the gzip module, which read every bundle before: two members, a header with a
    reserved flag set (zlib alone refuses it) or zeros after the member merge to the same events
    as the bundle itself; bytes after it or a file cut short are refused in the gzip module's words."""
    db, bundle = pair
    data = bundle.read_bytes()
    content = gzip.decompress(data)
    middle = content.index(b"\n", len(content) // 2) + 1
    flagged = bytearray(data)
    flagged[3] |= 0x20
    merged = {}
    for name, variant in (("plain", data), ("two_members", gzip.compress(content[:middle]) + gzip.compress(content[middle:])),
                          ("reserved_flag", bytes(flagged)), ("zeros_after", data + bytes(8))):
        (path := tmp_path / f"{name}.jsonl.gz").write_bytes(variant)
        copy = tmp_path / f"{name}.db"
        copy.write_bytes(db.read_bytes())
        assert run("--db", copy, "merge", path).exit_code == 0, name
        with sqlite3.connect(copy) as conn:
            merged[name] = conn.execute("SELECT * FROM events ORDER BY seq").fetchall()
    assert merged["plain"] and all(rows == merged["plain"] for rows in merged.values())
    for name, variant, words in (("bytes_after", data + b"xyz", "不是 gzip 压缩文件"),
                                 ("cut_short", data[:-4], "文件不完整 (被截断)")):
        (path := tmp_path / f"{name}.jsonl.gz").write_bytes(variant)
        refused(db, path, "数据包已损坏", words)


def test_a_text_that_is_not_unicode_is_damage_not_a_crash(pair, tmp_path):
    """A lone surrogate escape in a column (`"a\\ud800b"`) parses as JSON but is no Unicode text:
    it can be neither hashed nor stored. Merge raised UnicodeEncodeError from the hash (exit 3)."""
    db, bundle = pair
    lines = lines_of(bundle)
    doctored = json.dumps(dict(json.loads(lines[1]), note="NOTE")).replace('"NOTE"', '"a\\ud800b"')
    body = lines[:1] + [doctored] + lines[2:-1]
    seal = hashlib.sha256("".join(line + "\n" for line in body).encode()).hexdigest()
    trailer = json.dumps(dict(json.loads(lines[-1]), sha256=seal))
    refused(db, write(tmp_path / "surrogate.jsonl.gz", body + [trailer]), "数据包已损坏", "“备注”")


def _doctored(lines: list[str], n: int, **changes) -> list[str]:
    out = list(lines)
    event = json.loads(out[n])
    event.update(changes)
    out[n] = json.dumps(event, ensure_ascii=False)
    return reseal(out)


def test_a_rehashed_impossible_move_is_refused(pair, tmp_path):
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    dispatch = actions.index("dispatch")
    cases = {
        "dispatch_to_close": _doctored(lines, dispatch, action="close", to_status="closed"),
        "wrong_from": _doctored(lines, dispatch, from_status="handled"),
        "unknown_action": _doctored(lines, dispatch, action="vanish"),
        "unknown_record_kind": _doctored(lines, dispatch, issue=None, record="X1", action="spell.add"),
        "extend_forever": _doctored(lines, dispatch, action="extend", to_status="accepted",
                                    details=json.dumps({"days": 10**12, "reason": "x"})),
    }
    for name, content in cases.items():
        said = refused(db, write(tmp_path / f"{name}.jsonl.gz", content))
        assert "拒绝合并" in said or "数据包已损坏" in said, (name, said)


def test_the_sender_head_must_match(pair, tmp_path):
    db, bundle = pair
    lines = lines_of(bundle)
    header = json.loads(lines[0])
    for office in header["heads"]:
        header["heads"][office]["n"] += 1
    body = reseal([json.dumps(header, ensure_ascii=False)] + lines[1:], rehash=False)
    refused(db, write(tmp_path / "head.jsonl.gz", body), "数据包已损坏", "链头")


def test_score_marks_of_every_kind_travel(tmp_path):
    """flag and unflag (and approve/reopen) are record events a bundle may carry: not damage."""
    dbs = township_and_district(tmp_path)
    ok("score", "flag", "-p", "P1", "-q", "2026Q4", "--reason", "巡查记录不实", db=dbs["A"])
    ok("score", "unflag", "-p", "P1", "-q", "2026Q4", "--reason", "已改正", db=dbs["A"])
    bundle = tmp_path / "a.jsonl.gz"
    ok("bundle", "-o", bundle, db=dbs["A"])
    merged = run("--db", dbs["D"], "merge", bundle)
    assert merged.exit_code == 0, merged.stderr
    assert run("--db", dbs["D"], "verify", "--deep").exit_code == 0


def test_a_field_holding_a_separator_of_the_hashed_text_is_refused(pair, tmp_path):
    """The hashed text joins the fields with U+001F and writes NULL as U+001E. A note of "\\x1e"
    where the event had none keeps the event's hash (the bundle needs no resealing); a U+001F
    inside a field would move a boundary between fields. Either is damage naming the field."""
    db, bundle = pair
    lines = lines_of(bundle)
    n = next(i for i, line in enumerate(lines[1:-1], 1) if json.loads(line)["note"] is None)
    event = json.loads(lines[n])
    swapped = dict(event, note="\x1e")
    assert event_hash(Event.of(swapped)) == event["hash"]
    said = refused(db, write(tmp_path / "null.jsonl.gz", reseal(lines[:n] + [json.dumps(swapped)] + lines[n + 1:],
                                                                 rehash=False)), "数据包已损坏", "“备注”", "U+001E")
    assert f"第 {n + 1} 行" in said and "note" not in said
    refused(db, write(tmp_path / "sep.jsonl.gz", _doctored(lines, n, actor=f"{event['actor']}\x1fX")),
            "数据包已损坏", "“操作人”")
    refused(db, write(tmp_path / "both.jsonl.gz", _doctored(lines, n, level="\x1e\x1f")), "数据包已损坏", "“平台层级”")
    english = run("--lang", "en", "--db", db, "merge", tmp_path / "null.jsonl.gz")
    assert english.exit_code == 1 and "its “note” holds a separator" in english.stderr


def _with_details(lines: list[str], n: int, change) -> list[str]:
    event = json.loads(lines[n])
    details = json.loads(event["details"])
    change(details)
    return _doctored(lines, n, details=json.dumps(details, ensure_ascii=False))


def _appended(lines: list[str], n: int, **changed) -> list[str]:
    """The bundle with a copy of line `n` as its office's next event (the counts in the header and
    trailer), with the fields in `changed` set on the copy."""
    header, copy, trailer = json.loads(lines[0]), json.loads(lines[n]), json.loads(lines[-1])
    copy.update(changed, n=header["count"] + 1)
    header["count"] += 1
    trailer["count"] += 1
    for part in (header["chains"][copy["office"]], header["heads"][copy["office"]]):
        part["last_n" if "last_n" in part else "n"] += 1
    header["chains"][copy["office"]]["count"] += 1
    return reseal([json.dumps(header, ensure_ascii=False)] + lines[1:-1] + [json.dumps(copy, ensure_ascii=False),
                                                                             json.dumps(trailer)])


def test_content_that_cannot_be_applied_is_said_in_the_clerk_s_words(pair, tmp_path):
    """Resealed bundles whose events pass the shape checks but cannot be written: each is refused
    (an accept whose deadline was 5 or "5" merged, and every weekly report of the ledger was then
    refused: deadline 时间格式应为 YYYY-MM-DD HH:MM: “5”); each is refused
    (exit 1, ledger unchanged) naming the kind of record and the field in the screen's language,
    not Python's or SQLite's English (`IntegrityError: UNIQUE constraint failed: patrols…`)."""
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    patrol, add, dispatch = actions.index("patrol.add"), actions.index("add"), actions.index("dispatch")
    cases = {
        "patrol_twice": (_appended(lines, patrol), "本台账已有这个编号的巡查记录", "already holds a patrol record of that id"),
        "patrol_no_grid": (_with_details(lines, patrol, lambda d: d["record"].pop("grid")),
                           "巡查记录缺少“网格编码”", "patrol record in the bundle lacks its “grid”"),
        "patrol_grid_list": (_with_details(lines, patrol, lambda d: d["record"].update(grid=["x"])),
                             "值的类型或格式不对", "a value of the wrong type or form"),
        "patrol_found_number": (_with_details(lines, patrol, lambda d: d["record"].update(found=5)),
                                "“内容”不是其“动作”所需的", "its “content” is not what its “action” needs"),
        "issue_grid_list": (_with_details(lines, add, lambda d: d["issue"].update(grid=["x"])),
                            "值的类型或格式不对", "a value of the wrong type or form"),
        "issue_lacks_issue": (_with_details(lines, add, lambda d: d.pop("issue")),
                              "缺少“问题的内容”", "lack the field “issue”"),
        "issue_title_number": (_with_details(lines, add, lambda d: d["issue"].update(title=5)),
                               "内容不全或格式不对", "missing or malformed content"),
        "issue_added_twice": (_appended(lines, add), "这个编号的问题已有", "an issue of that id is already held"),
        "deadline_number": (_with_details(lines, actions.index("accept"), lambda d: d.update(deadline=5)),
                            "值的类型或格式不对", "a value of the wrong type or form"),
        "deadline_not_a_time": (_with_details(lines, actions.index("accept"), lambda d: d.update(deadline="5")),
                                "值的类型或格式不对", "a value of the wrong type or form"),
        "dispatch_to_list": (_with_details(lines, dispatch, lambda d: d.update(assignee=["CG105"])),
                             "值的类型或格式不对", "a value of the wrong type or form"),
        "dispatch_to_close": (_doctored(lines, dispatch, action="close", to_status="closed"),
                              "处于“已受理”时不能“结案”到“已结案”", "cannot go by “close” from “accepted” to “closed”"),
    }
    for name, (content, chinese, english) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        said = refused(db, path, chinese).replace(str(path), "")
        assert not re.search(r"Error|constraint|[a-z]{3,}", said), (name, said)
        english_said = refused_in_english(db, path, english)
        assert "Error" not in english_said, (name, english_said)


def test_an_added_issue_s_fields_are_checked_field_by_field_naming_the_field(pair, tmp_path):
    """An add's fields beyond id, grid, category and title were not typed on merge: `found_at: 5`,
    `found_at: "5"` or `accept_due: 5` in a resealed bundle merged (exit 0), as an accept's
    deadline did before, and reports of the ledger were then refused. Each field an add (or a
    move) sets is now checked for its type, and a time for the ledger's form (YYYY-MM-DD HH:MM,
    as `timefmt.fmt` writes it): refused naming the event, the issue and the field in the
    screen's language (exit 1, ledger unchanged)."""
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    add, accept = actions.index("add"), actions.index("accept")

    def issue(**fields):
        return _with_details(lines, add, lambda d: d["issue"].update(fields))

    cases = {
        "found_at_number": (issue(found_at=5), "发现时间", "应为时间", "Found", "a time YYYY-MM-DD HH:MM wanted"),
        "found_at_text": (issue(found_at="5"), "发现时间", "“5”", "Found", "“5”"),
        "found_at_slashes": (issue(found_at="2026/11/20 09:00"), "发现时间", "应为时间", "Found", "time"),
        "found_at_no_day": (issue(found_at="2026-02-30 09:00"), "发现时间", "应为时间", "Found", "time"),
        "found_at_none": (issue(found_at=None), "发现时间", "(空)", "Found", "(empty)"),
        "accept_due_number": (issue(accept_due=5), "受理时限", "应为时间", "acceptance due", "time"),
        "closed_at_seconds": (issue(closed_at="2026-11-20 09:00:00"), "办结时间", "应为时间", "Closed", "time"),
        "seq_text": (issue(seq="7"), "年内序号", "应为整数", "number in the year", "a whole number wanted"),
        "late_report_bool": (issue(late_report=True), "迟报", "应为整数", "late", "whole number"),
        "phone_number": (issue(phone=13800000000), "联系电话", "应为文字", "Phone", "text wanted"),
        "place_list": (issue(place=["东门"]), "地点", "应为文字", "Place", "text wanted"),
        "deadline_no_minutes": (_with_details(lines, accept, lambda d: d.update(deadline="2026-11-27")),
                                "截止时间", "应为时间", "Due", "time"),
    }
    for name, (content, *chinese, field_en, want_en) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        said = refused(db, path, "拒绝合并", *chinese)
        assert "内部错误" not in said and "Error" not in said, (name, said)
        english = run("--lang", "en", "--db", db, "merge", path)
        assert english.exit_code == 1, (name, english.stderr)
        assert field_en.lower() in english.stderr.lower() and want_en in english.stderr, (name, english.stderr)


def test_an_event_s_time_and_what_an_added_issue_says_are_checked_on_merge(pair, tmp_path):
    """An event's own time (the issue's reported and stage times) and what an add says beyond its
    types were not checked: a happened time of `2026/11/20 09:00`, an issue from source `rumour`,
    one claiming another office or a number that is not its id, or of a category the receiving
    ledger never loaded, merged (exit 0). A grid unknown here was refused without its event, and
    a patrol's not at all. Each is now refused naming the line or the event (exit 1, ledger
    unchanged), in both languages."""
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    add, dispatch, patrol = actions.index("add"), actions.index("dispatch"), actions.index("patrol.add")
    office, issue_id = (json.loads(lines[add])[key] for key in ("office", "issue"))

    def issue(**fields):
        return _with_details(lines, add, lambda d: d["issue"].update(fields))

    event = f"平台 {office} 第 {add} 条事件"
    cases = {
        "time_slashes": (_doctored(lines, add, happened_at="2026/11/20 09:00"),
                         [f"第 {add + 1} 行", "不是台账写的时间", "“2026/11/20 09:00”"], "not a time as a ledger writes it"),
        "time_seconds": (_doctored(lines, dispatch, happened_at="2026-11-20 09:00:00"),
                         [f"第 {dispatch + 1} 行", "YYYY-MM-DD HH:MM"], f"line {dispatch + 1}"),
        "time_no_day": (_doctored(lines, dispatch, happened_at="2026-02-30 09:00"), ["“2026-02-30 09:00”"], "2026-02-30"),
        "source": (issue(source="rumour"), [event, "来源 “rumour” 不是已知的来源", "巡查发现"], "none that gridctl knows"),
        "other_office": (issue(office="410105002"), [event, "410105002", "一个平台只登记自己编号的问题"],
                         "records only issues of its own numbering"),
        "number_not_its_id": (issue(seq=99), [event, "99", "与编号或事件所属的平台不符"], "not its id"),
        "category": (issue(category="flying_saucers"), [event, "类别“flying_saucers”不在本台账"],
                     "category “flying_saucers”, unknown here"),
        "grid": (issue(grid="410105001099"), [event, f"问题 {issue_id} 的网格 410105001099 不在本台账"],
                 "lies in grid 410105001099, unknown here"),
        "patrol_grid": (_with_details(lines, patrol, lambda d: d["record"].update(grid="410105001099")),
                        [f"平台 {office} 第 {patrol} 条事件: 巡查记录", "410105001099 不在本台账"], "the patrol record"),
    }
    for name, (content, chinese, english) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        said = refused(db, path, *chinese)
        assert "Error" not in said, (name, said)
        refused_in_english(db, path, english)


def test_content_that_cannot_be_applied_names_its_event(pair, tmp_path):
    """Content a merge could not apply was said without its event (`内容无法写入台账: 本台账已有
    这个编号的巡查记录 …`): in a bundle of a district's year, which one? Now the office and the
    event's number come first, in both languages; the reason is said as before."""
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    patrol, add = actions.index("patrol.add"), actions.index("add")
    office, last = json.loads(lines[add])["office"], len(lines) - 2
    cases = {
        "patrol_twice": (_appended(lines, patrol), last + 1, "本台账已有这个编号的巡查记录", "already holds a patrol record"),
        "patrol_no_grid": (_with_details(lines, patrol, lambda d: d["record"].pop("grid")), patrol,
                           "巡查记录缺少“网格编码”", "lacks its “grid”"),
        "patrol_grid_list": (_with_details(lines, patrol, lambda d: d["record"].update(grid=["x"])), patrol,
                             "值的类型或格式不对", "wrong type or form"),
        "issue_grid_list": (_with_details(lines, add, lambda d: d["issue"].update(grid=["x"])), add,
                            "值的类型或格式不对", "wrong type or form"),
        "issue_lacks_issue": (_with_details(lines, add, lambda d: d.pop("issue")), add,
                              "缺少“问题的内容”", "lack the field “issue”"),
    }
    for name, (content, n, chinese, english) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        refused(db, path, f"平台 {office} 第 {n} 条事件的内容无法写入台账: ", chinese)
        english_said = refused_in_english(db, path, english)
        assert f"the content of event #{n} of office {office} cannot be applied: " in english_said, name


def _shaped(lines: list[str], at: int, **changes) -> list[str]:
    """Line `at` with fields set (or dropped: None given as `...`), the checksum resealed, no hash
    recomputed: the line's shape is what is checked first."""
    event = json.loads(lines[at])
    for key, value in changes.items():
        if value is ...:
            event.pop(key)
        else:
            event[key] = value
    return reseal(lines[:at] + [json.dumps(event, ensure_ascii=False)] + lines[at + 1:], rehash=False)


def test_a_malformed_line_names_its_field_in_words(pair, tmp_path):
    """A line refused for its shape named the bundle's field as the file spells it, on the Chinese
    screen too (`第 9 行的字段 action/details 缺失或格式不对`, `字段 happened_at`). Now in words,
    in both languages: the clerk is told which part of the line, the sender's technician can find
    it by the line's number."""
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    add, patrol = actions.index("add"), actions.index("patrol.add")
    cases = {
        "no_office": (_shaped(lines, add, office=...), "“平台编码”缺失或格式不对", "its “office” is missing"),
        "n_negative": (_shaped(lines, add, n=-1), "“事件序号”缺失或格式不对", "its “event number” is missing"),
        "actor_number": (_shaped(lines, add, actor=5), "“操作人”缺失或格式不对", "its “actor” is missing"),
        "details_not_json": (_shaped(lines, add, details="{"), "“内容”缺失或格式不对", "its “content” is missing"),
        "prev_hash_short": (_shaped(lines, add, prev_hash="00"), "“前一条事件的哈希”缺失", "“previous event's hash”"),
        "issue_without_issue_id": (_shaped(lines, add, issue=None), "“问题编号”与“动作”不相配", "do not fit together"),
        "patrol_found_number": (_with_details(lines, patrol, lambda d: d["record"].update(found=5)),
                                "“内容”不是其“动作”所需的", "not what its “action” needs"),
        "happened_at": (_doctored(lines, add, happened_at="2026-11-20"), "“发生时间”不是台账写的时间",
                        "its “time it happened” is not a time"),
    }
    for name, (content, chinese, english) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        said = refused(db, path, "数据包已损坏", "行的", chinese).replace(str(path), "")
        assert not re.search(r"[a-z_]{2,}", said.replace("YYYY-MM-DD HH:MM", "")), (name, said)
        refused_in_english(db, path, english)


def test_a_line_s_numbers_are_read_as_json_reads_them(pair, tmp_path):
    """Lines are read by orjson, which reads an integer past 64 bits as a float where json reads
    it whole, and refuses NaN: an event number or an actor of 10**30 (or NaN, read again by json)
    is refused naming its column as before, and a key that is not a column, read either way, is
    not read: the bundle merges to the same events as without it."""
    db, bundle = pair
    lines = lines_of(bundle)
    add = [json.loads(line).get("action") for line in lines].index("add")
    cases = {
        "n_huge": (_shaped(lines, add, n=10**30), "“事件序号”缺失或格式不对"),
        "n_below": (_shaped(lines, add, n=-(10**30)), "“事件序号”缺失或格式不对"),
        "actor_huge": (_shaped(lines, add, actor=10**30), "“操作人”缺失或格式不对"),
        "actor_nan": (_shaped(lines, add, actor=float("nan")), "“操作人”缺失或格式不对"),
    }
    for name, (content, words) in cases.items():
        refused(db, write(tmp_path / f"{name}.jsonl.gz", content), "数据包已损坏", f"第 {add + 1} 行的{words}")
    extra = [lines[0]] + [json.dumps(dict(json.loads(line), extra=10**30), ensure_ascii=False) for line in lines[1:-1]]
    merged = {}
    for name, content in (("plain", lines), ("extra", reseal(extra + lines[-1:], rehash=False))):
        copy = tmp_path / f"{name}.db"
        copy.write_bytes(db.read_bytes())
        assert run("--db", copy, "merge", write(tmp_path / f"{name}.jsonl.gz", content)).exit_code == 0
        with sqlite3.connect(copy) as conn:
            merged[name] = conn.execute("SELECT * FROM events ORDER BY seq").fetchall()
    assert merged["extra"] == merged["plain"] and merged["plain"]


def _add_and_patrol(lines: list[str]) -> tuple[int, int, str, str, dict]:
    """The bundle's first add and first patrol.add: their line numbers, the add's office and
    issue, and the patrol's record."""
    actions = [json.loads(line).get("action") for line in lines]
    add, patrol = actions.index("add"), actions.index("patrol.add")
    added = json.loads(lines[add])
    return add, patrol, added["office"], added["issue"], json.loads(json.loads(lines[patrol])["details"])["record"]


def _record_added(lines: list[str], action: str, record_id: str, details: dict) -> list[str]:
    """The bundle with one more event of its office after the last: `action` of `record_id`, as
    the patrol's line but for what it says, resealed."""
    patrol = next(i for i, line in enumerate(lines) if json.loads(line).get("action") == "patrol.add")
    return _appended(lines, patrol, action=action, record=record_id, details=json.dumps(details, ensure_ascii=False))


def test_an_event_s_recorded_time_and_what_a_record_names_are_checked_on_merge(pair, tmp_path):
    """Beyond a patrol's grid, a merged record was taken as it said: a recorded time not as any
    ledger writes it (`2026-11-20 09:00:00`), a patrol by a person or a team this ledger does not
    know, a patrol under another office's code or a number that is not its id, a meeting of an
    unknown unit or attendee, a survey of an unknown team, a flag on an unknown person, a household
    in an unknown grid or under another office's number: each merged (exit 0), counted for nobody
    or taking another office's number here. Each is now refused naming the line or the event
    (exit 1, ledger unchanged), in both languages."""
    db, bundle = pair
    lines = lines_of(bundle)
    add, patrol, office, _, record = _add_and_patrol(lines)
    nxt = len(lines) - 1                            # the number of an event appended after the last

    def patrolled(**fields):
        return _with_details(lines, patrol, lambda d: d["record"].update(fields))

    def added(what: str, letter: str, /, **fields):
        rid = f"{office}-{letter}2026-000001"
        common = {"id": rid, "office": office, "year": 2026, "seq": 1, "date": "2026-11-16", "voided": 0,
                  "void_reason": None, "voided_at": None, "recorded_by": "P1"}
        return _record_added(lines, f"{what}.add", rid, {"record": common | fields})

    at_patrol, at_next = f"平台 {office} 第 {patrol} 条事件", f"平台 {office} 第 {nxt} 条事件"
    household = f"{office}-H000001"
    cases = {
        "recorded_space": (_doctored(lines, add, recorded_at="2026-11-20 09:00:00"),
                           [f"第 {add + 1} 行", "“记录时间”不是台账写的时间", "YYYY-MM-DDTHH:MM:SS", "“2026-11-20 09:00:00”"],
                           "its “time recorded” is not a time as a ledger writes it"),
        "recorded_minutes": (_doctored(lines, patrol, recorded_at="2026-11-20T09:00"),
                             [f"第 {patrol + 1} 行", "“2026-11-20T09:00”"], f"line {patrol + 1}"),
        "recorded_no_day": (_doctored(lines, add, recorded_at="2026-02-30T09:00:00"), ["“2026-02-30T09:00:00”"],
                            "2026-02-30T09:00:00"),
        "patrol_person": (patrolled(person="P999"), [at_patrol, f"巡查记录 {record['id']} 的人员 “P999” 不在本台账"],
                          "names the person “P999”, unknown here"),
        "patrol_team": (patrolled(team="T9"), [at_patrol, "的工作队 “T9” 不在本台账"], "the team “T9”"),
        "patrol_office": (patrolled(office="410105002"), [at_patrol, "410105002", "一个平台只登记自己编号的记录"],
                          "an office records only under its own numbering"),
        "patrol_number": (patrolled(seq=7), [at_patrol, "7: 与编号或事件所属的平台不符"],
                          "number 7: that is not its id"),
        "meeting_unit": (added("meeting", "M", unit="T9", unit_kind="team", kind="huddle", attendees=["P1"], notes=None),
                         [at_next, "会议记录", "开会的单位 “T9” 不在本台账"], "the meeting's unit “T9”"),
        "meeting_attendee": (added("meeting", "M", unit="T1", unit_kind="team", kind="huddle", attendees=["P1", "P998"],
                                   notes=None), [at_next, "参会人员 “P998” 不在本台账"], "the attendee “P998”"),
        "survey_team": (added("survey", "V", team="T9", person="P1", participants=30, satisfied=30, fair=0,
                              unsatisfied=0), [at_next, "民意测评", "工作队 “T9”"], "the team “T9”"),
        "attendance_person": (added("attendance", "A", person="P997", kind="leave", days=1, reason="x"),
                              [at_next, "出勤记录", "人员 “P997”"], "the person “P997”"),
        "flag_subject": (_record_added(lines, "score.flag", "2026Q4", {"period": "2026Q4", "subject": "P996",
                                                                       "reason": "虚报", "subject_kind": "person"}),
                         [at_next, "考核标记", "标记对象 “P996” 不在本台账"], "the marked subject “P996”"),
        "household_grid": (_record_added(lines, "household.add", household, {"record": {
            "id": household, "office": office, "seq": 1, "grid": "410105001099", "address": "1号楼101", "head": "王",
            "size": 3, "phone": None, "tags": [], "note": None, "added_at": "2026-11-16", "updated_at": "2026-11-16",
            "retired": None, "retire_reason": None}}), [at_next, f"住户 {household} 的网格 410105001099 不在本台账"],
            "lies in grid 410105001099, unknown here"),
        "household_office": (_record_added(lines, "household.add", household, {"record": {
            "id": household, "office": "410105002", "seq": 1, "grid": record["grid"], "address": "1号楼101",
            "head": "王", "size": 3, "phone": None, "tags": [], "note": None, "added_at": "2026-11-16",
            "updated_at": "2026-11-16", "retired": None, "retire_reason": None}}),
            [at_next, "410105002", "一个平台只登记自己编号的记录"], "under office 410105002"),
    }
    for name, (content, chinese, english) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        said = refused(db, path, *chinese)
        assert "Error" not in said and "recorded_at" not in said, (name, said)
        refused_in_english(db, path, english)
    well_formed = write(tmp_path / "meeting.jsonl.gz", added("meeting", "M", unit="T1", unit_kind="team", kind="huddle",
                                                              attendees=["P1"], notes=None))
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    merged = run("--db", copy, "merge", well_formed)
    assert merged.exit_code == 0, merged.stderr               # the crafted meeting itself merges


def test_an_issue_added_with_its_patrol_names_a_patrol_that_has_not_found_it(pair, tmp_path):
    """An issue added with a patrol (`issue add --patrol`) whose patrol no ledger holds merged
    (exit 0) and was linked to nothing; one already found on another patrol was refused only
    when the batch's links were written, naming no event (`内容无法写入台账: 本台账已有这个…`).
    Both are refused naming the add's event, in both languages, the ledger unchanged."""
    db, bundle = pair
    lines = lines_of(bundle)
    add, patrol, office, issue, first = _add_and_patrol(lines)
    second = dict(first, id=f"{office}-P2026-000002", seq=2, found=[issue], content_key="0" * 32)
    unknown = f"{office}-P2026-000009"
    on_two = _record_added(_with_details(lines, add, lambda d: d.update(patrol=first["id"])), "patrol.add",
                           second["id"], {"record": second})
    cases = {
        "unknown_patrol": (_with_details(lines, add, lambda d: d.update(patrol=unknown)),
                           [f"平台 {office} 第 {add} 条事件上报的问题 {issue} 随巡查 {unknown} 上报", "都没有这次巡查"],
                           f"adds issue {issue} with the patrol {unknown}, which neither this ledger nor the bundle holds"),
        "on_two_patrols": (on_two, [f"平台 {office} 第 {add} 条事件上报的问题 {issue} 随巡查 {first['id']} 上报",
                                    f"已是巡查 {second['id']} 发现的问题"],
                           f"already an issue found on the patrol {second['id']}"),
    }
    for name, (content, chinese, english) in cases.items():
        path = write(tmp_path / f"{name}.jsonl.gz", content)
        said = refused(db, path, *chinese)
        assert "内容无法写入台账" not in said, (name, said)
        refused_in_english(db, path, english)
    fits = write(tmp_path / "fits.jsonl.gz", _with_details(lines, add, lambda d: d.update(patrol=first["id"])))
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    merged = run("--db", copy, "merge", fits)
    assert merged.exit_code == 0, merged.stderr                 # its own patrol, found by no other: merged
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT patrol, issue FROM patrol_issues").fetchall() == [(first["id"], issue)]


def test_content_too_large_or_of_the_wrong_shape_for_its_apply_is_damage_not_a_crash(pair, tmp_path):
    """Found by fuzzing resealed bundles: a register entry's seq of 10**30, an issue added with the
    patrol 10**30 (OverflowError: Python int too large to convert to SQLite INTEGER), a household's
    move whose grid change is not a [before, after] pair (IndexError): each ended in exit 3 内部错误.
    Each is now refused (exit 1, nothing merged), naming its event where one is applied alone."""
    db, bundle = pair
    lines = lines_of(bundle)
    actions = [json.loads(line).get("action") for line in lines]
    add = actions.index("add")
    office = json.loads(lines[add])["office"]
    household, huge = f"{office}-H000001", f"{office}-H{10**30:06d}"
    nxt = len(lines) - 1
    entry = {"id": huge, "office": office, "seq": 10**30, "grid": "410105001001001", "address": "1号楼101",
             "head": "王", "size": 3, "phone": None, "tags": [], "note": None, "added_at": "2026-11-16",
             "updated_at": "2026-11-16", "retired": None, "retire_reason": None}
    cases = {
        "seq_huge": (_record_added(lines, "household.add", huge, {"record": entry}), f"平台 {office} 第 {nxt} 条事件"),
        "patrol_huge": (_with_details(lines, add, lambda d: d.update(patrol=10**30)), f"平台 {office} 第 {add} 条事件"),
        "move_one": (_record_added(lines, "household.move", household, {"changes": {"grid": ["410105001001001"]}}),
                     f"平台 {office} 第 {nxt} 条事件"),
        "move_text": (_record_added(lines, "household.move", household, {"changes": {"address": "x"}}),
                      f"平台 {office} 第 {nxt} 条事件"),
    }
    for name, (content, where) in cases.items():
        said = refused(db, write(tmp_path / f"{name}.jsonl.gz", content), "数据包已损坏" if name != "patrol_huge" else "拒绝合并", where)
        assert "内部错误" not in said, (name, said)


def test_a_merged_patrol_finds_only_issues_held_or_in_the_bundle(pair, tmp_path):
    """A patrol whose `found` (or a `patrol.link` whose issues) named an issue no ledger holds
    merged (exit 0) and was linked to it, counted in its 发现问题数. Refused now, naming the event;
    an issue of the same bundle is found as before."""
    db, bundle = pair
    lines = lines_of(bundle)
    add, patrol, office, issue, record = _add_and_patrol(lines)
    ghost = f"{office}-2026-00099"
    said = refused(db, write(tmp_path / "found.jsonl.gz", _with_details(lines, patrol, lambda d: d["record"].update(found=[ghost]))),
                   f"平台 {office} 第 {patrol} 条事件: 巡查记录 {record['id']} 发现的问题 {ghost} 本台账和数据包中都没有")
    assert "内部错误" not in said
    linked = write(tmp_path / "link.jsonl.gz", _record_added(lines, "patrol.link", record["id"], {"issues": [ghost]}))
    english = run("--lang", "en", "--db", db, "merge", linked)
    assert english.exit_code == 1 and f"found the issue {ghost}, which neither this ledger nor the bundle holds" in english.stderr
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    fits = write(tmp_path / "fits.jsonl.gz", _with_details(lines, patrol, lambda d: d["record"].update(found=[issue])))
    merged = run("--db", copy, "merge", fits)
    assert merged.exit_code == 0, merged.stderr


@pytest.mark.parametrize("table, what, english", [
    ("events", "中的事件无法写入台账", "the events of events #1–"),
    ("issues", "中的问题状态、检索文本和巡查关联无法写入台账", "the issue states, search text and patrol links of events #1–"),
])
def test_a_write_of_a_whole_batch_refused_names_what_it_was_writing_and_its_events(pair, tmp_path, table, what, english):
    """Rows a batch writes at once (its events; its issues' states, search text and links) are
    refused naming what they were and the batch's events, where no one event can be named (a
    trigger of this ledger's own refuses them here: no content that passes the checks was found to)."""
    db, bundle = pair
    copy = tmp_path / "d.db"
    copy.write_bytes(db.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute(f"CREATE TRIGGER no_more BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'no more'); END")
    said = refused(copy, bundle, "数据包已损坏", what, "平台 410105001 第 1–")
    assert "内容无法写入台账: " not in said
    assert english in refused_in_english(copy, bundle, english)


def test_a_ledger_a_backup_or_a_workbook_given_to_merge_is_said_as_what_it_is(pair, tmp_path):
    """`merge` given the ledger itself, a backup of it or an exported workbook said `数据包已损坏:
    无法解压或读取 (不是 gzip 压缩文件) …; 请让发送方重新打包`: the clerk, who had picked the wrong
    file, was sent to ask for a new bundle. Each is now said as the file it is, with the command
    that reads it; nothing is written."""
    db, _ = pair
    backup, book = tmp_path / "备份.db", tmp_path / "台账.xlsx"
    assert run("--db", db, "backup", backup).exit_code == 0
    assert run("--db", db, "issue", "export", "-o", book).exit_code == 0
    for given in (db, backup):
        said = refused(db, given, f"{given} 是 SQLite 数据库 (台账或其备份), 不是数据包", "gridctl restore")
        assert "已损坏" not in said and "重新打包" not in said, said
        refused_in_english(db, given, f"{given} is an SQLite database (a ledger or its backup), not a bundle")
    said = refused(db, book, f"{book} 是 zip 文件 (如 Excel 工作簿), 不是数据包", "gridctl issue import")
    assert "已损坏" not in said, said
    refused_in_english(db, book, f"{book} is a zip file (an Excel workbook?), not a bundle")


def test_a_text_file_or_an_unpacked_bundle_given_to_merge_is_said_as_what_it_is(pair, tmp_path):
    """`merge` of a plain text file (a receipt, notes) said `数据包已损坏 …; 请让发送方重新打包`,
    and so did a bundle someone had unpacked (`gunzip`) on the way, or a ledger compressed with
    gzip: each is said as the file it is, in both languages, and nothing is written."""
    db, bundle = pair
    text, unpacked, packed = tmp_path / "说明.txt", tmp_path / "a.jsonl", tmp_path / "备份.db.gz"
    text.write_text("经八路街道 11 月数据包\n请查收\n", encoding="utf-8")
    unpacked.write_bytes(gzip.open(bundle).read())
    assert run("--db", db, "backup", tmp_path / "备份.db").exit_code == 0
    packed.write_bytes(gzip.compress((tmp_path / "备份.db").read_bytes()))
    said = refused(db, text, f"{text} 是文本文件, 不是数据包", "gridctl bundle")
    assert "已损坏" not in said and "重新打包" not in said, said
    refused_in_english(db, text, f"{text} is a text file, not a bundle")
    said = refused(db, unpacked, f"{unpacked} 是解压过的数据包", f"gzip {unpacked}")
    assert "已损坏" not in said, said
    refused_in_english(db, unpacked, f"{unpacked} is a bundle that was unpacked")
    said = refused(db, packed, f"{packed} 是压缩过的 SQLite 数据库 (台账或其备份), 不是数据包")
    assert "已损坏" not in said, said
    refused_in_english(db, packed, f"{packed} is a compressed SQLite database (a ledger or its backup), not a bundle")


def test_restore_given_a_bundle_a_workbook_or_a_text_file_says_what_it_is(pair, tmp_path):
    """`restore` given a bundle (or a workbook, a text file) said `未通过核验, 未使用: 不是数据库文件`:
    true, but the clerk was not told the file is a bundle and goes to `gridctl merge`. Each is said
    as what it is, a gzip-compressed backup as one to unpack first; the ledger is unchanged."""
    db, bundle = pair
    book, text, packed = tmp_path / "台账.xlsx", tmp_path / "说明.txt", tmp_path / "备份.db.gz"
    assert run("--db", db, "issue", "export", "-o", book).exit_code == 0
    text.write_text("not a backup\n", encoding="utf-8")
    assert run("--db", db, "backup", tmp_path / "备份.db").exit_code == 0
    packed.write_bytes(gzip.compress((tmp_path / "备份.db").read_bytes()))
    before = dump(db)
    for given, zh, en in (
            (bundle, f"{bundle} 是数据包 (gridctl bundle 写出的 .jsonl.gz), 不是备份; 数据包用 gridctl merge {bundle} 合并",
             f"{bundle} is a bundle (the .jsonl.gz gridctl bundle writes), not a backup; a bundle is merged with "
             f"gridctl merge {bundle}"),
            (book, f"{book} 是压缩包 (zip 文件, 如 Excel 工作簿), 不是备份", f"{book} is a zip file (an Excel workbook?), not a backup"),
            (text, f"{text} 是文本文件, 不是备份", f"{text} is a text file, not a backup"),
            (packed, f"{packed} 是压缩过的 SQLite 数据库; 请先解压 (如 gunzip {packed})",
             f"{packed} is a compressed SQLite database; unpack it first (gunzip {packed}, say)")):
        for lang, words in (("zh", zh), ("en", en)):
            result = run("--lang", lang, "--db", db, "restore", given)
            assert result.exit_code == 1 and words in result.stderr, (given, result.stderr)
            assert "不是数据库文件" not in result.stderr and "not a database" not in result.stderr, result.stderr
    assert dump(db) == before


def test_bundle_since_given_a_bundle_a_ledger_or_a_workbook_says_what_it_is(pair, tmp_path):
    """`bundle --since` takes the receiver's receipt (.json); given the bundle itself, a ledger or a
    workbook it said `回执 … 无法读取: 不是 UTF-8 编码`. Said as the file it is now, and what --since reads."""
    db, bundle = pair
    book = tmp_path / "台账.xlsx"
    assert run("--db", db, "issue", "export", "-o", book).exit_code == 0
    for given, zh, en in ((bundle, "是数据包 (gridctl bundle 写出的 .jsonl.gz), 不是回执", "is a bundle (the .jsonl.gz gridctl bundle writes), not a receipt"),
                          (db, "是台账或其备份 (SQLite 数据库), 不是回执", "is an SQLite database (a ledger or its backup), not a receipt"),
                          (book, "是压缩包 (zip 文件, 如 Excel 工作簿), 不是回执", "is a zip file (an Excel workbook?), not a receipt")):
        for lang, words in (("zh", f"{given} {zh}; --since 读的是接收方 gridctl merge --receipt 写出的回执"),
                            ("en", f"{given} {en}; --since reads the receipt (.json) gridctl merge --receipt writes")):
            result = run("--lang", lang, "--db", db, "bundle", "-o", tmp_path / "b.jsonl.gz", "--since", given)
            assert result.exit_code == 1 and words in result.stderr, (given, result.stderr)
    assert not (tmp_path / "b.jsonl.gz").exists()
