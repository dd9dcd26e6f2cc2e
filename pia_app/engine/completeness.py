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

from pia_app.errors import UserError
from pia_app.forms.answers import contradictions, missing_required, visible_question_ids
from pia_app.forms.schema import Form, Text
from pia_app.i18n import pick, t


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


LISTED = 8
"""How many missing questions a one-line refusal names before saying "and N more"."""


class IncompleteError(UserError):
    """Submitting for review or approving an assessment with required answers missing.

    One line in the user's language, naming the missing questions by section (the first
    `LISTED`, then how many more): the CLI prints it and exits 2, the GUI shows it.
    `missing` keeps the full list per section for a dialog that links to each question.
    """

    def __init__(self, action: str, form: Form, missing: list[SectionCompleteness]) -> None:
        super().__init__(
            "error.incomplete",
            action_key=f"error.incomplete.{action}",
            count=sum(len(s.missing) for s in missing),
        )
        self.form = form
        self.missing = missing

    def message(self, lang: str | None = None) -> str:
        sep = t("error.incomplete.sep", lang)
        colon, comma = ("：", "、") if sep == "；" else (": ", ", ")
        parts: list[str] = []
        named = 0
        for sec in self.missing:
            room = LISTED - named
            if room <= 0:
                break
            labels = []
            for qid in sec.missing[:room]:
                q = self.form.question(qid)
                labels.append(pick(q.label, lang) if q else qid)
            named += len(labels)
            parts.append(f"{pick(sec.title, lang)}{colon}{comma.join(labels)}")
        text = super().message(lang) + sep.join(parts)
        more = int(self.params["count"]) - named
        if more > 0:
            text += t("error.incomplete.more", lang, count=more)
        return text


def require_complete(form: Form, answers: Mapping[str, Any], action: str) -> None:
    """Raise IncompleteError when a required question that applies is unanswered, and a
    UserError when answers contradict each other (pia_app.forms.answers.contradictions).

    `action` is "submit" or "approve" (it names what was refused); see pia_app/signoff.py.
    """
    missing = [s for s in section_completeness(form, answers) if s.missing]
    if missing:
        raise IncompleteError(action, form, missing)
    clash = contradictions(form, answers)
    if clash:
        p = clash[0]
        reason = p.message or {lang: t(p.key, lang) for lang in ("zh", "en")}
        raise UserError(
            "error.contradiction",
            action_key=f"error.incomplete.{action}",
            question=p.question_id,
            reason=pick(reason),
        )
