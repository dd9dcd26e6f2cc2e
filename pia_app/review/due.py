"""What is due across all assessments: open measures of the treatment plans, re-reviews, and
face-data filing deadlines. The main window's "due" view and `pia-app due` both call `due_items`.

For each assessment that is not archived, the plan in force is its newest approved revision (or,
before any approval, its current draft): every treatment row not done is listed with its
deadline, its status being the newest follow-up entry recorded after approval (`pia-app
measure`), else the status column of the plan. An approved assessment also lists its next
review date (or "now" when it was flagged for re-review), and any assessment whose answers give a
filing due date (人脸识别办法 art. 15) lists it until the filing status says it was filed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pia_app.engine.deadlines import FILED_STATUSES, derive_dates
from pia_app.forms.answers import effective_answers
from pia_app.forms.conditions import parse_date
from pia_app.forms.schema import Form
from pia_app.i18n import t
from pia_app.store.repository import Repository
from pia_app.store.review_store import latest_progress

KINDS = ("measure", "review", "filing")


@dataclass(frozen=True)
class DueItem:
    kind: str
    """One of KINDS."""
    assessment_id: int
    uid: str
    title: str
    revision: int
    plan_status: str
    """Status of the revision the item comes from (approved, in_review, draft)."""
    due: dt.date | None
    """None: due now without a date (flagged for re-review) or a measure without a deadline."""
    overdue: bool
    row: int | None = None
    """0-based treatment row (measures)."""
    ref: str = ""
    """The row's ref_id as written: a risk id (R1) or a gap's rule id."""
    gap: str = ""
    """The gap number users see (e.g. "F-07") when `ref` names a gap (by rule id or number)."""
    measure: str = ""
    owner: str = ""
    status: str = ""
    """Where a measure stands (planned / in_progress), or the re-review flag's reason code."""
    status_since: str = ""
    """The day of the follow-up entry that set `status`, if any."""

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["due"] = self.due.isoformat() if self.due else None
        return out


def due_items(
    repo: Repository, form: Form, today: dt.date | None = None, within_days: int | None = None
) -> list[DueItem]:
    """Everything due, soonest first (undated items after dated ones); with `within_days`, only
    items due by today + that many days (and undated ones)."""
    day = today or dt.date.today()
    gap_numbers = {r.id: r.number for r in form.rules if r.number}
    gap_numbers.update({n: n for n in list(gap_numbers.values())})  # rows may cite the number itself
    items: list[DueItem] = []
    with repo.read_snapshot():
        for summary in repo.list_assessments():
            number = summary.last_approved or summary.current_revision
            rev = repo.revision(summary.id, number)
            base: dict[str, Any] = {
                "assessment_id": summary.id,
                "uid": summary.uid,
                "title": summary.title,
                "revision": number,
                "plan_status": rev.status,
            }
            progress = latest_progress(repo.db, summary.id, number) if rev.status == "approved" else {}
            for i, row in enumerate(rev.answers.get(form.role("tables", "treatments")) or []):
                if not isinstance(row, dict):
                    continue
                entry = progress.get(i)
                status = entry.status if entry else str(row.get("status") or "planned")
                if status == "done":
                    continue
                deadline = parse_date(row.get("deadline"))
                items.append(
                    DueItem(
                        kind="measure",
                        due=deadline,
                        overdue=deadline is not None and deadline < day,
                        row=i,
                        ref=str(row.get("ref_id") or ""),
                        gap=_gap_number(form, gap_numbers, str(row.get("ref_id") or "").strip()),
                        measure=str(row.get("measure") or ""),
                        owner=str(row.get("owner") or ""),
                        status=status,
                        status_since=entry.on_date if entry else "",
                        **base,
                    )
                )
            if summary.last_approved is not None and summary.current_revision == summary.last_approved:
                when = parse_date(summary.next_review)
                if summary.review_flag or when is not None:
                    items.append(
                        DueItem(
                            kind="review",
                            due=None if summary.review_flag else when,
                            overdue=summary.due_for_review(day),
                            status=summary.review_flag or "",
                            **base,
                        )
                    )
            if not rev.answers.get(form.role("dates", "filing_reached")):
                continue  # no threshold date, no filing deadline (skips the costly derivation)
            dates = derive_dates(form, rev.answers, day)
            filed = (
                effective_answers(form, rev.answers).get(form.role("dates", "filing_status"))
                in FILED_STATUSES
            )
            if dates.filing_due is not None and not filed:
                items.append(
                    DueItem(kind="filing", due=dates.filing_due, overdue=dates.filing_overdue, **base)
                )
    if within_days is not None:
        horizon = day + dt.timedelta(days=within_days)
        items = [i for i in items if i.due is None or i.due <= horizon]
    return sorted(
        items, key=lambda i: (i.due is None, i.due or day, i.title, KINDS.index(i.kind), i.row or 0)
    )


def due_summary(item: DueItem, lang: str) -> str:
    """One line naming a due item, as `pia-app due`, the calendar and the due view show it."""
    if item.kind == "measure":
        shown = item.gap or item.ref
        ref = f"[{shown}] " if shown else ""
        return t("due.measure", lang, title=item.title, ref=ref, measure=item.measure)
    if item.kind == "review":
        return t("due.review", lang, title=item.title)
    return t("due.filing", lang, title=item.title)


def _gap_number(form: Form, by_rule: Mapping[str, str], ref: str) -> str:
    """The gap number of a treatment row's ref: the ref itself when it is one ("F-16", as rows
    are written since issue 8), or the number of an older file's rule id."""
    return ref if ref in form.rules_by_number else by_rule.get(ref, "")
