"""The assessment workbook: 成员, 工作队, 派出单位, 奖项, 缺项, 通报, 结果运用, (批准后变动), 说明.

A draft says so in every title. Figures are rounded here, for display only.
"""

from __future__ import annotations

from gridctl import __version__
from gridctl.messages import action_words, known, t
from gridctl.reports.book import SAMPLE, SECTION, Book
from gridctl.scoring.model import Assessment

SCORED = ("discovery", "handling", "reporting", "satisfaction")


def _r(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


# what prints (the rest of each sheet stays on the screen, after these): see reports.book
MEMBERS_PRINTED = ["sc.team", "sc.person", "sc.name", "sc.role", "sc.publicity", "sc.attendance", "sc.study",
                   "sc.satisfaction_item", "sc.conduct", "sc.performance", "sc.total", "sc.tier", "sc.rank", "sc.note"]
TEAMS_PRINTED = ["sc.team", "grid.name", "sc.unit", "sc.members", "sc.conduct", "sc.performance", "sc.total",
                 "sc.tier", "sc.letter", "sc.rank", "sc.note"]


APART_FROM = 5000
"""Members from which 成员's rows (and 工作队's, with `book.SAMPLE` teams or more) are rendered by a
second process (`Book.apart`) while this one writes the other sheets: a sheet rendered apart must
be laid out as its rows come, which takes `SAMPLE` rows."""


def build(result: Assessment, paper=None, csv: bool = False, apart: bool = True):
    """The workbook (`Book`: `.save(path)` writes .xlsx, or 成员 as UTF-8 CSV); a large one's
    成员 and 工作队 rendered apart (`apart`)."""
    approval = result.approval
    status = t("scoring.approved", at=approval["at"], by=approval["actor"]) if approval else t("scoring.draft")
    key = "scoring.title" if result.unit else "scoring.title_all"  # no code glued to the period, no leading blank
    unit = result.scope["name"] if result.scope else result.unit   # the unit in words: T01 市教体局驻…工作队
    title = f"{t(key, unit=unit, period=result.period, as_of=result.as_of)}  {status}"
    if result.unit:
        title += f"  ({t('scoring.partial_view_short')})"               # the unit is named in the title
    if result.changed and result.changed["events"]:
        title += f"  {t('scoring.changed_title', events=len(result.changed['events']))}"
    book = Book(paper, result.as_of, csv)
    notes = {id(m): _member_note(m) for m in result.members}   # both 成员 and 结果运用 show them
    first = [lambda: _members(book, title, result, notes), lambda: _teams(book, title, result)]
    apart_count = 0                                              # the first sheets rendered apart
    if apart and len(result.members) >= max(APART_FROM, SAMPLE):
        apart_count = 2 if len(result.teams) >= SAMPLE else 1
        def write_first() -> None:
            for sheet in first[:apart_count]:
                sheet()

        book.apart(write_first, lambda: build(result, paper, csv, apart=False))
    try:
        for sheet in first[apart_count:]:
            sheet()
        _units(book, title, result)
        _awards(book, title, result)
        _gaps(book, title, result)
        _notices(book, title, result)
        _use(book, title, result, notes)
        if result.changed and result.changed["events"]:
            _changed(book, title, result.changed)
        book.notes(title, _notes(result, status))
    except BaseException:
        book.close()
        raise
    return book


def _rate_headers() -> list[str]:
    keys = []
    for key in SCORED:
        keys += [f"rate.{key}", "report.num_head", "report.den_head", f"sc.p.{key}"]
    return keys


def _label(grade: str | None, total: float | None) -> str | None:
    return grade_word(grade) if total is not None else t("scoring.unrated")


def _members(book, title, r: Assessment, notes: dict[int, str | None]) -> None:
    header = ["sc.team", "sc.unit", "sc.person", "sc.name", "sc.role", "sc.days", "sc.publicity_items",
              "sc.publicity", "sc.absent", "sc.notices", "sc.attendance", "sc.missed", "sc.missed_patrols",
              "sc.missed_meetings", "sc.study", "sc.votes", "sc.satisfaction_item", "sc.conduct",
              "sc.performance", "sc.total", "sc.tier", "sc.letter", "sc.rank", "sc.note"]
    sheet = book.sheet("scoring.members", title, header, landscape=True, printed=MEMBERS_PRINTED)
    roles = {role: t(f"sc.{role}") for role in ("leader", "member")}
    labels: dict[tuple[str | None, bool], str | None] = {}     # the same few grades, said once each
    for m in sorted(r.members, key=lambda m: (m.rank or 10**9, m.id)):
        c, v, items = m.counts, m.votes, m.conduct_items
        rated = m.total is not None
        label = labels.get((m.grade, rated), "?")
        if label == "?":
            label = labels[(m.grade, rated)] = _label(m.grade, m.total)
        cells = [m.team, m.unit, m.person, m.name, roles.get(m.role) or t(f"sc.{m.role}"), m.days,
                 c["publicity"], _r(items["publicity"].points), c["absent"], c["notices"],
                 _r(items["attendance"].points), c["missed"], c["missed_patrols"], c["missed_meetings"],
                 _r(items["study"].points), f"{v['satisfied']}/{v['fair']}/{v['unsatisfied']}",
                 _r(items["satisfaction"].points), _r(m.conduct),
                 _r(m.performance), _r(m.total), label, m.letter, m.rank, notes[id(m)]]
        sheet.row(cells, fill="FFC7CE" if m.flag or m.unfit else None)


def _member_note(m) -> str | None:
    notes = []
    if m.flag:
        notes.append(t("scoring.flag_excluded", reason=m.flag))
    reasons = [t(f"sc.unfit.{u}") for u in m.unfit if u in ("absent", "notices")]
    if reasons:
        notes.append(t("sc.unfit_by_rule", reasons="; ".join(reasons)))
    earlier = [u for u in m.unfit if u not in ("absent", "notices")]
    if earlier:
        notes.append(t("sc.unfit_before", periods=", ".join(earlier)))
    if m.total is None:
        notes.append(t("sc.missing_note", missing=", ".join(_missing(x) for x in m.missing)))
    return "; ".join(notes) or None


def _missing(item: str) -> str:
    if item.startswith("team:"):
        key = item.split(":", 1)[1]
        return f"{t('sc.team')} {t('rate.' + key) if key != 'performance' else t('sc.item.performance')}"
    return t(f"sc.item.{item}") if item in ("survey", "performance") else t(f"rate.{item}")


def _teams(book, title, r: Assessment) -> None:
    """The team's figures, each rate with its numerator, denominator and points (members share them)."""
    sheet = book.sheet("scoring.teams", title, ["sc.team", "grid.name", "sc.unit", "sc.members", "sc.conduct",
                                                *_rate_headers(), "rate.on_time_handling",
                                                "sc.performance", "sc.total", "sc.tier", "sc.letter", "sc.rank", "sc.note"],
                       landscape=True, printed=TEAMS_PRINTED)
    variant = r.config["handling_variant"]
    points = {row.team: row.performance_items for row in r.members}
    for row in sorted(r.teams, key=lambda x: (x.rank or 10**9, x.id)):
        notes = [t("scoring.flag_excluded", reason=row.flag)] if row.flag else []
        if row.total is None:
            notes.append(t("sc.missing_note", missing=", ".join(_missing(x) for x in row.missing)))
        cells = [row.team, row.name, row.unit, f"{row.rated_members}/{row.members}", _r(row.conduct)]
        for key in SCORED:
            rate = row.rates["on_time_handling" if key == "handling" and variant == "on_time" else key]
            item = points.get(row.team, {}).get(key)
            cells += [rate.value, rate.numerator, rate.denominator, _r(item.points) if item else None]
        cells += [row.rates["on_time_handling"].value, _r(row.performance), _r(row.total),
                  _label(row.grade, row.total), row.letter, row.rank, "; ".join(notes) or None]
        sheet.row(cells, percent={5 + 4 * i for i in range(len(SCORED))} | {5 + 4 * len(SCORED)})


def _units(book, title, r: Assessment) -> None:
    sheet = book.sheet("scoring.units", title, ["sc.unit", "sc.teams_count", "sc.total", "sc.tier", "sc.letter",
                                                "sc.rank", "sc.note"], [16, 8, 8, 6, 6, 6, 30])
    for row in sorted(r.units, key=lambda x: (x.rank or 10**9, x.id)):
        note = t("scoring.flag_excluded", reason=row.flag) if row.flag else None
        sheet.row([row.unit, row.teams, _r(row.total), _label(row.grade, row.total), row.letter, row.rank, note])


def _awards(book, title, r: Assessment) -> None:
    sheet = book.sheet("scoring.awards", title, ["sc.award", "sc.who", "sc.total", "sc.rule"], [20, 30, 8, 60])
    cfg = r.config["awards"]
    rule = t("scoring.award_rule", tier=f"{cfg['min_tier']} / {cfg['min_member_tier']}")
    for a in r.awards:
        shared = f" ({t('sc.shared')})" if a.shared else ""
        sheet.row([a.award + shared, f"{a.name or ''} ({a.id})", _r(a.total), rule])
    if r.exclusions:
        sheet.blank()
        sheet.row([t("sc.excluded"), t("sc.who"), t("sc.why"), t("sc.note")], bold=True)
        for e in r.exclusions:
            detail = e.detail
            if e.reason == "unrated" and detail:
                detail = ", ".join(_missing(x.strip()) for x in detail.split(","))
            sheet.row([t(f"sc.kind.{e.kind}"), f"{e.name or ''} ({e.id})", t(f"sc.why.{e.reason}"), detail])


def _gaps(book, title, r: Assessment) -> None:
    sheet = book.sheet("scoring.gaps", title, ["sc.subject", "sc.name", "sc.gap.item", "sc.gap.reason"], [14, 30, 16, 50])
    for g in r.gaps:
        item = g.item if g.item in ("survey", "performance") else g.item
        name = t(f"sc.item.{item}") if item in ("survey", "performance") else t(f"rate.{item}")
        sheet.row([g.subject, g.name, name, t(f"sc.gap.{g.reason}")])


def _notices(book, title, r: Assessment) -> None:
    sheet = book.sheet("scoring.notices", title, ["sc.subject", "sc.flag_kind", "sc.flag_reason", "sc.flag_by",
                                                  "sc.flag_at"], [14, 10, 50, 10, 18])
    for f in r.flags:
        sheet.row([f.subject, t(f"sc.kind.{f.kind}") if f.kind else None, f.reason, f.by, f.at])


def _use(book, title, r: Assessment, notes: dict[int, str | None]) -> None:
    """结果运用: a member's result is 50 % of their own assessment; a team's score 4 % of its
    dispatching unit leadership's and 7 % of a functional department's; a unit graded 差 is not
    advanced. One row per member, one per team, one per unit graded 差."""
    use = r.config["use"]
    member, leadership, department = (use.get("member_share", 0.5), use.get("unit_leadership_share", 0.04),
                                      use.get("department_share", 0.07))
    sheet = book.sheet("scoring.use", title, ["sc.subject", "sc.name", "sc.total", "sc.use.member_col",
                                              "sc.use.leadership_col", "sc.use.department_col", "sc.note"])
    sheet.row([None, t("sc.use.share"), None, member, leadership, department, None], percent={3, 4, 5}, bold=True)
    for m in sorted(r.members, key=lambda m: m.id):
        sheet.row([m.id, m.name, _r(m.total), _r(_times(m.total, member)), None, None, notes[id(m)]])
    for row in sorted(r.teams, key=lambda x: x.id):
        sheet.row([row.id, row.name, _r(row.total), None, _r(_times(row.total, leadership)),
                   _r(_times(row.total, department)), f"{t('sc.unit')}: {row.unit}"])
    lowest = r.config["tiers"][-1][0]
    for unit in r.units:
        if unit.grade == lowest:
            sheet.row([unit.id, unit.name, _r(unit.total), None, None, None, t("sc.use.no_advanced")])


def _times(total: float | None, share: float) -> float | None:
    return None if total is None else total * share


def _changed(book, title, changed: dict) -> None:
    sheet = book.sheet("scoring.changed", title, ["sc.subject", "scoring.status", "sc.total", "sc.note"], [16, 16, 10, 60])
    for row in changed["figures"]:
        sheet.row([row["id"], t("scoring.changed_then"), _r(row["approved"]), None])
        sheet.row([row["id"], t("scoring.draft"), _r(row["now"]), None])
    sheet.blank()
    if changed["events"]:               # the events' own heads: the sheet's are the figures'
        sheet.row([t("scoring.changed_seq"), t("timeline.action"), t("scoring.changed_subject"),
                   t("scoring.changed_times")], fill=SECTION, bold=True)
    for e in changed["events"]:
        sheet.row([e["seq"], action_words(e["action"]), e["issue"] or e["record"],
                   f"{e['happened_at']} / {e['recorded_at'].replace('T', ' ')}"])


def _notes(r: Assessment, status) -> list[tuple[str, object]]:
    cfg = r.config
    facts = [("report.period", f"{r.period}: {r.start} — {r.end}"), ("report.as_of", r.as_of),
             ("report.generated", f"gridctl {__version__}"), ("scoring.version", cfg["version"]),
             ("scoring.status", status), ("report.last_event", r.last_event or t("grid.none"))]
    if r.unit:
        facts.append(("scoring.status", t("scoring.partial_view", unit=r.unit)))
    facts = [(t(k) if not k.startswith("report.") else k, v) for k, v in facts]
    for key in _SAID:  # a section of several parts: one row each, the label on the first
        said = _said(key, cfg)
        parts = said if isinstance(said, list) else [said]
        facts += [(t(f"sc.cfg.{key}") if i == 0 else "", part) for i, part in enumerate(parts)]
    return facts + [(t("sc.cfg.formula"), t("scoring.formula"))]


def grade_word(name: str | None) -> str | None:
    """A grade in the reader's language where the catalogue knows it (scoring.yaml may name others)."""
    return known("grade", name)


def _n(value: float) -> str:
    """5.0 → 5; 0.5 → 0.5."""
    return f"{value:g}"


def _share(value: float) -> str:
    return f"{value * 100:g}%"


def _scale(pairs) -> str:
    """`好 ≥ 90, 较好 ≥ 75, …` with each grade in the reader's language."""
    return ", ".join(f"{grade_word(name)} ≥ {_n(cut)}" for name, cut in pairs)


def _awards_said(cfg: dict) -> list[str]:
    awards = cfg["awards"]
    groups = [f"{t('sc.say.awards.' + who)}: " + ", ".join(t("sc.say.award", name=name, n=n) for name, n in awards[who])
              for who in ("teams", "leaders", "members", "units") if awards.get(who)]
    return [*groups, t("sc.say.awards_min", tier=grade_word(awards["min_tier"]),
                       member_tier=grade_word(awards["min_member_tier"]))]


def _said(key: str, cfg: dict) -> str | list[str]:
    """One section of scoring.yaml said in words (the 说明 sheet printed Python reprs before)."""
    if key in ("publicity", "attendance", "study"):
        return t(f"sc.say.{key}", **{k: _n(v) for k, v in cfg[key].items()})
    if key == "satisfaction":
        weights = {k: _n(v) for k, v in cfg["satisfaction"]["weights"].items()}
        return t("sc.say.satisfaction", points=_n(cfg["satisfaction"]["points"]), **weights)
    if key == "performance":
        return ", ".join(t("sc.say.points", name=t(f"rate.{rate}"), points=_n(points))
                         for rate, points in cfg["performance"].items())
    if key == "handling_variant":
        return t(f"sc.say.variant.{cfg['handling_variant']}")
    if key == "rules":
        return [t(f"sc.say.{rule}.{choice}") for rule, choice in cfg["rules"].items()]
    if key == "unfit":
        return t("sc.say.unfit", **{k: _n(v) for k, v in cfg["unfit"].items()})
    if key in ("tiers", "member_tiers", "letters"):
        return _scale(cfg[key])
    if key == "use":
        use = cfg["use"]
        return t("sc.say.use", member=_share(use.get("member_share", 0.5)),
                 leadership=_share(use.get("unit_leadership_share", 0.04)),
                 department=_share(use.get("department_share", 0.07)))
    if key == "approvers":
        return ", ".join(cfg["approvers"]) or t("sc.say.approvers_any")
    return _awards_said(cfg)


_SAID = ("publicity", "attendance", "study", "satisfaction", "performance", "handling_variant", "rules", "unfit",
         "tiers", "member_tiers", "letters", "use", "approvers", "awards")
