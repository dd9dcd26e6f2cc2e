"""Open the SQLite file the way every part of the app must: WAL, foreign keys, a busy timeout.

Errors from the user's environment (locked, not a database, read-only, disk full) become
`UserError`s with the path; anything else is a bug and propagates.

A damaged file is detected before anything could write to it, and is left byte for byte as it
was, its `-wal` and `-shm` included:
- without SQLite, the header is checked: the 16-byte magic, a valid page size, and the file size
  against the page count the header records (a file cut short, even inside its last page); an
  existing 0-byte file is refused (pia-app never leaves one: a new database is built under a
  temporary name and linked into place complete);
- then `PRAGMA quick_check` runs on a read-only connection, which can neither checkpoint the WAL
  into the file nor delete it on close. If the check fails, the `-shm` is put back as it was,
  files the check created are removed, and when a `-wal` or `-shm` exists the whole set is copied
  aside as `<name>.damaged-<time>` (once per damaged state) before the error is raised.

A read-only open (`readonly=True`, for list, verify, export and report on a read-only folder or
while another program writes) uses SQLite's `mode=ro`: no journal-mode change, no migration.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from pia_app.errors import UserError
from pia_app.store import migrations
from pia_app.store.database import Database
from pia_app.store.migrations import newest_backup, rotate

BUSY_TIMEOUT_S = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-shm")
DISK_FULL_MARGIN = 256 * 1024
"""Free bytes below which an I/O error from SQLite is reported as a full disk (SQLite reports
a failed -shm allocation on a full disk as a plain "disk I/O error")."""
SYNCHRONOUS = "NORMAL"
"""Autosave: in WAL mode, NORMAL never corrupts the file, but a power cut (not a crash of
pia-app) can roll back the saves since the last sync or checkpoint (docs/data.md)."""
DURABLE_SYNCHRONOUS = "FULL"
"""Approvals, sign-off, statuses, re-reviews, imports, deletions: synced at commit (about 8 ms
more per commit on the development machine; benchmarks/store_durability.py)."""


def side_file(path: Path, suffix: str) -> Path:
    return Path(str(path) + suffix)


def connect(path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S, readonly: bool = False) -> Database:
    """Open the database at `path`; create it (complete, owner-only) if there is none."""
    if not path.exists():
        if readonly and not os.access(path.parent, os.W_OK):
            raise UserError("error.db_missing", path=str(path))
        create(path)
    else:
        check_file(path)
        check_integrity(path)
    if readonly:
        return _open_readonly(path, busy_timeout_s)
    return _open_readwrite(path, busy_timeout_s)


def _open_readwrite(path: Path, busy_timeout_s: float) -> Database:
    before = {s: side_file(path, s).exists() for s in SIDE_SUFFIXES}
    old_umask = os.umask(0o077)
    try:
        conn = sqlite3.connect(_uri(path, "rw"), uri=True, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    finally:
        os.umask(old_umask)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL index now
    except sqlite3.Error as exc:
        conn.close()
        _remove_created(path, before)
        raise translate(exc, path) from exc
    except UnicodeDecodeError as exc:  # SQLite's message quoting a damaged schema
        conn.close()
        _remove_created(path, before)
        raise damaged(path) from exc
    except BaseException:
        conn.close()
        raise
    for suffix in SIDE_SUFFIXES:
        p = side_file(path, suffix)
        if p.exists() and not before[suffix]:
            with suppress(OSError):
                p.chmod(0o600)
    return Database(conn)


def _open_readonly(path: Path, busy_timeout_s: float) -> Database:
    """Where the folder and file are writable, a normal connection with `query_only` (so that,
    being the last one, it folds the WAL back and removes -wal/-shm on close as usual); else
    SQLite's read-only mode. Either way nothing is written and no write lock is waited for."""
    before = {s: side_file(path, s).exists() for s in SIDE_SUFFIXES}
    writable = os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)
    try:
        mode = "rw" if writable else "ro"
        conn = sqlite3.connect(_uri(path, mode), uri=True, timeout=busy_timeout_s, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        if writable:
            conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        _remove_created(path, before)
        raise translate(exc, path) from exc
    except UnicodeDecodeError as exc:
        _remove_created(path, before)
        raise damaged(path) from exc
    return Database(conn)


def _uri(path: Path, mode: str) -> str:
    """The file's URI. Read-only in a folder nobody can write (so no -wal can appear), with no
    -wal now: `immutable`, since SQLite could not create the -shm a WAL database needs."""
    uri = path.absolute().as_uri() + f"?mode={mode}"
    if mode == "ro" and not side_file(path, "-wal").exists() and not os.access(path.parent, os.W_OK):
        uri += "&immutable=1"
    return uri


def create(path: Path) -> None:
    """Build a new, empty database (current schema, WAL) under a temporary name and link it into
    place, so `path` never exists half-made; if another program linked one first, keep theirs."""
    import uuid  # only when creating a database (it imports `platform`: ~2 ms of every start)

    from pia_app.store.migrations import migrate

    tmp = path.with_name(f".{path.name}.new-{uuid.uuid4().hex[:12]}")
    old_umask = os.umask(0o077)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(Database(conn), None)
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: rename (no other opener there)
            if not path.exists():
                os.replace(tmp, path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    except OSError as exc:
        raise os_error(exc, path) from exc
    finally:
        os.umask(old_umask)
        for p in (tmp, side_file(tmp, "-wal"), side_file(tmp, "-shm"), side_file(tmp, "-journal")):
            p.unlink(missing_ok=True)


def check_file(path: Path) -> None:
    """The header and size of an existing file, read without SQLite."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise UserError("error.db_open", path=str(path), reason=exc.strerror or str(exc)) from exc
    if size == 0 or len(head) < 100 or head[:16] != SQLITE_HEADER:
        raise damaged(path)
    (raw_page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise damaged(path)
    change_counter, pages = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    if size % page_size:
        raise damaged(path)
    wal = side_file(path, "-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 32
    # The in-header page count is valid when written by SQLite >= 3.7.0 (valid-for matches the
    # change counter). With frames in the WAL a checkpoint may have grown the header first.
    if valid_for == change_counter and pages and not wal_has_frames and size < pages * page_size:
        raise damaged(path)


def check_integrity(path: Path) -> None:
    """`quick_check` through a read-only connection, leaving the files as they were if bad."""
    before = {s: side_file(path, s).exists() for s in SIDE_SUFFIXES}
    shm = side_file(path, "-shm")
    shm_bytes = shm.read_bytes() if before["-shm"] and shm.stat().st_size <= 16 * 2**20 else None
    problem: Exception | None = None
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # damaged names in reports
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            rows = conn.execute("PRAGMA quick_check").fetchall()
            ok = [tuple(r) for r in rows] == [("ok",)]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if ok and version == 0:
                ok = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            elif ok and version <= len(migrations.MIGRATIONS):
                tables = ("table", "index")
                ok = schema_of(conn) == [r for r in schema_at(version) if r[0] in tables]
        finally:
            conn.close()
        if not ok:
            problem = damaged(path)
    except sqlite3.Error as exc:
        mapped = translate(exc, path)
        if mapped is exc:
            raise
        problem = mapped
    except UnicodeDecodeError:  # SQLite's error message quoting damaged schema text
        problem = damaged(path)
    if problem is None:
        return
    if shm_bytes is not None and shm.exists() and shm.read_bytes() != shm_bytes:
        with suppress(OSError):
            shm.write_bytes(shm_bytes)
    _remove_created(path, before)
    if isinstance(problem, UserError) and problem.key.startswith("error.db_corrupt"):
        copy_damaged_set(path)
    raise problem


SCHEMA_QUERY = (
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
)


def schema_of(conn: sqlite3.Connection, kinds: tuple[str, ...] = ("table", "index")) -> list[tuple[Any, ...]]:
    """Tables and indexes (by default) as stored. Triggers are left to `pia-app verify`
    (`verify.guard_missing`): a dropped guard is tampering to report, not damage to refuse."""
    return [tuple(r) for r in conn.execute(SCHEMA_QUERY).fetchall() if r[0] in kinds]


_SCHEMAS: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}


def schema_at(version: int) -> list[tuple[Any, ...]]:
    """The exact schema (tables, indexes, triggers as SQL text) the migrations build up to
    `version`: a file whose tables differ (a flipped bit in a column name) is damaged, and is
    refused before any query could trip over it."""
    steps = migrations.MIGRATIONS[:version]
    key = tuple(id(step) for step in steps)
    if key not in _SCHEMAS:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            db = Database(conn)
            for step in steps:
                db.execute("BEGIN")
                step(db)
                db.execute("COMMIT")
            _SCHEMAS[key] = schema_of(conn, ("table", "index", "trigger"))
        finally:
            conn.close()
    return _SCHEMAS[key]


def _remove_created(path: Path, before: dict[str, bool]) -> None:
    """Remove -wal/-shm files a failed open created (never ones that were there before)."""
    wal = side_file(path, "-wal")
    if before["-wal"] or (wal.exists() and wal.stat().st_size > 0):
        return
    for suffix in SIDE_SUFFIXES:
        if not before[suffix]:
            with suppress(OSError):
                side_file(path, suffix).unlink(missing_ok=True)


def copy_damaged_set(path: Path) -> Path | None:
    """Copy a damaged file with its -wal/-shm aside as `<name>.damaged-<time>[-wal|-shm]`,
    unless the newest such copy already holds the same bytes. Returns the copy, if made."""
    present = [s for s in ("", *SIDE_SUFFIXES) if side_file(path, s).exists()]
    if present == [""]:
        return None  # the file alone stays as it is; nothing can change it
    copies = sorted(path.parent.glob(path.name + ".damaged-*[0-9]"), key=lambda p: p.name)
    if copies and all(
        side_file(copies[-1], s).exists()
        and side_file(copies[-1], s).read_bytes() == side_file(path, s).read_bytes()
        for s in present
    ):
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        old_umask = os.umask(0o077)
        try:
            for suffix in present:
                shutil.copyfile(side_file(path, suffix), side_file(target, suffix))
        finally:
            os.umask(old_umask)
    except OSError:
        for suffix in present:
            side_file(target, suffix).unlink(missing_ok=True)
        return None
    rotate(path, "damaged")
    return target


def damaged(path: Path) -> UserError:
    return corrupt_error(path)


def corrupt_error(path: Path) -> UserError:
    """The damaged-file error, offering the newest backup when there is one."""
    backup = newest_backup(path)
    if backup is not None:
        return UserError("error.db_corrupt_backup", path=str(path), backup=str(backup))
    return UserError("error.db_corrupt", path=str(path))


def disk_is_full(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free < DISK_FULL_MARGIN
    except OSError:
        return False


def os_error(exc: OSError, path: Path) -> UserError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserError("error.disk_full", path=str(path))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return UserError("error.db_readonly", path=str(path))
    return UserError("error.db_open", path=str(path), reason=exc.strerror or str(exc))


def translate(exc: sqlite3.Error, path: Path) -> Exception:
    """Map an sqlite3 error caused by the environment onto a UserError; return others unchanged."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return UserError("error.db_locked", path=str(path))
    if (
        "not a database" in text
        or "malformed" in text
        or "file is encrypted" in text
        or "could not decode" in text
        or "corrupt" in text
    ):
        return corrupt_error(path)
    if "disk is full" in text or "database or disk is full" in text:
        return UserError("error.disk_full", path=str(path))
    if ("disk i/o error" in text or "unable to open" in text) and disk_is_full(path):
        return UserError("error.disk_full", path=str(path))
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return UserError("error.db_readonly", path=str(path))
    if "unable to open" in text or "disk i/o error" in text:
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
    except UnicodeDecodeError as exc:  # an error message or text quoting damaged bytes
        raise corrupt_error(path) from exc
