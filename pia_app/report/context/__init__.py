"""Build the report's context: a plain dict of strings, lists and dicts. No objects, no None.

One module per part of the report (cover, summary, scope, compliance, risk, treatment,
conclusion, appendix); nothing here reads the database: the stored record's status and approval
come in `meta`. Every answer passes `pia_app.display.display_value`, so an empty one reads
"未填写" / "Not answered", option codes read as labels and dates as 2026年11月5日 in Chinese.

The context contract (the keys the templates use; tests/unit/test_report_templates.py checks
that every variable the templates use is provided; every value is a str unless said otherwise):

- `lang` (for callers), `title`, `short_title` (footer), `form_title`, `form_version`, `revision`,
  `content_hash`, `heatmap`, `dataflow` ("" here; the export puts pictures there),
  `mark` (the DRAFT marking of every page header, "" for an approved revision),
  `doc`: {number, classification, version, distribution} (document control, every header).
- `audit`: {stored (bool), head, entries, at, assessment}: the store's audit-chain head at
  export (meta `audit_head`: {entries, hash, at}), printed on the approval page; `stored` is
  False for a report made from a file.
- `cover`: object, controller, controller_contact, assessment_type, report_date, status,
  assessors (names joined), signer (long answers cut with a pointer to part 1).
- `approval`: {rows [{name, role, date, opinion}], note}: the stored approval,
  or the planned approvers with blank dates while the revision is not approved.
- `summary`: the management summary (see summary.py).
- `scope`: object, assessment_type, start, end, processing_start, release.
- `team`: list of {name, dept, role, independent}; `team_officer`.
- `references`: list of str; `object_facts`: list of {label, answer}; `triggers_text`.
- `c_cols`: {column id: label}; `activities`: list of {column id: text}.
- `parties`: list of {title, kind ("table" or "records"), columns, rows, records [{title,
  fields [{label, value}]}]}.
- `findings`: list of {no, severity, severity_label, color, message, refs, measure};
  `counts`: {S1, S2, S3, S4, total} (ints).
- `themes`: {code: {applicable (bool), note, rows [{requirement, refs, answer, finding, measure,
  color}], extra [finding rows]}} for the codes of THEME_ORDER.
- `risk`: criteria tables, `entries` (levels as applied), overall and residual with colours,
  `acceptance`, `residual_acceptance` (who accepted the residual risks).
- `treatments`: list of {ref, measure, option, owner, deadline, status, residual,
  residual_color, color}; `treat`: {before_start [{ref, measure, owner, deadline, status}], start}.
- `concl`: lawfulness, rights_impact, measures, fr_applicable (bool), fr_note, fr_risk,
  decision, blockers [str], retain_until, records, next_review, review_triggers, filing_due,
  filing_note.
- `review`: {is_rereview (bool), based_on, reason}; `changes`: list of {kind, item, before,
  after}; `history`: list of {revision, status, date, approver, reason} (from the caller).
- `sections`: the appendix, list of {id, title, blocks [{kind, label, answer, columns, rows,
  records, questions [{label, answer}]}]}.

Colours are 6-digit hex strings for Word cell shading (charts.LEVEL_HEX for risk levels).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.display import display_value, format_date
from pia_app.engine.grade import Grading, grade_assessment, trigger_question
from pia_app.engine.treatment import ACCEPT_FROM_LEVEL
from pia_app.forms.schema import Form
from pia_app.i18n import pick, t
from pia_app.report.context.appendix import appendix
from pia_app.report.context.base import Ctx, names, rows_of, s
from pia_app.report.context.compliance import THEME_ORDER, finding_row, gap_ref, numbered, themes
from pia_app.report.context.conclusion import conclusion
from pia_app.report.context.cover import approval, audit_trail, cover, document_control, marking
from pia_app.report.context.risk import chart_text, heat_items, risk
from pia_app.report.context.scope import activities, object_facts, parties, references, team, triggers_text
from pia_app.report.context.summary import summary
from pia_app.report.context.treatment import targets, treatments

__all__ = ["THEME_ORDER", "build_context", "chart_text", "display_value", "heat_items"]

SHORT_TITLE = 40
"""Longest title the page footer shows."""


def build_context(
    form: Form,
    answers: Mapping[str, Any],
    lang: str,
    meta: Mapping[str, Any],
    grading: Grading | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
    history: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The whole context of a report.

    `meta`: revision, status, content_hash, generated (ISO date), and optionally assessment_id,
    approved_by, approved_role, approved_at (the stored approval) and review ({based_on,
    reason}; its presence makes the report a re-review). `grading` defaults to grading the
    answers as of `generated`.
    """
    generated = s(meta.get("generated")) or dt.date.today().isoformat()
    if grading is None:
        try:
            today = dt.date.fromisoformat(generated)
        except ValueError:
            today = None
        grading = grade_assessment(form, answers, today)
    # The trigger question is computed: its answer is what the grading derived plus what the
    # user ticked, whether or not the derived ticks were ever stored (a wizard-made record has
    # only the user's own ticks), so every part of the report prints the same triggers.
    if trigger_qid := trigger_question(form):
        answers = {**answers, trigger_qid: list(grading.triggers)}
    c = Ctx(form, answers, lang)
    findings = grading.findings
    counts: dict[str, int] = {
        sev: sum(1 for f in findings if f.severity == sev) for sev in ("S1", "S2", "S3", "S4")
    }
    counts["total"] = len(findings)
    the_risk = risk(c, grading)
    the_team = team(c)
    c_cols, the_activities = activities(c)
    treat = treatments(c, grading)
    gaps = numbered(findings)
    concl = conclusion(c, grading, the_risk, {f.rule_id: gap_ref(no, f, lang) for no, f in gaps})
    the_approval = approval(c, meta)
    the_risk["residual_acceptance"] = (
        t(
            "report.residual_accepted",
            lang,
            name=the_approval["rows"][0]["name"],
            role=the_approval["rows"][0]["role"],
            date=the_approval["rows"][0]["date"],
        )
        if the_approval["approved"]
        # No residual risk needs a written acceptance: say so, not "were accepted".
        else t("report.residual_none_to_accept", lang)
        if not any(
            i.residual_level is not None and i.residual_level >= ACCEPT_FROM_LEVEL for i in grading.risk.items
        )
        # Not approved yet: the written acceptances per risk item (4.2) still count, and the
        # sentence must not contradict them (a risk item "accepted by X" beside "not accepted").
        else t("report.residual_per_item", lang)
        if not grading.plan.unaccepted_residuals
        else t("report.residual_not_accepted", lang)
    )
    review_meta = meta.get("review")
    is_review = isinstance(review_meta, Mapping)
    review = {
        "is_rereview": is_review,
        "based_on": s(review_meta.get("based_on")) if isinstance(review_meta, Mapping) else "",
        "reason": (s(review_meta.get("reason")) or c.na) if isinstance(review_meta, Mapping) else "",
    }
    report_qid = c.role("report_date", "record")
    report_date = c.ans(report_qid) if c.answered(report_qid) else format_date(generated, lang)
    status = t(f"status.{meta.get('status', 'draft')}", lang)
    title = c.ans(c.role("title", "record"))
    short = title if len(title) <= SHORT_TITLE else title[: SHORT_TITLE - 1] + "…"
    return {
        "lang": lang,
        "form_title": pick(form.title, lang),
        "form_version": form.version,
        "title": title,
        "short_title": short,
        "revision": s(meta.get("revision", 1)),
        "mark": marking(c, meta, grading),
        "doc": document_control(c, meta),
        "content_hash": s(meta.get("content_hash")),
        "audit": audit_trail(meta, lang),
        "heatmap": "",
        "dataflow": "",
        "cover": cover(c, the_team, status, report_date, names(the_team, lang)),
        "approval": {k: the_approval[k] for k in ("rows", "note")},
        "summary": summary(c, the_risk, counts, concl, treat),
        "scope": {
            "object": c.ans(c.role("object")),
            "assessment_type": c.ans(c.role("assessment_type", "record")),
            "start": c.ans(c.role("assessment_start")),
            "end": c.ans(c.role("assessment_end")),
            "processing_start": c.ans(c.role("go_live", "dates")),
            "release": c.ans(c.role("distribution")),
        },
        "team": the_team,
        "team_officer": c.ans(c.role("officer")),
        "references": references(c),
        "object_facts": object_facts(c),
        "triggers_text": triggers_text(c, list(grading.triggers)),
        "c_cols": c_cols,
        "activities": the_activities,
        "parties": parties(c),
        "findings": [finding_row(c, no, f) for no, f in numbered(findings)],
        "counts": counts,
        "themes": themes(c, findings),
        "risk": the_risk,
        "treatments": treat["rows"],
        "treat": {k: treat[k] for k in ("before_start", "start")},
        "concl": concl,
        "review": review,
        "changes": rows_of(changes, ("kind", "item", "before", "after")),
        "history": rows_of(history, ("revision", "status", "date", "approver", "reason")),
        "sections": appendix(c, targets(c, gaps, grading), the_approval["approved"]),
    }
