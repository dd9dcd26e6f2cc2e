"""The review, evidence and follow-up tables (issue 14), added by one schema migration.

Everything review-related belongs to one revision of an assessment (`assessment_id`, `revision`)
and is frozen with it: once the revision is approved, triggers refuse any insert, update or
delete of its roles, evaluations, comments, DPO advice and attachments, whatever program tries
(the same guarantee the answers have). Follow-up after approval is the exception by design: it
is appended (`treatment_progress`, and evidence attachments linked to a progress entry), never
changed or deleted while the assessment exists.

Attachments are content-addressed: `blobs` holds each distinct file once under its SHA-256;
`attachments` links a blob to a question (or to one row of a table question such as the
treatment plan) of a revision, with the file's name, type and size.

Approval itself is refused by a trigger while a comment thread of the revision is unresolved or
a section is evaluated "not acceptable"; the repository checks the same first, to say it
clearly (`review_store.approval_blockers`).
"""

from __future__ import annotations

from pia_app.store.database import Database
from pia_app.store.migrations import run_script

_FROZEN = (
    "EXISTS (SELECT 1 FROM revisions WHERE assessment_id = {row}.assessment_id"
    " AND number = {row}.revision AND status = 'approved')"
)
_LIVE = "EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)"


def _freeze(table: str, insert_when: str = "") -> str:
    """Triggers refusing writes to `table` rows of an approved revision. Deleting is allowed only
    as part of deleting the whole assessment (the cascade runs after its row is gone)."""
    new, old = _FROZEN.format(row="NEW"), _FROZEN.format(row="OLD")
    msg = "SELECT RAISE(ABORT, 'revision is approved and frozen');"
    return (
        f"CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}\n"
        f"WHEN {new}{insert_when}\nBEGIN {msg} END;\n"
        f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}\n"
        f"WHEN {old}\nBEGIN {msg} END;\n"
        f"CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}\n"
        f"WHEN {old} AND {_LIVE}\nBEGIN {msg} END;\n"
    )


REVIEW_SCHEMA = (
    """
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    data BLOB NOT NULL
);
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'stored files are content-addressed and never change'); END;
CREATE TABLE review_roles (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('author', 'reviewer', 'dpo', 'approver')),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (assessment_id, revision, role, name)
);
CREATE TABLE section_evaluations (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('acceptable', 'to_improve', 'not_acceptable')),
    comment TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    reviewer_role TEXT NOT NULL,
    evaluated_at TEXT NOT NULL,
    PRIMARY KEY (assessment_id, revision, section_id)
);
CREATE TABLE comment_threads (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    CHECK ((resolved_by IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX comment_threads_by_revision ON comment_threads(assessment_id, revision);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX comments_by_thread ON comments(thread_id, id);
CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
BEGIN SELECT RAISE(ABORT, 'a comment is never edited; reply instead'); END;
CREATE TABLE dpo_advice (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    advice TEXT NOT NULL,
    given_by TEXT NOT NULL,
    given_at TEXT NOT NULL,
    decision TEXT CHECK (decision IS NULL OR decision IN ('followed', 'overruled')),
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT,
    decided_at TEXT,
    CHECK (decision IS NOT 'overruled' OR length(trim(reason)) > 0),
    PRIMARY KEY (assessment_id, revision)
);
CREATE TABLE treatment_progress (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    row_index INTEGER NOT NULL CHECK (row_index >= 0),
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX treatment_progress_by_row ON treatment_progress(assessment_id, revision, row_index, id);
CREATE TRIGGER treatment_progress_no_update BEFORE UPDATE ON treatment_progress
BEGIN SELECT RAISE(ABORT, 'follow-up entries are append-only'); END;
CREATE TRIGGER treatment_progress_no_delete BEFORE DELETE ON treatment_progress
WHEN EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'follow-up entries are append-only'); END;
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    row_index INTEGER CHECK (row_index IS NULL OR row_index >= 0),
    name TEXT NOT NULL CHECK (length(name) > 0),
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    note TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    progress_id INTEGER REFERENCES treatment_progress(id) ON DELETE CASCADE
);
CREATE INDEX attachments_by_revision ON attachments(assessment_id, revision);
CREATE INDEX attachments_by_blob ON attachments(sha256);
"""
    + _freeze("review_roles")
    + _freeze("section_evaluations")
    + _freeze("comment_threads")
    + _freeze("comments")
    + _freeze("dpo_advice")
    + _freeze("attachments", " AND NEW.progress_id IS NULL")
    + """
CREATE TRIGGER revisions_approval_needs_review BEFORE UPDATE ON revisions
WHEN OLD.status != 'approved' AND NEW.status = 'approved' AND (
    EXISTS (SELECT 1 FROM comment_threads WHERE assessment_id = NEW.assessment_id
            AND revision = NEW.number AND resolved_at IS NULL)
    OR EXISTS (SELECT 1 FROM section_evaluations WHERE assessment_id = NEW.assessment_id
            AND revision = NEW.number AND verdict = 'not_acceptable'))
BEGIN SELECT RAISE(ABORT, 'open comments or a section not acceptable block approval'); END;
"""
)


def add_review_tables(db: Database) -> None:
    """The migration step that adds the tables above (runs inside the migration transaction)."""
    run_script(db, REVIEW_SCHEMA)
