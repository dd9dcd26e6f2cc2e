"""Answers to a form: which questions apply, what is missing, whether values have the right type.

Answers are plain JSON-able data keyed by question id (see docs/format.md):
text → str, single → option code, multi → list of codes, yesno → bool, number → int or float,
date → "YYYY-MM-DD", table → list of row objects keyed by column id. An unanswered question is
simply absent (or null).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia_app.forms.conditions import evaluate, is_blank
from pia_app.forms.schema import Column, Form, Question, Text

Answers = dict[str, Any]


@dataclass(frozen=True)
class AnswerProblem:
    question_id: str
    key: str
    """Message key in the locale catalogue (answer.*)."""
    detail: str = ""
    message: Text | None = None
    """For a contradiction declared in the form data: its text in both languages."""
    questions: tuple[str, ...] = ()
    """For a contradiction: every question involved (the wizard can point at each)."""


def visible_question_ids(form: Form, answers: Mapping[str, Any]) -> set[str]:
    """The questions that apply, given the answers.

    A hidden question's answer does not count when deciding what else is shown, so this iterates
    until nothing changes (conditions normally point backwards, so one or two rounds suffice).
    """
    effective: Mapping[str, Any] = answers
    visible: set[str] = set()
    for _ in range(10):
        now: set[str] = set()
        for section in form.sections:
            if section.show_if is not None and not evaluate(section.show_if, effective):
                continue
            for q in section.questions:
                if q.show_if is None or evaluate(q.show_if, effective):
                    now.add(q.id)
        if now == visible:
            break
        visible = now
        effective = {k: v for k, v in answers.items() if k in visible}
    return visible


def visible_section_ids(form: Form, answers: Mapping[str, Any]) -> list[str]:
    shown = visible_question_ids(form, answers)
    return [s.id for s in form.sections if any(q.id in shown for q in s.questions)]


def effective_answers(form: Form, answers: Mapping[str, Any]) -> Answers:
    """Answers of the questions that apply; hidden ones are dropped (not deleted from storage)."""
    shown = visible_question_ids(form, answers)
    return {k: v for k, v in answers.items() if k in shown and not is_blank(v)}


def missing_required(form: Form, answers: Mapping[str, Any]) -> list[str]:
    """Required questions that apply and are unanswered, in form order."""
    shown = visible_question_ids(form, answers)
    out = []
    for q in form.questions.values():
        if q.id not in shown or not q.required or q.computed:
            continue
        value = answers.get(q.id)
        short_table = isinstance(value, list) and len(value) < max(q.min_rows, 1)
        if is_blank(value) or (q.type == "table" and short_table):
            out.append(q.id)
    return out


def default_answers(form: Form) -> Answers:
    return {q.id: q.default for q in form.questions.values() if q.default is not None}


def validate_answers(form: Form, answers: Any, with_contradictions: bool = True) -> list[AnswerProblem]:
    """Type-check answers against the form, then (unless `with_contradictions` is False, as for
    the past revisions of an imported history, which are records kept as they were) look for
    contradictions; an empty list means they are fine."""
    if not isinstance(answers, Mapping):
        return [AnswerProblem("", "answer.not_object")]
    problems: list[AnswerProblem] = []
    questions = form.questions
    for qid, value in answers.items():
        q = questions.get(qid)
        if q is None:
            problems.append(AnswerProblem(str(qid), "answer.unknown_question"))
            continue
        if value is None:
            continue
        problems.extend(_check_value(q, value))
    if not problems and with_contradictions:
        problems.extend(contradictions(form, answers))
    return problems


def contradictions(form: Form, answers: Mapping[str, Any]) -> list[AnswerProblem]:
    """Answers that contradict themselves or each other.

    - the cross-question checks the form declares (`consistency.yaml`), on the answers that
      apply: key "answer.contradiction", `detail` the check id, `message` its text;
    - an exclusive option ("none of these", "not involved", "无") ticked together with another
      option, in a multiple-choice question or a multi column of a table row: key
      "answer.exclusive", `detail` the exclusive option's code.
    Pure, so the wizard can refuse the answer and the file check the file."""
    problems: list[AnswerProblem] = []
    if form.consistency:
        effective = effective_answers(form, answers)
        for check in form.consistency:
            if evaluate(check.when, effective):
                first = check.questions[0] if check.questions else ""
                problems.append(
                    AnswerProblem(first, "answer.contradiction", check.id, check.message, check.questions)
                )
    for qid, value in answers.items():
        q = form.question(qid)
        if q is None:
            continue
        if q.type == "multi":
            problems.extend(_exclusive_clash(q, value, q.id))
        elif q.type == "table" and isinstance(value, list):
            for i, row in enumerate(value):
                if not isinstance(row, Mapping):
                    continue
                for col in q.columns:
                    if col.type == "multi":
                        problems.extend(_exclusive_clash(col, row.get(col.id), f"{qid}[{i + 1}].{col.id}"))
    return problems


def _exclusive_clash(q: Question | Column, value: Any, where: str) -> list[AnswerProblem]:
    if not isinstance(value, list) or len(value) < 2:
        return []
    exclusive = [o.code for o in q.options if o.exclusive and o.code in value]
    return [AnswerProblem(where, "answer.exclusive", exclusive[0])] if exclusive else []


def _check_value(q: Question | Column, value: Any, where: str = "") -> list[AnswerProblem]:
    qid = where or q.id
    t = q.type
    if t == "text":
        return [] if isinstance(value, str) else [AnswerProblem(qid, "answer.want_text")]
    if t == "yesno":
        return [] if isinstance(value, bool) else [AnswerProblem(qid, "answer.want_yesno")]
    if t == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and isinstance(value, float) and not math.isfinite(value):
            ok = False
        return [] if ok else [AnswerProblem(qid, "answer.want_number")]
    if t == "date":
        if isinstance(value, str) and _is_iso_date(value):
            return []
        return [AnswerProblem(qid, "answer.want_date", repr(value)[:40])]
    codes = {o.code for o in q.options}
    if t == "single":
        if isinstance(value, str) and value in codes:
            return []
        return [AnswerProblem(qid, "answer.unknown_option", repr(value)[:40])]
    if t == "multi":
        if not isinstance(value, list):
            return [AnswerProblem(qid, "answer.want_list")]
        bad = [v for v in value if not isinstance(v, str) or v not in codes]
        return [AnswerProblem(qid, "answer.unknown_option", repr(bad[0])[:40])] if bad else []
    if t == "table" and isinstance(q, Question):
        if not isinstance(value, list):
            return [AnswerProblem(qid, "answer.want_rows")]
        problems: list[AnswerProblem] = []
        for i, row in enumerate(value):
            if not isinstance(row, Mapping):
                problems.append(AnswerProblem(qid, "answer.want_row", str(i + 1)))
                continue
            for col_id, cell in row.items():
                col = q.column(col_id)
                if col is None:
                    problems.append(AnswerProblem(qid, "answer.unknown_column", str(col_id)[:40]))
                elif cell is not None:
                    problems.extend(_check_value(col, cell, f"{qid}[{i + 1}].{col_id}"))
        return problems
    return [AnswerProblem(qid, "answer.bad_type")]


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
