"""A synthetic city in the YAML input format, deterministic for a seed (for trying and benchmarks).

City scale is the seed's city: 16 districts, ~200 townships, ~4,000 communities, ~50,000
blocks, ~100,000 people in posts and ~10,000 work teams. Text is written directly (not
through yaml.dump) so a city takes seconds.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError

SCALES = {  # districts, townships per district, communities per township, blocks per community
    "township": (1, 1, 20, 12.5),
    "district": (1, 12.5, 20, 12.5),
    "city": (16, 12.5, 20, 12.5),
}
TEAMS_PER_COMMUNITY = 2.5
TEAM_MEMBERS = 3
CITY = ("4101", "郑州市")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志新海波宁斌浩宇鑫雪琳晨阳凯佳欣怡婷雯倩颖晶慧俊峰亮成飞春梅荣利丹林燕文博瑞昊天泽轩涵睿思源"
PLACE = "金水二七中原管城惠济上街航空高新经开郑东巩义荥阳新密新郑登封中牟东风花园文化丰产纬五经八黄河农业南阳商城陇海航海嵩山京广铭功人和福华兴华大学碧沙岗长江桐柏五龙老鸦陈古荥梨河龙湖薛店孟庄和庄观音寺八千新村郭店城关大孟刘集白沙官渡三官庙"
DISPATCHERS = ["市教体局", "市交通局", "市卫健委", "市民政局", "市人社局", "市农委", "市财政局", "市统计局",
               "市文广局", "市科技局", "市商务局", "市审计局", "市林业局", "市水务局", "市园林局", "市档案局"]
DEPARTMENT_KINDS = {"城市管理": "城管执法局", "安全生产": "应急管理局", "市场监管": "市场监管局", "公安": "公安分局",
                    "信访": "信访局", "交通运输": "交通运输局", "人力资源社会保障": "人社局", "民政": "民政局",
                    "卫生健康": "卫健委", "司法行政": "司法局"}


@dataclass
class _Writer:
    rng: random.Random
    lines: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    person_no: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def place(self, used: set[str], suffix: str) -> str:
        while True:
            a, b = self.rng.randrange(0, len(PLACE) - 1), self.rng.randrange(0, len(PLACE) - 1)
            name = PLACE[a:a + 2] + (PLACE[b] if self.rng.random() < 0.3 else "") + suffix
            if name not in used:
                used.add(name)
                return name

    def person(self, unit: str) -> str:
        self.person_no += 1
        pid = f"P{self.person_no:07d}"
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        name = self.rng.choice(SURNAMES) + given
        self.people.append(f'  - {{id: {pid}, name: {name}, phone: "100{self.person_no:08d}", unit: {unit}}}')
        self.count("people")
        return pid

    def post(self, grid: str, role: str, unit: str) -> str:
        pid = self.person(unit)
        self.posts.append(f'  - {{grid: "{grid}", role: {role}, person: {pid}, since: 2025-01-01}}')
        self.count("posts")
        return pid


def _spread(total: float, rng: random.Random) -> int:
    """An integer near `total` (12.5 → 12 or 13) so sizes vary like a real city."""
    whole = int(total)
    return whole + (1 if rng.random() < total - whole else 0)


_OWN = re.compile(r"city\.yaml|district_\d{6}\.yaml|register")
"""What a demo writes into its folder: a folder holding only these is an earlier demo's, written again."""


def _check_folder(folder: Path) -> None:
    """A new or empty folder, or an earlier demo's: never among a city's own definitions, whose
    city.yaml the demo's would replace (`-o ''` is the current folder)."""
    if folder.exists() and not folder.is_dir():
        raise GridctlError("demo.not_a_folder", path=folder)
    others = sorted(p.name for p in folder.iterdir() if not _OWN.fullmatch(p.name)) if folder.is_dir() else []
    if others:
        raise GridctlError("demo.folder_in_use", folder=folder.resolve(), names=", ".join(others[:5]))


def write_demo(folder: Path, scale: str, seed: int) -> dict[str, int]:
    """Write a synthetic city into `folder` (one file per district); return the counts."""
    rng = random.Random(seed)
    _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    districts, townships, communities, blocks = SCALES[scale]
    totals: dict[str, int] = {}
    city_lines = [f'city: {{code: "{CITY[0]}", name: {CITY[1]}}}', "departments:"]
    for kind, name in DEPARTMENT_KINDS.items():
        code = f"C{len(city_lines):03d}"
        city_lines.append(f'  - {{code: {code}, name: 市{name}, grid: "{CITY[0]}", kind: {kind}}}')
    totals["departments"] = len(DEPARTMENT_KINDS)
    (folder / "city.yaml").write_text("\n".join(city_lines) + "\n", encoding="utf-8")
    used: set[str] = set()
    team_no = 0
    for d in range(1, districts + 1):
        w = _Writer(random.Random(rng.random()))
        w.person_no = totals.get("people", 0)
        code = f"{CITY[0]}{d:02d}"
        team_no = _district(w, code, w.place(used, "区"), townships, communities, blocks, team_no)
        (folder / f"district_{code}.yaml").write_text("\n".join(
            w.lines + ["people:"] + w.people + ["posts:"] + w.posts + ["teams:"] + w.teams) + "\n",
            encoding="utf-8")
        for key, n in w.counts.items():
            totals[key] = totals.get(key, 0) + n
    return totals


def _district(w: _Writer, code, name, townships, communities, blocks, team_no) -> int:
    w.count("districts")
    w.lines += ["grids:", f'  - code: "{code}"', f"    name: {name}", "    children:"]
    w.post(code, "分包县区领导", name)
    used: set[str] = set()
    for s in range(1, _spread(townships, w.rng) + 1):
        t_code = f"{code}{s:03d}"
        kind = w.rng.choice(("街道", "街道", "镇", "乡"))
        t_name = w.place(used, "街道" if kind == "街道" else kind)
        w.count("townships")
        w.lines += [f'      - code: "{t_code}"', f"        name: {t_name}", f"        kind: {kind}",
                    "        children:"]
        w.post(t_code, "党政主要领导", t_name)
        w.post(t_code, "分包领导", t_name)
        team_no = _communities(w, t_code, t_name, kind, communities, blocks, team_no)
    dept_lines = [f'  - {{code: D{code}{i:02d}, name: {name}{suffix}, grid: "{code}", kind: {kind}}}'
                  for i, (kind, suffix) in enumerate(DEPARTMENT_KINDS.items(), 1)]
    w.lines += ["departments:"] + dept_lines
    w.count("departments", len(dept_lines))
    return team_no


def _communities(w: _Writer, t_code, t_name, t_kind, communities, blocks, team_no) -> int:
    used: set[str] = set()
    for c in range(1, _spread(communities, w.rng) + 1):
        c_code = f"{t_code}{c:03d}"
        village = t_kind != "街道" and w.rng.random() < 0.7
        kind = "村" if village else "社区"
        c_name = w.place(used, kind)
        w.count("communities")
        w.lines += [f'          - code: "{c_code}"', f"            name: {c_name}", f"            kind: {kind}"]
        at, households = len(w.lines), 0
        w.lines.append("            children:")
        for role in ("第一书记", "支部书记", "首席民警"):
            w.post(c_code, role, t_name if role == "第一书记" else c_name)
        for b in range(1, _spread(blocks, w.rng) + 1):
            b_code = f"{c_code}{b:03d}"
            b_kind, b_name = ("村组", f"第{b}组") if village else ("楼院", f"{b}号楼院")
            b_households = random.Random(b_code).randint(60, 320)      # its own draw: the city stays the same
            households += b_households
            w.lines.append(f'              - {{code: "{b_code}", name: {b_name}, kind: {b_kind}, '
                           f'households: {b_households}, residents: {b_households * 3 - b_households // 7}}}')
            w.count("blocks")
            w.post(b_code, "网格长", c_name)
            if w.rng.random() < 0.75:
                w.post(b_code, "专职网格员", c_name)
        w.lines[at:at] = [f"            households: {households}",
                          f"            residents: {households * 3 - households // 7}",
                          f'            duty_phone: "0371-6{int(c_code) % 10**7:07d}"']
        for _ in range(_spread(TEAMS_PER_COMMUNITY, w.rng)):
            team_no += 1
            unit = w.rng.choice(DISPATCHERS)
            leader = w.person(unit)
            members = ", ".join(w.person(unit) for _ in range(TEAM_MEMBERS))
            w.teams.append(f'  - {{code: T{team_no:05d}, name: {unit}驻{c_name}工作队{team_no}, unit: {unit}, '
                           f'leader: {leader}, members: [{members}], grids: ["{c_code}"], since: 2025-01-01}}')
            w.count("teams")
    return team_no
