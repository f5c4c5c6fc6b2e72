"""Problems (input errors as data) and the domain exceptions the CLI translates."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the user's input, where it is and what it is."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class GridctlError(Exception):
    """A refusal of the user's request: printed as one line, exit 1, nothing written."""


class InputProblems(GridctlError):
    """The input had problems; all of them are carried, none was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class LedgerError(GridctlError):
    """The ledger cannot be used as asked (too new, wrong office, missing)."""


class NotFound(GridctlError):
    """A node, person, team or category that the ledger does not hold."""
