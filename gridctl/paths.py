"""Where gridctl finds its default configuration and the ledger."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_DB = "gridctl.db"


def configs_dir() -> Path:
    """`GRIDCTL_CONFIGS`, else the checkout's `configs/`, else the installed copy."""
    if os.environ.get("GRIDCTL_CONFIGS"):
        return Path(os.environ["GRIDCTL_CONFIGS"])
    checkout = Path(__file__).resolve().parent.parent / "configs"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "gridctl" / "configs"


def db_path(explicit: str | None = None) -> Path:
    return Path(explicit or os.environ.get("GRIDCTL_DB") or DEFAULT_DB)
