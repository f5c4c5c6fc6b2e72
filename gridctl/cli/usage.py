"""Usage errors (exit 2) in the clerk's language, from the one catalogue.

Typer (0.26 and later) vendors Click as `typer._click` and writes its usage errors in English
with no translation hook, so the root group runs in non-standalone mode, catches the
exception and renders it here from the exception's own fields: the option, the value, and
what the type expected (the pydantic error Typer raises it from). Typer does not re-export
these exception classes yet (fastapi/typer discussion #1832), hence `typer._click`.
"""

from __future__ import annotations

import ast
import re
from typing import Any

import typer
from typer._click import exceptions as ce

from gridctl.messages import t

_EXPECTED = {  # pydantic error type → catalogue key and the context key holding the limit
    "int_parsing": ("usage.want_integer", None), "int_type": ("usage.want_integer", None),
    "int_from_float": ("usage.want_integer", None), "float_parsing": ("usage.want_number", None),
    "float_type": ("usage.want_number", None), "bool_parsing": ("usage.want_bool", None),
    "greater_than_equal": ("usage.at_least", "ge"), "greater_than": ("usage.more_than", "gt"),
    "less_than_equal": ("usage.at_most", "le"), "less_than": ("usage.less_than", "lt"),
}


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "option":
        return next((o for o in param.opts if o.startswith("--")), param.opts[0])
    from gridctl.cli.helptext import argument

    return argument(param.name) if param.name else param.human_readable_name    # as --help names it: 缺少参数 文件


def _choices(param: Any) -> list[str]:
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return [str(getattr(choice, "value", choice)) for choice in choices]
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not getattr(descriptor, "is_choice", False) or not descriptor.choices:
        return []
    return [str(getattr(choice, "value", choice)) for choice in descriptor.choices]


def _why(exc: ce.BadParameter) -> tuple[str | None, str]:
    """The value given and what was expected, from the parameter and the pydantic error behind `exc`."""
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not errors:
        return _why_click(exc)
    first = errors[0]
    value = first.get("input")
    kind, ctx = first.get("type", ""), first.get("ctx") or {}
    if choices := _choices(exc.param):
        return value, t("usage.choices", choices=", ".join(choices))
    if kind in _EXPECTED:
        key, limit = _EXPECTED[kind]
        return value, t(key, limit=ctx.get(limit)) if limit else t(key)
    return value, t("usage.not_valid")


_CLICK_TYPES = (  # the fixed wording of Typer's vendored Click types: (pattern, catalogue key)
    (re.compile(r"(?P<value>.+) is not a valid (?:int|integer|int range)\."), "usage.want_integer"),
    (re.compile(r"(?P<value>.+) is not a valid (?:float|float range)\."), "usage.want_number"),
    (re.compile(r"(?P<value>.+) is not a valid boolean\..*"), "usage.want_bool"),
    (re.compile(r"(?P<value>.+) is not one of .*"), "usage.choices"),
    (re.compile(r"(?P<value>.+) is not in the range .*"), "range"),
)


def _unquote(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _why_click(exc: ce.BadParameter) -> tuple[str | None, str]:
    """The value and what was expected, from a Click type's message and the parameter."""
    for pattern, key in _CLICK_TYPES:
        match = pattern.fullmatch(exc.message)
        if not match:
            continue
        value = _unquote(match.group("value"))
        if key == "usage.choices":
            return value, t(key, choices=", ".join(_choices(exc.param)) or exc.message.split(" of ", 1)[1])
        if key == "range":
            kind = getattr(exc.param, "type", None)
            low, high = getattr(kind, "min", None), getattr(kind, "max", None)
            if low is not None and (high is None or _below(value, low)):
                return value, t("usage.at_least", limit=low)
            return value, t("usage.at_most", limit=high) if high is not None else t("usage.not_valid")
        return value, t(key)
    return None, t("usage.not_valid")


def _below(value: str, low) -> bool:
    try:
        return float(value) < low
    except ValueError:
        return True


def _generic(exc: ce.UsageError) -> str:
    """Typer's own plain usage errors, recognised by their fixed English wording."""
    text = exc.message
    if match := re.fullmatch(r"No such command '(.*?)'\.(?: Did you mean (.*)\?)?", text):
        found = t("usage.no_such_command", name=match.group(1))
        names = re.findall(r"'(.*?)'", match.group(2) or "")
        return t("usage.did_you_mean", message=found, name=", ".join(names)) if names else found
    if text == "Missing command.":
        return t("usage.missing_command")
    if match := re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text):
        return t("usage.extra_arguments", args=match.group(1))
    return text


def _from_environment(exc: ce.BadParameter) -> bool:
    """Whether the value refused came from the option's environment variable."""
    from typer._click.core import ParameterSource

    param = exc.param
    return (exc.ctx is not None and param is not None and param.name is not None and bool(getattr(param, "envvar", None))
            and exc.ctx.get_parameter_source(param.name) == ParameterSource.ENVIRONMENT)


def message(exc: ce.UsageError) -> str:
    """One line saying what was wrong with the command line."""
    if isinstance(exc, ce.MissingParameter):
        key = "usage.missing_argument" if exc.param_type == "argument" or (
            exc.param is not None and exc.param.param_type_name == "argument") else "usage.missing_option"
        return t(key, name=_param_name(exc.param))
    if isinstance(exc, ce.BadParameter):
        name = _param_name(exc.param)
        if _from_environment(exc):      # GRIDCTL_LANG=fr: said as the variable, not as --lang never typed
            name = t("usage.environment_variable", var=getattr(exc.param, "envvar", ""))
        value, why = _why(exc)
        if value is None:
            return t("usage.bad_value_plain", name=name)
        return t("usage.bad_value", name=name, value=value, why=why)
    if isinstance(exc, ce.NoSuchOption):
        if exc.ctx is not None and exc.option_name in _global_options(exc.ctx):   # `init --node X --db l.db`
            return t("usage.global_option", name=exc.option_name, command=exc.ctx.command_path.partition(" ")[2])
        text = t("usage.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text = t("usage.possible", message=text, names=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, ce.BadOptionUsage):
        key = "usage.takes_no_value" if "does not take" in exc.message else "usage.needs_value"
        return t(key, name=exc.option_name)
    return _generic(exc)


def _global_options(ctx: Any) -> set[str]:
    """The options of `gridctl` itself (`--db`, `--lang`, `--by`, …), which come before the command."""
    root = ctx.find_root() if ctx is not None else None
    if root is None or root is ctx:
        return set()
    return {name for param in root.command.params for name in getattr(param, "opts", ())}


def _lang_from(ctx: Any, args: list[str]) -> None:
    """A usage error may come before the root callback ran: take --lang from what was parsed,
    or from the command line where the root's own options failed to parse (`--lang en --db`)."""
    from gridctl.messages import set_lang

    root = ctx.find_root() if ctx is not None else None
    lang = root.params.get("lang") if root is not None else None
    if lang is None:
        lang = _lang_written(args)
    if lang is not None:
        set_lang(getattr(lang, "value", lang))


def _lang_written(args: list[str]) -> str | None:
    """The value of `--lang X` or `--lang=X` on the command line, if given."""
    for at, arg in enumerate(args):
        if arg == "--lang" and at + 1 < len(args):
            return args[at + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def code(exc: ce.UsageError) -> str:
    """What kind of usage error, for a script reading `--json`."""
    for kind, name in ((ce.MissingParameter, "usage.missing"), (ce.BadParameter, "usage.bad_value"),
                       (ce.NoSuchOption, "usage.no_such_option"), (ce.BadOptionUsage, "usage.bad_option")):
        if isinstance(exc, kind):
            return name
    return "usage.error"


def show(exc: ce.UsageError, args: list[str]) -> None:
    """On stderr; and, when the command line asked for `--json`, as `{"error": …}` on stdout too
    (the shape of a refusal's, so a script reads one shape whatever went wrong)."""
    _lang_from(exc.ctx, args)
    said = message(exc)
    if "--json" in args:
        from gridctl.cli.common import emit_json

        emit_json({"error": {"code": code(exc), "params": {}, "message": said}})
    typer.echo(t("usage.error", message=said), err=True)
    if exc.ctx is not None:
        typer.echo(t("usage.try_help", command=exc.ctx.command_path), err=True)
