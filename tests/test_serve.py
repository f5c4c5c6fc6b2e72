"""`gridctl serve`: the leaders' window, in-process through Datasette's own client on a small ledger,
running no thread of Datasette's (`window.application(win, threads=False)`); the window as served,
its threads and all, is the last test's, in a process of its own.

Datasette is in the test extra, so CI runs these; without it they fail rather than skip.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import shutil
import sys
from urllib.parse import urlencode

import pytest

from gridctl import forked, window
from gridctl.text import mask_phone
from tests.helpers import EXAMPLE, run

BLOCK = "410105001001001"            # 金水区/经八路街道/黄河路社区/1号楼院
OTHER = "410105001002001"            # 金水区/经八路街道/纬五路社区/1号楼院
AS_OF = "2026-11-26 12:00"
PHONE = "13812345678"


def ok(*args, db=None):
    result = run(*(("--db", db) if db else ()), "--by", "P007", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def add(db, title, at, *extra, grid=BLOCK, category="非法建设", source="巡查发现"):
    return ok("issue", "add", "-g", grid, "-c", category, "-s", source, "-t", title, "--at", at, *extra, db=db)["id"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A township ledger with issues overdue at two units, one not yet accepted, one 不满意."""
    db = tmp_path_factory.mktemp("serve") / "ledger.db"
    assert run("--db", db, "init", "--node", "410105001").exit_code == 0
    assert run("--db", db, "load", EXAMPLE, "--as-of", "2026-11-01").exit_code == 0
    a = add(db, "楼顶私搭乱建", "2026-11-16 09:00", "--phone", PHONE, "--reporter", "张三")
    ok("issue", "accept", a, "--at", "2026-11-16 10:00", db=db)
    ok("issue", "dispatch", a, "--to", "CG105", "--at", "2026-11-16 11:00", db=db)   # due 11-23: overdue
    b = add(db, "院内违建", "2026-11-17 09:00", grid=OTHER)
    ok("issue", "accept", b, "--at", "2026-11-17 10:00", db=db)
    ok("issue", "dispatch", b, "--to", "T01", "--at", "2026-11-17 11:00", db=db)     # due 11-24: overdue
    c = add(db, "车库改建住人", "2026-11-24 09:00")                                    # not accepted by 11-25
    d = add(db, "流动摊贩占道", "2026-11-24 15:00", "--on-the-spot", grid=OTHER)
    ok("issue", "callback", d, "--result", "不满意", "--at", "2026-11-25 10:00", db=db)
    e = add(db, "楼道堆物", "2026-11-25 09:00")
    ok("issue", "accept", e, "--at", "2026-11-25 10:00", db=db)                       # due in December
    f = add(db, "小作坊消防通道堵塞", "2026-11-23 09:00", grid=OTHER, category="安全生产")
    ok("issue", "accept", f, "--at", "2026-11-23 10:00", db=db)                       # 3d: yellow at 11-26 noon
    ok("patrol", "add", "-p", "P007", "-g", BLOCK, "-d", "2026-11-24", db=db)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "path": db}


@pytest.fixture
def ledger(built, db):
    """A fresh copy of the built ledger at this test's GRIDCTL_DB."""
    shutil.copyfile(built["path"], db)
    return dict(built, path=db)


def snap(ledger):
    """The window on a snapshot of this test's ledger, in a folder of its own."""
    folder = ledger["path"].parent / "window"
    folder.mkdir(exist_ok=True)
    return window.prepare(ledger["path"], folder)


def fetch(win, *requests):
    """GET each (path, params) from an in-process Datasette; the responses in order."""
    ds = window.application(win, threads=False)

    async def go():
        await ds.invoke_startup()
        return [await ds.client.get(path + ("?" + urlencode(params) if params else ""))
                for path, params in requests]

    return asyncio.run(go())


def rows(win, path, **params):
    (response,) = fetch(win, (f"/{win.name}/{path}.json", {"_shape": "array", **params}))
    assert response.status_code == 200, response.text
    return response.json()


def test_canned_queries_return_the_right_rows(ledger):
    win = snap(ledger)
    new = rows(win, "new_this_week", 周="2026-W48")
    assert {r["事件编号"] for r in new} == {ledger["c"], ledger["d"], ledger["e"], ledger["f"]}
    assert {r["事件编号"] for r in rows(win, "new_this_week", 周="2026-W47")} == {ledger["a"], ledger["b"]}

    by_unit = rows(win, "overdue", 截至=AS_OF)
    assert [(r["处置单位"], r["超期件数"], r["最早时限"]) for r in by_unit] == [
        ("金水区城管执法局", 2, "2026-11-23 23:59"), ("市教体局驻黄河路社区工作队", 1, "2026-11-24 23:59")]
    overdue = rows(win, "overdue_issues", 截至=AS_OF, 处置单位="")
    assert {r["事件编号"] for r in overdue} == {ledger["a"], ledger["b"], ledger["c"]}
    listed = ok("issue", "list", "--colour", "red", "--as-of", AS_OF)
    assert {i["id"] for i in listed} == {r["事件编号"] for r in overdue}
    assert {r["事件编号"] for r in rows(win, "overdue_issues", 截至=AS_OF, 处置单位="金水区城管执法局")} == {
        ledger["a"], ledger["c"]}
    assert rows(win, "overdue", 截至="2026-11-20 12:00") == []

    warned = rows(win, "warnings", 截至=AS_OF, 处置单位="")
    assert [(r["预警"], r["事件编号"]) for r in warned] == [
        ("红(超期)", ledger["a"]), ("红(超期)", ledger["b"]), ("红(超期)", ledger["c"]), ("黄", ledger["f"])]
    yellow = ok("issue", "list", "--colour", "yellow", "--as-of", AS_OF)
    assert [i["id"] for i in yellow] == [ledger["f"]]

    assert [r["事件编号"] for r in rows(win, "unsatisfied", 起="", 止="")] == [ledger["d"]]
    assert rows(win, "unsatisfied", 起="2026-11-26", 止="") == []

    block = rows(win, "grid_issues", 网格="金水区/经八路街道/黄河路社区", 状态="")
    assert {r["事件编号"] for r in block} == {ledger["a"], ledger["c"], ledger["e"]}
    assert {r["事件编号"] for r in rows(win, "grid_issues", 网格="410105001002", 状态="已结案")} == {ledger["d"]}


def test_a_window_used_in_this_process_leaves_no_thread_behind(ledger):
    """A window used inside a process that goes on to other work (these tests) starts no thread:
    Datasette 0.65's SQL threads and its writer thread per database run until the process ends, and
    a process with another thread never forks (gridctl.forked), so every import after this module
    in one process routed its rows in one process (test_import_routing's tests failed)."""
    win = snap(ledger)
    assert rows(win, "new_this_week", 周="2026-W48")
    assert forked.alone()


def test_not_patrolled_matches_patrol_missing(ledger):
    win = snap(ledger)
    # the window's view covers every grid the ledger holds; patrol missing on a township ledger
    # defaults to the township (#15), so it is asked for the whole city here
    missing = ok("patrol", "missing", "--week", "2026-W48", "--unit", "4101")["missing"]
    assert missing, "the example city owes patrols"
    canned = rows(win, "not_patrolled", 周="2026-W48")
    assert sorted((r["人员编号"], r["网格路径"]) for r in canned) == sorted(
        (m["person"], m["grid_path"]) for m in missing)
    assert "P007" not in {r["人员编号"] for r in canned if r["网格路径"].endswith("1号楼院")}


def test_the_issue_view_joins_names_and_searches(ledger):
    win = snap(ledger)
    (issue,) = rows(win, "window_issues", 事件编号=ledger["a"])
    assert issue["网格名称"] == "1号楼院" and issue["网格路径"] == "金水区/经八路街道/黄河路社区/1号楼院"
    assert issue["问题类型"] == "非法建设" and issue["来源"] == "巡查发现" and issue["状态"] == "处置中"
    assert issue["处置单位"] == "金水区城管执法局" and issue["网格层级"] == "村组/楼院"
    found = rows(win, "window_issues", _search="私搭乱建")
    assert [r["事件编号"] for r in found] == [ledger["a"]]
    table, index, page, html = fetch(win, (f"/{win.name}/window_issues.json", {}), ("/", {}),
                                     (f"/{win.name}/overdue", {"截至": AS_OF}),
                                     (f"/{win.name}/window_issues", {"状态": "处置中"}))
    assert "搜索:" in html.text and 'value="确定"' in html.text and "共 2 行" in html.text
    assert "Apply" not in html.text and "(view)" not in html.text
    assert "查询条件" in page.text and 'value="查询"' in page.text and "首页" in page.text
    assert "金水区城管执法局" in page.text and "Run SQL" not in page.text
    assert {"状态", "问题类型", "来源", "超期", "网格层级", "处置单位"} <= set(table.json()["facet_results"])
    assert "经八路街道 网格化管理台账" in index.text
    assert f'<a href="/{win.name}/window_issues">问题台账</a>' in index.text
    assert f'<a href="/{win.name}/overdue">超期未处置 (按处置单位)</a>' in index.text


def test_phones_are_masked_in_every_view_and_raw_tables_are_closed(ledger):
    win = snap(ledger)
    (issue,) = rows(win, "window_issues", 事件编号=ledger["a"])
    assert issue["联系电话"] == mask_phone(PHONE) == "138****5678"
    conn = sqlite3.connect(ledger["path"])
    phones = {p for (p,) in conn.execute("SELECT phone FROM people UNION SELECT phone FROM issues "
                                         "UNION SELECT duty_phone FROM grids") if p}
    conn.close()
    assert PHONE in phones and len(phones) > 50
    for view in ("window_issues", "window_patrols", "window_posts", "window_grids"):
        cells = {str(v) for row in rows(win, view, _size="max") for v in row.values()}
        assert not phones & cells, view
    posts = rows(win, "window_posts", _size="max")
    assert any(p["联系电话"] and "****" in p["联系电话"] for p in posts)
    responses = fetch(win, (f"/{win.name}/people.json", {}), (f"/{win.name}/issues.json", {}),
                      (f"/{win.name}.json", {"sql": "select phone from people"}), (f"/{win.name}.db", {}))
    assert [r.status_code for r in responses] == [403, 403, 403, 403]


def test_the_views_mask_as_gridctl_masks(ledger):
    phones = {"P045": "12345", "P046": "0371-12345", "P047": "+8613800001234", "P007": "1", "P100": None}
    conn = sqlite3.connect(ledger["path"])
    conn.executemany("UPDATE people SET phone = ? WHERE id = ?", [(v, k) for k, v in phones.items()])
    conn.commit()
    conn.close()
    win = snap(ledger)
    shown = {p["人员编号"]: p["联系电话"] for p in rows(win, "window_posts", _size="max")}
    assert {k: shown[k] for k in phones} == {k: mask_phone(v) for k, v in phones.items()}


def test_a_write_is_refused_and_the_file_is_untouched(ledger):
    win = snap(ledger)
    before = hashlib.sha256(ledger["path"].read_bytes()).hexdigest()
    ds = window.application(win, threads=False)

    async def go():
        await ds.invoke_startup()
        sql = await ds.client.get(f"/{win.name}.json?" + urlencode({"sql": "DELETE FROM issues"}))
        db = ds.get_database(win.name)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await db.execute_fn(lambda conn: conn.execute("DELETE FROM issues"))
        with pytest.raises(AssertionError):      # Datasette has no write connection to an immutable file
            await db.execute_write("DELETE FROM issues")
        return sql

    sql = asyncio.run(go())
    assert sql.status_code in (400, 403)       # "Statement must be a SELECT", and no SQL of one's own
    assert hashlib.sha256(ledger["path"].read_bytes()).hexdigest() == before
    assert len(ok("issue", "list")) == 6


def test_the_window_is_a_snapshot_and_the_ledger_stays_writable(ledger):
    win = snap(ledger)
    assert win.path != ledger["path"] and win.name == ledger["path"].stem
    before = hashlib.sha256(win.path.read_bytes()).hexdigest()
    ds = window.application(win, threads=False)

    async def go():
        await ds.invoke_startup()
        first = await ds.client.get(f"/{win.name}/window_issues.json?_shape=array&_size=max")
        add(ledger["path"], "新登记的问题", "2026-11-26 09:00")       # a clerk writes meanwhile
        second = await ds.client.get(f"/{win.name}/window_issues.json?_shape=array&_size=max")
        return len(first.json()), len(second.json())

    assert asyncio.run(go()) == (6, 6)
    assert len(ok("issue", "list")) == 7
    assert hashlib.sha256(win.path.read_bytes()).hexdigest() == before


def test_serve_binds_locally_and_says_how_to_stop(ledger, monkeypatch):
    """The defaults, 127.0.0.1 and port 8001, as the command passes them on; the port itself is not
    bound here, so the test holds where another program has 8001 (the busy-port check has its own
    test, and the real command serves on a free port in the last one)."""
    calls, copies, checked = [], [], []
    monkeypatch.setattr(window, "check_port", lambda host, port: checked.append((host, port)))
    monkeypatch.setattr(window, "serve", lambda win, host, port: (
        calls.append((win.name, host, port)), copies.append((win.path, win.path.exists()))))
    result = run("serve")
    assert result.exit_code == 0, result.stderr
    assert checked == [("127.0.0.1", 8001)]
    assert calls == [(ledger["path"].stem, "127.0.0.1", 8001)]
    (copy, existed), = copies
    assert existed and copy != ledger["path"] and not copy.exists()      # the snapshot goes with the window
    assert "http://127.0.0.1:8001/" in result.stdout and "Ctrl+C" in result.stdout
    assert "警告" not in result.stderr


def test_another_host_warns_that_the_network_can_read(ledger, monkeypatch):
    import socket

    calls = []
    monkeypatch.setattr(window, "serve", lambda win, host, port: calls.append((host, port)))
    with socket.create_server(("0.0.0.0", 0)) as probe:     # a free port (a fixed one may be in use here)
        port = probe.getsockname()[1]
    result = run("serve", "--host", "0.0.0.0", "--port", port)
    assert result.exit_code == 0, result.stderr
    assert calls == [("0.0.0.0", port)]
    assert "警告" in result.stderr and "0.0.0.0" in result.stderr
    result = run("--lang", "en", "serve", "--host", "0.0.0.0", "--port", port)
    assert "anyone on that network" in result.stderr


def test_without_datasette_it_says_how_to_install(ledger, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)
    monkeypatch.setitem(sys.modules, "datasette.app", None)
    result = run("serve")
    assert result.exit_code == 1
    assert "未安装 Datasette" in result.stderr and 'pip install "gridctl[serve]"' in result.stderr
    assert "已打开" not in result.stdout, result.stdout     # QA: it said the window was open first


def test_a_busy_port_is_refused(ledger, monkeypatch):
    import socket

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("the server started on a busy port"))

    with socket.create_server(("127.0.0.1", 0)) as held:
        port = held.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 1
    assert "已被占用" in result.stderr
    assert "已打开" not in result.stdout, result.stdout     # QA: it said the window was open first


@pytest.mark.parametrize(("host", "said"), [("8.8.8.8", "不是本机的地址"), ("999.1.1.1", "不是本机的地址"),
                                            ("", "需要 --host")])
def test_a_host_this_machine_cannot_listen_on_is_said_as_that(ledger, monkeypatch, host, said):
    """Any failure to bind was `端口 … 已被占用`, and an empty --host opened `http://:8001/…` with a
    warning about binding to nothing."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("the server started"))
    result = run("serve", "--host", host, "--port", "8001")
    assert result.exit_code == 1 and said in result.stderr, result.stderr
    assert "已被占用" not in result.stderr and "已打开" not in result.stdout


def test_a_large_ledger_opens_its_issues_without_preset_facets():
    small = window.metadata("x", "t", [], [], issues=window.FACETS_UP_TO)
    large = window.metadata("x", "t", [], [], issues=window.FACETS_UP_TO + 1)
    assert small["databases"]["x"]["tables"]["window_issues"]["facets"]
    assert large["databases"]["x"]["tables"]["window_issues"]["facets"] == []
    assert "未预设分面" in large["databases"]["x"]["tables"]["window_issues"]["description"]


def test_the_real_command_serves_and_stops_cleanly_on_sigterm(ledger, tmp_path):
    """The installed command, as a process: it answers on 127.0.0.1 and, stopped, removes its copy."""
    import os
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = dict(os.environ, GRIDCTL_DB=str(ledger["path"]), TMPDIR=str(scratch))
    proc = subprocess.Popen([sys.executable, "-m", "gridctl", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = None
        for _ in range(400):                                   # up to ~20 s on a busy machine
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.05)
        assert page and "问题台账" in page
        assert [p.name for p in scratch.iterdir()]              # the snapshot, while it serves
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/ledger" in out and "查看窗口已停止" in out
    assert list(scratch.iterdir()) == []
