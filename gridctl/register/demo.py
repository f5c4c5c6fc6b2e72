"""A synthetic register for the demo city (`gridctl demo --register`), in the import format.

For each district file the demo wrote, `register/households_<district>.csv` and
`register/residents_<district>.csv`: about 80 households a block (a township of 250 blocks
holds ~20,000 households and ~50,000 residents, as the issue's figure), sizes 1–5, valid
身份证号 for most residents, residence types, and tags in plausible shares (独居老人 for old
people living alone, 低保户, 残疾人, 留守儿童, 社区矫正 …). Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from gridctl.demo import GIVEN, SURNAMES
from gridctl.register.transfer import COLUMNS

HOUSEHOLDS_PER_BLOCK = 80
SIZES = (1, 1, 2, 2, 2, 3, 3, 3, 4, 5)
_BLOCK = re.compile(r'\{code: "(\d{15})", name: ([^,]+), kind: ([^,}\s]+)[,}]')
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_TAGS = (("残疾人", 0.015), ("精神障碍", 0.003), ("刑满释放", 0.002), ("社区矫正", 0.001),
                 ("重点信访", 0.001))
YEAR = 2026


def demo_blocks(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """district code → its blocks (code, kind), read from the demo's district files."""
    out = {}
    for path in sorted(folder.glob("district_*.yaml")):
        text = path.read_text(encoding="utf-8")
        out[path.stem.split("_", 1)[1]] = [(m[1], m[3]) for m in _BLOCK.finditer(text)]
    return out


def write_register(folder: Path, seed: int, households_per_block: float = HOUSEHOLDS_PER_BLOCK) -> dict:
    """Write the register sheets under `folder/register`; return the files and counts."""
    rng = random.Random(seed)
    target = folder / "register"
    target.mkdir(parents=True, exist_ok=True)
    counts = {"households": 0, "residents": 0, "tagged": 0}
    files = []
    for district, blocks in demo_blocks(folder).items():
        pair = (target / f"households_{district}.csv", target / f"residents_{district}.csv")
        _District(random.Random(rng.random()), district, counts).write(blocks, households_per_block, *pair)
        files.append([str(p) for p in pair])
    return {"files": files, **counts}


class _District:
    def __init__(self, rng: random.Random, district: str, counts: dict):
        self.rng, self.district, self.counts = rng, district, counts
        self.used: set[str] = set()

    def write(self, blocks, per_block: float, households_path: Path, residents_path: Path) -> None:
        with households_path.open("w", newline="", encoding="utf-8") as hf, \
                residents_path.open("w", newline="", encoding="utf-8") as rf:
            households, residents = csv.writer(hf), csv.writer(rf)
            households.writerow([COLUMNS["household"][k][0] for k in ("grid", "address", "head", "size", "phone",
                                                                        "tags")])
            residents.writerow([COLUMNS["resident"][k][0] for k in ("grid", "address", "name", "gender",
                                                                      "birth_year", "id_number", "residence",
                                                                      "tags")])
            for code, kind in blocks:
                whole = int(per_block)
                n = whole + (1 if self.rng.random() < per_block - whole else 0)
                for i in range(n):
                    self._household(households, residents, code, kind, i)

    def _household(self, households, residents, code: str, kind: str, i: int) -> None:
        rng = self.rng
        address = f"{i // 20 + 1}组{i % 20 + 1}号" if kind == "村组" else \
            f"{i // 24 + 1}号楼{i % 24 // 8 + 1}单元{i % 8 // 2 + 1}0{i % 2 + 1}"
        size = rng.choice(SIZES)
        surname = rng.choice(SURNAMES)
        members: list[list] = []
        for k in range(size):
            age = rng.randint(60, 92) if size == 1 and rng.random() < 0.5 else \
                rng.randint(25, 80) if k < 2 else rng.randint(1, 24)
            name = ""
            while not name or any(m[2] == name for m in members):
                name = (surname if k != 1 else rng.choice(SURNAMES)) + "".join(
                    rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            members.append([code, address, name, rng.choice("男女"), YEAR - age, self._id(YEAR - age),
                            self._residence(), self._tags(age, size)])
        tags = "低保户" if rng.random() < 0.02 else "特困" if rng.random() < 0.005 else ""
        households.writerow([code, address, members[0][2], size, f"13{rng.randint(0, 999999999):09d}", tags])
        residents.writerows(members)
        self.counts["households"] += 1
        self.counts["residents"] += size
        self.counts["tagged"] += bool(tags) + sum(bool(m[-1]) for m in members)

    def _id(self, year: int) -> str:
        if self.rng.random() < 0.15:
            return ""
        while True:
            body = f"{self.district}{year}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}" \
                   f"{self.rng.randint(0, 999):03d}"
            if body not in self.used:
                self.used.add(body)
                return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]

    def _residence(self) -> str:
        roll = self.rng.random()
        return "户籍" if roll < 0.8 else "流动" if roll < 0.97 else "寄住"

    def _tags(self, age: int, size: int) -> str:
        if size == 1 and age >= 65:
            return "独居老人"
        if age < 16 and self.rng.random() < 0.03:
            return "留守儿童"
        return next((tag for tag, share in RESIDENT_TAGS if self.rng.random() < share), "")
