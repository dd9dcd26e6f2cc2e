"""Deep Synthesis Provisions art. 17: a provider whose services are all of art. 17(1) is not asked
art. 17(2) once it says so (QA walk 2 #11); unanswered, art. 17(2) is asked as before, so a
revision approved before the gate question existed stays complete (re-check #41)."""

from __future__ import annotations

from typing import Any

from pia_app.engine.grade import grade_assessment
from pia_app.forms.answers import visible_question_ids
from pia_app.interchange import load_assessment_file
from tests.conftest import EXAMPLES

GATE, ART_17_2 = "i_other_services", "i_non_17_function"


def face_swap(form: Any) -> dict[str, Any]:
    return dict(load_assessment_file(EXAMPLES / "face_swap_video_app.json", form).answers)


def test_art_17_2_is_asked_only_when_other_services_are_offered_or_unsaid(form: Any) -> None:
    answers = face_swap(form)
    assert answers["i_explicit_required"] is True
    assert ART_17_2 in visible_question_ids(form, {**answers, GATE: True})
    assert ART_17_2 not in visible_question_ids(form, {**answers, GATE: False})
    assert ART_17_2 in visible_question_ids(form, {k: v for k, v in answers.items() if k != GATE})
    outside = {**answers, "i_explicit_required": False, GATE: None}
    assert GATE not in visible_question_ids(form, outside) and ART_17_2 in visible_question_ids(form, outside)


def test_a_record_made_before_the_gate_question_stays_complete(form: Any) -> None:
    before = {k: v for k, v in face_swap(form).items() if k != GATE}
    assert grade_assessment(form, before).unanswered_required == []
