"""The leaders' window (领导查看): the ledger in Datasette, read-only, in Chinese.

`metadata` is what gridctl tells Datasette: titles, column notes, facets, the issue search on
the ledger's FTS5 table, canned queries with their parameters, every raw table hidden and no
SQL of one's own. `application` builds the Datasette app on a ledger opened immutable;
`serve` runs it. Datasette is the optional extra `gridctl[serve]`, imported only here.
The window shows a snapshot of the ledger taken at start (`prepare`), never the live file.
"""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger import ledger
from gridctl.ledger import window as wq
from gridctl.ledger.db import ledger_node
from gridctl.messages import t

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
TEMPLATES = Path(__file__).parent / "serve_templates"
"""Datasette's query page and crumbs with their words in Chinese (package data)."""
TIME_LIMITS = {"sql_time_limit_ms": 5000, "facet_time_limit_ms": 500}
"""Canned queries on a city ledger take up to ~1.5 s (200,000 issues); a facet over all of its
issues takes 1–2.3 s and is left out (Datasette says it timed out) rather than hold the page."""
FACETS_UP_TO = 50_000
"""Above this many issues the issue page opens without facets (each would take over a second);
a leader still facets any column from its menu, and facets of a narrowed page are quick."""

_ISSUE_FACETS = ["状态", "问题类型", "来源", "超期", "网格层级", "处置单位"]
_ISSUE_NOTES = {
    "序号": "台账内的顺序号 (gridctl issue show 序号)",
    "处置单位": "派遣到的部门、工作队或人员; 未派遣时为职能部门或受理平台",
    "截止时间": "办结时限的截止时间 (受理后计算)",
    "当前时限": "当前环节的时限: 受理前为受理时限, 受理后为截止时间 (含延期)",
    "超期": "在办且已过当前时限 (以此刻为准)",
    "联系电话": "已打码 (138****1234)",
}


@dataclass(frozen=True)
class Window:
    """What `serve` opens: the snapshot of the ledger, the name Datasette gives it, its metadata."""

    path: Path
    name: str
    metadata: dict


def _query(title: str, sql: str, description: str) -> dict:
    return {"title": title, "sql": sql, "description": description, "hide_sql": True}


def canned_queries(rules: list[dict], yellow_at: float = 0.8) -> dict:
    """The questions offices ask, each a canned query with its parameters.

    `rules` are the patrol duties of configs/conduct.yaml; `yellow_at` the share of a time limit
    after which an open issue is yellow (configs/calendar.yaml)."""
    return {
        "new_this_week": _query("本周新增", wq.new_this_week(),
                         "本周上报的问题。周: 如 2026-W47, 留空为本周。"),
        "overdue": _query("超期未处置 (按处置单位)", wq.overdue_by_unit(),
                          "在办且已过时限的问题, 按处置单位统计。截至: YYYY-MM-DD HH:MM, 留空为此刻。"),
        "overdue_issues": _query("超期问题明细", wq.overdue_issues(),
                            "超期问题逐条列出。处置单位: 留空为全部; 截至: 留空为此刻。"),
        "warnings": _query("红黄预警", wq.warnings(yellow_at),
                           f"在办问题中已超期 (红) 或已用时限 {yellow_at:.0%} 以上 (黄) 的。"
                           "处置单位: 留空为全部; 截至: 留空为此刻。"),
        "not_patrolled": _query("本周未巡查", wq.not_patrolled(rules),
                          "按巡查职责 (configs/conduct.yaml) 本周应巡查而未巡查的人员。周: 如 2026-W47, "
                          "留空为本周。请假只列出不扣除, 以 gridctl patrol missing 为准。"),
        "unsatisfied": _query("回访不满意", wq.unsatisfied(),
                          "群众回访结果为不满意的问题。起、止: YYYY-MM-DD, 可留空。"),
        "grid_issues": _query("网格问题", wq.grid_issues(),
                         "一个网格及其下级网格的问题。网格: 路径 (金水区/经八路街道) 或编码; 状态: 可留空。"),
    }


def _tables(hidden: list[str], issues: int) -> dict:
    tables: dict[str, dict] = {name: {"hidden": True, "allow": False} for name in hidden}
    tables["window_issues"] = {
        "title": "问题台账", "description": "每个问题的当前状态, 编码已换成名称, 电话已打码。可搜索问题描述、地点与处置情况 (至少三个字)。"
        + ("" if issues <= FACETS_UP_TO else " 台账较大, 未预设分面: 可从列名菜单按列分面。"),
        "facets": _ISSUE_FACETS if issues <= FACETS_UP_TO else [], "fts_table": "issue_text", "fts_pk": "序号",
        "sort_desc": "上报时间", "columns": _ISSUE_NOTES, "label_column": "问题描述",
    }
    tables["window_patrols"] = {"title": "巡查记录", "description": "巡查走访日志 (已作废的不列出)。",
                                "facets": ["网格层级", "工作队"], "sort_desc": "日期"}
    tables["window_posts"] = {"title": "定人定岗", "description": "每个网格的岗位与人员, 电话已打码。",
                              "facets": ["网格层级", "职务"], "columns": {"联系电话": "已打码"}}
    tables["window_grids"] = {"title": "网格", "description": "三级网格与四级平台的节点。",
                              "facets": ["网格层级", "类型"], "columns": {"值班电话": "已打码"}}
    return tables


def _menu(name: str, tables: dict, queries: dict) -> str:
    """The index's Chinese menu: Datasette lists views and queries by their (ASCII) names."""
    def links(items: dict) -> str:
        return " · ".join(f'<a href="/{name}/{key}">{escape(item["title"])}</a>' for key, item in items.items())

    views = {view: tables[view] for view in wq.VIEWS}
    return (f"<p>只读窗口: 网页上不能修改任何数据。</p><p><strong>台账</strong>: {links(views)}</p>"
            f"<p><strong>常用查询</strong>: {links(queries)}</p>")


def metadata(name: str, title: str, hidden: list[str], rules: list[dict], issues: int = 0,
             yellow_at: float = 0.8) -> dict:
    """Datasette's metadata for the ledger served as `name` (holding `issues` issues)."""
    tables, queries = _tables(hidden, issues), canned_queries(rules, yellow_at)
    menu = _menu(name, tables, queries)
    return {
        "title": title,
        "description_html": menu,
        "databases": {
            name: {
                "title": title,
                "description_html": menu,
                "allow_sql": False,
                "tables": tables,
                "queries": queries,
            },
        },
    }


def prepare(db: Path, folder: Path) -> Window:
    """Bring the ledger up to date, copy it into `folder` as it is now, and describe the window.

    The copy is what Datasette opens (immutable): the ledger itself stays free for clerks to
    write, and the window never reads a file that changes under it."""
    from gridctl.issues.calendar import load_calendar
    from gridctl.ledger import grids as gq
    from gridctl.records.rules import load_rules

    _datasette()
    if not Path(db).exists():
        raise GridctlError("serve.no_ledger", path=db)
    rules, yellow_at = load_rules()["patrols"], load_calendar().yellow_at
    copy = Path(folder) / Path(db).name
    with ledger(db) as conn:
        wq.snapshot(conn, copy)
        node = ledger_node(conn)
        hidden = wq.hidden_tables(conn)
        issues = wq.issue_count(conn)
        place = gq.names(conn, "grids", [node]).get(node) if node else wq.city_name(conn)
    title = t("serve.title", place=place or t("ledger.city"))
    name = copy.stem
    return Window(copy, name, metadata(name, title, hidden, rules, issues, yellow_at))


@contextmanager
def opened(db: Path) -> Iterator[Window]:
    """`prepare` in a temporary folder that is removed when the window closes."""
    with tempfile.TemporaryDirectory(prefix="gridctl-serve-") as folder:
        yield prepare(db, Path(folder))


def _datasette():
    try:
        from datasette.app import Datasette
    except ImportError:
        raise GridctlError("serve.no_datasette") from None
    return Datasette


def application(window: Window, threads: bool = True):
    """The Datasette instance over the ledger, opened immutable: no write can reach the file.

    `threads=False` runs each query on the caller's event loop and starts no thread (Datasette's
    `num_sql_threads` 0), for a window used inside a process that goes on to other work: Datasette
    0.65 never stops the threads it starts (its SQL threads, a writer thread per database), and a
    process with another thread running never forks (gridctl.forked)."""
    datasette = _datasette()
    settings = {"allow_download": False, "suggest_facets": False, "default_page_size": 50,
                **TIME_LIMITS, **({} if threads else {"num_sql_threads": 0})}
    return datasette(immutables=[str(window.path)], metadata=window.metadata, settings=settings,
                     template_dir=str(TEMPLATES))


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS


def ready(host: str, port: int) -> None:
    """Refuse before the snapshot is taken and the window is said to be open: no Datasette, or
    a port another program holds."""
    _datasette()
    check_port(host, port)


def check_port(host: str, port: int) -> None:
    """Refuse a port another program holds, or a host this machine cannot listen on (not one of its
    addresses, a name that does not resolve, none at all), before Datasette starts."""
    import errno
    import socket

    if not host.strip():
        raise GridctlError("issue.option_required", option="--host")
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        key = {errno.EADDRINUSE: "serve.port_busy", errno.EACCES: "serve.port_denied"}.get(exc.errno or 0, "serve.bad_host")
        raise GridctlError(key, host=host, port=port) from None


def url(window: Window, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{window.name}"


def serve(window: Window, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl+C)."""
    import asyncio

    import uvicorn

    check_port(host, port)
    ds = application(window)
    asyncio.run(ds.invoke_startup())
    # uvicorn stops on SIGTERM as on Ctrl+C, then raises the signal again once it has stopped:
    # let that one pass, so the caller still closes the window (and removes its snapshot).
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
    finally:
        signal.signal(signal.SIGTERM, previous)
