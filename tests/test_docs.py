"""The docs that travel with gridctl stay true: the command reference is the real --help, the
format tables are the code's, and the README needs nothing outside the repository."""

from __future__ import annotations

import re

import pytest
from cogapp import Cog

from tests.helpers import ROOT, command

DOCS = [ROOT / "docs" / "commands.md", ROOT / "docs" / "formats.md"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_generated_docs_are_current(doc, monkeypatch):
    """Regenerate with: .venv/bin/cog -r docs/commands.md docs/formats.md"""
    monkeypatch.chdir(ROOT)
    assert Cog().main(["cog", "--check", str(doc)]) == 0, f"{doc.name} is stale: run cog -r {doc}"


def test_every_command_is_in_the_reference():
    text = DOCS[0].read_text(encoding="utf-8")
    group = command()
    for name in group.list_commands(None):
        assert f"## gridctl {name}\n" in text
        sub = group.commands[name]
        for child in getattr(sub, "commands", {}) or {}:
            assert f"## gridctl {name} {child}\n" in text


def test_readme_and_docs_need_nothing_outside_the_repository():
    for path in [ROOT / "README.md", *DOCS, ROOT / "gridctl" / "docs.md"]:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "SPEC.md" not in text, path
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(([^)#:]+)\)", readme):
        assert (ROOT / link).exists(), link
