"""The cover, the approval page, document control and the marking of drafts.

Status and approval come from the stored record (`meta`: status, approved_by, approved_role,
approved_at), never from the questionnaire: the planned approvers of m_approval are listed with
blank dates and signatures until the revision is approved in the store. A revision that is not
approved carries a DRAFT marking in the header of every page; one with required questions
unanswered says it is an incomplete draft.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.display import display_value, format_date
from pia_app.engine.grade import Grading
from pia_app.i18n import t
from pia_app.report.context.base import COVER_LIMIT, Ctx, excerpt, s

APPROVED = "approved"


def approval(c: Ctx, meta: Mapping[str, Any]) -> dict[str, Any]:
    """{approved (bool), rows [{name, role, date, opinion}], note}."""
    planned = [
        {k: s(raw.get(k)).strip() for k in ("name", "role", "opinion")} for raw in c.rows(c.role("approvals"))
    ]
    planned = [p for p in planned if any(p.values())]
    if meta.get("status") == APPROVED and s(meta.get("approved_by")).strip():
        by = s(meta.get("approved_by")).strip()
        opinion = next((p["opinion"] for p in planned if p["name"] == by), "")
        when = s(meta.get("approved_at"))[:10]
        rows = [
            {
                "name": by,
                "role": s(meta.get("approved_role")).strip() or "—",
                "date": format_date(when, c.lang) if when else "—",
                "opinion": opinion or "—",
            }
        ]
        note = t("report.approval.recorded", c.lang)
        return {"approved": True, "rows": rows, "note": note}
    rows = [{"name": p["name"], "role": p["role"], "date": "", "opinion": ""} for p in planned]
    rows = rows or [{"name": "", "role": "", "date": "", "opinion": ""} for _ in range(2)]
    return {"approved": False, "rows": rows, "note": t("report.approval.pending", c.lang)}


def marking(c: Ctx, meta: Mapping[str, Any], grading: Grading) -> str:
    """The header marking of a report that is not an approved record ("" when it is)."""
    missing = grading.unanswered_required
    if missing:
        return t("report.mark.incomplete", c.lang, count=len(missing))
    if meta.get("status") != APPROVED:
        return t("report.mark.draft", c.lang)
    return ""


def _option_or_default(c: Ctx, qid: str) -> str:
    q = c.form.question(qid)
    if q is None:
        return c.na
    value = c.eff.get(qid, q.default)
    return display_value(q, value, c.lang)


def document_control(c: Ctx, meta: Mapping[str, Any]) -> dict[str, str]:
    """Number, classification, version and distribution, for the header of every page."""
    rev = s(meta.get("revision", 1))
    aid = s(meta.get("assessment_id"))
    key = f"{int(aid):04d}" if aid.isdigit() else s(meta.get("content_hash"))[:8].upper() or "0000"
    return {
        "number": f"PIA-{key}-R{rev}",
        "classification": _option_or_default(c, c.role("classification")),
        "version": t("report.version", c.lang, revision=rev),
        "distribution": _option_or_default(c, c.role("distribution")),
    }


def cover(
    c: Ctx, team: Sequence[Mapping[str, str]], status: str, report_date: str, names: str
) -> dict[str, str]:
    return {
        "object": excerpt(c.ans(c.role("object")), c.lang, COVER_LIMIT, "report.see_scope"),
        "controller": excerpt(c.ans(c.role("controller")), c.lang, COVER_LIMIT, "report.see_scope"),
        "controller_contact": excerpt(
            c.ans(c.role("controller_contact")), c.lang, COVER_LIMIT, "report.see_scope"
        ),
        "assessment_type": c.ans(c.role("assessment_type", "record")),
        "report_date": report_date,
        "status": status,
        "assessors": names or c.na,
        "signer": excerpt(c.ans(c.role("signer")), c.lang, 80),
    }


def audit_trail(meta: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The store's audit-chain head at export (`meta["audit_head"]`: entries, hash, at), which
    ties the printed report to the tamper-evident trail (`pia-app verify --head HASH`). A report
    made from a file has none: `stored` is False and the template says so."""
    head = meta.get("audit_head")
    if not isinstance(head, Mapping) or not head.get("hash"):
        return {"stored": False, "head": "", "entries": "", "at": "", "assessment": ""}
    return {
        "stored": True,
        "head": s(head.get("hash")),
        "entries": s(head.get("entries")),
        "at": format_date(s(head.get("at"))[:10], lang),
        "assessment": s(meta.get("assessment_id")),
    }
