"""What the UI asks the engine about completeness and gap numbers, in one place.

The engine computes both (`pia_app.engine.completeness.section_completeness`, `Finding.number`);
the UI only reads them through these two helpers, so the sidebar, the findings panel and the list
count the same way as `pia-app grade` and the report. Nothing here decides a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pia_app.engine.completeness import SectionCompleteness, section_completeness
from pia_app.engine.findings import Finding
from pia_app.forms.schema import Form

SectionCount = SectionCompleteness


def section_counts(form: Form, answers: Mapping[str, Any]) -> list[SectionCompleteness]:
    """Per section that applies, in form order: required, answered, missing question ids."""
    return section_completeness(form, answers)


def gap_number(finding: Finding) -> str:
    """The finding's stable gap number ("D-03"); "" for one the form does not number."""
    return finding.number or ""
