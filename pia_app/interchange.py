"""The documented JSON format of an assessment (docs/format.md, schemas/assessment.schema.json).

Reading is strict and total: a file is either accepted whole or refused with a UserError that
names the problem; nothing half-read ever reaches the store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from pia_app.errors import UserError
from pia_app.forms.answers import validate_answers
from pia_app.forms.schema import Form

FORMAT = "pia-app-assessment"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class AssessmentDoc:
    form_id: str
    form_version: str
    answers: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    text = resources.files("pia_app").joinpath("schemas", "assessment.schema.json").read_text()
    return jsonschema.Draft202012Validator(json.loads(text))


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
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError("error.not_utf8", path=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise UserError("error.not_json", path=str(path), line=exc.lineno, reason=exc.msg) from exc
    except RecursionError as exc:
        raise UserError("error.not_json", path=str(path), line=0, reason="nested too deeply") from exc


def parse_assessment(data: Any, form: Form, source: str = "") -> AssessmentDoc:
    """Check a decoded JSON document against the schema and the form; return it or raise."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise UserError("error.wrong_format", path=source, expected=FORMAT)
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise UserError("error.format_newer", path=source, found=version, known=FORMAT_VERSION)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise UserError("error.schema", path=source, where=where, reason=err.message[:200])
    form_ref = data["form"]
    if form_ref["id"] != form.id:
        raise UserError("error.wrong_form", path=source, found=form_ref["id"], expected=form.id)
    answers = {k: v for k, v in data["answers"].items() if v is not None}
    problems = validate_answers(form, answers)
    if problems:
        p = problems[0]
        raise UserError(
            "error.bad_answer", path=source, question=p.question_id, reason_key=p.key
        )
    return AssessmentDoc(
        form_id=form_ref["id"],
        form_version=form_ref["version"],
        answers=answers,
        metadata=dict(data.get("metadata") or {}),
    )


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
