"""Schema migrations, tracked in `PRAGMA user_version`.

MIGRATIONS[n] takes the schema from version n to n + 1 and runs in one transaction (together with
the `user_version` bump, so a crash leaves either the old or the new schema, never half of one).
Before any migration of an existing file, the file is copied aside as
`<name>.bak-v<N>-<timestamp>`. A file whose version is newer than this program knows is refused
and never touched. Every migration from version n >= 1 has a test that upgrades a fixture
database of version n (tests/data/db/v<n>.sql, made by tests/data/make_db_fixtures.py), and
tests/unit/test_migrations.py fails when one is missing, and also when the migrations no longer
build exactly the recorded schema of the newest fixture: a released migration is never edited;
a change of schema is a new migration.

Migration steps are lists of single SQL statements run with `execute`, never `executescript`:
Python's `executescript` commits any open transaction first, which would break the one
transaction per step.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from pia_app.errors import UserError
from pia_app.store import audit
from pia_app.store.database import Database

Migration = Callable[[Database], None]

V1_SCHEMA = """
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    current_revision INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0,
    review_flag TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX assessments_by_update ON assessments(archived, updated_at);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_review', 'approved')),
    answers TEXT NOT NULL DEFAULT '{}',
    based_on INTEGER,
    review_reason TEXT,
    review_note TEXT,
    approved_by TEXT,
    approved_role TEXT,
    approved_at TEXT,
    content_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (assessment_id, number)
);
CREATE TRIGGER revisions_frozen_update BEFORE UPDATE ON revisions
WHEN OLD.status = 'approved'
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER revisions_frozen_delete BEFORE DELETE ON revisions
WHEN OLD.status = 'approved'
    AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER revisions_approved_needs_hash BEFORE INSERT ON revisions
WHEN NEW.status = 'approved' AND (NEW.content_hash IS NULL OR NEW.approved_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'an approved revision needs its hash and approval date'); END;
CREATE TRIGGER revisions_approval_needs_hash BEFORE UPDATE ON revisions
WHEN OLD.status != 'approved' AND NEW.status = 'approved'
    AND (NEW.content_hash IS NULL OR NEW.approved_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'an approved revision needs its hash and approval date'); END;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    assessment_uid TEXT NOT NULL,
    revision INTEGER,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_assessment ON audit_log(assessment_uid, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE imported_audit (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (assessment_id, position)
);
CREATE TRIGGER imported_audit_no_update BEFORE UPDATE ON imported_audit
BEGIN SELECT RAISE(ABORT, 'imported audit entries are read-only'); END;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies keep their inner semicolons)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement: {buf.strip()[:80]}")
    return statements


def run_script(db: Database, script: str) -> None:
    """Run each statement of `script` inside the caller's transaction."""
    for statement in split_sql(script):
        db.execute(statement)


def _v0_to_v1(db: Database) -> None:
    run_script(db, V1_SCHEMA)


V2_SCHEMA = """
ALTER TABLE audit_log ADD COLUMN detail_hash TEXT;
ALTER TABLE audit_log ADD COLUMN scrubbed_at TEXT;
DROP TRIGGER audit_no_update;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    OLD.scrubbed_at IS NULL AND NEW.scrubbed_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.assessment_uid = OLD.assessment_uid
    AND NEW.revision IS OLD.revision AND NEW.ts = OLD.ts AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
    AND NEW.detail_hash IS OLD.detail_hash
    AND NOT EXISTS (SELECT 1 FROM assessments WHERE uid = OLD.assessment_uid)
)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
"""v1 → v2: audit entries hash their detail through `detail_hash` (scheme 2, see
store/audit.py) so that a deleted assessment's entries can be scrubbed of answer content
(`scrubbed_at`; the trigger allows exactly that update, and only once the assessment is gone)."""

UPGRADE_ACTOR = "pia-app (upgrade v1→v2)"


def _v1_to_v2(db: Database) -> None:
    """Add the scheme-2 columns, then seal every assessment: one `sealed` entry per assessment
    records the state of each of its revisions (status, content hash, approval), the baseline
    `verify` compares the stored revisions with. (v1 entries recorded only approvals.)"""
    run_script(db, V2_SCHEMA)
    for aid, uid, form_id, form_version in db.execute(
        "SELECT id, uid, form_id, form_version FROM assessments ORDER BY id"
    ).fetchall():
        states = []
        rows = db.execute(
            "SELECT number, status, answers, approved_by, approved_role, approved_at FROM revisions"
            " WHERE assessment_id = ? ORDER BY number",
            [aid],
        ).fetchall()
        for number, status, answers, by, role, at in rows:
            try:
                decoded = json.loads(answers)
            except (TypeError, ValueError):
                decoded = None  # recorded as it hashes; verify then reports the damaged row
            approval = {"approved_by": by, "approved_role": role, "approved_at": at}
            states.append(audit.revision_state(form_id, form_version, number, status, decoded, approval))
        last = rows[-1][0] if rows else None
        audit.append(db, UPGRADE_ACTOR, uid, last, "sealed", {audit.STATES_KEY: states})


def _v2_to_v3(db: Database) -> None:
    """v2 → v3: the review, evidence and follow-up tables (roles, section evaluations, comment
    threads, DPO advice, attachments as content-addressed blobs, treatment follow-up), with
    triggers freezing them with their approved revision; see store/review_schema.py."""
    from pia_app.store.review_schema import add_review_tables

    add_review_tables(db)


MIGRATIONS: list[Migration] = [_v0_to_v1, _v1_to_v2, _v2_to_v3]
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, path: Path | None) -> list[Path]:
    """Bring the schema up to SCHEMA_VERSION; return the backups made. Refuse newer files.

    Each step runs under `BEGIN IMMEDIATE` and re-reads the version inside the transaction, so
    two programs opening the same new file at once do not both try to create the schema.
    """
    known = len(MIGRATIONS)
    current = user_version(db)
    if current > known:
        raise UserError("error.db_newer", path=str(path or ""), found=current, known=known)
    backups: list[Path] = []
    if current == known:
        return backups  # nothing to do: no write lock taken (another program may hold it)
    if 0 < current < known and path is not None:
        backups.append(backup(db, path, current))
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(db)
            if version >= known:
                db.execute("COMMIT")
                break
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
    return backups


def backup(db: Database, path: Path, version: int) -> Path:
    """Copy the live database aside with SQLite's online backup (consistent even in WAL mode)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-v{version}-{stamp}-{n}")
    old_umask = os.umask(0o077)
    try:
        dest = sqlite3.connect(target)
    finally:
        os.umask(old_umask)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    target.chmod(0o600)
    rotate(path, "bak")
    return target


KEEP_COPIES = 5
"""How many backups (`.bak-*`) and damaged copies (`.damaged-*`) of each kind are kept; older
ones are removed when a new one is made. PIA_APP_KEEP_BACKUPS changes it (a whole number >= 1)."""
ENV_KEEP = "PIA_APP_KEEP_BACKUPS"


def keep_copies() -> int:
    raw = os.environ.get(ENV_KEEP, "").strip()
    return int(raw) if raw.isdigit() and int(raw) >= 1 else KEEP_COPIES


def copies_of(path: Path, kind: str | None = None) -> list[Path]:
    """Backups (`bak`) and/or damaged copies (`damaged`) of `path`, oldest first (main files
    only, not their -wal/-shm)."""
    kinds = [kind] if kind else ["bak", "damaged"]
    found: list[Path] = []
    for k in kinds:
        found += [p for p in path.parent.glob(f"{path.name}.{k}-*") if not p.name.endswith(("-wal", "-shm"))]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def rotate(path: Path, kind: str, keep: int | None = None) -> list[Path]:
    """Remove all but the newest `keep` copies of one kind (with their -wal/-shm); return them."""
    limit = keep or keep_copies()
    found = copies_of(path, kind)
    old = found[: max(0, len(found) - limit)]
    for p in old:
        for suffix in ("", "-wal", "-shm"):
            Path(str(p) + suffix).unlink(missing_ok=True)
    return old


def copy_holds(copy: Path, uid: str) -> bool:
    """Does the database copy hold assessment `uid` (rows or audit text)? Read-only, immutable:
    the copy is never changed; an unreadable copy counts as holding it (it may)."""
    try:
        conn = sqlite3.connect(copy.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            if conn.execute("SELECT 1 FROM assessments WHERE uid = ? LIMIT 1", [uid]).fetchone():
                return True
            columns = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
            unscrubbed = " AND scrubbed_at IS NULL" if "scrubbed_at" in columns else ""
            row = conn.execute(
                "SELECT 1 FROM audit_log WHERE assessment_uid = ? AND action != 'deleted'"
                + unscrubbed
                + " LIMIT 1",
                [uid],
            ).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return True
    return row is not None


def newest_backup(path: Path) -> Path | None:
    found = sorted(path.parent.glob(path.name + ".bak-*"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
