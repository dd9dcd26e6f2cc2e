"""The gate before submitting for review and approving: the assessment must be complete.

Both `pia-app submit/approve` and the main window's Assessment menu call `require_complete`
before the store's `submit` / `approve`, so an assessment with required answers missing is
never sent for review or signed off (issue 8). The store itself stays free of questionnaire
logic. Pure: no Qt.
"""

from __future__ import annotations

from typing import Any, Protocol


class _Store(Protocol):
    def get(self, assessment_id: int) -> Any: ...

    def revision(self, assessment_id: int, number: int | None = None) -> Any: ...


def require_complete(store: _Store, assessment_id: int, action: str) -> None:
    """Raise `IncompleteError` (a UserError: one line naming the missing questions by section)
    when the current revision of a stored assessment of the built-in form has required answers
    missing. `action` is "submit" or "approve". A revision that is no longer a draft is not
    re-checked on submit (the store says what is wrong with it)."""
    from pia_app.engine.completeness import require_complete as check
    from pia_app.forms.loader import default_form

    summary = store.get(assessment_id)
    rev = store.revision(assessment_id, summary.current_revision)
    if action == "submit" and rev.status != "draft":
        return
    if action == "approve" and rev.status != "in_review":
        return
    form = default_form()
    if form.id == summary.form_id:
        check(form, rev.answers, action)
