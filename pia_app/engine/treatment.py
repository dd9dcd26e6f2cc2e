"""The treatment plan held against the findings and risks: what each conclusion needs.

Reference M and GB/T 39335 5.8, with this project's rules [I] (docs/grading.md):
- a treatment row (`m_treatments`) names what it treats in `ref_id`: gap numbers ("D-05") and
  risk ids ("R1"), several separated by commas. A rule id of an older file is read as its gap
  number. A name that is neither a gap number of the form nor a risk id of `l_risks` is dangling;
- the gaps that must be treated are the open S1 and S2 findings of the form's rules; the risks
  that must be treated are the items graded high or severe;
- "may proceed" needs a *done* row for every such gap; "proceed after remediation" needs a
  *planned* row (measure, owner and deadline) for every such gap and risk;
- a row for such a gap or risk that is not done and is due after the planned start of
  processing (go-live) is late; the rows not yet done are the measures to finish before go-live;
- an open gap that no risk item links (`linked_gaps`) and no row treats is uncovered;
- a residual level of medium or above needs an acceptance (`m_residual_acceptance`: who, role,
  date, reason).
Pure: no Qt, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia_app.engine.findings import Finding
from pia_app.engine.risk import RiskGrade, RiskItemGrade, split_refs
from pia_app.forms.conditions import parse_date
from pia_app.forms.schema import Form, Text

THREAT_COLUMN = "threat_category"
ACCEPTANCE_COLUMNS = ("risk_id", "accepted_by", "role", "date", "reason")
MUST_TREAT_SEVERITIES = ("S1", "S2")
MUST_TREAT_LEVEL = 3
"""Risk items at high (3) or severe (4) must be treated."""
ACCEPT_FROM_LEVEL = 2
"""A residual level from medium (2) up needs an acceptance."""


@dataclass(frozen=True)
class TreatmentRow:
    """One row of the treatment plan, with what it names resolved."""

    row: int
    """1-based position in the plan (what a user sees as "row 3")."""
    refs: tuple[str, ...]
    gaps: tuple[str, ...]
    """Gap numbers it names (rule ids of older files resolved to their numbers)."""
    risks: tuple[str, ...]
    unknown: tuple[str, ...]
    """Names that are neither a gap number of the form nor a risk id of l_risks."""
    measure: str
    owner: str
    deadline: dt.date | None
    status: str

    @property
    def planned(self) -> bool:
        """A measure with an owner and a deadline."""
        return bool(self.measure and self.owner and self.deadline)

    @property
    def done(self) -> bool:
        return self.status == "done" and bool(self.measure)


@dataclass(frozen=True)
class PlanReview:
    rows: list[TreatmentRow] = field(default_factory=list)
    must_treat: list[str] = field(default_factory=list)
    """Gap numbers of open S1/S2 findings, then risk ids graded high or severe."""
    gaps_not_done: list[Finding] = field(default_factory=list)
    """Open S1/S2 findings without a done row (they refuse "may proceed")."""
    unplanned: list[str] = field(default_factory=list)
    """Of must_treat, those without a planned row (owner and deadline)."""
    before_go_live: list[TreatmentRow] = field(default_factory=list)
    """Rows for must_treat items not done yet: to finish before processing starts."""
    late: list[TreatmentRow] = field(default_factory=list)
    """Of before_go_live, those due after the planned start of processing."""
    go_live: dt.date | None = None
    dangling: list[TreatmentRow] = field(default_factory=list)
    uncovered_gaps: list[Finding] = field(default_factory=list)
    """Open findings that no risk item links and no row treats."""
    unaccepted_residuals: list[str] = field(default_factory=list)
    """Risk ids whose residual level is medium or above without a complete acceptance row."""
    missing_threats: list[Text] = field(default_factory=list)
    """Labels of the threat categories (options of l_risks.threat_category) no item covers."""


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def read_treatments(form: Form, answers: Mapping[str, Any], risk_ids: set[str]) -> list[TreatmentRow]:
    """The rows of the treatment plan, blank rows skipped, names resolved."""
    by_rule = {r.id: r.number for r in form.rules}
    numbers = set(form.rules_by_number)
    out: list[TreatmentRow] = []
    for i, raw in enumerate(answers.get(form.role("tables", "treatments")) or [], start=1):
        if not isinstance(raw, Mapping) or not any(_str(v) for v in raw.values() if isinstance(v, str)):
            continue
        refs = split_refs(raw.get("ref_id"))
        gaps: list[str] = []
        risks: list[str] = []
        unknown: list[str] = []
        for ref in refs:
            if ref in risk_ids:
                risks.append(ref)
            elif ref.upper() in numbers:
                gaps.append(ref.upper())
            elif ref in by_rule:
                gaps.append(by_rule[ref])
            else:
                unknown.append(ref)
        out.append(
            TreatmentRow(
                row=i,
                refs=refs,
                gaps=tuple(gaps),
                risks=tuple(risks),
                unknown=tuple(unknown),
                measure=_str(raw.get("measure")),
                owner=_str(raw.get("owner")),
                deadline=parse_date(raw.get("deadline")),
                status=_str(raw.get("status")),
            )
        )
    return out


def _accepted(form: Form, answers: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for row in answers.get(form.role("tables", "acceptance")) or []:
        if isinstance(row, Mapping) and all(_str(row.get(c)) for c in ACCEPTANCE_COLUMNS):
            out.update(split_refs(row.get("risk_id")))
    return out


def _missing_threats(form: Form, risk: RiskGrade) -> list[Text]:
    """Threat categories with no risk item, once there are risk items [I]: every category of the
    form's `threat_category` column applies to stored face or voice data (FR Measures 9(3):
    leak, alteration, loss, destruction, unlawful acquisition, sale or use)."""
    table = form.question(form.role("tables", "risks"))
    column = table.column(THREAT_COLUMN) if table else None
    if column is None or not risk.items:
        return []
    covered = {i.threat_category for i in risk.items}
    return [o.label for o in column.options if o.code not in covered]


def review_plan(
    form: Form, answers: Mapping[str, Any], findings: list[Finding], risk: RiskGrade
) -> PlanReview:
    """Hold the treatment plan of `answers` (effective answers) against findings and risks."""
    risk_ids = {i.risk_id for i in risk.items if i.risk_id}
    rows = read_treatments(form, answers, risk_ids)
    declared = [f for f in findings if f.rule_id not in form.derived_rules]
    gaps = [f for f in declared if f.severity in MUST_TREAT_SEVERITIES]
    risks: list[RiskItemGrade] = [
        i for i in risk.items if i.level is not None and i.level >= MUST_TREAT_LEVEL
    ]
    must = [f.number for f in gaps] + [i.risk_id or "?" for i in risks]

    def rows_for(name: str) -> list[TreatmentRow]:
        return [r for r in rows if name in r.gaps or name in r.risks]

    gaps_not_done = [f for f in gaps if not any(r.done for r in rows_for(f.number))]
    unplanned = [name for name in must if not any(r.planned or r.done for r in rows_for(name))]
    must_set = set(must)
    before = [r for r in rows if not r.done and must_set & (set(r.gaps) | set(r.risks))]
    go_live = parse_date(answers.get(form.role("dates", "go_live")))
    late = [r for r in before if go_live is not None and r.deadline is not None and r.deadline > go_live]
    linked = {n for i in risk.items for n in i.linked_gaps}
    treated = {n for r in rows for n in r.gaps}
    uncovered = [f for f in declared if f.number not in linked and f.number not in treated]
    accepted = _accepted(form, answers)
    unaccepted = [
        i.risk_id or "?"
        for i in risk.items
        if i.residual_level is not None
        and i.residual_level >= ACCEPT_FROM_LEVEL
        and i.risk_id not in accepted
    ]
    return PlanReview(
        missing_threats=_missing_threats(form, risk),
        rows=rows,
        must_treat=must,
        gaps_not_done=gaps_not_done,
        unplanned=unplanned,
        before_go_live=before,
        late=late,
        go_live=go_live,
        dangling=[r for r in rows if r.unknown],
        uncovered_gaps=uncovered,
        unaccepted_residuals=unaccepted,
    )
