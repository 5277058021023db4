"""Open a file a user named, refusing anything that is not a regular file of bounded size.

Every reader in the core (models, checkpoints, MNIST IDX files, pictures) opens its file here,
so a FIFO, a device (`/dev/urandom`), a folder or a link to one of those is refused before a
single byte is read, and no read can grow without bound. The file is opened non-blocking (a
FIFO would otherwise wait for a writer forever) and checked with `fstat` on the open handle,
so a path swapped between a check and the open cannot slip through.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular_file(path: str | os.PathLike, error: Callable[[str], Exception], what: str,
                      max_bytes: int | None = None) -> BinaryIO:
    """`path` opened for binary reading, after links are followed; raises `error(message)`
    (message: "<path>: <why>", naming `what` the file should be) unless it is a readable
    regular file of at most `max_bytes`."""
    path = Path(path)
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise error(f"{path}: there is no such file") from None
    except PermissionError:
        raise error(f"{path}: you may not read this file") from None
    except IsADirectoryError:
        raise error(f"{path}: it is a folder, not a {what}") from None
    except OSError as problem:
        raise error(f"{path}: it cannot be opened ({problem.strerror or problem})") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: it is {_kind(info.st_mode)}, not a {what}")
        if max_bytes is not None and info.st_size > max_bytes:
            raise error(f"{path}: it holds {info.st_size:,} bytes, more than any {what} "
                        f"convviz reads ({max_bytes:,})")
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise
