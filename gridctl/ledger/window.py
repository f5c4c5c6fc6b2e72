"""SQL of the leaders' window (`gridctl serve`): the canned queries over the `window_*` views
(migration m009), which tables the window hides, and the snapshot it serves.

Canned queries take named parameters that a leader types in a form; an empty one means the
default (this week, now). Weeks are ISO weeks written as in `patrol missing --week 2026-W47`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gridctl.ledger.issues import OPEN_SQL
from gridctl.ledger.records import first_of_its_kind

VIEWS = ("window_issues", "window_patrols", "window_posts", "window_grids")
"""The views the window shows; every other table and view of the ledger stays hidden."""

_NOW = "strftime('%Y-%m-%d %H:%M', 'now', 'localtime')"
_AS_OF = f"coalesce(nullif(:截至, ''), {_NOW})"
_MONDAY = ("CASE WHEN :周 = '' THEN date('now', 'localtime', 'weekday 0', '-6 days') "
           "ELSE date(substr(:周, 1, 4) || '-01-04', 'weekday 0', '-6 days', "
           "'+' || ((CAST(substr(:周, 7) AS INTEGER) - 1) * 7) || ' days') END")
_WEEK = f"w AS (SELECT {_MONDAY} AS 周一, date({_MONDAY}, '+6 days') AS 周日)"


def snapshot(conn: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy of the ledger (write-ahead log included) at `dest`, in rollback-journal
    mode: a file nobody writes, that Datasette can open immutable while clerks go on writing."""
    copy = sqlite3.connect(dest)
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def hidden_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table and view but the window's own (raw rows hold phones and codes)."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
    return [name for (name,) in rows if name not in VIEWS]


def issue_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM issues").fetchone()[0]


def city_name(conn: sqlite3.Connection) -> str | None:
    """The name of the city at the top of the grid tree, if the YAML gave one."""
    row = conn.execute("SELECT name FROM grids WHERE level = 'city' AND parent IS NULL LIMIT 1").fetchone()
    return row[0] if row else None


def new_this_week() -> str:
    """本周新增: issues reported in the week (周, default this week)."""
    return f"""WITH {_WEEK}
SELECT 事件编号, 网格路径, 问题类型, 问题描述, 来源, 状态, 处置单位, 上报时间
FROM window_issues, w
WHERE 上报时间 >= w.周一 AND 上报时间 < date(w.周日, '+1 day')
ORDER BY 上报时间 DESC, 事件编号 DESC"""


def overdue_by_unit() -> str:
    """超期未处置: open issues past their time limit at 截至 (default now), per 处置单位."""
    return f"""WITH a AS (SELECT {_AS_OF} AS 截至)
SELECT 处置单位, count(*) AS 超期件数, min(当前时限) AS 最早时限,
       round(max(julianday(a.截至) - julianday(当前时限)), 1) AS 最长超期天数
FROM window_issues, a
WHERE 序号 IN (SELECT num FROM issues, a WHERE {OPEN_SQL} AND due < a.截至)
GROUP BY 处置单位
ORDER BY 超期件数 DESC, 处置单位"""


def overdue_issues() -> str:
    """超期问题明细: the overdue issues themselves, of one 处置单位 or (empty) all."""
    return f"""WITH a AS (SELECT {_AS_OF} AS 截至)
SELECT 事件编号, 处置单位, 网格路径, 问题类型, 问题描述, 状态, 当前时限,
       round(julianday(a.截至) - julianday(当前时限), 1) AS 超期天数
FROM window_issues, a
WHERE 序号 IN (SELECT num FROM issues, a WHERE {OPEN_SQL} AND due < a.截至)
  AND (:处置单位 = '' OR 处置单位 = :处置单位)
ORDER BY 处置单位, 当前时限"""


def warnings(yellow_at: float) -> str:
    """红黄预警: open issues past their time limit (红) or past `yellow_at` of it (黄) at 截至,
    by the same rule as `issue list --colour`."""
    start = "coalesce(accepted_at, reported_at)"
    used = f"(julianday(a.截至) - julianday({start})) / (julianday(due) - julianday({start}))"
    return f"""WITH a AS (SELECT {_AS_OF} AS 截至),
s AS (SELECT num, CASE WHEN due < a.截至 THEN '红(超期)' ELSE '黄' END AS 预警 FROM issues, a
      WHERE {OPEN_SQL} AND (due < a.截至 OR (due >= a.截至 AND {used} >= {float(yellow_at)!r})))
SELECT s.预警, 事件编号, 处置单位, 网格路径, 问题类型, 问题描述, 状态, 当前时限
FROM s JOIN window_issues ON 序号 = s.num
WHERE :处置单位 = '' OR 处置单位 = :处置单位
ORDER BY s.预警 = '黄', 当前时限"""


def unsatisfied() -> str:
    """回访不满意: issues whose callback was 不满意, called back between 起 and 止 (dates, optional)."""
    return """SELECT 事件编号, 网格路径, 问题类型, 问题描述, 处置单位, 办结时间, 回访时间, 处置情况
FROM window_issues
WHERE 序号 IN (SELECT num FROM issues WHERE callback = 'unsatisfied'
               AND (:起 = '' OR callback_at >= :起) AND (:止 = '' OR callback_at <= :止 || ' 23:59'))
ORDER BY 回访时间 DESC"""


def grid_issues() -> str:
    """网格问题: a grid's issues and those of every grid below it, by path (金水区/经八路街道) or code."""
    return """SELECT 事件编号, 网格路径, 问题类型, 问题描述, 来源, 状态, 超期, 处置单位, 上报时间
FROM window_issues
WHERE 网格编码 IN (SELECT code FROM grids WHERE path = :网格 OR substr(path, 1, length(:网格) + 1) = :网格 || '/'
                  OR substr(code, 1, length(:网格)) = :网格)
  AND (:状态 = '' OR 状态 = :状态)
ORDER BY 上报时间 DESC"""


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _obligations(rules: list[dict]) -> str:
    """Who owes patrols in the week, as `records.week_obligations` reads the rules."""
    parts = []
    for rule in rules:
        per_week = int(rule["per_week"])
        if rule["who"] == "team":
            parts.append(f"""SELECT m.person AS person, tg.grid AS grid, '工作队 ' || t.name AS via, {per_week} AS per_week
    FROM w, teams t
    JOIN team_grids tg ON tg.team = t.code AND tg.since <= w.周日 AND (tg.until IS NULL OR tg.until >= w.周一)
    JOIN (SELECT team, person, since, until FROM team_members UNION SELECT code, leader, since, until FROM teams) m
         ON m.team = t.code AND m.since <= w.周日 AND (m.until IS NULL OR m.until >= w.周一)
    WHERE t.retired IS NULL""")
        else:
            roles = ", ".join(_quote(r) for r in rule["roles"])
            parts.append(f"""SELECT person, grid, '岗位 ' || role AS via, {per_week} AS per_week FROM w, posts
    WHERE role IN ({roles}) AND since <= w.周日 AND (until IS NULL OR until >= w.周一)""")
    return "\n    UNION ALL ".join(parts) or "SELECT NULL AS person, NULL AS grid, NULL AS via, 0 AS per_week WHERE 0"


def not_patrolled(rules: list[dict]) -> str:
    """本周未巡查: each owed patrol (configs/conduct.yaml) not made in the week (周, default this week).

    A patrol of the owed grid or of any grid below it counts. Leave is shown (请假记录), not
    excused: `gridctl patrol missing` excuses leave on every working day of the calendar."""
    return f"""WITH {_WEEK},
o AS ({_obligations(rules)}),
d AS (SELECT o.*, (SELECT count(*) FROM patrols pa, w WHERE pa.person = o.person AND pa.grid >= o.grid
                   AND pa.grid < o.grid || ':' AND pa.date BETWEEN w.周一 AND w.周日 AND pa.voided = 0
                   AND {first_of_its_kind("patrols", "pa")}) AS made
      FROM o)
SELECT coalesce(p.name, d.person) AS 姓名, d.person AS 人员编号, g.path AS 网格路径, d.via AS 依据,
       d.per_week AS 应巡查, d.made AS 已巡查,
       (SELECT count(*) FROM attendance a, w WHERE a.person = d.person AND a.kind = 'leave' AND a.voided = 0
        AND a.date <= w.周日 AND date(a.date, '+' || (a.days - 1) || ' days') >= w.周一) AS 请假记录
FROM d LEFT JOIN people p ON p.id = d.person LEFT JOIN grids g ON g.code = d.grid
WHERE d.made < d.per_week
ORDER BY d.grid, d.person, d.via"""
