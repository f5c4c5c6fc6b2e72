"""What a bundle must be before any of it is merged (四级平台 hand-up files).

A bundle is gzip-compressed JSON lines (see `exchange.py`). Its trailer carries the SHA-256 of
every byte before it, checked in a first pass before any line is parsed; then each line is
checked for shape as it streams by. Any fault is `BundleRefused` naming the line: "数据包已损坏".
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.messages import reason, t

_HEX64 = re.compile(r"[0-9a-f]{64}")
_TEXT_COLS = ("office", "action", "happened_at", "recorded_at", "details", "prev_hash", "hash")
_OPTIONAL_TEXT = ("issue", "record", "from_status", "to_status", "level", "actor", "note")
_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError)


class BundleRefused(GridctlError):
    """The bundle cannot be merged: damaged, edited, out of order, or diverging."""


def damaged(path: Path, error: str) -> BundleRefused:
    return BundleRefused("bundle.damaged", file=path, error=error)


def checksum(lines) -> str:
    """The SHA-256 a trailer carries: over every line before it, as written (UTF-8, with \\n)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return digest.hexdigest()


def verify_checksum(path: Path) -> dict:
    """First pass: decompress the whole file, hash all but the last line and compare with the
    trailer (the last line). Returns the trailer. Nothing but the trailer is parsed."""
    digest, last = hashlib.sha256(), None
    try:
        with gzip.open(path, "rb") as handle:
            for line in handle:
                if last is not None:
                    digest.update(last)
                last = line
        trailer = json.loads(last) if last is not None else None
    except _READ_ERRORS as exc:
        raise damaged(path, t("bundle.unreadable", error=reason(exc))) from None
    if not isinstance(trailer, dict) or trailer.get("end") is not True:
        raise damaged(path, t("bundle.no_trailer"))
    stated = trailer.get("sha256")
    if stated is not None and stated != digest.hexdigest():
        raise damaged(path, t("bundle.bad_checksum"))
    return trailer


def lines(path: Path):
    """Second pass: (line number, parsed object), decompressed as they are read."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    obj = json.loads(line)
                except ValueError:
                    raise damaged(path, t("bundle.bad_line", line=number)) from None
                if not isinstance(obj, dict):
                    raise damaged(path, t("bundle.bad_line", line=number))
                yield number, obj
    except _READ_ERRORS as exc:
        raise damaged(path, t("bundle.unreadable", error=reason(exc))) from None


def check_header(header, path: Path, formats: tuple[int, ...]) -> dict:
    if not isinstance(header, dict) or header.get("gridctl_bundle") not in formats:
        raise damaged(path, t("bundle.bad_header"))
    chains = header.get("chains")
    if not isinstance(header.get("sender"), str) or not isinstance(chains, dict) \
            or not _is_count(header.get("count")):
        raise damaged(path, t("bundle.bad_header"))
    for chain in chains.values():
        if not isinstance(chain, dict) or not all(_is_count(chain.get(k)) for k in ("first_n", "last_n")) \
                or not isinstance(chain.get("last_hash"), str):
            raise damaged(path, t("bundle.bad_header"))
    heads = header.get("heads", {})
    if not isinstance(heads, dict) or not all(isinstance(h, dict) for h in heads.values()):
        raise damaged(path, t("bundle.bad_header"))
    legacy = header.get("legacy_hash", {})
    if not isinstance(legacy, dict) or not all(_is_count(v) for v in legacy.values()):
        raise damaged(path, t("bundle.bad_header"))
    return header


PARSED = "_details"  # not a column: never inserted, never hashed


def check_event(obj: dict, number: int, path: Path) -> dict:
    """An event line has every column with its type; `details` is a JSON object."""
    for key in _TEXT_COLS:
        if not isinstance(obj.get(key), str):
            raise damaged(path, t("bundle.bad_field", line=number, field=key))
    for key in _OPTIONAL_TEXT:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise damaged(path, t("bundle.bad_field", line=number, field=key))
    if not _is_count(obj.get("n")) or obj["n"] < 1:
        raise damaged(path, t("bundle.bad_field", line=number, field="n"))
    for key in ("hash", "prev_hash"):
        if not _HEX64.fullmatch(obj[key]):
            raise damaged(path, t("bundle.bad_field", line=number, field=key))
    try:
        details = json.loads(obj["details"])
    except ValueError:
        details = None
    if not isinstance(details, dict):
        raise damaged(path, t("bundle.bad_field", line=number, field="details"))
    if (obj.get("issue") is None) != ("." in obj["action"]):
        raise damaged(path, t("bundle.bad_field", line=number, field="issue/action"))
    if "." in obj["action"] and not _record_event_fits(obj, details):
        raise damaged(path, t("bundle.bad_field", line=number, field="action/details"))
    obj[PARSED] = details  # the merge's projection uses it rather than parse the text again
    return obj


def _record_event_fits(event: dict, details: dict) -> bool:
    """A record event names a known kind and action, with the details that action needs."""
    from gridctl.ledger.register import is_register_action
    from gridctl.records.kinds import KINDS, columns

    kind_name, _, action = event["action"].partition(".")
    if is_register_action(event["action"]):
        return True     # the register's own apply checks its rows; a failure there is damage too
    if kind_name == "score":
        return action in ("approve", "reopen", "flag", "unflag") and isinstance(details.get("period"), str)
    kind = KINDS.get(kind_name)
    if kind is None or action not in ("add", "void", "link") or not isinstance(event.get("record"), str):
        return False
    if action == "add":
        record = details.get("record")
        return (isinstance(record, dict) and set(record) <= set(columns(kind))
                and record.get("id") == event["record"] and isinstance(record.get("date"), str)
                and all(isinstance(i, str) for i in record.get("found") or []))
    if action == "link":
        issues = details.get("issues")
        return kind_name == "patrol" and isinstance(issues, list) and all(isinstance(i, str) for i in issues)
    return True


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62
