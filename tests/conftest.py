"""Fixtures: every test gets its own ledger path (GRIDCTL_DB) under tmp_path; none touches real data.

Shared helpers (run, ok, write_folder, MINI, ...) are in tests/helpers.py.
"""

from __future__ import annotations

import gc
import importlib
import os
import shutil
import sys
from pathlib import Path

# The run caches bytecode (in the gitignored __pycache__ folders) even where PYTHONDONTWRITEBYTECODE
# is set, as it is on the shared machine: otherwise every run, and every xdist worker, compiles
# gridctl and rewrites every test module again (collection 4.3 s -> 1.4 s of CPU).
sys.dont_write_bytecode = False  # before gridctl and the test modules are imported

import atexit  # noqa: E402
import tempfile  # noqa: E402

import pytest  # noqa: E402

# What gridctl keeps between commands (config/kept.py: a calendar's reading) goes to a folder of
# the run's own, never the user's ~/.cache; each process of the run (xdist workers, the commands
# the tests start) inherits it, and it is removed when the run ends.
if "GRIDCTL_CACHE" not in os.environ:
    os.environ["GRIDCTL_CACHE"] = tempfile.mkdtemp(prefix="gridctl-cache-")
    atexit.register(shutil.rmtree, os.environ["GRIDCTL_CACHE"], True)

from gridctl.messages import set_lang  # noqa: E402
from tests.helpers import EXAMPLE, MINI, Templates, load_example, scripted_fortnight, write_folder  # noqa: E402


# Scratch ledgers on a RAM file system where the machine has one: a test's files are real files
# either way, but on this shared machine the disk is what the other jobs wait on (every test's
# ledger, its WAL checkpoint at close, and pytest removing old runs' folders: ~20 % of the wall
# time). pytest's own variable (see `pytest --help`), so its numbered folders and their clean-up
# stay as they are; set it to put them elsewhere.
# Only where it has room: a container's /dev/shm is often 64 MiB, and a full run writes far more.
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) \
        and shutil.disk_usage("/dev/shm").free >= 2 << 30:
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", "/dev/shm")

def pytest_configure(config):
    """With `-n … --dist loadfile`, the files go to the workers in the order collected, not fewest
    tests last (xdist's `--loadscope-reorder`): the slowest files have the fewest tests (test_install
    builds a wheel, test_concurrency starts four processes), and sorted last they were the run's
    tail, one worker busy ~6 s after the other had finished."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


_frozen_at: tuple[object, int] = (None, 0)


def pytest_runtest_setup(item):
    """At each test module's first test, and at any later one if modules were imported since (a
    command group, openpyxl): collect, then freeze what is still alive (imported modules, the CLI
    built once, earlier modules' caches) out of the collector's reach.

    A refusal ends in `gc.collect()` (cli/common.py `_release`): in one process per command that
    walks a small heap, but in the test run it walked every object of every module imported so far
    (~300k, ~0.2 s a collection, more than half the suite's CPU time). Frozen objects are still
    freed by reference counting; only a cycle among them would stay until the run ends."""
    global _frozen_at
    if (item.module, len(sys.modules)) != _frozen_at:
        _frozen_at = (item.module, len(sys.modules))
        gc.collect()
        gc.freeze()


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    db = tmp_path / "ledger.db"
    monkeypatch.setenv("GRIDCTL_DB", str(db))
    for var in ("GRIDCTL_LANG", "GRIDCTL_USER", "GRIDCTL_DEBUG", "GRIDCTL_CONFIGS"):
        monkeypatch.delenv(var, raising=False)
    # a recording command needs an actor who is a person in the ledger: P001 is one in both the
    # example city and MINI; a test about the actor itself unsets or overrides it
    monkeypatch.setenv("GRIDCTL_USER", "P001")
    set_lang("zh")
    return db


@pytest.fixture
def db(isolated) -> Path:
    return isolated


def _worker() -> str | None:
    """The pytest-xdist worker this process is (gw0, gw1, ...), None in a run of one process."""
    return os.environ.get("PYTEST_XDIST_WORKER")


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session):
    """In a first run nothing is cached: every worker of `-n` collects every test module, so each
    would rewrite (pytest's asserts) and compile all of them and the gridctl modules they import,
    the same work side by side (5-6 s of CPU a worker here, 2 s once cached; 3 s so). Each worker
    imports the test modules of this run first from its own share of them on (of two workers, gw1
    from the middle), so the workers meet instead, each reading what the other has cached. They
    are the modules collection imports next, by the same names (--import-mode=prepend)."""
    worker, count = _worker(), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    here = Path(__file__).parent
    if worker is None or count < 2 or session.config.getoption("importmode") != "prepend" \
            or str(here) not in sys.path:
        return
    given = [Path(arg.split("::")[0]).resolve() for arg in session.config.args]
    files = [path for path in sorted(here.glob("test_*.py"))
             if any(path == arg or arg in path.parents for arg in given)]
    start = len(files) * int(worker[2:]) // count
    for path in files[start:] + files[:start]:
        try:
            importlib.import_module(path.stem)
        except (Exception, pytest.skip.Exception):      # said by collection, in its words
            return


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Templates:
    """Template ledgers, each built once per run and copied per test. With `-n`, the run's
    workers share them: the folder is beside the workers' own (`getbasetemp().parent`)."""
    if _worker() is None:
        return Templates(tmp_path_factory.mktemp("templates"))
    folder = tmp_path_factory.getbasetemp().parent / "templates"
    folder.mkdir(exist_ok=True)
    return Templates(folder)


@pytest.fixture(scope="session", autouse=True)
def worker_threads():
    """In a worker of `-n`, the threads pytest-xdist runs there (execnet's channel: started before
    any test, blocked reading the pipe from the main pytest process) are not counted by
    `gridctl.forked.threads`: without this, every in-process command that forks (import's router,
    score's replay and rows) would find another thread and work in one process, and the tests of
    the forked path (test_import_routing's) would not test it. Threads a test or gridctl starts
    are counted as ever (a stray thread still means no fork); the fork rule itself is tested in
    processes of its own (test_forks), where nothing is discounted."""
    if _worker() is None:
        yield
        return
    from gridctl import forked

    counted, own = forked.threads, forked.threads() - 1
    forked.threads = lambda: counted() - own
    yield
    forked.threads = counted


@pytest.fixture(scope="session", autouse=True)
def wheel_install(request, tmp_path_factory):
    """test_install's wheel, built and installed by a second process from the start of the run
    (tests.test_install.install): pip's build, ~4 s of CPU, goes on while the tests before
    test_install run. Nothing when test_install is not among the tests run, nor with `-n`: every
    worker collects every test, and the worker given test_install builds the wheel there while
    the others go on (tests.test_install `installed`)."""
    if _worker() is not None or not any(item.path.name == "test_install.py" for item in request.session.items):
        yield None
        return
    from tests.test_install import start_install

    base = tmp_path_factory.mktemp("wheel")
    process = start_install(base)
    yield base, process
    if process.poll() is None:       # the run ended first (-x, Ctrl+C)
        process.kill()
        process.wait()


@pytest.fixture
def mini(tmp_path) -> Path:
    return write_folder(tmp_path / "mini", {"city.yaml": MINI})


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example city that a test may edit."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "zhengzhou"))


@pytest.fixture
def loaded(example, db, templates) -> Path:
    """The example city loaded as of 2026-11-26 (a copy of a template ledger)."""
    templates.copy("loaded", load_example, db)
    return example


@pytest.fixture
def township(example, db, templates) -> Path:
    """The example city loaded as of 2026-11-01 into the ledger of 经八路街道's office (410105001)."""
    templates.copy("township", lambda path: load_example(path, "2026-11-01", node="410105001"), db)
    return example


@pytest.fixture
def fortnight(example, db, templates) -> list[str]:
    """The example city, then two weeks of issues and patrols at 经八路街道
    (tests.helpers.scripted_fortnight); the ids of the issues added there."""
    return templates.copy("fortnight", scripted_fortnight, db)
