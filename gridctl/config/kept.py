"""A configuration file's reading kept between commands (解析结果缓存), named by its content.

Reading `calendar.yaml` cost a clerk's every `issue add` the YAML library's import (about a
quarter of what the command adds to Python's own start). What the reading gives is kept as JSON
in the user's cache folder (`GRIDCTL_CACHE`, else `$XDG_CACHE_HOME/gridctl`, else
`~/.cache/gridctl`; `GRIDCTL_CACHE=` empty keeps nothing), in a file named by the SHA-256 of the
file's bytes and of the code that reads them: a file changed in any byte has another name and is
read again, whatever its dates say. The code is named as Python names its byte-code, by its
files' size and modification time (`CODE`), so another gridctl or PyYAML reads the file afresh.
Only a file read without a problem is kept; a kept entry that cannot be read is read afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent
CODE = (_HERE / "config" / "yamlread.py", _HERE / "config" / "kept.py", _HERE / "bounds.py")
"""The code every kept reading depends on (each caller adds its own module)."""


def folder() -> Path | None:
    explicit = os.environ.get("GRIDCTL_CACHE")
    if explicit is not None:
        return Path(explicit) if explicit else None
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:    # no home folder to be found: nothing kept
        return None
    return Path(base) / "gridctl"


def name(kind: str, data: bytes, code: tuple[Path, ...]) -> str | None:
    """The kept file's name for `data` read by `code`; None when the code cannot be named."""
    digest = hashlib.sha256(kind.encode() + b"\0" + data)
    yaml = _yaml_origin()
    if yaml is None:
        return None
    try:
        for path in (*CODE, *code, Path(yaml)):
            stat = os.stat(path)
            digest.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    except OSError:
        return None
    return f"{kind}-{digest.hexdigest()}.json"


def _yaml_origin() -> str | None:
    from importlib.util import find_spec

    spec = find_spec("yaml")
    return spec.origin if spec else None


def kept(kind: str, data: bytes, code: tuple[Path, ...]) -> dict | None:
    """What was kept for these bytes, or None (nothing kept, or not readable)."""
    where, file = folder(), name(kind, data, code)
    if where is None or file is None:
        return None
    try:
        value = json.loads((where / file).read_bytes())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def keep(kind: str, data: bytes, code: tuple[Path, ...], value: dict) -> None:
    """Keep `value` for these bytes; a folder that cannot be written keeps nothing, silently.
    Written whole under another name, then renamed: a reader sees the whole file or none."""
    where, file = folder(), name(kind, data, code)
    if where is None or file is None:
        return
    part = where / f".{file}.{os.getpid()}"
    try:
        where.mkdir(parents=True, exist_ok=True)
        part.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(part, where / file)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
