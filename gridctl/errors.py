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
    """A refusal of the user's request: printed as one line, exit 1, nothing written.

    Raised with a catalogue key and its parameters — `GridctlError("issue.not_found", id=ref)` —
    it carries them as `code` and `params`, and `t()` renders the message when it is shown, at the
    edge, in the language in force then. Raised with a text (the older form), the text is the message.
    """

    def __init__(self, message: str = "", /, **params):
        from gridctl.messages import CATALOGUE

        super().__init__(message)
        self.code = message if message in CATALOGUE else None
        self.params = params

    def __str__(self) -> str:
        if self.code is None:
            return super().__str__()
        from gridctl.messages import t

        return t(self.code, **self.params)

    def __reduce__(self):  # a keyed error crossing processes keeps its parameters
        return super().__reduce__() if self.code is None else (_keyed, (type(self), self.code, self.params))


def _keyed(cls: type[GridctlError], code: str, params: dict) -> GridctlError:
    return cls(code, **params)


class InputProblems(GridctlError):
    """The input had problems; all of them are carried, none was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class LedgerError(GridctlError):
    """The ledger cannot be used as asked (too new, wrong office, missing)."""


class NotFound(GridctlError):
    """A node, person, team or category that the ledger does not hold."""
