"""Which questions the store reads: the form's `roles.record` block and its treatment and risk
tables (forms/*/form.yaml `roles:`).

The store keeps a title, a next-review date and a retention date per assessment, and writes a
re-review's reason into the new revision; which answers hold these is form data, never a
question id in store code, so a second questionnaire needs no store change. The store asks
the form only for these names (through `Form.role`); it does not load forms itself unless no
caller gave them (then the bundled form, the one the application runs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class HasRoles(Protocol):
    def role(self, group: str, name: str) -> str: ...


@dataclass(frozen=True)
class RecordRoles:
    title: str = ""
    """The assessment's name in the list (kept in `assessments.title` on every save)."""
    assessment_type: str = ""
    """The question a re-review's reason is written into in the new revision."""
    report_date: str = ""
    """Retention (+3 years, PIPL art. 56) and the default next review run from it."""
    retain_until: str = ""
    """A declared retention end, used when later than three years."""
    next_review: str = ""
    treatments: str = ""
    """The treatment plan table (`roles.tables.treatments`): follow-up marks its rows done."""
    risks: str = ""
    """The risk items table (`roles.tables.risks`): it has a lower row limit."""

    @classmethod
    def of(cls, form: HasRoles) -> RecordRoles:
        """The names a form's `roles.record` block gives ("" for those it does not name)."""
        tables = ("treatments", "risks")
        return cls(
            **{n: form.role("tables" if n in tables else "record", n) for n in cls.__dataclass_fields__}
        )

    @classmethod
    def bundled(cls) -> RecordRoles:
        """The bundled form's names (loaded, and cached, on first use only)."""
        from pia_app.forms.loader import default_form

        return cls.of(default_form())
