"""cli/render: user text is escaped for rich, CJK columns line up, progress stays off pipes."""

from __future__ import annotations

import io
import sys

from gridctl.cli import render


def test_markup_in_user_text_prints_as_written(capsys):
    render.table(["标题", "网格"], [["垃圾[/]堆放", "[bold]黄河路[/bold]"]])
    out = capsys.readouterr().out
    assert "垃圾[/]堆放" in out and "[bold]黄河路[/bold]" in out


def test_cjk_cells_align(capsys):
    render.table(["名称", "code"], [["黄河路社区", "410105001001"], ["ab", "4101"]])
    lines = [line for line in capsys.readouterr().out.splitlines() if "4101" in line]
    from gridctl.cli.plain import width

    assert len({width(line[:line.index("4101")]) for line in lines}) == 1


def test_long_lists_print_plain_and_aligned(capsys):
    rows = [[f"网格{i}", str(i)] for i in range(400)]
    render.table(["名称", "编号"], rows)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 402 and out[2].startswith("网格0")


def test_progress_is_quiet_under_json_and_off_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert render.quiet() and render.quiet(as_json=True)
    with render.progress("progress.load") as advance:
        advance()
    assert sys.stderr.getvalue() == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert not render.quiet() and render.quiet(as_json=True)
    with render.progress("progress.load", as_json=True):
        pass
    assert terminal.getvalue() == ""
    with render.progress("progress.load", total=3) as advance:
        advance(3)
    assert "正在载入" in terminal.getvalue()
