"""身份证号 handled as 个人信息保护法 expects: never stored, never shown in clear.

The ledger keeps a keyed hash (HMAC-SHA256) for matching and the last four characters for a
clerk to tell people apart. The key is NOT in the ledger file: it lives in a file beside it
(`<ledger>.key`, created on first use, readable by its owner only) or in
`GRIDCTL_REGISTER_KEY`. With the key in the same file, the hash would protect nothing: the
birth year and the last four are stored, which leaves about a million candidates to try.
The ledger keeps only the key's fingerprint, so a wrong key is refused rather than silently
failing to match.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gridctl.errors import GridctlError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
KEY_ENV = "GRIDCTL_REGISTER_KEY"
_FINGERPRINT_TEXT = b"gridctl register key"


@dataclass(frozen=True)
class IdNumber:
    """A checked 18-character 身份证号 (GB 11643): what may be kept of it."""

    text: str

    @property
    def last4(self) -> str:
        return self.text[-4:]

    @property
    def birth_year(self) -> int:
        return int(self.text[6:10])


def check_id_number(raw: str) -> IdNumber:
    """Normalise and check a 身份证号; raise ValueError carrying the catalogue key of what is wrong."""
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "").upper()   # ４１０… and Ｘ typed full width
    if len(text) != 18 or not text.isascii() or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise ValueError("register.id_format")
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValueError("register.id_birth") from None
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS))
    if _CHECK[total % 11] != text[17]:
        raise ValueError("register.id_check")
    return IdNumber(text)


def mask_id(last4: str | None) -> str | None:
    return f"**************{last4}" if last4 else None


def key_path(db: Path) -> Path:
    return Path(f"{db}.key")


class Hasher:
    """The ledger's keyed hash for 身份证号; the key is read (or made) on first use."""

    def __init__(self, db: Path, fingerprint: str | None):
        self.db, self.fingerprint = Path(db), fingerprint
        self._key: bytes | None = None
        self.new_fingerprint: str | None = None   # set when this call made the key

    def hash(self, number: IdNumber) -> str:
        return hmac.new(self.key(), number.text.encode(), hashlib.sha256).hexdigest()

    def key(self) -> bytes:
        if self._key is None:
            self._key = self._load()
        return self._key

    def _load(self) -> bytes:
        text = os.environ.get(KEY_ENV)
        path = key_path(self.db)
        if text is None and path.is_dir():      # not the clerk's file name to change: move the folder
            raise GridctlError("register.key_is_dir", path=path, env=KEY_ENV)
        if text is None and path.exists():
            text = path.read_text(encoding="utf-8").strip()
        if text is None:
            if self.fingerprint:
                raise GridctlError("register.key_missing", path=path, env=KEY_ENV)
            text = secrets.token_hex(32)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as exc:
                raise GridctlError("register.key_unwritable", path=path, error=exc.strerror, env=KEY_ENV) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        key = text.encode()
        print_ = _fingerprint(key)
        if self.fingerprint and print_ != self.fingerprint:
            raise GridctlError("register.key_wrong", path=path, env=KEY_ENV)
        if not self.fingerprint:
            self.new_fingerprint = print_
        return key


def _fingerprint(key: bytes) -> str:
    return hmac.new(key, _FINGERPRINT_TEXT, hashlib.sha256).hexdigest()[:16]


def copy_key(source_db: Path, target_db: Path) -> bool:
    """`backup`/`restore`: the key travels with the ledger, or its 身份证号 can no longer be
    matched. A different key already at the target is kept beside it as `.key.old`."""
    source, target = key_path(source_db), key_path(target_db)
    if not source.is_file():
        return False
    text = source.read_bytes()
    if target.is_file():
        if target.read_bytes() == text:
            return True
        target.replace(target.with_name(target.name + ".old"))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(text)
    return True
