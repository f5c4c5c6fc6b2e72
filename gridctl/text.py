"""Small text helpers shared by every output: phone masking (for anything posted), a record's
words as compared."""

from __future__ import annotations

import unicodedata

BLANKS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
          "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\ufeff")
"""What a record's words are trimmed of before they are compared (空白): every character Python's
`str.isspace` takes (tab, newline, the full-width space 全角空格 …), and the zero-width space and
byte-order mark a pasted cell may carry. SQL trims the same set (`ledger.records`)."""


def words(text: object) -> str:
    """A record's words as compared: `text` trimmed of `BLANKS`, a blank (or none) as ''."""
    return str(text or "").strip(BLANKS)


_NO_BLANKS = dict.fromkeys(map(ord, BLANKS))


def same_key(text: object) -> str:
    """A 门牌 or a name as compared to tell one household (place, person) from another: NFKC
    (`１２号楼` is `12号楼`, a full-width space a space), letter case folded (`A座` is `a座`), and
    every `BLANKS` character dropped, inside as at the ends (`1 号楼 2单元` is `1号楼2单元`; `王  芳`,
    a two-character name padded to line up with three, is `王芳`). Only compared, and kept beside
    the 门牌 as `households.address_key` (m024, m027): what the clerk wrote is what is shown."""
    return unicodedata.normalize("NFKC", str(text or "")).casefold().translate(_NO_BLANKS)


def names_within(key: str, text: str) -> bool:
    """Whether `key` (a 门牌 as `same_key` reads it) is named in `text` (a place read so too): found
    there, and not as the end or the start of a longer number (`1号楼1单元101` is not named by
    `11号楼1单元101`, nor by `1号楼1单元1012`; in Chinese numbers likewise:
    `一号楼` is not named by `十一号楼`)."""
    start = text.find(key) if key else -1
    while start >= 0:
        end = start + len(key)
        if not (start and key[0].isnumeric() and text[start - 1].isnumeric()) and \
                not (end < len(text) and key[-1].isnumeric() and text[end].isnumeric()):
            return True
        start = text.find(key, start + 1)
    return False


def mask_phone(phone: str | None) -> str | None:
    """`13800001234` → `138****1234`: keep the first 3 and last 4 digits of a personal number."""
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
