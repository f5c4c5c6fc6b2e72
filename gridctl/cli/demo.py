"""`demo`: write a synthetic city, and optionally fill a ledger with a year of issues."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gridctl.cli.common import STATE, JsonOption, emit_json, guarded, group
from gridctl.cli.render import progress
from gridctl.messages import t


class Scale(str, Enum):
    township = "township"
    district = "district"
    city = "city"


@guarded(outputs=())  # -o is a folder here
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="opt.demo.output")],
    scale: Annotated[Scale, typer.Option("--scale", help="opt.scale")] = Scale.township,
    seed: Annotated[int, typer.Option("--seed", help="opt.seed")] = 1,
    db: Annotated[Optional[Path], typer.Option("--db", help="opt.demo.db")] = None,
    issues: Annotated[int, typer.Option("--issues", min=0, help="opt.issues")] = 0,
    conduct: Annotated[bool, typer.Option("--conduct", help="opt.conduct")] = False,
    register: Annotated[bool, typer.Option("--register", help="opt.register")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    from gridctl.demo import write_demo

    if issues or conduct:
        from gridctl.issues.demo import refuse_second_run

        refuse_second_run(db or STATE.db, bool(issues), conduct)
    with progress("progress.demo", as_json):
        counts = write_demo(output, scale.value, seed)
    if register:
        from gridctl.register.demo import write_register

        sheets = write_register(output, seed)
        counts |= {f"register_{k}": v for k, v in sheets.items() if k != "files"}
    filled = {}
    if issues or db or conduct or register:
        from gridctl.issues.demo import fill_issues
        from gridctl.loading import load_folder

        ledger_path = db or STATE.db
        load_folder(ledger_path, output, as_of="2025-01-01")
        if issues:
            with progress("progress.demo", as_json):
                filled = fill_issues(ledger_path, issues, seed)
        if conduct:
            from gridctl.records.demo import fill_conduct

            with progress("progress.demo", as_json):
                filled |= fill_conduct(ledger_path, seed)
        if register:
            from gridctl.register.transfer import import_register

            for households, residents in sheets["files"]:
                for path in (households, residents):
                    result = import_register(ledger_path, Path(path), synthetic=True)
                    filled[f"register_{result.kind}s"] = filled.get(f"register_{result.kind}s", 0) + result.added
    if as_json:
        emit_json({"folder": str(output), "scale": scale.value, "seed": seed, "counts": counts,
                   "issues": filled})
        return
    typer.echo(t("demo.written", folder=output, summary=_summary(counts)))
    if filled:
        typer.echo(t("demo.filled", summary=_summary(filled)))


def _summary(counts: dict[str, int]) -> str:
    """`职能部门 20, 人员 9121`: each count under its word (a record kind under its own)."""
    from gridctl.messages import CATALOGUE

    def word(key: str) -> str:
        for prefix in ("demo.n.", "kind."):
            if prefix + key in CATALOGUE:
                return t(prefix + key)
        return key

    return ", ".join(f"{word(k)} {v}" for k, v in counts.items())


app = group()
app.command()(demo)
