"""What the UI asks the engine about completeness and gap numbers, in one place.

The engine computes both (issue 8: `pia_app.engine.completeness.section_completeness` and
`Finding.number`); this module only reads them, with a fallback for an engine that does not have
them yet, built from the same form helpers (`missing_required`, `visible_question_ids`) so that
the counts mean the same thing either way. Nothing here decides a rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia_app.engine.findings import Finding
from pia_app.forms.answers import missing_required, visible_question_ids
from pia_app.forms.schema import Form


@dataclass(frozen=True)
class SectionCount:
    """One section that applies: its required questions, how many answered, which missing."""

    section_id: str
    required: int
    answered: int
    missing: tuple[str, ...]


def section_counts(form: Form, answers: Mapping[str, Any]) -> list[SectionCount]:
    """Per section that applies, in form order (the engine's `section_completeness`)."""
    try:
        module = importlib.import_module("pia_app.engine.completeness")
    except ImportError:
        module = None
    if module is not None and hasattr(module, "section_completeness"):
        return [
            SectionCount(s.section_id, int(s.required), int(s.answered), tuple(s.missing))
            for s in module.section_completeness(form, answers)
        ]
    shown = visible_question_ids(form, answers)
    missing = set(missing_required(form, answers))
    out = []
    for section in form.sections:
        applicable = [q for q in section.questions if q.id in shown]
        if not applicable:
            continue
        required = [q.id for q in applicable if q.required and not q.computed]
        gaps = tuple(qid for qid in required if qid in missing)
        out.append(SectionCount(section.id, len(required), len(required) - len(gaps), gaps))
    return out


def gap_number(finding: Finding) -> str:
    """The finding's stable gap number ("D-03") when the engine gives one, else ""."""
    return str(getattr(finding, "number", "") or "")
