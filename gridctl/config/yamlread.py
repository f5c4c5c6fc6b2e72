"""Read YAML into plain Python while keeping each mapping's line.

Scalars stay text: a plain (unquoted) scalar that YAML would read as a number, date or
boolean comes back as a `str` subclass naming that reading, so validation can accept an
unquoted value only where reading it as text changes nothing (SPEC "Input formats").
"""

from __future__ import annotations

import gc
from pathlib import Path

import yaml

from gridctl.bounds import bad_char, char_refusal, visible
from gridctl.errors import Problem
from gridctl.messages import t

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader


class Item(dict):
    """A YAML mapping with the (1-based) line it starts on and the line of each key."""

    __slots__ = ("line", "key_lines")
    line: int
    key_lines: dict[str, int]


class PlainInt(str):
    """An unquoted scalar that YAML reads as an integer."""


class PlainFloat(str):
    """An unquoted scalar that YAML reads as a float."""


class PlainBool(str):
    """An unquoted scalar that YAML reads as a boolean."""


class PlainDate(str):
    """An unquoted scalar that YAML reads as a date or timestamp."""


_TAGGED = {
    "tag:yaml.org,2002:int": PlainInt,
    "tag:yaml.org,2002:float": PlainFloat,
    "tag:yaml.org,2002:bool": PlainBool,
    "tag:yaml.org,2002:timestamp": PlainDate,
}
_NULL = "tag:yaml.org,2002:null"


MAX_DEPTH = 64  # the grid tree is five levels; anything near this is a mistake or an attack


class _Refused(Exception):
    """An alias (`*name`) or nesting deeper than MAX_DEPTH: the file is refused whole."""

    def __init__(self, node, what: str, /, **params):
        self.line, self.what, self.params = node.start_mark.line + 1, what, params


def _convert(node, file: str, problems: list[Problem], seen: set | None = None, depth: int = 0):
    """Plain Python from a node tree. An alias makes the tree a graph (shared or recursive
    nodes: `people: &a [*a]`, billion laughs), so a node met twice is refused, never expanded."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        raise _Refused(node, "yaml.alias")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(node, "yaml.too_deep", max=MAX_DEPTH)
    if isinstance(node, yaml.ScalarNode):
        value = visible(node.value)   # zero-width characters dropped, as from every input
        found = bad_char(value)  # "\x07" escapes get past the YAML reader
        if found:
            problems.append(Problem(file, node.start_mark.line + 1,
                                    value[:20].encode("unicode_escape").decode(), *char_refusal(*found)))
        if node.tag == _NULL and not node.style:
            return None
        cls = _TAGGED.get(node.tag) if not node.style else None
        return cls(value) if cls else value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, file, problems, seen, depth + 1) for child in node.value]
    item = Item()
    item.line = node.start_mark.line + 1
    item.key_lines = {}
    for key_node, value_node in node.value:
        key = visible(key_node.value) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in item:
            problems.append(Problem(file, line, key, "yaml.duplicate_key"))
        item[key] = _convert(value_node, file, problems, seen, depth + 1)
        item.key_lines[key] = line
    return item


_SYNTAX = (  # PyYAML's wording (English only) → the catalogue's
    ("mapping values are not allowed", "yaml.p.mapping_here"), ("could not find expected ':'", "yaml.p.colon"),
    ("found character '\\t'", "yaml.p.tab"), ("found character", "yaml.p.character"),
    ("did not find expected key", "yaml.p.indent"), ("expected <block end>", "yaml.p.indent"),
    ("found unexpected end", "yaml.p.unclosed"), ("found undefined alias", "yaml.p.alias"),
    ("did not find expected ','", "yaml.p.unclosed"), ("did not find expected node", "yaml.p.value"),
    ("found unknown escape", "yaml.p.escape"), ("while scanning a quoted scalar", "yaml.p.unclosed"),
    ("found a tab character", "yaml.p.tab"), ("did not find expected '-' indicator", "yaml.p.indent"),
)


def _syntax_problem(problem: str, found: str = "") -> str:
    """What PyYAML found wrong, said in the catalogue's words (PyYAML's own text in English where
    the catalogue has none). `found` is the character at the mark: libyaml's `found character
    that cannot start any token` does not say which, and a tab is the one a clerk types."""
    from gridctl.messages import lang

    if found == "\t" and problem.startswith("found character"):
        return t("yaml.p.tab")
    key = next((key for start, key in _SYNTAX if problem.startswith(start)), None)
    if key is None:
        return problem if lang() == "en" else t("yaml.p.other")
    return t(key)


def _at(text: str, mark) -> str:
    """The character at a PyYAML mark ('' where there is none)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column:mark.column + 1]


YAML_MAX = 64 << 20
"""The largest YAML file read: a whole city of 16 districts (~50,000 blocks, ~100,000 people) is
26 MB of YAML; a larger file is a wrong file (or one to split), refused before it is read (a file of
gigabytes ended in MemoryError)."""


def read_file(path: Path, label: str) -> tuple[list, list[Problem]]:
    """Parse every document in one file; a syntax error is a problem, not an exception."""
    problems: list[Problem] = []
    if not path.is_file():          # a device (`--config /dev/zero`), a pipe: never read to its end
        return [], [Problem(label, None, "", "config.not_a_file", {})]
    if (size := path.stat().st_size) > YAML_MAX:
        return [], [Problem(label, None, "", "yaml.too_big", {"mb": size >> 20, "max_mb": YAML_MAX >> 20})]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:       # the line it starts on; Python's reason is English
        return [], [Problem(label, data[:exc.start].count(b"\n") + 1, "", "yaml.not_utf8", {})]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the node tree is acyclic; collecting during a 10 MiB parse only costs time
    try:
        loader = _Loader(text)
        try:
            docs = []
            while loader.check_node():
                docs.append(_convert(loader.get_node(), label, problems))
            return docs, problems
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            error = _syntax_problem(exc.problem or exc.context or str(exc), _at(text, mark))
            return [], [Problem(label, line, "", "yaml.syntax", {"error": error})]
        except _Refused as exc:
            return [], [Problem(label, exc.line, "", exc.what, exc.params)]
        except yaml.reader.ReaderError as exc:     # a control character: said with its line, in words
            found = yaml.reader.Reader.NON_PRINTABLE.search(text)   # (its `position` is off for a str)
            char = exc.character if isinstance(exc.character, int) else ord(exc.character)
            line = text[:found.start()].count("\n") + 1 if found else None
            return [], [Problem(label, line, "", "yaml.control_char", {"char": f"U+{char:04X}"})]
        except (yaml.YAMLError, RecursionError) as exc:  # a reader error (a control character), …
            problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return [], [Problem(label, None, "", "yaml.syntax", {"error": _syntax_problem(problem)})]
        finally:
            loader.dispose()
    finally:
        if gc_was_enabled:
            gc.enable()


def yaml_files(folder: Path) -> list[Path]:
    """Every entry of the folder named *.yaml or *.yml, files or not (a folder, a broken link, a
    pipe so named is a problem of its own: `not_yaml_files`). The ending in any case: a district
    saved as `JINSHUI.YAML` (as some Windows tools name files) was passed over without a word."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))


def not_yaml_files(entries: list[Path]) -> list[Problem]:
    """Entries named like YAML files that are not files gridctl can read, each named: they were
    passed over without a word, so a city's `districts.yaml/` folder was simply not loaded."""
    return [Problem(str(p), None, "", "config.yaml_is_dir" if p.is_dir() else "config.yaml_not_a_file")
            for p in entries if not p.is_file()]


class _Traced(Item):
    """An Item of gridctl's own config files that remembers the last key a reader asked for, so
    a wrong or missing value is reported at its line (`config_problem`)."""

    __slots__ = ()

    def __getitem__(self, key):
        _asked[0] = (self, key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        _asked[0] = (self, key)
        return dict.get(self, key, default)


_asked: list[tuple[Item, str] | None] = [None]


def _traced(value):
    if isinstance(value, Item):
        traced = _Traced((k, _traced(v)) for k, v in value.items())
        traced.line, traced.key_lines = value.line, value.key_lines
        return traced
    if isinstance(value, list):
        return [_traced(v) for v in value]
    return value


def config_problem(path: Path, section: str, what: str, /, **params) -> Problem:
    """A problem in one of gridctl's own config files, at the line of the key last read from it
    (the one whose value was missing or wrong) when there is one."""
    asked, _asked[0] = _asked[0], None
    if asked is None:
        return Problem(str(path), None, section, what, params)
    item, key = asked
    return Problem(str(path), item.key_lines.get(key, item.line), str(key), what, params)


class ConfigValueError(ValueError):
    """A value of one of gridctl's own config files that is wrong, with the catalogue's words for why."""

    def __init__(self, what: str, **params):
        super().__init__(what)
        self.what, self.params = what, params


def config_reason(exc: Exception) -> str:
    """Why a config file's value was refused, in the catalogue's words: Python's own (`invalid
    literal for int() with base 10: 'abc'`, a bare `'patrols'`) are English and say little."""
    from gridctl.messages import t

    if isinstance(exc, ConfigValueError):
        return t(exc.what, **exc.params)
    if isinstance(exc, KeyError):
        return t("config.missing")
    if isinstance(exc, ValueError):
        return t("config.bad_value")
    return t("config.bad_shape")


def unknown_keys(path: Path, doc: Item, known: tuple[str, ...] | dict) -> list[Problem]:
    """The keys of a config file's mapping that gridctl does not read, each a problem at its line
    naming the keys there are: a misspelt key would otherwise be ignored without a word."""
    return [Problem(str(path), doc.key_lines.get(key, doc.line), str(key), "config.unknown_key",
                    {"known": ", ".join(known)}) for key in doc if key not in known]


def refuse_unknown_keys(path: Path, doc: Item, known: tuple[str, ...], inner: list[Problem] | None = None) -> None:
    """A top-level key of a config file that gridctl does not read is an input problem at its line,
    once the file has otherwise been read: a misspelt `patrols:` left no patrol owed, silently.
    `inner`: the file's problems of the same kind found deeper (`unknown_keys` of a part), shown with them."""
    from gridctl.errors import InputProblems

    problems = unknown_keys(path, doc, known) + (inner or [])
    if problems:
        raise InputProblems(sorted(problems, key=lambda p: p.line or 0))


def alias_lists(path: Path, doc: Item, keys: tuple[str, ...] | dict | None = None) -> dict[str, list[str]]:
    """The `aliases:` of sources.yaml or headers.yaml: each key (one of `keys`, when given) → the
    words also taken for it (one word alone is a list of one). The problems (a key gridctl does not
    read, a part of the wrong shape) are collected, each at its line, and refused together."""
    from gridctl.errors import InputProblems

    problems = unknown_keys(path, doc, ("version", "aliases"))
    aliases = doc.get("aliases") or Item()
    if not isinstance(aliases, Item):
        problems.append(Problem(str(path), doc.key_lines.get("aliases", doc.line), "aliases", "config.bad_shape"))
        aliases = Item()
    elif keys is not None:
        problems += unknown_keys(path, aliases, keys)
    out: dict[str, list[str]] = {}
    for key, words in aliases.items():
        words = [words] if isinstance(words, str) else words or []
        if not isinstance(words, list) or any(isinstance(w, (list, dict)) for w in words):
            problems.append(Problem(str(path), aliases.key_lines.get(key, aliases.line), str(key), "config.bad_shape"))
        else:
            out[str(key)] = [str(w) for w in words if w is not None]
    if problems:
        raise InputProblems(sorted(problems, key=lambda p: p.line or 0))
    return out


def folder_in_place(path: Path, name: str) -> Problem | None:
    """A config file (`name`: the copy gridctl ships) that is a folder, a copy gone wrong
    (`mkdir cfg/conduct.yaml`): said as that, with the shipped copy whose comments say how it is
    written, rather than as `请给出文件名` (none was given). None when it is no folder."""
    from gridctl.paths import shipped_configs

    if not Path(path).is_dir():
        return None
    return Problem(str(path), None, "", "config.file_is_dir", {"default": shipped_configs() / name})


def config_document(name: str, path: Path | None = None, *, empty: str | None = None) -> tuple[Path, Item]:
    """One of gridctl's own configuration files (`configs/NAME` unless `path` is given) as a
    mapping; a missing file or a YAML error is an input problem naming the file, and so is a file
    holding nothing (or comments only) where `empty` gives the catalogue's words for it (its
    `{default}`: the copy gridctl ships, whose comments say each key). Files of defaults only
    (sources.yaml, headers.yaml: aliases) give none: empty, they add no words, as when missing."""
    from gridctl.errors import InputProblems
    from gridctl.paths import configs_dir, shipped_configs

    path = Path(path) if path else configs_dir() / name
    if not path.exists():
        raise InputProblems([Problem(str(path), None, "", "sheet.missing", {"file": path})])
    if (folder := folder_in_place(path, name)) is not None:
        raise InputProblems([folder])
    docs, problems = read_file(path, str(path))
    if problems:
        raise InputProblems(problems)
    if empty and (not docs or docs[0] is None):
        raise InputProblems([Problem(str(path), None, "", empty, {"default": shipped_configs() / name})])
    _asked[0] = None
    return path, _traced(docs[0]) if docs and isinstance(docs[0], Item) else Item()
