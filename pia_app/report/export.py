"""Export a revision as a Word report: the function the GUI's File > Export and the CLI share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pia_app.canonical import content_hash
from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.report.context import build_context
from pia_app.report.render import render_docx
from pia_app.resources import report_template
from pia_app.store.repository import Repository


def export_answers(
    form: Form,
    answers: Mapping[str, Any],
    out: Path,
    lang: str,
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Render a report of `answers` (not necessarily stored) into `out`."""
    info = dict(meta or {})
    info.setdefault("content_hash", content_hash(form.id, form.version, answers))
    info.setdefault("generated", dt.date.today().isoformat())
    template = report_template(lang)
    if not template.is_file():
        raise UserError("error.no_template", path=str(template))
    context = build_context(form, answers, lang, info)
    return render_docx(template, context, out)


def export_revision(
    repo: Repository,
    form: Form,
    assessment_id: int,
    out: Path,
    lang: str,
    revision: int | None = None,
) -> Path:
    """Render a stored revision and record the export in the audit trail."""
    summary = repo.get(assessment_id)
    rev = repo.revision(assessment_id, revision)
    meta = {
        "revision": rev.number,
        "status": rev.status,
        "content_hash": content_hash(summary.form_id, summary.form_version, rev.answers),
    }
    path = export_answers(form, rev.answers, out, lang, meta)
    repo.log_event(assessment_id, "exported", {"path": str(path), "revision": rev.number, "lang": lang})
    return path
