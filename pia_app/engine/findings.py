"""Evaluate the form's declared gap rules on a revision's answers.

Rules are data (beside their question in forms/); this module only runs them. A rule on a hidden
question, or whose condition reads a hidden question, raises nothing: hidden answers are dropped
before evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia_app.forms.answers import visible_question_ids
from pia_app.forms.citations import applicable_sources
from pia_app.forms.conditions import evaluate, referenced_questions
from pia_app.forms.schema import Form, Rule, Text

SEVERITY_ORDER = {"S1": 0, "S2": 1, "S3": 2, "S4": 3}


@dataclass(frozen=True)
class Finding:
    """A gap found in the answers.

    `number` ("D-03") is what users see and what treatment rows cite: declared beside the rule in
    the form data, so it is the same in every revision whichever other findings come or go.
    `rule_id` is internal (diffs, tests) and is never shown to a user.
    """

    rule_id: str
    severity: str
    question_ids: tuple[str, ...]
    section_id: str
    refs: tuple[str, ...]
    message: Text
    measure: Text
    theme: str = ""
    number: str = ""
    practice: Text = field(default_factory=dict)
    """A prudent-practice note (not a legal basis), in both languages; empty when none."""


def evaluate_rules(form: Form, answers: Mapping[str, Any]) -> list[Finding]:
    """Findings for the answers, most severe first, then in form order."""
    visible = visible_question_ids(form, answers)
    effective = {k: v for k, v in answers.items() if k in visible}
    applies = applicable_sources(form, answers)
    order = {r.id: i for i, r in enumerate(form.rules)}
    out = []
    for rule in form.rules:
        if rule.question_id not in visible:
            continue
        if evaluate(rule.when, effective, self_id=rule.question_id):
            out.append(finding_from_rule(rule, applies))
    out.sort(key=lambda f: (SEVERITY_ORDER[f.severity], order[f.rule_id]))
    return out


def finding_from_rule(rule: Rule, applies: set[str] | None = None) -> Finding:
    """The finding a rule raises (for a derived rule, `when` is empty: only its question).

    With `applies` (the codes of the sources that apply to the answers, see
    pia_app.forms.citations.applicable_sources), the finding cites only those: a question about
    retention cites the Face Recognition Measures beside the PIPL, but a voice-only assessment's
    finding cites the PIPL alone. The citation walk test checks that every rule keeps a legal
    basis in every kind of assessment in which it can fire."""
    read = referenced_questions(rule.when, rule.question_id) if rule.when else set()
    qids = sorted(read | {rule.question_id})
    qids.remove(rule.question_id)
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        question_ids=(rule.question_id, *qids),
        section_id=rule.section_id,
        refs=rule.refs if applies is None else tuple(r for r in rule.refs if r.split(" ", 1)[0] in applies),
        message=rule.message,
        measure=rule.measure,
        theme=rule.theme,
        number=rule.number,
        practice=rule.practice,
    )
