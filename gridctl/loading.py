"""The load pipeline: read YAML → validate → persist the difference (`check`, `load`)."""

from __future__ import annotations

from pathlib import Path

from gridctl.config import Config, load_config
from gridctl.errors import InputProblems, Problem
from gridctl.ledger import grids as gq
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


def load_folder(db: Path, folder: Path, as_of: str | None = None, meter: Meter = QUIET,
                retire_districts: bool = False) -> LoadSummary:
    """Validate, then write the difference into the ledger in one transaction. A folder that
    lacks a whole district the ledger holds is refused unless `retire_districts` says so."""
    config = check_folder(folder)
    as_of = as_of_day(as_of)
    with ledger(db) as conn:
        node = ledger_node(conn)
        if node and node not in config.grids:
            raise InputProblems([Problem(str(folder), None, "grids",
                                         "ledger.node_not_in_grids", {"node": node})])
        if not retire_districts:
            _no_district_missing(conn, config, folder)
        return apply_config(conn, config, as_of, str(folder), meter)


def _no_district_missing(conn, config: Config, folder: Path) -> None:
    """A district (县区) the ledger holds, absent from the folder, is most likely its file left
    behind (a copy of the folder without `jinshui.yaml`): loaded as it was, every grid of it
    was retired, every post in it ended and its people retired, exit 0. Refused, naming the
    districts; `load --retire-districts` when the city has in fact given one up (区划调整)."""
    missing = {code: name for code, name in gq.current_districts(conn).items() if code not in config.grids}
    if missing:
        names = "、".join(f"{name} ({code})" for code, name in missing.items())
        raise InputProblems([Problem(str(folder), None, "grids", "load.district_missing",
                                     {"districts": names, "count": len(missing)})])
