"""Reading the clerks' sheets: CSV encodings, real Excel date cells, bounded cells, damaged files."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from gridctl.sheets import MAX_CELL, open_sheet
from tests.helpers import run
from tests.test_issue_transfer import HEADER, sheet_rows, write_xlsx


def write_csv(path, rows, encoding, header=HEADER):
    text = "\n".join(",".join(str(v) for v in row) for row in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_csv_in_each_encoding_imports_and_says_which(loaded, tmp_path, db):
    rows = sheet_rows(9)
    for n, (encoding, name) in enumerate([("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 BOM"),
                                         ("gb18030", "GB18030"), ("gbk", "GB18030")]):
        part = [r[:8] + [f"{r[8]}-{n}"] for r in rows[n * 2:n * 2 + 2]]
        path = write_csv(tmp_path / f"{name}-{n}.csv", part, encoding)
        result = run("issue", "import", path)
        assert result.exit_code == 0, result.stderr
        assert f"CSV 编码: {name}" in result.stdout
        assert run("--lang", "en", "issue", "import", path, "--json").json()["encoding"] == name
    titles = {i["title"] for i in run("issue", "list", "--json").json()}
    assert titles == {r[3] for r in rows[:8]}  # the Chinese text came through in every encoding
    assert run("verify").exit_code == 0


def test_a_file_in_neither_encoding_is_refused(loaded, tmp_path, db):
    path = tmp_path / "bad.csv"
    path.write_bytes(",".join(HEADER).encode("utf-8") + b"\n\x80\xff\x81\x30\xff\n")
    result = run("issue", "import", path)
    assert result.exit_code == 1
    assert "GB18030" in result.stderr
    assert run("issue", "list", "--json").json() == []


def test_real_excel_date_cells_are_read_as_times(loaded, tmp_path, db):
    rows = sheet_rows(3)
    rows[0][4] = datetime(2026, 11, 2, 8, 30)        # a date-time cell
    rows[1][4] = datetime(2026, 11, 3)               # a date cell (midnight)
    path = tmp_path / "dates.xlsx"
    book = Workbook()
    ws = book.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    ws["E2"].number_format = "yyyy-mm-dd hh:mm"
    ws["E3"].number_format = "yyyy/m/d"
    book.save(path)
    result = run("issue", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    found = {i["title"]: i["found_at"] for i in run("issue", "list", "--json").json()}
    assert found["问题000"] == "2026-11-02 08:30"
    assert found["问题001"].startswith("2026-11-03")


def test_header_below_blank_rows_and_row_numbers_as_excel_shows_them(loaded, tmp_path, db):
    rows = sheet_rows(4)
    rows[2][0] = "410105009009009"                   # unknown grid
    path = tmp_path / "blank.xlsx"
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    for number, row in enumerate([HEADER, *rows], start=3):  # header on Excel row 3
        for col, value in enumerate(row, start=1):
            ws.cell(number, col, value)
    book.save(path)
    reader = open_sheet(path)
    assert reader.header == HEADER
    assert [n for n, _ in reader.rows()] == [4, 5, 6, 7]
    assert [n for n, _ in reader.rows()] == [4, 5, 6, 7]  # each pass starts from the top
    result = run("issue", "import", path)
    assert result.exit_code == 1
    assert f"{path}:台账:6" in result.stderr


def oversized_xlsx(path, rows, column):
    """openpyxl cuts a cell at Excel's limit when it writes; put the long text in behind its back."""
    rows[1][column] = "PLACEHOLDER"
    write_xlsx(path.with_suffix(".tmp.xlsx"), rows)
    with zipfile.ZipFile(path.with_suffix(".tmp.xlsx")) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name).replace(b"PLACEHOLDER", ("很" * (MAX_CELL + 1)).encode())
            target.writestr(name, data)
    return path


def test_a_cell_past_the_bound_is_refused_in_csv_and_xlsx(loaded, tmp_path, db):
    rows = sheet_rows(3)
    rows[1][3] = "很" * (MAX_CELL + 1)
    big = (write_csv(tmp_path / "big.csv", rows, "utf-8"), oversized_xlsx(tmp_path / "big.xlsx", rows, 3))
    for path in big:
        result = run("issue", "import", path)
        assert result.exit_code == 1, result.stderr
        assert "第 3 行" in result.stderr and str(MAX_CELL) in result.stderr
    assert run("issue", "list", "--json").json() == []


def test_rows_of_a_long_sheet_are_read_alike_in_each_block(loaded, tmp_path, db):
    """An .xlsx is read a block of rows at a time (`sheets._xlsx_rows`): a block of plain texts is
    taken as read, the others row by row. Far down a sheet, past clean blocks: a zero-width
    character is dropped from its cell, an empty cell is none (an empty row passed over), a number
    is read as its text, and a cell past the bound is refused at its own row."""
    rows = sheet_rows(700)
    rows[440][6] = None
    rows[460] = [None] * len(rows[460])
    rows[600][3] = "楼道\u200b堆物"
    rows[650][8] = 12345
    path = write_xlsx(tmp_path / "long.xlsx", rows)
    imported = run("issue", "import", path, "--json")
    assert imported.exit_code == 0, imported.stderr
    assert imported.json()["rows"] == imported.json()["imported"] == 699     # the empty row passed over
    with sqlite3.connect(db) as conn:
        held = dict(conn.execute("SELECT ref, title FROM issues WHERE ref IN ('TZ-0600', '12345')"))
        place = conn.execute("SELECT place FROM issues WHERE ref = 'TZ-0440'").fetchone()[0]
    assert held == {"TZ-0600": "楼道堆物", "12345": "问题650"} and place is None
    rows = [[*row[:8], f"{row[8]}-2"] for row in sheet_rows(700)]
    rows[620][3] = "PLACEHOLDER"
    written = write_xlsx(tmp_path / "long-2.xlsx", rows)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(tmp_path / "big.xlsx", "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name).replace(b"PLACEHOLDER", ("很" * (MAX_CELL + 1)).encode()))
    result = run("issue", "import", tmp_path / "big.xlsx")
    assert result.exit_code == 1 and "第 622 行" in result.stderr and str(MAX_CELL) in result.stderr


def test_a_damaged_xlsx_is_refused_cleanly(loaded, tmp_path, db):
    good = write_xlsx(tmp_path / "good.xlsx", sheet_rows(3))
    data = good.read_bytes()
    # a 0-byte .xlsx is empty, not damaged: test_an_empty_file_is_said_to_be_empty_once
    for name, content in [("text.xlsx", b"not a workbook"),
                          ("cut.xlsx", data[: len(data) // 2]), ("tail.xlsx", data[:-40])]:
        path = tmp_path / name
        path.write_bytes(content)
        result = run("issue", "import", path)
        assert result.exit_code == 1, (name, result.stderr, result.exception)
        assert "无法读取" in result.stderr
    assert run("issue", "list", "--json").json() == []


def test_a_sheet_damaged_inside_its_zip_is_refused_cleanly(loaded, tmp_path, db):
    """A workbook whose sheet part is damaged inside the zip (a flipped byte, a run of zeros: the
    part's CRC no longer holds) opens, and the damage is met while the sheet is read in pieces:
    refused with the file's name, nothing written (it was an internal error, exit 3)."""
    import zipfile

    good = write_xlsx(tmp_path / "good.xlsx", sheet_rows(2000))   # beyond the first piece (the header's)
    data = good.read_bytes()
    with zipfile.ZipFile(good) as book:
        part = next(i for i in book.infolist() if i.filename.startswith("xl/worksheets/"))
    start = part.header_offset + 30 + len(part.filename.encode()) + len(part.extra)
    flipped, zeros = bytearray(data), bytearray(data)
    flipped[start + part.compress_size * 3 // 4] ^= 0xFF
    zeros[start + part.compress_size * 2 // 3:start + part.compress_size * 2 // 3 + 64] = bytes(64)
    for name, content in [("flipped.xlsx", flipped), ("zeros.xlsx", zeros)]:
        path = tmp_path / name
        path.write_bytes(bytes(content))
        for lang, words in [("zh", "无法读取"), ("en", "cannot read")]:
            result = run("--lang", lang, "issue", "import", path)
            assert result.exit_code == 1, (name, result.stderr, result.exception)
            assert words in result.stderr and name in result.stderr, result.stderr
    assert run("issue", "list", "--json").json() == []


def test_import_writes_in_batches_inside_one_transaction(loaded, tmp_path, db, monkeypatch):
    from gridctl.issues import transfer

    monkeypatch.setattr(transfer, "BATCH", 3)
    path = write_xlsx(tmp_path / "a.xlsx", sheet_rows(20))
    assert run("issue", "import", path, "--dry-run", "--json").json()["imported"] == 20
    result = run("issue", "import", path, "--json").json()
    assert (result["rows"], result["imported"], result["already"]) == (20, 20, 0)
    assert len(set(result["ids"])) == 20
    assert len(run("issue", "search", "问题019", "--json").json()) == 1  # indexed in a later batch
    assert run("verify", "--deep").exit_code == 0
    again = run("issue", "import", path, "--json").json()
    assert (again["imported"], again["already"]) == (0, 20)
    # a sheet whose first batch is all held already and whose later rows are new
    more = write_xlsx(tmp_path / "b.xlsx", sheet_rows(26))
    third = run("issue", "import", more, "--json").json()
    assert (third["imported"], third["already"]) == (6, 20)
    assert run("verify", "--deep").exit_code == 0


def test_rows_go_in_whole_and_in_order_through_every_statement_size(loaded, tmp_path, db, monkeypatch):
    """Rows are written as statements of several sizes (`ledger.bulk.SIZES`, 2,000/200/20/1 in use;
    smaller here, so a short sheet needs each): the issues numbered in the sheet's order, each
    one searchable, the chain and projection sound."""
    from gridctl.ledger import bulk

    monkeypatch.setattr(bulk, "SIZES", (40, 10, 3, 1))
    rows = [[*row[:3], f"批量{i:04d}", *row[4:8], f"BULK-{i:04d}"] for i, row in enumerate(sheet_rows(57))]
    result = run("issue", "import", write_xlsx(tmp_path / "many.xlsx", rows), "--json").json()
    assert (result["imported"], len(set(result["ids"]))) == (57, 57)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT ref, title FROM issues ORDER BY seq").fetchall()
        assert stored == [(f"BULK-{i:04d}", f"批量{i:04d}") for i in range(57)]
        assert conn.execute("SELECT count(*) FROM issue_text").fetchone() == (57,)
    for i in (0, 39, 40, 49, 50, 53, 56):
        assert len(run("issue", "search", f"批量{i:04d}", "--json").json()) == 1
    assert run("verify", "--deep").exit_code == 0


def test_grids_named_by_path_are_read_while_a_batch_is_written(loaded, tmp_path, db, monkeypatch):
    """A row naming its grid by path is resolved through the ledger while the writer thread may
    be writing the batch before (one connection, SQLite's lock): each issue lands on its grid."""
    from gridctl.issues import transfer

    monkeypatch.setattr(transfer, "BATCH", 3)
    with sqlite3.connect(db) as conn:
        paths = dict(conn.execute("SELECT code, path FROM grids"))
    rows = [[paths[row[0]] if i % 2 else row[0], *row[1:]] for i, row in enumerate(sheet_rows(30))]
    assert any("/" in str(row[0]) for row in rows)
    result = run("issue", "import", write_xlsx(tmp_path / "paths.xlsx", rows), "--json").json()
    assert result["imported"] == 30
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT grid FROM issues ORDER BY seq").fetchall() == [(r[0],) for r in sheet_rows(30)]
    assert run("verify", "--deep").exit_code == 0


def test_a_sheet_held_whole_is_not_read_again_yet_still_needs_a_person(loaded, tmp_path, db, monkeypatch):
    """Importing a sheet the ledger holds whole skips the second pass (nothing to write), and
    is still refused without a person, as any recording command."""
    path = write_xlsx(tmp_path / "a.xlsx", sheet_rows(12))
    assert run("issue", "import", path, "--json").json()["imported"] == 12
    again = run("issue", "import", path, "--json").json()
    assert (again["rows"], again["imported"], again["already"], again["possible_duplicates"]) == (12, 0, 12, [])
    monkeypatch.delenv("GRIDCTL_USER")
    refused = run("--lang", "en", "issue", "import", path, "--json")
    assert refused.exit_code == 1 and refused.json()["error"]["code"] == "actor.missing"
    assert run("verify", "--deep").exit_code == 0


@pytest.mark.parametrize("where", ["recording", "writing"])
def test_an_import_failing_while_a_batch_is_written_leaves_nothing(loaded, tmp_path, db, monkeypatch, where):
    """Batches are written in a thread while the next is recorded: a failure on either side,
    after several batches went in, still leaves the ledger as it was (one transaction)."""
    from gridctl.issues import transfer
    from gridctl.ledger import issues as iq

    monkeypatch.setattr(transfer, "BATCH", 3)
    target, name = (transfer, "record_new") if where == "recording" else (iq, "index_text")
    real, calls = getattr(target, name), []

    def fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == (14 if where == "recording" else 4):
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, fails)
    result = run("issue", "import", write_xlsx(tmp_path / "a.xlsx", sheet_rows(20)))
    assert result.exit_code != 0 and len(calls) >= 4
    monkeypatch.setattr(target, name, real)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM issues").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM issue_text").fetchone() == (0,)
    assert run("verify", "--deep").exit_code == 0
    assert run("issue", "import", tmp_path / "a.xlsx", "--json").json()["imported"] == 20


def test_export_workbook_keeps_its_frozen_filtered_header(loaded, tmp_path, db):
    from openpyxl import load_workbook

    run("issue", "import", write_xlsx(tmp_path / "a.xlsx", sheet_rows(12)))
    out = tmp_path / "export.xlsx"
    assert run("issue", "export", "-o", out).exit_code == 0
    ws = load_workbook(out).active
    assert ws.freeze_panes == "A3"                       # a title row, then the header
    assert ws.auto_filter.ref.startswith("A2:") and ws.auto_filter.ref.endswith("14")
    assert ws.max_row == 14 and ws["A1"].font.bold and ws["A2"].font.bold


def test_an_empty_file_is_said_to_be_empty_once(loaded, tmp_path, db):
    """A 0-byte .xlsx (a file made by `touch`, or a copy cut short at nothing) was said
    `无法读取 empty.xlsx: 文件格式不对`: it is empty, as an empty CSV is said."""
    for name, data in (("empty.csv", b""), ("bom.csv", b"\xef\xbb\xbf"), ("empty.xlsx", b"")):
        (tmp_path / name).write_bytes(data)
        result = run("issue", "import", tmp_path / name)
        assert result.exit_code == 1
        assert "文件是空的" in result.stderr and "缺少必需的列" not in result.stderr
        assert run("--lang", "en", "issue", "import", tmp_path / name, "--json").json()[0]["code"] == "sheet.empty"
    assert run("issue", "list", "--json").json() == []


def test_a_file_that_is_no_workbook_is_said_as_that_in_both_languages(loaded, tmp_path, db):
    """An .xlsx that is no workbook (random bytes, a zip cut short, a zip of something else) was
    said `无法读取 …: 文件格式不对` and, in English, in calamine's own words: `invalid Zip archive:
    Could not find EOCD`, `File not found '_rels/.rels'`. Both now say it is no .xlsx workbook
    that opens, and what to do."""
    (tmp_path / "random.xlsx").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "cut.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 60)
    with zipfile.ZipFile(tmp_path / "other.xlsx", "w") as other:
        other.writestr("readme.txt", "not a workbook")
    for name in ("random.xlsx", "cut.xlsx", "other.xlsx"):
        for command in ("issue", "register", "patrol"):
            zh = run("--by", "P007", command, "import", tmp_path / name)
            assert zh.exit_code == 1 and (f"无法读取 {tmp_path / name}: 不是能打开的 .xlsx 工作簿 (文件已损坏, "
                                          "或是别的文件改成了 .xlsx 的名字); 请用 Excel 打开后另存为") in zh.stderr, zh.stderr
            en = run("--lang", "en", "--by", "P007", command, "import", tmp_path / name)
            assert en.exit_code == 1 and "not an .xlsx workbook that opens" in en.stderr, en.stderr
            assert "Zip" not in en.stderr and "_rels" not in en.stderr and "EOCD" not in en.stderr, en.stderr
    assert run("issue", "list", "--json").json() == []


def test_data_on_a_later_sheet_than_the_first_is_said_where_it_is(loaded, tmp_path, db):
    """gridctl reads the first sheet; an empty first sheet before the data said `文件是空的` only."""
    book = Workbook()
    book.active.title = "封面"
    data = book.create_sheet("问题台账")
    data.append(HEADER)
    for row in sheet_rows(3):
        data.append(row)
    book.save(tmp_path / "two.xlsx")
    result = run("--by", "P007", "issue", "import", tmp_path / "two.xlsx")
    assert result.exit_code == 1
    assert ("two.xlsx:封面: 第一个工作表是空的; gridctl 只读第一个工作表, 数据在工作表“问题台账”: 请把它移到最前"
            in result.stderr), result.stderr
    english = run("--lang", "en", "--by", "P007", "issue", "import", tmp_path / "two.xlsx", "--json").json()
    assert english[0]["code"] == "sheet.first_empty" and "the data is on the sheet “问题台账”" in english[0]["message"]
    book.remove(book["封面"])
    book.save(tmp_path / "one.xlsx")
    assert run("--by", "P007", "issue", "import", tmp_path / "one.xlsx").exit_code == 0
    assert len(run("issue", "list", "--json").json()) == 3


def test_a_quote_never_closed_is_named_with_its_row(loaded, tmp_path, db):
    """Before: the rest of the file became one cell, reported as a missing 发现时间."""
    rows = sheet_rows(3)
    rows[1][3] = '"' + rows[1][3]                         # 问题描述 opens a quote and never closes it
    result = run("issue", "import", write_csv(tmp_path / "open.csv", rows, "utf-8"))
    assert result.exit_code == 1
    assert "第 3 行起有一个引号" in result.stderr and "缺少必填字段" not in result.stderr
    rows[1][3] = '"楼顶"违建'                              # text after the closing quote
    result = run("--lang", "en", "issue", "import", write_csv(tmp_path / "after.csv", rows, "utf-8"))
    assert result.exit_code == 1 and "row 3: text right after a closing quote" in result.stderr
    assert run("issue", "list", "--json").json() == []


def test_a_sheet_given_to_another_import_says_which_import_it_is_for(loaded, tmp_path):
    """A patrol sheet given to `issue import` (or an issue sheet to `patrol`, `survey` or
    `register import`) was refused as four or five unknown and missing columns, or as a register
    sheet of no kind, never saying what the sheet is. Its headers all being another import's, the
    refusal now says which command takes it first (the columns' problems follow); a sheet with only
    headers both take (网格编码) is not sent elsewhere."""
    patrol = tmp_path / "巡查.csv"
    patrol.write_text("日期,人员,网格编码,走访户数\n2026-11-20,P007,410105001001,3\n", encoding="utf-8")
    issue = tmp_path / "台账.csv"
    issue.write_text("网格编码,问题类别,来源,问题描述,发现时间\n410105001001,占道,热线,x,2026-11-20 09:00\n",
                     encoding="utf-8")
    household = tmp_path / "户.csv"
    household.write_text("网格编码,门牌,户主,人口\n410105001001001,1号楼,王五,3\n", encoding="utf-8")
    for command, sheet, wanted in ((("issue", "import"), patrol, "gridctl patrol import"),
                                   (("issue", "import"), household, "gridctl register import"),
                                   (("patrol", "import"), issue, "gridctl issue import"),
                                   (("survey", "import"), issue, "gridctl issue import"),
                                   (("register", "import"), issue, "gridctl issue import"),
                                   (("register", "import"), patrol, "gridctl patrol import")):
        zh = run("--by", "P007", *command, sheet)
        assert zh.exit_code == 1 and "表头都是另一种导入表的" in zh.stderr, (command, zh.stderr)
        assert f"是要用 {wanted} 吗?" in zh.stderr, (command, zh.stderr)
        en = run("--lang", "en", "--by", "P007", *command, sheet)
        assert en.exit_code == 1 and f"did you mean {wanted}?" in en.stderr, (command, en.stderr)
    only_grid = tmp_path / "网格.csv"
    only_grid.write_text("网格编码\n410105001001\n", encoding="utf-8")
    said = run("--by", "P007", "issue", "import", only_grid)
    assert said.exit_code == 1 and "另一种导入表" not in said.stderr and "问题类别: 缺少必需的列" in said.stderr


def test_a_utf16_csv_is_named_as_what_excel_saved(loaded, tmp_path):
    """A sheet Excel saved as “Unicode 文本” (UTF-16 with its BOM) was said as 既不是 UTF-8 也不是
    GB18030 (GBK) 编码: true, but not what it is nor where it came from. It is named as UTF-16 and
    the clerk told how to save it from Excel (exit 1, nothing imported)."""
    text = "网格编码,问题类别,来源,问题描述,发现时间\n410105001001,占道,热线,x,2026-11-20 09:00\n"
    (tmp_path / "le.csv").write_bytes(text.encode("utf-16"))            # with its BOM, as Excel writes it
    (tmp_path / "be.csv").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    for name in ("le.csv", "be.csv"):
        for command in (("issue", "import"), ("patrol", "import"), ("register", "import")):
            zh = run("--by", "P007", *command, tmp_path / name)
            assert zh.exit_code == 1 and "是 UTF-16 编码 (Excel 另存为“Unicode 文本”时的编码)" in zh.stderr, zh.stderr
            assert "另存为“CSV UTF-8 (逗号分隔)”" in zh.stderr
            en = run("--lang", "en", "--by", "P007", *command, tmp_path / name)
            assert en.exit_code == 1 and "is UTF-16 (what Excel writes as “Unicode Text”)" in en.stderr, en.stderr
    assert run("issue", "list", "--json").json() == []
