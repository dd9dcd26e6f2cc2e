"""The `review` and `files` parts of the assessment JSON format (format_version 2; docs/format.md).

`review` carries, per revision, the roles, section evaluations, comment threads, DPO advice,
treatment follow-up and attachment records; `files` carries each attached file once, as
base64 under its SHA-256. Reading is as strict as the rest of the format: every attachment's
file must be present, decode, and hash to its SHA-256 with its declared size; every revision
named must exist; question and section ids must be the form's; an approved revision cannot
come with an unresolved thread or a section "not acceptable". Nothing is written until all of
it is checked (the caller imports all or nothing).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.store.repository import NewRevision
from pia_app.store.review_store import (
    Attachment,
    Comment,
    DpoAdvice,
    Evaluation,
    Progress,
    ReviewRecord,
    Thread,
    sha256_bytes,
)


def review_document(
    review: ReviewRecord, snapshot_of: int | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """(`review`, `files`) of a document. With `snapshot_of` (export without history) only that
    revision's records are written, renumbered as revision 1 (what the snapshot imports as);
    follow-up after approval belongs to the history and is left out."""

    def keep(rev: int) -> bool:
        return snapshot_of is None or rev == snapshot_of

    def num(rev: int) -> int:
        return 1 if snapshot_of is not None else rev

    progress = [p for p in review.progress if keep(p.revision)] if snapshot_of is None else []
    local_ids = {p.id: i + 1 for i, p in enumerate(progress)}
    attachments = [
        a
        for a in review.attachments
        if keep(a.revision) and (a.progress_id is None or a.progress_id in local_ids)
    ]
    doc: dict[str, Any] = {
        "roles": [
            {"revision": num(r), "role": role, "name": name} for r, role, name in review.roles if keep(r)
        ],
        "evaluations": [
            {
                "revision": num(e.revision),
                "section": e.section_id,
                "verdict": e.verdict,
                "comment": e.comment,
                "reviewer": e.reviewer,
                "reviewer_role": e.reviewer_role,
                "evaluated_at": e.evaluated_at,
            }
            for e in review.evaluations
            if keep(e.revision)
        ],
        "threads": [
            {
                "revision": num(t.revision),
                "question": t.question_id,
                "opened_by": t.opened_by,
                "opened_at": t.opened_at,
                "resolved_by": t.resolved_by,
                "resolved_at": t.resolved_at,
                "comments": [{"author": c.author, "at": c.created_at, "text": c.body} for c in t.comments],
            }
            for t in review.threads
            if keep(t.revision)
        ],
        "dpo_advice": [
            {
                "revision": num(d.revision),
                "advice": d.advice,
                "given_by": d.given_by,
                "given_at": d.given_at,
                "decision": d.decision,
                "reason": d.reason,
                "decided_by": d.decided_by,
                "decided_at": d.decided_at,
            }
            for d in review.dpo
            if keep(d.revision)
        ],
        "progress": [
            {
                "id": local_ids[p.id],
                "revision": p.revision,
                "row": p.row_index,
                "status": p.status,
                "date": p.on_date,
                "note": p.note,
                "recorded_by": p.recorded_by,
                "recorded_at": p.recorded_at,
            }
            for p in progress
        ],
        "attachments": [
            {
                "revision": num(a.revision),
                "question": a.question_id,
                "row": a.row_index,
                "name": a.name,
                "media_type": a.media_type,
                "size": a.size,
                "sha256": a.sha256,
                "note": a.note,
                "added_by": a.added_by,
                "added_at": a.added_at,
                "progress": None if a.progress_id is None else local_ids[a.progress_id],
            }
            for a in attachments
        ],
    }
    files = {
        sha: base64.b64encode(review.files[sha]).decode("ascii")
        for sha in dict.fromkeys(a.sha256 for a in attachments)
    }
    return doc, files


def _fail(source: str, where: str, reason_key: str) -> UserError:
    return UserError("error.import_review", path=source, where=where, reason_key=reason_key)


def parse_review(
    item: Mapping[str, Any], form: Form, revisions: Sequence[NewRevision], source: str
) -> ReviewRecord | None:
    """The review records of an (already schema-checked) assessment document, or None."""
    raw = item.get("review")
    if not raw:
        return None
    status = {r.number: r.status for r in revisions}
    files = _decode_files(item.get("files") or {}, source)

    def revision(where: str, n: int) -> int:
        if n not in status:
            raise _fail(source, where, "import.review_revision")
        return n

    def question(where: str, qid: str) -> str:
        if form.question(qid) is None:
            raise _fail(source, where, "import.review_question")
        return qid

    out = ReviewRecord()
    for i, r in enumerate(raw.get("roles", [])):
        out.roles.append((revision(f"review/roles/{i}", r["revision"]), r["role"], r["name"]))
    for i, e in enumerate(raw.get("evaluations", [])):
        where = f"review/evaluations/{i}"
        if form.section(e["section"]) is None:
            raise _fail(source, where, "import.review_section")
        if e["verdict"] == "not_acceptable" and status.get(e["revision"]) == "approved":
            raise _fail(source, where, "import.review_blocks_approval")
        out.evaluations.append(
            Evaluation(
                revision(where, e["revision"]),
                e["section"],
                e["verdict"],
                e["comment"],
                e["reviewer"],
                e["reviewer_role"],
                e["evaluated_at"],
            )
        )
    for i, t in enumerate(raw.get("threads", [])):
        where = f"review/threads/{i}"
        if t["resolved_at"] is None and status.get(t["revision"]) == "approved":
            raise _fail(source, where, "import.review_blocks_approval")
        if (t["resolved_by"] is None) != (t["resolved_at"] is None):
            raise _fail(source, where, "import.review_resolved")
        comments = tuple(Comment(0, c["author"], c["at"], c["text"]) for c in t["comments"])
        out.threads.append(
            Thread(
                0,
                revision(where, t["revision"]),
                question(where, t["question"]),
                t["opened_by"],
                t["opened_at"],
                t["resolved_by"],
                t["resolved_at"],
                comments,
            )
        )
    for i, d in enumerate(raw.get("dpo_advice", [])):
        where = f"review/dpo_advice/{i}"
        if d["decision"] == "overruled" and not str(d.get("reason") or "").strip():
            raise _fail(source, where, "import.review_overruled_reason")
        out.dpo.append(
            DpoAdvice(
                revision(where, d["revision"]),
                d["advice"],
                d["given_by"],
                d["given_at"],
                d["decision"],
                d.get("reason") or "",
                d.get("decided_by"),
                d.get("decided_at"),
            )
        )
    ids: set[int] = set()
    for i, p in enumerate(raw.get("progress", [])):
        where = f"review/progress/{i}"
        if status.get(p["revision"]) != "approved" or p["id"] in ids:
            raise _fail(source, where, "import.review_progress")
        ids.add(p["id"])
        out.progress.append(
            Progress(
                p["id"],
                revision(where, p["revision"]),
                p["row"],
                p["status"],
                p["date"],
                p["note"],
                p["recorded_by"],
                p["recorded_at"],
            )
        )
    for i, a in enumerate(raw.get("attachments", [])):
        where = f"review/attachments/{i}"
        data = files.get(a["sha256"])
        if data is None:
            raise _fail(source, where, "import.review_file_missing")
        if len(data) != a["size"]:
            raise _fail(source, where, "import.review_file_size")
        if a["progress"] is not None and a["progress"] not in ids:
            raise _fail(source, where, "import.review_progress")
        out.attachments.append(
            Attachment(
                0,
                revision(where, a["revision"]),
                question(where, a["question"]),
                a["row"],
                a["name"],
                a["media_type"],
                a["size"],
                a["sha256"],
                a["note"],
                a["added_by"],
                a["added_at"],
                a["progress"],
            )
        )
        out.files[a["sha256"]] = data
    return out


def _decode_files(raw: Mapping[str, Any], source: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for sha, text in raw.items():
        where = f"files/{sha}"
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _fail(source, where, "import.review_file_base64") from exc
        if sha256_bytes(data) != sha:
            raise _fail(source, where, "import.review_file_hash")
        out[sha] = data
    return out


def review_of_document(data: Any, form: Form, source: str) -> tuple[ReviewRecord, int, str | None] | None:
    """For `pia-app report FILE.json`: the review records of the revision the file's answers
    belong to (its last revision, or 1 for a snapshot) with who approved it, or None when the
    file has none. The whole file is checked as an import would check it."""
    if not isinstance(data, Mapping) or not data.get("review"):
        return None
    from pia_app.interchange import parse_import

    (item,) = parse_import(data, form, source)
    if item.review is None:
        return None
    last = item.revisions[-1]
    return item.review, last.number, last.approved_by
