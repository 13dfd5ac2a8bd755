"""Reading and writing files without surprises: regular files only, bounded sizes, atomic writes.

A knowledge folder, a question file or a chat history may hold anything: a FIFO
that never ends, a link to /dev/zero, a symbolic link to a file the user cares
about. Reading refuses anything but a regular file and stops at a size limit;
writing goes through a temporary file in the same folder that is renamed over
the target, so a reader (or a Ctrl-C, SIGTERM or full disk) never sees half a file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: os.O_NOFOLLOW and os.O_NONBLOCK are POSIX; elsewhere the fstat check below still holds.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class RefusedFileError(OSError):
    """A file we will not read or replace (not a regular file, or too large)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(errno.EINVAL, reason, os.fspath(path))


def describe_size(size: int) -> str:
    """1048576 -> '1 MiB'; the limits are round numbers of KiB or MiB."""
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size >= 1 << 10 and size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size} bytes"


def read_regular_file(path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes.

    Opened without blocking, so a FIFO cannot hang us before the check refuses it;
    never reads more than `limit` + 1 bytes, so a device or a growing file cannot
    exhaust memory.

    Raises:
        RefusedFileError: not a regular file, or larger than `limit`.
        OSError: the file cannot be opened or read.
    """
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_symlinks else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise RefusedFileError(path, "a symbolic link, not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFileError(path, "not a regular file")
        if info.st_size > limit:
            raise RefusedFileError(path, f"larger than the limit of {describe_size(limit)}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise RefusedFileError(path, f"larger than the limit of {describe_size(limit)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def is_regular_or_absent(path: str | os.PathLike[str]) -> bool:
    """True if `path` does not exist or is a regular file (not a symbolic link, FIFO, device, folder)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


def write_atomically(target: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace `target` with `data` all at once: readers see the old file or the new one, never a part.

    The data goes to a new temporary file beside `target` (created exclusively, so
    no link can redirect it), is synced to disk, then renamed over `target`. An
    interruption or a full disk leaves `target` as it was. A `target` that is a
    symbolic link, FIFO, device or folder is refused rather than replaced: it may
    stand for something the user owns.

    Raises:
        RefusedFileError: `target` exists and is not a regular file.
        OSError: the folder cannot be written, or the disk is full.
    """
    if not is_regular_or_absent(target):
        raise RefusedFileError(target, "not a regular file (a symbolic link?); remove it first")
    temporary = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        # Ctrl-C, SIGTERM (see cli) or a write error: leave no temporary file behind.
        try:  # noqa: SIM105  (contextlib costs start-up time; this module is on every run's path)
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort (not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
