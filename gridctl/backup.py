"""`gridctl backup FILE` and `gridctl restore FILE`: copies an office can trust.

A backup is SQLite's online backup (a consistent snapshot while other clerks write) into a
temporary file beside FILE, verified — SQLite's integrity_check and the whole event chain — and
only then renamed to FILE. A restore verifies FILE the same way (on a copy, so an older backup
is upgraded on the copy, never in place), refuses a backup of another office, and then writes it
into the live ledger in one SQLite transaction: readers see the old ledger or the restored one.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from gridctl import filekind
from gridctl.errors import LedgerError
from gridctl.ledger import backup as bq
from gridctl.ledger.db import environment_error
from gridctl.messages import reason, t
from gridctl.outfile import not_a_file, replacing, same_file
from gridctl.register.identity import copy_key, key_path


def _verified(path: Path, label: Path, key: str = "backup.not_whole") -> dict:
    """verify --deep on `path`: integrity, the chains, the projections; LedgerError if not whole."""
    from gridctl.verify import verify_ledger

    try:
        result = verify_ledger(path, deep=True)
    except LedgerError as exc:
        raise LedgerError(key, file=label, problem=exc) from None
    if not result["ok"]:
        problem = (result["break"] or {}).get("message") or (result["projection"] or {}).get("mismatch", {}).get("message")
        raise LedgerError(key, file=label, problem=problem)
    return result


def is_own_file(db: Path, path: Path) -> bool:
    """Whether `path` is the ledger's file, its 身份证号 key or one of SQLite's files beside it."""
    own = [Path(db), key_path(Path(db)), *(Path(f"{db}{suffix}") for suffix in bq.SIDE_FILES)]
    return Path(path).resolve() in [one.resolve() for one in own]


def backup(db: Path, target: Path) -> dict:
    if not Path(db).is_file():
        raise LedgerError("backup.no_ledger", path=db)
    if is_own_file(db, target):         # the ledger's own file, its key, …
        raise LedgerError("backup.onto_ledger", path=target)
    with replacing(target) as temporary:
        temporary.unlink()
        try:
            bq.copy_out(Path(db), temporary)
        except bq.CannotWrite as exc:  # the copy: no room, or over `ulimit -f`
            _remove_side_files(temporary)
            raise environment_error(exc, target) or LedgerError("ledger.io_error", path=target) from None
        except bq.NotALedger as exc:   # the ledger itself is not SQLite: restore is the cure
            _remove_side_files(temporary)
            raise LedgerError("ledger.not_sqlite", path=db, error=reason(exc)) from None
        result = _verified(temporary, Path(db), "backup.ledger_not_whole")
        bq.self_contained(temporary)       # verify opened it in WAL mode: back to one file
    copy_key(Path(db), Path(target))       # the register's 身份证号 key goes with it (#17)
    return {"file": str(target), "events": result["events"], "offices": result["offices"]}


def _remove_side_files(path: Path) -> None:
    """The journal SQLite left beside a copy it could not finish (the copy itself goes with `replacing`)."""
    for suffix in bq.SIDE_FILES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def restore(db: Path, source: Path, force: bool = False) -> dict:
    """The live ledger becomes the verified backup `source`. Events the ledger holds and the backup
    does not (recorded since it was made, or another history) would be lost: refused unless `force`
    (a backup picked by mistake silently dropped the day's work); a ledger that cannot be read is
    what restore is for, and is replaced as before."""
    source, db = Path(source), Path(db)
    if source.is_dir():                              # `restore 备份/`: a folder, not a missing file
        raise LedgerError("backup.is_dir", path=source)
    if not source.is_file():        # a pipe, a device or a looping link is there, but not as a file
        raise not_a_file(source) or LedgerError("backup.no_ledger", path=source)
    if same_file(source, db):       # `restore z.db` on z.db: it said 已从 z.db 恢复台账 z.db, having done nothing
        raise LedgerError("backup.from_itself", path=source)
    _refuse_other_kind(source)
    with tempfile.TemporaryDirectory(dir=db.parent if db.parent.is_dir() else None) as scratch:
        copy = Path(scratch) / "restore.db"
        try:
            bq.copy_out(source, copy)                 # through SQLite: a WAL beside it counts too
        except bq.NotALedger as exc:
            raise LedgerError("backup.not_whole", file=source, problem=reason(exc)) from None
        if not bq.is_ledger(copy):                    # an empty file, another program's database
            raise LedgerError("backup.not_a_ledger", file=source)
        result = _verified(copy, source)              # upgrades the copy if it is older
        if db.exists():
            try:
                current, wanted = bq.node_of(db), bq.node_of(copy)
            except bq.NotALedger:  # a damaged live ledger is what restore is for
                current = wanted = None
            if (current or "") != (wanted or ""):          # no node row: the city platform
                raise LedgerError("backup.other_office", file=source, node=wanted or t("ledger.city"), here=current or t("ledger.city"))
        dropped = _dropped(db, copy)
        if dropped[0] and not force:
            raise LedgerError("backup.would_lose", db=db, file=source, n=dropped[0], latest=dropped[1])
        result["dropped"] = dropped[0]
        try:
            bq.copy_into(copy, db)
        except bq.Busy:
            raise LedgerError("ledger.busy", path=db) from None
        except bq.NotALedger:             # the live file is not SQLite any more
            aside = db.with_name(f"{db.name}.damaged-{datetime.now():%Y%m%d%H%M%S}")
            db.rename(aside)
            for suffix in ("-wal", "-shm"):
                db.with_name(db.name + suffix).unlink(missing_ok=True)
            bq.self_contained(copy)
            with replacing(db) as temporary:
                shutil.copyfile(copy, temporary)
            result["damaged_kept_as"] = str(aside)
    copy_key(source, db)
    return {"file": str(source), "events": result["events"], "offices": result["offices"],
            "dropped": result.get("dropped", 0)}


def _refuse_other_kind(source: Path) -> None:
    """A bundle, a workbook or a text file given to `restore` is said as the file it is and the
    command that reads it (it was `未通过核验, 未使用: 不是数据库文件`); a backup compressed with gzip
    is to be unpacked first. Bytes of no kind are a damaged backup, said by the copy below."""
    kind = filekind.kind_of(source)
    if kind == "bundle":
        raise LedgerError("backup.is_bundle", file=source)
    if kind == "packed_sqlite":
        raise LedgerError("backup.is_packed", file=source)
    if kind in ("zip", "gzip", "text", "bundle_text"):
        raise LedgerError("backup.is_other", file=source, what=t(f"kind.{kind}"))


def _dropped(db: Path, copy: Path) -> tuple[int, str]:
    """How many events of the live ledger the backup lacks, and when the latest was recorded (as
    the ledger shows a time); (0, "") when none, or when the ledger cannot be read (damaged)."""
    if not db.exists():
        return 0, ""
    try:
        lost, latest = bq.events_not_in(db, copy)
    except bq.NotALedger:
        return 0, ""
    return lost, (latest or "").replace("T", " ")[:16]
