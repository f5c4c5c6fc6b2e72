"""`gridctl verify`: prove the event log is intact, or name the first event that is not."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from gridctl.ledger import ledger
from gridctl.ledger.events import verify_chains
from gridctl.messages import t


def verify_ledger(db: Path) -> dict:
    """Walk every office's chain; stop at the first break."""
    with ledger(db) as conn:
        counts, broken = verify_chains(conn)
    result = {"ok": broken is None, "events": sum(counts.values()), "offices": sorted(counts),
              "break": None}
    if broken:
        result["break"] = asdict(broken) | {"message": t(f"verify.{broken.kind}", **asdict(broken))}
    return result
