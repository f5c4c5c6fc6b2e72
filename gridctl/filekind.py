"""What a file is, by its first bytes: a command given the file of another (a bundle to `restore`,
a ledger to `merge`, a workbook to `bundle --since`) says what the file is and which command reads
it, not that it is damaged.

The kinds: `sqlite` (a ledger or its backup), `zip` (an Excel workbook), `bundle` (what `gridctl
bundle` writes: gzip of JSON lines that start with its header), `bundle_text` (a bundle unpacked),
`packed_sqlite` (a ledger or backup compressed with gzip), `gzip` (any other gzip file), `text`
(UTF-8 text without control characters), or None: empty, unreadable, or bytes of no kind, which a
file damaged in transit may start with.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_BUNDLE_HEAD = b'{"gridctl_bundle"'
_HEAD = 4096
_TEXT_CONTROLS = frozenset("\t\n\r\f")


def kind_of(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError:
        return None             # the command's own reading says why
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_GZIP_MAGIC):
        return _packed(path)
    if head.startswith(_BUNDLE_HEAD):
        return "bundle_text"
    return "text" if _is_text(head) else None


def _packed(path: Path) -> str:
    """A gzip file by what it holds: a bundle, a compressed ledger, or something else."""
    try:
        with gzip.open(path, "rb") as handle:
            inside = handle.read(max(len(SQLITE_MAGIC), len(_BUNDLE_HEAD)))
    except (OSError, EOFError, zlib.error):
        inside = b""
    if inside.startswith(_BUNDLE_HEAD):
        return "bundle"
    return "packed_sqlite" if inside.startswith(SQLITE_MAGIC) else "gzip"


def _is_text(head: bytes) -> bool:
    """UTF-8 (a character cut at the end of the bytes read is fine) with no control character but
    tab, line ends and form feed: damage in transit does not turn gzip into that."""
    if not head:
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(c >= " " or c in _TEXT_CONTROLS for c in text) and "\x7f" not in text
