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
