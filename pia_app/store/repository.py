"""All SQL of the app lives here. Callers get and give plain dataclasses and dicts.

Every write runs in one `BEGIN IMMEDIATE` transaction (so it waits for another writer up to the
busy timeout instead of failing half-way), reads what it depends on inside that transaction, and
appends a hash-chained audit entry in the same transaction, so a record and its audit trail
cannot part.

Statuses: a revision is `draft` → `in_review` → `approved`. An approved revision is frozen (the
database triggers refuse any update or delete of it, whatever program tries). "Due for re-review"
is derived, never stored: the last approved revision's next review date (`m_next_review`) has
passed, or someone flagged the assessment (`flag_for_review`). `start_review` opens revision N+1
as a draft copied from the last approved one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pia_app.canonical import canonical_json, content_hash, sha256_hex, utc_now
from pia_app.errors import UserError
from pia_app.forms.conditions import add_years, parse_date
from pia_app.input_limits import check_answers, problem_error
from pia_app.store import audit, migrations
from pia_app.store import db as dbmod
from pia_app.store.database import Database
from pia_app.store.migrations import SCHEMA_VERSION, migrate, user_version
from pia_app.store.record_roles import RecordRoles

GENESIS_HASH = audit.GENESIS_HASH
STATUSES = ("draft", "in_review", "approved")
REVIEW_REASONS = ("change_purpose_method", "major_incident", "law_change", "system_change", "periodic")
"""Why a re-review starts; the same codes as the re-assessment options of the form's
assessment-type question (`roles.record.assessment_type`)."""
RETENTION_YEARS = 3
"""PIPL art. 56: the assessment report and processing records are kept at least three years."""
REVIEW_YEARS = 1
"""Without a next-review answer, the next review is one year after the report date (the same default
as forms/face_voice/deadlines.yaml and engine/deadlines.py)."""
ACTOR_SETTING = "actor_name"


def _new_uid() -> str:
    """A new assessment's uid (uuid4); `uuid` is imported only here (~2 ms of every start)."""
    import uuid

    return str(uuid.uuid4())


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
    review_flag: str | None = None
    """A re-review reason code someone flagged; cleared when the re-review starts."""
    next_review: str | None = None
    """The next review date of the last approved revision (ISO date), if it has one."""
    last_approved: int | None = None
    """The number of the newest approved revision, if any."""

    def due_for_review(self, today: dt.date | None = None) -> bool:
        """Approved and not yet under re-review, and flagged or past its next review date."""
        if self.last_approved is None or self.current_revision != self.last_approved:
            return False
        if self.review_flag:
            return True
        when = parse_date(self.next_review)
        return when is not None and when <= (today or dt.date.today())

    def display_status(self, today: dt.date | None = None) -> str:
        """`due` when due for re-review, else the stored status (a `status.*` locale key)."""
        return "due" if self.due_for_review(today) else self.status


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


@dataclass(frozen=True)
class AssessmentRecord:
    """Everything stored about one assessment, as plain data (what export writes)."""

    summary: AssessmentSummary
    revisions: list[Revision]
    audit: list[dict[str, Any]] = field(default_factory=list)
    """Audit entries as written (imported ones first, then this database's), `detail` as text."""


@dataclass(frozen=True)
class NewRevision:
    """A revision to import (see `Repository.import_records`)."""

    number: int
    status: str
    answers: Mapping[str, Any]
    created_at: str
    updated_at: str
    based_on: int | None = None
    review_reason: str | None = None
    review_note: str | None = None
    approved_by: str | None = None
    approved_role: str | None = None
    approved_at: str | None = None
    content_hash: str | None = None


@dataclass(frozen=True)
class NewAssessment:
    """An assessment to import: its revisions in order and the audit entries it came with."""

    uid: str | None
    title: str
    form_id: str
    form_version: str
    created_at: str
    updated_at: str
    revisions: Sequence[NewRevision]
    audit: Sequence[Mapping[str, Any]] = ()
    archived: bool = False
    review_flag: str | None = None
    review: Any = None
    """A `review_store.ReviewRecord` (comments, evaluations, roles, attachments...) or None."""


class ChangedElsewhere(UserError):
    """The revision an editor started from was changed meanwhile by someone else (see
    `Repository.save_answers_from`). `current` is the stamp to save over it deliberately."""

    def __init__(self, assessment_id: int, base: str, number: int, updated_at: str) -> None:
        super().__init__(
            "error.changed_elsewhere",
            id=assessment_id,
            base=base.split("@", 1)[0],
            found=number,
            when=updated_at[:19].replace("T", " "),
        )
        self.assessment_id = assessment_id
        self.base = base
        self.current = f"{number}@{updated_at}"


def default_actor() -> str:
    """The OS login, marked "login:<user>": no name was given or saved (pia_app/actor.py)."""
    from pia_app.actor import os_login

    return os_login()


AUDIT_VALUE_LIMIT = 1000
"""Answers longer than this (as JSON) are logged as their SHA-256 and length, not in full.

Autosave logs every pause in typing; a long answer logged in full each time would grow the
audit trail by its whole length per save. The revision keeps the full text, and the hash still
proves which text was saved when."""


def audit_value(value: Any) -> Any:
    text = canonical_json(value)
    if len(text) <= AUDIT_VALUE_LIMIT:
        return value
    return {"sha256": sha256_hex(text), "chars": len(text)}


def audit_entry_hash(entry: Mapping[str, Any]) -> str:
    """The scheme-1 hash of an audit entry (kept for callers of schema v1; see store/audit.py)."""
    return audit.entry_hash_v1(entry)


class Repository:
    """The store of one data folder's database file."""

    def __init__(
        self,
        path: Path,
        actor: str | None = None,
        busy_timeout_s: float = dbmod.BUSY_TIMEOUT_S,
        readonly: bool = False,
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.unlogged: list[str] = []
        """Events that could not be written to the audit trail (see `log_event`)."""
        self.db: Database = dbmod.connect(path, busy_timeout_s, readonly=readonly)
        try:
            with dbmod.environment_errors(path):
                if readonly:
                    self.backups: list[Path] = []
                    found = user_version(self.db)
                    if found != SCHEMA_VERSION:
                        raise UserError(
                            "error.db_needs_upgrade", path=str(path), found=found, known=SCHEMA_VERSION
                        )
                else:
                    found = user_version(self.db)
                    self.backups = migrate(self.db, path)
            self.actor = actor or self.actor_name() or default_actor()
            if not readonly and found == 1:
                self._scrub_legacy_deletions()
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
    def _write(self, durable: bool = True) -> Iterator[Database]:
        """One write transaction; `BEGIN IMMEDIATE` takes the write lock before any read.

        `durable` (all but autosave, settings and logged events): the commit is synced to disk
        (`synchronous = FULL`), so a power cut cannot roll back an approval, a sign-off, a
        status change, a re-review, an import or a deletion; syncing also makes every earlier
        save durable. Autosaves use NORMAL (see docs/data.md for what a power cut can lose)."""
        if self.readonly:
            raise UserError("error.db_readonly", path=str(self.path))
        with dbmod.environment_errors(self.path):
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            mode = dbmod.DURABLE_SYNCHRONOUS if durable else dbmod.SYNCHRONOUS
            if mode != dbmod.SYNCHRONOUS:
                self.db.execute(f"PRAGMA synchronous = {mode}")
            try:
                with self._transaction():
                    yield self.db
            finally:
                if mode != dbmod.SYNCHRONOUS:
                    self.db.execute(f"PRAGMA synchronous = {dbmod.SYNCHRONOUS}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Several reads seeing one consistent state (a read transaction), e.g. for export."""
        if self.db.conn.in_transaction:
            yield
            return
        with dbmod.environment_errors(self.path):
            self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.conn.in_transaction:
                self.db.execute("COMMIT")

    # -- settings -----------------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        with dbmod.environment_errors(self.path):
            row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str | None) -> None:
        with self._write(durable=False) as db:
            if value is None:
                db.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    def actor_name(self) -> str | None:
        """The name set in preferences for the audit trail, or None (then the OS login)."""
        return self.get_setting(ACTOR_SETTING)

    def set_actor_name(self, name: str | None) -> None:
        """Record `name` as the actor of this and later sessions; empty/None → the OS login."""
        from pia_app.actor import clean_name

        clean = clean_name(name) if name and name.strip() else ""
        self.set_setting(ACTOR_SETTING, clean or None)
        self.actor = clean or default_actor()

    @cached_property
    def record_roles(self) -> RecordRoles:
        """Which answers hold the title, the report, retention and next-review dates and a
        re-review's reason: the form's `roles.record` (the bundled form's unless a caller that
        runs another form sets `repo.record_roles = RecordRoles.of(form)`)."""
        return RecordRoles.bundled()

    # -- reading ------------------------------------------------------------------------------

    def list_assessments(self, include_archived: bool = False) -> list[AssessmentSummary]:
        sql = "SELECT * FROM assessments"
        if not include_archived:
            sql += " WHERE archived = 0"
        sql += " ORDER BY updated_at DESC, id DESC"
        with dbmod.environment_errors(self.path):
            rows = list(self.db.query(sql))
            approved = self._last_approved() if rows else {}
        return [_summary(r, approved.get(r["id"])) for r in rows]

    def _last_approved(self, only: int | None = None) -> dict[int, tuple[int, dt.date | None]]:
        """assessment id → (number, next review date) of its newest approved revision; of one
        assessment or of all (one query whatever the count, for the list)."""
        sql = (
            "SELECT assessment_id, max(number), json_extract(answers, ?),"
            " json_extract(answers, ?) FROM revisions WHERE status = 'approved'"
        )
        args: list[Any] = [
            _json_path(self.record_roles.next_review),
            _json_path(self.record_roles.report_date),
        ]
        if only is not None:
            sql += " AND assessment_id = ?"
            args.append(only)
        out: dict[int, tuple[int, dt.date | None]] = {}
        # SQLite takes the bare columns from the row holding max(number).
        for aid, number, next_review, report_date in self.db.execute(sql + " GROUP BY assessment_id", args):
            review = parse_date(next_review)
            report = parse_date(report_date)
            if review is None and report is not None:
                review = add_years(report, REVIEW_YEARS)
            out[int(aid)] = (int(number), review)
        return out

    def get(self, assessment_id: int) -> AssessmentSummary:
        with dbmod.environment_errors(self.path):
            rows = list(self.db.query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
            if not rows:
                raise UserError("error.no_assessment", id=assessment_id)
            approved = self._last_approved(assessment_id)
        return _summary(rows[0], approved.get(assessment_id))

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
            self.get(assessment_id)
            raise UserError("error.no_revision", id=assessment_id, revision=number)
        return _revision(rows[0], self.path)

    def revisions(self, assessment_id: int) -> list[Revision]:
        self.get(assessment_id)
        with dbmod.environment_errors(self.path):
            rows = self.db.query(
                "SELECT * FROM revisions WHERE assessment_id = ? ORDER BY number",
                [assessment_id],
            )
            return [_revision(r, self.path) for r in rows]

    def revision_rows(self, assessment_id: int) -> list[dict[str, Any]]:
        """Raw revision rows as stored (answers as text), for `verify`."""
        with dbmod.environment_errors(self.path):
            return list(
                self.db.query(
                    "SELECT * FROM revisions WHERE assessment_id = ? ORDER BY number", [assessment_id]
                )
            )

    def chain_head(self) -> tuple[int, str]:
        """(entry count, newest entry hash) of the audit chain: the anchor to write down or
        print, checked later with `pia-app verify --head HASH`."""
        with dbmod.environment_errors(self.path):
            count = int(self.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])
            return count, audit.head_hash(self.db)

    def audit(self, assessment_id: int | None = None) -> list[dict[str, Any]]:
        """This database's audit entries (of one assessment, or all), oldest first, `detail`
        decoded. Entries of deleted assessments stay in the full list."""
        rows = self.audit_rows(None if assessment_id is None else self.get(assessment_id).uid)
        for row in rows:
            row["detail"] = _decode(row["detail"], self.path)
        return rows

    def audit_rows(self, uid: str | None = None) -> list[dict[str, Any]]:
        """Raw audit rows as stored (detail as its canonical JSON text), for hash checks."""
        sql, args = "SELECT * FROM audit_log", []
        if uid is not None:
            sql += " WHERE assessment_uid = ?"
            args.append(uid)
        with dbmod.environment_errors(self.path):
            return list(self.db.query(sql + " ORDER BY id", args))

    def imported_audit(self, assessment_id: int) -> list[dict[str, Any]]:
        """The audit entries an imported assessment came with, verbatim, oldest first."""
        with dbmod.environment_errors(self.path):
            rows = self.db.execute(
                "SELECT entry FROM imported_audit WHERE assessment_id = ? ORDER BY position",
                [assessment_id],
            ).fetchall()
        return [_decode(r[0], self.path) for r in rows]

    def record(self, assessment_id: int, with_audit: bool = True) -> AssessmentRecord:
        """One assessment with all its revisions (and audit entries) as plain data."""
        with self.read_snapshot():
            summary = self.get(assessment_id)
            audit: list[dict[str, Any]] = []
            if with_audit:
                audit = self.imported_audit(assessment_id)
                for row in self.audit_rows(summary.uid):
                    _decode(row["detail"], self.path)  # damaged text is reported here, once
                    audit.append({k: v for k, v in row.items() if k != "id"})
            revisions = self.revisions(assessment_id)
            if not any(r.number == summary.current_revision for r in revisions):
                raise dbmod.corrupt_error(self.path)  # its current revision is gone: damaged or altered
            return AssessmentRecord(summary, revisions, audit)

    def revision_hash(self, assessment_id: int, number: int | None = None) -> str:
        summary = self.get(assessment_id)
        rev = self.revision(assessment_id, number)
        return content_hash(summary.form_id, summary.form_version, rev.answers)

    def find_revision_by_hash(self, assessment_id: int, sha256: str) -> int | None:
        """The revision whose content hash (the SHA-256 printed in a report) is `sha256`."""
        want = sha256.strip().lower()
        summary = self.get(assessment_id)
        for rev in self.revisions(assessment_id):
            actual = content_hash(summary.form_id, summary.form_version, rev.answers)
            if actual == want:
                return rev.number
        return None

    def retention_until(self, assessment_id: int) -> tuple[dt.date, dt.date] | None:
        """(report date, keep-until date) of the newest approved revision, or None if none.

        The report date is the answer `record.report_date` names, else the approval date; records are kept
        three years from it (PIPL art. 56), or until the `record.retain_until` answer when later.
        """
        approved = [r for r in self.revisions(assessment_id) if r.status == "approved"]
        if not approved:
            return None
        newest = approved[-1]
        report = parse_date(newest.answers.get(self.record_roles.report_date)) or parse_date(
            (newest.approved_at or "")[:10]
        )
        if report is None:
            report = dt.date.fromisoformat(newest.created_at[:10])
        until = add_years(report, RETENTION_YEARS)
        declared = parse_date(newest.answers.get(self.record_roles.retain_until))
        if declared is not None and declared > until:
            until = declared
        return report, until

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
        uid = _new_uid()
        data = dict(answers or {})
        _refuse_unsafe(data)
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
            state = audit.revision_state(form_id, form_version, 1, "draft", data, {})
            self._log(
                uid,
                1,
                "created",
                {"title": title, "form": form_id, "version": form_version, audit.STATE_KEY: state},
            )
        return aid

    def save_answers(self, assessment_id: int, answers: Mapping[str, Any]) -> list[str]:
        """Write the answers of the current revision; return the ids of changed questions.

        Refused (UserError) when the revision is approved; the database trigger refuses it too.
        The audit entry records each changed question as [old, new]. An editor that keeps
        answers open for a while uses `save_answers_from` instead, so it cannot undo a change
        made meanwhile elsewhere.
        """
        return self.save_answers_from(assessment_id, answers, None)[0]

    def stamp(self, assessment_id: int) -> str:
        """Which state of the current revision an editor starts from ("<number>@<updated_at>");
        give it back to `save_answers_from`."""
        rev = self.revision(assessment_id)
        return f"{rev.number}@{rev.updated_at}"

    def save_answers_from(
        self, assessment_id: int, answers: Mapping[str, Any], base: str | None
    ) -> tuple[list[str], str]:
        """Like `save_answers`, but only if the current revision is still the one `base` (a
        `stamp`) says: the same revision, not saved since by anyone else (the CLI, another
        window). Otherwise `ChangedElsewhere` is raised and nothing is written, so an open
        window's autosave never reverts a newer change; the UI asks the user what to do (reload,
        or save anyway with the new stamp). Returns (changed question ids, the new stamp)."""
        new = dict(answers)
        _refuse_unsafe(new)
        with self._write(durable=False) as db:
            summary = self.get(assessment_id)
            rev = self.revision(assessment_id, summary.current_revision)
            current = f"{rev.number}@{rev.updated_at}"
            if base is not None and base != current:
                raise ChangedElsewhere(assessment_id, base, rev.number, rev.updated_at)
            if rev.status == "approved":
                raise UserError("error.frozen", id=assessment_id, revision=rev.number)
            changed = sorted(k for k in set(rev.answers) | set(new) if rev.answers.get(k) != new.get(k))
            if not changed:
                return [], current
            now = utc_now()
            title = new.get(self.record_roles.title)
            db.execute(
                "UPDATE revisions SET answers = ?, updated_at = ? WHERE assessment_id = ? AND number = ?",
                [canonical_json(new), now, assessment_id, rev.number],
            )
            db.execute(
                "UPDATE assessments SET updated_at = ?, title = ? WHERE id = ?",
                [now, title if isinstance(title, str) and title else summary.title, assessment_id],
            )
            detail = {
                "changes": {k: [audit_value(rev.answers.get(k)), audit_value(new.get(k))] for k in changed},
                audit.STATE_KEY: audit.revision_state(
                    summary.form_id, summary.form_version, rev.number, rev.status, new, {}
                ),
            }
            self._log(summary.uid, rev.number, "answered", detail)
        return changed, f"{rev.number}@{now}"

    def set_status(self, assessment_id: int, status: str) -> None:
        """Move the current revision between `draft` and `in_review` (use `approve` to sign)."""
        if status not in ("draft", "in_review"):
            raise ValueError(status)
        with self._write():
            summary = self.get(assessment_id)
            rev = self.revision(assessment_id, summary.current_revision)
            if rev.status == "approved":
                raise UserError("error.frozen", id=assessment_id, revision=rev.number)
            if rev.status == status:
                return
            self._set_revision_status(summary, rev, status, {})

    def submit(self, assessment_id: int) -> None:
        """draft → in_review."""
        self.set_status(assessment_id, "in_review")

    def approve(self, assessment_id: int, by: str, role: str, at: str | None = None) -> Revision:
        """Sign off the current revision (must be in review): who, role, when; freeze it.

        The revision gets its content hash (the SHA-256 the report prints) in the same
        transaction; from then on the triggers refuse any change to it.
        """
        by, role = by.strip(), role.strip()
        if not by or not role:
            raise UserError("error.approve_who")
        with self._write():
            summary = self.get(assessment_id)
            rev = self.revision(assessment_id, summary.current_revision)
            if rev.status == "approved":
                raise UserError("error.frozen", id=assessment_id, revision=rev.number)
            if rev.status != "in_review":
                raise UserError("error.not_in_review", id=assessment_id, revision=rev.number)
            from pia_app.store.review_store import approval_blockers

            blockers = approval_blockers(self.db, assessment_id, rev.number)
            if blockers:
                raise blockers[0]
            when = at or utc_now()
            digest = content_hash(summary.form_id, summary.form_version, rev.answers)
            self._set_revision_status(
                summary,
                rev,
                "approved",
                {"approved_by": by, "approved_role": role, "approved_at": when, "content_hash": digest},
            )
        return self.revision(assessment_id, rev.number)

    def _set_revision_status(
        self,
        summary: AssessmentSummary,
        rev: Revision,
        status: str,
        extra: Mapping[str, str],
    ) -> None:
        now = utc_now()
        sets = ", ".join(f"{k} = ?" for k in ("status", "updated_at", *extra))
        self.db.execute(
            f"UPDATE revisions SET {sets} WHERE assessment_id = ? AND number = ?",
            [status, now, *extra.values(), summary.id, rev.number],
        )
        self.db.execute(
            "UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?",
            [status, now, summary.id],
        )
        action = "approved" if status == "approved" else "status"
        detail = {
            "from": rev.status,
            "to": status,
            **extra,
            audit.STATE_KEY: self._state(summary, rev.number),
        }
        self._log(summary.uid, rev.number, action, detail)

    def start_review(self, assessment_id: int, reason_code: str, note: str = "") -> int:
        """Open a re-review: revision N+1, a draft copied from the last approved revision.

        `reason_code` is one of REVIEW_REASONS; it is recorded on the revision and written into
        the new revision's assessment type (`record.assessment_type`). Refused while a revision is
        still a draft or in review. Returns the new revision number.
        """
        if reason_code not in REVIEW_REASONS:
            raise UserError("error.review_reason", reason=reason_code, choices=", ".join(REVIEW_REASONS))
        with self._write() as db:
            summary = self.get(assessment_id)
            current = self.revision(assessment_id, summary.current_revision)
            if current.status != "approved":
                raise UserError(
                    "error.review_open",
                    id=assessment_id,
                    revision=current.number,
                    status_key=f"status.{current.status}",
                )
            from pia_app.store.review_store import copy_to_new_revision, with_followed_up_status

            answers = with_followed_up_status(
                db, assessment_id, current.number, current.answers, self.record_roles.treatments
            )
            if self.record_roles.assessment_type:
                answers[self.record_roles.assessment_type] = reason_code
            number = current.number + 1
            now = utc_now()
            db.execute(
                "INSERT INTO revisions (assessment_id, number, status, answers, based_on,"
                " review_reason, review_note, created_at, updated_at)"
                " VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?)",
                [assessment_id, number, canonical_json(answers), current.number, reason_code, note, now, now],
            )
            copy_to_new_revision(db, assessment_id, current.number, number)
            db.execute(
                "UPDATE assessments SET current_revision = ?, status = 'draft', review_flag = NULL,"
                " updated_at = ? WHERE id = ?",
                [number, now, assessment_id],
            )
            self._log(
                summary.uid,
                number,
                "review_started",
                {
                    "based_on": current.number,
                    "reason": reason_code,
                    "note": note,
                    audit.STATE_KEY: audit.revision_state(
                        summary.form_id, summary.form_version, number, "draft", answers, {}
                    ),
                },
            )
        return number

    def flag_for_review(self, assessment_id: int, reason_code: str | None) -> None:
        """Mark an assessment due for re-review (e.g. after an incident); None clears the flag."""
        if reason_code is not None and reason_code not in REVIEW_REASONS:
            raise UserError("error.review_reason", reason=reason_code, choices=", ".join(REVIEW_REASONS))
        with self._write() as db:
            summary = self.get(assessment_id)
            db.execute("UPDATE assessments SET review_flag = ? WHERE id = ?", [reason_code, assessment_id])
            self._log(summary.uid, summary.current_revision, "flagged", {"reason": reason_code})

    def archive(self, assessment_id: int, archived: bool = True) -> None:
        """Hide from (or, with archived=False, return to) the list; nothing is deleted."""
        with self._write() as db:
            summary = self.get(assessment_id)
            if summary.archived == archived:
                return
            db.execute("UPDATE assessments SET archived = ? WHERE id = ?", [int(archived), assessment_id])
            action = "archived" if archived else "unarchived"
            self._log(summary.uid, summary.current_revision, action, {})

    def unarchive(self, assessment_id: int) -> None:
        self.archive(assessment_id, archived=False)

    def delete(
        self, assessment_id: int, today: dt.date | None = None, force_reason: str | None = None
    ) -> int:
        """Delete an assessment for real; return how many audit entries were scrubbed.

        Refused while its newest approved report is within the retention period (PIPL art. 56:
        three years), with the dates, unless `force_reason` gives why (recorded in the trail).
        In one transaction: the assessment, its revisions and imported entries go; its audit
        entries lose their answer content (`audit.scrub_detail`: hashes, statuses, approvals
        and the changed question ids stay, so the chain still verifies); a `deleted` entry is
        added. Then the file is vacuumed and its WAL emptied, so none of the answers remains in
        it (backups made earlier still hold them: see `backups_holding`)."""
        day = today or dt.date.today()
        reason = (force_reason or "").strip()
        with self._write() as db:
            summary = self.get(assessment_id)
            retention = self.retention_until(assessment_id)
            within = retention is not None and day < retention[1]
            if retention is not None and within and not reason:
                raise UserError(
                    "error.retention",
                    id=assessment_id,
                    report_date=retention[0].isoformat(),
                    until=retention[1].isoformat(),
                )
            db.execute("DELETE FROM assessments WHERE id = ?", [assessment_id])
            from pia_app.store.review_store import drop_unused_blobs

            drop_unused_blobs(db)
            scrubbed = self._scrub(summary.uid)
            detail: dict[str, Any] = {"revisions": summary.current_revision, "scrubbed": scrubbed}
            if within and retention is not None:
                detail.update({"forced": True, "reason": reason, "retain_until": retention[1].isoformat()})
            self._log(summary.uid, summary.current_revision, "deleted", detail)
        self.compact()
        return scrubbed

    def _scrub(self, uid: str, legacy_only: bool = False) -> int:
        """Drop the answer content of a deleted assessment's audit entries (inside the delete's
        transaction; the trigger allows exactly this once the assessment is gone)."""
        now = utc_now()
        sql = "SELECT id, detail FROM audit_log WHERE assessment_uid = ? AND scrubbed_at IS NULL"
        if legacy_only:
            sql += " AND detail_hash IS NULL"
        rows = self.db.execute(sql, [uid]).fetchall()
        for entry_id, text in rows:
            try:
                detail = json.loads(text)
            except ValueError:
                detail = {}
            kept = audit.scrub_detail(detail if isinstance(detail, dict) else {})
            self.db.execute(
                "UPDATE audit_log SET detail = ?, scrubbed_at = ? WHERE id = ?",
                [canonical_json(kept), now, entry_id],
            )
        return len(rows)

    def _scrub_legacy_deletions(self) -> None:
        """When a v1 database is upgraded: scrub the entries of assessments deleted before
        deletion scrubbed (their assessment is gone and they have a `deleted` entry)."""
        uids = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT d.assessment_uid FROM audit_log d WHERE d.action = 'deleted'"
                " AND NOT EXISTS (SELECT 1 FROM assessments s WHERE s.uid = d.assessment_uid)"
            ).fetchall()
        ]
        if not uids:
            return
        scrubbed = 0
        with self._write():
            for uid in uids:
                scrubbed += self._scrub(uid, legacy_only=True)
        if scrubbed:
            self.compact()

    def compact(self) -> None:
        """VACUUM (rebuild the file without free pages) and empty the WAL, so deleted content
        is gone from the files; another program reading at the moment may keep the WAL, which
        the next close empties."""
        with dbmod.environment_errors(self.path):
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def backups_holding(self, uid: str) -> list[Path]:
        """Backup and damaged copies beside the database that still hold assessment `uid`."""
        return [p for p in migrations.copies_of(self.path) if migrations.copy_holds(p, uid)]

    def log_event(self, assessment_id: int, action: str, detail: Mapping[str, Any]) -> bool:
        """Record an event that changes no data (e.g. a report was exported).

        The event has already happened, so a database that cannot be written now (opened
        read-only, read-only folder, another program holding the write lock, full disk) does not
        undo it: the entry is skipped, named in `unlogged` for the caller to tell, and False is
        returned."""
        if self.readonly:
            self.unlogged.append(action)
            return False
        try:
            with self._write(durable=False):
                summary = self.get(assessment_id)
                self._log(summary.uid, summary.current_revision, action, dict(detail))
        except UserError as exc:
            if exc.key not in ("error.db_readonly", "error.db_locked", "error.disk_full"):
                raise
            self.unlogged.append(action)
            return False
        return True

    def import_records(self, items: Sequence[NewAssessment], source: str = "") -> list[int]:
        """Create each assessment with its revisions, all in ONE transaction; return new ids.

        The uid is kept unless this database already has it (then a new one is made, and the
        `imported` audit entry names the original). Audit entries brought along are kept
        verbatim (they belong to another database's chain) in `imported_audit`.
        """
        ids: list[int] = []
        for item in items:
            for rev in item.revisions:
                _refuse_unsafe(rev.answers)
        with self._write() as db:
            for item in items:
                uid = item.uid
                if not uid or db.execute("SELECT 1 FROM assessments WHERE uid = ?", [uid]).fetchone():
                    uid = _new_uid()
                last = item.revisions[-1]
                cur = db.execute(
                    "INSERT INTO assessments (uid, title, form_id, form_version, status,"
                    " current_revision, archived, review_flag, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        uid,
                        item.title,
                        item.form_id,
                        item.form_version,
                        last.status,
                        last.number,
                        int(item.archived),
                        item.review_flag,
                        item.created_at,
                        item.updated_at,
                    ],
                )
                aid = int(cur.lastrowid or 0)
                if item.review is not None:  # before the revisions: approved ones freeze their review
                    from pia_app.store.review_store import insert_review

                    insert_review(db, aid, item.review)
                for rev in item.revisions:
                    db.execute(
                        "INSERT INTO revisions (assessment_id, number, status, answers, based_on,"
                        " review_reason, review_note, approved_by, approved_role, approved_at,"
                        " content_hash, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            aid,
                            rev.number,
                            rev.status,
                            canonical_json(dict(rev.answers)),
                            rev.based_on,
                            rev.review_reason,
                            rev.review_note,
                            rev.approved_by,
                            rev.approved_role,
                            rev.approved_at,
                            rev.content_hash,
                            rev.created_at,
                            rev.updated_at,
                        ],
                    )
                for pos, entry in enumerate(item.audit):
                    db.execute(
                        "INSERT INTO imported_audit (assessment_id, position, entry) VALUES (?, ?, ?)",
                        [aid, pos, canonical_json(dict(entry))],
                    )
                states = [
                    audit.revision_state(
                        item.form_id, item.form_version, r.number, r.status, dict(r.answers), asdict(r)
                    )
                    for r in item.revisions
                ]
                detail: dict[str, Any] = {
                    "source": source,
                    "revisions": len(item.revisions),
                    audit.STATES_KEY: states,
                }
                if item.uid and uid != item.uid:
                    detail["original_uid"] = item.uid
                self._log(uid, last.number, "imported", detail)
                ids.append(aid)
        return ids

    def _log(self, uid: str, revision: int | None, action: str, detail: Mapping[str, Any]) -> None:
        """Append an audit entry chained to the previous one (call inside a write block)."""
        audit.append(self.db, self.actor, uid, revision, action, detail)

    def _state(self, summary: AssessmentSummary, number: int) -> dict[str, Any]:
        """The recorded state of revision `number` as it is now in this transaction."""
        rev = self.revision(summary.id, number)
        return audit.revision_state(
            summary.form_id,
            summary.form_version,
            rev.number,
            rev.status,
            rev.answers,
            {
                "approved_by": rev.approved_by,
                "approved_role": rev.approved_role,
                "approved_at": rev.approved_at,
            },
        )


def _summary(row: Mapping[str, Any], approved: tuple[int, dt.date | None] | None = None) -> AssessmentSummary:
    next_review = approved[1] if approved else None
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
        review_flag=row["review_flag"],
        next_review=next_review.isoformat() if next_review else None,
        last_approved=approved[0] if approved else None,
    )


def _refuse_unsafe(answers: Mapping[str, Any]) -> None:
    """Answers that cannot be stored safely (input_limits) never reach the database."""
    problems = check_answers(answers)
    if problems:
        raise problem_error(problems[0])


def _decode(text: Any, path: Path) -> Any:
    """Stored JSON back to data; text that does not decode means a damaged file."""
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError) as exc:
        raise dbmod.corrupt_error(path) from exc


def _revision(row: Mapping[str, Any], path: Path) -> Revision:
    return Revision(
        assessment_id=row["assessment_id"],
        number=row["number"],
        status=row["status"],
        answers=_decode(row["answers"], path),
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


def _json_path(qid: str) -> str:
    """The SQLite JSON path of one answer (quoted, so an unnamed role reads nothing)."""
    return '$."' + qid.replace('"', "") + '"'


def open_repository(
    path: Path,
    actor: str | None = None,
    busy_timeout_s: float = dbmod.BUSY_TIMEOUT_S,
    readonly: bool = False,
) -> Repository:
    """Open the store, mapping 'not a database' and the like to a UserError naming the file.

    `readonly=True` (commands that only read) opens with SQLite's read-only mode, so it works
    on a read-only folder and never waits for another program's write lock; a database that
    needs an upgrade is then opened for writing (to upgrade it) if the folder allows."""
    try:
        if readonly:
            try:
                return Repository(path, actor, busy_timeout_s, readonly=True)
            except UserError as exc:
                if exc.key != "error.db_needs_upgrade" or not os.access(path.parent, os.W_OK):
                    raise
        return Repository(path, actor, busy_timeout_s)
    except sqlite3.Error as exc:
        mapped = dbmod.translate(exc, path)
        if mapped is exc:
            raise
        raise mapped from exc
