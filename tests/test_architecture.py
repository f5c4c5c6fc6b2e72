"""The house rules, read from the source with `ast` (gridctl/docs.md describes the layering):
SQL only in `ledger/`, no cycles between gridctl's packages, the core never imports `cli/`,
typer and rich only in `cli/`, and every command behind the error guard."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import source_nodes

PACKAGE = Path(__file__).resolve().parent.parent / "gridctl"
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|PRAGMA|"
                 r"WITH\s+\w+\s+AS)\b")

# Files outside ledger/ allowed to hold SQL: none (the last two, reports/monthly.py and backup.py,
# moved theirs into ledger/reports.py and ledger/backup.py). Keep it empty: new SQL goes into a
# ledger/ query module named for what it answers. An entry no longer needed fails the test below.
SQL_OUTSIDE_LEDGER: set[str] = set()

# Package cycles allowed: none (reports ⇄ scoring was broken by moving scoring's config down to
# config/scoring.py). Keep it empty: what two packages both need moves down a layer.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def imported(path: Path) -> set[str]:
    """Every module this file imports, at the top or inside a function (absolute names)."""
    names = set()
    for node in source_nodes(path):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = rel(path).removesuffix(".py").split("/")[:-node.level]
                base = ".".join(package + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return names


def unit(module: str) -> str | None:
    """The package (or top-level module) of gridctl a module belongs to: gridctl.issues.service → issues."""
    parts = module.split(".")
    if parts[0] != "gridctl" or len(parts) < 2:
        return None
    return parts[1] if (PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").exists() else None


def sql_strings(path: Path) -> list[int]:
    """Lines of string literals (f-strings too) that start like SQL."""
    lines = []
    for node in source_nodes(path):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.JoinedStr):
            head = node.values[0] if node.values else None
            if isinstance(head, ast.Constant) and isinstance(head.value, str) and SQL.match(head.value):
                lines.append(node.lineno)
    return lines


def executes(path: Path) -> list[int]:
    """Lines calling `.execute(…)` / `.executemany(…)` / `.executescript(…)` on anything."""
    return [node.lineno for node in source_nodes(path)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany", "executescript")]


def outside(folder: str) -> list[Path]:
    return [p for p in modules() if not rel(p).startswith(f"gridctl/{folder}/")]


def test_sql_only_in_the_ledger():
    found = {}
    for path in outside("ledger"):
        lines = sorted(set(sql_strings(path) + executes(path)))
        if "sqlite3" in imported(path):
            lines.append(0)
        if lines:
            found[rel(path)] = lines
    unexpected = {f: lines for f, lines in found.items() if f not in SQL_OUTSIDE_LEDGER}
    assert not unexpected, f"SQL (or sqlite3) outside gridctl/ledger/, file → lines: {unexpected}"
    stale = sorted(set(SQL_OUTSIDE_LEDGER) - set(found))
    assert not stale, f"no SQL left in {stale}: take them off SQL_OUTSIDE_LEDGER"


def dependencies() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in modules():
        own = unit("gridctl." + rel(path).removeprefix("gridctl/").removesuffix(".py").replace("/", "."))
        if own is None:
            continue
        targets = {unit(m) for m in imported(path)} - {None, own}
        graph.setdefault(own, set()).update(t for t in targets if t)
    return graph


def cycle_edges(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Every edge a → b that lies on a cycle (b reaches a again)."""

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        return False

    return {(a, b) for a, targets in graph.items() for b in targets if reaches(b, a)}


def test_no_cycles_between_packages():
    edges = cycle_edges(dependencies())
    assert not edges - KNOWN_CYCLE_EDGES, f"imports that close a cycle between packages: {sorted(edges - KNOWN_CYCLE_EDGES)}"
    stale = sorted(KNOWN_CYCLE_EDGES - edges)
    assert not stale, f"these cycle edges are gone: take them off KNOWN_CYCLE_EDGES: {stale}"


def test_the_cycle_finder_finds_a_cycle():
    assert cycle_edges({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b"), ("b", "c"), ("c", "a")}


def test_the_core_never_imports_the_cli():
    bad = {rel(p): sorted(m for m in imported(p) if m == "gridctl.cli" or m.startswith("gridctl.cli."))
           for p in outside("cli") if rel(p) != "gridctl/__main__.py"}
    assert not {f: m for f, m in bad.items() if m}


def test_typer_and_rich_only_in_the_cli():
    bad = {rel(p): sorted(m for m in imported(p) if m.split(".")[0] in ("typer", "rich", "click"))
           for p in outside("cli")}
    assert not {f: m for f, m in bad.items() if m}


def commands():
    from gridctl.cli.app import COMMANDS, Command, _module_app

    for name, entry in COMMANDS.items():
        for where in ([entry.module] if isinstance(entry, Command) else entry.modules):
            for info in _module_app(where).registered_commands:
                if isinstance(entry, Command) and (info.name or info.callback.__name__.replace("_", "-")) != name:
                    continue
                yield f"{name} {info.name or info.callback.__name__}", info.callback


def test_every_command_is_behind_the_error_guard():
    from gridctl.cli.common import guarded

    guard = guarded()(lambda: None).__code__           # every guarded command runs this wrapper
    found = list(commands())
    assert len(found) > 40
    unguarded = [name for name, callback in found if getattr(callback, "__code__", None) is not guard]
    assert not unguarded, f"commands not wrapped by cli.common.guarded: {unguarded}"


BASE = {"errors", "messages", "timefmt", "bounds", "text", "paths", "progress", "collector", "interrupts"}
STORE = {"ledger", "metrics", "config", "routing"}


def test_the_layers_of_docs_md_hold():
    """cli → services → ledger/metrics/config/routing → base: a layer imports only its own and lower ones."""
    wrong = []
    for unit_, targets in dependencies().items():
        allowed = BASE if unit_ in BASE else BASE | STORE if unit_ in STORE else None
        if allowed is not None:
            wrong += [f"{unit_} → {t}" for t in sorted(targets - allowed)]
    assert wrong == []


def test_no_test_imports_conftest():
    """Fixtures live in conftest.py, shared helpers in tests/helpers.py: a test importing conftest
    as a module would run its setup twice under two names."""
    tests = Path(__file__).resolve().parent
    importers = [p.name for p in sorted(tests.rglob("*.py"))      # parsed only where the name is written
                 if "conftest" in p.read_text(encoding="utf-8") and {"conftest", "tests.conftest"} & imported(p)]
    assert importers == []
