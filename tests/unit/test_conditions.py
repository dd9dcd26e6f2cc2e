"""The condition grammar, operator by operator, including unanswered and hidden questions."""

from __future__ import annotations

from typing import Any

import pytest

from pia_app.forms.answers import effective_answers, missing_required, visible_question_ids
from pia_app.forms.conditions import evaluate, referenced_questions

ANSWERS: dict[str, Any] = {
    "s": "b",
    "m": ["x", "y"],
    "yes": True,
    "no": False,
    "n": 10,
    "d1": "2026-01-05",
    "d2": "2026-02-01",
    "t": [{"c": True, "k": "a"}, {"c": False}],
    "blank": "   ",
}


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        ({"q": "s", "eq": "b"}, True),
        ({"q": "s", "eq": "c"}, False),
        ({"q": "s", "ne": "c"}, True),
        ({"q": "missing", "ne": "c"}, False),  # unanswered: no finding on what is not answered
        ({"q": "s", "in": ["a", "b"]}, True),
        ({"q": "s", "not_in": ["a", "b"]}, False),
        ({"q": "m", "has": "x"}, True),
        ({"q": "m", "has": "z"}, False),
        ({"q": "m", "has_any": ["z", "y"]}, True),
        ({"q": "m", "has_all": ["x", "y"]}, True),
        ({"q": "m", "has_all": ["x", "z"]}, False),
        ({"q": "m", "lacks_any": ["x", "z"]}, True),
        ({"q": "m", "lacks_any": ["x", "y"]}, False),
        ({"q": "missing", "lacks_any": ["x"]}, False),
        ({"q": "yes", "eq": True}, True),
        ({"q": "no", "eq": False}, True),
        ({"q": "no", "eq": True}, False),
        ({"q": "n", "gte": 10}, True),
        ({"q": "n", "gt": 10}, False),
        ({"q": "n", "lt": 11}, True),
        ({"q": "d1", "lt": {"q": "d2"}}, True),
        ({"q": "d2", "lte": {"q": "d1"}}, False),
        ({"q": "d1", "lt": {"q": "missing"}}, False),
        ({"q": "blank", "empty": True}, True),
        ({"q": "missing", "empty": True}, True),
        ({"q": "s", "empty": True}, False),
        ({"q": "t", "any_row": {"col": "c", "eq": True}}, True),
        ({"q": "t", "all_rows": {"col": "c", "eq": True}}, False),
        ({"q": "t", "any_row": {"col": "k", "eq": "a"}}, True),
        ({"q": "t", "rows_lt": 3}, True),
        ({"q": "missing", "rows_lt": 1}, True),
        ({"all": [{"q": "s", "eq": "b"}, {"q": "yes", "eq": True}]}, True),
        ({"all": [{"q": "s", "eq": "b"}, {"q": "yes", "eq": False}]}, False),
        ({"any": [{"q": "s", "eq": "z"}, {"q": "yes", "eq": True}]}, True),
        ({"not": {"q": "s", "eq": "b"}}, False),
    ],
)
def test_operators(cond: dict[str, Any], expected: bool) -> None:
    assert evaluate(cond, ANSWERS) is expected


def test_leaf_without_q_reads_the_rule_question() -> None:
    assert evaluate({"eq": "b"}, ANSWERS, self_id="s")
    assert referenced_questions({"all": [{"eq": 1}, {"q": "x", "lt": {"q": "y"}}]}, "own") == {
        "own",
        "x",
        "y",
    }


def test_hidden_answers_do_not_count(form) -> None:  # type: ignore[no-untyped-def]
    answers = {"b_uses_face_recognition": False, "b_rd_training_only": True, "b_minors": "none"}
    assert "b_rd_training_only" not in visible_question_ids(form, answers)
    assert "b_rd_training_only" not in effective_answers(form, answers)
    answers["b_uses_face_recognition"] = True
    assert "b_rd_training_only" in effective_answers(form, answers)


def test_missing_required_follows_visibility(form) -> None:  # type: ignore[no-untyped-def]
    base = missing_required(form, {"d_continuous_capture": False})
    assert "d_continuous_justification" not in base
    shown = missing_required(form, {"d_continuous_capture": True})
    assert "d_continuous_justification" in shown
    assert "a_assessors" in base
