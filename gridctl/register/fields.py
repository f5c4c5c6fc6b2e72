"""One register entry checked against the ledger and configs/register.yaml.

Each check takes the values as a clerk typed them (field → text) and returns the fields to
store, or raises `FieldError` naming the field, so an import can name the column.
"""

from __future__ import annotations

import re
from datetime import date

from gridctl import bounds
from gridctl.errors import FieldRefused, NotFound
from gridctl.ledger import grids as gq
from gridctl.register.config import RegisterConfig
from gridctl.register.identity import Hasher, check_id_number

TAG_SPLIT = re.compile(r"[、,，;；\s]+")
GENDERS = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女"}

HOUSEHOLD_FIELDS = ("grid", "address", "head", "size", "phone", "tags", "note")
RESIDENT_FIELDS = ("grid", "address", "name", "gender", "birth_year", "id_number", "residence", "phone",
                   "tags", "note")
SITE_FIELDS = ("grid", "kind", "name", "address", "contact", "phone", "tags", "note")
FIELDS = {"household": HOUSEHOLD_FIELDS, "resident": RESIDENT_FIELDS, "place": SITE_FIELDS, "org": SITE_FIELDS}


class FieldError(FieldRefused):
    """A register field is wrong; `field` names it."""


def text(values: dict, field: str, required: bool = False) -> str | None:
    value = values.get(field)
    value = None if value is None else str(value).strip() or None
    if value is None and required:
        raise FieldError(field, "field.required")
    found = bounds.bad_char(value) if value is not None else None
    if found:  # a sheet's cell: the command line's edge checks arguments, not files
        what, params = bounds.char_refusal(*found)
        raise FieldError(field, what, **params)
    if value is not None and len(value) > 200:
        raise FieldError(field, "register.too_long", n=200)
    return value


def block(conn, values: dict, cache: dict | None = None) -> str:
    """The 三级网格 (村组/楼院) an entry belongs to, by code or path."""
    ref = text(values, "grid", required=True) or ""
    if cache is not None and ref in cache:
        return cache[ref]
    try:
        grid = gq.resolve_node(conn, ref)
    except NotFound as exc:
        raise FieldError("grid", exc.what, **exc.params) from None
    if grid["level"] != "block":
        raise FieldError("grid", "register.not_block", grid=grid["path"])
    if cache is not None:
        cache[ref] = grid["code"]
    return grid["code"]


def phone(values: dict) -> str | None:
    value = text(values, "phone")
    if value is None:
        return None
    kept = bounds.phone_text(value)
    if kept is None:
        raise FieldError("phone", "field.bad_phone", value=bounds.halfwidth(value))
    return kept


def count(values: dict, field: str) -> int | None:
    value = text(values, field)
    if value is None:
        return None
    if not value.isdecimal():
        raise FieldError(field, "field.bad_count", value=value)
    if len(value) > 5 or int(value) > COUNT_MAX:      # a whole number, but no household is this large
        raise FieldError(field, "bounds.number", value=value[:40], min=0, max=COUNT_MAX)
    return int(value)


COUNT_MAX = 10_000
"""The most a register count (a household's 人口) may say."""


def tags(values: dict, allowed) -> list[str]:
    """Tags separated by 、 or , — each from the configured list (when `allowed` is given)."""
    words = [w for w in TAG_SPLIT.split(text(values, "tags") or "") if w]
    for word in words:
        if allowed is not None and word not in allowed:
            raise FieldError("tags", "field.bad_choice", value=word, choices="、".join(allowed))
    return list(dict.fromkeys(words))


def choice(values: dict, field: str, allowed, required: bool = False) -> str | None:
    value = text(values, field, required)
    if value is not None and value not in allowed:
        raise FieldError(field, "field.bad_choice", value=value, choices=" | ".join(allowed))
    return value


def check_household(conn, values: dict, cfg: RegisterConfig, cache=None) -> dict:
    """户: grid and 门牌 are its key; head, 人口, phone and tags describe it."""
    return {"grid": block(conn, values, cache), "address": text(values, "address", required=True),
            "head": text(values, "head"), "size": count(values, "size"), "phone": phone(values),
            "tags": tags(values, cfg.cadence), "note": text(values, "note")}


def check_resident(conn, values: dict, cfg: RegisterConfig, hasher: Hasher, cache=None) -> dict:
    """人: the household is found by grid and 门牌; a 身份证号 is kept as hash + last four."""
    fields = {"grid": block(conn, values, cache), "address": text(values, "address", required=True),
              "name": text(values, "name", required=True), "gender": _gender(values),
              "birth_year": _birth_year(values), "id_hash": None, "id_last4": None,
              "residence": choice(values, "residence", cfg.residence), "phone": phone(values),
              "tags": tags(values, cfg.cadence), "note": text(values, "note")}
    raw = text(values, "id_number")
    if raw is not None:
        try:
            number = check_id_number(raw)
        except ValueError as exc:
            raise FieldError("id_number", str(exc)) from None  # the key check_id_number names
        if fields["birth_year"] is None:
            fields["birth_year"] = number.birth_year
        elif fields["birth_year"] != number.birth_year:
            raise FieldError("birth_year", "register.birth_mismatch", year=fields["birth_year"])
        fields["id_hash"], fields["id_last4"] = hasher.hash(number), number.last4
    return fields


def check_site(conn, values: dict, kinds, tag_words, cache=None) -> dict:
    """地/物 (a place) or 组织: a kind from the configured list, a name, where, who to call."""
    return {"grid": block(conn, values, cache), "kind": choice(values, "kind", kinds, required=True),
            "name": text(values, "name", required=True), "address": text(values, "address"),
            "contact": text(values, "contact"), "phone": phone(values), "tags": tags(values, tag_words),
            "note": text(values, "note")}


def _gender(values: dict) -> str | None:
    value = text(values, "gender")
    if value is None:
        return None
    if value.lower() not in GENDERS:
        raise FieldError("gender", "field.bad_choice", value=value, choices="男 | 女")
    return GENDERS[value.lower()]


def _birth_year(values: dict) -> int | None:
    value = text(values, "birth_year")
    if value is None:
        return None
    if not value.isdecimal() or len(value) != 4:
        raise FieldError("birth_year", "register.bad_year", value=value)
    if not BIRTH_YEAR_MIN <= int(value) <= date.today().year:     # a year, but no one living was born then
        raise FieldError("birth_year", "register.year_out_of_range", value=value, min=BIRTH_YEAR_MIN,
                         max=date.today().year)
    return int(value)


BIRTH_YEAR_MIN = 1880
