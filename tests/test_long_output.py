"""Long outputs print plain, as they go: the aligned table of a city's listing and the grid tree."""

from __future__ import annotations

from tests.helpers import run


def test_plain_table_aligns_chinese_by_terminal_columns():
    import io

    from gridctl.cli import plain

    out = io.StringIO()
    plain.table(["人员", "name", "网格"], [["P1", "王芳", "黄河路社区"], ["P0000002", "Li Qiang", "x"]], out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    # the third column starts at the same terminal column on every line
    starts = {plain.width(line[:line.index(cell)]) for line, cell in zip(lines[2:], ["黄河路社区", "x"])}
    assert len(starts) == 1
    assert plain.width(lines[0].split("  ")[0]) == 4 and plain.width("王芳") == 4


def test_grid_tree_prints_plain_guides(loaded):
    result = run("grid", "tree", "金水区", "--depth", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("金水区  410105")
    assert "└── " in result.stdout and "[dim]" not in result.stdout


def test_a_long_json_document_prints_compact_and_parses(loaded, monkeypatch):
    import json

    from gridctl.cli import common

    small = run("grid", "tree", "--json").stdout
    assert small.startswith("[\n  {")                      # indented for reading
    monkeypatch.setattr(common, "INDENT_BELOW", 100)
    big = run("grid", "tree", "--json").stdout
    assert big.count("\n") == 1 and json.loads(big) == json.loads(small)


def test_plain_widths_are_east_asian_widths_and_columns_match_cell_by_cell():
    """`plain.table` lays a long table out column by column; the cell-by-cell writer (`_ragged`,
    kept for rows of uneven length) is the reference it must equal, byte for byte."""
    import io
    import unicodedata

    from gridctl.cli import plain

    texts = ["王芳", "黄河路社区（东）", "Ａ座·1号", "ｱｲ", "😀 ok", "𠀀", "é\u0301", "a\x00b", "", "x" * 9, "—"]
    for text in texts:
        assert plain.width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    header = ["人员", "name", "网格", "末"]
    rows = [[texts[(i * k) % len(texts)] for k in (1, 3, 5, 7)] for i in range(40)]
    column_wise, cell_by_cell = io.StringIO(), io.StringIO()
    plain.table(header, rows, column_wise)
    plain._ragged(header, rows, cell_by_cell)
    assert column_wise.getvalue() == cell_by_cell.getvalue()
    assert len(column_wise.getvalue().splitlines()) == 42


def test_a_city_sized_missing_list_prints_the_same_whichever_way_names_are_read(db, templates, monkeypatch):
    """A week after the demo year: everyone owes a patrol, so `patrol missing` lists hundreds of rows
    (printed plain). The names and paths read by look-up (a township's few) and by one pass over the
    table (a city's many, `ledger.grids.SCAN_FROM`) give the same table and the same JSON."""
    from gridctl.cli import plain
    from gridctl.ledger import grids
    from tests.helpers import conduct_year

    templates.copy("conduct_year", conduct_year, db)
    week = ("--db", db, "patrol", "missing", "--week", "2026-W48")
    looked_up, listed = run(*week), run(*week, "--json")
    assert looked_up.exit_code == 0 and listed.exit_code == 0
    missing = listed.json()["missing"]
    assert len(missing) > plain.LONG and all(m["name"] and m["grid_path"] for m in missing)
    lines = looked_up.stdout.splitlines()
    assert len(lines) == 3 + len(missing) and "[" not in lines[1]       # plain, not rich
    starts = {plain.width(line[:line.index(m["grid_path"])]) for line, m in zip(lines[3:], missing)}
    assert len(starts) == 1                                              # the path column lines up
    monkeypatch.setattr(grids, "SCAN_FROM", 0)
    assert run(*week).stdout == looked_up.stdout
    assert run(*week, "--json").stdout == listed.stdout


def test_a_wide_list_piped_keeps_each_row_and_header_on_one_line(loaded):
    """Piped (`gridctl register list resident | cat`, a file, grep), a list wider than 120 columns
    was squeezed to 120: the 姓名/名称 header folded over four lines and each name over two or
    three (`何玉平` as 何 / 玉 / 平); grep found a third of a name. Piped, a table now takes the
    width its headers and the columns that do not fold need (ids, names, times: whole), at least
    120; only the columns made to fold (paths, titles, notes) fold."""
    from tests.helpers import EXAMPLE, run

    for kind in ("households", "residents"):
        assert run("--by", "P001", "register", "import", EXAMPLE / "register" / f"{kind}.csv").exit_code == 0
    listed = run("register", "list", "resident")
    assert listed.exit_code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    header = next(line for line in lines if "编号" in line)
    assert "姓名/名称" in header and "户籍类型" in header and "注销" in header, listed.stdout
    residents = run("register", "list", "resident", "--json").json()
    assert len(lines) == len(residents) + 2, listed.stdout          # the header, the rule, a line a row
    for resident in residents:
        assert any(resident["id"] in line and resident["name"] in line for line in lines), resident
    assert run("--by", "P001", "issue", "add", "-g", "黄河路社区/1号楼院", "-c", "非法建设", "-s", "热线",
               "-t", "楼顶私搭乱建").exit_code == 0
    issues = run("issue", "list").stdout.splitlines()
    assert all(head in issues[0] for head in ("事件编号", "状态", "网格名称", "问题描述", "截止时间")), issues
    assert "-2026-00001" in issues[2] and "楼顶私搭乱建" in issues[2], issues      # a path may fold, not the rest
