"""Writing files so that a reader sees the old state or the whole new file, never half.

Every output of merger-sim that may be read while it is being replaced (run files, combined
tables, manifests, a single run's tables) goes through here: a temporary file in the same
folder, flushed with ``fsync``, renamed into place. ``tempfile.mkstemp`` creates files with
mode 0600 whatever the umask; the files are given the mode a plain ``open`` would have
given (0666 minus the umask), so a group-shared results folder stays readable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def current_umask() -> int:
    """The process's umask (read from /proc where it can be, without changing it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: read it by setting it, and put it back at once
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode ``open`` gives a new file: 0666 minus the umask."""
    return 0o666 & ~current_umask()


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, write: Callable[[Path], None], durable: bool = True) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    Args:
        path: the file to (re)place.
        write: writes the whole content to the path it is given.
        durable: fsync the file and the folder (off for many small derived files).
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, file_mode())
        os.close(fd)
        write(Path(tmp))
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (mode from the umask)."""
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
