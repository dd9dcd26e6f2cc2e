"""The report's review part (`rv` in the template): roles and separation of duties, section
evaluations, comment threads, the DPO's advice, follow-up of the treatment plan, and the list of
evidence with SHA-256 hashes. Plain data like the rest of the context; nothing here reads the
database (export.py reads the review record and passes it in).

Keys (every value a str unless said otherwise):
- `present` (bool): any review record at all; else the template prints one sentence.
- `roles`: [{role, names}] for author, reviewer, DPO, approver (names "—" when nobody).
- `conflicts`: [str] separation-of-duties notes (one person as author/reviewer/approver).
- `evaluations`: [{section, verdict, color, comment, reviewer, date}].
- `comments`: [{question, date, author, text, state}] one row per comment, thread by thread;
  `question` and `state` only on a thread's first row; `open_count`, `resolved_count` (str).
- `dpo`: {present (bool), advice, given_by, date, decision, reason}.
- `followup`: [{row, measure, status, date, by, note}].
- `evidence`: [{no, name, attached_to, size, sha256, added}].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.actor import actor_label
from pia_app.display import format_date
from pia_app.forms.schema import Form
from pia_app.i18n import pick, t
from pia_app.review.duties import duty_conflicts
from pia_app.store.review_store import ROLES, ReviewRecord

VERDICT_HEX = {"acceptable": "C6EFCE", "to_improve": "FFEB9C", "not_acceptable": "FFC7CE"}


def _day(ts: str | None, lang: str) -> str:
    """The date of a stored timestamp as the report's language writes it (2026年11月5日)."""
    return format_date((ts or "")[:10], lang) if ts else ""


def _size(n: int, lang: str) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B" if lang == "en" else f"{n} 字节"


def empty_review_context() -> dict[str, Any]:
    """The `rv` of a report made from a file (no stored review records)."""
    return {
        "present": False,
        "roles": [],
        "conflicts": [],
        "evaluations": [],
        "comments": [],
        "open_count": "0",
        "resolved_count": "0",
        "dpo": {"present": False, "advice": "", "given_by": "", "date": "", "decision": "", "reason": ""},
        "followup": [],
        "evidence": [],
    }


def review_context(
    form: Form,
    record: ReviewRecord,
    revision: int,
    answers: Mapping[str, Any],
    lang: str,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """The review part of the report of revision `revision` (`record` may hold several)."""
    out = empty_review_context()
    sep = "、" if lang == "zh" else ", "
    roles: dict[str, list[str]] = {r: [] for r in ROLES}
    for rev, role, name in record.roles:
        if rev == revision:
            roles[role].append(name)
    if approved_by and approved_by.strip() not in roles["approver"]:
        roles["approver"].append(approved_by.strip())  # who actually signed, declared or not
    evaluations = [e for e in record.evaluations if e.revision == revision]
    threads = [th for th in record.threads if th.revision == revision]
    advice = next((d for d in record.dpo if d.revision == revision), None)
    progress = [p for p in record.progress if p.revision == revision]
    attachments = [a for a in record.attachments if a.revision == revision]
    out["present"] = bool(any(roles.values()) or evaluations or threads or advice or progress or attachments)
    shown = {r: sep.join(names) for r, names in roles.items()}
    officer_qid = form.role("report", "officer")
    officer = answers.get(officer_qid) if officer_qid else None
    if not shown["dpo"] and isinstance(officer, str) and officer.strip():
        # Nobody declared as DPO in the review: the officer the questionnaire names (part A)
        # is who holds the role, said as such (QA walk 2 #22: "—" read as an unowned report).
        shown["dpo"] = t("review.role.named_in_form", lang, name=officer.strip())
    out["roles"] = [{"role": t("review.role." + r, lang), "names": shown[r] or "—"} for r in ROLES]
    out["conflicts"] = [
        t(
            "review.duty_conflict",
            lang,
            name=c.name,
            roles=sep.join(t("review.role." + r, lang) for r in c.roles),
        )
        for c in duty_conflicts(roles, [e.reviewer for e in evaluations], approved_by)
    ]
    order = {s.id: i for i, s in enumerate(form.sections)}
    out["evaluations"] = [
        {
            "section": _section_title(form, e.section_id, lang),
            "verdict": t("review.verdict." + e.verdict, lang),
            "color": VERDICT_HEX[e.verdict],
            "comment": e.comment,
            "reviewer": f"{actor_label(e.reviewer, lang)}（{e.reviewer_role}）"
            if lang == "zh"
            else f"{actor_label(e.reviewer, lang)} ({e.reviewer_role})",
            "date": _day(e.evaluated_at, lang),
        }
        for e in sorted(evaluations, key=lambda e: order.get(e.section_id, len(order)))
    ]
    rows: list[dict[str, str]] = []
    for th in threads:
        state = (
            t(
                "report.review.resolved",
                lang,
                name=actor_label(th.resolved_by or "", lang),
                date=_day(th.resolved_at, lang),
            )
            if th.resolved
            else t("report.review.open", lang)
        )
        for i, c in enumerate(th.comments):
            rows.append(
                {
                    "question": _question_label(form, th.question_id, lang) if i == 0 else "",
                    "state": state if i == 0 else "",
                    "date": f"{_day(c.created_at, lang)} {c.created_at[11:16]}".strip(),
                    "author": actor_label(c.author, lang),  # an OS login said to be one
                    "text": c.body,
                }
            )
    out["comments"] = rows
    out["open_count"] = str(sum(not th.resolved for th in threads))
    out["resolved_count"] = str(sum(th.resolved for th in threads))
    if advice is not None:
        decision = (
            t("review.dpo." + advice.decision, lang) if advice.decision else t("review.dpo.pending", lang)
        )
        out["dpo"] = {
            "present": True,
            "advice": advice.advice,
            "given_by": advice.given_by,
            "date": _day(advice.given_at, lang),
            "decision": decision,
            "reason": advice.reason,
        }
    plan = answers.get(form.role("tables", "treatments")) or []
    out["followup"] = [
        {
            "row": _ref(plan, p.row_index) or "—",
            "measure": _measure(plan, p.row_index, with_ref=False),
            "status": t("review.progress." + p.status, lang),
            "date": format_date(p.on_date, lang) if p.on_date else "",
            "by": p.recorded_by,
            "note": p.note,
        }
        for p in progress
    ]
    out["evidence"] = [
        {
            "no": str(i),
            "name": a.name,
            "attached_to": _attached_to(form, plan, a.question_id, a.row_index, lang),
            "size": _size(a.size, lang),
            "sha256": a.sha256,
            "added": f"{a.added_by} {_day(a.added_at, lang)}",
        }
        for i, a in enumerate(attachments, start=1)
    ]
    return out


def _section_title(form: Form, section_id: str, lang: str) -> str:
    section = form.section(section_id)
    title = pick(section.title, lang) if section else ""
    return f"{section_id}　{title}" if lang == "zh" else f"{section_id}  {title}".rstrip()


def _question_label(form: Form, question_id: str, lang: str) -> str:
    q = form.question(question_id)
    return (
        f"{pick(q.label, lang)}（{question_id}）"
        if q and lang == "zh"
        else (f"{pick(q.label, lang)} ({question_id})" if q else question_id)
    )


def _ref(plan: Sequence[Any], row: int) -> str:
    """What a treatment row addresses (a gap number or risk id), as the wizard shows it."""
    if 0 <= row < len(plan) and isinstance(plan[row], Mapping):
        return str(plan[row].get("ref_id") or "").strip()
    return ""


def _measure(plan: Sequence[Any], row: int, with_ref: bool = True) -> str:
    if 0 <= row < len(plan) and isinstance(plan[row], Mapping):
        ref = _ref(plan, row)
        measure = str(plan[row].get("measure") or "")
        return f"[{ref}] {measure}" if ref and with_ref else measure
    return ""


def _attached_to(form: Form, plan: Sequence[Any], question_id: str, row: int | None, lang: str) -> str:
    label = _question_label(form, question_id, lang)
    if row is None:
        return label
    # A row is named by what it holds (a treatment by its target and measure), not "row N".
    if question_id == form.role("tables", "treatments"):
        measure = _measure(plan, row)
        if measure:
            return f"{label}：{measure}" if lang == "zh" else f"{label}: {measure}"
    return f"{label} {t('report.record', lang, n=row + 1, title='').strip()}"
