"""The conduct rules (`configs/conduct.yaml`): who owes patrols and meetings each week."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from gridctl import bounds
from gridctl.config.yamlread import (
    ConfigValueError,
    Item,
    config_document,
    config_problem,
    config_reason,
    refuse_unknown_keys,
    unknown_keys,
)
from gridctl.errors import GridctlError, InputProblems, Problem
from gridctl.messages import choices
from gridctl.records.kinds import MEETING_KINDS, vocabulary
from gridctl.text import words

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> dict:
    path, doc = config_document("conduct.yaml", path, empty="rules.empty")
    try:
        patrols = [{"who": r["who"], "roles": _roles(r.get("roles")), "per_week": _count(r.get("per_week", 1))}
                   for r in doc.get("patrols") or []]
        meetings = [{"who": r["who"], "kind": _meeting_kind(r["kind"]), "per_week": _count(r.get("per_week", 1))}
                    for r in doc.get("meetings") or []]
        _check_who(path, doc.get("patrols") or [], patrols, "rules.bad_who")
        _check_who(path, doc.get("meetings") or [], meetings, "rules.bad_meeting_who")
        rules = {"version": str(doc.get("version", "")), "patrols": patrols, "meetings": meetings,
                 "survey_min_participants": _count(doc.get("survey_min_participants", 50))}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputProblems([config_problem(path, "conduct", "rules.bad", error=config_reason(exc))]) from None
    refuse_unknown_keys(path, doc, ("version", "patrols", "meetings", "survey_min_participants"), [
        problem for part, keys in (("patrols", ("who", "roles", "per_week")), ("meetings", ("who", "kind", "per_week")))
        for rule in doc.get(part) or [] if isinstance(rule, Item) for problem in unknown_keys(path, rule, keys)])
    return rules


def _count(value) -> int:
    """A count of the rules (per_week, survey_min_participants): a whole number a week or a meeting
    can hold. `per_week: 99999999999999999999` ended the score in 内部错误: OverflowError (past what
    SQLite binds)."""
    number = int(value)
    if not 0 <= number <= bounds.COUNT_MAX:
        raise ConfigValueError("rules.bad_count", value=value, max=bounds.COUNT_MAX)
    return number


def _roles(value) -> list[str]:
    """A patrol rule's `roles`: a list of post names (`[下沉人员]`). Anything else was taken as it
    came: `roles: 网格长` as the roles 网, 格 and 长, and `roles: [a, [b]]` ended `patrol missing` in
    内部错误 (a list bound as an SQL parameter). Each a post's role as its words (`text.words`): `"　网格长 "`
    was a role no post holds, and no 网格长 owed a patrol."""
    roles = value or []
    if not isinstance(roles, list) or not all(isinstance(role, str) and words(role) for role in roles):
        raise ConfigValueError("rules.bad_roles")
    return [words(role) for role in roles]


def _meeting_kind(value) -> str:
    """A meeting rule's `kind`, as meetings are recorded (碰头会; its code `huddle` taken too). A
    mapping there ended `meeting missing` in 内部错误 (bound as an SQL parameter), and a kind no
    meeting can have (`碰头汇`) had every team miss its meeting every week."""
    code = vocabulary(MEETING_KINDS, value) if isinstance(value, str) else None
    if code is None:
        raise ConfigValueError("rules.bad_meeting_kind", kind=value if isinstance(value, str) else "",
                               choices=choices(MEETING_KINDS))
    return MEETING_KINDS[code]


def _check_who(path: Path, items: list[Item], rules: list[dict], what: str) -> None:
    """Each rule owes to someone gridctl knows: `team`, or (patrols) `post` with its roles; one that
    is not is refused at its `who:` line (it was said with no line: `conduct.yaml: conduct: …`),
    and a meeting rule's `who: teem` was taken as `team` without a word."""
    whos = ("team", "post") if what == "rules.bad_who" else ("team",)
    for item, rule in zip(items, rules):
        if rule["who"] not in whos or (rule["who"] == "post" and not rule["roles"]):
            line = item.key_lines.get("who", item.line) if isinstance(item, Item) else None
            raise InputProblems([Problem(str(path), line, "who", "rules.bad", {"error": config_reason(
                ConfigValueError(what, who=rule["who"]))})])


def week_text(text: str) -> str:
    """A week as gridctl writes it (`2026-W05`) from what a person typed (`2026w5`, `2026-w05`):
    the reports and lists say it so. Refused as `week_bounds` refuses."""
    monday = date.fromisoformat(week_bounds(text)[0])
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(text: str) -> tuple[str, str]:
    """`2026-W47` → ("2026-11-16", "2026-11-22"): its Monday and Sunday (w in either case)."""
    match = _WEEK.fullmatch(bounds.halfwidth(text.strip()))      # ２０２６－Ｗ４７ typed full-width
    try:
        if not match:
            raise ValueError
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        if match and 1 <= int(match[1]) <= 9999:     # written as a week, but the year has no such week
            weeks = date(int(match[1]), 12, 28).isocalendar()[1]
            raise GridctlError("rules.no_such_week", value=text, year=match[1], weeks=weeks) from None
        raise GridctlError("rules.bad_week", value=text) from None
    bounds.year(monday, "--week", text)
    return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
