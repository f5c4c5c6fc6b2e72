"""A normal (non-editable) install works from a folder outside the checkout.

The wheel is built from this checkout, installed with `--no-deps` into a fresh virtual
environment whose only other path is this environment's site-packages (for typer, openpyxl
and friends: the test must not need the network). `.ci/run` does the same with a real
`pip install` of the wheel and its dependencies.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhengzhou"
GRID = "金水区/经八路街道/黄河路社区/1号楼院"


def _sh(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def install(base: Path) -> Path:
    """A clean copy of the checkout under `base`, its wheel built, and installed into a fresh venv
    there (returned). Raises with pip's words if the build or the install fails."""
    source = base / "source"  # a clean copy: a stale build/ in the checkout must not leak in
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", "build", "dist", "tmp", "*.egg-info", "__pycache__", ".git", ".pytest_cache", ".hypothesis",
        "*.db*"))
    built = _sh(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", base / "dist", source)
    if built.returncode != 0:
        raise RuntimeError(f"wheel build failed:\n{built.stderr[-3000:]}")
    (wheel,) = (base / "dist").glob("gridctl-*.whl")
    venv = base / "venv"
    made = _sh(sys.executable, "-m", "venv", "--without-pip", venv)
    if made.returncode != 0:
        raise RuntimeError(f"venv failed:\n{made.stderr[-3000:]}")
    done = _sh(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
               "--quiet", "--no-deps", "--no-index", wheel)
    if done.returncode != 0:
        raise RuntimeError(f"install failed:\n{done.stderr[-3000:]}")
    (purelib,) = (venv / "lib").glob("python3*/site-packages")
    # dependencies only: a plain path line, so this environment's own gridctl (editable) stays out
    (purelib / "zz_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


def start_install(base: Path) -> subprocess.Popen:
    """`install(base)` in a process of its own. conftest.py starts it with the run (fixture
    `wheel_install`), so that pip's build (~4 s of CPU) goes on beside the tests before this module's."""
    with open(base / "install.log", "w") as log:
        return subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                                 "from tests.test_install import install; install(Path(sys.argv[1]))", base],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def installed(wheel_install, tmp_path_factory) -> Path:
    if wheel_install is None:       # a worker of `-n`: built here, while the other workers go on
        return install(tmp_path_factory.mktemp("wheel"))
    base, process = wheel_install
    if process.wait(timeout=600) != 0:
        pytest.fail((base / "install.log").read_text(encoding="utf-8", errors="replace")[-3000:])
    return base / "venv"


def _clean_env() -> dict:
    """No GRIDCTL_* settings and no PYTHONPATH: only what the installed wheel brings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GRIDCTL_", "PYTHON"))}


def _gridctl(venv: Path, cwd: Path, *args):
    return _sh(venv / "bin" / "gridctl", "--db", "city.db", *args, cwd=cwd, env=_clean_env())


def test_installed_wheel_runs_outside_the_checkout(installed, tmp_path):
    where = _sh(installed / "bin" / "python", "-c", "import gridctl, sys; print(gridctl.__file__)",
                cwd=tmp_path, env=_clean_env())
    assert where.stdout.startswith(str(installed)), where.stdout + where.stderr
    for args in (("load", EXAMPLE), ("grid", "tree", "--depth", "1"),
                 ("--by", "P007", "issue", "add", "-g", GRID, "-c", "非法建设", "-s", "巡查发现",
                  "-t", "楼顶私搭乱建", "--at", "2026-11-20 09:00"),
                 ("--by", "P007", "issue", "accept", "1", "--at", "2026-11-20 10:00"),
                 ("score", "-q", "2026Q4", "--json")):
        result = _gridctl(installed, tmp_path, *args)
        assert result.returncode == 0, f"{args}: {result.stderr}"
    assert "郑州市" in _gridctl(installed, tmp_path, "grid", "tree", "--depth", "1").stdout


def test_wheel_carries_every_default_config(installed):
    (purelib,) = (installed / "lib").glob("python3*/site-packages")
    shipped = sorted(p.name for p in (purelib / "gridctl" / "configs").glob("*.yaml"))
    assert shipped == sorted(p.name for p in (ROOT / "configs").glob("*.yaml"))
    for name in shipped:
        assert (purelib / "gridctl" / "configs" / name).read_bytes() == (ROOT / "configs" / name).read_bytes()
