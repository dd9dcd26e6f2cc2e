"""Conditions on answers: when a section or question is shown, when a rule raises a finding.

Conditions are declared in YAML as small mappings, so they can be validated and shown, not run:

    {q: b_cross_border, eq: true}             a question's answer equals a value
    {q: b_minors, ne: none}  {q: x, in: [a, b]}  {q: x, not_in: [a]}
    {q: d_collected_forms, has: raw_image}    a multiple choice includes a code
    {q: x, has_any: [a, b]}  {q: x, has_all: [..]}  {q: x, lacks_any: [a, b]}
    {q: x, empty: true}                       unanswered, blank text or empty list
    {q: n, gte: 100000}  {q: d1, lt: {q: d2}} numbers or ISO dates, against a value or a question
    {q: d1, lt: {q: d2, add_years: 3}}       a date against another date moved by whole years
                                              (29 Feb + 1 year = 28 Feb); only for date questions
    {q: table, any_row: {col: c, eq: v}}      some row of a table matches (col = column id)
    {q: table, all_rows: ...}  {q: table, rows_lt: 1}
    {all: [...]}  {any: [...]}  {not: {...}}

Inside a rule, a leaf without `q` refers to the question the rule is declared on. Except for
`empty`, `rows_lt` and `not`, a test on an unanswered question is false: a finding is raised on what
was answered, never on what was not yet answered (completeness is checked separately).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from pia_app.forms.schema import Condition

LOGICAL = ("all", "any", "not")
COMPARE = ("gt", "gte", "lt", "lte")
SET_OPS = ("has", "has_any", "has_all", "lacks_any")
VALUE_OPS = ("eq", "ne", "in", "not_in")
TABLE_OPS = ("any_row", "all_rows", "rows_lt")
OPERATORS = (*VALUE_OPS, *SET_OPS, *COMPARE, *TABLE_OPS, "empty")

Answers = Mapping[str, Any]


def is_blank(value: Any) -> bool:
    """True for what counts as 'not answered': None, blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def same_answer(a: Any, b: Any) -> bool:
    """Equal answers, as a diff compares them: blank ("", [], None, absent) counts as one value,
    and values of different types differ (True is not 1)."""
    if is_blank(a) and is_blank(b):
        return True
    return bool(a == b and type(a) is type(b))


def operator_of(cond: Condition) -> str | None:
    ops = [k for k in cond if k in OPERATORS]
    return ops[0] if len(ops) == 1 else None


def evaluate(
    cond: Condition,
    answers: Answers,
    self_id: str | None = None,
    row: Mapping[str, Any] | None = None,
) -> bool:
    """Evaluate `cond` on `answers` (and, inside a table test, on one `row`)."""
    if "all" in cond:
        return all(evaluate(c, answers, self_id, row) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, answers, self_id, row) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], answers, self_id, row)

    op = operator_of(cond)
    if op is None:
        raise ValueError(f"condition has no single operator: {dict(cond)!r}")
    in_row = "col" in cond
    value = (row or {}).get(cond["col"]) if in_row else answers.get(cond.get("q") or self_id or "")
    arg = cond[op]

    if op == "empty":
        return is_blank(value) == bool(arg)
    if op == "rows_lt":
        return len(value) < int(arg) if isinstance(value, list) else int(arg) > 0
    if is_blank(value) and not isinstance(value, bool):
        return False

    if op == "eq":
        return bool(value == arg)
    if op == "ne":
        return bool(value != arg)
    if op == "in":
        return value in arg
    if op == "not_in":
        return value not in arg
    if op in SET_OPS:
        chosen = set(value) if isinstance(value, list) else {value}
        wanted = {arg} if op == "has" else set(arg)
        if op in ("has", "has_all"):
            return wanted <= chosen
        if op == "has_any":
            return bool(wanted & chosen)
        return bool(wanted - chosen)  # lacks_any
    if op in COMPARE:
        other = arg
        if isinstance(arg, Mapping):
            other = answers.get(arg["q"])
            if is_blank(other):
                return False
            if "add_years" in arg:
                moved = parse_date(other)
                if moved is None or parse_date(value) is None:
                    return False
                other = add_years(moved, int(arg["add_years"])).isoformat()
        return _compare(op, value, other)
    if op in ("any_row", "all_rows"):
        rows = [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []
        test = any if op == "any_row" else all
        return test(evaluate(arg, answers, self_id, r) for r in rows)
    raise ValueError(f"unknown operator {op}")


def parse_date(value: Any) -> dt.date | None:
    """An ISO date answer ("2026-11-22") as a date; None when blank or not a date."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _compare(op: str, left: Any, right: Any) -> bool:
    try:
        if isinstance(left, str) or isinstance(right, str):
            return _ordered(op, str(left), str(right))  # ISO dates compare as text
        return _ordered(op, float(left), float(right))
    except (TypeError, ValueError):
        return False


def _ordered(op: str, a: Any, b: Any) -> bool:
    if op == "gt":
        return bool(a > b)
    if op == "gte":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    return bool(a <= b)


def leaves(cond: Condition) -> Iterator[Condition]:
    """Every leaf test of a condition, including those nested in table tests."""
    for key in ("all", "any"):
        if key in cond:
            for c in cond[key]:
                yield from leaves(c)
            return
    if "not" in cond:
        yield from leaves(cond["not"])
        return
    yield cond
    for key in ("any_row", "all_rows"):
        if key in cond and isinstance(cond[key], Mapping):
            yield from leaves(cond[key])


def referenced_questions(cond: Condition, self_id: str | None = None) -> set[str]:
    """The question ids a condition reads (a leaf without q reads `self_id`)."""
    out: set[str] = set()
    for leaf in leaves(cond):
        if "col" in leaf:
            continue
        qid = leaf.get("q") or self_id
        if qid:
            out.add(qid)
        for op in COMPARE:
            if isinstance(leaf.get(op), Mapping) and "q" in leaf[op]:
                out.add(leaf[op]["q"])
    return out
