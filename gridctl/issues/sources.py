"""问题来源 as clerks write them: the code, the Chinese name, or an alias from `configs/sources.yaml`."""

from __future__ import annotations

import functools

from gridctl.issues import lifecycle as lc


@functools.cache
def _aliases(configs: str) -> dict[str, str]:
    """alias → code; a configs folder without sources.yaml (an older copy) has none. A key
    gridctl does not read (a misspelt `aliases:` or source code) is refused at its line."""
    from pathlib import Path

    from gridctl.config.yamlread import alias_lists, config_document

    path = Path(configs) / "sources.yaml"
    if not path.exists():           # a folder of that name is said as one (config_document)
        return {}
    _, doc = config_document("sources.yaml", path)
    return {word.strip(): code for code, words in alias_lists(path, doc, lc.SOURCES).items() for word in words}


def resolve_source(text: str | None) -> str | None:
    """`hotline`, `热线电话` or `热线` → hotline; None when it is none of them."""
    from gridctl.paths import configs_dir

    value = (text or "").strip()
    return lc.resolve_source(value) or _aliases(str(configs_dir())).get(value)
