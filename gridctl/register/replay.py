"""`verify --deep` for the register: rebuild every row from its events and compare.

A household's 人口 or a resident's tags edited in the table behind the ledger's back, a row
with no events, a household's `address_key` that is not its 门牌 as `text.same_key` reads it (the
key every look-up by 门牌 goes by), or a visit no patrol recorded, is named (the first one found).
"""

from __future__ import annotations

import json

from gridctl.ledger import register as rg
from gridctl.text import same_key

Mismatch = tuple[str, str, object, object]   # subject, field, what the events say, what the table says


def expected_rows(events) -> dict[str, dict[str, dict]]:
    """kind → id → row, folded from the register events in recording order (as `apply_event`)."""
    out: dict[str, dict[str, dict]] = {kind: {} for kind in rg.TABLES}
    members: dict[str, set[str]] = {}
    for action, record, happened_at, details in events:
        kind, _, act = action.partition(".")
        details = json.loads(details)
        rows = out[kind]
        if act == "add":
            rows[record] = dict(details["record"], tags=details["record"].get("tags") or [])
            if kind == "resident":
                members.setdefault(rows[record]["household"], set()).add(record)
            continue
        row = rows.get(record)
        if row is None:
            continue
        if act in ("update", "move"):
            changes = {k: v[1] for k, v in details["changes"].items()}
            if kind == "resident" and "household" in changes:
                members.get(row["household"], set()).discard(record)
                members.setdefault(changes["household"], set()).add(record)
            row.update(changes, updated_at=happened_at[:10])
            if kind == "household" and "grid" in changes:
                for member in members.get(record, ()):
                    out["resident"][member]["grid"] = changes["grid"]
        elif act == "retire":
            row.update(retired=happened_at[:10], retire_reason=details.get("reason"))
    return out


def replay_register(conn) -> tuple[int, Mismatch | None]:
    """(rows checked, the first mismatch or None)."""
    expected = expected_rows(rg.register_events(conn))
    checked = 0
    for kind, table in rg.TABLES.items():
        want = iter(sorted(expected[kind].items()))
        for row in rg.all_rows(conn, table, ("address_key",) if kind == "household" else ()):
            record_id, should = next(want, (None, None))
            if record_id != row["id"] or should is None:
                return checked, (row["id"], "id", record_id, row["id"])
            row["tags"] = json.loads(row["tags"])
            for key in rg.columns(table):
                if should.get(key) != row[key]:
                    return checked, (row["id"], key, should.get(key), row[key])
            if kind == "household" and row["address_key"] != same_key(row["address"]):
                return checked, (row["id"], "address_key", same_key(row["address"]), row["address_key"])
            checked += 1
        missing = next(want, None)
        if missing is not None:
            return checked, (missing[0], "id", missing[0], None)
    visits, recorded = rg.all_visits(conn), rg.visits_from_patrols(conn)
    if visits != recorded:
        household, patrol, day = sorted(visits ^ recorded)[0]
        found = (household, patrol, day) in visits
        return checked, (patrol, "visits", None if found else household, household if found else None)
    return checked, None
