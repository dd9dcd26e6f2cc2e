"""Grade a whole assessment: findings, PIPL art. 55 triggers, risk, dates, conclusion blockers.

This is the one function the wizard, the report and `pia-app grade` call, so they always agree.

PIA triggers (PIPL art. 55) are derived from the answers that apply by the conditions of the
form's `roles.triggers` block (forms/face_voice/form.yaml: sensitive data, automated decisions,
entrustment, provision, disclosure, transfer abroad) and united with what the user ticked in the
trigger question (a user may add a trigger, never remove a derived one). The conclusion question
and its codes are `roles.conclusion`; the constants below are only defaults.

"May proceed" (m_conclusion = may_proceed) is refused while (reference M, [I]):
- a required question that applies is unanswered (completeness.py; one reason per section), or
- an S1 finding is open (the rule still fires on the answers), or
- a risk item graded high or severe has no row in m_treatments whose ref_id names it, or
- a risk item's residual level after treatment is still severe.
If the user chose "may proceed" anyway, the derived finding `m_conclusion.blocked` (S1) says so.
Derived findings depend on the grading itself, so their condition is code here, but their gap
number, severity, citations and texts are form data (`derived.yaml`, `Form.derived_rules`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia_app.engine.completeness import SectionCompleteness, section_completeness, unanswered_required
from pia_app.engine.deadlines import Dates, derive_dates, describe_filing_note, filing_due_phrase
from pia_app.engine.findings import SEVERITY_ORDER, Finding, evaluate_rules, finding_from_rule
from pia_app.engine.risk import (
    LEVELS,
    AppliedStep,
    RiskGrade,
    describe_problem,
    grade_risks,
    level_code,
    level_label,
    likelihood_code,
    likelihood_label,
    risk_model,
    split_refs,
)
from pia_app.engine.treatment import PlanReview, TreatmentRow, review_plan
from pia_app.forms.answers import effective_answers
from pia_app.forms.citations import format_ref
from pia_app.forms.conditions import evaluate
from pia_app.forms.schema import Form, Text
from pia_app.i18n import LANGS, t

# Defaults when a form's roles block does not name them (the UI reads these too).
MAY_PROCEED = "may_proceed"
PROCEED_AFTER_FIX = "proceed_after_fix"
BLOCKED_RULE_ID = "m_conclusion.blocked"

TREATED_LEVEL = 3
"""Items at this level (high) or above need a treatment row before "may proceed" [I]."""


@dataclass(frozen=True)
class Grading:
    findings: list[Finding]
    triggers: list[str]
    """b_pia_triggers codes, derived ∪ ticked, in the form's option order."""
    pia_required: bool
    risk: RiskGrade
    dates: Dates
    conclusion_blockers: list[dict[str, str]]
    """Why "may proceed" is refused, each {"zh": ..., "en": ...}; empty = allowed."""
    derived_triggers: list[str] | None = None
    """The triggers derived from the answers alone (a subset of `triggers`)."""
    completeness: list[SectionCompleteness] = field(default_factory=list)
    """Per section that applies: required questions, how many are answered, which are missing."""
    unanswered_required: list[str] = field(default_factory=list)
    """Every required question that applies and is unanswered, in form order. While any is,
    "may proceed", submitting for review and approval are refused."""

    plan: PlanReview = field(default_factory=PlanReview)
    """The treatment plan held against the findings and risks (treatment.py): what must be
    done before go-live, late and dangling rows, uncovered gaps, unaccepted residual risks."""

    @property
    def complete(self) -> bool:
        return not self.unanswered_required


def trigger_question(form: Form) -> str:
    """The question whose options are the PIPL art. 55 triggers (form.yaml `roles.triggers`)."""
    triggers = form.roles.get("triggers") or {}
    return str(triggers.get("question") or "")


def conclusion_role(form: Form) -> tuple[str, str, str]:
    """(conclusion question, "may proceed" code, "proceed after remediation" code) from
    form.yaml `roles.conclusion` ("" when the form has no conclusion question; the codes
    default to the usual ones)."""
    role = form.roles.get("conclusion") or {}
    return (
        str(role.get("question") or ""),
        str(role.get("may_proceed") or MAY_PROCEED),
        str(role.get("after_remediation") or PROCEED_AFTER_FIX),
    )


def derive_triggers(form: Form, answers: Mapping[str, Any]) -> list[str]:
    """PIPL art. 55 triggers that follow from the answers that apply: each trigger of
    `roles.triggers.derived` whose condition holds (see forms/face_voice/form.yaml)."""
    eff = effective_answers(form, answers)
    derived = (form.roles.get("triggers") or {}).get("derived") or {}
    found = {str(code) for code, cond in derived.items() if isinstance(cond, Mapping) and evaluate(cond, eff)}
    return _in_option_order(form, found)


def _in_option_order(form: Form, codes: set[str]) -> list[str]:
    q = form.question(trigger_question(form))
    order = [o.code for o in q.options] if q else []
    return [c for c in order if c in codes] + sorted(codes - set(order))


def _treated_refs(answers: Mapping[str, Any], table: str) -> set[str]:
    out: set[str] = set()
    for row in answers.get(table) or []:
        if isinstance(row, Mapping):
            measure = row.get("measure")
            if isinstance(measure, str) and measure.strip():
                out.update(split_refs(row.get("ref_id")))
    return out


def conclusion_blockers(
    form: Form,
    answers: Mapping[str, Any],
    findings: list[Finding],
    risk: RiskGrade,
    completeness: list[SectionCompleteness] | None = None,
    plan: PlanReview | None = None,
) -> list[dict[str, str]]:
    """Reasons the conclusion "may proceed" is refused, each naming the gap number, the risk item
    or the unanswered questions (one reason per section with required answers missing)."""
    out: list[dict[str, str]] = []
    for sec in completeness or []:
        if sec.missing:
            labels = {lang: _question_list(form, sec.missing, lang) for lang in LANGS}
            out.append(_both("grade.blocker.incomplete", section=sec.title, questions=labels))
    if plan is None:
        plan = review_plan(form, effective_answers(form, answers), findings, risk)
    for f in plan.gaps_not_done:
        out.append(_both("grade.blocker.open_gap", severity=f.severity, number=f.number, message=f.message))
    treated = _treated_refs(effective_answers(form, answers), form.role("tables", "treatments"))
    for item in risk.items:
        name = item.risk_id or "?"
        if item.level is not None and item.level >= TREATED_LEVEL and item.risk_id not in treated:
            level = {lang: level_label(form, item.level, lang).lower() for lang in LANGS}
            out.append(_both("grade.blocker.untreated", risk_id=name, level=level))
        elif item.residual_level == len(LEVELS):
            out.append(_both("grade.blocker.residual_severe", risk_id=name))
    return out


def _question_list(form: Form, qids: tuple[str, ...] | list[str], lang: str) -> str:
    """Question labels in `lang`, joined for a sentence ("评估项目名称、评估对象与范围")."""
    labels = []
    for qid in qids:
        q = form.question(qid)
        labels.append(_pick(q.label, lang) if q else qid)
    return ("、" if lang == "zh" else "; ").join(labels)


def _both(key: str, **params: Any) -> dict[str, str]:
    """A locale message in both languages; a dict parameter gives its text per language."""
    return {
        lang: t(key, lang, **{k: v.get(lang, "") if isinstance(v, Mapping) else v for k, v in params.items()})
        for lang in LANGS
    }


def _derived_finding(form: Form, rule_id: str, **params: Mapping[str, str]) -> Finding | None:
    """A finding the engine derives, with number, texts and citations from the form's data
    (`derived.yaml`); `{name}` in its texts is replaced by `params[name][lang]`. None when the
    form does not declare it (then it is not raised)."""
    rule = form.derived_rules.get(rule_id)
    if rule is None:
        return None
    return _fill_placeholders([finding_from_rule(rule)], params)[0]


def _fill_placeholders(findings: list[Finding], values: Mapping[str, Mapping[str, str]]) -> list[Finding]:
    """Findings whose texts hold `{name}` (e.g. `{filing_due}` in the filing rules) get the value
    the grading derived, in each language; unknown names are left as they are."""

    def fill(text: Text) -> dict[str, str]:
        out = dict(text)
        for lang in out:
            for name, value in values.items():
                out[lang] = out[lang].replace("{" + name + "}", value.get(lang, ""))
        return out

    return [
        dataclasses.replace(f, message=fill(f.message), measure=fill(f.measure))
        if "{" in "".join([*f.message.values(), *f.measure.values()])
        else f
        for f in findings
    ]


def _joined(names: list[str]) -> dict[str, str]:
    return {"zh": "、".join(names), "en": ", ".join(names)}


def _rows_text(rows: list[TreatmentRow], with_deadline: bool = False) -> dict[str, str]:
    """Treatment rows named for a sentence by what a reader recognises: the gap numbers and risk
    ids they treat (or the unknown names) and the deadline, or the start of the measure."""

    def one(r: TreatmentRow, lang: str) -> str:
        names = ("、" if lang == "zh" else ", ").join(r.refs if with_deadline else r.unknown)
        if with_deadline:
            due = r.deadline.isoformat() if r.deadline else ""
            return f"{names}（{due}）" if lang == "zh" else f"{names} (due {due})"
        measure = r.measure if len(r.measure) <= 24 else r.measure[:23] + "…"
        return (
            f"{names}（{measure}）"
            if lang == "zh" and measure
            else (f"{names} ({measure})" if measure else names)
        )

    return {lang: ("；" if lang == "zh" else "; ").join(one(r, lang) for r in rows) for lang in LANGS}


def plan_findings(form: Form, conclusion: Any, plan: PlanReview) -> list[Finding]:
    """The derived findings about the treatment plan (see treatment.py and derived.yaml)."""
    out: list[Finding | None] = []
    _q, may_proceed, after_fix = conclusion_role(form)
    if conclusion == after_fix and plan.unplanned:
        out.append(_derived_finding(form, "m_treatments.unplanned", items=_joined(plan.unplanned)))
    if conclusion in (may_proceed, after_fix) and plan.late and plan.go_live:
        day = plan.go_live.isoformat()
        out.append(
            _derived_finding(
                form,
                "m_treatments.after_go_live",
                items=_rows_text(plan.late, with_deadline=True),
                go_live={"zh": day, "en": day},
            )
        )
    if plan.dangling:
        out.append(_derived_finding(form, "m_treatments.unknown_ref", items=_rows_text(plan.dangling)))
    if plan.missing_threats:
        out.append(
            _derived_finding(
                form,
                "l_risks.threat_category_missing",
                items={
                    lang: ("、" if lang == "zh" else ", ").join(_pick(t, lang) for t in plan.missing_threats)
                    for lang in LANGS
                },
            )
        )
    if plan.unaccepted_residuals:
        out.append(
            _derived_finding(form, "m_residual_acceptance.missing", items=_joined(plan.unaccepted_residuals))
        )
    return [f for f in out if f is not None]


def grade_assessment(form: Form, answers: Mapping[str, Any], today: dt.date | None = None) -> Grading:
    """Everything the engine says about one revision's answers."""
    findings = evaluate_rules(form, answers)
    eff = effective_answers(form, answers)
    derived = derive_triggers(form, answers)
    ticked = {c for c in eff.get(trigger_question(form)) or [] if isinstance(c, str)}
    triggers = _in_option_order(form, set(derived) | ticked)
    risk = grade_risks(form, eff, {f.number: f.severity for f in findings})
    dates = derive_dates(form, answers, today)
    findings = _fill_placeholders(
        findings, {"filing_due": {lang: filing_due_phrase(dates, lang) for lang in LANGS}}
    )
    completeness = section_completeness(form, answers)
    plan = review_plan(form, eff, findings, risk)
    blockers = conclusion_blockers(form, answers, findings, risk, completeness, plan)
    conclusion_q, may_proceed, _after = conclusion_role(form)
    conclusion = eff.get(conclusion_q)
    extra = plan_findings(form, conclusion, plan)
    blocked = _derived_finding(form, BLOCKED_RULE_ID)
    if blockers and blocked and conclusion == may_proceed:
        extra.append(blocked)
    if extra:
        findings = sorted([*findings, *extra], key=lambda f: SEVERITY_ORDER[f.severity])
    return Grading(
        findings=findings,
        triggers=triggers,
        pia_required=bool(triggers),
        risk=risk,
        dates=dates,
        conclusion_blockers=blockers,
        derived_triggers=derived,
        completeness=completeness,
        unanswered_required=unanswered_required(completeness),
        plan=plan,
    )


def _level(form: Form, n: int | None, lang: str) -> dict[str, Any] | None:
    if n is None:
        return None
    return {
        "level": n,
        "code": level_code(n),
        "label": level_label(form, n, lang),
        "label_zh": level_label(form, n, "zh"),
    }


def _likelihood(form: Form, n: int | None, lang: str) -> dict[str, Any] | None:
    if n is None:
        return None
    return {
        "level": n,
        "code": likelihood_code(n),
        "label": likelihood_label(form, n, lang),
        "label_zh": likelihood_label(form, n, "zh"),
    }


def _pick(text: Text, lang: str) -> str:
    return text.get(lang) or text.get("zh") or ""


def _question_label(form: Form, qid: str, lang: str) -> str:
    q = form.question(qid)
    return _pick(q.label, lang) if q else qid


def grading_to_json(form: Form, grading: Grading, lang: str) -> dict[str, Any]:
    """The grading as plain JSON data (what `pia-app grade --json` prints); texts in `lang`."""
    trig_q = form.question(trigger_question(form))

    def trigger_label(code: str) -> str:
        opt = trig_q.option(code) if trig_q else None
        return _pick(opt.label, lang) if opt else code

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    risk = grading.risk
    return {
        "form": {"id": form.id, "version": form.version},
        "lang": lang,
        "pia_required": grading.pia_required,
        "triggers": [
            {"code": c, "label": trigger_label(c), "derived": c in (grading.derived_triggers or [])}
            for c in grading.triggers
        ],
        "findings": [
            {
                "number": f.number,
                "rule_id": f.rule_id,
                "severity": f.severity,
                "section_id": f.section_id,
                "question_ids": list(f.question_ids),
                "refs": list(f.refs),
                "citations": [format_ref(form, r, lang) for r in f.refs],
                "practice": _pick(f.practice, lang) or None,
                "message": _pick(f.message, lang),
                "measure": _pick(f.measure, lang),
            }
            for f in grading.findings
        ],
        "finding_counts": {s: sum(1 for f in grading.findings if f.severity == s) for s in SEVERITY_ORDER},
        "risk": {
            "overall": _level(form, risk.overall, lang),
            "overall_residual": _level(form, risk.overall_residual, lang),
            "items": [
                {
                    "risk_id": item.risk_id,
                    "activity": item.activity,
                    "threat": item.threat,
                    "impact": _level(form, item.impact, lang),
                    "likelihood": _likelihood(form, item.likelihood, lang),
                    "level": _level(form, item.level, lang),
                    "residual_level": _level(form, item.residual_level, lang),
                    "dimensions": [
                        {
                            "dimension": d.dimension,
                            "impact": _level(form, d.impact, lang),
                            "impact_reason": d.impact_reason,
                            "risk": _level(form, d.risk, lang),
                        }
                        for d in item.dimensions
                    ],
                    "factors": {
                        f: {"likelihood": _likelihood(form, lv, lang), "reason": reason}
                        for f, (lv, reason) in item.factors.items()
                    },
                    "adjustments": list(item.adjustments),
                    "steps": [_step(form, st, lang) for st in item.steps],
                    "linked_gaps": list(item.linked_gaps),
                    "threat_category": item.threat_category,
                    "problems": [
                        {"code": p, "message": describe_problem(form, p, lang)} for p in item.problems
                    ],
                }
                for item in risk.items
            ],
        },
        "dates": {
            "filing_due": iso(grading.dates.filing_due),
            "filing_note": grading.dates.filing_note,
            "filing_note_text": describe_filing_note(grading.dates.filing_note, lang),
            "filing_overdue": grading.dates.filing_overdue,
            "retain_until": iso(grading.dates.retain_until),
            "next_review": iso(grading.dates.next_review),
        },
        "complete": grading.complete,
        "completeness": [
            {
                "section_id": sec.section_id,
                "title": _pick(sec.title, lang),
                "required": sec.required,
                "answered": sec.answered,
                "missing": [
                    {"question_id": qid, "label": _question_label(form, qid, lang)} for qid in sec.missing
                ],
            }
            for sec in grading.completeness
        ],
        "unanswered_required": list(grading.unanswered_required),
        "treatment": _plan_json(grading, lang),
        "may_proceed_allowed": not grading.conclusion_blockers,
        "conclusion_blockers": [_pick(b, lang) for b in grading.conclusion_blockers],
    }


def _step(form: Form, step: AppliedStep, lang: str) -> dict[str, Any]:
    """An adjustment or floor as applied: codes, levels before and after, and a sentence
    ("+1 受影响群体…：中 → 高")."""
    model = risk_model(form)
    as_level = step.kind == "impact"
    label_of = level_label if as_level else likelihood_label
    if step.kind == "impact":
        name = _pick(model.impact_adjustments[step.code].label, lang)
    elif step.kind == "likelihood":
        name = _pick(model.likelihood_adjustments[step.code].label, lang)
    elif step.kind == "scale_floor":
        above = next((f.above for f in model.scale_floors if f.code == step.code), 0)
        name = t("risk.step.scale_floor", lang, above=f"{above:,.0f}")
    else:
        joined = ("、" if lang == "zh" else ", ").join(step.detail)
        name = t("risk.step.gap_floor", lang, gaps=joined, factor=step.code)
    before, after = label_of(form, step.before, lang), label_of(form, step.after, lang)
    sep = "：" if lang == "zh" else ": "
    return {
        "kind": step.kind,
        "code": step.code,
        "before": level_code(step.before) if as_level else likelihood_code(step.before),
        "after": level_code(step.after) if as_level else likelihood_code(step.after),
        "detail": list(step.detail),
        "text": f"{name}{sep}{before} → {after}",
    }


def _row_json(row: TreatmentRow) -> dict[str, Any]:
    return {
        "row": row.row,
        "refs": list(row.refs),
        "measure": row.measure,
        "owner": row.owner,
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "status": row.status,
    }


def _plan_json(grading: Grading, lang: str) -> dict[str, Any]:
    plan = grading.plan
    return {
        "go_live": plan.go_live.isoformat() if plan.go_live else None,
        "must_treat": list(plan.must_treat),
        "unplanned": list(plan.unplanned),
        "before_go_live": [_row_json(r) for r in plan.before_go_live],
        "late": [r.row for r in plan.late],
        "unknown_refs": [{"row": r.row, "refs": list(r.unknown)} for r in plan.dangling],
        "uncovered_gaps": [
            {"number": f.number, "severity": f.severity, "message": _pick(f.message, lang)}
            for f in plan.uncovered_gaps
        ],
        "unaccepted_residuals": list(plan.unaccepted_residuals),
    }
