"""Every test gets its own ledger path (GRIDCTL_DB) under tmp_path; none touches real data."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridctl.cli.app import app
from gridctl.messages import set_lang

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhengzhou"

MINI = """
city: {code: "4101", name: 郑州市}
grids:
  - code: "410105"
    name: 金水区
    children:
      - code: "410105001"
        name: 经八路街道
        children:
          - code: "410105001001"
            name: 黄河路社区
            kind: 社区
            children:
              - {code: "410105001001001", name: 1号楼院, kind: 楼院}
              - {code: "410105001001002", name: 2号楼院, kind: 楼院}
people:
  - {id: P001, name: 王芳, phone: "13800001234", unit: 经八路街道}
  - {id: P002, name: 李强, phone: "13800005678", unit: 市教体局}
  - {id: P003, name: 张敏, unit: 市教体局}
posts:
  - {grid: "410105001001", role: 第一书记, person: P001, since: 2026-01-01}
  - {grid: "410105001001001", role: 网格长, person: P003, since: 2026-01-01}
departments:
  - {code: CG105, name: 金水区城管执法局, grid: "410105", kind: 城市管理}
  - {code: CG4101, name: 郑州市城市管理局, grid: "4101", kind: 城市管理}
  - {code: JT4101, name: 郑州市交通运输局, grid: "4101", kind: 交通运输}
teams:
  - {code: T01, name: 市教体局驻黄河路社区工作队, unit: 市教体局, leader: P002, members: [P003],
     grids: ["410105001001"], since: 2026-01-01}
"""


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    db = tmp_path / "ledger.db"
    monkeypatch.setenv("GRIDCTL_DB", str(db))
    for var in ("GRIDCTL_LANG", "GRIDCTL_USER", "GRIDCTL_DEBUG", "GRIDCTL_CONFIGS"):
        monkeypatch.delenv(var, raising=False)
    set_lang("zh")
    return db


@pytest.fixture
def db(isolated) -> Path:
    return isolated


class Result:
    def __init__(self, result):
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.exception = result.exception

    def json(self):
        return json.loads(self.stdout)


def run(*args: str) -> Result:
    """Run the real CLI in-process; return exit code, stdout and stderr apart."""
    return Result(CliRunner().invoke(app, [str(a) for a in args]))


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def mini(tmp_path) -> Path:
    return write_folder(tmp_path / "mini", {"city.yaml": MINI})


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example city that a test may edit."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "zhengzhou"))


@pytest.fixture
def loaded(example) -> Path:
    result = run("load", example, "--as-of", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    return example
