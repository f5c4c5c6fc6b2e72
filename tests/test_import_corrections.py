"""A sheet imported before, corrected and imported again: a row the ledger holds (same 编号, or
with no 编号 the same content) whose values differ from the ledger's is refused, naming the field,
the ledger's value and the sheet's (phones masked), and what to do instead. It was counted
已存在 and its correction dropped without a word. A row as held is skipped, as before; alike
routed in a second process, in one process and in a dry run."""

from __future__ import annotations

import pytest

from tests.helpers import dump, run
from tests.test_import_routing import MODES, _mode
from tests.test_issue_transfer import HEADER, sheet_rows, write_xlsx

REPORTED = "上报时间"


@pytest.fixture
def apart(monkeypatch):
    """Any sheet routable in a second process, in batches of 7 (held and differing rows in several)."""
    from gridctl.issues import transfer

    monkeypatch.setattr(transfer, "ROUTED_APART", 1)
    monkeypatch.setattr(transfer, "BATCH", 7)


def _rows() -> list[list]:
    """14 rows: 12 with an 编号, the last two without (held by their content)."""
    rows = [[*row, "2026-11-25 09:00"] for row in sheet_rows(14)]
    for row in rows[12:]:
        row[8] = None
    return rows


def _corrected(rows: list[list]) -> list[list]:
    rows = [list(row) for row in rows]
    rows[1][7] = "13900002222"          # line 3: another phone
    rows[3][6] = "地点3号楼"             # line 5: another place
    rows[5][1] = "占道"                 # line 7: another category (was 非法建设)
    rows[6][5] = "李四"                 # line 8: another reporter
    rows[7][9] = "2026-11-25 10:30"     # line 9: reported later
    rows[8][3] = "问题008 (已更正)"       # line 10: another description, same 编号
    rows[9][5] = None                   # line 11: no reporter given: not compared (the import took the clerk)
    rows[10][9] = None                  # line 12: no 上报时间 given: not compared (the import took its moment)
    rows[13][7] = "13900003333"         # line 15: no 编号, the same content, another phone
    return rows


def test_a_corrected_row_of_a_sheet_held_is_refused_naming_each_difference(loaded, tmp_path, db, monkeypatch,
                                                                           apart):
    from gridctl.issues import transfer

    rows = _rows()
    first = write_xlsx(tmp_path / "台账.xlsx", rows, header=[*HEADER, REPORTED])
    assert run("issue", "import", first, "--json").json()["imported"] == 14
    before = dump(db)
    sheet = write_xlsx(tmp_path / "台账更正.xlsx", _corrected(rows), header=[*HEADER, REPORTED])
    said = {}
    for mode in MODES:
        _mode(monkeypatch, transfer, mode)
        for dry in ((), ("--dry-run",)):
            for lang in ("zh", "en"):
                text = run("--lang", lang, "issue", "import", sheet, *dry)
                as_json = run("--lang", lang, "issue", "import", sheet, *dry, "--json")
                assert text.exit_code == as_json.exit_code == 1, (mode, dry, text.stderr)
                said[mode, dry, lang] = (text.stdout, text.stderr, as_json.json())
                assert dump(db) == before
    for lang in ("zh", "en"):
        assert all(said[mode, dry, lang] == said["apart", (), lang] for mode in MODES for dry in ((), ("--dry-run",)))
    zh, en = said["apart", (), "zh"][1], said["apart", (), "en"][1]
    lines = [line for line in zh.splitlines() if line.startswith(str(sheet))]
    assert [line.split(": ")[0].rpartition(":")[2] for line in lines] == ["3", "5", "7", "8", "9", "10", "15"]
    ids = [f"4101-2026-{n:05d}" for n in (2, 4, 6, 7, 8, 9, 14)]
    for line, issue_id in zip(lines, ids):
        assert f"台账中已有此行的问题 {issue_id}, " in line
        assert "整张表都未导入" in line and "改回台账中的值" in line
    assert lines[0].startswith(f"{sheet}:台账:3: 联系电话: 联系电话与台账不符")
    assert "为 138****1111, 此行为 139****2222" in lines[0]
    assert "地点为 地点3, 此行为 地点3号楼" in lines[1]
    assert "问题类别为 非法建设 (illegal_building), 此行为 占道 (road_occupation)" in lines[2]
    assert "上报人为 张6, 此行为 李四" in lines[3]
    assert "上报时间为 2026-11-25 09:00, 此行为 2026-11-25 10:30" in lines[4]
    assert "问题描述为 问题008, 此行为 问题008 (已更正)" in lines[5]
    assert "为 138****1111, 此行为 139****3333" in lines[6]
    for output in (zh, en):
        assert "13900002222" not in output and "13800001111" not in output
    assert "7" in zh.splitlines()[-1]
    en_lines = [line for line in en.splitlines() if line.startswith(str(sheet))]
    assert "Phone differs from the ledger: the ledger holds this row's issue, 4101-2026-00002, with 138****1111; " \
           "this row says 139****2222. An import never changes an issue already recorded" in en_lines[0]
    assert "put the ledger's value back in this row" in en_lines[0]
    problems = said["apart", (), "en"][2]
    assert [p["line"] for p in problems] == [3, 5, 7, 8, 9, 10, 15]
    assert all(p["code"] == "import.held_differs" for p in problems)


def test_rows_as_held_stay_already_held_and_empty_defaults_are_not_differences(loaded, tmp_path, db, monkeypatch,
                                                                               apart):
    """The same sheet again, with no 上报人 or 上报时间 given on some rows (the import took the clerk
    and its moment for those), or without the 地点 column at all: 已存在, nothing written."""
    from gridctl.issues import transfer

    rows = _rows()
    assert run("issue", "import", write_xlsx(tmp_path / "a.xlsx", rows, header=[*HEADER, REPORTED]),
               "--json").json()["imported"] == 14
    before = dump(db)
    blanks = [list(row) for row in rows]
    blanks[2][5] = blanks[4][9] = None
    again = write_xlsx(tmp_path / "b.xlsx", blanks, header=[*HEADER, REPORTED])
    no_place = write_xlsx(tmp_path / "c.xlsx", [row[:6] + row[7:] for row in rows],
                          header=[h for h in [*HEADER, REPORTED] if h != "地点"])
    for mode in MODES:
        _mode(monkeypatch, transfer, mode)
        for sheet in (again, no_place):
            for dry in ((), ("--dry-run",)):
                result = run("issue", "import", sheet, *dry, "--json")
                assert result.exit_code == 0, result.stderr
                assert (result.json()["imported"], result.json()["already"]) == (0, 14)
            assert dump(db) == before
    text = run("issue", "import", again)
    assert text.exit_code == 0 and "已存在 14 条" in text.stdout + text.stderr


def test_a_sheet_of_new_rows_and_a_corrected_held_one_writes_nothing(loaded, tmp_path, db, monkeypatch, apart):
    """New rows to write beside one corrected held row (the write lock taken, rows routed): refused whole."""
    from gridctl.issues import transfer

    rows = _rows()
    assert run("issue", "import", write_xlsx(tmp_path / "a.xlsx", rows[:7], header=[*HEADER, REPORTED]),
               "--json").json()["imported"] == 7
    before = dump(db)
    rows[4][6] = "新地点"
    sheet = write_xlsx(tmp_path / "b.xlsx", rows, header=[*HEADER, REPORTED])
    for mode in MODES:
        _mode(monkeypatch, transfer, mode)
        result = run("issue", "import", sheet)
        assert result.exit_code == 1, result.stderr
        assert f"{sheet}:台账:6: 地点: 地点与台账不符" in result.stderr
        assert dump(db) == before
    rows[4][6] = "地点4"
    assert run("issue", "import", write_xlsx(tmp_path / "c.xlsx", rows, header=[*HEADER, REPORTED]),
               "--json").json()["imported"] == 7


def test_a_corrected_csv_row_with_english_headers_is_refused_alike(loaded, tmp_path, db):
    """A CSV (read in one process, its size unknown until read) with English headers: the same rule."""
    head = "grid,category,source,title,found_at,phone,ref\n"
    first = tmp_path / "a.csv"
    first.write_text(head + "410105001001001,占道,巡查发现,流动摊贩,2026-11-21 09:00,13800001111,CSV-1\n"
                     "410105001001001,环境卫生,巡查发现,垃圾堆放,2026-11-21 10:00,,CSV-2\n", encoding="utf-8")
    assert run("issue", "import", first, "--json").json()["imported"] == 2
    before = dump(db)
    again = tmp_path / "b.csv"
    again.write_text(head + "410105001001001,占道,巡查发现,流动摊贩,2026-11-21 09:00,13800001111,CSV-1\n"
                     "410105001001001,环境卫生,巡查发现,垃圾堆放,2026-11-21 10:00,13911112222,CSV-2\n", encoding="utf-8")
    result = run("--lang", "en", "issue", "import", again)
    assert result.exit_code == 1, result.stderr
    assert f"{again}:3: phone: Phone differs from the ledger: the ledger holds this row's issue" in result.stderr
    assert "with (empty); this row says 139****2222" in result.stderr and "13911112222" not in result.stderr
    assert dump(db) == before
    assert run("issue", "import", first, "--json").json()["already"] == 2


def test_a_phone_held_full_width_by_an_older_import_is_the_same_phone(loaded, tmp_path, db, monkeypatch):
    """An import made before full-width digits were read as theirs stored the phone as typed
    (１３８…): the same sheet again is 已存在, not a difference the clerk could not mend."""
    from gridctl import bounds
    from gridctl.issues import transfer

    sheet = write_xlsx(tmp_path / "a.xlsx", [["410105001001001", "占道", "巡查发现", "流动摊贩", "2026-11-21 09:00",
                                             "张三", "路口", "１３８００００１１１１", "FW-1"]])
    with monkeypatch.context() as older:            # the reader as it was: the phone kept as typed
        older.setattr(transfer.bounds, "phone_text", lambda value: value)
        older.setattr(transfer.bounds, "halfwidth", lambda value: value)      # (the sheet's other cells: ASCII)
        assert run("issue", "import", sheet, "--json").json()["imported"] == 1
    assert run("issue", "list", "--json").json()[0]["phone"] == "１３８００００１１１１"
    before = dump(db)
    again = run("issue", "import", sheet, "--json")
    assert again.exit_code == 0, again.stderr
    assert (again.json()["imported"], again.json()["already"]) == (0, 1)
    assert dump(db) == before
    assert bounds.phone_text("１３８００００１１１１") == "13800001111"
