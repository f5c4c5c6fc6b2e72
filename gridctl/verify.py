"""`gridctl verify`: prove the event log is intact, or name the first event that is not."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from gridctl.ledger import ledger
from gridctl.ledger.events import offices, verify_chain
from gridctl.messages import t


def verify_ledger(db: Path) -> dict:
    """Walk every office's chain; stop at the first break."""
    with ledger(db) as conn:
        total, checked = 0, []
        for office in offices(conn):
            count, broken = verify_chain(conn, office)
            total += count
            checked.append(office)
            if broken:
                message = t(f"verify.{broken.kind}", **asdict(broken))
                return {"ok": False, "events": total, "offices": checked,
                        "break": asdict(broken) | {"message": message}}
        return {"ok": True, "events": total, "offices": checked, "break": None}
