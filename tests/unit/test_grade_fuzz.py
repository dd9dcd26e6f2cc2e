"""Any answers that pass validation grade without an exception, to plain JSON, with levels 1..4.

The wizard grades on every keystroke and `pia-app grade` grades whatever file it is given, so
a crash here would be a crash in front of the user.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pia_app.engine.grade import grade_assessment, grading_to_json
from pia_app.forms.answers import contradictions, validate_answers
from pia_app.forms.loader import default_form
from pia_app.forms.schema import Column, Question

FORM = default_form()
_DATES = st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)


def _value(q: Question | Column) -> st.SearchStrategy[Any]:
    if q.type == "text":
        return st.text(max_size=8)
    if q.type == "yesno":
        return st.booleans()
    if q.type == "number":
        return st.one_of(st.integers(0, 30_000_000), st.floats(0, 1e8, allow_nan=False))
    if q.type == "date":
        return _DATES
    codes = [o.code for o in q.options]
    if q.type == "single":
        return st.sampled_from(codes)
    if q.type == "multi":
        # An exclusive option ("none of these") stands alone; ticked with others it is refused.
        alone = [o.code for o in q.options if o.exclusive]
        others = [o.code for o in q.options if not o.exclusive]
        return st.one_of(
            st.lists(st.sampled_from(others), max_size=4, unique=True) if others else st.just([]),
            *([st.sampled_from(alone).map(lambda c: [c])] if alone else []),
        )
    assert isinstance(q, Question)
    row = st.fixed_dictionaries({}, optional={c.id: _value(c) for c in q.columns})
    return st.lists(row, max_size=3)


# The questions that steer visibility, grading and dates, plus a random sample of the rest.
_KEY = [
    "b_data_types",
    "b_uses_face_recognition",
    "b_rd_training_only",
    "b_deep_synthesis_role",
    "b_biometric_edit_feature",
    "b_minors",
    "b_cross_border",
    "b_subject_count",
    "b_face_stored_count",
    "b_pia_triggers",
    "g_entrusts",
    "g_entrusted",
    "g_provide_to_others",
    "g_public_disclosure",
    "d_secondary_use",
    "h_filing_status",
    "h_filing_reached_date",
    "l_risks",
    "m_treatments",
    "m_conclusion",
    "m_report_date",
    "m_retain_until",
    "m_next_review",
]
_ANSWERS = st.fixed_dictionaries(
    {},
    optional={qid: _value(FORM.questions[qid]) for qid in _KEY}
    | {q.id: _value(q) for q in list(FORM.questions.values())[::7]},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=_ANSWERS)
def test_valid_answers_always_grade(answers: dict[str, Any]) -> None:
    assume(not contradictions(FORM, answers))  # cross-question contradictions: refused, never graded
    assert validate_answers(FORM, answers) == []
    grading = grade_assessment(FORM, answers, today=dt.date(2026, 11, 22))
    for lang in ("zh", "en"):
        json.dumps(grading_to_json(FORM, grading, lang))
    levels = [grading.risk.overall] + [i.level for i in grading.risk.items]
    assert all(lv is None or 1 <= lv <= 4 for lv in levels)
    if grading.risk.items:
        assert grading.risk.overall == max(
            (i.level for i in grading.risk.items if i.level is not None), default=None
        )
    assert set(grading.derived_triggers or []) <= set(grading.triggers)
