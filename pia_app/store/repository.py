"""All SQL of the app lives here. Callers get and give plain dataclasses and dicts.

Every write goes through `db.atomic()` (sqlite-utils commits each statement on its own
otherwise), and every write that changes an assessment appends a hash-chained audit entry in the
same transaction, so a record and its audit trail cannot part.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from pia_app.canonical import canonical_json, content_hash, sha256_hex, utc_now
from pia_app.errors import UserError
from pia_app.store import db as dbmod
from pia_app.store.migrations import migrate

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    uid: str
    title: str
    status: str
    current_revision: int
    archived: bool
    created_at: str
    updated_at: str
    form_id: str
    form_version: str


@dataclass(frozen=True)
class Revision:
    assessment_id: int
    number: int
    status: str
    answers: dict[str, Any]
    based_on: int | None
    review_reason: str | None
    review_note: str | None
    approved_by: str | None
    approved_role: str | None
    approved_at: str | None
    content_hash: str | None
    created_at: str
    updated_at: str


def default_actor() -> str:
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"


class Repository:
    """The store of one data folder's database file."""

    def __init__(self, path: Path, actor: str | None = None) -> None:
        self.path = path
        self.actor = actor or default_actor()
        self.db: sqlite_utils.Database = dbmod.connect(path)
        try:
            with dbmod.environment_errors(path):
                self.backups = migrate(self.db, path)
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        with dbmod.environment_errors(self.path), self.db.atomic():
            yield self.db

    # -- reading ------------------------------------------------------------------------------

    def list_assessments(self, include_archived: bool = False) -> list[AssessmentSummary]:
        sql = "SELECT * FROM assessments"
        if not include_archived:
            sql += " WHERE archived = 0"
        sql += " ORDER BY updated_at DESC, id DESC"
        with dbmod.environment_errors(self.path):
            return [_summary(r) for r in self.db.query(sql)]

    def get(self, assessment_id: int) -> AssessmentSummary:
        with dbmod.environment_errors(self.path):
            rows = list(self.db.query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
        if not rows:
            raise UserError("error.no_assessment", id=assessment_id)
        return _summary(rows[0])

    def revision(self, assessment_id: int, number: int | None = None) -> Revision:
        """A revision of an assessment; without `number`, the current one."""
        if number is None:
            number = self.get(assessment_id).current_revision
        with dbmod.environment_errors(self.path):
            rows = list(
                self.db.query(
                    "SELECT * FROM revisions WHERE assessment_id = ? AND number = ?",
                    [assessment_id, number],
                )
            )
        if not rows:
            raise UserError("error.no_revision", id=assessment_id, revision=number)
        return _revision(rows[0])

    def revisions(self, assessment_id: int) -> list[Revision]:
        self.get(assessment_id)
        with dbmod.environment_errors(self.path):
            rows = self.db.query(
                "SELECT * FROM revisions WHERE assessment_id = ? ORDER BY number",
                [assessment_id],
            )
            return [_revision(r) for r in rows]

    def audit(self, assessment_id: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM audit_log", []
        if assessment_id is not None:
            sql += " WHERE assessment_uid = ?"
            args.append(self.get(assessment_id).uid)
        with dbmod.environment_errors(self.path):
            rows = list(self.db.query(sql + " ORDER BY id", args))
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    # -- writing ------------------------------------------------------------------------------

    def create(
        self,
        form_id: str,
        form_version: str,
        title: str = "",
        answers: Mapping[str, Any] | None = None,
    ) -> int:
        """Create an assessment with revision 1 (a draft); return its id."""
        now = utc_now()
        uid = str(uuid.uuid4())
        data = dict(answers or {})
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO assessments (uid, title, form_id, form_version, status,"
                " current_revision, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', 1, ?, ?)",
                [uid, title, form_id, form_version, now, now],
            )
            aid = int(cur.lastrowid or 0)
            db.execute(
                "INSERT INTO revisions (assessment_id, number, status, answers, created_at,"
                " updated_at) VALUES (?, 1, 'draft', ?, ?, ?)",
                [aid, canonical_json(data), now, now],
            )
            self._log(uid, 1, "created", {"title": title, "form": form_id, "version": form_version})
        return aid

    def save_answers(self, assessment_id: int, answers: Mapping[str, Any]) -> list[str]:
        """Write the answers of the current revision; return the ids of changed questions.

        Refused (UserError) when the revision is approved; the database trigger refuses it too.
        """
        summary = self.get(assessment_id)
        rev = self.revision(assessment_id)
        if rev.status == "approved":
            raise UserError("error.frozen", id=assessment_id, revision=rev.number)
        new = dict(answers)
        changed = sorted(
            k for k in set(rev.answers) | set(new) if rev.answers.get(k) != new.get(k)
        )
        if not changed:
            return []
        now = utc_now()
        title = new.get("a_project_name")
        with self._write() as db:
            db.execute(
                "UPDATE revisions SET answers = ?, updated_at = ? WHERE assessment_id = ?"
                " AND number = ?",
                [canonical_json(new), now, assessment_id, rev.number],
            )
            db.execute(
                "UPDATE assessments SET updated_at = ?, title = ? WHERE id = ?",
                [now, title if isinstance(title, str) and title else summary.title, assessment_id],
            )
            detail = {"changes": {k: [rev.answers.get(k), new.get(k)] for k in changed}}
            self._log(summary.uid, rev.number, "answered", detail)
        return changed

    def set_status(self, assessment_id: int, status: str) -> None:
        if status not in ("draft", "in_review"):
            raise ValueError(status)
        summary = self.get(assessment_id)
        rev = self.revision(assessment_id)
        if rev.status == "approved":
            raise UserError("error.frozen", id=assessment_id, revision=rev.number)
        with self._write() as db:
            db.execute(
                "UPDATE revisions SET status = ?, updated_at = ? WHERE assessment_id = ?"
                " AND number = ?",
                [status, utc_now(), assessment_id, rev.number],
            )
            db.execute(
                "UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?",
                [status, utc_now(), assessment_id],
            )
            self._log(summary.uid, rev.number, "status", {"from": rev.status, "to": status})

    def log_event(self, assessment_id: int, action: str, detail: Mapping[str, Any]) -> None:
        """Record an event that changes no data (e.g. a report was exported)."""
        summary = self.get(assessment_id)
        with self._write():
            self._log(summary.uid, summary.current_revision, action, dict(detail))

    def revision_hash(self, assessment_id: int, number: int | None = None) -> str:
        summary = self.get(assessment_id)
        rev = self.revision(assessment_id, number)
        return content_hash(summary.form_id, summary.form_version, rev.answers)

    def _log(self, uid: str, revision: int | None, action: str, detail: Mapping[str, Any]) -> None:
        """Append an audit entry chained to the previous one (call inside a write block)."""
        row = self.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS_HASH
        entry = {
            "assessment_uid": uid,
            "revision": revision,
            "ts": utc_now(),
            "actor": self.actor,
            "action": action,
            "detail": canonical_json(detail),
            "prev_hash": prev,
        }
        entry["hash"] = sha256_hex(canonical_json(entry))
        self.db.execute(
            "INSERT INTO audit_log (assessment_uid, revision, ts, actor, action, detail,"
            " prev_hash, hash) VALUES (:assessment_uid, :revision, :ts, :actor, :action,"
            " :detail, :prev_hash, :hash)",
            entry,
        )


def _summary(row: Mapping[str, Any]) -> AssessmentSummary:
    return AssessmentSummary(
        id=row["id"],
        uid=row["uid"],
        title=row["title"],
        status=row["status"],
        current_revision=row["current_revision"],
        archived=bool(row["archived"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        form_id=row["form_id"],
        form_version=row["form_version"],
    )


def _revision(row: Mapping[str, Any]) -> Revision:
    return Revision(
        assessment_id=row["assessment_id"],
        number=row["number"],
        status=row["status"],
        answers=json.loads(row["answers"]),
        based_on=row["based_on"],
        review_reason=row["review_reason"],
        review_note=row["review_note"],
        approved_by=row["approved_by"],
        approved_role=row["approved_role"],
        approved_at=row["approved_at"],
        content_hash=row["content_hash"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def open_repository(path: Path, actor: str | None = None) -> Repository:
    """Open the store, mapping 'not a database' and the like to a UserError naming the file."""
    try:
        return Repository(path, actor)
    except sqlite3.Error as exc:
        mapped = dbmod.translate(exc, path)
        if mapped is exc:
            raise
        raise mapped from exc
