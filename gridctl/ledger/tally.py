"""`metrics.tally`'s counts in SQL, over the stored issues projection, grouped in the database.

Only *settled* issues are counted here: reported by `as_of` and not changed since, so their row
is their state at `as_of`. Issues changed after `as_of` are replayed from their events by the
caller and tallied in Python by `metrics.tally`; the two add up to the same counts
(`tests/test_tally.py` checks them equal on every group). The rates' formulas stay in `metrics`.
"""

from __future__ import annotations

_NOT_REJECTED = "status != 'rejected'"
_RECORDED = f"{_NOT_REJECTED} AND reported_at BETWEEN :s AND :e"
_DUE = f"{_NOT_REJECTED} AND coalesce(accepted_at, '') != '' AND deadline BETWEEN :s AND :e"
_CLOSED_BY_END = "coalesce(closed_at, '') != '' AND closed_at <= :e"
_HANDLED = f"{_NOT_REJECTED} AND (handled_at BETWEEN :s AND :e OR (closed_at BETWEEN :s AND :e AND on_the_spot))"
_CALLBACK = f"{_NOT_REJECTED} AND callback_at BETWEEN :s AND :e"

COUNTS = {
    "rejected": "status = 'rejected' AND reported_at BETWEEN :s AND :e",
    "recorded": _RECORDED,
    "on_the_spot": f"{_RECORDED} AND on_the_spot",
    "accepted": f"{_NOT_REJECTED} AND accepted_at BETWEEN :s AND :e",
    "due": _DUE,
    "due_closed": f"{_DUE} AND {_CLOSED_BY_END}",
    "due_handled": f"{_DUE} AND ({_CLOSED_BY_END} OR (coalesce(handled_at, '') != '' AND handled_at <= :e))",
    "due_extended": f"{_DUE} AND extensions > 0",
    "due_on_time": f"{_DUE} AND {_CLOSED_BY_END} AND closed_at <= deadline",
    "handled": _HANDLED,
    "reworked": f"{_HANDLED} AND reworks > 0",
    "closed": f"{_NOT_REJECTED} AND closed_at BETWEEN :s AND :e",
    "callbacks": _CALLBACK,
    "satisfied": f"{_CALLBACK} AND callback IN ('satisfied', 'fair')",
}
"""tally key → the condition an issue meets to count in it (metrics.tally, line by line)."""

IN_TIME = """(NOT i.late_report AND (
    CASE length(coalesce(i.grid, '')) WHEN 9 THEN 1 WHEN 6 THEN 2 WHEN 4 THEN 3 ELSE 0 END
    >= CASE i.authority WHEN 'township' THEN 1 WHEN 'district' THEN 2 WHEN 'city' THEN 3 ELSE 0 END
    OR i.escalations > 0))"""
"""`reported_in_time` of an issue `i` known to be the group's own find: not reported late, and
escalated as needed (metrics.escalated_as_needed: not beyond its grid's platform, or escalated)."""

SETTLED = "reported_at <= :as_of AND (updated_at IS NULL OR updated_at <= :as_of)"
"""Reported by `as_of` and not changed since: the stored row is the issue's state at `as_of`."""
TOUCHING = " OR ".join(f"{c} BETWEEN :s AND :e" for c in
                       ("reported_at", "accepted_at", "deadline", "handled_at", "closed_at", "callback_at"))
"""An issue with no stage time in the period [s, e] counts in nothing."""


def named(sql: str, params: list) -> tuple[str, dict]:
    """A condition written with `?` placeholders, with named ones instead (:q0, :q1 …)."""
    parts = sql.split("?")
    text = parts[0] + "".join(f":q{i}{part}" for i, part in enumerate(parts[1:]))
    return text, {f"q{i}": value for i, value in enumerate(params)}


def grouped(conn, group: tuple[str, dict], scope: tuple[str, dict], since: str, until: str, as_of: str,
            table: str = "issues"):
    """The counts over [since, until] of the settled issues in `scope` (a condition and its
    parameters), grouped by the SQL expression `group` (with its parameters), source and category: rows (group, source, category, {key: n}, in_time),
    `in_time` being the recorded issues reported in time and escalated as needed (counted as
    `reported_in_time` where the issue is the group's own find). `table` may name an index to read."""
    keys = tuple(COUNTS)
    in_time = IN_TIME.replace("i.", "")
    where, params = scope
    rows = conn.execute(f"""SELECT {group[0]}, source, category, {", ".join(f"total({COUNTS[k]})" for k in keys)},
            total({_RECORDED} AND {in_time})
        FROM {table} WHERE {where} AND {SETTLED} AND ({TOUCHING}) GROUP BY 1, 2, 3""",
                        {**params, **group[1], "s": since, "e": until, "as_of": as_of})
    for row in rows:
        yield row[0], row[1], row[2], {k: int(n) for k, n in zip(keys, row[3:-1]) if n}, int(row[-1])
