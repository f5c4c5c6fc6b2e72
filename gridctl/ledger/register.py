"""SQL for the base register (households, residents, places, organisations) and visits.

Every row is the projection of its events: `apply_event` is the one writer, used when an
event is recorded here and when it arrives in a merged bundle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from gridctl import bounds
from gridctl.text import names_within, same_key


@dataclass(frozen=True)
class Table:
    kind: str          # household
    table: str         # households
    letter: str        # H: ids look like 410105001-H000001
    fields: tuple[str, ...]


TABLES = {t.kind: t for t in (
    Table("household", "households", "H", ("grid", "address", "head", "size", "phone")),
    Table("resident", "residents", "R", ("household", "grid", "name", "gender", "birth_year", "id_hash",
                                         "id_last4", "residence", "phone")),
    Table("place", "places", "L", ("grid", "kind", "name", "address", "contact", "phone")),
    Table("org", "orgs", "O", ("grid", "kind", "name", "address", "contact", "phone")),
)}
COMMON = ("id", "office", "seq")
END = ("tags", "note", "added_at", "updated_at", "retired", "retire_reason")


def columns(table: Table) -> tuple[str, ...]:
    return COMMON + table.fields + END


def table_of(record_id: str) -> Table | None:
    """The register table an id (`410105001-H000001`) belongs to, by its letter."""
    office, _, rest = record_id.rpartition("-")
    return next((tb for tb in TABLES.values() if office and rest[:1] == tb.letter and rest[1:].isdigit()), None)


def _row(table: Table, values) -> dict:
    row = dict(zip(columns(table), values))
    row["tags"] = json.loads(row["tags"])
    return row


def _select(conn, table: Table, where: str, params=(), tail: str = "") -> list[dict]:
    sql = f"SELECT {', '.join(columns(table))} FROM {table.table} WHERE {where} {tail}"
    return [_row(table, r) for r in conn.execute(sql, params)]


def next_seq(conn, table: Table, office: str) -> int:
    row = conn.execute(f"SELECT max(seq) FROM {table.table} WHERE office = ?", (office,)).fetchone()
    return (row[0] or 0) + 1


def get(conn, table: Table, record_id: str) -> dict | None:
    found = _select(conn, table, "id = ?", (record_id,))
    return found[0] if found else None


def by_seq(conn, table: Table, office: str, seq: int) -> dict | None:
    found = _select(conn, table, "office = ? AND seq = ?", (office, seq))
    return found[0] if found else None


def household_at(conn, grid: str, address: str) -> dict | None:
    """The live household at this 门牌 of this grid, the 门牌 compared as `text.same_key` (`１２号楼`
    is `12号楼`); of two a ledger already holds so, the one written as `address`, else the first."""
    found = _select(conn, TABLES["household"], "address_key = ? AND grid = ? AND retired IS NULL",
                    (same_key(address), grid), "ORDER BY seq")
    return next((h for h in found if h["address"] == address), found[0] if found else None)


def households_sharing_a_key(conn) -> list[dict]:
    """Live households of one grid whose 门牌 are one as `text.same_key` compares them: a ledger
    written before m027 (whose key kept letter case and the blanks inside) may hold `A座 1 号楼` and
    `a座1号楼` apart. Each group: its grid and its households as `id (门牌)`, in the order written."""
    rows = conn.execute("""
        SELECT grid, group_concat(id || ' (' || address || ')', '、') FROM (
            SELECT grid, address_key, id, address FROM households
            WHERE retired IS NULL AND (grid, address_key) IN (
                SELECT grid, address_key FROM households WHERE retired IS NULL
                GROUP BY grid, address_key HAVING count(*) > 1)
            ORDER BY grid, address_key, seq)
        GROUP BY grid, address_key ORDER BY grid, address_key""")
    return [{"grid": grid, "households": households} for grid, households in rows]


def households_by_address(conn, address: str, grid_prefix: str = "") -> list[dict]:
    """Live households whose 门牌 is `address` (as `text.same_key` compares it), in grids under
    `grid_prefix`."""
    return _select(conn, TABLES["household"], "address_key = ? AND retired IS NULL AND grid >= ? AND grid < ?",
                   (same_key(address), grid_prefix, grid_prefix + ":"), "ORDER BY id LIMIT 20")


def find_household(conn, ref: str, grid_prefix: str, office: str) -> list[dict]:
    """Live households under `grid_prefix` named by id (`410105001-H000012`), short id (`H12`)
    or 门牌; more than one means the 门牌 is ambiguous there."""
    table, ref = TABLES["household"], ref.strip()
    if table_of(ref) is table:
        rows = _select(conn, table, "id = ? AND retired IS NULL", (ref,))
    elif ref[:1] in ("H", "h") and bounds.short_number(ref[1:]) is not None:
        rows = _select(conn, table, "office = ? AND seq = ? AND retired IS NULL", (office, bounds.short_number(ref[1:])))
    else:
        rows = households_by_address(conn, ref, grid_prefix)
    return [r for r in rows if r["grid"].startswith(grid_prefix)]


def live_households(conn, grids: list[str]) -> list[dict]:
    """The live households of the grids an import touches, in the order written."""
    out: list[dict] = []
    for i in range(0, len(grids), 500):
        part = grids[i:i + 500]
        out += _select(conn, TABLES["household"], f"grid IN ({_marks(part)}) AND retired IS NULL", part, "ORDER BY seq")
    return out


def retired_at(conn, table: Table, grids: list[str]) -> dict[tuple, dict]:
    """The retired entries of `table` in these grids by what an import matches them on (a
    household by grid and 门牌, a place or organisation by grid, kind and name; a resident by
    身份证号 hash, and by household and name; 门牌 and names as `text.same_key` compares them),
    the last retired of each."""
    out: dict[tuple, dict] = {}
    for i in range(0, len(grids), 500):
        part = grids[i:i + 500]
        for row in _select(conn, table, f"grid IN ({_marks(part)}) AND retired IS NOT NULL", part, "ORDER BY seq"):
            if table.table == "households":
                out[(row["grid"], same_key(row["address"]))] = row
            elif table.table == "residents":
                if row["id_hash"]:
                    out[("id", row["id_hash"])] = row
                out[(row["household"], same_key(row["name"]))] = row
            else:
                out[(row["grid"], row["kind"], same_key(row["name"]))] = row
    return out


def residents_of(conn, households: list[str]) -> list[dict]:
    out = []
    for i in range(0, len(households), 500):
        part = households[i:i + 500]
        out += _select(conn, TABLES["resident"], f"household IN ({_marks(part)}) AND retired IS NULL", part,
                       "ORDER BY household, seq")
    return out


def residents_by_hash(conn, hashes: list[str]) -> dict[str, dict]:
    out = {}
    for i in range(0, len(hashes), 500):
        part = hashes[i:i + 500]
        for row in _select(conn, TABLES["resident"], f"id_hash IN ({_marks(part)}) AND retired IS NULL", part):
            out[row["id_hash"]] = row
    return out


def members(conn, household: str, include_retired: bool = False) -> list[dict]:
    live = "" if include_retired else " AND retired IS NULL"
    return _select(conn, TABLES["resident"], f"household = ?{live}", (household,), "ORDER BY seq")


def _marks(items) -> str:
    return ", ".join("?" * len(items))


def listing(conn, table: Table, grid: str, tag: str | None, retired: bool, limit: int | None) -> list[dict]:
    """Rows of a table in grids under `grid`, with a tag if given, in id order."""
    where, params = "grid >= ? AND grid < ?", [grid, grid + ":"]
    if not retired:
        where += " AND retired IS NULL"
    if tag:
        where += " AND tags LIKE ?"
        params.append(f'%{json.dumps(tag, ensure_ascii=False)}%')
    tail = "ORDER BY grid, seq" + (f" LIMIT {int(limit)}" if limit else "")
    return _select(conn, table, where, params, tail)


def search(conn, table: Table, text: str | None, id_hash: str | None, limit: int) -> list[dict]:
    """Rows whose name, address, head or contact contains `text`, or whose 身份证号 hash is `id_hash`."""
    terms, params = [], []
    if text:
        text_cols = [c for c in ("name", "address", "head", "contact") if c in table.fields]
        terms += [f"{c} LIKE ?" for c in text_cols]
        params += [f"%{text}%"] * len(text_cols)
    if id_hash and "id_hash" in table.fields:
        terms.append("id_hash = ?")
        params.append(id_hash)
    if not terms:
        return []
    return _select(conn, table, f"({' OR '.join(terms)})", params,
                   f"ORDER BY retired IS NOT NULL, grid, seq LIMIT {int(limit)}")


def counts(conn, grid: str, then: Changed | None = None) -> dict[str, int]:
    """Live households and residents in the register under `grid` (0 when none): now, or at the
    end of `then.day` (`changed_after`): those registered by then and not yet retired, each in the
    grid it was in then."""
    out = {}
    for kind in ("household", "resident"):
        if then is None:
            row = conn.execute(f"SELECT count(*) FROM {TABLES[kind].table} WHERE grid >= ? AND grid < ? "
                               "AND retired IS NULL", (grid, grid + ":")).fetchone()
            out[kind] = row[0]
            continue
        row = conn.execute(f"SELECT count(*) FROM {TABLES[kind].table} WHERE grid >= ? AND grid < ? "
                           "AND retired IS NULL AND added_at <= ?", (grid, grid + ":", then.day)).fetchone()
        changed = then.households if kind == "household" else then.residents
        out[kind] = (row[0] - sum(_under(grid, now) for now, _ in changed.values())
                     + sum(_under(grid, was) for _, was in changed.values()))
    return out


def _under(grid: str, code: str | None) -> bool:
    """Whether `code` is `grid` or below it (as `grid >= ? AND grid < ? || ':'` selects)."""
    return code is not None and grid <= code < grid + ":"


@dataclass(frozen=True)
class Changed:
    """The register's entries that moved or were retired after `day`: id → (the grid it is counted
    in now, or None; the grid it was in at the end of `day`, or None where it was not registered
    then). Every other entry stood then as it is stored now (or was not yet added)."""
    day: str
    households: dict[str, tuple[str | None, str | None]]
    residents: dict[str, tuple[str | None, str | None]]


def _day_after(day: str) -> str:
    """The day after `day` (YYYY-MM-DD): the register's changes entered from then on are undone
    to read it as it stood at the end of `day`."""
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


_LATER = ("household.move", "household.retire", "resident.move", "resident.retire")


def changed_after(conn, day: str) -> Changed:
    """What the register changed after `day` (YYYY-MM-DD), read from its move and retire events
    (the register is stamped with the day each change was entered: it can say what it held on a
    day, not what was true then). A household's move takes its members along without events of
    theirs; a resident's move to another household is its own."""
    after = _day_after(day)
    grid_then: dict[str, str] = {}          # household → its grid before its first move after `day`
    household_then: dict[str, str] = {}     # resident → its household before its first move after `day`
    touched: dict[str, set[str]] = {"household": set(), "resident": set()}
    for action, record, details in conn.execute(
            f"SELECT action, record, details FROM events WHERE action IN ({_marks(_LATER)}) "
            "AND record IS NOT NULL AND happened_at >= ? ORDER BY seq", (*_LATER, after)):
        kind, _, verb = action.partition(".")
        touched[kind].add(record)
        changes = json.loads(details or "{}").get("changes", {}) if verb == "move" else {}
        if kind == "household" and "grid" in changes:
            grid_then.setdefault(record, changes["grid"][0])
        elif kind == "resident" and "household" in changes:
            household_then.setdefault(record, changes["household"][0])
    if not (touched["household"] or touched["resident"]):
        return Changed(day, {}, {})
    homes = _rows(conn, "households", "id", touched["household"] | set(grid_then))
    people = _rows(conn, "residents", "id", touched["resident"])
    people.update(_rows(conn, "residents", "household", set(grid_then)))     # moved with their household
    wanted = {household_then.get(r, row["household"]) for r, row in people.items()} - homes.keys()
    homes.update(_rows(conn, "households", "id", wanted))

    def then(row: dict, grid: str | None) -> tuple[str | None, str | None]:
        counted_now = row["grid"] if row["retired"] is None and row["added_at"] <= day else None
        held = row["added_at"] <= day and (row["retired"] is None or row["retired"] > day)
        return counted_now, grid if held else None

    def home_grid(household: str) -> str | None:
        row = homes.get(household)
        return grid_then.get(household, row["grid"] if row else None)

    return Changed(day, {h: then(row, home_grid(h)) for h, row in homes.items()},
                   {r: then(row, home_grid(household_then.get(r, row["household"]))) for r, row in people.items()})


def _rows(conn, table: str, key: str, values: set[str]) -> dict[str, dict]:
    """id → (grid, added_at, retired[, household]) of the rows whose `key` is among `values`."""
    extra = ", household" if table == "residents" else ""
    out: dict[str, dict] = {}
    listed = sorted(values)
    for i in range(0, len(listed), 500):
        part = listed[i:i + 500]
        cursor = conn.execute(f"SELECT id, grid, added_at, retired{extra} FROM {table} "
                              f"WHERE {key} IN ({_marks(part)})", part)
        names = [d[0] for d in cursor.description]
        out.update((row[0], dict(zip(names, row))) for row in cursor)
    return out


@dataclass(frozen=True)
class StoodThen:
    """The register under a grid as it stood at the end of a day (`stood_then`): its households
    by id (every one, for their members' addresses) and its tagged households and residents."""
    households: dict[str, dict]
    tagged: list[tuple[str, dict]]        # (household | resident, row)
    moved: list[str]                      # households whose grid changed after the day


def stood_then(conn, grid: str, day: str) -> StoodThen:
    """The households and tagged entries under `grid` at the end of `day`: added by then, not yet
    retired, each field (tags, grid, household, address…) as it was then — read back from the
    update and move events entered after `day` (the first change's value before it). A resident
    is where its household was then (a household's move takes its members without events of
    theirs). Stamped, as `changed_after`, with the day each change was ENTERED."""
    before = {kind: _values_before(conn, kind, day) for kind in ("household", "resident")}
    moved = [h for h, was in before["household"].items() if "grid" in was]
    homes = {}
    for row in _held(conn, TABLES["household"], grid, day, "1", before["household"].keys()):
        then = row | before["household"].get(row["id"], {})
        if _under(grid, then["grid"]):
            homes[then["id"]] = then
    tagged: list[tuple[str, dict]] = [("household", h) for h in homes.values() if h["tags"]]
    extra = list(before["resident"].keys())
    for i in range(0, len(moved), 500):
        part = moved[i:i + 500]
        extra += [r for (r,) in conn.execute(f"SELECT id FROM residents WHERE household IN ({_marks(part)})", part)]
    for row in _held(conn, TABLES["resident"], grid, day, "tags != '[]'", extra):
        then = row | before["resident"].get(row["id"], {})
        home = homes.get(then["household"])
        if home is not None and then["tags"]:
            tagged.append(("resident", then | {"grid": home["grid"]}))
    tagged.sort(key=lambda item: (item[1]["grid"], item[1]["seq"]))
    return StoodThen(homes, tagged, moved)


def _values_before(conn, kind: str, day: str) -> dict[str, dict]:
    """id → {field: its value at the end of `day`} for the entries of `kind` changed after it."""
    after = _day_after(day)
    out: dict[str, dict] = {}
    for record, details in conn.execute(
            "SELECT record, details FROM events WHERE action IN (?, ?) AND record IS NOT NULL "
            "AND happened_at >= ? ORDER BY seq", (f"{kind}.update", f"{kind}.move", after)):
        was = out.setdefault(record, {})
        for key, (value, _) in json.loads(details or "{}").get("changes", {}).items():
            was.setdefault(key, value)
    return out


def _held(conn, table: Table, grid: str, day: str, now_where: str, ids) -> list[dict]:
    """Rows registered by `day` and not retired by then: those under `grid` now (with
    `now_where`), and those of `ids` wherever they are now."""
    alive = "added_at <= ? AND (retired IS NULL OR retired > ?)"
    rows = {r["id"]: r for r in _select(conn, table, f"grid >= ? AND grid < ? AND {now_where} AND {alive}",
                                          (grid, grid + ":", day, day))}
    listed = sorted(set(ids) - rows.keys())
    for i in range(0, len(listed), 500):
        part = listed[i:i + 500]
        rows.update((r["id"], r) for r in _select(conn, table, f"id IN ({_marks(part)}) AND {alive}", (*part, day, day)))
    return list(rows.values())


def visit_dates_of(conn, households, until: str) -> dict[str, list[tuple[str, str]]]:
    """household → its (date, patrol) visits up to `until`, oldest first, for the given households."""
    out: dict[str, list[tuple[str, str]]] = {}
    listed = sorted(households)
    for i in range(0, len(listed), 500):
        part = listed[i:i + 500]
        for household, day, patrol in conn.execute(
                f"SELECT household, date, patrol FROM visits WHERE household IN ({_marks(part)}) AND date <= ? "
                "ORDER BY household, date", (*part, until)):
            out.setdefault(household, []).append((day, patrol))
    return out


def visit_dates(conn, grid: str, until: str) -> dict[str, list[tuple[str, str]]]:
    """household → its (date, patrol) visits up to `until`, oldest first, for households under `grid`."""
    rows = conn.execute("""SELECT v.household, v.date, v.patrol FROM visits v
        JOIN households h ON h.id = v.household
        WHERE h.grid >= ? AND h.grid < ? AND v.date <= ? ORDER BY v.household, v.date""",
                        (grid, grid + ":", until))
    out: dict[str, list[tuple[str, str]]] = {}
    for household, day, patrol in rows:
        out.setdefault(household, []).append((day, patrol))
    return out


def visits_of(conn, household: str) -> list[dict]:
    """A household's visits with the patrol's person and 民情日记 (void patrols left out)."""
    cols = ("patrol", "date", "person", "person_name", "grid", "notes")
    rows = conn.execute("""SELECT v.patrol, v.date, p.person, pe.name, p.grid, p.notes
        FROM visits v JOIN patrols p ON p.id = v.patrol LEFT JOIN people pe ON pe.id = p.person
        WHERE v.household = ? AND p.voided = 0 ORDER BY v.date, v.patrol""", (household,))
    return [dict(zip(cols, r)) for r in rows]


def add_visits(conn, patrol: str, day: str, households: list[str]) -> None:
    conn.executemany("INSERT OR IGNORE INTO visits (household, patrol, date) VALUES (?, ?, ?)",
                     [(h, patrol, day) for h in households])


def drop_visits(conn, patrol: str) -> None:
    conn.execute("DELETE FROM visits WHERE patrol = ?", (patrol,))


def events_of(conn, subjects: list[str]) -> list[dict]:
    cols = ("seq", "record", "action", "actor", "happened_at", "note", "details")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM events WHERE record IN ({_marks(subjects)}) ORDER BY seq",
                        subjects)
    return [dict(zip(cols, r)) | {"details": json.loads(r[-1])} for r in rows]


def issues_at(conn, grids: list[str], address: str) -> list[dict]:
    """Issues in these grids whose 地点 names the address (门牌), both as `text.same_key` reads
    them (an issue at `１２号楼1单元` is at the household `12号楼1单元`), not inside a longer number
    (`text.names_within`: one at `11号楼1单元101` is not at `1号楼1单元101`)."""
    cols = ("id", "title", "category", "status", "place", "found_at", "reported_at", "closed_at")
    rows = conn.execute(f"""SELECT i.id, i.title, coalesce(c.name, i.category), i.status, i.place, i.found_at,
            i.reported_at, i.closed_at FROM issues i LEFT JOIN categories c ON c.code = i.category
        WHERE i.grid IN ({_marks(grids)}) AND i.place IS NOT NULL ORDER BY i.reported_at""", grids)
    key = same_key(address)
    return [dict(zip(cols, r)) for r in rows if names_within(key, same_key(r[4]))]


# --- the projection: one writer for recorded and merged events -----------------------------

def apply_event(conn, event: dict, details: dict) -> None:
    """`household.add`, `resident.update`, `place.move`, `org.retire`, … change the tables;
    `register.personal` (an export of personal data) changes nothing but the chain."""
    kind, _, action = event["action"].partition(".")
    table = TABLES.get(kind)
    if table is None:
        return
    if action == "add":
        row = dict(details["record"])
        row["tags"] = json.dumps(row.get("tags") or [], ensure_ascii=False)
        cols = columns(table) + (("address_key",) if kind == "household" else ())
        if kind == "household":
            row["address_key"] = same_key(row.get("address"))
        conn.execute(f"INSERT INTO {table.table} ({', '.join(cols)}) VALUES ({_marks(cols)})",
                     tuple(row.get(c) for c in cols))
    elif action in ("update", "move"):
        changes = {k: v[1] for k, v in details["changes"].items()}
        if "tags" in changes:
            changes["tags"] = json.dumps(changes["tags"], ensure_ascii=False)
        if kind == "household" and "address" in changes:
            changes["address_key"] = same_key(changes["address"])
        changes["updated_at"] = event["happened_at"][:10]
        conn.execute(f"UPDATE {table.table} SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                     (*changes.values(), event["record"]))
        if kind == "household" and "grid" in changes:
            conn.execute("UPDATE residents SET grid = ? WHERE household = ?", (changes["grid"], event["record"]))
    elif action == "retire":
        conn.execute(f"UPDATE {table.table} SET retired = ?, retire_reason = ? WHERE id = ?",
                     (event["happened_at"][:10], details.get("reason"), event["record"]))


def is_register_action(action: str) -> bool:
    return action.partition(".")[0] in TABLES or action.startswith("register.")


def fingerprint(conn) -> str | None:
    row = conn.execute("SELECT value FROM ledger_meta WHERE key = 'register_key'").fetchone()
    return row[0] if row else None


def set_fingerprint(conn, value: str) -> None:
    conn.execute("INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('register_key', ?)", (value,))


def register_events(conn):
    """Every register event (action, record, happened_at, details text), in recording order."""
    kinds = tuple(TABLES)
    cursor = conn.execute(f"""SELECT action, record, happened_at, details FROM events
        WHERE record IS NOT NULL AND substr(action, 1, instr(action, '.') - 1) IN ({_marks(kinds)})
        ORDER BY seq""", kinds)
    while rows := cursor.fetchmany(5000):
        yield from rows


def all_rows(conn, table: Table, extra: tuple[str, ...] = ()):
    """Every row of a register table in id order, tags as stored text; with `extra` columns the
    events do not carry (a household's `address_key`)."""
    cols = columns(table) + extra
    cursor = conn.execute(f"SELECT {', '.join(cols)} FROM {table.table} ORDER BY id")
    while rows := cursor.fetchmany(5000):
        yield from (dict(zip(cols, r)) for r in rows)


def all_visits(conn) -> set[tuple[str, str, str]]:
    return set(conn.execute("SELECT household, patrol, date FROM visits"))


def visits_from_patrols(conn) -> set[tuple[str, str, str]]:
    """(household, patrol, date) as the live patrols' `visited` lists say."""
    out = set()
    for patrol, day, visited in conn.execute(
            "SELECT id, date, visited FROM patrols WHERE voided = 0 AND visited IS NOT NULL"):
        out |= {(household, patrol, day) for household in json.loads(visited)}
    return out
