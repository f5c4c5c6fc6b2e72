"""Writing an output file whole or not at all, and plain words for a file system's refusals.

`replacing(target)` hands out a temporary file beside the target and renames it onto the
target only when writing finished: a full disk, a killed process or an error leaves the old
file (or none) in place, never a partial one. `file_error` turns an OSError into one line.
"""

from __future__ import annotations

import errno
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridctl.errors import GridctlError

_WORDS = {
    errno.ENOENT: "file.missing", errno.ENOTDIR: "file.missing", errno.EISDIR: "file.is_dir",
    errno.EACCES: "file.read_only", errno.EPERM: "file.read_only", errno.EROFS: "file.read_only",
    errno.ENOSPC: "file.disk_full", errno.EDQUOT: "file.disk_full", errno.EFBIG: "file.too_big",
    errno.ENAMETOOLONG: "file.name_too_long", errno.ELOOP: "file.link_loop",
}


class FileRefused(GridctlError):
    """The file system refused: no such folder, a folder where a file should be, no room, …"""


_size_limit_hit = False


def watch_size_limit() -> None:
    """Note when a write of this command meets the process's file size limit (`ulimit -f`,
    RLIMIT_FSIZE). The kernel then sends SIGXFSZ, which Python ignores, and the write fails with
    EFBIG; SQLite reports it only as a disk I/O error, so the signal is what tells the two apart."""
    global _size_limit_hit
    _size_limit_hit = False
    try:
        signal.signal(signal.SIGXFSZ, _on_size_limit)
    except ValueError:          # not the main thread: EFBIG is still refused, in plainer words
        pass


def _on_size_limit(signum, frame) -> None:
    global _size_limit_hit
    _size_limit_hit = True


def size_limit() -> str | None:
    """The file size limit, as `ulimit -f` shows it, when a write of this command met it; else None."""
    if not _size_limit_hit:
        return None
    import resource

    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return "unlimited" if soft == resource.RLIM_INFINITY else str(soft // 1024)


def size_limit_refusal(path: Path | str | None = None, key: str = "file.size_limit") -> FileRefused | None:
    """The refusal to give instead of whatever the failed write led to, when `size_limit()` says why."""
    limit = size_limit()
    return FileRefused(key, path=path or "", limit=limit) if limit else None


def file_error(exc: OSError, path: Path | str | None = None) -> FileRefused:
    where = path or exc.filename or ""
    limited = size_limit_refusal(where) if exc.errno == errno.EFBIG else None
    if limited:
        return limited
    key = _WORDS.get(exc.errno or 0)
    if key:
        return FileRefused(key, path=where)
    return FileRefused("file.other", path=where, error=_system_words(exc))


def _system_words(exc: OSError) -> str:
    """An error the catalogue has no words for: the system's own in English, its errno's name
    (EIO, EXDEV, …) in Chinese, where the system's words would be English."""
    from gridctl.messages import lang, t

    if lang() == "en" or exc.errno is None:
        return str(exc.strerror or exc)
    return t("file.system_error", code=errno.errorcode.get(exc.errno, exc.errno))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_target(target: Path | str) -> Path:
    """Refuse up front (before any work) an output whose folder is missing or read-only, or
    that names a folder."""
    target = Path(target)
    if target.is_dir():
        raise FileRefused("file.is_dir", path=target)
    if target.exists() and not target.is_file():   # a device, a pipe: the rename would replace it
        raise FileRefused("file.not_regular", path=target)
    if not target.parent.is_dir():
        raise FileRefused("file.no_folder", path=target, folder=target.parent)
    if not os.access(target.parent, os.W_OK):
        raise FileRefused("file.read_only", path=target)
    return target


_NOT_ON_WINDOWS = re.compile(r'[<>:"\\|?*]')
_DEVICES = frozenset(["CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10))])


def check_portable_name(target: Path | str, field: str) -> None:
    """Refuse a file name a Windows computer cannot hold: offices hand reports, bundles and
    backups to Windows machines (a USB stick, a share, mail), where `周报:W47.xlsx`, `a?.xlsx`,
    a name ending in a dot or a space, or `NUL.xlsx` is refused, renamed or a device. Only the
    name: the folders are this computer's own. (A tab or a line break is `bounds.file_name`'s.)"""
    name = Path(target).name
    _not_invisible(name, field)
    found = _NOT_ON_WINDOWS.search(name)
    if found:
        raise FileRefused("file.windows_char", field=field, name=name, char=found.group())
    if name.endswith((".", " ")):
        raise FileRefused("file.windows_end", field=field, name=name, end=_end_word(name[-1]))
    device = name.split(".")[0].rstrip(" ").upper()
    if device in _DEVICES:
        raise FileRefused("file.windows_device", field=field, name=name, device=device)


def _not_invisible(name: str, field: str) -> None:
    """A name (or the part before its extension) of only zero-width characters (U+200B pasted
    alone: `backup $'\u200b'`) looks blank and is refused as a blank name, where it wrote a file no
    listing shows a name for. (Text arguments drop such characters; a file name is taken as typed.)"""
    from gridctl import bounds

    stem = Path(name).stem or name
    if bounds.has_invisible(stem) and not bounds.visible(stem).strip():
        codes = " ".join(f"U+{ord(c):04X}" for c in stem if c in bounds.INVISIBLE)
        raise FileRefused("file.invisible_name", field=field, codes=codes)


def _end_word(char: str) -> str:
    from gridctl.messages import t

    return t("file.end.dot" if char == "." else "file.end.space")


_SQLITE = b"SQLite format 3\x00"


def check_not_a_database(target: Path | str) -> None:
    """Refuse an output (a report, a bundle, a receipt) that would replace an SQLite database: a
    ledger of another office or a backup given by mistake as `-o` would be lost for good."""
    target = Path(target)
    try:
        with target.open("rb") as handle:
            head = handle.read(len(_SQLITE))
    except OSError:         # none there (the usual case), or not readable: check_target says so
        return
    if head == _SQLITE:
        raise FileRefused("file.onto_database", path=target)


def same_file(one: Path | str, other: Path | str) -> bool:
    """Whether two paths name the same file (the same inode where both exist, else the same
    absolute path)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return Path(one).absolute() == Path(other).absolute()


def check_source(source: Path | str) -> Path:
    """Refuse up front an input file that is missing, a folder, or not a file (a pipe, a device, a
    link that loops): said as that, not as a damaged file; a pipe is never opened (reading it
    would wait for a writer, for ever)."""
    source = Path(source)
    if source.is_dir():
        raise FileRefused("file.is_dir", path=source)
    if not source.is_file():
        raise not_a_file(source) or FileRefused("file.missing", path=source)
    return source


def not_a_file(source: Path) -> FileRefused | None:
    """Why a path that is not a file is not one, when something is there (a pipe, a device, a link
    that loops); None when nothing is."""
    try:
        source.stat()
    except OSError as exc:
        return FileRefused("file.link_loop", path=source) if exc.errno == errno.ELOOP else None
    return FileRefused("file.not_regular", path=source)


@contextmanager
def replacing(target: Path | str) -> Iterator[Path]:
    """A temporary path beside `target`; renamed onto `target` when the block ends cleanly,
    removed when it raises. Refused up front when the folder is missing or `target` is a folder.

    The block is the work of writing `target`: whatever fails in it after a write met the file
    size limit (`ulimit -f`) is said as `target` stopped by that limit, also when the write that
    met it was a scratch file of that work (SQLite's sort spilling into its temporary file while
    an export streams, a workbook's rows rendered ahead of it)."""
    import tempfile     # here: every command watches the size limit, few write a file (random with it)

    target = check_target(target)
    try:
        # hidden, and ending like the target: writers that look at the suffix see the same one
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".part{target.suffix}")
    except OSError as exc:
        if exc.errno == errno.ENOENT and target.parent.is_dir():   # /proc: there, but no file is made in it
            raise FileRefused("file.cannot_create", path=target, folder=target.parent) from None
        raise file_error(exc, target.parent) from None
    os.close(fd)
    temporary = Path(name)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        yield temporary
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise file_error(exc, target) from None
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        limited = size_limit_refusal(target) if isinstance(exc, Exception) else None
        if limited:
            raise limited from None
        raise
