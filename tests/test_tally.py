"""The assessment's counts in SQL (`ledger.tally`, `ledger.scoring.grid_counts`/`team_finds`) equal
`metrics.tally`'s — the one definition of each count — issue by issue as each stood at the moment
counted. Checked on a demo township's year of issues (rejected, escalated, extended, reworked,
reopened, called back, closed on the spot) and on the scripted quarter of test_score (own finds by
members, a late report, a non-member's find), at period ends and at moments inside a period (the
issues changed since are replayed)."""

from __future__ import annotations

from collections import Counter

import pytest

from gridctl import metrics
from gridctl.ledger import ledger
from gridctl.ledger import scoring as sq
from gridctl.reports.asof import issues_as_of
from gridctl.scoring import service
from tests import helpers
from tests.helpers import ok, run, write_folder
from tests.test_score import TOWN, V1, V2, scripted_quarter

KEYS = {key for pair in metrics.RATE_COUNTS.values() for key in pair}


def _one_pass(conn, data, start: str, as_of: str) -> dict[str, Counter]:
    """Every issue as it stood at `as_of`, tallied in Python into each team whose grids hold it."""
    index: dict[str, list[str]] = {}
    for team, grid in data.grids:
        if team in data.teams:
            index.setdefault(grid, []).append(team)
    finders = sq.patrol_finders(conn)
    counts: dict[str, Counter] = {team: Counter() for team in data.teams}
    for s in issues_as_of(conn, {"kind": "all"}, as_of):
        for team, own in service._teams_and_own(s, data, index, finders):
            metrics.tally([s], f"{start} 00:00", as_of, c=counts[team], own=own)
    return counts


def _both(db, period: str, as_of: str) -> tuple[dict, dict]:
    start, end = service.period_bounds(period)
    with ledger(db) as conn:
        data = service._read(conn, start, end)
        counted, _ = service._team_counts(conn, data, (start, end), as_of, set())
        reference = _one_pass(conn, data, start, as_of)
    keep = lambda c: {k: c[k] for k in KEYS}  # noqa: E731
    return ({team: keep(c) for team, c in counted.items()}, {team: keep(c) for team, c in reference.items()})


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tally")
    db = folder / "demo.db"
    result = run("demo", "--scale", "township", "--seed", "4", "-o", folder / "city", "--db", db, "--issues", "1500")
    assert result.exit_code == 0, result.stderr
    return db


@pytest.mark.parametrize("period, as_of", [("2026Q1", "2026-03-31 23:59"), ("2026Q3", "2026-09-30 23:59"),
                                           ("2026Q3", "2026-08-14 12:00"), ("2026", "2026-11-20 18:00")])
def test_sql_counts_equal_the_python_tally_on_a_demo_year(demo_year, period, as_of):
    counted, reference = _both(demo_year, period, as_of)
    assert counted == reference
    totals = Counter()
    for c in counted.values():
        totals.update(c)
    assert all(totals[k] > 0 for k in ("recorded", "due", "due_closed", "due_on_time", "handled", "reworked",
                                       "callbacks", "satisfied")), totals


@pytest.mark.parametrize("as_of", ["2026-09-30 23:59", "2026-08-04 15:30", "2026-07-07 11:30"])
def test_own_finds_in_sql_equal_the_python_tally(db, templates, as_of):
    templates.copy("two_teams_quarter", scripted_quarter, db)
    add = ("issue", "add", "-c", "环境卫生", "--at")
    ok(*add, "2026-07-20 09:00", "-g", V1, "-s", "群众举报", "--reporter", "A1", "-t", "队员举报", by="G", db=db)   # not a find
    ok(*add, "2026-07-21 09:00", "-g", V2, "-s", "巡查发现", "--reporter", "队员丙", "-t", "按姓名", by="G", db=db)  # A2's, by name
    ok(*add, "2026-07-22 09:00", "-g", V1, "-s", "巡查发现", "--reporter", "A2", "-t", "外队发现", by="G", db=db)    # not T1's
    counted, reference = _both(db, "2026Q3", as_of)
    assert counted == reference
    assert counted["T1"]["discovered"] > 0
    if as_of.startswith("2026-09-30"):
        assert (counted["T1"]["discovered"], counted["T2"]["discovered"]) == (2, 2)


def test_nested_and_repeated_team_grids_count_an_issue_once(db, templates, tmp_path):
    """A team assigned a grid and a grid inside it (or its township too) counts each issue once:
    the settled counts per grid go to the teams holding it as a set, as a replayed issue's do."""
    templates.copy("two_teams_quarter", scripted_quarter, db)
    as_of = "2026-09-30 23:59"
    before, _ = _both(db, "2026Q3", as_of)
    nested = TOWN.replace('grids: ["410108001001"]}', 'grids: ["410108001001", "410108001001001"]}')
    nested = nested.replace('grids: ["410108001002"]}', 'grids: ["410108001002", "410108001"]}')
    assert run("--db", db, "load", write_folder(tmp_path / "nested", {"t.yaml": nested}), "--as-of",
               "2026-01-01").exit_code == 0
    counted, reference = _both(db, "2026Q3", as_of)
    assert counted == reference
    assert counted["T1"] == before["T1"] and before["T1"]["recorded"] == 4        # a b c d, once each
    assert counted["T2"]["recorded"] == 5 and counted["T2"]["discovered"] == 1    # the township's: a b c d f


def _monthly_one_pass(conn, unit, groups, start, end, found) -> dict:
    """The monthly pass as one stream of every issue as it stood at `end` (the reference)."""
    from gridctl.reports.monthly import _count_one

    per_group: dict[str, Counter] = {code: Counter() for code in groups.names}
    acc = {"total": Counter(), "handled_by": Counter(), "overdue_by": Counter(), "weekly": Counter()}
    for s in issues_as_of(conn, unit, end):
        _count_one(s, groups, start, end, found, per_group, acc)
    return {"groups": per_group, **acc}


def _nonzero(figures: dict) -> dict:
    return {k: ({g: +c for g, c in v.items() if +c} if k == "groups" else +v) for k, v in figures.items()}


@pytest.mark.parametrize("unit, month, as_of", [("410101001", "2026-03", None), ("410101001", "2026-08", "2026-08-20 12:00"),
                                                 ("410101001001", "2026-10", None)])
def test_monthly_counts_in_sql_equal_the_python_tally(demo_year, unit, month, as_of):
    from gridctl.ledger import reports as rr
    from gridctl.reports import monthly

    first, last = monthly.month_bounds(month)
    end = as_of or f"{last} 23:59"
    with ledger(demo_year) as conn:
        scope = rr.resolve_unit(conn, unit)
        groups = monthly._Groups(conn, scope)
        found = rr.found_by_patrol(conn)
        counted = monthly._pass(conn, scope, groups, f"{first} 00:00", end, found)
        reference = _monthly_one_pass(conn, scope, groups, f"{first} 00:00", end, found)
    assert _nonzero(counted) == _nonzero(reference)
    assert counted["total"]["recorded"] > 0 and counted["handled_by"] and counted["weekly"]


def _weekly_rule(conn, start: str, end: str) -> dict:
    """The weeks each team member owed a patrol and made none, as `patrol missing` finds them:
    week by week, its obligations, its patrols and its leave (the reference)."""
    from datetime import date, timedelta

    from gridctl.issues.calendar import load_calendar
    from gridctl.ledger import records as rq
    from gridctl.records.rules import load_rules
    from gridctl.records.weekly import missing_patrols, on_leave

    rules = [r for r in load_rules()["patrols"] if r["who"] == "team"]
    cal, out = load_calendar(), {}
    for monday, sunday in service._weeks(start, end):
        if sunday > end:
            continue
        first = date.fromisoformat(monday)
        workdays = [d for d in (first + timedelta(days=i) for i in range(7)) if cal.is_workday(d)]
        leave = sq.member_leave(conn, (first - timedelta(days=90)).isoformat(), sunday)
        label = "{}-W{:02d}".format(*first.isocalendar()[:2])
        for ob in missing_patrols(rq.week_obligations(conn, rules, monday, sunday), rq.week_patrols(conn, monday, sunday),
                                  on_leave(leave, workdays)):
            weeks = out.setdefault((ob["via"][5:], ob["person"]), [])
            weeks += [label] if label not in weeks else []
    return out


@pytest.mark.parametrize("period", ["2026Q1", "2026Q3"])
def test_missed_patrols_in_sql_equal_the_weekly_rule(conduct_year, period):
    start, end = service.period_bounds(period)
    with ledger(conduct_year) as conn:
        counted, reference = service._missed_patrols(conn, start, end), _weekly_rule(conn, start, end)
    assert counted == reference and sum(map(len, counted.values())) > 10


def test_missed_patrols_excuse_a_week_of_leave(db, templates):
    templates.copy("two_teams_quarter", scripted_quarter, db)
    with ledger(db) as conn:
        counted, reference = service._missed_patrols(conn, "2026-07-01", "2026-09-30"), _weekly_rule(conn, "2026-07-01", "2026-09-30")
    assert counted == reference and "2026-W29" not in counted[("T2", "A2")]


@pytest.fixture(scope="module")
def conduct_year(tmp_path_factory, templates):
    """A demo township's year with patrols and leave (tests.helpers.conduct_year, built once per run)."""
    db = tmp_path_factory.mktemp("conduct") / "demo.db"
    templates.copy("conduct_year", helpers.conduct_year, db)
    return db
