"""`--help` in the clerk's language: every help text from the catalogue, Typer's own words too.

A help text in `cli/` is a catalogue key (gridctl/messages.py): `cmd.<command path>` for a command's
page (set by `app.build`, so a command function carries no help text of its own), `root.<name>` for
the root's list of commands, `opt.…`/`arg.…` for an option's or an argument's `help=`. The formatter
says the key in the language in force. Typer vendors Click as `typer._click` with its help words in
English and no hook for them but the formatter and `gettext` (which needs compiled .mo files), so
the words Typer and Click write themselves (`Usage:`, `Options`, `[default: …]`, `[required]`,
`Show this message and exit.`, the completion options) are recognised here and said from the
catalogue. Imported only when a help page is formatted (`common.Context.make_formatter`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from typer._click.formatting import HelpFormatter

from gridctl.messages import CATALOGUE, t

_TYPER_HELP = {  # Typer's and Click's own option help → catalogue key
    "Show this message and exit.": "help.help",
    "Install completion for the current shell.": "help.install_completion",
    "Show completion for the current shell, to copy it or customize the installation.": "help.show_completion",
}
_SECTIONS = {"Options": "help.options", "Commands": "help.commands", "Arguments": "help.arguments"}
# Typer's bracketed notes after an option's help: a default, required, an env var, a range (`x>=1`, `1<=x<=65535`)
_EXTRAS = re.compile(r"^(?P<help>.*?)\s*\[(?P<extras>(?:default|required|env var|x[<>]|-?[\d.]+<)[^\[\]]*)\]$", re.S)
_METAVARS = {"[OPTIONS]": "help.meta.options", "COMMAND [ARGS]...": "help.meta.command"}
_TYPES = {"str": "help.type.str", "path": "help.type.path", "int": "help.type.int",
          "int range": "help.type.int", "float": "help.type.number", "float range": "help.type.number"}
_ARGUMENT = re.compile(r"\{([a-z_]+)\}|\[([a-z_]+)\]")
_TYPE = re.compile(r"<(str|path|int|int range|float|float range)>")


def pick(text: str) -> str:
    """A help text (a catalogue key) in the language in force; Typer's own option help from the
    catalogue too; any other text as it is."""
    if text in _TYPER_HELP:
        return t(_TYPER_HELP[text])
    return t(text) if text in CATALOGUE else text


def help_text(text: str) -> str:
    """A command's whole help (`cmd.…`: paragraphs apart by a blank line, the last an example)."""
    return pick(text.strip())


def argument(name: str) -> str:
    """An argument's metavar (`issue`) in the language in force (`问题`)."""
    key = f"help.arg.{name}"
    from gridctl.messages import CATALOGUE

    return t(key) if key in CATALOGUE else name


def metavars(text: str) -> str:
    """`[OPTIONS] {issue}` → `[选项] {问题}`; `<str>` → `<文本>`."""
    for english, key in _METAVARS.items():
        text = text.replace(english, t(key))
    text = _ARGUMENT.sub(lambda m: "{" + argument(m.group(1)) + "}" if m.group(1) else
                         "[" + argument(m.group(2)) + "]", text)
    return _TYPE.sub(lambda m: "<" + t(_TYPES[m.group(1)]) + ">", text)


def extra(part: str) -> str:
    """One of Typer's bracketed notes: `default: A4`, `required`, `env var: GRIDCTL_DB`, or a range
    (`x>=1`, as written in either language)."""
    part = part.strip()
    if part == "required":
        return t("help.required")
    if part.startswith("default: "):
        return t("help.default", value=part[len("default: "):])
    if part.startswith("env var: "):
        return t("help.env_var", name=part[len("env var: "):])
    return part


def option_help(text: str) -> str:
    """An option's help and Typer's `[default: …; required]` after it, both said."""
    match = _EXTRAS.match(text)
    if not match:
        return pick(text)
    extras = "; ".join(extra(p) for p in match.group("extras").split(";"))
    said = pick(match.group("help"))
    return f"{said}  [{extras}]" if said else f"[{extras}]"




def width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _units(text: str, cjk_breaks: bool) -> Iterator[str]:
    """The pieces a line may break between: words, spaces, and (in prose) single Chinese
    characters, a Chinese punctuation mark kept with the character before it."""
    unit = ""
    for char in text:
        if unit and (char.isspace() != unit[-1].isspace() or (
                cjk_breaks and _wide(char) and _wide(unit[-1]) and unicodedata.category(char)[0] != "P")):
            yield unit
            unit = ""
        unit += char
    if unit:
        yield unit


def joined(text: str) -> str:
    """A paragraph's lines as one: a line break between two Chinese characters is no space
    (`或所记问题不存在\n或属于` → `…不存在或属于`), any other run of white space is one."""
    text = re.sub(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u2e80-\u9fff\uff00-\uffef])", "", text.strip())
    return " ".join(text.split())


def wrap(text: str, columns: int, cjk_breaks: bool = True) -> list[str]:
    """Lines of at most `columns` terminal columns, broken at spaces or between Chinese characters
    (Click's own wrapping counts characters, so Chinese help ran twice as wide as the screen)."""
    lines, line = [], ""
    for unit in _units(joined(text), cjk_breaks):
        if unit.isspace():
            line += " " if line else ""
        elif line.strip() and width(line + unit) > columns:
            lines.append(line.rstrip())
            line = unit
        else:
            line += unit
    return [*lines, line.rstrip()]


class Formatter(HelpFormatter):
    """Click's plain help formatter with every word it writes said in the clerk's language, and
    columns measured as a terminal shows them."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, metavars(args), t("help.usage") if prefix is None else prefix)

    section_name = ""

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        self.section_name = name
        with super().section(t(_SECTIONS[name]) if name in _SECTIONS else name):
            yield

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        columns = max(self.width - self.current_indent, 11)
        example = t("help.example") + ":"
        paragraphs = ["\n".join(indent + line for line in wrap(p, columns, not p.startswith(example)))
                      for p in help_text(text).split("\n\n")]
        self.write("\n\n".join(paragraphs) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(self.term(first), option_help(second)) for first, second in rows]
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        margin = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + margin)
            lines = wrap(second, max(self.width - first_col - self.current_indent - 2, 10))
            self.write(lines[0] + "\n" + "".join(margin + line + "\n" for line in lines[1:]))

    def term(self, text: str) -> str:
        """The left column: an argument's name, an option's names and metavar, a command's name."""
        if self.section_name == "Arguments":
            return argument(text)
        return metavars(text) if self.section_name == "Options" else text
