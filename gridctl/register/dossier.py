"""`register show`: one entry; for a household, its 民情档案 in time order.

The 档案 holds the household (门牌, head, tags), its members, and one timeline: every register
event of the household and its members (登记, 变更, 迁移, 注销), every visit with the patrol's
民情日记, and every issue whose 地点 names the 门牌 in its block or community.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridctl.ledger import grids as gq
from gridctl.ledger import ledger
from gridctl.ledger import register as rg
from gridctl.register.service import RegisterEntry, present, present_diff, record_personal, resolve


@dataclass(frozen=True)
class Dossier:
    """`register show`: the entry, for a household its members (for a resident its household), the
    tags of those still registered, and the timeline in time order: plain items, one per register
    event (an add's `entry` a `RegisterEntry`), visit or issue. `as_dict()` is its `--json` object."""

    kind: str
    entry: RegisterEntry
    grid_path: str
    household: RegisterEntry | None
    members: tuple[RegisterEntry, ...]
    tags: tuple[str, ...]
    timeline: tuple[dict, ...]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "entry": self.entry.as_dict(), "grid_path": self.grid_path,
                "household": self.household.as_dict() if self.household else None,
                "members": [m.as_dict() for m in self.members], "tags": list(self.tags),
                "timeline": [item | {"entry": item["entry"].as_dict()} if "entry" in item else item
                             for item in self.timeline]}


def show_entry(db: Path, ref: str, *, personal: bool = False, actor: str | None = None) -> Dossier:
    """The entry (masked unless `personal`), its members if a household, and its timeline."""
    with ledger(db) as conn:
        kind, row = resolve(conn, ref)
        household = row if kind == "household" else (
            rg.get(conn, rg.TABLES["household"], row["household"]) if kind == "resident" else None)
        members = rg.members(conn, household["id"], include_retired=True) if household else []
        subjects = [row["id"]] if household is None or kind != "household" else [row["id"]] + [m["id"] for m in members]
        timeline = [_event_item(e, personal) for e in rg.events_of(conn, subjects)]
        issues = []
        if household is not None:
            timeline += [_visit_item(v) for v in rg.visits_of(conn, household["id"])]
            grids = [g["code"] for g in gq.chain(conn, household["grid"]) if g["level"] in ("block", "community")]
            issues = rg.issues_at(conn, grids, household["address"])
            timeline += [_issue_item(i) for i in issues]
        timeline.sort(key=lambda item: (item["at"], item["order"]))
        grid = gq.resolve_node(conn, row["grid"])
        if personal:
            record_personal(conn, actor, "register show", [row["id"]] + [m["id"] for m in members], {})
    tags = sorted({tag for r in [row, *members] if not r["retired"] for tag in r["tags"]})
    return Dossier(kind, present(kind, row, personal), grid["path"],
                   present("household", household, personal) if household and kind != "household" else None,
                   tuple(present("resident", m, personal) for m in members) if kind == "household" else (),
                   tuple(tags), tuple(timeline))


def _event_item(event: dict, personal: bool) -> dict:
    kind, _, action = event["action"].partition(".")
    details = event["details"]
    item = {"at": event["happened_at"], "order": 0, "type": "register", "subject": event["record"],
            "action": action, "actor": event["actor"], "note": event["note"]}
    if action == "add":
        item["entry"] = present(kind, details["record"], personal)
    elif action in ("update", "move"):
        item["changes"] = present_diff({"id": event["record"], "action": action,
                                        "changes": details["changes"]}, personal)["changes"]
    return item


def _visit_item(visit: dict) -> dict:
    return {"at": f"{visit['date']} 00:00", "order": 1, "type": "visit", "patrol": visit["patrol"],
            "person": visit["person"], "person_name": visit["person_name"], "notes": visit["notes"]}


def _issue_item(issue: dict) -> dict:
    return {"at": issue["reported_at"], "order": 2, "type": "issue", "issue": issue["id"],
            "title": issue["title"], "category": issue["category"], "status": issue["status"],
            "place": issue["place"], "closed_at": issue["closed_at"]}
