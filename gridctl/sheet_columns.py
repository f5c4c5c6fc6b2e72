"""The columns of gridctl's import sheets (导入表的表头): for each, field → its headers (Chinese,
then English). One definition each, below `sheets` and the importers that use them, so that the
keys of `configs/headers.yaml` can be checked against every sheet's headers at once."""

from __future__ import annotations

ISSUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "grid": ("网格编码", "grid"), "category": ("问题类别", "category"), "source": ("来源", "source"),
    "title": ("问题描述", "title"), "found_at": ("发现时间", "found_at"),
    "reporter": ("上报人", "reporter"), "place": ("地点", "place"), "phone": ("联系电话", "phone"),
    "ref": ("编号", "ref"), "reported_at": ("上报时间", "reported_at"),
}
PATROL_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "date"), "person": ("人员", "person"), "grid": ("网格编码", "grid"),
    "households": ("走访户数", "households"), "notes": ("民情日记", "notes"), "found": ("发现问题", "found"),
    "visited": ("走访户", "visited"),
}
SURVEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "team": ("工作队", "team"), "date": ("日期", "date"), "participants": ("参会人数", "participants"),
    "person": ("人员", "person"), "satisfied": ("满意", "satisfied"), "fair": ("一般满意", "fair"),
    "unsatisfied": ("不满意", "unsatisfied"),
}
_GRID: dict[str, tuple[str, ...]] = {"grid": ("网格编码", "grid")}
_COMMON_TAIL: dict[str, tuple[str, ...]] = {"phone": ("联系电话", "phone"), "tags": ("标签", "tags"), "note": ("备注", "note")}
REGISTER_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "household": _GRID | {"address": ("门牌", "address"), "head": ("户主", "head"), "size": ("人口", "size")}
    | _COMMON_TAIL,
    "resident": _GRID | {"address": ("门牌", "address"), "name": ("姓名", "name"), "gender": ("性别", "gender"),
                         "birth_year": ("出生年份", "birth_year"), "id_number": ("身份证号", "id_number"),
                         "residence": ("户籍类型", "residence")} | _COMMON_TAIL,
    "place": _GRID | {"kind": ("场所类别", "place_kind"), "name": ("名称", "name"), "address": ("地址", "address"),
                      "contact": ("联系人", "contact"), "phone": ("联系电话", "phone"),
                      "tags": ("风险标签", "标签", "tags"), "note": ("备注", "note")},
    "org": _GRID | {"kind": ("组织类别", "org_kind"), "name": ("名称", "name"), "address": ("地址", "address"),
                    "contact": ("联系人", "contact"), "phone": ("联系电话", "phone"), "tags": ("标签", "tags"),
                    "note": ("备注", "note")},
}


SHEETS: dict[str, list[dict[str, tuple[str, ...]]]] = {
    "issue": [ISSUE_COLUMNS], "patrol": [PATROL_COLUMNS], "survey": [SURVEY_COLUMNS],
    "register": list(REGISTER_COLUMNS.values()),
}
"""Each import command (`gridctl <name> import`) → the column tables its sheets take."""


def sheet_for(headers: list[str], own: dict[str, tuple[str, ...]]) -> str | None:
    """The import command whose sheet these headers are (all of them its own headers), when they
    are not the sheet of `own` (the command being run): a patrol sheet given to `issue import`
    is then said as that, not only as four unknown columns. `headers`: as `plain_header` reads them."""
    given = {head for head in headers if head}
    fits = [command for command, tables in SHEETS.items()
            if any(given <= {head.lower() for heads in table.values() for head in heads} for table in tables)]
    mine = next(command for command, tables in SHEETS.items() if own in tables)
    return fits[0] if given and fits and mine not in fits else None


def shown(heads: tuple[str, ...]) -> str:
    """A column's header as the screen names it: its English header under `--lang en`, its Chinese
    one otherwise (a sheet takes either)."""
    from gridctl.messages import lang

    english = lang() == "en"
    return next((head for head in heads if head.isascii() == english), heads[0])


def listed(columns: dict[str, tuple[str, ...]]) -> str:
    """A sheet's headers, in the screen's language and its way of listing them."""
    from gridctl.messages import lang

    return (", " if lang() == "en" else "、").join(shown(heads) for heads in columns.values())


def import_headers() -> list[str]:
    """Every header of the import sheets (issues, patrols, surveys, the register's four), Chinese
    and English, in their tables' order: what a key of headers.yaml may name."""
    tables = [ISSUE_COLUMNS, PATROL_COLUMNS, SURVEY_COLUMNS, *REGISTER_COLUMNS.values()]
    return list(dict.fromkeys(head for table in tables for heads in table.values() for head in heads))
