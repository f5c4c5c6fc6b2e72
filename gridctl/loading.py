"""The load pipeline: read YAML → validate → persist the difference (`check`, `load`)."""

from __future__ import annotations

from pathlib import Path

from gridctl.config import Config, load_config
from gridctl.errors import InputProblems, Problem
from gridctl.ledger import ledger, ledger_node
from gridctl.ledger.reference import LoadSummary, apply_config
from gridctl.progress import QUIET, Meter
from gridctl.timefmt import as_of_day


def check_folder(folder: Path) -> Config:
    """Validate a folder of YAML; raise InputProblems carrying every problem found."""
    config, problems = load_config(Path(folder))
    if problems:
        raise InputProblems(problems)
    return config


def load_folder(db: Path, folder: Path, as_of: str | None = None, meter: Meter = QUIET) -> LoadSummary:
    """Validate, then write the difference into the ledger in one transaction."""
    config = check_folder(folder)
    as_of = as_of_day(as_of)
    with ledger(db) as conn:
        node = ledger_node(conn)
        if node and node not in config.grids:
            raise InputProblems([Problem(str(folder), None, "grids",
                                         "ledger.node_not_in_grids", {"node": node})])
        return apply_config(conn, config, as_of, str(folder), meter)
