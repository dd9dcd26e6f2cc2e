"""Review, evidence and follow-up records of an assessment: the SQL of the review tables.

Kept beside `repository.py` (which owns assessments, revisions and the audit trail) so the two
can evolve separately; every write here goes through the repository's write transaction and
appends its audit entry in the same transaction, exactly like the repository's own writes.

What is recorded, per revision of an assessment (see review_schema.py for the tables):
- roles: author(s), reviewer(s), DPO, approver (names, in order);
- section evaluations: acceptable / to be improved / not acceptable, a comment, who and in which
  role;
- comment threads per question: who opened it, the comments (author, time, text), resolved by
  whom and when; a comment is never edited (a reply corrects it);
- the DPO's advice, and whether it was followed or overruled (with the reason);
- attachments (evidence) on a question or a row of a table question (a treatment), stored inside
  the database as content-addressed blobs (SHA-256), deduplicated;
- after approval, follow-up of the treatment plan: status changes with their date (append-only),
  each optionally with evidence.

Approval is blocked while a thread is unresolved or a section is "not acceptable"
(`approval_blockers`, called by `Repository.approve`; a trigger enforces it too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pia_app.canonical import utc_now
from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.store import db as dbmod
from pia_app.store.database import Database
from pia_app.store.repository import Repository

ROLES = ("author", "reviewer", "dpo", "approver")
VERDICTS = ("acceptable", "to_improve", "not_acceptable")
DPO_DECISIONS = ("followed", "overruled")
PROGRESS_STATUSES = ("planned", "in_progress", "done")
ATTACHMENT_LIMIT_SETTING = "attachment_limit_mb"
DEFAULT_ATTACHMENT_LIMIT_MB = 50
MB = 1024 * 1024


@dataclass(frozen=True)
class Evaluation:
    revision: int
    section_id: str
    verdict: str
    comment: str
    reviewer: str
    reviewer_role: str
    evaluated_at: str


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    created_at: str
    body: str


@dataclass(frozen=True)
class Thread:
    id: int
    revision: int
    question_id: str
    opened_by: str
    opened_at: str
    resolved_by: str | None
    resolved_at: str | None
    comments: tuple[Comment, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


@dataclass(frozen=True)
class DpoAdvice:
    revision: int
    advice: str
    given_by: str
    given_at: str
    decision: str | None
    reason: str
    decided_by: str | None
    decided_at: str | None


@dataclass(frozen=True)
class Attachment:
    id: int
    revision: int
    question_id: str
    row_index: int | None
    name: str
    media_type: str
    size: int
    sha256: str
    note: str
    added_by: str
    added_at: str
    progress_id: int | None = None


@dataclass(frozen=True)
class Progress:
    id: int
    revision: int
    row_index: int
    status: str
    on_date: str
    note: str
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class ReviewRecord:
    """Everything review-related of one assessment (all revisions), as plain data: what export
    writes and import gives back. `files` maps SHA-256 → bytes of every attachment."""

    roles: list[tuple[int, str, str]] = field(default_factory=list)
    """(revision, role, name) in order."""
    evaluations: list[Evaluation] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
    dpo: list[DpoAdvice] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (
            self.roles or self.evaluations or self.threads or self.dpo or self.progress or self.attachments
        )


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def approval_blockers(db: Database, assessment_id: int, revision: int) -> list[UserError]:
    """Why the revision cannot be approved yet: open comment threads, sections not acceptable."""
    out: list[UserError] = []
    open_threads = db.execute(
        "SELECT question_id FROM comment_threads WHERE assessment_id = ? AND revision = ?"
        " AND resolved_at IS NULL ORDER BY id",
        [assessment_id, revision],
    ).fetchall()
    if open_threads:
        questions = ", ".join(dict.fromkeys(str(r[0]) for r in open_threads))
        out.append(UserError("error.review_open_comments", count=len(open_threads), questions=questions))
    rejected = db.execute(
        "SELECT section_id FROM section_evaluations WHERE assessment_id = ? AND revision = ?"
        " AND verdict = 'not_acceptable' ORDER BY section_id",
        [assessment_id, revision],
    ).fetchall()
    if rejected:
        out.append(UserError("error.review_not_acceptable", sections=", ".join(str(r[0]) for r in rejected)))
    return out


def copy_to_new_revision(db: Database, assessment_id: int, old: int, new: int) -> None:
    """At the start of a re-review: roles and attachments of revision `old` carry over to `new`
    (the blobs are shared, nothing is copied); follow-up evidence becomes evidence of its
    treatment row. Comments, evaluations and DPO advice are the old revision's own record."""
    db.execute(
        "INSERT INTO review_roles (assessment_id, revision, role, name, position)"
        " SELECT assessment_id, ?, role, name, position FROM review_roles"
        " WHERE assessment_id = ? AND revision = ?",
        [new, assessment_id, old],
    )
    db.execute(
        "INSERT INTO attachments (assessment_id, revision, question_id, row_index, name, media_type,"
        " size, sha256, note, added_by, added_at)"
        " SELECT assessment_id, ?, question_id, row_index, name, media_type, size, sha256, note,"
        " added_by, added_at FROM attachments WHERE assessment_id = ? AND revision = ? ORDER BY id",
        [new, assessment_id, old],
    )


def latest_progress(db: Database, assessment_id: int, revision: int) -> dict[int, Progress]:
    """row index → the newest follow-up entry of that treatment row."""
    rows = db.query(
        "SELECT * FROM treatment_progress WHERE assessment_id = ? AND revision = ? ORDER BY id",
        [assessment_id, revision],
    )
    out: dict[int, Progress] = {}
    for r in rows:
        p = _progress_row(r)
        out[p.row_index] = p
    return out


def with_followed_up_status(
    db: Database, assessment_id: int, revision: int, answers: Mapping[str, Any], table: str
) -> dict[str, Any]:
    """A copy of `answers` whose treatment rows carry the status recorded by follow-up after
    approval (the newest entry per row): a re-review starts from where the measures stand.
    `table` is the treatment table (`RecordRoles.treatments`)."""
    out = dict(answers)
    progress = latest_progress(db, assessment_id, revision)
    rows = out.get(table)
    if progress and isinstance(rows, list):
        out[table] = [
            {**row, "status": progress[i].status} if i in progress and isinstance(row, dict) else row
            for i, row in enumerate(rows)
        ]
    return out


def stored_file_problems(db: Database) -> list[tuple[str, dict[str, Any]]]:
    """For `pia-app verify`: every stored file must still hash to the SHA-256 it is stored under
    and have its recorded size (content addressing makes any change to a file visible)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for sha, size, data in db.execute("SELECT sha256, size, data FROM blobs ORDER BY sha256"):
        raw = bytes(data) if data is not None else b""
        if sha256_bytes(raw) != sha or len(raw) != size:
            names = [
                r[0] for r in db.execute("SELECT DISTINCT name FROM attachments WHERE sha256 = ?", [sha])
            ]
            out.append(("verify.file_altered", {"sha256": sha, "names": ", ".join(names)}))
    for aid, name, sha in db.execute(
        "SELECT a.assessment_id, a.name, a.sha256 FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256"
        " WHERE b.sha256 IS NULL OR b.size != a.size"
    ):
        out.append(("verify.file_missing", {"id": aid, "name": name, "sha256": sha}))
    return out


def drop_unused_blobs(db: Database) -> int:
    """Delete the blobs no attachment refers to any more (after a detach or a delete)."""
    cur = db.execute("DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments)")
    return int(cur.rowcount or 0)


def insert_review(db: Database, assessment_id: int, review: ReviewRecord) -> None:
    """Write an imported review record for a new assessment. Called by `import_records` BEFORE
    the revisions are inserted, so the freeze triggers of approved revisions do not apply yet."""
    for sha, data in review.files.items():
        db.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
            [sha, len(data), sqlite3.Binary(data)],
        )
    for pos, (rev, role, name) in enumerate(review.roles):
        db.execute(
            "INSERT OR IGNORE INTO review_roles (assessment_id, revision, role, name, position)"
            " VALUES (?, ?, ?, ?, ?)",
            [assessment_id, rev, role, name, pos],
        )
    for e in review.evaluations:
        db.execute(
            "INSERT INTO section_evaluations (assessment_id, revision, section_id, verdict, comment,"
            " reviewer, reviewer_role, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, e.revision, e.section_id, e.verdict, e.comment, e.reviewer, e.reviewer_role,
             e.evaluated_at],
        )  # fmt: skip
    for th in review.threads:
        cur = db.execute(
            "INSERT INTO comment_threads (assessment_id, revision, question_id, opened_by, opened_at,"
            " resolved_by, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, th.revision, th.question_id, th.opened_by, th.opened_at, th.resolved_by,
             th.resolved_at],
        )  # fmt: skip
        tid = int(cur.lastrowid or 0)
        for c in th.comments:
            db.execute(
                "INSERT INTO comments (thread_id, assessment_id, revision, author, created_at, body)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [tid, assessment_id, th.revision, c.author, c.created_at, c.body],
            )
    for d in review.dpo:
        db.execute(
            "INSERT INTO dpo_advice (assessment_id, revision, advice, given_by, given_at, decision,"
            " reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, d.revision, d.advice, d.given_by, d.given_at, d.decision, d.reason,
             d.decided_by, d.decided_at],
        )  # fmt: skip
    progress_ids: dict[int, int] = {}
    for p in review.progress:
        cur = db.execute(
            "INSERT INTO treatment_progress (assessment_id, revision, row_index, status, on_date, note,"
            " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, p.revision, p.row_index, p.status, p.on_date, p.note, p.recorded_by,
             p.recorded_at],
        )  # fmt: skip
        progress_ids[p.id] = int(cur.lastrowid or 0)
    for a in review.attachments:
        db.execute(
            "INSERT INTO attachments (assessment_id, revision, question_id, row_index, name,"
            " media_type, size, sha256, note, added_by, added_at, progress_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, a.revision, a.question_id, a.row_index, a.name, a.media_type, a.size,
             a.sha256, a.note, a.added_by, a.added_at,
             None if a.progress_id is None else progress_ids[a.progress_id]],
        )  # fmt: skip


class ReviewStore:
    """Review records of the assessments of one repository, checked against `form`."""

    def __init__(self, repo: Repository, form: Form | None = None) -> None:
        """`form` checks question and section ids on writes; reading needs none."""
        self.repo = repo
        self.form = form

    @property
    def db(self) -> Database:
        return self.repo.db

    # -- helpers ---------------------------------------------------------------------------------

    def _rev(self, assessment_id: int, revision: int | None) -> int:
        return revision if revision is not None else self.repo.get(assessment_id).current_revision

    def _open_revision(self, assessment_id: int) -> tuple[str, int]:
        """(uid, number) of the current revision, refused when it is approved (frozen)."""
        summary = self.repo.get(assessment_id)
        rev = self.repo.revision(assessment_id, summary.current_revision)
        if rev.status == "approved":
            raise UserError("error.frozen", id=assessment_id, revision=rev.number)
        return summary.uid, rev.number

    def _check_question(self, question_id: str) -> None:
        if self.form is not None and self.form.question(question_id) is None:
            raise UserError("error.unknown_question", question=question_id)

    def _query(self, sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
        with dbmod.environment_errors(self.repo.path):
            return list(self.db.query(sql, list(args)))

    # -- roles -----------------------------------------------------------------------------------

    def roles(self, assessment_id: int, revision: int | None = None) -> dict[str, list[str]]:
        """role → names (in the order given), for every role of ROLES."""
        number = self._rev(assessment_id, revision)
        out: dict[str, list[str]] = {r: [] for r in ROLES}
        for row in self._query(
            "SELECT role, name FROM review_roles WHERE assessment_id = ? AND revision = ?"
            " ORDER BY position, rowid",
            [assessment_id, number],
        ):
            out[row["role"]].append(row["name"])
        return out

    def set_role(self, assessment_id: int, role: str, names: Iterable[str]) -> None:
        """Replace the names holding `role` on the current revision."""
        if role not in ROLES:
            raise UserError("error.review_role", role=role, choices=", ".join(ROLES))
        clean = list(dict.fromkeys(n.strip() for n in names if n.strip()))
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            before = self.roles(assessment_id, number)[role]
            if before == clean:
                return
            db.execute(
                "DELETE FROM review_roles WHERE assessment_id = ? AND revision = ? AND role = ?",
                [assessment_id, number, role],
            )
            for pos, name in enumerate(clean):
                db.execute(
                    "INSERT INTO review_roles (assessment_id, revision, role, name, position)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [assessment_id, number, role, name, pos],
                )
            self.repo._log(uid, number, "roles_set", {"role": role, "from": before, "to": clean})

    # -- section evaluations ----------------------------------------------------------------------

    def evaluate(
        self,
        assessment_id: int,
        section_id: str,
        verdict: str,
        comment: str = "",
        reviewer_role: str = "reviewer",
        reviewer: str | None = None,
    ) -> Evaluation:
        """Record (or replace) the evaluation of one section by the current user (or `reviewer`)."""
        if self.form is not None and self.form.section(section_id) is None:
            raise UserError("error.unknown_section", section=section_id)
        if verdict not in VERDICTS:
            raise UserError("error.review_verdict", verdict=verdict, choices=", ".join(VERDICTS))
        who = (reviewer or self.repo.actor).strip()
        role = reviewer_role.strip() or "reviewer"
        if verdict != "acceptable" and not comment.strip():
            raise UserError("error.review_verdict_comment")
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            now = utc_now()
            db.execute(
                "INSERT INTO section_evaluations (assessment_id, revision, section_id, verdict, comment,"
                " reviewer, reviewer_role, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (assessment_id, revision, section_id) DO UPDATE SET"
                " verdict = excluded.verdict, comment = excluded.comment, reviewer = excluded.reviewer,"
                " reviewer_role = excluded.reviewer_role, evaluated_at = excluded.evaluated_at",
                [assessment_id, number, section_id, verdict, comment, who, role, now],
            )
            self.repo._log(
                uid,
                number,
                "section_evaluated",
                {"section": section_id, "verdict": verdict, "comment": comment, "role": role},
            )
        return Evaluation(number, section_id, verdict, comment, who, role, now)

    def evaluations(self, assessment_id: int, revision: int | None = None) -> list[Evaluation]:
        number = self._rev(assessment_id, revision)
        rows = self._query(
            "SELECT * FROM section_evaluations WHERE assessment_id = ? AND revision = ?",
            [assessment_id, number],
        )
        order = {s.id: i for i, s in enumerate(self.form.sections if self.form else ())}
        evals = [_evaluation(r) for r in rows]
        return sorted(evals, key=lambda e: (order.get(e.section_id, len(order)), e.section_id))

    # -- comment threads ---------------------------------------------------------------------------

    def open_thread(self, assessment_id: int, question_id: str, text: str) -> Thread:
        """Start a thread on a question of the current revision with its first comment."""
        self._check_question(question_id)
        body = _comment_text(text)
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            now = utc_now()
            cur = db.execute(
                "INSERT INTO comment_threads (assessment_id, revision, question_id, opened_by, opened_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [assessment_id, number, question_id, self.repo.actor, now],
            )
            tid = int(cur.lastrowid or 0)
            db.execute(
                "INSERT INTO comments (thread_id, assessment_id, revision, author, created_at, body)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [tid, assessment_id, number, self.repo.actor, now, body],
            )
            self.repo._log(
                uid, number, "comment_added", {"thread": tid, "question": question_id, "text": body}
            )
        return self.thread(assessment_id, tid)

    def reply(self, assessment_id: int, thread_id: int, text: str) -> Thread:
        body = _comment_text(text)
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            th = self.thread(assessment_id, thread_id)
            if th.revision != number:
                raise UserError("error.frozen", id=assessment_id, revision=th.revision)
            db.execute(
                "INSERT INTO comments (thread_id, assessment_id, revision, author, created_at, body)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [thread_id, assessment_id, number, self.repo.actor, utc_now(), body],
            )
            self.repo._log(
                uid, number, "comment_added", {"thread": thread_id, "question": th.question_id, "text": body}
            )
        return self.thread(assessment_id, thread_id)

    def resolve(self, assessment_id: int, thread_id: int, resolved: bool = True) -> Thread:
        """Mark a thread resolved (by the current user, now), or reopen it."""
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            th = self.thread(assessment_id, thread_id)
            if th.revision != number:
                raise UserError("error.frozen", id=assessment_id, revision=th.revision)
            if th.resolved == resolved:
                return th
            if resolved:
                db.execute(
                    "UPDATE comment_threads SET resolved_by = ?, resolved_at = ? WHERE id = ?",
                    [self.repo.actor, utc_now(), thread_id],
                )
            else:
                db.execute(
                    "UPDATE comment_threads SET resolved_by = NULL, resolved_at = NULL WHERE id = ?",
                    [thread_id],
                )
            action = "comment_resolved" if resolved else "comment_reopened"
            self.repo._log(uid, number, action, {"thread": thread_id, "question": th.question_id})
        return self.thread(assessment_id, thread_id)

    def thread(self, assessment_id: int, thread_id: int) -> Thread:
        rows = self._query(
            "SELECT * FROM comment_threads WHERE id = ? AND assessment_id = ?", [thread_id, assessment_id]
        )
        if not rows:
            raise UserError("error.no_thread", id=assessment_id, thread=thread_id)
        return self._with_comments(rows)[0]

    def threads(
        self, assessment_id: int, revision: int | None = None, question_id: str | None = None
    ) -> list[Thread]:
        number = self._rev(assessment_id, revision)
        sql = "SELECT * FROM comment_threads WHERE assessment_id = ? AND revision = ?"
        args: list[Any] = [assessment_id, number]
        if question_id is not None:
            sql += " AND question_id = ?"
            args.append(question_id)
        return self._with_comments(self._query(sql + " ORDER BY id", args))

    def _with_comments(self, rows: list[dict[str, Any]]) -> list[Thread]:
        out = []
        for r in rows:
            comments = tuple(
                Comment(c["id"], c["author"], c["created_at"], c["body"])
                for c in self._query("SELECT * FROM comments WHERE thread_id = ? ORDER BY id", [r["id"]])
            )
            out.append(_thread(r, comments))
        return out

    def open_thread_counts(self, assessment_id: int, revision: int | None = None) -> dict[str, int]:
        """question id → number of unresolved threads (for badges in the wizard)."""
        number = self._rev(assessment_id, revision)
        rows = self._query(
            "SELECT question_id, count(*) AS n FROM comment_threads WHERE assessment_id = ?"
            " AND revision = ? AND resolved_at IS NULL GROUP BY question_id",
            [assessment_id, number],
        )
        return {r["question_id"]: int(r["n"]) for r in rows}

    # -- DPO advice --------------------------------------------------------------------------------

    def give_dpo_advice(self, assessment_id: int, advice: str) -> DpoAdvice:
        """Record the DPO's advice on the current revision (replacing earlier advice and its
        decision: new advice needs a new decision)."""
        text = advice.strip()
        if not text:
            raise UserError("error.dpo_advice_empty")
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            db.execute(
                "INSERT INTO dpo_advice (assessment_id, revision, advice, given_by, given_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id, revision) DO UPDATE SET"
                " advice = excluded.advice, given_by = excluded.given_by, given_at = excluded.given_at,"
                " decision = NULL, reason = '', decided_by = NULL, decided_at = NULL",
                [assessment_id, number, text, self.repo.actor, utc_now()],
            )
            self.repo._log(uid, number, "dpo_advice", {"advice": text})
        advice_row = self.dpo_advice(assessment_id, number)
        assert advice_row is not None
        return advice_row

    def decide_dpo_advice(self, assessment_id: int, decision: str, reason: str = "") -> DpoAdvice:
        """Whether the DPO's advice was followed; overruling needs a reason (ICO DPIA step 7)."""
        if decision not in DPO_DECISIONS:
            raise UserError("error.dpo_decision", decision=decision, choices=", ".join(DPO_DECISIONS))
        why = reason.strip()
        if decision == "overruled" and not why:
            raise UserError("error.dpo_overruled_reason")
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            if self.dpo_advice(assessment_id, number) is None:
                raise UserError("error.dpo_no_advice", id=assessment_id)
            db.execute(
                "UPDATE dpo_advice SET decision = ?, reason = ?, decided_by = ?, decided_at = ?"
                " WHERE assessment_id = ? AND revision = ?",
                [decision, why, self.repo.actor, utc_now(), assessment_id, number],
            )
            self.repo._log(uid, number, "dpo_decision", {"decision": decision, "reason": why})
        advice_row = self.dpo_advice(assessment_id, number)
        assert advice_row is not None
        return advice_row

    def dpo_advice(self, assessment_id: int, revision: int | None = None) -> DpoAdvice | None:
        number = self._rev(assessment_id, revision)
        rows = self._query(
            "SELECT * FROM dpo_advice WHERE assessment_id = ? AND revision = ?", [assessment_id, number]
        )
        return _dpo(rows[0]) if rows else None

    # -- attachments -------------------------------------------------------------------------------

    def attachment_limit_mb(self) -> int:
        raw = self.repo.get_setting(ATTACHMENT_LIMIT_SETTING)
        try:
            value = int(raw) if raw is not None else DEFAULT_ATTACHMENT_LIMIT_MB
        except ValueError:
            value = DEFAULT_ATTACHMENT_LIMIT_MB
        return value if value > 0 else DEFAULT_ATTACHMENT_LIMIT_MB

    def set_attachment_limit_mb(self, mb: int | None) -> None:
        if mb is not None and not 1 <= mb <= 1024:
            raise UserError("error.attach_limit_range", mb=mb)
        self.repo.set_setting(ATTACHMENT_LIMIT_SETTING, None if mb is None else str(mb))

    def read_file(self, path: Path) -> bytes:
        """The bytes of a file to attach, or a UserError (too large, unreadable, empty) — read
        completely before anything is written, so a refused file changes nothing."""
        limit = self.attachment_limit_mb()
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise IsADirectoryError(21, "is a folder")
            if size > limit * MB:
                raise UserError("error.attach_too_large", name=path.name, size=_mb(size), limit=limit)
            with path.open("rb") as fh:
                data = fh.read(limit * MB + 1)
        except FileNotFoundError as exc:
            raise UserError("error.file_missing", path=str(path)) from exc
        except OSError as exc:
            raise UserError("error.file_read", path=str(path), reason=exc.strerror or str(exc)) from exc
        if len(data) > limit * MB:
            raise UserError("error.attach_too_large", name=path.name, size=_mb(len(data)), limit=limit)
        if not data:
            raise UserError("error.attach_empty", name=path.name)
        return data

    def attach_file(
        self,
        assessment_id: int,
        path: Path,
        question_id: str,
        row_index: int | None = None,
        note: str = "",
    ) -> Attachment:
        """Attach a file to a question (or a row of a table question) of the current revision."""
        self._check_question(question_id)
        data = self.read_file(path)
        return self.attach_bytes(assessment_id, path.name, data, question_id, row_index, note)

    def attach_bytes(
        self,
        assessment_id: int,
        name: str,
        data: bytes,
        question_id: str,
        row_index: int | None = None,
        note: str = "",
    ) -> Attachment:
        self._check_question(question_id)
        self._check_row(question_id, row_index)
        clean_name = _file_name(name)
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            aid = self._store(db, assessment_id, number, clean_name, data, question_id, row_index, note, None)
            self.repo._log(
                uid,
                number,
                "attached",
                {
                    "attachment": aid,
                    "name": clean_name,
                    "sha256": sha256_bytes(data),
                    "size": len(data),
                    "question": question_id,
                    "row": row_index,
                },
            )
        return self.attachment(assessment_id, aid)

    def _check_row(self, question_id: str, row_index: int | None) -> None:
        q = self.form.question(question_id) if self.form is not None else None
        if row_index is not None and (
            (self.form is not None and (q is None or q.type != "table")) or row_index < 0
        ):
            raise UserError("error.attach_row", question=question_id, row=row_index)

    def _store(
        self,
        db: Database,
        assessment_id: int,
        number: int,
        name: str,
        data: bytes,
        question_id: str,
        row_index: int | None,
        note: str,
        progress_id: int | None,
    ) -> int:
        sha = sha256_bytes(data)
        db.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
            [sha, len(data), sqlite3.Binary(data)],
        )
        cur = db.execute(
            "INSERT INTO attachments (assessment_id, revision, question_id, row_index, name, media_type,"
            " size, sha256, note, added_by, added_at, progress_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, number, question_id, row_index, name, media_type_of(name), len(data), sha,
             note, self.repo.actor, utc_now(), progress_id],
        )  # fmt: skip
        return int(cur.lastrowid or 0)

    def detach(self, assessment_id: int, attachment_id: int) -> None:
        """Remove an attachment from the current revision (its blob goes when nothing uses it)."""
        with self.repo._write() as db:
            uid, number = self._open_revision(assessment_id)
            att = self.attachment(assessment_id, attachment_id)
            if att.revision != number or att.progress_id is not None:
                raise UserError("error.frozen", id=assessment_id, revision=att.revision)
            db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
            drop_unused_blobs(db)
            self.repo._log(
                uid, number, "detached", {"attachment": attachment_id, "name": att.name, "sha256": att.sha256}
            )

    def attachment(self, assessment_id: int, attachment_id: int) -> Attachment:
        rows = self._query(
            "SELECT * FROM attachments WHERE id = ? AND assessment_id = ?", [attachment_id, assessment_id]
        )
        if not rows:
            raise UserError("error.no_attachment", id=assessment_id, attachment=attachment_id)
        return _attachment(rows[0])

    def attachments(
        self, assessment_id: int, revision: int | None = None, question_id: str | None = None
    ) -> list[Attachment]:
        number = self._rev(assessment_id, revision)
        sql = "SELECT * FROM attachments WHERE assessment_id = ? AND revision = ?"
        args: list[Any] = [assessment_id, number]
        if question_id is not None:
            sql += " AND question_id = ?"
            args.append(question_id)
        return [_attachment(r) for r in self._query(sql + " ORDER BY id", args)]

    def blob(self, sha256: str) -> bytes:
        rows = self._query("SELECT data FROM blobs WHERE sha256 = ?", [sha256])
        if not rows:
            raise UserError("error.no_blob", sha256=sha256)
        return bytes(rows[0]["data"])

    # -- follow-up of the treatment plan -----------------------------------------------------------

    def plan_revision(self, assessment_id: int) -> int | None:
        """The revision whose treatment plan is in force: the newest approved one."""
        return self.repo.get(assessment_id).last_approved

    def record_progress(
        self,
        assessment_id: int,
        row_index: int,
        status: str,
        on_date: dt.date | None = None,
        note: str = "",
        evidence: Path | None = None,
    ) -> Progress:
        """Record where a treatment of the approved plan stands ("mark done"): who (the current
        user) and when go into the audit trail; optional evidence is attached to the entry.
        The file is read before anything is written: an unreadable one changes nothing."""
        if status not in PROGRESS_STATUSES:
            raise UserError("error.progress_status", status=status, choices=", ".join(PROGRESS_STATUSES))
        data = self.read_file(evidence) if evidence is not None else None
        day = (on_date or dt.date.today()).isoformat()
        with self.repo._write() as db:
            summary = self.repo.get(assessment_id)
            number = summary.last_approved
            if number is None:
                raise UserError("error.progress_not_approved", id=assessment_id)
            rows = (
                self.repo.revision(assessment_id, number).answers.get(self.repo.record_roles.treatments) or []
            )
            if not 0 <= row_index < len(rows):
                raise UserError("error.progress_row", id=assessment_id, row=row_index + 1, rows=len(rows))
            cur = db.execute(
                "INSERT INTO treatment_progress (assessment_id, revision, row_index, status, on_date,"
                " note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [assessment_id, number, row_index, status, day, note, self.repo.actor, utc_now()],
            )
            pid = int(cur.lastrowid or 0)
            detail: dict[str, Any] = {
                "row": row_index,
                "ref_id": rows[row_index].get("ref_id") if isinstance(rows[row_index], dict) else None,
                "status": status,
                "date": day,
                "note": note,
            }
            if data is not None and evidence is not None:
                name = _file_name(evidence.name)
                att = self._store(
                    db,
                    assessment_id,
                    number,
                    name,
                    data,
                    self.repo.record_roles.treatments,
                    row_index,
                    note,
                    pid,
                )
                detail["evidence"] = {"attachment": att, "name": name, "sha256": sha256_bytes(data)}
            self.repo._log(summary.uid, number, "treatment_status", detail)
        return self.progress(assessment_id, number)[-1]

    def progress(self, assessment_id: int, revision: int) -> list[Progress]:
        rows = self._query(
            "SELECT * FROM treatment_progress WHERE assessment_id = ? AND revision = ? ORDER BY id",
            [assessment_id, revision],
        )
        return [_progress_row(r) for r in rows]

    # -- whole record (export) ---------------------------------------------------------------------

    def record(self, assessment_id: int, revisions: Sequence[int] | None = None) -> ReviewRecord:
        """The review data of the given revisions (all by default), with the attached files."""
        with self.repo.read_snapshot():
            numbers = (
                list(revisions)
                if revisions is not None
                else [r.number for r in self.repo.revisions(assessment_id)]
            )
            out = ReviewRecord()
            for n in numbers:
                out.roles.extend((n, role, name) for role, names in self.roles(assessment_id, n).items()
                                 for name in names)  # fmt: skip
                out.evaluations.extend(self.evaluations(assessment_id, n))
                out.threads.extend(self.threads(assessment_id, n))
                advice = self.dpo_advice(assessment_id, n)
                if advice is not None:
                    out.dpo.append(advice)
                out.progress.extend(self.progress(assessment_id, n))
                out.attachments.extend(self.attachments(assessment_id, n))
            for a in out.attachments:
                if a.sha256 not in out.files:
                    out.files[a.sha256] = self.blob(a.sha256)
        return out


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def _file_name(name: str) -> str:
    """A file name as shown and stored: no folders, no control characters, at most 200 chars."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if c.isprintable()).strip()
    return clean[:200] or "attachment"


def _comment_text(text: str) -> str:
    body = text.strip()
    if not body:
        raise UserError("error.comment_empty")
    return body


def _evaluation(r: Mapping[str, Any]) -> Evaluation:
    return Evaluation(
        r["revision"], r["section_id"], r["verdict"], r["comment"], r["reviewer"], r["reviewer_role"],
        r["evaluated_at"],
    )  # fmt: skip


def _thread(r: Mapping[str, Any], comments: tuple[Comment, ...]) -> Thread:
    return Thread(
        r["id"], r["revision"], r["question_id"], r["opened_by"], r["opened_at"], r["resolved_by"],
        r["resolved_at"], comments,
    )  # fmt: skip


def _dpo(r: Mapping[str, Any]) -> DpoAdvice:
    return DpoAdvice(
        r["revision"], r["advice"], r["given_by"], r["given_at"], r["decision"], r["reason"],
        r["decided_by"], r["decided_at"],
    )  # fmt: skip


def _attachment(r: Mapping[str, Any]) -> Attachment:
    return Attachment(
        r["id"], r["revision"], r["question_id"], r["row_index"], r["name"], r["media_type"], r["size"],
        r["sha256"], r["note"], r["added_by"], r["added_at"], r["progress_id"],
    )  # fmt: skip


def _progress_row(r: Mapping[str, Any]) -> Progress:
    return Progress(
        r["id"], r["revision"], r["row_index"], r["status"], r["on_date"], r["note"], r["recorded_by"],
        r["recorded_at"],
    )  # fmt: skip
