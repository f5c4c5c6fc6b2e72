"""The assessment workbook: 成员, 工作队, 派出单位, 奖项, 说明. A draft says so in every title."""

from __future__ import annotations

from gridctl import __version__
from gridctl.messages import t
from gridctl.reports.book import Book

SCORED = ("discovery", "handling", "reporting", "satisfaction")


def build(result: dict):
    approval = result["approval"]
    status = t("scoring.approved", at=approval["at"], by=approval["actor"]) if approval else t("scoring.draft")
    title = f"{t('scoring.title', unit=result['unit'] or '', period=result['period'], as_of=result['as_of'])}  {status}"
    book = Book()
    _members(book, title, result)
    _teams(book, title, result)
    _units(book, title, result)
    _awards(book, title, result)
    book.notes(title, _notes(result, status))
    return book.finish()


def _rate_headers() -> list[str]:
    keys = []
    for key in SCORED:
        keys += [f"rate.{key}", "report.num", "report.den", f"sc.p.{key}"]
    return keys


def _members(book, title, r) -> None:
    header = ["sc.team", "sc.unit", "sc.person", "sc.name", "sc.role", "sc.days", "sc.publicity_items",
              "sc.publicity", "sc.absent", "sc.notices", "sc.attendance", "sc.missed", "sc.study", "sc.votes",
              "sc.satisfaction_item", "sc.conduct", *_rate_headers(), "sc.performance", "sc.total", "sc.tier",
              "sc.letter", "sc.rank", "sc.note"]
    sheet = book.sheet("scoring.members", title, header, [8, 10, 10, 8, 6, 6] + [8] * 10 + [8, 6, 6, 8] * 4 + [9, 8, 6, 5, 6, 30],
                       landscape=True)
    percent = {16 + 4 * i for i in range(len(SCORED))}
    for m in sorted(r["members"], key=lambda m: (m["rank"] or 10**9, m["id"])):
        c, v, items = m["counts"], m["votes"], m["conduct_items"]
        cells = [m["team"], m["unit"], m["person"], m["name"], t(f"sc.{m['role']}"), m["days"],
                 c["publicity"], items["publicity"]["points"], c["absent"], c["notices"],
                 items["attendance"]["points"], c["missed"], items["study"]["points"],
                 f"{v['satisfied']}/{v['fair']}/{v['unsatisfied']}", items["satisfaction"]["points"], m["conduct"]]
        for key in SCORED:
            rate = m["rates"]["on_time_handling" if key == "handling" and r["config"]["handling_variant"] == "on_time" else key]
            cells += [rate["value"], rate["numerator"], rate["denominator"], m["performance_items"][key]["points"]]
        note = t("scoring.flag_excluded", reason=m["flag"]) if m["flag"] else None
        cells += [m["performance"], m["total"], m["grade"], m["letter"], m["rank"], note]
        sheet.row(cells, percent=percent, fill="FFC7CE" if m["flag"] else None)


def _teams(book, title, r) -> None:
    sheet = book.sheet("scoring.teams", title, ["sc.team", "grid.name", "sc.unit", "sc.members", "sc.conduct",
                                                "sc.performance", "sc.total", "sc.tier", "sc.letter", "sc.rank", "sc.note"],
                       [8, 30, 12, 8, 9, 9, 8, 6, 6, 6, 30])
    for row in sorted(r["teams"], key=lambda x: (x["rank"] or 10**9, x["id"])):
        note = t("scoring.flag_excluded", reason=row["flag"]) if row["flag"] else None
        sheet.row([row["team"], row["name"], row["unit"], row["members"], row["conduct"], row["performance"],
                   row["total"], row["grade"], row["letter"], row["rank"], note])


def _units(book, title, r) -> None:
    sheet = book.sheet("scoring.units", title, ["sc.unit", "sc.teams_count", "sc.total", "sc.tier", "sc.letter", "sc.rank"],
                       [16, 8, 8, 6, 6, 6])
    for row in sorted(r["units"], key=lambda x: (x["rank"] or 10**9, x["id"])):
        sheet.row([row["unit"], row["teams"], row["total"], row["grade"], row["letter"], row["rank"]])


def _awards(book, title, r) -> None:
    sheet = book.sheet("scoring.awards", title, ["sc.award", "sc.who", "sc.total", "sc.rule"], [20, 30, 8, 60])
    cfg = r["config"]["awards"]
    rule = t("scoring.award_rule", tier=cfg["min_tier"])
    for a in r["awards"]:
        sheet.row([a["award"], f"{a.get('name') or ''} ({a['id']})", a["total"], rule])


def _notes(r, status) -> list[tuple[str, object]]:
    cfg = r["config"]
    facts = [("report.period", f"{r['period']}: {r['start']} — {r['end']}"), ("report.as_of", r["as_of"]),
             ("report.generated", f"gridctl {__version__}"), ("scoring.version", cfg["version"]),
             ("scoring.status", status), ("report.last_event", r["last_event"] or t("grid.none"))]
    for key in ("publicity", "attendance", "study", "satisfaction"):
        facts.append((f"sc.cfg.{key}", str(cfg[key])))
    facts += [("sc.cfg.performance", str(cfg["performance"])), ("sc.cfg.handling_variant", cfg["handling_variant"]),
              ("sc.cfg.rules", str(cfg["rules"])), ("sc.cfg.tiers", str(cfg["tiers"])),
              ("sc.cfg.letters", str(cfg["letters"])), ("sc.cfg.use", str(cfg["use"])),
              ("sc.cfg.awards", str(cfg["awards"])), ("sc.cfg.formula", t("scoring.formula"))]
    return [(t(k) if not k.startswith("report.") else k, v) for k, v in facts]
