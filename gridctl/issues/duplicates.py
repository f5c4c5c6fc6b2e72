"""Possible duplicates (重复上报): an issue of the same grid and category, reported within the
window (`configs/calendar.yaml` `windows.duplicate_days`, 7 by default, either side), whose title
says nearly the same thing.

Similarity is measured on the titles' character pairs (bigrams), after dropping spaces and
punctuation: shared pairs ÷ the pairs of the shorter title (the overlap coefficient). Chinese
titles are short — 楼道堆物, 垃圾乱堆放 — and a three-character run (the FTS5 trigram) is often
not shared by two wordings of one thing: 垃圾堆放 and 垃圾乱堆放 share no trigram but two of three
pairs (0.67). More than half the shorter title's pairs shared is similar (`SIMILAR`); titles
with different numbers (3号楼, 5号楼) are not. The
candidates are few (one grid, one category, two weeks), so they are compared here, not in SQL.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from gridctl.errors import GridctlError
from gridctl.ledger import issues as iq
from gridctl.timefmt import fmt

SIMILAR = 0.5
_NUMBER = re.compile(r"[0-9]+")
"""Titles sharing more than this share of the shorter one's character pairs are similar."""


@dataclass(frozen=True)
class Candidate:
    """An issue already recorded that the new one may repeat."""

    id: str
    title: str
    status: str
    reported_at: str
    similarity: float

    def to_dict(self) -> dict:
        return asdict(self)


class PossibleDuplicates(GridctlError):
    """`issue add` refused: similar issues are recorded already (record anyway with --force)."""

    def __init__(self, candidates: list[Candidate], days: int):
        super().__init__("issue.possible_duplicates", count=len(candidates), days=days)
        self.candidates = candidates


def _plain(title: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", title).lower() if unicodedata.category(c)[0] in "LN")


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


@functools.lru_cache(maxsize=1 << 16)
def _marks(title: str) -> tuple[list[str], set[str]]:
    """A title's numbers (sorted) and character pairs, worked out once per title: an import
    compares each row with every one of its grid and category nearby, so a title comes back
    many times (50k rows on 50 blocks: 2M comparisons). Callers only read them."""
    plain = _plain(title)
    return sorted(_NUMBER.findall(plain)), _pairs(plain)


def similarity(a: str, b: str) -> float:
    """Shared character pairs ÷ the pairs of the shorter title (0 … 1). Titles that both carry
    numbers and not the same ones (3号楼 / 5号楼, 第1件 / 第9件) are other places or things: 0."""
    (na, pa), (nb, pb) = _marks(a), _marks(b)
    if na and nb and na != nb:
        return 0.0
    if not pa or not pb:
        return 0.0
    return len(pa & pb) / min(len(pa), len(pb))


def _window(at: datetime, days: int) -> tuple[str, str]:
    return fmt(at - timedelta(days=days)), fmt(at + timedelta(days=days))


def candidates(conn, grid: str, category: str, title: str, at: datetime, days: int,
               exclude: str | None = None) -> list[Candidate]:
    """Issues of this grid and category reported within `days` of `at` (not rejected) whose
    title is similar to `title`, most similar first. `days` 0 switches the check off."""
    if days <= 0:
        return []
    since, until = _window(at, days)
    found = []
    for issue_id, other, status, reported in iq.near(conn, grid, category, since, until):
        score = similarity(title, other)
        if issue_id != exclude and score > SIMILAR:
            found.append(Candidate(issue_id, other, status, reported, round(score, 2)))
    return sorted(found, key=lambda c: (-c.similarity, c.reported_at, c.id))


GROUPS_CHECKED = 2000
"""An import's rows are compared within at most this many (grid, category) groups: one indexed
look-up each (≈ 0.3 ms on a 200k-issue district ledger). A larger import (a backfill of history)
is not checked, and says so (`None`)."""


def among(conn, after: int, days: int) -> list[dict] | None:
    """For issues just imported (those numbered after `after`, `iq.last_num` before the import):
    each one that may repeat another issue of the ledger (imported with it or before), as {id,
    title, candidates: [ids]}. Nothing is refused: a sheet is the clerk's record of what came in,
    and it is imported whole (or not at all). None: not checked (more than `GROUPS_CHECKED`
    groups). Read group by group from the ledger, so memory holds one group's window, not the
    import; an issue is another's candidate when recorded before it (a smaller number)."""
    if days <= 0:
        return []
    groups = iq.groups_after(conn, after, GROUPS_CHECKED + 1)
    if len(groups) > GROUPS_CHECKED:
        return None
    out = []
    for grid, category in groups:
        start, end = iq.span_after(conn, after, grid, category)
        since, _ = _window(datetime.fromisoformat(start), days)
        _, until = _window(datetime.fromisoformat(end), days)
        near = sorted(iq.near_numbered(conn, grid, category, since, until), key=lambda r: r[3])
        times = [r[3] for r in near]
        for issue_id, num, title, reported in iq.titles_after(conn, after, grid, category):
            lo, hi = _window(datetime.fromisoformat(reported), days)
            others = [near[i][0] for i in range(bisect_left(times, lo), bisect_right(times, hi))
                      if near[i][4] < num                   # a pair is told once
                      and similarity(title, near[i][1]) > SIMILAR]
            if others:
                out.append({"id": issue_id, "title": title, "candidates": others})
    return sorted(out, key=lambda d: d["id"])


def of_rows(conn, rows, days: int) -> list[dict] | None:
    """`issue import --dry-run`: each sheet row (row, grid, category, title, reported at) that may
    repeat an issue already in the ledger, as {row, title, candidates: [ids]} (rows of the same
    sheet are compared only by the import itself). None: more than `GROUPS_CHECKED` rows."""
    out = []
    for n, (row, grid, category, title, at) in enumerate(rows):
        if n >= GROUPS_CHECKED:
            return None
        found = candidates(conn, grid, category, title, at, days)
        if found:
            out.append({"row": row, "title": title, "candidates": [c.id for c in found]})
    return out
