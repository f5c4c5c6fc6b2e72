"""`issue export`: the ledger's rows as a printable workbook (or UTF-8 CSV with a BOM).

The printed columns are the ledger row offices recognise — 序号 · 事件编号 · 网格名称 · 问题类型 ·
问题描述 · 发现时间 · 处置单位 · 截止时间 · 状态 · 预警 — on A4 landscape (or A3); the other 21
columns stay on the screen beside them, outside the print area.
"""

from __future__ import annotations

from pathlib import Path

from gridctl.issues.transfer import EXPORT_COLUMNS, EXPORT_PRINTED, export_issues, iter_export
from gridctl.messages import t
from gridctl.progress import QUIET, Meter, counted
from gridctl.reports.book import Book, Col, check_output, fill_for
from gridctl.timefmt import as_of_moment, fmt, now


def export_file(db: Path, out: Path, filters: dict | None = None, as_of: str | None = None, paper=None,
                meter: Meter = QUIET) -> int:
    """Write the export to `out` (.xlsx or .csv); return the number of issues."""
    if check_output(out) == "csv":
        return export_issues(db, out, filters, as_of)
    from gridctl.outfile import replacing

    moment = as_of_moment(as_of) if as_of else fmt(now())
    title = t("export.title_line", as_of=moment)
    cols = [Col(key, kind, i >= EXPORT_PRINTED) for i, (key, _, kind) in enumerate(EXPORT_COLUMNS)]
    book = Book(paper, moment)
    table = book.table("export.sheet", title, cols, landscape=True)
    colours = {t(f"colour.{c}"): c for c in ("red", "yellow")}
    count = 0
    with replacing(out) as temporary:   # the rows too: their sort and their sheet's XML are this file's writing
        for row in counted(iter_export(db, filters or {}, as_of, True, meter), meter):  # rows written, of how many
            table.row(row, fill=fill_for(colours.get(row[EXPORT_PRINTED - 1])))
            count += 1
        book.save(temporary)
    return count
