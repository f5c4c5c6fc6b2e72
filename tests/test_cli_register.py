"""`gridctl register`: imports checked row by row, idempotent with a diff, history as events,
身份证号 never in the file in clear, phones masked unless --include-personal (recorded)."""

from __future__ import annotations

import csv
import sqlite3
import unicodedata
from pathlib import Path

from openpyxl import Workbook

from gridctl.ledger import register as rg
from gridctl.text import BLANKS
from tests.helpers import EXAMPLE, run, write_folder

REGISTER = EXAMPLE / "register"
BLOCK = "410105001001001"          # 黄河路社区/1号楼院
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body17: str) -> str:
    """A 身份证号 with a correct check character (GB 11643)."""
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, _W)) % 11]


def ok(*args, by="P001"):
    result = run("--by", by, *args, "--json") if by else run(*args, "--json")
    assert result.exit_code == 0, (args, result.stderr)
    return result.json()


def refused(*args, expect: str):
    result = run(*args)
    assert result.exit_code == 1, (args, result.stdout)
    assert expect in result.stderr, (args, result.stderr)
    assert "Traceback" not in result.stderr


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def events(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def import_example() -> None:
    for name in ("households", "residents", "places", "orgs"):
        ok("register", "import", REGISTER / f"{name}.csv")


RESIDENT_HEADER = ["网格编码", "门牌", "姓名", "性别", "出生年份", "身份证号", "户籍类型", "标签"]


def test_example_register_imports_and_reimports_unchanged(loaded, db):
    import_example()
    assert len(ok("register", "list", "household")) == 30
    residents = ok("register", "list", "resident")
    assert len(residents) == 99
    lonely = ok("register", "list", "resident", "--tag", "独居老人")
    assert lonely and all("独居老人" in r["tags"] for r in lonely)
    assert len(ok("register", "list", "place")) == 4 and len(ok("register", "list", "org")) == 3
    before = events(db)
    again = ok("register", "import", REGISTER / "residents.csv")
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, 99)
    assert events(db) == before


def test_bad_rows_are_all_named_and_nothing_is_written(loaded, db, tmp_path):
    import_example()
    before = events(db)
    bad = write_csv(tmp_path / "bad.csv", RESIDENT_HEADER, [
        [BLOCK, "9号楼1单元1", "甲", "男", "1980", "", "户籍", ""],                      # fine
        ["410105001001", "9号楼1单元2", "乙", "男", "1980", "", "户籍", ""],              # not a block
        [BLOCK, "9号楼1单元3", "", "男", "1980", "", "户籍", ""],                         # no name
        [BLOCK, "9号楼1单元4", "丁", "X", "1980", "", "户籍", ""],                        # gender
        [BLOCK, "9号楼1单元5", "戊", "女", "1980", "410105198001011234", "户籍", ""],     # check digit
        [BLOCK, "9号楼1单元6", "己", "女", "1981", id_number("41010519800101123"), "户籍", ""],  # year differs
        [BLOCK, "9号楼1单元7", "庚", "女", "1980", "", "常住", ""],                       # residence
        [BLOCK, "9号楼1单元8", "辛", "女", "1980", "", "户籍", "独居"],                   # unknown tag
        [BLOCK, "9号楼1单元1", "甲", "男", "1980", "", "户籍", ""],                      # duplicate of row 2
    ])
    result = run("register", "import", bad)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(bad))]
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5", "6", "7", "8", "9", "10"]
    assert f"{bad}:3: 网格编码:" in result.stderr and f"{bad}:4: 姓名: 缺少必填字段" in result.stderr
    assert f"{bad}:6: 身份证号: 身份证号校验位不符" in result.stderr
    assert f"{bad}:7: 出生年份:" in result.stderr and f"{bad}:9: 标签:" in result.stderr
    assert f"{bad}:10: 姓名:" in result.stderr and "第 2 行" in result.stderr
    assert events(db) == before
    assert not [h for h in ok("register", "list") if h["address"].startswith("9号楼")]


def test_xlsx_rows_are_named_with_the_sheet(loaded, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "户籍"
    sheet.append(["网格编码", "门牌", "户主", "人口", "联系电话", "标签"])
    sheet.append([BLOCK, "5号楼101", "王五", 3, "13812345678", "低保户"])
    sheet.append([BLOCK, "5号楼102", "赵六", "三", "138", ""])
    book.save(tmp_path / "hh.xlsx")
    result = run("register", "import", tmp_path / "hh.xlsx")
    assert result.exit_code == 1
    assert f"{tmp_path / 'hh.xlsx'}:户籍:3: 人口:" in result.stderr
    result = run("--lang", "en", "register", "import", tmp_path / "hh.xlsx")
    assert "must be a whole number" in result.stderr


def test_reimport_of_an_edited_sheet_is_a_diff_with_history(loaded, db, tmp_path):
    import_example()
    rows = list(csv.reader((REGISTER / "households.csv").open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    body[0][2], body[0][4] = "新户主", "13911112222"       # head and phone change
    body[1][5] = "低保户、独居老人"
    edited = write_csv(tmp_path / "households.csv", header, body)
    dry = ok("register", "import", edited, "--dry-run")
    assert dry["dry_run"] and dry["changed"] == 2
    before = events(db)
    result = ok("register", "import", edited)
    assert (result["added"], result["changed"], result["unchanged"]) == (0, 2, 28)
    assert events(db) == before + 2
    first = result["changes"][0]
    assert first["action"] == "update" and first["changes"]["head"][1] == "新户主"
    assert first["changes"]["phone"][1] == "139****2222"           # masked in the diff too
    assert result["changes"][1]["changes"]["tags"] == [[], ["低保户", "独居老人"]]
    assert ok("register", "import", edited)["unchanged"] == 30
    text = run("register", "import", REGISTER / "households.csv")
    assert text.exit_code == 0 and "变更 2" in text.stdout and "户主: 新户主 → " in text.stdout


def test_id_numbers_never_in_the_file_in_clear(loaded, db, tmp_path):
    number = id_number("41010519560312771")
    ok("register", "add", "household", "-g", BLOCK, "--address", "8号楼101", "--head", "钱七")
    added = ok("register", "add", "resident", "--household", "8号楼101", "--name", "钱七",
               "--id-number", number, "--phone", "13855556666")
    assert added["birth_year"] == 1956 and added["id_number"].endswith(number[-4:])
    assert added["phone"] == "138****6666" and "id_hash" not in added
    import_example()
    refused("register", "add", "resident", "--household", "8号楼101", "--name", "别名", "--id-number", number,
            expect="已登记")
    found = ok("register", "search", number)
    assert [r["id"] for r in found] == [added["id"]]
    ids = [line[5] for line in csv.reader((REGISTER / "residents.csv").open(encoding="utf-8")) if line[5]][1:]
    files = [p for p in tmp_path.iterdir() if p.name.startswith(db.name)]
    blob = b"".join(p.read_bytes() for p in files if not p.name.endswith(".key"))
    for text in [number, *ids]:
        assert text.encode() not in blob and text[:17].encode() not in blob
    assert (tmp_path / f"{db.name}.key").stat().st_mode & 0o077 == 0


def test_a_wrong_key_is_refused(loaded, db, monkeypatch):
    ok("register", "import", REGISTER / "households.csv")
    ok("register", "import", REGISTER / "residents.csv")
    monkeypatch.setenv("GRIDCTL_REGISTER_KEY", "not the key")
    refused("register", "search", id_number("41010519560312771"), expect="密钥")


def test_a_folder_where_the_key_file_goes_is_said_as_that(loaded, db):
    """A folder at `<ledger>.key` said the generic `… 是文件夹; 请给出文件名` (the clerk gave no file
    name there): it says what it is and to move the folder away; nothing is written."""
    from tests.helpers import dump

    ok("register", "add", "household", "-g", BLOCK, "--address", "8号楼101", "--head", "钱七")
    Path(f"{db}.key").mkdir()
    before = dump(db)
    add = ("register", "add", "resident", "--household", "8号楼101", "--name", "钱七",
           "--id-number", id_number("41010519560312771"))
    refused("--by", "P007", *add, expect=f"身份证号密钥文件的位置 {db}.key 是一个文件夹; 请把这个文件夹移走")
    english = run("--lang", "en", "--by", "P007", *add)
    assert english.exit_code == 1 and f"{db}.key, is a folder; move that folder away" in english.stderr
    assert "请给出文件名" not in english.stderr and dump(db) == before


def test_update_move_and_retire_are_events(loaded, db):
    import_example()
    household = ok("register", "list")[0]
    diff = ok("register", "update", household["id"], "--tags", "独居老人", "--size", "1")
    assert diff["diff"]["action"] == "update" and diff["diff"]["changes"]["size"][1] == 1
    assert ok("register", "update", household["id"], "--size", "1")["diff"] is None
    moved = ok("register", "update", household["id"], "-g", "410105001001002", "--address", "2号楼9单元901")
    assert moved["diff"]["action"] == "move"
    members = [r for r in ok("register", "list", "resident") if r["household"] == household["id"]]
    assert members and all(m["grid"] == "410105001001002" for m in members)
    resident = members[-1]
    other = ok("register", "list")[1]
    moved = ok("register", "update", resident["id"], "--household", other["id"])
    assert moved["diff"]["changes"]["household"] == [household["id"], other["id"]]
    refused("register", "update", household["id"], "--size", "many", expect="--size:")
    gone = ok("register", "retire", household["id"], "--reason", "整户迁出")
    assert len(gone["retired"]) == len(members)     # the moved member stayed with its new household
    assert household["id"] not in [h["id"] for h in ok("register", "list")]
    assert household["id"] in [h["id"] for h in ok("register", "list", "--retired")]
    refused("register", "retire", household["id"], "--reason", "x", expect="已注销")
    conn = sqlite3.connect(db)
    actions = [a for (a,) in conn.execute("SELECT action FROM events WHERE record = ? ORDER BY seq",
                                          (household["id"],))]
    conn.close()
    assert actions == ["household.add", "household.update", "household.move", "household.retire"]
    assert ok("verify")["ok"]


def test_include_personal_is_recorded_and_needs_a_person(loaded, db, monkeypatch):
    monkeypatch.delenv("GRIDCTL_USER")
    ok("register", "import", REGISTER / "households.csv")
    masked = ok("register", "list")
    assert all("****" in h["phone"] for h in masked if h["phone"])
    refused("register", "list", "--include-personal", expect="--by")
    full = ok("register", "list", "-g", BLOCK, "--include-personal", by="P007")
    assert full and all("*" not in h["phone"] for h in full if h["phone"])
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT actor, details FROM events WHERE action = 'register.personal'").fetchone()
    conn.close()
    assert row[0] == "P007" and '"count":10' in row[1] and full[0]["id"] in row[1]


def test_a_register_write_needs_a_person_in_the_ledger(loaded, db, monkeypatch):
    monkeypatch.delenv("GRIDCTL_USER")
    before = Path(db).read_bytes()
    refused("register", "import", REGISTER / "households.csv", expect="GRIDCTL_USER")
    refused("register", "add", "地物", "-g", BLOCK, "--kind", "门店", "--name", "水果店", expect="GRIDCTL_USER")
    assert run("--by", "张三丰", "register", "add", "地物", "-g", BLOCK, "--kind", "门店",
               "--name", "水果店").exit_code == 1
    assert Path(db).read_bytes() == before
    place = ok("register", "add", "地物", "-g", BLOCK, "--kind", "门店", "--name", "水果店", by="任涛")
    conn = sqlite3.connect(db)
    actor = conn.execute("SELECT actor FROM events WHERE record = ?", (place["id"],)).fetchone()[0]
    conn.close()
    assert actor == "P007"                                   # recorded as the person's id


def test_place_and_org_are_checked_against_the_config(loaded):
    refused("register", "add", "place", "-g", BLOCK, "--kind", "飞机场", "--name", "x", expect="飞机场")
    refused("register", "add", "place", "-g", BLOCK, "--kind", "门店", "--name", "x", "--tags", "好", expect="好")
    refused("register", "add", "thing", "-g", BLOCK, expect="thing")
    place = ok("register", "add", "地物", "-g", BLOCK, "--kind", "门店", "--name", "水果店", "--tags", "食品安全")
    assert place["tags"] == ["食品安全"]
    org = ok("register", "add", "组织", "-g", BLOCK, "--kind", "物业", "--name", "物业公司")
    refused("register", "add", "org", "-g", BLOCK, "--kind", "物业", "--name", "物业公司", expect=org["id"])


def test_a_visit_clears_an_overdue_and_counts_the_households(loaded, monkeypatch):
    from datetime import datetime

    from gridctl.register import service

    monkeypatch.setattr(service, "now", lambda: datetime(2026, 9, 1, 9, 0))     # registered before October
    import_example()
    due = ok("register", "due", "-g", "黄河路社区", "--month", "2026-10", "--as-of", "2026-10-31")
    lonely = next(e for e in due["entries"] if "独居老人" in e["tags"] and e["kind"] == "resident")
    assert lonely["status"] == "overdue" and lonely["last_visit"] is None and lonely["cadence"] == "month"
    weekly = next(e for e in due["entries"] if "社区矫正" in e["tags"])
    assert weekly["missed"] == 4          # the four weeks touching October 2026 ended by 10-31, none visited
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-10-20", "--visited", "H999", expect="H999")
    refused("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-10-20", "--visited", lonely["household"],
            "--households", "3", expect="走访户数")
    household = ok("register", "show", lonely["household"])["entry"]
    block = household["grid"]
    person = "P007" if block == BLOCK else "P009" if block.endswith("002") else "P012"
    patrol = ok("patrol", "add", "-p", person, "-g", block, "-d", "2026-10-20", "--notes", "老人身体尚好",
                "--visited", f"{household['address']},{lonely['household']}")
    assert patrol["households"] == 1 and patrol["visited"] == [lonely["household"]]
    after = ok("register", "due", "-g", "黄河路社区", "--month", "2026-10", "--as-of", "2026-10-31")
    assert lonely["id"] not in [e["id"] for e in after["entries"]]
    assert sum(c["visited"] for c in after["by_grid"]) == sum(c["visited"] for c in due["by_grid"]) + 1
    # a visit in October does not count for November; voiding the patrol brings the overdue back
    november = ok("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-26")
    assert lonely["id"] in [e["id"] for e in november["entries"]]
    ok("patrol", "void", patrol["id"], "--reason", "日期填错")
    again = ok("register", "due", "-g", "黄河路社区", "--month", "2026-10", "--as-of", "2026-10-31")
    assert lonely["id"] in [e["id"] for e in again["entries"]]
    assert ok("verify", "--deep")["ok"]


def test_register_due_as_of_a_day_to_come_is_refused(loaded):
    """`register due --as-of` of a day to come listed as 超期 the tagged people whose week or month
    had not yet ended (every period up to that day taken as over); refused with the reports' words."""
    from datetime import date, timedelta

    import_example()
    today = date.today()
    ahead = (today + timedelta(days=3)).isoformat()
    month = today.isoformat()[:7]
    result = run("register", "due", "-g", "黄河路社区", "--month", month, "--as-of", ahead)
    assert result.exit_code == 1 and result.stdout == ""
    assert f"--as-of {ahead} 还没有到 (今天是 {today.isoformat()}): 报表只能截至今天" in result.stderr, result.stderr
    english = run("--lang", "en", "register", "due", "-g", "黄河路社区", "--month", month, "--as-of", ahead, "--json")
    assert english.exit_code == 1 and english.json()["error"]["code"] == "report.as_of_ahead"
    assert ok("register", "due", "-g", "黄河路社区", "--month", month, "--as-of", today.isoformat())["as_of"] == today.isoformat()


def test_a_household_file_lists_the_issues_at_its_address_not_at_a_longer_number_holding_it(loaded):
    """A household's file lists the issues whose 地点 names its 门牌. It looked for the 门牌 anywhere
    in the place, so `1号楼1单元101`'s file listed the issues of `11号楼1单元101` (its neighbour in the
    community) and of `1号楼1单元1012`; once blanks inside were dropped, `幸福 11 号楼…` too."""
    household = ok("register", "add", "household", "--grid", BLOCK, "--address", "1号楼1单元101")
    places = {"门口堆物": "1号楼1单元101门口", "车辆乱停": "幸福小区 1 号楼 1 单元 101", "楼道漏水": "11号楼1单元101门口",
              "夜间噪音": "幸福 11 号楼1单元101", "违规装修": "1号楼1单元1012"}
    for title, place in places.items():
        ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "群众举报", "-t", title, "--place", place,
           "--at", "2026-11-19 09:00")
    info = ok("register", "show", household["id"])
    assert sorted(i["title"] for i in info["timeline"] if i["type"] == "issue") == ["车辆乱停", "门口堆物"]


def test_a_household_file_is_in_time_order(loaded):
    import_example()
    household = ok("register", "list")[0]
    ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-18", "--notes", "了解诉求: 楼道灯坏",
       "--visited", household["address"])
    ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "群众举报", "-t", "楼道堆物",
       "--place", f"{household['address']}门口", "--at", "2026-11-19 09:00")
    ok("issue", "add", "-g", BLOCK, "-c", "环境卫生", "-s", "群众举报", "-t", "别处", "--place", "小区门口",
       "--at", "2026-11-19 10:00")
    ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-24", "--notes", "复查: 已清理",
       "--visited", household["id"])
    ok("register", "update", household["id"], "--tags", "低保户")
    info = ok("register", "show", household["address"])
    assert info["entry"]["id"] == household["id"] and info["members"] and info["tags"] == ["低保户"]
    kinds = [item["type"] for item in info["timeline"]]
    assert kinds.count("visit") == 2 and kinds.count("issue") == 1
    stamps = [item["at"] for item in info["timeline"]]
    assert stamps == sorted(stamps)
    visits = [i for i in info["timeline"] if i["type"] == "visit"]
    assert [v["notes"] for v in visits] == ["了解诉求: 楼道灯坏", "复查: 已清理"]
    assert next(i for i in info["timeline"] if i["type"] == "issue")["title"] == "楼道堆物"
    assert any(i.get("changes", {}).get("tags") == [[], ["低保户"]] for i in info["timeline"])
    text = run("register", "show", household["id"])
    assert text.exit_code == 0 and "复查: 已清理" in text.stdout and "楼道堆物" in text.stdout
    assert text.stdout.index("了解诉求") < text.stdout.index("楼道堆物") < text.stdout.index("复查")


def test_patrol_import_with_visited_households(loaded, tmp_path):
    import_example()
    households = [h for h in ok("register", "list", "-g", BLOCK)][:2]
    sheet = write_csv(tmp_path / "patrols.csv", ["日期", "人员", "网格编码", "民情日记", "走访户"], [
        ["2026-11-17", "P007", BLOCK, "入户走访", "、".join(h["address"] for h in households)],
        ["2026-11-18", "P007", BLOCK, "入户走访", "无此户"],
    ])
    result = run("patrol", "import", sheet)
    assert result.exit_code == 1 and f"{sheet}:3: 走访户:" in result.stderr
    sheet = write_csv(tmp_path / "patrols.csv", ["日期", "人员", "网格编码", "民情日记", "走访户"], [
        ["2026-11-17", "P007", BLOCK, "入户走访", "、".join(h["address"] for h in households)]])
    assert ok("patrol", "import", sheet)["imported"] == 1
    assert ok("patrol", "list")[0]["households"] == 2


def test_the_register_and_its_visits_are_handed_up(tmp_path):
    from tests.test_exchange import DISTRICT

    folder = write_folder(tmp_path / "defs", {"d.yaml": DISTRICT})
    town, district = tmp_path / "town.db", tmp_path / "district.db"
    for db, node in ((town, "410105001"), (district, "410105")):
        assert run("--db", db, "init", "--node", node).exit_code == 0
        assert run("--db", db, "load", folder, "--as-of", "2026-01-01").exit_code == 0
    block = "410105001001001"
    sheet = write_csv(tmp_path / "r.csv", RESIDENT_HEADER, [
        [block, "1号楼101", "甲一", "男", "", id_number("41010519400101001"), "户籍", "独居老人"],
        [block, "1号楼102", "甲二", "女", "1980", "", "流动", ""]])
    ok("--db", town, "register", "import", sheet, by="P1")
    ok("--db", town, "register", "update", "H2", "--tags", "低保户", by="P1")
    ok("--db", town, "patrol", "add", "-p", "P1", "-g", block, "-d", "2026-11-20", "--visited", "1号楼101", by="P1")
    ok("--db", town, "bundle", "-o", tmp_path / "b.jsonl.gz")
    ok("--db", district, "merge", tmp_path / "b.jsonl.gz")
    for db in (town, district):
        assert [h["tags"] for h in ok("--db", db, "register", "list")] == [[], ["低保户"]]
        info = ok("--db", db, "register", "show", "410105001-H000001")
        assert [i["type"] for i in info["timeline"]] == ["visit", "register", "register"]
        assert ok("--db", db, "verify", "--deep")["ok"]


def test_grid_show_and_the_notice_count_from_the_register(loaded, tmp_path):
    from openpyxl import load_workbook

    before = ok("grid", "show", BLOCK)
    assert (before["households"], before["residents"], before["population_from"]) == (340, 1020, "definitions")
    import_example()
    after = ok("grid", "show", BLOCK)
    block_households = [h for h in ok("register", "list", "-g", BLOCK)]
    block_residents = [r for r in ok("register", "list", "resident", "-g", BLOCK)]
    assert after["households"] == len(block_households) == 10 and after["residents"] == len(block_residents)
    assert after["population_from"] == "register"
    community = ok("grid", "show", "金水区/经八路街道/黄河路社区")
    assert community["households"] == 30 and community["residents"] == 99
    assert ok("grid", "show", "410105001002001")["households"] == 234          # no register there: as defined
    result = run("report", "notice", "--grid", BLOCK, "-o", tmp_path / "n.xlsx")
    assert result.exit_code == 0, result.stderr
    rows = list(load_workbook(tmp_path / "n.xlsx").worksheets[0].iter_rows(values_only=True))
    # the board: the declared figures while the register holds fewer households (see below)
    assert any(r[0] == "户数" and r[1] == 340 for r in rows)
    assert any(r[0] == "人口" and r[1] == 1020 for r in rows)


def _posted(tmp_path, grid: str, *lang: str) -> tuple[list[tuple], dict]:
    """The 公示牌 of one grid node: its first page's rows, and its board in --json."""
    from openpyxl import load_workbook

    out = tmp_path / f"{grid.replace('/', '-')}{''.join(lang)}.xlsx"
    figures = ok(*lang, "report", "notice", "--grid", grid, "-o", out)
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    return rows, figures["boards"][0]


def test_the_notice_posts_the_declared_counts_until_the_register_covers_the_grid(loaded, example, tmp_path):
    """Once anyone was registered under a grid, its 公示牌 posted the register's count, whatever
    it held: `1 户 0 人` for a community of 1,714 households after one entry, with no word of
    where the figures came from. The board posts the declared figures (网格划定) until the
    register holds at least as many households, the register's from then on and where nothing is
    declared, and says which under them."""
    import_example()
    residents = len(ok("register", "list", "resident", "-g", BLOCK))
    rows, board = _posted(tmp_path, "金水区/经八路街道/黄河路社区")       # 30 registered of 1,714
    assert ("户数", 1714) in [r[:2] for r in rows] and ("人口", 4684) in [r[:2] for r in rows]
    assert ("户数、人口为网格划定时核定的数",) == next(r[:1] for r in rows if r[0] and "户数、人口" in r[0])
    assert (board["households"], board["residents"], board["counted_from"]) == (1714, 4684, "definitions")
    rows, _ = _posted(tmp_path, BLOCK, "--lang", "en")
    assert ("Households", 340) in [r[:2] for r in rows]
    assert any(r[0] == "Households and residents: as set when the grid was drawn" for r in rows)

    city = example / "jinshui.yaml"                     # the block declared as registered; the next
    text = city.read_text(encoding="utf-8")             # declares nothing, nor 黄河路小学
    for old, new in (("households: 340, residents: 1020", "households: 10, residents: 5"),
                     (", households: 285, residents: 855", ""), (", households: 167, residents: 501", "")):
        assert old in text
        text = text.replace(old, new)
    city.write_text(text, encoding="utf-8")
    ok("load", example, "--as-of", "2026-11-26")
    rows, board = _posted(tmp_path, BLOCK)
    assert ("户数", 10) in [r[:2] for r in rows] and ("人口", residents) in [r[:2] for r in rows]
    assert any(r[0] == "户数、人口据基础信息登记" for r in rows)
    assert board["counted_from"] == "register"
    rows, board = _posted(tmp_path, "410105001001002", "--lang", "en")
    assert ("Households", 10) in [r[:2] for r in rows] and board["counted_from"] == "register"
    assert any(r[0] == "Households and residents: as registered" for r in rows)
    rows, board = _posted(tmp_path, "410105001001005")
    assert not any(r[0] and ("户数" in r[0] or "人口" in r[0]) for r in rows)
    assert (board["households"], board["counted_from"]) == (None, None)


def test_demo_register_sheets_are_valid_and_deterministic(tmp_path):
    from gridctl.demo import write_demo
    from gridctl.register.config import load_register_config
    from gridctl.register.demo import write_register
    from gridctl.register.identity import check_id_number

    write_demo(tmp_path / "a", "township", 4)
    counts = write_register(tmp_path / "a", 4, households_per_block=10)
    write_demo(tmp_path / "b", "township", 4)
    write_register(tmp_path / "b", 4, households_per_block=10)
    files = [Path(f) for pair in counts["files"] for f in pair]
    for path in files:
        assert path.read_bytes() == (tmp_path / "b" / "register" / path.name).read_bytes()
    assert 2_000 < counts["households"] < 3_200 and 5_000 < counts["residents"] < 8_000
    rows = list(csv.DictReader(files[1].open(encoding="utf-8")))
    numbers = [r["身份证号"] for r in rows if r["身份证号"]]
    assert len(numbers) == len(set(numbers)) > 0.8 * len(rows)
    assert all(check_id_number(n).birth_year == int(r["出生年份"]) for r, n in zip(
        [r for r in rows if r["身份证号"]][:2000], numbers[:2000]))
    tags = {t for r in rows for t in r["标签"].split("、") if t}
    assert "独居老人" in tags and tags <= set(load_register_config().cadence)
    # a slice of the sheets imports through the real command
    folder = write_folder(tmp_path / "slice", {})
    head = [line for line in files[0].read_text(encoding="utf-8").splitlines()[:41]]
    (folder / "h.csv").write_text("\n".join(head) + "\n", encoding="utf-8")
    addresses = {tuple(line.split(",")[:2]) for line in head[1:]}
    members = [line for line in files[1].read_text(encoding="utf-8").splitlines()[1:]
               if tuple(line.split(",")[:2]) in addresses]
    (folder / "r.csv").write_text("\n".join([files[1].read_text(encoding="utf-8").splitlines()[0], *members]) + "\n",
                                  encoding="utf-8")
    db = tmp_path / "demo.db"
    assert run("--db", db, "load", tmp_path / "a").exit_code == 0
    conn = sqlite3.connect(db)
    clerk = conn.execute("SELECT id FROM people ORDER BY id LIMIT 1").fetchone()[0]   # a person of the demo
    conn.close()
    assert ok("--db", db, "register", "import", folder / "h.csv", by=clerk)["added"] == 40
    assert ok("--db", db, "register", "import", folder / "r.csv", by=clerk)["households_added"] == 0


def test_verify_deep_names_a_register_row_edited_behind_the_ledger(loaded, db, tmp_path):
    import_example()
    household = ok("register", "list")[0]
    ok("register", "update", household["id"], "-g", "410105001001002", "--address", "2号楼9单元901")
    ok("patrol", "add", "-p", "P009", "-g", "410105001001002", "-d", "2026-11-20", "--visited", household["id"])
    assert ok("verify", "--deep")["projection"]["register"] == 136
    clean = tmp_path / "clean.db"
    with sqlite3.connect(db) as src, sqlite3.connect(clean) as dst:
        src.backup(dst)
    for edit, subject, field in (
            ("UPDATE households SET size = 9 WHERE id = '{h}'", "{h}", "size"),
            ("UPDATE residents SET tags = '[\"独居老人\"]' WHERE household = '{h}' AND seq = 1", "-R", "tags"),
            ("UPDATE residents SET grid = '410105001001001' WHERE household = '{h}'", "-R", "grid"),
            ("DELETE FROM places WHERE seq = 2", "-L", "id"),
            ("INSERT INTO visits VALUES ('{h}', 'P-made-up', '2026-11-21')", "P-made-up", "visits"),
            ("DELETE FROM visits", "-P2026-", "visits")):
        with sqlite3.connect(clean) as src, sqlite3.connect(db) as dst:
            src.backup(dst)
        conn = sqlite3.connect(db)
        conn.execute(edit.format(h=household["id"]))
        conn.commit()
        conn.close()
        result = run("verify", "--deep", "--json")
        assert result.exit_code == 1, edit
        mismatch = result.json()["projection"]["mismatch"]
        assert mismatch["field"] == field and subject.format(h=household["id"]) in mismatch["issue"], (edit, mismatch)


def test_register_due_as_of_a_day_counts_the_register_of_that_day(loaded, monkeypatch):
    """`register due --as-of` took today's tags, grids and entries: a tag removed since, a
    household moved away, a resident retired or added since changed a past day's list. Now the
    register as it stood at the end of the day (as the 公示牌 and `grid show --as-of` count it)."""
    from datetime import datetime

    from gridctl.register import service

    day = {"now": datetime(2026, 11, 2, 9, 0)}
    monkeypatch.setattr(service, "now", lambda: day["now"])
    import_example()
    other = "410105001001002"

    def due(grid, on):
        report = ok("register", "due", "-g", grid, "--month", "2026-11", "--as-of", on)
        assert sum(c["visited"] for c in report["by_grid"]) == 0 and report["as_of"] == on
        return {e["id"]: e["tags"] for e in report["entries"]}

    first, others = due(BLOCK, "2026-11-05"), due(other, "2026-11-05")
    residents = [r for r in ok("register", "list", "resident", "-g", BLOCK) if not r["retired"]]
    untag = next(r["id"] for r in residents if r["id"] in first)
    tag = next(r["id"] for r in residents if r["id"] not in first)
    home = next(i for i in first if "-H" in i)
    leaver = next(i for i in others if "-R" in i)
    day["now"] = datetime(2026, 11, 10, 10, 0)
    ok("register", "update", untag, "--tags", "")
    ok("register", "update", tag, "--tags", "独居老人")
    day["now"] = datetime(2026, 11, 12, 10, 0)
    ok("register", "update", home, "--grid", other, "--address", "9号楼9单元909")
    day["now"] = datetime(2026, 11, 15, 10, 0)
    ok("register", "retire", leaver, "--reason", "迁出")
    day["now"] = datetime(2026, 11, 20, 10, 0)
    new = ok("register", "add", "household", "--grid", BLOCK, "--address", "1号楼9单元909", "--tags", "独居老人")["id"]

    assert due(BLOCK, "2026-11-09") == first and due(other, "2026-11-09") == others
    assert due(BLOCK, "2026-11-01") == {}                                     # nothing registered yet
    on_11 = due(BLOCK, "2026-11-11")
    assert untag not in on_11 and on_11[tag] == ["独居老人"] and home in on_11
    assert home not in due(BLOCK, "2026-11-13") and home in due(other, "2026-11-13")
    assert home not in due(other, "2026-11-11")
    assert leaver in due(other, "2026-11-14") and leaver not in due(other, "2026-11-15")
    assert new not in due(BLOCK, "2026-11-19")
    latest = due(BLOCK, "2026-11-20")
    assert new in latest and tag in latest and untag not in latest and home not in latest
    assert due(BLOCK, "2026-11-26") == {i: ok("register", "show", i)["entry"]["tags"] for i in latest}


def test_weekly_and_monthly_reports_count_visits_to_tagged_people(loaded, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    without = run("report", "weekly", "--unit", "黄河路社区", "--week", "2026-W47", "-o", tmp_path / "w0.xlsx")
    assert without.exit_code == 0 and "重点人群走访" not in load_workbook(tmp_path / "w0.xlsx").sheetnames
    from datetime import datetime

    from gridctl.register import service

    monkeypatch.setattr(service, "now", lambda: datetime(2026, 11, 2, 9, 0))   # registered before the week
    import_example()
    due = ok("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-22")
    lonely = next(e for e in due["entries"] if e["grid"] == BLOCK)
    ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-20", "--visited", lonely["household"])
    after = ok("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-22")
    for args, name in ((("report", "weekly", "--week", "2026-W47"), "w.xlsx"),
                       (("report", "monthly", "--month", "2026-11", "--as-of", "2026-11-22"), "m.xlsx")):
        result = run(*args, "--unit", "黄河路社区", "-o", tmp_path / name)
        assert result.exit_code == 0, result.stderr
        sheet = load_workbook(tmp_path / name)["重点人群走访"]
        rows = [r for r in sheet.iter_rows(values_only=True) if r[0] in ("1号楼院", "2号楼院", "3号楼院", "合计")]
        assert [r[0] for r in rows] == ["1号楼院", "2号楼院", "3号楼院", "合计"]
        total = rows[-1]
        assert total[1:] == (sum(c["subjects"] for c in after["by_grid"]), sum(c["visited"] for c in after["by_grid"]),
                             sum(c["due"] for c in after["by_grid"]), sum(c["overdue"] for c in after["by_grid"]))
        assert rows[0][2] >= 1          # the visit in 1号楼院 counts


def test_register_speaks_english_on_request(loaded, tmp_path):
    result = run("--lang", "en", "register", "add", "household", "-g", "410105001001", "--address", "x")
    assert result.exit_code == 1 and "is not a block" in result.stderr
    result = run("--lang", "en", "register", "due", "-g", BLOCK, "--month", "2026-13")
    assert result.exit_code == 1 and "a month is YYYY-MM" in result.stderr
    import_example()
    result = run("--lang", "en", "register", "due", "-g", "黄河路社区", "--month", "2026-11")
    assert result.exit_code == 0 and "overdue" in result.stdout and "超期" not in result.stdout


def test_the_key_travels_with_backup_and_restore(loaded, db, tmp_path):
    import_example()
    number = next(line[5] for line in csv.reader((REGISTER / "residents.csv").open(encoding="utf-8")) if line[5][:1] == "4")
    person = ok("register", "search", number)
    assert len(person) == 1
    ok("backup", tmp_path / "copy.db")
    assert (tmp_path / "copy.db.key").read_bytes() == (tmp_path / f"{db.name}.key").read_bytes()
    elsewhere = tmp_path / "elsewhere.db"
    ok("--db", elsewhere, "restore", tmp_path / "copy.db")
    assert [r["id"] for r in ok("--db", elsewhere, "register", "search", number)] == [person[0]["id"]]
    assert ok("register", "show", "3")["entry"]["id"].endswith("-H000003")      # a number is a household
    patrol = ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-20", "--visited", "H1")
    assert ok("patrol", "list")[0]["visited"] == patrol["visited"] == [ok("register", "show", "H1")["entry"]["id"]]


def test_an_import_in_many_batches_matches_one_in_a_single_batch(loaded, monkeypatch, tmp_path):
    monkeypatch.setattr("gridctl.register.transfer.BATCH", 7)
    rows = list(csv.reader((REGISTER / "residents.csv").open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    first = ok("register", "import", REGISTER / "residents.csv")       # households made as rows need them
    assert (first["added"], first["households_added"]) == (99, 30)
    moved = [list(r) for r in body]
    moved[0][1], moved[-1][7] = "9号楼1单元101", "独居老人"                # one moves (by 身份证号), one gains a tag
    assert moved[0][5], "the first resident of the example has a 身份证号"
    result = ok("register", "import", write_csv(tmp_path / "r.csv", header, moved))
    assert (result["added"], result["changed"], result["unchanged"], result["households_added"]) == (0, 2, 97, 1)
    assert [c["action"] for c in result["changes"]] == ["move", "update"]


def test_a_control_character_in_a_sheet_an_impossible_day_and_a_huge_number_are_refused(loaded, db, tmp_path):
    """Found by QA: these were accepted (a BEL stored in a 门牌) or ended in exit 3."""
    import_example()
    before = events(db)
    bell = write_csv(tmp_path / "bell.csv", RESIDENT_HEADER, [[BLOCK, "1号楼\x071", "甲", "男", "1980", "", "户籍", ""]])
    refused("register", "import", bell, expect=f"{bell}:2: 门牌: 第 4 个字符是控制字符 (U+0007)")
    refused("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-02-30",
            expect="--as-of")
    refused("register", "due", "-g", "黄河路社区", "--month", "9999-12", expect="--month")
    refused("register", "due", "-g", "黄河路社区", "--month", "1900-12", expect="2000–2100")
    refused("register", "show", "9" * 23, expect="9" * 23)
    refused("register", "show", "H" + "9" * 23, expect="9" * 23)
    assert events(db) == before


def test_listings_keep_codes_and_id_numbers_whole(loaded):
    """Found by QA: at 120 columns a place's grid code and a masked 身份证号 folded mid-value."""
    import_example()
    places = run("register", "list", "place").stdout
    assert all(code in places for code in ("410105001001001", "410105001001002", "410105001001003")), places
    lonely = run("register", "list", "resident", "--grid", "黄河路社区", "--tag", "独居老人").stdout
    assert "**************8359" in lonely, lonely


def test_demo_register_counts_are_said_in_words(tmp_path, monkeypatch):
    """Found by QA: the summary printed the keys register_households, register_residents, register_tagged."""
    import functools

    from gridctl.register import demo

    monkeypatch.setattr(demo, "write_register", functools.partial(demo.write_register, households_per_block=2))
    result = run("--db", tmp_path / "d.db", "demo", "--scale", "township", "--seed", "4", "-o", tmp_path / "c",
                 "--register")
    assert result.exit_code == 0, result.stderr
    assert "基础信息户" in result.stdout and "重点人群" in result.stdout and "register_households" not in result.stdout


def test_user_text_in_the_register_prints_as_written(loaded):
    """Names, addresses and notes a clerk typed go through cli/render.py: markup in them is text."""
    import_example()
    household = ok("register", "list")[0]
    ok("register", "update", household["id"], "--address", "[bold]1号楼[/]101", "--head", "王[/]建国")
    ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-18", "--notes", "楼道[red]灯坏",
       "--visited", household["id"])
    text = run("register", "show", household["id"])
    assert text.exit_code == 0, text.stderr
    assert "[bold]1号楼[/]101" in text.stdout and "王[/]建国" in text.stdout and "楼道[red]灯坏" in text.stdout
    listed = run("register", "list")
    assert listed.exit_code == 0 and "王[/]建国" in listed.stdout


def test_the_json_keys_and_their_order_are_the_contract(loaded):
    """What `register … --json` prints, key by key and in order (scripts read it): a stored entry in the
    table's column order, a new one as the add builds it, one read back from its event sorted (as
    the event stores it); never the hash, the 身份证号 as `id_number` after the rest; a search adds the
    entry's kind. Pinned before the entries became typed records (`register.service.RegisterEntry`)."""
    import_example()
    end = ["tags", "note", "added_at", "updated_at", "retired", "retire_reason"]
    listed = {"household": ["id", "office", "seq", "grid", "address", "head", "size", "phone", *end],
              "resident": ["id", "office", "seq", "household", "grid", "name", "gender", "birth_year", "residence",
                           "phone", *end, "id_number"],
              "place": ["id", "office", "seq", "grid", "kind", "name", "address", "contact", "phone", *end],
              "org": ["id", "office", "seq", "grid", "kind", "name", "address", "contact", "phone", *end]}
    for kind, keys in listed.items():
        rows = ok("register", "list", kind, by=None)
        assert rows and all(list(row) == keys for row in rows), kind
        assert all(list(row) == keys for row in ok("register", "list", kind, "--include-personal"))
    searched = {"household": [*listed["household"], "kind"], "resident": [*listed["resident"][:-1], "kind", "id_number"],
                "place": listed["place"], "org": listed["org"]}
    found = ok("register", "search", "黄河路", by=None) + ok("register", "search", "何玉平", by=None)
    assert {row["kind"] for row in found} == {"household", "resident", "place", "org"}
    assert all(list(row) == searched[row["kind"]] for row in found)
    added = ok("register", "add", "household", "-g", BLOCK, "--address", "9号楼1单元1", "--head", "李四",
               "--phone", "13811112222")
    assert list(added) == ["grid", "address", "head", "size", "phone", "id", "office", "seq", *end]
    assert added["phone"] == "138****2222"
    person = ok("register", "add", "resident", "--household", "9号楼1单元1", "--name", "李四", "--gender", "男",
                "--id-number", id_number("41010519900101123"))
    assert list(person) == ["household", "grid", "name", "gender", "birth_year", "residence", "phone", "id",
                            "office", "seq", *end, "id_number"]
    changed = ok("register", "update", added["id"], "--tags", "低保户")
    assert list(changed) == ["kind", "id", "diff", "entry"] and list(changed["entry"]) == listed["household"]
    shown = ok("register", "show", added["id"], by=None)
    assert list(shown) == ["kind", "entry", "grid_path", "household", "members", "tags", "timeline"]
    assert list(shown["entry"]) == listed["household"]
    assert [list(m) for m in shown["members"]] == [listed["resident"]]
    first = shown["timeline"][0]
    assert list(first) == ["at", "order", "type", "subject", "action", "actor", "note", "entry"]
    assert list(first["entry"]) == sorted(listed["household"])          # as its event stores it
    member = ok("register", "show", person["id"], by=None)
    assert list(member["household"]) == listed["household"]
    recorded = sorted({*listed["resident"], "id_last4"} - {"id_number"})
    assert list(member["timeline"][0]["entry"]) == [k for k in recorded if k != "id_last4"] + ["id_number"]


def test_search_shows_a_place_s_own_kind(loaded):
    """`register search` printed a place's or an organisation's 类别 as `place`/`org` (English, and not
    its kind): the search's JSON names the register kind under `kind`, and the table read that."""
    import_example()
    for lang in ("zh", "en"):
        shown = run("--lang", lang, "register", "search", "黄河路便民超市")
        assert shown.exit_code == 0, shown.stderr
        assert "│ 九小场所 │" in shown.stdout and "│ place " not in shown.stdout, shown.stdout
    assert [row["kind"] for row in ok("register", "search", "黄河路便民超市", by=None)] == ["place"]


def test_search_headings_read_as_headings_in_both_languages(loaded):
    """The English headings of `register search` were the lower-case words used inside sentences
    (`households`, `organisations`); they read as the other English headings do."""
    import_example()
    headings = {}
    for lang in ("zh", "en"):
        shown = run("--lang", lang, "register", "search", "王")
        assert shown.exit_code == 0, shown.stderr
        headings[lang] = [line for line in shown.stdout.splitlines() if line and line[0] not in " │━┃"]
    assert headings == {"zh": ["户", "人", "组织"], "en": ["Households", "Residents", "Organisations"]}
    places = run("--lang", "en", "register", "search", "黄河路").stdout.splitlines()
    assert "Places" in places and "places" not in places


def test_a_household_size_too_large_is_said_as_too_large_not_as_no_number(loaded):
    """`--size 20000` (or a 人口 cell of 20000) was refused as 应为非负整数: “20000”: a whole
    number, and the clerk was told it is not one. It is said as out of range, with the range, as
    every other count; a size that is no number keeps its words."""
    import_example()
    household = ok("register", "list")[0]
    for size in ("20000", "99999999999999999999"):
        zh = run("register", "update", household["id"], "--size", size)
        assert zh.exit_code == 1 and f"--size: 超出范围: {size} (应在 0–10000 之间)" in zh.stderr, zh.stderr
        assert "非负整数" not in zh.stderr
        en = run("--lang", "en", "register", "update", household["id"], "--size", size)
        assert en.exit_code == 1 and f"--size: out of range: {size} (must be 0–10000)" in en.stderr, en.stderr
    refused("register", "update", household["id"], "--size", "-3", expect="--size: 应为非负整数")
    assert ok("register", "update", household["id"], "--size", "10000")["diff"]["changes"]["size"][1] == 10000


def test_an_empty_register_sheet_is_said_as_empty(loaded, tmp_path):
    """`register import` of an empty file (or a BOM alone, or an .xlsx whose first sheet is empty)
    said `无法从表头判断是户、人、地物还是组织`: true, but the file holds nothing at all, or its data
    is on a later sheet. Said as the issue and patrol imports say it."""
    from openpyxl import Workbook

    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    book = Workbook()
    book.active.title = "封面"
    book.create_sheet("户籍").append(["网格编码", "门牌", "户主", "人口"])
    book["户籍"].append([BLOCK, "5号楼101", "王五", 3])
    book.save(tmp_path / "later.xlsx")
    for name, chinese, english in (("empty.csv", "文件是空的: 没有表头, 也没有数据行", "the file is empty"),
                                   ("bom.csv", "文件是空的", "the file is empty"),
                                   ("empty.xlsx", "文件是空的: 没有表头, 也没有数据行", "the file is empty"),
                                   ("later.xlsx", "数据在工作表“户籍”", "the data is on the sheet “户籍”")):
        zh = run("register", "import", tmp_path / name)
        assert zh.exit_code == 1 and chinese in zh.stderr and "无法从表头判断" not in zh.stderr, zh.stderr
        en = run("--lang", "en", "register", "import", tmp_path / name)
        assert en.exit_code == 1 and english in en.stderr, en.stderr


def test_grid_show_says_when_its_counts_come_from_the_register(loaded):
    """Once the register holds anyone under a node, `grid show` counts 户数 and 人口 from it (10 of
    the block's 340 defined households, say, while the register is being filled in) and said
    `户数: 10` as if it were the block's figure. It now says where the figure is from; a node the
    register does not reach shows the definitions' figure as before."""
    import_example()
    shown = run("grid", "show", BLOCK).stdout
    assert "户数: 10 (据基础信息登记, 不是网格定义中的数)" in shown, shown
    assert "人口: " in shown and shown.count("据基础信息登记") == 2
    english = run("--lang", "en", "grid", "show", BLOCK).stdout
    assert "(as registered, not the definitions' figure)" in english, english
    plain = run("grid", "show", "410105001002001").stdout
    assert "234" in plain and "据基础信息登记" not in plain


def test_a_birth_year_out_of_range_is_said_as_that_not_as_no_year(loaded):
    """`--birth-year 2099` was refused as 出生年份应为四位年份: “2099”: four digits, and the clerk was
    told they are not. A year outside 1880..this year is said as out of range, with the range; a
    text that is no year keeps its words."""
    from datetime import date

    import_example()
    household = ok("register", "list")[0]
    for year in ("2099", "1800"):
        zh = run("register", "add", "resident", "-g", BLOCK, "--household", household["id"], "--name", "李四",
                 "--birth-year", year)
        assert zh.exit_code == 1 and f"出生年份应在 1880 到 {date.today().year} 年之间 (不能在今年之后): “{year}”" in zh.stderr
        en = run("--lang", "en", "register", "add", "resident", "-g", BLOCK, "--household", household["id"],
                 "--name", "李四", "--birth-year", year)
        assert en.exit_code == 1 and f"a birth year is from 1880 to {date.today().year}" in en.stderr, en.stderr
    refused("register", "add", "resident", "-g", BLOCK, "--household", household["id"], "--name", "李四",
            "--birth-year", "1990年", expect="出生年份应为四位年份")


def test_the_notice_posts_the_register_as_it_stood_on_its_day(loaded, example, tmp_path, monkeypatch):
    """`report notice --as-of 2026-11-01` posted the register's households and residents as they
    are today, entered weeks later (`10 户 32 人 据基础信息登记` on a board dated before anyone was
    registered). The board counts the register as it stood at the end of its day: entries added by
    then, not yet retired, each in the grid it was in then (a household's move takes its members; a
    resident's move to another household is its own); before anything is registered, the declared
    figures. The register is stamped with the day each change was entered (a fixed clock here)."""
    from datetime import datetime

    from gridctl.register import service

    day = {"now": datetime(2026, 11, 2, 9, 0)}
    monkeypatch.setattr(service, "now", lambda: day["now"])
    city = example / "jinshui.yaml"                     # 1号楼院 declares fewer than registered; 2号楼院 none
    text = city.read_text(encoding="utf-8")
    for old, new in (("households: 340, residents: 1020", "households: 5, residents: 5"),
                     (", households: 285, residents: 855", "")):
        assert old in text
        text = text.replace(old, new)
    city.write_text(text, encoding="utf-8")
    ok("load", example, "--as-of", "2026-11-26")
    import_example()
    other = "410105001001002"

    def held(grid):
        homes = [h for h in ok("register", "list", "household", "-g", grid) if not h["retired"]]
        people = [r for r in ok("register", "list", "resident", "-g", grid) if not r["retired"]]
        return homes, people

    def posted(grid, on):
        board = ok("report", "notice", "--grid", grid, "--as-of", on, "-o", tmp_path / f"{grid}-{on}.xlsx")["boards"][0]
        return board["households"], board["residents"], board["counted_from"]

    homes, people = held(BLOCK)
    others = held(other)
    at_first = (len(homes), len(people), "register")
    members = {h["id"]: [r["id"] for r in people if r["household"] == h["id"]] for h in homes}
    moved, left, kept = (h["id"] for h in sorted(homes, key=lambda h: -len(members[h["id"]]))[:3])
    day["now"] = datetime(2026, 11, 10, 10, 0)
    ok("register", "update", moved, "--grid", other, "--address", "9号楼9单元909")
    day["now"] = datetime(2026, 11, 12, 10, 0)
    leaver = members[kept][0]
    ok("register", "update", leaver, "--household", others[0][0]["id"])
    day["now"] = datetime(2026, 11, 15, 10, 0)
    ok("register", "retire", left, "--reason", "整户迁出")
    day["now"] = datetime(2026, 11, 20, 10, 0)
    ok("register", "add", "household", "--grid", BLOCK, "--address", "1号楼9单元909")

    m, d = len(members[moved]), len(members[left])
    assert posted(BLOCK, "2026-11-01") == (5, 5, "definitions")            # nothing registered yet
    assert posted(BLOCK, "2026-11-05") == at_first
    assert posted(BLOCK, "2026-11-10") == (at_first[0] - 1, at_first[1] - m, "register")
    assert posted(other, "2026-11-09") == (len(others[0]), len(others[1]), "register")
    assert posted(other, "2026-11-10") == (len(others[0]) + 1, len(others[1]) + m, "register")
    assert posted(BLOCK, "2026-11-13") == (at_first[0] - 1, at_first[1] - m - 1, "register")
    assert posted(other, "2026-11-13") == (len(others[0]) + 1, len(others[1]) + m + 1, "register")
    assert posted(BLOCK, "2026-11-16") == (at_first[0] - 2, at_first[1] - m - 1 - d, "register")
    now_homes, now_people = held(BLOCK)
    assert posted(BLOCK, "2026-11-20") == (len(now_homes), len(now_people), "register") == \
        (at_first[0] - 1, at_first[1] - m - 1 - d, "register")


def test_grid_show_as_of_a_day_counts_the_register_of_that_day(loaded, monkeypatch):
    """`grid show --as-of 2026-11-01` named the posts held then, but 户数/人口 `据基础信息登记` as the
    register holds them today (entered on 11-02): a day when nothing was registered showed the
    register's count. The register is counted as it stood at the end of the day given, as the
    公示牌 counts it; before anything was registered, the figures of the definitions."""
    from datetime import datetime

    from gridctl.register import service

    monkeypatch.setattr(service, "now", lambda: datetime(2026, 11, 2, 9, 0))
    import_example()
    homes = len(ok("register", "list", "household", "-g", BLOCK))
    before = ok("grid", "show", BLOCK, "--as-of", "2026-11-01", by=None)
    assert (before["households"], before["residents"], before["population_from"]) == (340, 1020, "definitions")
    after = ok("grid", "show", BLOCK, "--as-of", "2026-11-03", by=None)
    assert (after["households"], after["population_from"]) == (homes, "register")
    assert ok("grid", "show", BLOCK, by=None)["households"] == homes


def test_a_notice_of_more_nodes_than_a_workbook_holds_is_refused_not_cut(loaded, tmp_path, monkeypatch):
    """`report notice --grid 金水区` of a district with more nodes than a notice workbook holds (500
    pages) wrote the first 500 boards and left the rest out without a word: a clerk printing the
    district's boards got some of them. Refused now, saying how many and what to do, nothing
    written; `-o x.csv` writes every node's rows. (Here the limit is lowered to 3.)"""
    from gridctl.reports import notice

    monkeypatch.setattr(notice, "MAX_SHEETS", 3)
    community = ok("grid", "show", "黄河路社区", by=None)
    out = tmp_path / "公示牌.xlsx"
    said = run("report", "notice", "--grid", "黄河路社区", "-o", out)
    assert said.exit_code == 1, said.stdout
    assert f"{community['path']} 及其下级共 " in said.stderr and "一个公示牌工作簿最多 3 页" in said.stderr, said.stderr
    assert not out.exists()
    english = run("--lang", "en", "report", "notice", "--grid", "黄河路社区", "-o", out, "--json")
    assert english.exit_code == 1 and english.json()["error"]["code"] == "report.notice_too_many"
    rows = tmp_path / "公示牌.csv"
    assert run("report", "notice", "--grid", "黄河路社区", "-o", rows).exit_code == 0
    boards = {line.split(",")[0] for line in rows.read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert len(boards) > 3
    assert run("report", "notice", "--grid", BLOCK, "-o", out).exit_code == 0


def test_an_old_sheet_imported_again_does_not_bring_back_what_was_retired(loaded, db):
    """`register retire H2 --reason 整户迁出` (the family moved out), then the community's sheet
    imported again with the family's row still in it: `户: 30 行, 新增 1`, the household registered
    anew (4101-H000031) with its members, counted again on the 公示牌 and in `register due`, the
    retirement undone without a word. A resident retired (死亡) came back the same way, and so did a
    place. Each such row is now refused naming the entry retired, when and why, and what to do;
    nothing is written. A live entry at the same key (a family really back, `register add`) imports."""
    import_example()
    household = ok("register", "show", "H2")["entry"]
    member = next(r for r in ok("register", "list", "resident") if r["household"] != household["id"])
    place = ok("register", "list", "place")[0]
    ok("register", "retire", "H2", "--reason", "整户迁出")
    ok("register", "retire", member["id"], "--reason", "死亡")
    ok("register", "retire", place["id"], "--reason", "已关停")
    before = events(db)
    for name, word, gone, why in (("households", "门牌", household["id"], "整户迁出"),
                                  ("residents", "", member["id"], "死亡"), ("places", "名称", place["id"], "已关停")):
        refused = run("register", "import", REGISTER / f"{name}.csv")
        assert refused.exit_code == 1, refused.stdout
        said = refused.stderr
        assert f"{gone} 已于 " in said and f"注销 ({why}); 旧表再导入会把它当作新的再登记一次, 未导入" in said, said
        assert "请从表中删去这一行; 确是重新迁入的, 删去后用 gridctl register add 登记" in said and word in said, said
        english = run("--lang", "en", "register", "import", REGISTER / f"{name}.csv")
        assert english.exit_code == 1 and f"{gone} was retired on " in english.stderr, english.stderr
    residents = run("register", "import", REGISTER / "residents.csv").stderr
    assert f"{household['id']} 已于 " in residents            # its members: their household moved out
    assert events(db) == before and len(ok("register", "list", "household")) == 29
    ok("register", "add", "household", "--grid", household["grid"], "--address", household["address"],
       "--head", household["head"])
    again = ok("register", "import", REGISTER / "households.csv")
    assert (again["added"], again["unchanged"] + again["changed"]) == (0, 30)


def test_a_period_that_ended_before_the_entry_was_registered_is_not_overdue(loaded, monkeypatch):
    """The register imported on 2026-11-26: `register due --month 2026-11` listed the 社区矫正
    resident 超期 with 4 weeks missed (W44–W47), weeks in which the register did not know them and
    no visit to their household could be recorded (`--visited` takes registered households); the
    weekly and monthly 重点人群走访 counted them overdue alike. A period that ended before the
    subject (or its household) was registered now owes nothing: the week under way is 待走访. One
    registered before the month is overdue as before."""
    from datetime import datetime

    from gridctl.register import service

    monkeypatch.setattr(service, "now", lambda: datetime(2026, 11, 26, 9, 0))
    import_example()
    due = ok("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-26")
    weekly = next(e for e in due["entries"] if "社区矫正" in e["tags"])
    assert (weekly["status"], weekly["missed"]) == ("due", 0), weekly
    assert not [e for e in due["entries"] if e["status"] == "overdue"], due["entries"]
    screen = run("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-26").stdout
    assert "超期 0" in screen and "超期   │" not in screen, screen
    monkeypatch.setattr(service, "now", lambda: datetime(2026, 10, 30, 9, 0))     # registered before November
    ok("register", "add", "household", "--grid", BLOCK, "--address", "9号楼1单元101", "--head", "早登记",
       "--tags", "社区矫正")
    earlier = ok("register", "due", "-g", "黄河路社区", "--month", "2026-11", "--as-of", "2026-11-26")
    early = next(e for e in earlier["entries"] if e["name"] == "早登记")
    assert (early["status"], early["missed"]) == ("overdue", 4), early      # registered in W44: W44–W47


def test_a_resident_is_not_moved_into_a_retired_household(loaded):
    """`register update R11 --household H2` with H2 retired (整户迁出) said `--address: 410105001001001
    没有门牌为“1号楼1单元202”的在册户` — an option not typed, a grid by its code — and `register add
    resident --household H2` likewise. Both now name the household given as retired, when and why."""
    import_example()
    ok("register", "retire", "H2", "--reason", "整户迁出")
    household = ok("register", "show", "H2")["entry"]
    for args in (("register", "update", "R11", "--household", "H2"),
                 ("register", "add", "resident", "--household", "H2", "--name", "某某", "--gender", "男")):
        zh = run("--by", "P001", *args)
        assert zh.exit_code == 1 and (f"--household: 户 {household['id']} 已于 {household['retired']} 注销 (整户迁出), "
                                      "不能把人登记或迁入该户; 请给出在册的户") in zh.stderr, zh.stderr
        assert "--address" not in zh.stderr
        en = run("--lang", "en", "--by", "P001", *args)
        assert en.exit_code == 1 and f"household {household['id']} was retired on" in en.stderr, en.stderr
    assert ok("register", "update", "R11", "--household", "H3")["id"].endswith("R000011")


def test_an_address_written_in_full_width_digits_is_the_same_household(loaded, db, tmp_path):
    """`register add household --address １２号楼1单元101` (digits typed full width, as a Chinese
    input method gives them) and then `--address 12号楼1单元101` registered one household twice, and
    an import, `--household` and `--visited` missed the one held. 门牌 and names are now compared
    NFKC and trimmed (`text.same_key`); what the clerk wrote is kept and shown as written."""
    first = ok("register", "add", "household", "--grid", BLOCK, "--address", "１２号楼1单元101", "--head", "何玉平")
    refused("--by", "P001", "register", "add", "household", "--grid", BLOCK, "--address", "12号楼1单元101",
            expect=f"已登记: {first['id']}")
    refused("--by", "P001", "register", "add", "household", "--grid", BLOCK, "--address", "\u3000１２号楼1单元101\u200b",
            expect=f"已登记: {first['id']}")
    assert ok("register", "show", "12号楼1单元101")["entry"]["address"] == "１２号楼1单元101"
    resident = ok("register", "add", "resident", "--household", "12号楼1单元101", "--name", "何玉平")
    assert resident["household"] == first["id"]
    refused("--by", "P001", "register", "add", "resident", "--household", first["id"], "--name", "何玉平\u3000",
            expect=f"已登记: {resident['id']}")
    households = write_csv(tmp_path / "h.csv", ["网格编码", "门牌", "户主"], [[BLOCK, "12号楼1单元101", "何玉平"]])
    again = ok("register", "import", households)
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, 1), again
    residents = write_csv(tmp_path / "r.csv", RESIDENT_HEADER, [[BLOCK, "12号楼1单元101", "何玉平", "", "", "", "", ""],
                                                                [BLOCK, "12号楼1单元101", "何小平", "", "", "", "", ""]])
    members = ok("register", "import", residents)
    assert (members["added"], members["unchanged"], members["households_added"]) == (1, 1, 0), members
    twice = write_csv(tmp_path / "twice.csv", ["网格编码", "门牌", "户主"],
                      [[BLOCK, "１３号楼", "甲"], [BLOCK, "13号楼", "甲"]])
    refused("--by", "P001", "register", "import", twice, expect="门牌")
    places = write_csv(tmp_path / "p.csv", ["网格编码", "场所类别", "名称"], [[BLOCK, "九小场所", "１２号楼便民超市"]])
    ok("register", "import", places)
    refused("--by", "P001", "register", "add", "place", "--grid", BLOCK, "--kind", "九小场所", "--name", "12号楼便民超市",
            expect="已登记")
    patrol = ok("patrol", "add", "-p", "P003", "-g", BLOCK, "-d", "2026-11-20", "--visited", "12号楼1单元101",
                by="P003")
    assert patrol["visited"] == [first["id"]], patrol
    assert len(ok("register", "list", "household")) == 1
    verified = run("verify", "--deep")
    assert verified.exit_code == 0, verified.stderr


def test_a_ledger_upgraded_finds_its_full_width_households_by_either_spelling(loaded, db):
    """A ledger written before the comparison (no `address_key`) holding `１２号楼1单元101`: opened by
    this gridctl, the 门牌 in ASCII digits finds it and a second registration is refused; its rows
    replay unchanged (`verify --deep`)."""
    first = ok("register", "add", "household", "--grid", BLOCK, "--address", "１２号楼1单元101")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DROP INDEX households_address_key")
        conn.execute("ALTER TABLE households DROP COLUMN address_key")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm024_household_address_key'")
    conn.close()
    refused("--by", "P001", "register", "add", "household", "--grid", BLOCK, "--address", "12号楼1单元101",
            expect=f"已登记: {first['id']}")
    assert ok("register", "show", "12号楼1单元101")["entry"]["id"] == first["id"]
    verified = run("verify", "--deep")
    assert verified.exit_code == 0, verified.stderr


def test_an_address_with_spaces_inside_or_in_either_case_is_the_same_household(loaded, db, tmp_path):
    """`A座 1 号楼1单元101` and then `a座1号楼1单元101` (a space typed inside, a letter in lower case)
    were two households: `text.same_key` folded only full-width forms and the blanks at the ends.
    Now letter case is folded and every blank dropped, so each spelling finds the one held."""
    first = ok("register", "add", "household", "--grid", BLOCK, "--address", "A座 1 号楼1单元101", "--head", "何玉平")
    for spelt in ("a座1号楼1单元101", "A 座 1号楼 1 单元 101", "ａ座１号楼１单元１０１"):
        refused("--by", "P001", "register", "add", "household", "--grid", BLOCK, "--address", spelt,
                expect=f"已登记: {first['id']}")
        assert ok("register", "show", spelt)["entry"]["id"] == first["id"]
    assert ok("register", "show", "a座1号楼1单元101")["entry"]["address"] == "A座 1 号楼1单元101"   # kept as written
    resident = ok("register", "add", "resident", "--household", "a座1号楼1单元101", "--name", "何 玉平")
    assert resident["household"] == first["id"]
    refused("--by", "P001", "register", "add", "resident", "--household", first["id"], "--name", "何玉平",
            expect=f"已登记: {resident['id']}")
    households = write_csv(tmp_path / "h.csv", ["网格编码", "门牌", "户主"], [[BLOCK, "a座1号楼1单元101", "何玉平"]])
    again = ok("register", "import", households)
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, 1), again
    patrol = ok("patrol", "add", "-p", "P003", "-g", BLOCK, "-d", "2026-11-20", "--visited", "a座 1号楼1单元101",
                by="P003")
    assert patrol["visited"] == [first["id"]], patrol
    assert len(ok("register", "list", "household")) == 1
    assert run("verify", "--deep").exit_code == 0


def test_households_keyed_by_the_older_rule_are_found_once_upgraded(loaded, db):
    """A ledger whose `address_key` was made by the older rule (`A座 1 号楼1单元101` kept as it is):
    opened by this gridctl (m027), `a座1号楼1单元101` finds the household and a second registration
    is refused; `verify --deep` passes."""
    first = ok("register", "add", "household", "--grid", BLOCK, "--address", " A座 1 号楼1单元101")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE households SET address_key = 'A座 1 号楼1单元101'")     # NFKC and trimmed: the rule before
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm027_household_address_key_folded'")
    conn.close()
    assert ok("register", "show", "a座1号楼1单元101")["entry"]["id"] == first["id"]
    refused("--by", "P001", "register", "add", "household", "--grid", BLOCK, "--address", "a座1号楼1单元101",
            expect=f"已登记: {first['id']}")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT address_key FROM households").fetchall() == [("a座1号楼1单元101",)]
    assert run("verify", "--deep").exit_code == 0


def test_of_two_households_an_older_ledger_holds_under_one_key_an_import_takes_the_one_written_so(
        loaded, db, tmp_path, monkeypatch):
    """A ledger written before m027 may hold `A座 1 号楼1单元101` and `a座1号楼1单元101` as two
    households (the older key kept letter case and inner blanks); upgraded, they share one key.
    `register add` then finds the one written as the 门牌 given (`household_at`), and so does an
    import: a row of `a座1号楼1单元101` changes that household and adds its resident there, where
    it changed the first written (and a resident added by hand and one imported parted ways).
    `verify --deep` names the pair (exit 0) until one is retired."""
    with monkeypatch.context() as older:         # the key as gridctl made it before: NFKC and trimmed
        older.setattr(rg, "same_key", lambda text: unicodedata.normalize("NFKC", str(text or "")).strip(BLANKS))
        first = ok("register", "add", "household", "--grid", BLOCK, "--address", "A座 1 号楼1单元101", "--head", "何玉平")
        second = ok("register", "add", "household", "--grid", BLOCK, "--address", "a座1号楼1单元101", "--head", "李娜")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm027_household_address_key_folded'")
    conn.close()
    by_hand = ok("register", "add", "resident", "--grid", BLOCK, "--address", "a座1号楼1单元101", "--name", "李小娜")
    assert by_hand["household"] == second["id"]
    households = write_csv(tmp_path / "h.csv", ["网格编码", "门牌", "户主", "联系电话"],
                           [[BLOCK, "a座1号楼1单元101", "李娜", "13800000000"]])
    assert ok("register", "import", households)["changed"] == 1
    assert ok("register", "show", second["id"])["entry"]["phone"] == "138****0000"
    assert ok("register", "show", first["id"])["entry"]["phone"] is None
    residents = write_csv(tmp_path / "r.csv", RESIDENT_HEADER, [[BLOCK, "a座1号楼1单元101", "王芳", "女", "1990", "",
                                                                  "户籍", ""]])
    assert ok("register", "import", residents)["added"] == 1
    assert {r["name"]: r["household"] for r in ok("register", "list", "resident")} == {
        "李小娜": second["id"], "王芳": second["id"]}
    pair = f"{BLOCK}: {first['id']} (A座 1 号楼1单元101)、{second['id']} (a座1号楼1单元101)"
    zh = run("verify", "--deep")        # not a fault of the file: named, exit 0
    assert zh.exit_code == 0 and f"注意: 台账中有 1 组同一网格的户门牌只差大小写或空格" in zh.stderr and pair in zh.stderr, zh.stderr
    en = run("--lang", "en", "verify", "--deep")
    assert en.exit_code == 0 and "note: 1 group(s) of households of one grid" in en.stderr and pair in en.stderr, en.stderr
    assert run("verify", "--deep", "--json").json()["households_sharing"] == [
        {"grid": BLOCK, "households": pair.split(": ", 1)[1]}]
    ok("register", "retire", first["id"], "--reason", "与另一户为同一户")
    assert "households_sharing" not in run("verify", "--deep", "--json").json()


def test_verify_deep_names_a_household_whose_address_key_is_not_its_address(loaded, db):
    """`households.address_key` is derived from the 门牌 (every look-up by 门牌 goes by it), and an
    edit of that column alone went unnoticed by `verify --deep`: the household could no longer be
    found by its 门牌. It is named now, exit 1, in both languages."""
    first = ok("register", "add", "household", "--grid", BLOCK, "--address", "3号楼2单元202")
    assert run("verify", "--deep").exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE households SET address_key = '3号楼2单元201'")
    result = run("verify", "--deep", "--json")
    assert result.exit_code == 1, result.stdout
    mismatch = result.json()["projection"]["mismatch"]
    assert (mismatch["issue"], mismatch["field"], mismatch["events_say"], mismatch["projection_says"]) == (
        first["id"], "address_key", "3号楼2单元202", "3号楼2单元201"), mismatch
    zh = run("verify", "--deep")
    assert zh.exit_code == 1 and f"{first['id']} 的台账行与其事件不符: “门牌比对键" in zh.stderr + zh.stdout, zh.stderr
    en = run("--lang", "en", "verify", "--deep")
    assert en.exit_code == 1 and "“address key (made from the address" in en.stderr + en.stdout, en.stderr
