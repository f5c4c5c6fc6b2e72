"""The one catalogue (gridctl/messages.py): every key in both languages with the same
placeholders, every code the ledger stores has its name, every key the code asks for exists."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from gridctl.config.model import LEVELS
from gridctl.issues.lifecycle import MOVES, SOURCES, STATUSES
from gridctl.messages import CATALOGUE
from gridctl.records.kinds import KINDS
from tests.helpers import source_nodes

PACKAGE = Path(__file__).resolve().parent.parent / "gridctl"
KEY = re.compile(r"[a-z_]+(\.[a-z_0-9]+)+")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, entry in CATALOGUE.items():
        assert isinstance(entry, tuple) and len(entry) == 2, key
        zh, en = entry
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), (key, zh, en)


def test_no_key_is_written_twice():
    """A dict literal keeps the last of two equal keys without a word: the first would be lost."""
    source = ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8"))
    literal = next(node.value for node in ast.walk(source)
                   if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "CATALOGUE")
    keys = [k.value for k in literal.keys]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_every_status_move_source_kind_and_level_has_its_name():
    wanted = ([f"status.{s}" for s in STATUSES] + [f"action.{m}" for m in ("add", *MOVES)]
              + [f"source.{s}" for s in SOURCES] + [f"kind.{k}" for k in KINDS] + [f"level.{lv}" for lv in LEVELS])
    assert [key for key in wanted if key not in CATALOGUE] == []


def test_every_key_the_code_asks_for_exists():
    """`t("some.key", …)` with a literal key, anywhere in gridctl/."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in source_nodes(path):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str) and node.args[0].value not in CATALOGUE):
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.args[0].value}")
    assert missing == []


def test_every_key_an_error_is_raised_with_exists():
    """`raise NotFound("issue.not_found", id=…)`: a string that looks like a key must be one."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in source_nodes(path):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args
                    and isinstance(node.exc.args[0], ast.Constant) and isinstance(node.exc.args[0].value, str)
                    and KEY.fullmatch(node.exc.args[0].value) and node.exc.args[0].value not in CATALOGUE):
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.exc.args[0].value}")
    assert missing == []


def test_an_error_carries_its_key_and_is_worded_when_shown():
    from gridctl.errors import GridctlError, NotFound
    from gridctl.messages import set_lang

    error = NotFound("issue.not_found", id="42")
    assert (error.code, error.params) == ("issue.not_found", {"id": "42"})
    set_lang("en")
    english = str(error)
    set_lang("zh")
    assert str(error) != english and "42" in str(error) and "42" in english
    assert str(GridctlError("plain words")) == "plain words" and GridctlError("plain words").code is None
    import pickle

    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_every_key_a_problem_or_field_refusal_names_exists():
    """`Problem(file, line, field, "field.required")`, `FieldError("grid", "bounds.year", …)`,
    `reader.problem(key, "config.duplicate", …)`: the key-like text must be a catalogue key."""
    where = {"Problem": 3, "FieldError": 1, "OutOfRange": 1, "FieldRefused": 1, "OptionRefused": 1,
             "problem": 1, "config_problem": 2}
    missing, seen = [], 0
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in source_nodes(path):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = where.get(name or "")
            if index is None or len(node.args) <= index or not isinstance(node.args[index], ast.Constant):
                continue
            value = node.args[index].value
            if isinstance(value, str) and KEY.fullmatch(value):
                seen += 1
                if value not in CATALOGUE:
                    missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {value}")
    assert missing == [] and seen > 50


def test_a_problem_and_a_field_refusal_carry_their_key():
    from gridctl.bounds import OutOfRange
    from gridctl.errors import Problem
    from gridctl.messages import set_lang

    problem = Problem("a.yaml", 2, "people.name", "field.required")
    refusal = OutOfRange("--limit", "bounds.number", value=0, min=1, max=9)
    assert problem.code == "field.required" and problem.to_dict()["code"] == "field.required"
    assert refusal.code == "bounds.number" and str(refusal) == f"--limit: {refusal.message}"
    set_lang("en")
    english = (problem.message, refusal.message)
    set_lang("zh")
    assert english != (problem.message, refusal.message)
    assert Problem("a.yaml", 2, "x", "plain words").code is None
    import pickle

    assert str(pickle.loads(pickle.dumps(refusal))) == str(refusal)
