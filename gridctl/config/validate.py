"""YAML folder → Config + every problem found (the check stage of `load`).

Nothing here raises for bad input: each problem is recorded with its file and line and
checking goes on, so one run reports them all.
"""

from __future__ import annotations

import re
from pathlib import Path

from gridctl import bounds
from gridctl.config.fields import ItemReader
from gridctl.config.model import (
    CODE_LENGTH, DEADLINE_UNITS, KINDS, LEVELS, PLATFORM_LEVELS,
    Category, Config, Department, Grid, Person, Post, Span, Team, deadline_parts,
)
from gridctl.config.yamlread import Item, folder_in_place, not_yaml_files, read_file, yaml_files
from gridctl.errors import Problem
from gridctl.messages import t

SECTIONS = ("city", "grids", "people", "posts", "departments", "teams",
            "categories", "roles", "department_kinds")
_CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]*")
_DEADLINE = re.compile(r"([1-9][0-9]*)(" + "|".join(u for u in DEADLINE_UNITS if u) + ")?")


class _Sections:
    """Top-level items of every file, in file order, each with the file it came from."""

    def __init__(self):
        self.items: dict[str, list[tuple[str, object, int]]] = {s: [] for s in SECTIONS}

    def add_file(self, path: Path, label: str, problems: list[Problem], empty: Problem | None = None) -> None:
        """`empty`: what a file holding nothing is (0 bytes, comments, `---`: a save cut short?);
        by default a file of the folder that defines nothing."""
        docs, file_problems = read_file(path, label)
        problems.extend(file_problems)
        if not file_problems and all(doc is None for doc in docs):
            problems.append(empty or Problem(label, None, "", "config.empty_file"))
        for doc in docs:
            if doc is None:
                continue
            if not isinstance(doc, Item):
                problems.append(Problem(label, None, "", "config.doc_not_mapping"))
                continue
            for key, value in doc.items():
                line = doc.key_lines[key]
                if key not in SECTIONS:
                    problems.append(Problem(label, line, key, "config.unknown_section", {"allowed": ", ".join(SECTIONS)}))
                elif key == "city":
                    self.items[key].append((label, value, line))
                elif not isinstance(value, list):
                    problems.append(Problem(label, line, key, "config.section_not_list"))
                else:
                    self.items[key].extend((label, v, line) for v in value)

    def mappings(self, section: str, problems: list[Problem]):
        for file, value, line in self.items[section]:
            if isinstance(value, Item):
                yield file, value
            else:
                problems.append(Problem(file, line, section, "config.item_not_mapping"))


def default_duties_path() -> Path:
    from gridctl.paths import configs_dir

    return configs_dir() / "duties.yaml"


def load_config(folder: Path, defaults: Path | None = None) -> tuple[Config, list[Problem]]:
    """Read the defaults and every *.yaml/*.yml in `folder`; return the config and its problems."""
    problems: list[Problem] = []
    folder = Path(folder)
    if not folder.is_dir():     # a district's file given for its folder, or nothing there: said which
        if folder.is_file():
            return Config(), [Problem(str(folder), None, "", "config.a_file", {"folder": folder.parent})]
        exists = folder.exists() or folder.is_symlink()
        return Config(), [Problem(str(folder), None, "", "config.not_a_folder" if exists else "config.no_folder")]
    entries = yaml_files(folder)
    problems.extend(not_yaml_files(entries))
    files = [p for p in entries if p.is_file()]
    if not files:
        return Config(), problems or [Problem(str(folder), None, "", "config.no_yaml")]
    defaults_sections = _Sections()
    defaults = defaults or default_duties_path()
    from gridctl.paths import shipped_configs

    if (folder_problem := folder_in_place(Path(defaults), "duties.yaml")) is not None:
        return Config(), problems + [folder_problem]
    empty = Problem(str(defaults), None, "", "config.empty_duties", {"default": shipped_configs() / "duties.yaml"})
    defaults_sections.add_file(defaults, str(defaults), problems, empty)
    if empty in problems:       # every role, kind and category unknown follows from it: said alone
        return Config(), problems
    sections = _Sections()
    for path in files:
        sections.add_file(path, str(path), problems)
    config = Config()
    _read_vocabulary(config, defaults_sections, sections, problems)
    _read_grids(config, sections, problems)
    _read_people(config, sections, problems)
    _read_posts(config, sections, problems)
    _read_departments(config, sections, problems)
    _read_teams(config, sections, problems)
    _read_categories(config, defaults_sections, sections, problems)
    return config, problems


def _read_vocabulary(config, defaults, sections, problems) -> None:
    for key in ("roles", "department_kinds"):
        words: list[str] = getattr(config, key)
        for group in (defaults, sections):
            for file, value, line in group.items[key]:
                if isinstance(value, (list, dict)):     # said as Python's repr: “['网格长']”
                    problems.append(Problem(file, line, key, "config.word_not_list"))
                elif not isinstance(value, str) or not value.strip():
                    problems.append(Problem(file, line, key, "config.bad_word", {"value": value}))
                elif value not in words:
                    words.append(value)


def _read_grids(config: Config, sections: _Sections, problems: list[Problem]) -> None:
    city = None
    for file, value, line in sections.items["city"]:
        if not isinstance(value, Item):
            problems.append(Problem(file, line, "city", "config.item_not_mapping"))
        elif city is not None:
            problems.append(Problem(file, line, "city", "config.city_twice"))
        else:
            city = _read_grid(config, file, value, "city", None, problems, children=False)
    parent = city.code if city else None
    for file, item in sections.mappings("grids", problems):
        _read_grid(config, file, item, "district", parent, problems)


def _read_grid(config, file, item, level, parent, problems, children=True) -> Grid | None:
    r = ItemReader(item, file, "city" if level == "city" else "grids", problems)
    optional = ("kind", "households", "residents", "extent", "duty_phone")
    r.keys(("code", "name"), optional + (("children",) if children and level != "block" else ()))
    code, name = r.code("code"), r.text("name")
    kind = r.choice("kind", KINDS[level]) if level in KINDS else r.text("kind")
    households, residents = r.count("households"), r.count("residents")
    duty_phone = _phone(r, "duty_phone")
    if code is None or name is None:
        return None
    if len(code) != CODE_LENGTH[level]:
        r.problem("code", "grid.code_length", code=code, level=t(f"level.{level}"), length=CODE_LENGTH[level])
    elif parent and not code.startswith(parent):
        r.problem("code", "grid.code_not_extending", code=code, parent=parent)
    if code in config.grids:
        r.problem("code", "config.duplicate", what=code)
        return None
    siblings_path = config.grids[parent].path if parent and level != "district" else ""
    path = f"{siblings_path}/{name}" if siblings_path else name
    grid = Grid(code, name, level, parent, kind, path, households, residents,
                r.text("extent"), duty_phone)
    config.grids[code] = grid
    _read_children(config, file, item, r, grid, problems)
    return grid


def _read_children(config, file, item, r, grid, problems) -> None:
    children = item.get("children")
    if children is None or grid.level in ("city", "block"):
        return
    if not isinstance(children, list):
        r.problem("children", "config.section_not_list")
        return
    level = LEVELS[LEVELS.index(grid.level) + 1]
    names: set[str] = set()
    for child in children:
        if not isinstance(child, Item):
            r.problem("children", "config.item_not_mapping")
            continue
        made = _read_grid(config, file, child, level, grid.code, problems)
        if made is not None:
            if made.name in names:
                ItemReader(child, file, "grids", problems).problem(
                    "name", "grid.duplicate_sibling_name", name=made.name, parent=grid.path)
            names.add(made.name)


def _phone(r: ItemReader, key: str) -> str | None:
    phone = r.text(key)
    if phone is None:
        return None
    kept = bounds.phone_text(phone)
    if kept is None:
        r.problem(key, "field.bad_phone", value=bounds.halfwidth(phone))
    return kept


def _read_people(config, sections, problems) -> None:
    for file, item in sections.mappings("people", problems):
        r = ItemReader(item, file, "people", problems)
        r.keys(("id", "name"), ("phone", "unit"))
        pid, name, phone, unit = r.text("id"), r.text("name"), _phone(r, "phone"), r.text("unit")
        if pid is None or name is None:
            continue
        if pid in config.people:
            r.problem("id", "config.duplicate", what=pid)
            continue
        config.people[pid] = Person(pid, name, phone, unit)


def _given(*values: str | None) -> tuple[str, ...]:
    """The values of required keys, once their reader has found no problem (so none is None)."""
    given = tuple(value for value in values if value is not None)
    assert len(given) == len(values), "a reader without problems has every required value"
    return given


def _known(r: ItemReader, key: str, value: str | None, table: dict, what: str) -> str | None:
    if value is not None and value not in table:
        r.problem(key, "config.unknown_ref", what=t(f"what.{what}"), value=value)
        return None
    return value


def _read_posts(config, sections, problems) -> None:
    seen: set[tuple] = set()
    roles = set(config.roles)
    for file, item in sections.mappings("posts", problems):
        r = ItemReader(item, file, "posts", problems)
        r.keys(("grid", "role", "person", "since"), ("until",))
        grid = _known(r, "grid", r.code("grid"), config.grids, "grid")
        person = _known(r, "person", r.text("person"), config.people, "person")
        role = r.text("role")
        if role is not None and role not in roles:
            r.problem("role", "config.unknown_role", value=role, roles=" | ".join(config.roles))
        since, until = r.span()
        if not r.ok:
            continue
        grid, role, person, since = _given(grid, role, person, since)
        key = (grid, role, person, since)
        if key in seen:
            r.problem(None, "config.duplicate", what=" ".join(key))
            continue
        seen.add(key)
        config.posts.append(Post(grid, role, person, since, until))


def _read_departments(config, sections, problems) -> None:
    for file, item in sections.mappings("departments", problems):
        r = ItemReader(item, file, "departments", problems)
        r.keys(("code", "name", "grid", "kind"), ())
        code, name = r.text("code"), r.text("name")
        grid = _known(r, "grid", r.code("grid"), config.grids, "grid")
        if grid and config.grids[grid].level not in ("city", "district"):
            r.problem("grid", "department.grid_level", grid=grid)
        kind = r.choice("kind", config.department_kinds)
        if code in config.departments:
            r.problem("code", "config.duplicate", what=code)
        if r.ok:
            code, name, grid, kind = _given(code, name, grid, kind)
            config.departments[code] = Department(code, name, grid, kind)


def _read_teams(config, sections, problems) -> None:
    for file, item in sections.mappings("teams", problems):
        r = ItemReader(item, file, "teams", problems)
        r.keys(("code", "name", "unit", "leader", "grids", "since"), ("members", "until"))
        code, name, unit = r.text("code"), r.text("name"), r.text("unit")
        leader = _known(r, "leader", r.text("leader"), config.people, "person")
        since, until = r.span()
        members = _spans(config, r, "members", "person", config.people, since, until)
        grids = _spans(config, r, "grids", "grid", config.grids, since, until)
        if code in config.teams:
            r.problem("code", "config.duplicate", what=code)
        if r.ok:
            code, name, unit, leader, since = _given(code, name, unit, leader, since)
            config.teams[code] = Team(code, name, unit, leader, since, until, members, grids)


def _spans(config, r: ItemReader, key, what, table, since, until) -> list[Span]:
    """A team's `members` or `grids`: ids, or mappings {person|grid, since, until}."""
    value = r.item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        r.problem(key, "config.section_not_list")
        return []
    spans = []
    for entry in value:
        if isinstance(entry, Item):
            er = ItemReader(entry, r.file, f"{r.section}.{key}", r.problems)
            er.keys((what,), ("since", "until"))
            ref = er.code(what) if what == "grid" else er.text(what)
            ref = _known(er, what, ref, table, what)
            s, u = er.span()
            if not er.ok:
                r.ok = False
                continue
            start = s or since
            if ref is not None and start is not None:    # else the team's own problem is recorded
                spans.append(Span(ref, start, u or until))
            continue
        ref = str(entry) if isinstance(entry, str) else None
        if ref is None or ref not in table:
            r.problem(key, "config.unknown_ref", what=t(f"what.{what}"), value=entry)
            continue
        spans.append(Span(ref, since, until, explicit=False))
    return spans


def _read_categories(config, defaults, sections, problems) -> None:
    for origin, group in (("default", defaults), ("folder", sections)):
        names_here: dict[str, str] = {}
        codes_here: set[str] = set()
        for file, item in group.mappings("categories", problems):
            category = _read_category(config, file, item, origin, problems)
            if category is None:
                continue
            r = ItemReader(item, file, "categories", problems)
            if category.code in codes_here:
                r.problem("code", "config.duplicate", what=category.code)
                continue
            if names_here.get(category.name, category.code) != category.code:
                r.problem("name", "config.duplicate", what=category.name)
                continue
            codes_here.add(category.code)
            names_here[category.name] = category.code
            config.categories[category.code] = category
    by_name: dict[str, str] = {}
    for category in config.categories.values():
        if by_name.setdefault(category.name, category.code) != category.code:
            problems.append(Problem("categories", None, "categories.name",
                                    "config.duplicate", {"what": category.name}))


def _read_category(config, file, item, origin, problems) -> Category | None:
    r = ItemReader(item, file, "categories", problems)
    r.keys(("code", "name", "authority", "lead_role", "deadline"), ("department", "assist"))
    code, name = r.text("code"), r.text("name")
    if code is not None and not _CATEGORY_CODE.fullmatch(code):
        r.problem("code", "category.bad_code", value=code)
    authority = r.choice("authority", PLATFORM_LEVELS)
    lead_role = r.choice("lead_role", config.roles)
    department = r.choice("department", config.department_kinds)
    assist = r.choice("assist", ("team", "none"))
    deadline = r.text("deadline")
    if deadline is not None and not _DEADLINE.fullmatch(deadline):
        r.problem("deadline", "category.bad_deadline", value=deadline)
    elif deadline is not None:
        amount, unit = deadline_parts(deadline)
        if len(deadline) > 9 or amount > bounds.DEADLINE_MAX[unit]:
            r.problem("deadline", "bounds.number", value=deadline[:40], min=1, max=f"{bounds.DEADLINE_MAX[unit]}{deadline[len(str(amount)):]}")
    if not r.ok:
        return None
    code, name, authority, lead_role, deadline = _given(code, name, authority, lead_role, deadline)
    return Category(code, name, authority, lead_role, deadline, department,
                    None if assist == "none" else assist, origin)
