"""Input that cannot poison the store: the limits every answer and every imported file meets.

Pure functions, no Qt and no database, so the wizard can call `check_answers` before it saves
(and show the one-line message naming the question), `pia-app import` checks a whole file with
`check_document` before anything is written, and the store refuses the same answers again
(`Repository.save_answers`, `create`, `import_records`), whoever calls it.

What is refused, and why:
- text that is not valid Unicode (a lone surrogate such as "\\ud800", which JSON can encode but
  UTF-8 cannot): it cannot be stored, hashed or exported;
- numbers that are not finite (`NaN`, `Infinity`, `1e400`, which Python reads as infinity) or
  beyond ±10^15 (the engine's range: counts of people, days, amounts; a 4,000-digit "number of
  subjects" is a typing accident or an attack, and would not survive a round trip through other
  JSON readers);
- tables longer than the limits: 5,000 rows in any table, 1,000 rows in the risk-item table (the
  report and the grading stay fast and readable below them). Both are configurable with the
  environment variables PIA_APP_MAX_TABLE_ROWS and PIA_APP_MAX_RISK_ITEMS.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia_app.errors import UserError

MAX_ABS_NUMBER = 10**15
MAX_DEPTH = 20
ENV_MAX_TABLE_ROWS = "PIA_APP_MAX_TABLE_ROWS"
ENV_MAX_RISK_ITEMS = "PIA_APP_MAX_RISK_ITEMS"


RISK_ROWS = 1000
"""The risk items table's own limit (each row is graded: keep the grading quick)."""


def _risk_table() -> str:
    """The bundled form's risk items table (form.yaml `roles.tables.risks`)."""
    from pia_app.forms.loader import default_form

    return default_form().role("tables", "risks")


@dataclass(frozen=True)
class Limits:
    max_table_rows: int = 5000
    """Rows in any table answer."""
    table_rows: Mapping[str, int] = field(default_factory=lambda: {_risk_table(): RISK_ROWS})
    """Lower limits of particular tables (question id → rows): the risk items."""

    def rows_for(self, question_id: str) -> int:
        return min(self.table_rows.get(question_id, self.max_table_rows), self.max_table_rows)


def limits_from_env(env: Mapping[str, str] | None = None) -> Limits:
    """The default limits, changed by PIA_APP_MAX_TABLE_ROWS / PIA_APP_MAX_RISK_ITEMS if set
    to a positive whole number (anything else is ignored)."""
    source = os.environ if env is None else env
    base = Limits()

    def number(name: str, default: int) -> int:
        raw = source.get(name, "").strip()
        return int(raw) if raw.isdigit() and int(raw) > 0 else default

    risks = _risk_table()
    risk = number(ENV_MAX_RISK_ITEMS, base.table_rows.get(risks, RISK_ROWS))
    return Limits(max_table_rows=number(ENV_MAX_TABLE_ROWS, base.max_table_rows), table_rows={risks: risk})


@dataclass(frozen=True)
class InputProblem:
    """Where (a question id, or a path in a file such as `revisions/0/answers/a_scope`), the
    locale key of the reason (`input.*`) and its parameters."""

    where: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def problem_error(problem: InputProblem, source: str = "") -> UserError:
    """The one-line UserError for `problem` (naming the file, if any, and the question)."""
    prefix = f"{source}: " if source else ""
    return UserError(
        f"error.{problem.key}", source=prefix, question=problem.where or "(top)", **problem.params
    )


def value_problem(value: Any, where: str, depth: int = 0) -> InputProblem | None:
    """The first thing in `value` (any decoded JSON) that cannot be stored safely, or None."""
    if depth > MAX_DEPTH:
        return InputProblem(where, "input.too_deep")
    if isinstance(value, str):
        return None if _encodable(value) else InputProblem(where, "input.bad_text")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if -MAX_ABS_NUMBER <= value <= MAX_ABS_NUMBER else _too_large(where)
    if isinstance(value, float):
        if not math.isfinite(value):
            return InputProblem(where, "input.not_finite")
        return None if abs(value) <= MAX_ABS_NUMBER else _too_large(where)
    if isinstance(value, Mapping):
        for key, item in value.items():
            inner = f"{where}/{key}" if where else str(key)
            if not isinstance(key, str) or not _encodable(key):
                return InputProblem(where, "input.bad_text")
            problem = value_problem(item, inner, depth + 1)
            if problem is not None:
                return problem
        return None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            problem = value_problem(item, f"{where}[{i + 1}]", depth + 1)
            if problem is not None:
                return problem
        return None
    return InputProblem(where, "input.bad_value")


def _too_large(where: str) -> InputProblem:
    return InputProblem(where, "input.too_large", {"limit": f"{MAX_ABS_NUMBER:,}"})


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_answers(answers: Mapping[str, Any], limits: Limits | None = None) -> list[InputProblem]:
    """Problems of a set of answers (question id → value), each naming its question: values
    that cannot be stored, tables over their row limit. Empty when the answers are safe."""
    chosen = limits or limits_from_env()
    problems: list[InputProblem] = []
    for qid, value in answers.items():
        problem = value_problem(value, str(qid))
        if problem is None and not _encodable(str(qid)):
            problem = InputProblem("?", "input.bad_text")
        if problem is not None:
            problems.append(problem)
            continue
        if isinstance(value, list):
            limit = chosen.rows_for(str(qid))
            if len(value) > limit:
                problems.append(
                    InputProblem(str(qid), "input.too_many_rows", {"rows": len(value), "limit": limit})
                )
    return problems


def check_document(data: Any, limits: Limits | None = None) -> InputProblem | None:
    """The first problem of a decoded import file: anything unsafe anywhere in it, then the
    row limits of every `answers` object in it (current answers, every revision)."""
    problem = value_problem(data, "")
    if problem is not None:
        return problem
    for where, answers in _answer_sets(data, ""):
        found = check_answers(answers, limits)
        if found:
            first = found[0]
            return InputProblem(f"{where}{first.where}", first.key, first.params)
    return None


def _answer_sets(data: Any, where: str) -> list[tuple[str, Mapping[str, Any]]]:
    out: list[tuple[str, Mapping[str, Any]]] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key == "answers" and isinstance(value, Mapping):
                out.append((f"{where}answers/", value))
            elif isinstance(value, (Mapping, list)):
                out.extend(_answer_sets(value, f"{where}{key}/"))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            out.extend(_answer_sets(item, f"{where}{i}/"))
    return out
