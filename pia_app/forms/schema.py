"""The typed model of a questionnaire (a *form*).

A form is loaded from YAML (see `loader.py` and docs/forms.md). Everything here is immutable
plain data: the rules engine, the report and the GUI read it, none of them changes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

Text = Mapping[str, str]
"""A text in both languages: {"zh": ..., "en": ...}."""

Condition = Mapping[str, Any]
"""A condition on answers, as declared in YAML (see conditions.py for the grammar)."""

ANSWER_TYPES = ("text", "single", "multi", "yesno", "number", "date", "table")
COLUMN_TYPES = ("text", "single", "multi", "yesno", "number", "date")
SEVERITIES = ("S1", "S2", "S3", "S4")


@dataclass(frozen=True)
class Option:
    code: str
    label: Text
    exclusive: bool = False
    """In a multiple choice, this option ("none of these", "not involved") cannot be ticked
    together with any other: the answer would contradict itself."""


@dataclass(frozen=True)
class Column:
    id: str
    type: str
    label: Text
    options: tuple[Option, ...] = ()
    required: bool = False
    help: Text = field(default_factory=dict)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Rule:
    """A declared gap rule: when `when` holds on the answers, a finding is raised.

    `number` is the gap number users see and treatment rows cite ("D-03"): declared in the form
    data beside the rule, so it never changes when other findings come and go. The rule `id` is
    internal and never shown to a user.
    """

    id: str
    question_id: str
    section_id: str
    when: Condition
    severity: str
    refs: tuple[str, ...]
    message: Text
    measure: Text
    theme: str = ""
    number: str = ""
    practice: Text = field(default_factory=dict)
    """A design choice of this project behind the rule ("审慎做法 / prudent practice"): shown as a
    note beside the citations, never as a legal basis. Empty when the rule rests on law alone."""


@dataclass(frozen=True)
class ConsistencyCheck:
    """Answers of several questions that contradict each other (forms/<form>/consistency.yaml):
    when `when` holds on the answers that apply, the file check refuses them."""

    id: str
    questions: tuple[str, ...]
    when: Condition
    message: Text


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Text
    section_id: str
    help: Text = field(default_factory=dict)
    required: bool = False
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    columns: tuple[Column, ...] = ()
    refs: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    multiline: bool = False
    min_rows: int = 0
    default: Any = None
    computed: bool = False
    theme: str = ""

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def column(self, col_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == col_id), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]
    intro: Text = field(default_factory=dict)
    show_if: Condition | None = None
    theme: str = ""


@dataclass(frozen=True)
class Source:
    """A law or standard that questions cite, e.g. `pipl` → PIPL / 《个人信息保护法》."""

    code: str
    name: Text
    short: Text
    cite: Text
    status: str = ""
    applies_if: Condition | None = None
    """The facts under which the source applies at all (None: always); a rule may cite it only
    then (pia_app.forms.citations.source_applies)."""


@dataclass(frozen=True)
class Form:
    id: str
    version: str
    title: Text
    sections: tuple[Section, ...]
    sources: Mapping[str, Source]
    data: Mapping[str, Any] = field(default_factory=dict)
    """Further declared data (risk matrix, level scales, themes) keyed by name."""
    path: str = ""
    roles: Mapping[str, Any] = field(default_factory=dict)
    """What the engine needs to know about particular questions (form.yaml `roles:`): the PIPL
    art. 55 trigger question and the conditions deriving each trigger, the conclusion question
    and its codes, the tables, dates and facts the engine reads, what the store records and
    what the report prints where. See docs/forms.md."""
    consistency: tuple[ConsistencyCheck, ...] = ()
    """Cross-question contradictions (`data: {consistency: consistency.yaml}`)."""
    derived_rules: Mapping[str, Rule] = field(default_factory=dict)
    """Findings the engine derives from the grading itself (not from one question's answer),
    keyed by rule id: their number, severity, citations and texts are form data
    (`data: {derived: derived.yaml}`); their `when` is empty because the engine decides."""

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}

    @cached_property
    def rules(self) -> list[Rule]:
        return [r for s in self.sections for q in s.questions for r in q.rules]

    @cached_property
    def rules_by_number(self) -> dict[str, Rule]:
        """Every rule, declared or derived, by its gap number ("D-03")."""
        out = {r.number: r for r in self.rules if r.number}
        out.update({r.number: r for r in self.derived_rules.values() if r.number})
        return out

    def question(self, qid: str) -> Question | None:
        return self.questions.get(qid)

    def role(self, group: str, name: str) -> str:
        """The question id (or code) the form's `roles:` block names for `group.name`, e.g.
        role("dates", "go_live") → the planned start of processing's question; "" when the form names none
        (then nothing is read: a form without, say, a filing question simply has no filing)."""
        block = self.roles.get(group)
        value = block.get(name) if isinstance(block, Mapping) else None
        return str(value) if value else ""

    def section(self, sid: str) -> Section | None:
        return next((s for s in self.sections if s.id == sid), None)
