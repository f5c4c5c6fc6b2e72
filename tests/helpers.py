"""What the tests share: the real CLI run in-process, `ok()`, YAML folders, and template ledgers.

Tests import from here (`from tests.helpers import ok, run`); fixtures live in conftest.py.
"""

from __future__ import annotations

import ast
import fcntl
import functools
import gc
import hashlib
import json
import shutil
import sqlite3
import sys
import textwrap
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhengzhou"

MINI = """
city: {code: "4101", name: 郑州市}
grids:
  - code: "410105"
    name: 金水区
    children:
      - code: "410105001"
        name: 经八路街道
        children:
          - code: "410105001001"
            name: 黄河路社区
            kind: 社区
            children:
              - {code: "410105001001001", name: 1号楼院, kind: 楼院}
              - {code: "410105001001002", name: 2号楼院, kind: 楼院}
people:
  - {id: P001, name: 王芳, phone: "13800001234", unit: 经八路街道}
  - {id: P002, name: 李强, phone: "13800005678", unit: 市教体局}
  - {id: P003, name: 张敏, unit: 市教体局}
posts:
  - {grid: "410105001001", role: 第一书记, person: P001, since: 2026-01-01}
  - {grid: "410105001001001", role: 网格长, person: P003, since: 2026-01-01}
departments:
  - {code: CG105, name: 金水区城管执法局, grid: "410105", kind: 城市管理}
  - {code: CG4101, name: 郑州市城市管理局, grid: "4101", kind: 城市管理}
  - {code: JT4101, name: 郑州市交通运输局, grid: "4101", kind: 交通运输}
teams:
  - {code: T01, name: 市教体局驻黄河路社区工作队, unit: 市教体局, leader: P002, members: [P003],
     grids: ["410105001001"], since: 2026-01-01}
"""


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None):
        self.exit_code, self.stdout, self.stderr, self.exception = exit_code, stdout, stderr, exception

    def json(self):
        return json.loads(self.stdout)


_command: Any = None


def command() -> Any:
    """The app as a click command, built once per test run as it is once per process in real
    use (typer's `CliRunner.invoke` rebuilds it from the type hints on every call: most of a call's time)."""
    global _command
    if _command is None:
        from gridctl.cli.app import app

        _command = typer.main.get_command(app)
    return _command


def run(*args: Any) -> Result:
    """Run the real CLI in-process; return exit code, stdout and stderr apart.

    What typer's `CliRunner.invoke` does, on the command built once: the runner's isolation
    (captured streams, no colour), `main()` in standalone mode, SystemExit's code as the exit code."""
    runner = CliRunner()
    cli = command()
    exit_code, exception = 0, None
    with runner.isolation() as (out, err, _):
        try:
            cli.main(args=[str(a) for a in args], prog_name=runner.get_default_prog_name(cli))
        except SystemExit as exc:
            code = exc.code
            if code is None:
                code = 0
            if code != 0:
                exception = exc
            if not isinstance(code, int):
                sys.stdout.write(f"{code}\n")
                code = 1
            exit_code = code
        except Exception as exc:
            exception, exit_code = exc, 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
    decode = lambda data: data.decode(runner.charset, "replace").replace("\r\n", "\n")  # noqa: E731
    return Result(exit_code, decode(stdout), decode(stderr), exception)


def ok(*args: Any, by: str = "P001", db: Path | None = None) -> Any:
    """Run a command as `by` (on `db`, else the test's ledger) with --json; it must succeed."""
    result = run(*(("--db", db) if db else ()), "--by", by, *args, "--json")
    assert result.exit_code == 0, (args, result.stderr)
    return result.json()


def tables_put_off(monkeypatch: Any, module: Any) -> list[str]:
    """`module.indexes_put_off` made to note the table of each call (the list returned): which
    imports or merges made their indexes once at the end."""
    done: list[str] = []
    original = module.indexes_put_off

    def counted(conn: sqlite3.Connection, table: str) -> Any:
        done.append(table)
        return original(conn, table)

    monkeypatch.setattr(module, "indexes_put_off", counted)
    return done


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


class Templates:
    """Ledgers built once per test run through the real CLI, copied for each test that uses one.

    `build(path)` writes the ledger at `path` (with `--db path`) and may return what the tests
    need to know about it (ids, as JSON); `copy` returns that. The folder may be shared by the
    processes of one run (pytest-xdist's workers): the first to need a template builds it under
    a lock while the others wait, then each copies the same file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, tuple[Path, Any]] = {}

    def copy(self, name: str, build: Callable[[Path], Any], to: Path) -> Any:
        if name not in self.built:
            self.built[name] = self._made(name, build)
        path, made = self.built[name]
        shutil.copy(path, to)
        return made

    def _made(self, name: str, build: Callable[[Path], Any]) -> tuple[Path, Any]:
        path, said = self.folder / f"{name}.db", self.folder / f"{name}.json"
        with open(self.folder / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                building = self.folder / "building" / name / f"{name}.db"
                building.parent.mkdir(parents=True)
                said.write_text(json.dumps(build(building)), encoding="utf-8")
                building.rename(path)       # whole: a process that finds it finds it built
        return path, json.loads(said.read_text(encoding="utf-8"))


def load_example(db: Path, as_of: str = "2026-11-26", node: str | None = None, folder: Path = EXAMPLE) -> None:
    """A ledger with the example city loaded (for the office at `node`, if given)."""
    if node:
        assert run("--db", db, "init", "--node", node).exit_code == 0
    result = run("--db", db, "load", folder, "--as-of", as_of)
    assert result.exit_code == 0, result.stderr


def conduct_year(db: Path) -> dict:
    """`demo --scale township --seed 2 --conduct` into `db` (a year of issues, patrols, meetings and
    surveys); what it printed with --json."""
    result = run("demo", "--scale", "township", "--seed", "2", "-o", db.with_suffix(".city"), "--db", db,
                 "--conduct", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


FORTNIGHT_UNIT = "金水区/经八路街道"
FORTNIGHT_BLOCKS = ["410105001001001", "410105001002002", "410105001003003", "410105001004004"]
FORTNIGHT_CATEGORIES = ["非法建设", "环境卫生", "占道", "矛盾纠纷", "道路"]

def scripted_fortnight(db: Path) -> list[str]:
    """Issues and patrols over 2026-W46 and W47 at 经八路街道 (and one elsewhere), on the example city."""
    load_example(db)
    step = functools.partial(ok, db=db)
    ids = []
    for n in range(12):
        day = 9 + n % 5 if n < 6 else 16 + n % 5
        at = f"2026-11-{day:02d} 09:{n:02d}"
        ids.append(step("issue", "add", "-g", FORTNIGHT_BLOCKS[n % 4], "-c", FORTNIGHT_CATEGORIES[n % 5],
                        "-s", ["巡查发现", "热线电话", "群众举报"][n % 3], "-t", f"问题{n}", "--at", at)["id"])
        if n % 4 != 3:
            step("issue", "accept", ids[-1], "--at", f"2026-11-{day:02d} 10:{n:02d}")
        if n % 4 == 0:
            step("issue", "dispatch", ids[-1], "--at", f"2026-11-{day:02d} 11:00")
            step("issue", "handle", ids[-1], "--at", f"2026-11-{day:02d} 15:00")
            step("issue", "close", ids[-1], "--at", f"2026-11-{day:02d} 16:00")
    step("issue", "add", "-g", "410108001001001", "-c", "占道", "-s", "patrol", "-t", "别处", "--at", "2026-11-17 09:00")
    for day in ("2026-11-10", "2026-11-17"):
        step("patrol", "add", "-p", "P007", "-g", FORTNIGHT_BLOCKS[0], "-d", day, "--households", "6")
        step("patrol", "add", "-p", "P102", "-g", FORTNIGHT_BLOCKS[0], "-d", day, "--households", "3")
    step("meeting", "add", "--unit", "T01", "-d", "2026-11-18", "--kind", "碰头会", "--attendees", "P101,P102")
    return ids


@functools.cache
def source_nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a Python file's syntax tree, in `ast.walk`'s order, parsed and walked once per
    run: the architecture and catalogue checks (test_architecture, test_messages) each read all of
    gridctl's modules. The cyclic collector is paused meanwhile: a tree holds no cycles, and each of
    the ~290k nodes it made count towards collections that walked the nodes kept so far (1.0-1.25 s
    of CPU for gridctl's and the tests' files, 0.53-0.56 s paused)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))))
    finally:
        if enabled:
            gc.enable()


_DUMPS: dict[bytes, str] = {}
"""Dumps by the bytes of the files they were read from (`_files`): at most `_KEPT`, each under 4 MB."""
_KEPT = 64


def _files(db: Path) -> bytes:
    """A digest of the ledger's file and its write-ahead log: the same bytes hold the same rows."""
    digest = hashlib.blake2b()
    for path in (Path(db), Path(f"{db}-wal")):
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            pass
        digest.update(b"\0")
    return digest.digest()


def dump(db: Path) -> str:
    """The whole ledger as SQL text: a refusal must leave it byte for byte as it was.

    Files byte for byte those of a ledger dumped before (a template's copy; a ledger a refusal
    left untouched) give that dump again: a dump was ~12 ms, most of them of files seen already."""
    before = _files(db)
    if before in _DUMPS:
        return _DUMPS[before]
    with closing(sqlite3.connect(db)) as conn:
        text = "\n".join(conn.iterdump())
    if len(text) < 4_000_000:
        if len(_DUMPS) >= _KEPT:
            del _DUMPS[next(iter(_DUMPS))]
        _DUMPS[before] = _DUMPS[_files(db)] = text     # and as closing it left them (a checkpoint)
    return text
