"""A synthetic year of issues for a loaded ledger (`gridctl demo --issues N`), for benchmarks.

Every issue goes through the same code as the real commands (`record_new`, `Recorder.move`):
routing, automatic escalation, deadlines on the working calendar, rework, extension, reopen,
callbacks, and some left open or overdue. Deterministic for a seed: event times and their
`recorded_at` come from the generator, never from the clock.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.issues.calendar import load_calendar
from gridctl.issues.service import IssueRecorder, NewIssue, record_new
from gridctl.ledger import grids as gq
from gridctl.ledger import ledger, transaction
from gridctl.ledger.db import get_meta, set_meta

YEAR_START = datetime(2025, 11, 21)
YEAR_END = datetime(2026, 11, 20, 18, 0)
"""The demo year: a year of issues ending a few days before this version was written."""

SOURCE_WEIGHTS = {"patrol": 40, "report": 15, "visit": 5, "hotline": 20, "online": 10,
                  "assigned": 5, "inspection": 5}
SPOTS = ("东侧", "西门", "北楼", "南院", "路口", "楼顶", "地下室", "临街商铺", "小区门口", "绿地")
BATCH = 20_000


def refuse_second_run(db: Path, issues: bool, conduct: bool) -> None:
    """Before anything is written: a ledger holds at most one demo run of each kind."""
    if not Path(db).exists():
        return
    with ledger(db) as conn:
        for what, wanted in (("issues", issues), ("conduct", conduct)):
            if wanted and get_meta(conn, f"demo:{what}"):
                raise GridctlError("demo.already", what=what, seed=get_meta(conn, f"demo:{what}"))


def fill_issues(db: Path, count: int, seed: int) -> dict[str, int]:
    """Add `count` issues with their life cycles, all in one transaction (a killed run leaves
    nothing); a ledger that already holds a demo run of issues is refused."""
    rng = random.Random(seed)
    cal = load_calendar()
    stats: dict[str, int] = {}
    with ledger(db) as conn:
        grids = gq.current_nodes(conn, "block")
        categories = gq.current_categories(conn)
        if not grids or not categories:
            raise GridctlError("issue.no_office")
        if get_meta(conn, "demo:issues"):
            raise GridctlError("demo.already", what="issues", seed=get_meta(conn, "demo:issues"))
        span = int((YEAR_END - YEAR_START).total_seconds() // 60)
        moments = sorted(YEAR_START + timedelta(minutes=rng.randrange(span)) for _ in range(count))
        sources = list(SOURCE_WEIGHTS)
        weights = list(SOURCE_WEIGHTS.values())
        with transaction(conn):
            for start in range(0, count, BATCH):  # flushed a batch at a time: memory stays flat
                rec = IssueRecorder(conn, cal, None, recorded_at=None)
                for reported in moments[start:start + BATCH]:
                    grid, category = rng.choice(grids), rng.choice(categories)
                    source = rng.choices(sources, weights)[0]
                    _life(rec, conn, rng, grid, category, source, reported, stats)
                rec.flush()
            set_meta(conn, "demo:issues", str(seed))
    return stats


def _life(rec, conn, rng, grid, category, source, reported, stats) -> None:
    hours = rng.uniform(0, 6) if rng.random() < 0.85 else rng.uniform(6, 60)
    found = reported - timedelta(hours=hours)
    title = f"{grid['name']}{rng.choice(SPOTS)}{category['name']}问题"
    new = NewIssue(grid["code"], category["code"], source, title, found.strftime("%Y-%m-%d %H:%M"),
                   f"{grid['name']}{rng.choice(SPOTS)}")
    spot = source == "patrol" and rng.random() < 0.15
    state = record_new(conn, rec, new, reported, spot, (grid, category, source))
    _count(stats, "issues")
    if spot:
        _count(stats, "on_the_spot")
        _callback(rec, rng, state, reported, stats)
        return
    clock = Clock(reported, rng)
    if rng.random() < 0.03:
        if clock.step(1, 20):
            rec.move(state, "reject", clock.now, reason="不属于受理范围")
            _count(stats, "rejected")
        return
    if not clock.step(0.2, 30):
        return
    state = rec.move(state, "accept", clock.now)
    if rng.random() < 0.03 and state.level != "city" and clock.step(1, 8):
        state = rec.move(state, "escalate", clock.now, reason="需上级协调")
        _count(stats, "escalated")
    _work(rec, rng, state, clock, stats)


def _work(rec, rng, state, clock, stats) -> None:
    if not clock.step(0.5, 6):
        return
    state = rec.move(state, "dispatch", clock.now)
    if rng.random() < 0.05 and clock.step(2, 24):
        state = rec.move(state, "extend", clock.now, days=rng.randint(1, 5), reason="需协调相关单位",
                         approver=state.lead_person or "platform")
        _count(stats, "extended")
    due = datetime.strptime(state.deadline, "%Y-%m-%d %H:%M")
    left = max((due - clock.now).total_seconds() / 3600, 1)
    if not clock.step(0.2 * left, 1.4 * left):      # about one in six runs late
        return
    state = rec.move(state, "handle", clock.now, note="已处置")
    if rng.random() < 0.08 and clock.step(2, 24):
        state = rec.move(state, "rework", clock.now, reason="处置不到位")
        _count(stats, "reworked")
        if not clock.step(4, 48):
            return
        state = rec.move(state, "handle", clock.now, note="返工后处置完毕")
    if not clock.step(1, 24):
        return
    state = rec.move(state, "close", clock.now)
    _count(stats, "closed")
    if rng.random() < 0.02 and clock.step(24, 240):
        state = rec.move(state, "reopen", clock.now, reason="问题复发")
        _count(stats, "reopened")
        return
    _callback(rec, rng, state, clock.now, stats)


def _callback(rec, rng, state, after, stats) -> None:
    if rng.random() < 0.6:
        clock = Clock(after, rng)
        if clock.step(12, 96):
            result = rng.choices(("satisfied", "fair", "unsatisfied"), (75, 18, 7))[0]
            rec.move(state, "callback", clock.now, result=result)
            _count(stats, "callbacks")


class Clock:
    """Moves an issue's time forward; refuses to pass the end of the demo year."""

    def __init__(self, now: datetime, rng: random.Random):
        self.now, self.rng = now, rng

    def step(self, low_hours: float, high_hours: float) -> bool:
        later = self.now + timedelta(hours=self.rng.uniform(low_hours, high_hours))
        if later > YEAR_END:
            return False
        self.now = later.replace(second=0, microsecond=0)
        return True


def _count(stats: dict, key: str) -> None:
    stats[key] = stats.get(key, 0) + 1
