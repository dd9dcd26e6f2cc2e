"""Open the SQLite file the way every part of the app must: WAL, foreign keys, a busy timeout.

Errors from the user's environment (locked, not a database, read-only, disk full) become
`UserError`s with the path; anything else is a bug and propagates.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from pia_app.errors import UserError

BUSY_TIMEOUT_S = 5.0


def connect(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed, owner-only) the database at `path`."""
    new = not path.exists()
    old_umask = os.umask(0o077)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    finally:
        os.umask(old_umask)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    if new:
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(path) + suffix)
            if p.exists():
                p.chmod(0o600)
    return sqlite_utils.Database(conn)


def translate(exc: sqlite3.Error, path: Path) -> Exception:
    """Map an sqlite3 error caused by the environment onto a UserError; return others unchanged."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return UserError("error.db_locked", path=str(path))
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return UserError("error.db_corrupt", path=str(path))
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
