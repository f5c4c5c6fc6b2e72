"""Why a bundle's events could not be written to this ledger, in the clerk's words (合并失败的原因).

A bundle whose lines pass the shape checks may still hold content the ledger cannot take: a
patrol under an id the ledger already holds for another, a record lacking a field it must have,
a value of the wrong type. Python and SQLite say so in English (`IntegrityError: UNIQUE
constraint failed: patrols.office, …`); `refusal` says it from the catalogue, naming the kind of
record and the field, as damage: exit 1, the merge rolled back."""

from __future__ import annotations

import re
from pathlib import Path

from gridctl.bundle_checks import BundleRefused, damaged
from gridctl.ledger.db import BindingError, ConstraintError
from gridctl.messages import CATALOGUE, known, t


class AtEvent(Exception):
    """A fault of `FAULTS` met while one merged event was applied: that event (office, number)."""

    def __init__(self, office: str, n: int, fault: Exception):
        super().__init__(office, n, fault)
        self.office, self.n, self.fault = office, n, fault


FAULTS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError, ConstraintError, BindingError,
          AtEvent)
"""What content that passed the shape checks but cannot be applied raises: still the bundle's fault
(a binding error only where SQLite was given a value of a type it cannot store; an index error
where a change is not the [before, after] pair it should be; an overflow where a number is too
large for SQLite: each was exit 3). Raised as
`AtEvent` where the merge knows which event it was applying (a record event, an added issue's
grid); not where a batch's rows are written at once."""

_CONSTRAINT = re.compile(r"(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?::\s*(\w+)\.(\w+))?(.*)")
_KINDS = {"UNIQUE": "bundle.taken", "NOT NULL": "bundle.lacks", "CHECK": "bundle.not_allowed",
          "FOREIGN KEY": "bundle.dangling"}


def refusal(path: Path, exc: Exception, within: tuple[str, str] | None = None) -> BundleRefused:
    """The damage refusal for content that cannot be applied, naming its event where `exc` is
    `AtEvent`, else what a batch-wide write was writing, where said (`within`: the rows in words,
    the batch's events in words); an error that is not the content's (a binding error of another
    kind: gridctl's own) is raised as it is."""
    at = exc if isinstance(exc, AtEvent) else None
    fault = at.fault if at else exc
    if isinstance(fault, BindingError) and "binding parameter" not in str(fault):
        raise fault
    if at:
        return damaged(path, t("bundle.unappliable_at", office=at.office, n=at.n, error=why(fault)))
    if within:
        return damaged(path, t("bundle.unappliable_within", what=within[0], events=within[1], error=why(fault)))
    return damaged(path, t("bundle.unappliable", error=why(fault)))


def why(exc: Exception) -> str:
    """What is wrong with the content, from the exception its application raised."""
    if isinstance(exc, ConstraintError):
        return _constraint(str(exc))
    if isinstance(exc, KeyError):
        return t("bundle.lacks_key", field=_field(str(exc.args[0]) if exc.args else "?"))
    return t("bundle.wrong_type")


def _constraint(text: str) -> str:
    found = _CONSTRAINT.match(text)
    if found is None:
        return t("bundle.conflict")
    kind, table, column, more = found.groups()
    thing = _thing(table)
    if kind == "UNIQUE":        # several columns (office, year, seq) or id: the record's number
        column = "id" if more or column in (None, "id") else column
    return t(_KINDS[kind], thing=thing, field=_field(column or "?"))


def _thing(table: str | None) -> str:
    key = f"bundle.table.{table}"
    return t(key if key in CATALOGUE else "bundle.table.other")


def _field(name: str) -> str:
    """A field's word where the catalogue has one (grid → 网格编码, issue → 问题的内容), else its
    name in the bundle."""
    word = known("bundle.field", name) or name
    return word if word != name else (known("col", name) or name).lower()
