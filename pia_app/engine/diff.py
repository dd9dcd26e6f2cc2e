"""What changed between two revisions: answers question by question, findings added and
resolved, risk levels changed.

Pure: it reads two answer mappings and the form, never the database, so the GUI's history view,
`pia-app diff` and the report's change section all show the same comparison. Findings and risk
come from `grade_assessment`, the function the wizard and the report use, so a diff never
disagrees with what either shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from pia_app.display import display_value, table_change_text
from pia_app.engine.findings import Finding
from pia_app.engine.grade import grade_assessment
from pia_app.engine.risk import RiskGrade, level_code
from pia_app.forms.conditions import same_answer
from pia_app.forms.schema import Form, Question, Text


class HasAnswers(Protocol):
    """Anything with `answers` and a revision `number`, e.g. store.Revision."""

    @property
    def number(self) -> int: ...

    @property
    def answers(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    section_id: str
    """"" when the question is not in the form (an answer kept from an older form)."""
    label: Text
    old: Any
    new: Any
    old_text: Text
    """The old answer as a reader sees it, in both languages (option labels, yes/no…)."""
    new_text: Text


@dataclass(frozen=True)
class FindingChange:
    rule_id: str
    severity: str
    section_id: str
    message: Text
    number: str = ""
    """The gap number users see ("D-03"); `rule_id` is internal."""


@dataclass(frozen=True)
class RiskChange:
    """A risk item's level (or residual level) before and after; `risk_id` "" = overall."""

    risk_id: str
    label: str
    old_level: str | None
    new_level: str | None
    old_residual: str | None
    new_residual: str | None


@dataclass(frozen=True)
class RevisionDiff:
    old_revision: int | None
    new_revision: int | None
    answers: list[AnswerChange]
    findings_added: list[FindingChange]
    findings_resolved: list[FindingChange]
    risk_changes: list[RiskChange]

    @property
    def empty(self) -> bool:
        return not (self.answers or self.findings_added or self.findings_resolved or self.risk_changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (`pia-app diff --json`, the report's change section)."""
        return asdict(self)


def diff_revisions(
    form: Form,
    old: HasAnswers | Mapping[str, Any],
    new: HasAnswers | Mapping[str, Any],
) -> RevisionDiff:
    """Compare two revisions (or two answer mappings) of one assessment, `old` → `new`."""
    old_answers, old_no = _unpack(old)
    new_answers, new_no = _unpack(new)
    old_grade = grade_assessment(form, old_answers)
    new_grade = grade_assessment(form, new_answers)
    return RevisionDiff(
        old_revision=old_no,
        new_revision=new_no,
        answers=answer_changes(form, old_answers, new_answers),
        findings_added=_findings_minus(new_grade.findings, old_grade.findings),
        findings_resolved=_findings_minus(old_grade.findings, new_grade.findings),
        risk_changes=risk_changes(old_grade.risk, new_grade.risk),
    )


def _unpack(rev: HasAnswers | Mapping[str, Any]) -> tuple[Mapping[str, Any], int | None]:
    if isinstance(rev, Mapping):
        return rev, None
    return rev.answers, rev.number


def answer_changes(form: Form, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[AnswerChange]:
    """Changed answers in form order; answers to questions the form lacks come last, by id."""
    out: list[AnswerChange] = []
    for qid, q in form.questions.items():
        a, b = old.get(qid), new.get(qid)
        if same_answer(a, b):
            continue
        texts = _change_texts(q, a, b)
        out.append(
            AnswerChange(
                question_id=qid,
                section_id=q.section_id,
                label=dict(q.label),
                old=a,
                new=b,
                old_text=texts[0],
                new_text=texts[1],
            )
        )
    for qid in sorted((set(old) | set(new)) - set(form.questions)):
        a, b = old.get(qid), new.get(qid)
        if same_answer(a, b):
            continue
        out.append(
            AnswerChange(
                qid,
                "",
                {"zh": qid, "en": qid},
                a,
                b,
                {"zh": _plain(a), "en": _plain(a)},
                {"zh": _plain(b), "en": _plain(b)},
            )
        )
    return out


def _change_texts(q: Question, old: Any, new: Any) -> tuple[Text, Text]:
    """(before, after) as a reader sees them in both languages; a table shows its changed rows."""
    if q.type == "table":
        pairs = {lang: table_change_text(q, old, new, lang) for lang in ("zh", "en")}
        return {k: v[0] for k, v in pairs.items()}, {k: v[1] for k, v in pairs.items()}
    return (
        {lang: display_value(q, old, lang) for lang in ("zh", "en")},
        {lang: display_value(q, new, lang) for lang in ("zh", "en")},
    )


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _findings_minus(a: list[Finding], b: list[Finding]) -> list[FindingChange]:
    """Findings of `a` whose rule does not fire in `b`, in `a`'s order (most severe first)."""
    fired = {f.rule_id for f in b}
    return [
        FindingChange(f.rule_id, f.severity, f.section_id, dict(f.message), f.number)
        for f in a
        if f.rule_id not in fired
    ]


def risk_changes(old: RiskGrade, new: RiskGrade) -> list[RiskChange]:
    """Risk items whose level or residual level changed (added/removed items included, with
    None on the missing side), then the overall level if it changed."""
    before = {i.risk_id: i for i in old.items}
    after = {i.risk_id: i for i in new.items}
    order = [i.risk_id for i in new.items] + [r for r in before if r not in after]
    out: list[RiskChange] = []
    for rid in order:
        a, b = before.get(rid), after.get(rid)
        item = b if b is not None else a
        change = RiskChange(
            risk_id=rid,
            label=item.threat if item is not None else rid,
            old_level=level_code(a.level) if a else None,
            new_level=level_code(b.level) if b else None,
            old_residual=level_code(a.residual_level) if a else None,
            new_residual=level_code(b.residual_level) if b else None,
        )
        if (change.old_level, change.old_residual) != (change.new_level, change.new_residual):
            out.append(change)
    if (old.overall, old.overall_residual) != (new.overall, new.overall_residual):
        out.append(
            RiskChange(
                "",
                "",
                level_code(old.overall),
                level_code(new.overall),
                level_code(old.overall_residual),
                level_code(new.overall_residual),
            )
        )
    return out


def report_changes(form: Form, diff: RevisionDiff, lang: str) -> dict[str, Any]:
    """The diff in one language as strings only, for the report's change section (a
    re-review's report compares its revision with the one it was based on)."""
    from pia_app.engine.risk import LEVELS, level_label
    from pia_app.i18n import pick, t

    def level(code: str | None) -> str:
        return level_label(form, LEVELS.index(code) + 1, lang) if code in LEVELS else "–"

    return {
        "old_revision": "" if diff.old_revision is None else str(diff.old_revision),
        "new_revision": "" if diff.new_revision is None else str(diff.new_revision),
        "answers": [
            {
                "question_id": c.question_id,
                "question": pick(c.label, lang),
                "old": pick(c.old_text, lang),
                "new": pick(c.new_text, lang),
            }
            for c in diff.answers
        ],
        "findings_added": [
            {"number": f.number, "severity": t(f"severity.{f.severity}", lang), "text": pick(f.message, lang)}
            for f in diff.findings_added
        ],
        "findings_resolved": [
            {"number": f.number, "severity": t(f"severity.{f.severity}", lang), "text": pick(f.message, lang)}
            for f in diff.findings_resolved
        ],
        "risks": [
            {
                "item": r.risk_id or t("cli.diff.overall", lang),
                "threat": r.label,
                "old": level(r.old_level),
                "new": level(r.new_level),
                "old_residual": level(r.old_residual),
                "new_residual": level(r.new_residual),
            }
            for r in diff.risk_changes
        ],
    }
