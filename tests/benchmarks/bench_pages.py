"""Page budget of a district's weekly and monthly, rendered as a person prints them (on demand):

    python -m pytest tests/benchmarks/bench_pages.py -s

Builds (once, cached under $GRIDCTL_BENCH or /tmp/gridctl-bench) `demo --scale district --seed 7
--issues 20000 --conduct`, writes the district's weekly (2026-W46) and monthly (2026-10), converts
them with LibreOffice (scripts/render.sh) and counts the PDF's pages.
Budget: 48 pages each (four dozen). Before #12: weekly 114 pages, monthly 152.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.benchmarks.common import ROOT, gridctl

BUDGET = 48
RENDER = Path(__file__).resolve().parents[2] / "scripts" / "render.sh"
pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")),
                                reason="LibreOffice and poppler-utils are needed to count pages")


@pytest.fixture(scope="module")
def district() -> Path:
    db = ROOT / "district-20000.db"
    if not db.exists():
        gridctl(db, "demo", "--scale", "district", "--seed", "7", "-o", str(ROOT / "district"),
                "--issues", "20000", "--conduct")
    return db


def pages(xlsx: Path) -> int:
    out = subprocess.run(["bash", str(RENDER), str(xlsx), str(xlsx.parent / "pages"), "20"],
                         check=True, capture_output=True, text=True).stdout
    return int(re.search(r" (\d+) pages", out).group(1))


@pytest.mark.parametrize("report", [("weekly", "--week", "2026-W46"), ("monthly", "--month", "2026-10")])
def test_district_report_within_budget(district, tmp_path, report):
    kind, option, period = report
    out = tmp_path / f"{kind}.xlsx"
    seconds = gridctl(district, "report", kind, "--unit", "410101", option, period, "-o", str(out))
    n = pages(out)
    print(f"\n{kind} of the district: {n} pages (budget {BUDGET}), written in {seconds:.1f} s")
    assert n <= BUDGET
