"""The chat's history file: private, a regular file of our own, and trimmed before it grows large.

No prompt_toolkit here: the REPL hands the prepared path to its FileHistory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .safe_files import RefusedFileError, write_atomically

#: Past this size the history is trimmed to its last KEEP_BYTES (prompt_toolkit reads it all at start).
MAX_BYTES = 1 << 20
KEEP_BYTES = 256 << 10

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def prepare_history_file(path: Path) -> None:
    """Create `path` (mode 0600, in a 0700 folder) or check the one there, so that the chat may use it.

    A symbolic link, FIFO, device or folder in its place is refused, never followed: a
    link may point to a file the user cares about, whose mode we would change and to
    which we would append questions; a FIFO would hang the chat before its prompt.

    Raises:
        OSError: the file cannot be used (RefusedFileError when it is not a regular file).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_CREAT | os.O_APPEND | os.O_WRONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if os.path.islink(path):
            raise RefusedFileError(path, "a symbolic link, not a regular file") from None
        if not os.path.isfile(path) and os.path.exists(path):
            raise RefusedFileError(path, "not a regular file") from None
        raise exc from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFileError(path, "not a regular file")
        # Questions may be personal: keep the file private even if it was created otherwise.
        if stat.S_IMODE(info.st_mode) != 0o600:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    if info.st_size > MAX_BYTES:
        _trim(path)


def _trim(path: Path) -> None:
    """Keep the newest entries (the last KEEP_BYTES, from an entry's start), replacing the file atomically."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
    try:
        size = os.fstat(fd).st_size
        os.lseek(fd, max(0, size - KEEP_BYTES), os.SEEK_SET)
        tail = os.read(fd, KEEP_BYTES)
    finally:
        os.close(fd)
    # prompt_toolkit's FileHistory starts each entry with a "# <time>" comment line after a blank line.
    start = tail.find(b"\n#")
    write_atomically(path, tail[start:] if start >= 0 else b"", mode=0o600)
