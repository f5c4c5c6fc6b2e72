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
