"""Schema migrations, tracked in `PRAGMA user_version`.

MIGRATIONS[n] takes the schema from version n to n + 1 and runs in one transaction. Before any
migration of an existing file, the file is copied aside as `<name>.bak-v<N>-<timestamp>`. A file
whose version is newer than this program knows is refused and never touched. Every migration has
a test that upgrades a fixture database of the previous version (tests/unit/test_migrations.py
fails when one is missing).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from pia_app.errors import UserError


def _v0_to_v1(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft',
            current_revision INTEGER NOT NULL DEFAULT 1,
            archived INTEGER NOT NULL DEFAULT 0,
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
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v0_to_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, path: Path | None) -> list[Path]:
    """Bring the schema up to SCHEMA_VERSION; return the backups made. Refuse newer files."""
    current = user_version(db)
    if current > SCHEMA_VERSION:
        raise UserError(
            "error.db_newer", path=str(path or ""), found=current, known=SCHEMA_VERSION
        )
    backups: list[Path] = []
    if current < SCHEMA_VERSION and current > 0 and path is not None:
        backups.append(backup(db, path, current))
    for version in range(current, SCHEMA_VERSION):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
    return backups


def backup(db: sqlite_utils.Database, path: Path, version: int) -> Path:
    """Copy the live database aside with SQLite's online backup (consistent even in WAL mode)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    dest = sqlite3.connect(target)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    target.chmod(0o600)
    return target


def newest_backup(path: Path) -> Path | None:
    found = sorted(path.parent.glob(path.name + ".bak-*"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def copy_aside(path: Path, label: str) -> Path:
    target = path.with_name(f"{path.name}.{label}-{dt.datetime.now():%Y%m%d-%H%M%S}")
    shutil.copy2(path, target)
    return target
