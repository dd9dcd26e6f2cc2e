"""Open the SQLite file the way every part of the app must: WAL, foreign keys, a busy timeout.

Errors from the user's environment (locked, not a database, read-only, disk full) become
`UserError`s with the path; anything else is a bug and propagates.

A damaged file is detected before anything could write to it: the 16-byte SQLite header is
checked first and `PRAGMA quick_check` runs before the journal mode is set, so a truncated or
foreign file is reported (with the newest backup, if any) and left byte-for-byte as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from pia_app.errors import UserError
from pia_app.store.migrations import newest_backup

BUSY_TIMEOUT_S = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"


def connect(path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> sqlite_utils.Database:
    """Open (creating if needed, owner-only) the database at `path`."""
    new = not path.exists() or path.stat().st_size == 0
    if not new:
        _check_header(path)
    old_umask = os.umask(0o077)
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    finally:
        os.umask(old_umask)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        if not new:
            _check_integrity(conn, path)
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    if new:
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(path) + suffix)
            if p.exists():
                p.chmod(0o600)
    # No sqlite-utils plugins: the app uses none, and scanning every installed package for them
    # cost 40-60 ms of each start (issue 12); nor should a stranger's plugin run inside the store.
    return sqlite_utils.Database(conn, execute_plugins=False)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UserError("error.db_open", path=str(path), reason=exc.strerror or str(exc)) from exc
    if head != SQLITE_HEADER:
        raise corrupt_error(path)


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """A cheap structural check of an existing file; also refuses a foreign SQLite file."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(r) for r in rows] != [("ok",)]:
        raise corrupt_error(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise corrupt_error(path)


def corrupt_error(path: Path) -> UserError:
    """The damaged-file error, offering the newest backup when there is one."""
    backup = newest_backup(path)
    if backup is not None:
        return UserError("error.db_corrupt_backup", path=str(path), backup=str(backup))
    return UserError("error.db_corrupt", path=str(path))


def translate(exc: sqlite3.Error, path: Path) -> Exception:
    """Map an sqlite3 error caused by the environment onto a UserError; return others unchanged."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return UserError("error.db_locked", path=str(path))
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return corrupt_error(path)
    if "readonly" in text or "read-only" in text:
        return UserError("error.db_readonly", path=str(path))
    if "disk is full" in text or "database or disk is full" in text:
        return UserError("error.disk_full", path=str(path))
    if "unable to open" in text:
        return UserError("error.db_open", path=str(path), reason=str(exc))
    return exc


@contextmanager
def environment_errors(path: Path) -> Iterator[None]:
    """Turn environment sqlite errors raised inside the block into UserErrors."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = translate(exc, path)
        if mapped is exc:
            raise
        raise mapped from exc
