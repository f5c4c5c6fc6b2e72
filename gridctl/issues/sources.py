"""问题来源 as clerks write them: the code, the Chinese name, or an alias from `configs/sources.yaml`."""

from __future__ import annotations

import functools

from gridctl.issues import lifecycle as lc


@functools.cache
def _aliases(configs: str) -> dict[str, str]:
    """alias → code; a configs folder without sources.yaml (an older copy) has none."""
    from pathlib import Path

    from gridctl.config.yamlread import config_document

    if not (Path(configs) / "sources.yaml").is_file():
        return {}
    _, doc = config_document("sources.yaml", Path(configs) / "sources.yaml")
    out: dict[str, str] = {}
    for code, words in (doc.get("aliases") or {}).items():
        if code in lc.SOURCES:
            out.update({str(word).strip(): code for word in words or []})
    return out


def resolve_source(text: str | None) -> str | None:
    """`hotline`, `热线电话` or `热线` → hotline; None when it is none of them."""
    from gridctl.paths import configs_dir

    value = (text or "").strip()
    return lc.resolve_source(value) or _aliases(str(configs_dir())).get(value)
