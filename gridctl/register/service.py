"""Core calls behind `gridctl register add/update/retire/list/search`.

Every change is an event in the office's hash chain (`household.add`, `resident.move`,
`place.update`, `org.retire`, …) and the row is its projection, written in the same
transaction. Phones are masked in every result unless `include_personal` is asked, which is
itself recorded (`register.personal`) naming who took what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gridctl.errors import GridctlError, NotFound, OptionRefused
from gridctl.ledger import ledger, transaction
from gridctl.ledger import register as rg
from gridctl.ledger.events import Chain, Entry
from gridctl.ledger.recorder import office_code, resolve_actor
from gridctl.messages import choices
from gridctl.register.config import RegisterConfig, load_register_config
from gridctl.register.fields import FieldError, check_household, check_resident, check_site
from gridctl.register.identity import Hasher, check_id_number, mask_id
from gridctl.text import mask_phone, same_key
from gridctl.timefmt import fmt, now

KIND_WORDS = {"household": "household", "户": "household", "resident": "resident", "人": "resident",
              "place": "place", "地物": "place", "地": "place", "物": "place", "org": "org", "组织": "org"}
_MAX_IDS_IN_EVENT = 1000


def kind_of(word: str) -> str:
    kind = KIND_WORDS.get(str(word).strip().lower())
    if kind is None:
        raise GridctlError("field.bad_choice", value=word, choices=choices(
            {"household": "户", "resident": "人", "place": "地物", "org": "组织"}))
    return kind


class Writer:
    """Appends register events for one transaction and applies each to its table at once."""

    def __init__(self, conn, actor: str | None, hasher: Hasher | None = None, synthetic: bool = False):
        """The actor must be a person in the ledger, as for every recording command (`resolve_actor`);
        only the demo's synthetic register is written in the name of nobody."""
        self.conn, self.actor, self.hasher = conn, actor if synthetic else resolve_actor(conn, actor), hasher
        self.office = office_code(conn)
        self.chain = Chain(conn, self.office)
        self.at = fmt(now())
        self.recorded_at = datetime.now().isoformat(timespec="seconds")
        self.seqs: dict[str, int] = {}

    def emit(self, action: str, record: str | None, details: dict, note: str | None = None) -> None:
        event = self.chain.append(Entry(action, self.actor, self.at, self.recorded_at, record=record, note=note,
                                        details=details))
        rg.apply_event(self.conn, event.as_dict(), details)
        if len(self.chain.pending) >= 20_000:      # a large import keeps its memory bounded
            self.chain.flush()

    def add(self, kind: str, fields: dict) -> dict:
        table = rg.TABLES[kind]
        if kind not in self.seqs:
            self.seqs[kind] = rg.next_seq(self.conn, table, self.office)
        seq = self.seqs[kind]
        self.seqs[kind] += 1
        row = {c: fields.get(c) for c in table.fields} | {
            "id": f"{self.office}-{table.letter}{seq:06d}", "office": self.office, "seq": seq,
            "tags": fields.get("tags") or [], "note": fields.get("note"), "added_at": self.at[:10],
            "updated_at": None, "retired": None, "retire_reason": None}
        self.emit(f"{kind}.add", row["id"], {"record": row})
        return row

    def change(self, kind: str, row: dict, new: dict) -> dict | None:
        """Record what differs between `row` and `new` (a move when the grid or household changes)."""
        changes = {k: [row[k], v] for k, v in new.items() if k in row and row[k] != v}
        if not changes:
            return None
        action = "move" if {"grid", "household"} & changes.keys() else "update"
        self.emit(f"{kind}.{action}", row["id"], {"changes": changes})
        return {"id": row["id"], "action": action, "changes": changes}

    def retire(self, kind: str, row: dict, reason: str) -> None:
        self.emit(f"{kind}.retire", row["id"], {"reason": reason}, reason)

    def personal(self, what: str, ids: list[str], filters: dict) -> None:
        """个人信息 taken out in full: who, what command, which entries."""
        if not self.actor:
            raise GridctlError("register.personal_needs_actor")
        details = {"command": what, "filters": filters, "count": len(ids),
                   "ids": ids[:_MAX_IDS_IN_EVENT]}
        self.emit("register.personal", None, details, what)

    def flush(self) -> None:
        if self.hasher and self.hasher.new_fingerprint:
            rg.set_fingerprint(self.conn, self.hasher.new_fingerprint)
        self.chain.flush()


def hasher_for(conn, db: Path) -> Hasher:
    return Hasher(db, rg.fingerprint(conn))


# --- finding an entry ----------------------------------------------------------------------

def resolve(conn, ref: str, kinds=("household", "resident", "place", "org")) -> tuple[str, dict]:
    """An entry by full id, by short id (`H12`, `R7`), by number (a household), or by 门牌."""
    ref = str(ref).strip()
    if not ref:
        raise NotFound("register.none_given")
    table = rg.table_of(ref)
    if table and table.kind in kinds:
        row = rg.get(conn, table, ref)
        if row:
            return table.kind, row
    short = next((tb for tb in rg.TABLES.values() if ref[:1].upper() == tb.letter and ref[1:].isdecimal()), None)
    number = ref[1:] if short else ref
    if ref.isdecimal():
        short = rg.TABLES["household"]
    if short and short.kind in kinds and len(number) <= 18:  # a longer number fits no SQLite integer
        row = rg.by_seq(conn, short, office_code(conn), int(number))
        if row:
            return short.kind, row
    if "household" in kinds and ref:
        found = rg.households_by_address(conn, ref)
        if len(found) == 1:
            return "household", found[0]
        if found:
            raise GridctlError("register.ambiguous", ref=ref, ids=", ".join(f"{h['id']} ({h['grid']})" for h in found))
    raise NotFound("register.not_found", ref=ref)


def _household_values(conn, values: dict) -> dict:
    """`--household H` for a resident: the household's grid and 门牌 stand in for it."""
    if not values.get("household"):
        return values
    _, household = resolve(conn, values["household"], ("household",))
    if household["retired"]:        # said as the household given, not as 没有门牌为… 的在册户 under --address
        raise FieldError("household", "register.household_retired", id=household["id"], day=household["retired"],
                         reason=household["retire_reason"] or "-")
    return dict(values, grid=household["grid"], address=household["address"])


def check(conn, kind: str, values: dict, cfg: RegisterConfig, hasher: Hasher, cache=None) -> dict:
    if kind == "household":
        return check_household(conn, values, cfg, cache)
    if kind == "resident":
        return check_resident(conn, _household_values(conn, values), cfg, hasher, cache)
    if kind == "place":
        return check_site(conn, values, cfg.place_kinds, cfg.place_tags, cache)
    return check_site(conn, values, cfg.org_kinds, None, cache)


# --- add, update, retire -------------------------------------------------------------------

class _OptionNames:
    """A field error raised under a command names the option (`--size: …`), not the column."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, FieldError):
            raise OptionRefused(exc.field, exc.what, **exc.params) from None
        return False


def add_entry(db: Path, kind: str, values: dict, actor: str | None = None) -> RegisterEntry:
    """登记: one household, resident, place or organisation, refused if already registered."""
    cfg = load_register_config()
    with _OptionNames(), ledger(db) as conn, transaction(conn):
        hasher = hasher_for(conn, db)
        fields = check(conn, kind, values, cfg, hasher)
        writer = Writer(conn, actor, hasher)
        if kind == "resident":
            fields["household"] = _household_for_resident(conn, fields)["id"]
        _refuse_duplicate(conn, kind, fields)
        row = writer.add(kind, fields)
        writer.flush()
        return present(kind, row)


def _household_for_resident(conn, fields: dict) -> dict:
    household = rg.household_at(conn, fields["grid"], fields["address"])
    if household is None:
        raise FieldError("address", "register.no_household", address=fields["address"], grid=fields["grid"])
    return household


def _refuse_duplicate(conn, kind: str, fields: dict) -> None:
    """The entry already registered as `fields` (门牌 and names as `text.same_key` compares them)."""
    if kind == "household":
        same = rg.household_at(conn, fields["grid"], fields["address"])
    elif kind == "resident":
        name = same_key(fields["name"])
        same = rg.residents_by_hash(conn, [fields["id_hash"]]).get(fields["id_hash"]) if fields["id_hash"] else None
        same = same or next((m for m in rg.members(conn, fields["household"]) if same_key(m["name"]) == name), None)
    else:
        name = same_key(fields["name"])
        same = next((r for r in rg.listing(conn, rg.TABLES[kind], fields["grid"], None, False, None)
                     if r["kind"] == fields["kind"] and same_key(r["name"]) == name and r["grid"] == fields["grid"]),
                    None)
    if same:
        raise GridctlError("register.already", id=same["id"])


def _as_values(kind: str, conn, row: dict) -> dict:
    """A stored row as check input, so an update is checked like an add."""
    values = {k: v for k, v in row.items() if k not in ("tags",)}
    values["tags"] = "、".join(row["tags"])
    if kind == "resident":
        household = rg.get(conn, rg.TABLES["household"], row["household"])
        values["address"] = household["address"] if household else None
        values["id_number"] = None
    return {k: (None if v is None else str(v)) for k, v in values.items()}


@dataclass(frozen=True)
class Changed:
    """`register update`: the entry's difference (`present_diff`; None when nothing changed) and the
    entry as it now stands."""

    kind: str
    id: str
    diff: dict | None
    entry: RegisterEntry

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "diff": self.diff, "entry": self.entry.as_dict()}


def update_entry(db: Path, ref: str, values: dict, actor: str | None = None) -> Changed:
    """变更: the given fields replace the stored ones; the difference is one event (a move when
    the grid or, for a resident, the household changes)."""
    cfg = load_register_config()
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise GridctlError("register.nothing_to_change")
    with _OptionNames(), ledger(db) as conn, transaction(conn):
        kind, row = resolve(conn, ref)
        if row["retired"]:
            raise GridctlError("register.retired", id=row["id"])
        merged = _as_values(kind, conn, row) | given
        if kind == "resident" and "household" not in given and ("grid" in given) != ("address" in given):
            raise FieldError("household", "register.move_both")
        hasher = hasher_for(conn, db)
        fields = check(conn, kind, merged, cfg, hasher)
        if kind == "resident":
            fields["household"] = _household_for_resident(conn, fields)["id"]
            if fields["id_hash"] is None:
                fields["id_hash"], fields["id_last4"] = row["id_hash"], row["id_last4"]
        if kind == "household" and {"grid", "address"} & given.keys():
            other = rg.household_at(conn, fields["grid"], fields["address"])
            if other and other["id"] != row["id"]:
                raise GridctlError("register.already", id=other["id"])
        writer = Writer(conn, actor, hasher)
        diff = writer.change(kind, row, {k: v for k, v in fields.items() if k in row})
        writer.flush()
        return Changed(kind, row["id"], present_diff(diff) if diff else None,
                       present(kind, rg.get(conn, rg.TABLES[kind], row["id"]) or row))


def retire_entry(db: Path, ref: str, reason: str, actor: str | None = None) -> dict:
    """注销 (moved away, died, closed, demolished): with a reason; a household's members go with it."""
    if not (reason or "").strip():
        raise GridctlError("issue.option_required", option="--reason")
    with ledger(db) as conn, transaction(conn):
        kind, row = resolve(conn, ref)
        if row["retired"]:
            raise GridctlError("register.retired", id=row["id"])
        writer = Writer(conn, actor)
        retired = [row["id"]]
        if kind == "household":
            for member in rg.members(conn, row["id"]):
                writer.retire("resident", member, reason)
                retired.append(member["id"])
        writer.retire(kind, row, reason)
        writer.flush()
        return {"kind": kind, "id": row["id"], "retired": retired, "reason": reason}


# --- reading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterEntry:
    """One entry of the base register (登记: 户、人、地物或组织) as shown: never its 身份证号's hash,
    the number as its last four (`id_number`), the phone masked unless asked. The fields are the
    four kinds' columns together; an entry has the ones of its kind (`register`), the others None.

    `as_dict()` is its `register … --json` object. Its keys are those of the row it was made from,
    in that row's order (a contract: `tests/test_cli_register.py::test_the_json_keys_and_their_order_are_the_contract`):
    the table's columns for a stored entry, the add's order for a new one, sorted for one read back
    from its event; `id_number` last."""

    register: str                       # household | resident | place | org
    id: str
    office: str | None = None
    seq: int | None = None
    grid: str | None = None
    household: str | None = None        # a resident's 户
    address: str | None = None          # 门牌 or 地址
    head: str | None = None             # 户主
    size: int | None = None             # 人口
    name: str | None = None
    gender: str | None = None
    birth_year: int | None = None
    residence: str | None = None        # 户籍类型
    kind: str | None = None             # a place's or organisation's 类别
    contact: str | None = None          # 联系人
    phone: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    added_at: str | None = None
    updated_at: str | None = None
    retired: str | None = None
    retire_reason: str | None = None
    id_number: str | None = None        # masked: the last four only
    keys: tuple[str, ...] = ()          # the JSON's keys, in order
    found: bool = False
    """Found by `register search`, whose JSON says which of the four kinds each entry is by its
    `kind` key (for a place or an organisation, in the place of its own 类别)."""

    def as_dict(self) -> dict:
        out = {key: getattr(self, key) for key in self.keys}
        if "tags" in out:
            out["tags"] = list(self.tags)
        if self.found:
            out["kind"] = self.register
        return out


def present(kind: str, row: dict, personal: bool = False, found: bool = False) -> RegisterEntry:
    """An entry of `kind` as shown: no hash ever; the 身份证号 as its last four; phone masked unless asked."""
    values = {k: v for k, v in row.items() if k not in ("id_hash", "id_last4")}
    keys = [*values, *(["kind"] if found and "kind" not in values else [])]
    if "id_last4" in row:
        values["id_number"] = mask_id(row["id_last4"])
        keys.append("id_number")
    if not personal and values.get("phone"):
        values["phone"] = mask_phone(values["phone"])
    if "tags" in values:
        values["tags"] = tuple(values["tags"] or ())
    return RegisterEntry(register=kind, keys=tuple(keys), found=found, **values)


def present_diff(diff: dict, personal: bool = False) -> dict:
    changes = {}
    for key, (old, new) in diff["changes"].items():
        if key == "id_hash":
            continue
        if key == "phone" and not personal:
            old, new = mask_phone(old), mask_phone(new)
        if key == "id_last4":
            key, old, new = "id_number", mask_id(old), mask_id(new)
        changes[key] = [old, new]
    return dict(diff, changes=changes)


def _grid_prefix(conn, grid: str | None) -> str:
    if not grid:
        return ""
    from gridctl.ledger import grids as gq

    return gq.resolve_node(conn, grid)["code"]


def list_entries(db: Path, kind: str, grid: str | None = None, tag: str | None = None, *,
                 retired: bool = False, personal: bool = False, actor: str | None = None,
                 limit: int | None = None) -> list[RegisterEntry]:
    """The register's entries of one kind under a grid (all of them without one), in grid order."""
    with ledger(db) as conn:
        prefix = _grid_prefix(conn, grid)
        rows = rg.listing(conn, rg.TABLES[kind], prefix, tag, retired, limit)
        if personal:
            record_personal(conn, actor, f"register list {kind}", [r["id"] for r in rows],
                             {"grid": prefix, "tag": tag})
        return [present(kind, r, personal) for r in rows]


def record_personal(conn, actor, what: str, ids: list[str], filters: dict) -> None:
    with transaction(conn):
        writer = Writer(conn, actor)
        writer.personal(what, ids, filters)
        writer.flush()


def search_entries(db: Path, text: str, *, personal: bool = False, actor: str | None = None,
                   limit: int = 50) -> list[RegisterEntry]:
    """Entries whose name, 门牌, head or contact contains TEXT; a full 身份证号 finds its person."""
    text = str(text).strip()
    if not text:
        raise GridctlError("register.empty_search")
    id_hash: str | None = None
    with ledger(db) as conn:
        try:
            number = check_id_number(text)
        except ValueError:
            number = None
        query: str | None = text
        shown: str | None = text
        if number is not None:
            id_hash = hasher_for(conn, db).hash(number) if rg.fingerprint(conn) else None
            query, shown = None, mask_id(number.last4)     # an id number matches by its hash only
        rows = []
        for kind, table in rg.TABLES.items():
            rows += [(kind, r) for r in rg.search(conn, table, query, id_hash, limit)]
        rows = rows[:limit]
        if personal:
            record_personal(conn, actor, "register search", [r["id"] for _, r in rows], {"text": shown})
        return [present(kind, r, personal, found=True) for kind, r in rows]
