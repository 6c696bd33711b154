"""Writing a file whole or not at all: into a temporary file beside it, flushed to the disk, then
renamed over the target (``os.replace`` is atomic on one file system). A full disk, an error or
a kill midway leaves the old file as it was and no partial one under its name."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_atomically(target: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(partial)`` to fill a temporary file beside ``target`` (same suffix, so a
    writer that goes by it picks the same format), then put it in ``target``'s place. Raises
    ``OSError`` (the target untouched, the temporary file removed) when anything fails. A
    symbolic link's file is replaced (the link stays); a pipe or a device is written as is."""
    target = Path(target).expanduser()
    if target.is_symlink():
        target = target.resolve()  # the file the link names is replaced, the link kept
    if target.exists() and not target.is_file():  # a pipe or a device (/dev/stdout): as is
        write(target)
        return
    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    try:
        write(partial)
        with open(partial, "rb+") as handle:  # on the disk before it takes the target's name
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
