"""Completeness: which required questions that apply are still unanswered, section by section.

An assessment with required answers missing cannot conclude "may proceed", be submitted for
review or be approved: a blank answer is not the same as "nothing is in place" (a question that
lists measures has an explicit `none` option for that). The wizard shows these counts per page,
`pia-app grade` lists the missing questions by section, and the report marks an incomplete
assessment as a draft. Pure: no Qt, no database.

What counts as unanswered is `pia_app.forms.answers.missing_required`: a required question that
applies (its own and its section's `show_if` hold) whose answer is blank, or a table with fewer
rows than its `min_rows` (at least one). Computed questions are never counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia_app.forms.answers import missing_required, visible_question_ids
from pia_app.forms.schema import Form, Text


@dataclass(frozen=True)
class SectionCompleteness:
    """One section that applies: how many of its required questions are answered."""

    section_id: str
    title: Text
    required: int
    """Required questions of the section that apply (computed ones excluded)."""
    answered: int
    """Of those, how many are answered."""
    missing: tuple[str, ...]
    """Ids of the required questions still unanswered, in form order."""

    @property
    def complete(self) -> bool:
        return not self.missing


def section_completeness(form: Form, answers: Mapping[str, Any]) -> list[SectionCompleteness]:
    """Per section that applies (in wizard order): required, answered and missing question ids.

    A section applies when at least one of its questions does; sections without required
    questions that apply are still listed (required = answered = 0), so a caller can show every
    page it shows.
    """
    shown = visible_question_ids(form, answers)
    missing = set(missing_required(form, answers))
    out: list[SectionCompleteness] = []
    for section in form.sections:
        applicable = [q for q in section.questions if q.id in shown]
        if not applicable:
            continue
        required = [q.id for q in applicable if q.required and not q.computed]
        gaps = tuple(qid for qid in required if qid in missing)
        out.append(
            SectionCompleteness(
                section_id=section.id,
                title=section.title,
                required=len(required),
                answered=len(required) - len(gaps),
                missing=gaps,
            )
        )
    return out


def unanswered_required(completeness: list[SectionCompleteness]) -> list[str]:
    """Every missing required question id, in form order."""
    return [qid for s in completeness for qid in s.missing]
