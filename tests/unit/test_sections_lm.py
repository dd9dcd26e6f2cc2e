"""Sections L and M: help in both languages everywhere, and the codes the engine relies on."""

from __future__ import annotations

from typing import Any

import pytest

from pia_app.engine.grade import conclusion_role


@pytest.mark.parametrize("section_id", ["L", "M"])
def test_every_question_and_column_has_help_in_both_languages(form: Any, section_id: str) -> None:
    section = form.section(section_id)
    assert section is not None
    for q in section.questions:
        assert q.help.get("zh") and q.help.get("en"), q.id
        assert q.label.get("zh") and q.label.get("en"), q.id
        for col in q.columns:
            assert col.help.get("zh") and col.help.get("en"), f"{q.id}.{col.id}"


def test_l_and_m_come_last_in_wizard_order(form: Any) -> None:
    assert [s.id for s in form.sections][-2:] == ["L", "M"]


def test_engine_columns_exist(form: Any) -> None:
    risks = form.question(form.role("tables", "risks"))
    for col in (
        "risk_id",
        "act_ref",
        "threat_event",
        "affected_scale",
        "impact_adjust",
        "impact_adjust_reason",
        "lik_adjust",
        "lik_adjust_reason",
        "residual_level",
    ):
        assert risks.column(col) is not None, col
    treatments = form.question(form.role("tables", "treatments"))
    for col in ("ref_id", "measure", "residual_level"):
        assert treatments.column(col) is not None, col
    conclusion_id, may_proceed, _ = conclusion_role(form)
    conclusion = form.question(conclusion_id)
    assert conclusion.option(may_proceed) is not None
    assert [o.code for o in conclusion.options] == ["may_proceed", "proceed_after_fix", "should_not_proceed"]


def test_dates_the_engine_reads_are_date_questions(form: Any) -> None:
    for qid in ("m_report_date", "m_retain_until", "m_next_review"):
        assert form.question(qid).type == "date"
