"""One GUI per data folder: an exclusive lock on `<data folder>/pia-app.lock`.

The operating system releases the lock when the holder exits, however it exits (crash, kill -9),
so a stale lock file never blocks anyone; only a live process holds it. The file's content is
the holder's pid, so the second window can say who has it. Plain files and the standard library
only (fcntl on POSIX, msvcrt on Windows): no Qt, so it is testable without a screen and the CLI
could use it too.

Usage (the GUI)::

    lock = instance_lock.acquire_or_raise(data_dir)   # UserError "error.instance_locked"
    ...
    lock.release()   # or let the process end
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from pia_app.errors import UserError

LOCK_NAME = "pia-app.lock"


class Lock:
    """A held lock; `release()` (or process exit) frees it."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle: IO[bytes] | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            _unlock(handle)
        finally:
            handle.close()

    def __enter__(self) -> Lock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def acquire(data_dir: Path) -> Lock | None:
    """Take the folder's lock without waiting; None when another process holds it."""
    path = lock_path(data_dir)
    if path.is_dir():
        raise UserError("error.lock_is_folder", path=str(path))
    old = os.umask(0o077)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except IsADirectoryError as exc:
        raise UserError("error.lock_is_folder", path=str(path)) from exc
    except OSError as exc:
        raise UserError("error.data_dir", path=str(path), reason=exc.strerror or str(exc)) from exc
    finally:
        os.umask(old)
    handle = os.fdopen(fd, "r+b", buffering=0)
    try:
        if not _try_lock(handle):
            handle.close()
            return None
        # The pid goes after the locked first byte on Windows; on POSIX anywhere. Write it at
        # offset 1 on both so readers need no platform test.
        handle.seek(1)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))
        handle.flush()
    except BaseException:
        handle.close()
        raise
    return Lock(path, handle)


def acquire_or_raise(data_dir: Path) -> Lock:
    """Take the folder's lock, or raise the UserError telling the user which process has it."""
    lock = acquire(data_dir)
    if lock is None:
        pid = holder_pid(data_dir)
        raise UserError("error.instance_locked", path=str(data_dir), pid=pid if pid is not None else "?")
    return lock


def holder_pid(data_dir: Path) -> int | None:
    """The pid written by the current (or last) holder, if readable."""
    try:
        with lock_path(data_dir).open("rb") as fh:
            fh.seek(1)  # byte 0 is the locked byte on Windows
            raw = fh.read(32)
    except OSError:
        return None
    text = raw.decode("ascii", "replace").strip("\x00 \n")
    return int(text) if text.isdigit() else None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
