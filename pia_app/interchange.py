"""The documented JSON format of an assessment (docs/format.md, schemas/assessment.schema.json)
and of a bundle of several (docs/data-format-bundles.md, schemas/bundle.schema.json).

Reading is strict and total: a file is either accepted whole or refused with a UserError that
names the problem; nothing half-read ever reaches the store (`import_file` checks everything
first, then writes all assessments in one transaction).

Export writes the current revision's answers; with `history=True` also every revision and the
audit trail. Export → import → export gives the same bytes except `exported_at`, and with
history the audit entries the importing database added (its `imported` entry), appended at the
end; the uid is kept unless the importing database already has it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pia_app.atomic import write_atomic
from pia_app.canonical import content_hash, utc_now
from pia_app.errors import UserError
from pia_app.forms.answers import AnswerProblem, validate_answers
from pia_app.forms.schema import Form
from pia_app.i18n import pick
from pia_app.input_limits import check_document, problem_error
from pia_app.resources import package_data

if TYPE_CHECKING:  # the store (and sqlite-utils) load only when importing or exporting (issue 12)
    import jsonschema

    from pia_app.store.repository import (
        AssessmentRecord,
        NewAssessment,
        NewRevision,
        Repository,
        Revision,
    )
    from pia_app.store.review_store import ReviewRecord

FORMAT = "pia-app-assessment"
BUNDLE_FORMAT = "pia-app-bundle"
FORMAT_VERSION = 2
"""2: `review` and `files` (review records and attachments) were added; version 1 files have
neither and import unchanged."""
MAX_FILE_BYTES = 512 * 1024 * 1024
"""Attachments travel inside the file (base64, 4/3 of their size): room for several of the
largest allowed (50 MB each by default) beside the answers."""
REVISION_FIELDS = (
    "number",
    "status",
    "answers",
    "based_on",
    "review_reason",
    "review_note",
    "approved_by",
    "approved_role",
    "approved_at",
    "content_hash",
    "created_at",
    "updated_at",
)
AUDIT_FIELDS = ("assessment_uid", "revision", "ts", "actor", "action", "detail", "prev_hash", "hash")


@dataclass(frozen=True)
class AssessmentDoc:
    form_id: str
    form_version: str
    answers: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)


@cache
def _validator(name: str = "assessment") -> jsonschema.Draft202012Validator:
    """jsonschema's validator of schema `name`: the reference, and the one that explains a refusal."""
    import jsonschema  # only when the quick check refused a document (schema_check)

    text = package_data("schemas", f"{name}.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def read_json_file(path: Path) -> Any:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise UserError("error.file_missing", path=str(path)) from exc
    except OSError as exc:
        raise UserError("error.file_read", path=str(path), reason=exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise UserError("error.file_too_large", path=str(path), limit=MAX_FILE_BYTES // 2**20)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError("error.file_read", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise UserError("error.not_utf8", path=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise UserError("error.not_json", path=str(path), line=exc.lineno, reason=exc.msg) from exc
    except RecursionError as exc:
        raise UserError("error.not_json", path=str(path), line=0, reason="nested too deeply") from exc
    except ValueError as exc:  # NaN / Infinity (parse_constant)
        raise UserError("error.not_json", path=str(path), line=0, reason=str(exc)) from exc


CONTENT_PROBLEMS = ("answer.contradiction", "answer.exclusive")
"""Answer problems that are about what the answers say, not whether they can be stored: the
wizard and `grade`/`report FILE` refuse them, but an import of a record (what `export` wrote,
possibly signed under earlier rules) keeps them as they are, so every export re-imports; grading
the imported assessment shows them again."""


def _problems(form: Form, answers: Any, record: bool) -> list[AnswerProblem]:
    problems = validate_answers(form, answers)
    return [p for p in problems if p.key not in CONTENT_PROBLEMS] if record else problems


def parse_assessment(data: Any, form: Form, source: str = "", record: bool = False) -> AssessmentDoc:
    """Check a decoded JSON document against the schema and the form; return it or raise.

    `record=True` (import): contradictions between answers do not refuse it (CONTENT_PROBLEMS)."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise UserError("error.wrong_format", path=source, expected=FORMAT)
    unsafe = check_document(data)
    if unsafe is not None:
        raise problem_error(unsafe, source)
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise UserError("error.format_newer", path=source, found=version, known=FORMAT_VERSION)
    _check_schema(data, "assessment", source)
    form_ref = data["form"]
    if form_ref["id"] != form.id:
        raise UserError("error.wrong_form", path=source, found=form_ref["id"], expected=form.id)
    answers = {k: v for k, v in data["answers"].items() if v is not None}
    problems = _problems(form, answers, record)
    if problems:
        raise _bad_answer(problems[0], source, "")
    return AssessmentDoc(
        form_id=form_ref["id"],
        form_version=form_ref["version"],
        answers=answers,
        metadata=dict(data.get("metadata") or {}),
    )


def _check_schema(data: Any, name: str, source: str) -> None:
    """Refuse `data` with a one-line UserError unless it satisfies schema `name` (2020-12).

    The quick validator (schema_check) accepts most files without importing jsonschema; what it
    refuses, jsonschema checks again: it decides, and its first error is the message."""
    from pia_app.schema_check import fast_validator

    try:
        quick = fast_validator(name)
        if quick is not None and quick(data):
            return
        errors = sorted(_validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError as exc:
        raise UserError("error.schema", path=source, where="(top)", reason="nested too deeply") from exc
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise UserError("error.schema", path=source, where=where, reason=err.message[:200])


def load_assessment_file(path: Path, form: Form) -> AssessmentDoc:
    return parse_assessment(read_json_file(path), form, str(path))


def to_document(
    form: Form, answers: Mapping[str, Any], metadata: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "form": {"id": form.id, "version": form.version},
        "metadata": dict(metadata or {}),
        "answers": dict(answers),
    }


# -- export ------------------------------------------------------------------------------------


def _revision_doc(rev: Revision) -> dict[str, Any]:
    return {name: getattr(rev, name) for name in REVISION_FIELDS}


def _audit_doc(entry: Mapping[str, Any]) -> dict[str, Any]:
    out = {name: entry.get(name) for name in AUDIT_FIELDS}
    if isinstance(out["detail"], str):
        out["detail"] = json.loads(out["detail"])
    return out


def record_document(
    record: AssessmentRecord, history: bool, exported_at: str, review: ReviewRecord | None = None
) -> dict[str, Any]:
    """One stored assessment as a `pia-app-assessment` document (keys in a fixed order)."""
    s = record.summary
    current = next(r for r in record.revisions if r.number == s.current_revision)
    metadata: dict[str, Any] = {
        "title": s.title,
        "uid": s.uid,
        "status": current.status,
        "revision": current.number,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "exported_at": exported_at,
        "archived": s.archived,
        "review_flag": s.review_flag,
    }
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "form": {"id": s.form_id, "version": s.form_version},
        "metadata": metadata,
        "answers": current.answers,
    }
    if history:
        doc["revisions"] = [_revision_doc(r) for r in record.revisions]
        doc["audit"] = [_audit_doc(e) for e in record.audit]
    if review is not None and not review.empty:
        from pia_app.interchange_review import review_document

        doc["review"], doc["files"] = review_document(review, None if history else current.number)
    return doc


def export_document(
    repo: Repository, ids: Sequence[int], history: bool = False, exported_at: str | None = None
) -> dict[str, Any]:
    """One id → a `pia-app-assessment` document; several → a `pia-app-bundle` of them."""
    if not ids:
        raise UserError("error.export_nothing")
    from pia_app.store.review_store import ReviewStore

    when = exported_at or utc_now()
    reviews = ReviewStore(repo)
    docs = []
    for i in ids:
        with repo.read_snapshot():
            record = repo.record(i, with_audit=history)
            docs.append(record_document(record, history, when, reviews.record(i)))
    if len(docs) == 1:
        return docs[0]
    return {
        "format": BUNDLE_FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": when,
        "assessments": docs,
    }


def dumps(doc: Mapping[str, Any]) -> str:
    """The exact text export writes: UTF-8 JSON, two-space indent, keys in document order."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_file(repo: Repository, ids: Sequence[int], out: Path, history: bool = False) -> Path:
    """Export assessments to `out` (the CLI's `export` and the GUI's File ▸ Export data) and
    record an `exported` audit entry for each."""
    doc = export_document(repo, ids, history)
    write_atomic(out, dumps(doc), error_key="error.export_file")
    for aid in ids:
        repo.log_event(aid, "exported_data", {"path": str(out), "history": history})
    return out


# -- import ------------------------------------------------------------------------------------


def _items(data: Any, source: str) -> list[tuple[str, Any]]:
    """The assessment documents of a file with where they are ("" or "assessments/N/"), so
    an error in a bundle names the item: "file.json [assessments/1]"."""
    if isinstance(data, Mapping) and data.get("format") == BUNDLE_FORMAT:
        version = data.get("format_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise UserError("error.format_newer", path=source, found=version, known=FORMAT_VERSION)
        _check_schema(data, "bundle", source)
        return [(f"assessments/{i}/", d) for i, d in enumerate(data["assessments"])]
    return [("", data)]


def _answer_problem(form: Form, answers: Any, source: str, where: str) -> None:
    problems = _problems(form, answers, record=True)
    if problems:
        raise _bad_answer(problems[0], source, where)


def _bad_answer(p: AnswerProblem, source: str, where: str) -> UserError:
    """One answer problem as a one-line UserError; a declared contradiction gives its own text."""
    if p.message:
        return UserError(
            "error.bad_answer", path=source, question=where + p.question_id, reason=pick(p.message)
        )
    return UserError("error.bad_answer", path=source, question=where + p.question_id, reason_key=p.key)


def _parse_history(data: Mapping[str, Any], form_version: str, form: Form, source: str) -> list[NewRevision]:
    from pia_app.store.repository import NewRevision

    revs: list[NewRevision] = []
    raw = data["revisions"]
    for i, r in enumerate(raw):
        where = f"revisions/{i}"
        if r["number"] != i + 1:
            raise UserError("error.import_revisions", path=source, where=where, reason_key="import.numbering")
        if r["status"] != "approved" and i != len(raw) - 1:
            raise UserError(
                "error.import_revisions", path=source, where=where, reason_key="import.open_before_last"
            )
        _answer_problem(form, r["answers"], source, f"{where}/answers/")
        if r["status"] == "approved":
            if not (r.get("approved_by") and r.get("approved_role") and r.get("approved_at")):
                raise UserError(
                    "error.import_revisions",
                    path=source,
                    where=where,
                    reason_key="import.approval_incomplete",
                )
            if r.get("content_hash") != content_hash(form.id, form_version, r["answers"]):
                raise UserError(
                    "error.import_revisions", path=source, where=where, reason_key="import.hash_mismatch"
                )
        revs.append(NewRevision(**{k: r.get(k) for k in REVISION_FIELDS}))
    if raw[-1]["answers"] != data["answers"]:
        raise UserError(
            "error.import_revisions", path=source, where="answers", reason_key="import.answers_differ"
        )
    return revs


def parse_import(data: Any, form: Form, source: str = "") -> list[NewAssessment]:
    """Check a decoded file (one assessment or a bundle) completely; return what to store."""
    from pia_app.interchange_review import parse_review
    from pia_app.store.audit import entry_hash_ok
    from pia_app.store.repository import NewAssessment, NewRevision

    out: list[NewAssessment] = []
    now = utc_now()
    unsafe = check_document(data)
    if unsafe is not None:
        raise problem_error(unsafe, source)
    for prefix, item in _items(data, source):
        src = f"{source} [{prefix.rstrip('/')}]" if prefix else source
        doc = parse_assessment(item, form, src, record=True)
        meta = item.get("metadata") or {}
        created = str(meta.get("created_at") or now)
        updated = str(meta.get("updated_at") or created)
        if "revisions" in item:
            revisions = _parse_history(item, doc.form_version, form, src)
        else:
            revisions = [NewRevision(1, "draft", doc.answers, created, updated)]
        audit = list(item.get("audit") or [])
        for i, entry in enumerate(audit):
            if not entry_hash_ok(entry):
                raise UserError(
                    "error.import_revisions", path=src, where=f"audit/{i}", reason_key="import.audit_altered"
                )
        review_flag = meta.get("review_flag")
        review = parse_review(item, form, revisions, src)
        out.append(
            NewAssessment(
                uid=str(meta["uid"]) if meta.get("uid") else None,
                # the project name answered in the file, as the store keeps it on every save;
                # the file's own title only without one (QA walk 2 #39: two names until an edit)
                title=_title(doc.answers.get(form.role("record", "title"))) or str(meta.get("title") or ""),
                form_id=doc.form_id,
                form_version=doc.form_version,
                created_at=created,
                updated_at=updated,
                revisions=revisions,
                audit=audit,
                archived=bool(meta.get("archived", False)),
                review_flag=review_flag if isinstance(review_flag, str) else None,
                review=review,
            )
        )
    return out


def import_file(repo: Repository, form: Form, path: Path) -> list[int]:
    """Import every assessment of `path` (all or nothing); return the new ids in file order."""
    items = parse_import(read_json_file(path), form, str(path))
    return repo.import_records(items, source=path.name)


def _title(value: Any) -> str:
    """A project-name answer as a list title ("" when blank or not text)."""
    return value.strip() if isinstance(value, str) else ""
