"""Export a revision as a Word report (and optionally a PDF): what File > Export and the CLI share.

The re-review part of the report takes three inputs besides the answers (see context.py):
`meta["review"]` ({based_on, reason}), `changes` and `history`. `export_revision` fills them
from the store: the history from every revision, and the changes from comparing the revision
with the revision it is based on (`change_rows`: the comparison of engine.diff, which the
history view and `pia-app diff` show too); a caller may pass its own `changes`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pia_app import __version__
from pia_app.atomic import check_target, write_atomic
from pia_app.canonical import content_hash
from pia_app.display import format_date, label
from pia_app.engine.diff import diff_revisions
from pia_app.engine.diff import report_changes as diff_for_report
from pia_app.engine.grade import grade_assessment
from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.i18n import t
from pia_app.report.charts import heat_map_png
from pia_app.report.context import build_context, chart_text, heat_items
from pia_app.report.context.base import Ctx
from pia_app.report.context.scope import dataflow_lanes
from pia_app.report.dataflow import Lane, dataflow_png
from pia_app.report.paginate import UPDATE_ON_OPEN, paginate, pagination_state
from pia_app.report.paginate import enabled as paginate_enabled
from pia_app.report.render import DocProperties, ReportImage, render_docx
from pia_app.report.review_context import empty_review_context, review_context
from pia_app.resources import report_template
from pia_app.store.repository import Repository
from pia_app.store.review_store import ReviewStore

HEATMAP_WIDTH_CM = 14.5
DATAFLOW_WIDTH_CM = 23.0
DATAFLOW_MAX_HEIGHT_CM = 14.5
"""The landscape page of the data map has 16 cm of text height; the caption takes the rest."""
PDF_TIMEOUT_S = 300


def export_answers(
    form: Form,
    answers: Mapping[str, Any],
    out: Path,
    lang: str,
    meta: Mapping[str, Any] | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
    history: Sequence[Mapping[str, Any]] = (),
    review: Mapping[str, Any] | None = None,
) -> Path:
    """Render a report of `answers` (not necessarily stored) into `out`; `review` is the review
    part (report/review_context.py), empty for a report of a file."""
    info = dict(meta or {})
    info.setdefault("content_hash", content_hash(form.id, form.version, answers))
    info.setdefault("generated", dt.date.today().isoformat())
    template = report_template(lang)
    if not template.is_file():
        raise UserError("error.no_template", path=str(template))
    grading = grade_assessment(form, answers, dt.date.fromisoformat(str(info["generated"])))
    context = build_context(form, answers, lang, info, grading, changes, history)
    context["rv"] = dict(review) if review is not None else empty_review_context()
    png = heat_map_png(_matrix(form), heat_items(grading), chart_text(form, lang), chart_text(form, "en"))
    lanes = [Lane(name, cells) for name, cells in dataflow_lanes(Ctx(form, answers, lang))]
    flow = dataflow_png(lanes, t("report.flow.stages", lang).split("|"))
    author = _author(context)
    path = render_docx(
        template,
        context,
        out,
        images={
            "heatmap": ReportImage(png, HEATMAP_WIDTH_CM),
            "dataflow": ReportImage(flow, fitted_width_cm(flow, DATAFLOW_WIDTH_CM, DATAFLOW_MAX_HEIGHT_CM)),
        },
        properties=DocProperties(
            title=str(context["title"]),
            author=author,
            application=f"pia-app {__version__}",
            subject=t("report.properties.subject", lang),
            keywords=str(context["doc"]["number"]),
        ),
    )
    paginate(path, find_soffice())
    return path


def fitted_width_cm(png: bytes, width_cm: float, max_height_cm: float) -> float:
    """The width at which a picture is `width_cm` wide or, if it would then be taller than
    `max_height_cm` (a data-flow figure of many activities), as wide as fits that height, so
    it stays on its page with its caption."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        w, h = img.size
    return min(width_cm, max_height_cm * w / h) if w and h else width_cm


def pagination_message(path: Path, lang: str) -> str:
    """What the export says about the contents' page numbers (see report/paginate.py), and why
    there was no layout pass: switched off (PIA_APP_PAGINATE=0), no LibreOffice, or it failed."""
    state = pagination_state(path)
    if state == UPDATE_ON_OPEN:
        if not paginate_enabled():
            return t("report.pagination.switched_off", lang)
        if find_soffice() is not None:
            return t("report.pagination.layout_failed", lang)
    return t(f"report.pagination.{state}", lang)


def _author(context: Mapping[str, Any]) -> str:
    """The assessor who signs the report, else the first of the team."""
    na = t("report.not_answered", str(context["lang"]))
    signer = str(context["cover"]["signer"])
    if signer and signer != na:
        return signer
    team = context.get("team") or []
    return str(team[0]["name"]) if team and team[0]["name"] != na else "pia-app"


def _matrix(form: Form) -> list[list[int]]:
    from pia_app.engine.risk import risk_model

    return [list(row) for row in risk_model(form).matrix]


def change_rows(
    form: Form, old: Mapping[str, Any], new: Mapping[str, Any], lang: str
) -> list[dict[str, str]]:
    """The report's change rows {kind, item, before, after} for a re-review: the comparison of
    engine.diff (the one the history view and `pia-app diff` show), in one language."""
    diff = diff_for_report(form, diff_revisions(form, old, new), lang)
    none = t("report.change.none", lang)
    sep = "：" if lang == "zh" else ": "
    rows: list[dict[str, str]] = [
        {
            "kind": t("report.change.answer", lang),
            "item": a["question"],
            "before": a["old"],
            "after": a["new"],
        }
        for a in diff["answers"]
    ]
    for f in diff["findings_added"]:
        rows.append(
            {
                "kind": t("report.change.finding", lang),
                "item": f["text"],
                "before": none,
                "after": f["severity"],
            }
        )
    for f in diff["findings_resolved"]:
        rows.append(
            {
                "kind": t("report.change.finding", lang),
                "item": f["text"],
                "before": f["severity"],
                "after": t("report.change.resolved", lang),
            }
        )
    for r in diff["risks"]:
        rows.append(
            {
                "kind": t("report.change.risk", lang),
                "item": sep.join(x for x in (r["item"], r["threat"]) if x),
                "before": t("report.change.risk_levels", lang, level=r["old"], residual=r["old_residual"]),
                "after": t("report.change.risk_levels", lang, level=r["new"], residual=r["new_residual"]),
            }
        )
    return rows


@dataclass(frozen=True)
class RevisionExport:
    """A stored revision read for its report: `write` renders it (no store, no Qt: it may run
    on a worker thread while the window stays live), `record` then logs the export in the audit
    trail (with the store, on the thread that owns it)."""

    form: Form
    assessment_id: int
    revision: int
    out: Path
    lang: str
    answers: Mapping[str, Any]
    meta: Mapping[str, Any]
    changes: Sequence[Mapping[str, Any]]
    history: Sequence[Mapping[str, Any]]
    review: Mapping[str, Any]

    def write(self) -> Path:
        return export_answers(
            self.form, self.answers, self.out, self.lang, self.meta, self.changes, self.history, self.review
        )

    def record(self, repo: Repository, path: Path) -> None:
        repo.log_event(
            self.assessment_id, "exported", {"path": str(path), "revision": self.revision, "lang": self.lang}
        )


def export_revision(
    repo: Repository,
    form: Form,
    assessment_id: int,
    out: Path,
    lang: str,
    revision: int | None = None,
    changes: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    """Render a stored revision and record the export in the audit trail."""
    job = prepare_revision_export(repo, form, assessment_id, out, lang, revision, changes)
    path = job.write()
    job.record(repo, path)
    return path


def prepare_revision_export(
    repo: Repository,
    form: Form,
    assessment_id: int,
    out: Path,
    lang: str,
    revision: int | None = None,
    changes: Sequence[Mapping[str, Any]] | None = None,
) -> RevisionExport:
    """Read what the report of a stored revision needs (`export_revision` without the writing)."""
    check_target(out.expanduser())  # a folder that cannot be written is refused before any work
    summary = repo.get(assessment_id)
    rev = repo.revision(assessment_id, revision)
    meta: dict[str, Any] = {
        "assessment_id": assessment_id,
        "revision": rev.number,
        "status": rev.status,
        "approved_by": rev.approved_by,
        "approved_role": rev.approved_role,
        "approved_at": rev.approved_at,
        "content_hash": content_hash(summary.form_id, summary.form_version, rev.answers),
    }
    revisions = repo.revisions(assessment_id)
    sep = "；" if lang == "zh" else "; "
    history = [
        {
            "revision": str(r.number),
            "status": t(f"status.{r.status}", lang),
            "date": format_date((r.approved_at or r.updated_at or "")[:10], lang),
            "approver": " ".join(x for x in (r.approved_by, r.approved_role) if x),
            "reason": sep.join(x for x in (_reason_label(form, r.review_reason, lang), r.review_note) if x),
        }
        for r in revisions
        if r.number <= rev.number
    ]
    if rev.based_on is not None:
        reason = sep.join(x for x in (_reason_label(form, rev.review_reason, lang), rev.review_note) if x)
        meta["review"] = {"based_on": rev.based_on, "reason": reason}
        if changes is None:
            base = next((r for r in revisions if r.number == rev.based_on), None)
            changes = change_rows(form, base.answers, rev.answers, lang) if base else []
    # The chain head before this export's own entry: it stays in the trail, so
    # `pia-app verify --head HASH` finds it later (the export entry is chained after it).
    entries, head = repo.chain_head()
    meta["audit_head"] = {"entries": entries, "hash": head, "at": dt.date.today().isoformat()}
    record = ReviewStore(repo).record(assessment_id, [rev.number])
    review = review_context(form, record, rev.number, rev.answers, lang, rev.approved_by)
    return RevisionExport(
        form, assessment_id, rev.number, out, lang, rev.answers, meta, tuple(changes or ()), history, review
    )


def _reason_label(form: Form, code: str | None, lang: str) -> str:
    """A re-review reason code as the label of the same option of the assessment-type question
    (form.yaml `roles.record.assessment_type`)."""
    if not code:
        return ""
    q = form.question(form.role("record", "assessment_type"))
    return label(q.option(code) if q else None, lang, code)


def find_soffice() -> str | None:
    """The LibreOffice program, from PATH or its usual install places."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        "/opt/libreoffice/program/soffice",
    ):
        if os.path.isfile(path):
            return path
    return None


def convert_to_pdf(docx: Path, timeout: float = PDF_TIMEOUT_S) -> Path:
    """Convert `docx` to a PDF beside it with LibreOffice; return the PDF's path.

    LibreOffice runs headless with a private, throw-away profile, so it works while the user has
    LibreOffice open and never touches their settings. The PDF is produced in a temporary folder
    and renamed into place, so a failed conversion leaves any earlier PDF as it was.
    """
    exe = find_soffice()
    if exe is None:
        raise UserError("error.no_soffice")
    docx = docx.resolve()
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="pia-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        outdir = Path(tmp, "out")
        outdir.mkdir()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise UserError("error.pdf_timeout", seconds=int(timeout)) from exc
        except OSError as exc:
            raise UserError("error.pdf_failed", reason=exc.strerror or str(exc)) from exc
        produced = outdir / (docx.stem + ".pdf")
        if not produced.is_file():
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()
            raise UserError("error.pdf_failed", reason=detail[-1] if detail else f"exit {proc.returncode}")
        write_atomic(target, produced.read_bytes())
    return target
