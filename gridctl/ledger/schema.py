"""The ledger's schema, as `sqlite_utils.Migrations` applied in order whenever it opens.

`NAMES` lists them without importing sqlite-utils, so opening an up-to-date ledger stays
cheap; `tests/test_ledger_open.py` checks it matches the registered migrations.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("gridctl")


def _run(db: Database, *statements: str) -> None:
    for sql in statements:
        db.execute(sql)


@migrations()
def m001_reference(db: Database) -> None:
    """Grids, people, posts, departments, teams and the duty matrix (定人、定岗、定责)."""
    _run(
        db,
        "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT)",
        """CREATE TABLE grids (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
            parent TEXT REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            kind TEXT, path TEXT NOT NULL, households INTEGER, residents INTEGER,
            extent TEXT, duty_phone TEXT, retired TEXT)""",
        "CREATE INDEX grids_parent ON grids(parent)",
        "CREATE INDEX grids_path ON grids(path)",
        "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT, unit TEXT, retired TEXT)",
        "CREATE INDEX people_name ON people(name)",
        """CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            grid TEXT NOT NULL REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            role TEXT NOT NULL,
            person TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT,
            UNIQUE (grid, role, person, since))""",
        "CREATE INDEX posts_person ON posts(person)",
        """CREATE TABLE departments (
            code TEXT PRIMARY KEY, name TEXT NOT NULL,
            grid TEXT NOT NULL REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            kind TEXT NOT NULL, retired TEXT)""",
        """CREATE TABLE teams (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL,
            leader TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT, retired TEXT)""",
        """CREATE TABLE team_members (
            team TEXT NOT NULL REFERENCES teams(code) DEFERRABLE INITIALLY DEFERRED,
            person TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT, PRIMARY KEY (team, person, since))""",
        "CREATE INDEX team_members_person ON team_members(person)",
        """CREATE TABLE team_grids (
            team TEXT NOT NULL REFERENCES teams(code) DEFERRABLE INITIALLY DEFERRED,
            grid TEXT NOT NULL REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT, PRIMARY KEY (team, grid, since))""",
        "CREATE INDEX team_grids_grid ON team_grids(grid)",
        """CREATE TABLE categories (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, authority TEXT NOT NULL,
            lead_role TEXT NOT NULL, department TEXT, assist TEXT, deadline TEXT NOT NULL,
            origin TEXT NOT NULL, retired TEXT)""",
        """CREATE TABLE loads (
            id INTEGER PRIMARY KEY, loaded_at TEXT NOT NULL, as_of TEXT NOT NULL,
            folder TEXT NOT NULL, digest TEXT NOT NULL, summary TEXT NOT NULL)""",
    )

