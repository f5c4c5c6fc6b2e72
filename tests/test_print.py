"""Print design of every workbook, read back through openpyxl: paper, orientation, print titles,
footers, borders, number formats, and fit-to-width only where the type stays at 8 pt or more."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from gridctl.reports.book import BODY_PT, MIN_TYPE_PT, PAPERS, PT_PER_UNIT
from tests.helpers import FORTNIGHT_UNIT as UNIT
from tests.helpers import run
from tests.test_score import quarter  # noqa: F401 - the scored quarter's ledger (a fixture)

A4, A3 = PAPERS["A4"], PAPERS["A3"]
DEFAULT_ROW_PT = 15.5          # a one-line row of 10 pt type with CJK glyphs, as LibreOffice lays it out


def printed_columns(ws) -> int:
    """How many columns the print area holds (all of them when there is none)."""
    if not ws.print_area:
        return ws.max_column
    last = ws.print_area.split(":")[-1].lstrip("$")
    return column_index_from_string("".join(c for c in last if c.isalpha()))


def type_on_paper(ws, paper) -> float:
    """The body type's size on paper, from the printed columns' widths and the scaling."""
    landscape = ws.page_setup.orientation == "landscape"
    total = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, printed_columns(ws) + 1))
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight in (0, None)
        return BODY_PT * min(1.0, paper.width(landscape) / (total * PT_PER_UNIT))
    scale = (ws.page_setup.scale or 100) / 100
    assert total * PT_PER_UNIT * scale <= paper.width(landscape) + 1, ws.title      # no column spills
    return BODY_PT * scale


def check_table(ws, paper=A4) -> None:
    """The print design every table sheet shares. The monthly charts sheet's second page holds its
    charts, not its rates table: it repeats the title, not the table's header."""
    assert int(ws.page_setup.paperSize) == int(paper.code), ws.title
    assert ws.page_setup.orientation in ("portrait", "landscape")
    repeated = ("1:1", "$1:$1") if ws.title in ("图表", "Charts") else ("1:2", "$1:$2")
    assert ws.print_title_rows in repeated, ws.title
    assert ws.freeze_panes == "A3"
    assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text
    assert ws.oddFooter.left.text.startswith("截至 ")
    assert type_on_paper(ws, paper) >= MIN_TYPE_PT, ws.title
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14                   # the title, merged across
    assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges) or printed_columns(ws) < 2
    header = ws[2]
    assert all(c.border.left.style == "thin" and c.font.b for c in header), ws.title
    for row in ws.iter_rows(min_row=3):                                 # a rate fits its column ("###" else)
        for c in row:
            if c.number_format == "0.0%" and isinstance(c.value, (int, float)):
                width = ws.column_dimensions[c.column_letter].width
                assert width >= len(f"{c.value:.1%}") + 1, (ws.title, c.coordinate, c.value, width)
    for row in ws.iter_rows(min_row=3, max_row=min(ws.max_row, 40)):
        for cell in row:
            if cell.value is not None:
                assert cell.border.bottom.style == "thin", (ws.title, cell.coordinate)
                assert cell.font.sz >= 10


def number_formats(ws, header: str) -> set[str]:
    col = [c.value for c in ws[2]].index(header) + 1
    return {ws.cell(r, col).number_format for r in range(3, ws.max_row + 1) if ws.cell(r, col).value is not None}


def weekly(tmp_path, *args):
    out = tmp_path / "w.xlsx"
    result = run("report", "weekly", "--unit", UNIT, "--week", "2026-W47", "--as-of", "2026-11-22 23:59",
                 "-o", out, *args)
    assert result.exit_code == 0, result.stderr
    return load_workbook(out)


def test_weekly_print_design(fortnight, tmp_path):
    wb = weekly(tmp_path)
    for ws in wb.worksheets:
        check_table(ws)
    ledger = wb["问题台账"]
    assert ledger.page_setup.orientation == "landscape"
    assert printed_columns(ledger) == 10 and ledger.max_column == 20         # the rest stays on the screen
    assert [c.value for c in ledger[2]][:10] == ["序号", "事件编号", "网格名称", "问题类型", "问题描述", "发现时间",
                                                 "处置单位", "截止时间", "状态", "预警"]
    assert number_formats(ledger, "发现时间") == {"yyyy-mm-dd hh:mm"}
    assert wb["概况"].page_setup.orientation == "portrait"
    patrols = [r for r in wb["巡查情况"].iter_rows(min_row=3, values_only=True)]
    assert len({r[0] for r in patrols}) == len(patrols)                      # one row per person


def test_weekly_on_a3_with_detail(fortnight, tmp_path):
    wb = weekly(tmp_path, "--paper", "A3", "--detail")
    assert "巡查明细" in wb.sheetnames
    for ws in wb.worksheets:
        check_table(ws, A3)


def test_output_suffix_and_csv(fortnight, tmp_path):
    bad = run("report", "weekly", "--unit", UNIT, "--week", "2026-W47", "-o", tmp_path / "w.pdf")
    assert bad.exit_code == 1 and ".xlsx" in bad.stderr and not (tmp_path / "w.pdf").exists()
    out = tmp_path / "w.csv"
    assert run("report", "weekly", "--unit", UNIT, "--week", "2026-W47", "-o", out).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                                   # UTF-8 with BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("序号,事件编号,网格名称") and len(lines) > 1


def notice(tmp_path, *args):
    out = tmp_path / "n.xlsx"
    result = run("report", "notice", "--grid", "金水区/经八路街道/黄河路社区", "-o", out, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return load_workbook(out), result.json()


def board_rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_notice_board_one_page_per_node_full_numbers(loaded, tmp_path):
    wb, figures = notice(tmp_path)
    boards = figures["boards"]
    assert [b["title"] for b in boards][:2] == ["黄河路社区公示牌", "黄河路社区1号楼院公示牌"]
    assert len(wb.worksheets) == len(boards) == 6                        # the community and its 5 blocks
    assert wb.worksheets[0].title == "001001 黄河路社区"                  # a tab (and footer) names its grid
    for ws in wb.worksheets:                                              # one A4 portrait page each
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
        assert ws["A1"].font.sz >= 28 and ws["A1"].font.b                # a poster's title
    block = board_rows(wb.worksheets[1])
    assert block[0][0] == "黄河路社区1号楼院公示牌"
    header = next(i for i, r in enumerate(block) if r[0] == "职务")
    assert block[header][:4] == ("职务", "姓名", "联系电话", "职责")
    head = next(r for r in block if r[0] == "网格长")
    assert head[2].startswith("138") and "*" not in head[2] and "非法建设" in head[3]   # in full: residents call it
    assert any(r[0] and r[0].startswith("第一书记") for r in block)        # the community's posts too
    assert any(r[0] == "驻点工作队队长" for r in block)
    assert any(r[0] == "监督电话" and r[1] == "12345" for r in block)
    assert any(r[0] == "值班电话" and r[1] == "0371-60001107" for r in block)   # the community's duty phone
    community = wb.worksheets[0]
    households = next(row for row in community.iter_rows() if row[0].value == "户数")[1]
    assert isinstance(households.value, int) and households.number_format.endswith('" 户"')
    cells = wb.worksheets[1].cell(header + 2, 1)
    assert cells.border.left.style == "thin" and cells.font.sz >= 14


def test_notice_board_masked_and_own_supervision_line(loaded, tmp_path):
    wb, figures = notice(tmp_path, "--mask-phones", "--supervision-phone", "0371-12319")
    assert figures["masked"] is True
    for ws in wb.worksheets:
        rows = board_rows(ws)
        assert not any("13800000" in str(c) for r in rows for c in r)
        assert any(r[0] == "监督电话" and r[1] == "0371-12319" for r in rows)
    head = next(r for r in board_rows(wb.worksheets[1]) if r[0] == "网格长")
    assert head[2].startswith("138****")


@pytest.mark.parametrize("phone", ["1" * 10_000, "12345 转监督科", "监督电话"])
def test_notice_board_refuses_a_supervision_line_that_is_no_phone(loaded, tmp_path, phone):
    """The number is printed large on every board: 10,000 digits or a word is refused (it was printed)."""
    out = tmp_path / "n.xlsx"
    result = run("report", "notice", "--grid", "金水区/经八路街道/黄河路社区", "-o", out, "--supervision-phone", phone)
    assert result.exit_code == 1 and not out.exists()
    assert "--supervision-phone: 电话号码格式不对" in result.stderr and len(result.stderr) < 200
    refused = run("--lang", "en", "report", "notice", "--grid", "黄河路社区", "-o", out, "--supervision-phone", phone, "--json")
    assert refused.exit_code == 1 and refused.json()["error"]["code"] == "field.bad_phone"


def test_english_notice_board_labels_fit_one_line(loaded, tmp_path):
    """The two big fact rows' labels print on one line in column A (rendered: "Complaints line" wrapped
    and overflowed its row)."""
    out = tmp_path / "n.xlsx"
    assert run("--lang", "en", "report", "notice", "--grid", "黄河路社区/1号楼院", "-o", out).exit_code == 0
    labels = [r[0] for r in load_workbook(out).active.iter_rows(values_only=True) if r[1] in ("12345", "0371-60001107")]
    assert labels == ["Duty line", "Complaints"] and all(len(label) <= 10 for label in labels)


def test_notice_board_csv(loaded, tmp_path):
    out = tmp_path / "n.csv"
    assert run("report", "notice", "--grid", "金水区/经八路街道/黄河路社区", "-o", out).exit_code == 0
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0] == "名称,职务,姓名,联系电话,职责" and any("网格长" in line for line in lines[1:])


def test_monthly_print_design(fortnight, tmp_path):
    out = tmp_path / "m.xlsx"
    result = run("report", "monthly", "--unit", UNIT, "--month", "2026-11", "--as-of", "2026-11-25 18:00",
                 "-o", out, "--detail")
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(out)
    assert "人员明细" in wb.sheetnames
    for ws in wb.worksheets:
        check_table(ws)
    ranking = wb["二、考评与排名"]
    header = [c.value for c in ranking[2]]
    assert printed_columns(ranking) == header.index("名次变化") + 1 < len(header)   # 分子/分母 on the screen
    assert number_formats(ranking, "得分 (80)") == {"0.00"} and number_formats(ranking, "发现率") == {"0.0%"}
    people = [r for r in wb["人员情况"].iter_rows(min_row=3, values_only=True)]
    assert len({r[0] for r in people}) == len(people)                      # one row per team
    csv_out = tmp_path / "m.csv"
    assert run("report", "monthly", "--unit", UNIT, "--month", "2026-11", "-o", csv_out).exit_code == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf\xe7\xbd\x91\xe6\xa0\xbc")   # BOM, then 网格


def test_issue_export_print_design(fortnight, tmp_path):
    out = tmp_path / "e.xlsx"
    result = run("issue", "export", "-o", out, "--grid", UNIT, "--as-of", "2026-11-22 23:59")
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(out).active
    check_table(ws)
    assert ws.page_setup.orientation == "landscape" and ws["A1"].value.startswith("问题台账 截至 2026-11-22 23:59")
    assert printed_columns(ws) == 10 and ws.max_column == 31
    assert number_formats(ws, "截止时间") <= {"yyyy-mm-dd hh:mm"}
    assert run("issue", "export", "-o", tmp_path / "e.ods").exit_code == 1


def test_score_print_design(quarter, tmp_path):
    out = tmp_path / "s.xlsx"
    result = run("score", "--quarter", "2026Q3", "-o", out, "--paper", "A3")
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(out)
    for ws in wb.worksheets:
        check_table(ws, A3)
    members = wb["成员"]
    header = [c.value for c in members[2]]
    assert header[:3] == ["工作队", "人员", "姓名"] and printed_columns(members) == header.index("备注") + 1
    assert printed_columns(members) < len(header)                           # rates and counts on the screen
    assert number_formats(members, "总分") == {"0.00"}
    assert number_formats(wb["工作队"], "发现率") <= {"0.0%"}                 # the team's rates: 工作队 (#11)
    assert number_formats(wb["工作队"], "总分") == {"0.00"}
    bad = run("score", "--quarter", "2026Q3", "-o", tmp_path / "s.txt")
    assert bad.exit_code == 1 and not (tmp_path / "s.txt").exists()
    csv_out = tmp_path / "s.csv"
    assert run("score", "--quarter", "2026Q3", "-o", csv_out).exit_code == 0
    assert csv_out.read_bytes().startswith("\ufeff工作队,人员,姓名".encode())


def printed_pages(ws, paper) -> int:
    """Pages a sheet prints on, counted from its rows' heights (one page wide by design)."""
    landscape = ws.page_setup.orientation == "landscape"
    usable = paper.height(landscape) / (type_on_paper(ws, paper) / BODY_PT)   # in the sheet's points
    height = lambda r: ws.row_dimensions[r].height or DEFAULT_ROW_PT     # noqa: E731
    room = usable - height(1) - height(2)                                # title and header repeat
    pages, used = 1, 0.0
    for r in range(3, ws.max_row + 1):
        if used + height(r) > room:
            pages, used = pages + 1, 0.0
        used += height(r)
    return pages


def test_page_budget_of_a_district(tmp_path):
    """A district's weekly and monthly as `demo --scale district --seed 7 --issues 20000 --conduct`
    makes them (752 issues changed in 2026-W46, 372 overdue, 13 townships; 656 work teams in
    2026-10), laid out and counted page by page: 48 pages each at most. The real ledger, rendered
    by LibreOffice, is tests/benchmarks/bench_pages.py (37 and 22 pages)."""
    from datetime import datetime, timedelta

    from gridctl.reports.monthly import Monthly, write_monthly
    from gridctl.reports.weekly import Line, Weekly, write_weekly

    at = datetime(2026, 11, 9, 9, 0)
    issue = lambda n: [n, f"4101-2026-{15000 + n}", f"华兴街道/孟刘社区/{n % 12 + 1}号楼院", "基层组织建设",  # noqa: E731
                       f"{n % 12 + 1}号楼院楼顶基层组织建设问题", at, "功人区城管执法局", at + timedelta(days=5),
                       "处置中", "红(超期)", "巡查发现", "东侧", at, at, at, None, None, "华兴街道", "王芳", "已派遣"]
    w = Weekly("功人区 网格化管理动态台账 2026-W46 (2026-11-09 至 2026-11-15) 截至 2026-11-15 23:59",
               summary=[("本周", [("新增问题", 373)] * 4), ("按类别 (累计)", [("非法建设", 973)] * 19)],
               ledger=[Line(issue(n)) for n in range(1, 753)],
               overdue=[Line(issue(n)[:5] + [at, 12.5, "华兴街道", "功人区城管执法局", "王芳"]) for n in range(1, 373)],
               patrols=[Line([f"第{n}镇", 420, 420, 3100, 0, 36, 45, 5]) for n in range(13)], patrols_by_grid=True,
               notes=[("report.unit", "功人区")], figures={"as_of": "2026-11-15 23:59"})
    out = tmp_path / "w.xlsx"
    write_weekly(w).save(out)
    weekly_pages = sum(printed_pages(ws, A4) for ws in load_workbook(out).worksheets)
    m = Monthly("功人区 2026-10 网格化管理月报暨考核通报 截至 2026-10-31 23:59",
                overall=[("", [["受理 (本月登记)", 1700, None]] * 7)],
                ranking=[[f"第{n}镇", *[0.5] * 7, 63.8, n, 60.6, n, 0, *[10] * 14] for n in range(14)],
                people=[[f"T{n:05d}", f"市文广局驻京广村工作队{n}", "市文广局", 4, 17, 147, 0, 0] for n in range(656)],
                charts=[[f"第{n}镇", 0.4, 0.9, 0.9, 0.9] for n in range(14)], weeks=[["2026-W40", 224, 156]] * 5,
                notes=[("report.unit", "功人区")], figures={"as_of": "2026-10-31 23:59"})
    out = tmp_path / "m.xlsx"
    write_monthly(m).save(out)
    monthly_pages = sum(printed_pages(ws, A4) for ws in load_workbook(out).worksheets)
    print(f"weekly {weekly_pages} pages, monthly {monthly_pages} pages")
    assert weekly_pages <= 48 and monthly_pages <= 48
    assert weekly_pages >= 752 // 40                                     # the estimate counts real rows
