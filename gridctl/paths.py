"""Where gridctl finds its default configuration and the ledger."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "gridctl.db"


def configs_dir() -> Path:
    """`GRIDCTL_CONFIGS`, else the checkout's `configs/` (the copy to edit), else the copy a
    wheel carries as package data (`gridctl/configs/`, built from `configs/` by setup.py)."""
    if os.environ.get("GRIDCTL_CONFIGS"):
        folder = Path(os.environ["GRIDCTL_CONFIGS"])
        if not folder.is_dir():     # a typo in the variable: said as that, not as each file missing
            from gridctl.errors import GridctlError

            raise GridctlError("config.configs_not_a_folder", path=folder)
        return folder
    return shipped_configs()


def shipped_configs() -> Path:
    """The defaults gridctl comes with, whatever `GRIDCTL_CONFIGS` says: the checkout's `configs/`,
    else the wheel's package data. Their comments say what each key means."""
    checkout = Path(__file__).resolve().parent.parent / "configs"
    if (checkout / "duties.yaml").is_file():
        return checkout
    from importlib import resources  # only an installed wheel's: its import costs a start-up ~2 ms

    return Path(str(resources.files("gridctl").joinpath("configs")))


def db_path(explicit: str | None = None) -> Path:
    return Path(explicit or os.environ.get("GRIDCTL_DB") or DEFAULT_DB)
