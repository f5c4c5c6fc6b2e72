"""Start-up stays light: what a clerk's every command imports, seen in `sys.modules` of a real
process (not timed: the times live in tests/benchmarks/bench_startup.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gridctl.cli import app as root
from tests.helpers import run

# Run the real entry point, then list the top-level packages and gridctl modules it imported.
PROBE = """
import json, sys
sys.argv = ["gridctl", *json.loads(sys.argv[1])]
try:
    from gridctl.cli import main
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

HEAVY = ("openpyxl", "pydantic", "sqlite_utils", "rich.console", "rich.table", "rich.progress",
         "gridctl.config.validate", "gridctl.config.fields", "gridctl.reports", "gridctl.scoring")


def imported(*args: str, env=None) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps([str(a) for a in args])],
                          capture_output=True, text=True, env=env)
    result = json.loads(proc.stderr.strip().splitlines()[-1])
    assert result["code"] in (0, None), proc.stderr
    return set(result["modules"])


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


def test_root_help_imports_no_command_module():
    modules = imported("--help")
    assert heavy(modules) == set()
    commands = {m for m in modules if m.startswith("gridctl.cli.")} - {"gridctl.cli.app", "gridctl.cli.common",
                                                                           "gridctl.cli.helptext"}  # the help formatter
    assert commands == set()


# Kept out of a clerk's `issue add` once its calendar has been read (config/kept.py keeps the
# reading): YAML for the calendar, the writer's thread pool (and logging with it), the packaged
# configs' reader (only an installed wheel needs it), the config's records (routing reads only
# config/levels.py's constants), the register (grid show's population), the temporary files of a
# file written (and random with them), the progress bar of an import or export, the table of
# record kinds (patrols, meetings: an issue's add reads none).
KEPT_OUT = ("yaml", "gridctl.config.yamlread", "concurrent.futures", "logging", "importlib.resources",
            "gridctl.config.model", "gridctl.ledger.register", "tempfile", "random", "gridctl.cli.render",
            "gridctl.progress", "gridctl.ledger.kinds")


def kept_out(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == k or m.startswith(k + ".") for k in KEPT_OUT)}


ISSUE_ADD = ("--by", "P007", "issue", "add", "-g", "410105001001001", "-c", "非法建设", "-s", "巡查发现",
             "-t", "楼顶违建")


def test_issue_add_imports_only_its_group_and_no_heavy_library(loaded, tmp_path):
    env = dict(os.environ, GRIDCTL_CACHE=str(tmp_path / "cache"))
    first = imported(*ISSUE_ADD, env=env)           # reads calendar.yaml and keeps what it gave
    assert "yaml" in first and list((tmp_path / "cache").glob("calendar-*.json"))
    modules = imported(*ISSUE_ADD, "--force", env=env)
    assert "gridctl.issues.service" in modules  # it really ran
    assert heavy(modules) == set()
    assert kept_out(modules) == set()
    assert {m for m in modules if m.startswith("gridctl.cli.")} <= {
        "gridctl.cli.app", "gridctl.cli.common", "gridctl.cli.issue", "gridctl.cli.issue_read",
        "gridctl.cli.render"}  # the one table/markup helper: rich itself stays lazy inside it


def test_every_command_comes_from_the_one_table():
    """No module registers at the root by itself: the root app has only its callback."""
    assert root.app.registered_commands == [] and root.app.registered_groups == []
    for name, entry in root.COMMANDS.items():
        command = root.build(name, entry)
        assert command.name == name
        assert entry.help


@pytest.mark.parametrize("name", ["issue", "score", "meeting"])
def test_a_group_lists_its_commands_in_help(name):
    result = run("--lang", "en", name, "--help")
    assert result.exit_code == 0
    assert "Commands:" in result.stdout or "Options:" in result.stdout
    assert "命令:" in run(name, "--help").stdout


def test_an_unknown_command_is_a_usage_error_with_a_suggestion():
    result = run("isue", "list")
    assert result.exit_code == 2
    assert "issue" in result.stderr

