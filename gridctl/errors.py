"""Problems (input errors as data) and the domain exceptions the CLI translates."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the user's input: where it is (file, line, field) and what it is, as a
    catalogue key and its parameters (`code`, `params`), worded by `message` when it is shown.
    A text that is not a catalogue key is kept as the message itself (code None)."""

    file: str
    line: int | None
    field: str
    what: str
    params: dict = dataclass_field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, file: str, line: int | None, field: str, error: GridctlError) -> Problem:
        """The problem a refusal names (a field's own refusal without its field prefix)."""
        return cls(file, line, field, error.what, error.params)

    @property
    def code(self) -> str | None:
        from gridctl.messages import CATALOGUE

        return self.what if self.what in CATALOGUE else None

    @property
    def message(self) -> str:
        from gridctl.messages import t

        return t(self.what, **self.params) if self.code else self.what

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def to_dict(self) -> dict:
        """As `--json` prints it: file, line, field, message (worded now) and code (the key)."""
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message,
                "code": self.code}


class GridctlError(Exception):
    """A refusal of the user's request: printed as one line, exit 1, nothing written.

    Raised with a catalogue key and its parameters — `GridctlError("issue.not_found", id=ref)` —
    it carries them as `code` and `params`, and `t()` renders the message when it is shown, at the
    edge, in the language in force then. Raised with a text (the older form), the text is the message.
    """

    def __init__(self, message: str = "", /, **params):
        from gridctl.messages import CATALOGUE

        super().__init__(message)
        self.what = message
        self.code = message if message in CATALOGUE else None
        self.params = params

    def __str__(self) -> str:
        if self.code is None:
            return super().__str__()
        from gridctl.messages import t

        return t(self.code, **self.params)

    def to_dict(self) -> dict:
        """As `--json` prints a refusal: the catalogue key (None for an unkeyed text), its
        parameters, and the message worded in the language in force."""
        return {"code": self.code, "params": self.params, "message": str(self)}

    def __reduce__(self):  # a keyed error crossing processes keeps its parameters
        return super().__reduce__() if self.code is None else (_keyed, (type(self), self.code, self.params))


def _keyed(cls: type[GridctlError], code: str, params: dict) -> GridctlError:
    return cls(code, **params)


class FieldRefused(GridctlError):
    """A refusal about one field (an option, a column, a key): `field` names it; `code`, `params`
    and `message` are what is wrong with it, without the field."""

    def __init__(self, field: str, message: str = "", /, **params):
        super().__init__(message, **params)
        self.field = field

    @property
    def message(self) -> str:
        return GridctlError.__str__(self)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def __reduce__(self):
        return _field_keyed, (type(self), self.field, self.what, self.params)


class OptionRefused(FieldRefused):
    """A refusal about a command-line option, named as typed (`--found-at` for `found_at`)."""

    def __str__(self) -> str:
        return f"--{self.field.replace('_', '-')}: {self.message}"


def _field_keyed(cls: type[FieldRefused], field: str, what: str, params: dict) -> FieldRefused:
    return cls(field, what, **params)


class InputProblems(GridctlError):
    """The input had problems; all of them are carried, none was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class LedgerError(GridctlError):
    """The ledger cannot be used as asked (too new, wrong office, missing)."""


class NotFound(GridctlError):
    """A node, person, team or category that the ledger does not hold."""
