"""What every part of the report context needs: the answers as a reader sees them, colours,
short excerpts. Plain data out; no None (the render helper refuses it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.display import display_value, label, list_sep
from pia_app.forms.answers import effective_answers, visible_question_ids
from pia_app.forms.citations import applicable_sources
from pia_app.forms.schema import Form
from pia_app.i18n import t
from pia_app.report.charts import LEVEL_HEX

WIDE_TABLE = 6
"""Table answers with more columns than this are printed row by row (see table_block)."""

SUMMARY_LIMIT = 1500
"""Longest answer the compliance tables quote; the appendix always has the full text. (A table
cell of 100,000 characters also makes LibreOffice's layout take minutes.)"""

COVER_LIMIT = 200
"""Longest answer the cover and the management summary quote (a few lines)."""

SEVERITY_HEX = {"S1": LEVEL_HEX[3], "S2": LEVEL_HEX[2], "S3": LEVEL_HEX[1], "S4": LEVEL_HEX[0]}
WHITE = "FFFFFF"
RED = LEVEL_HEX[3]
LEVEL_CODES = ("low", "medium", "high", "severe")


def s(value: Any) -> str:
    """Any caller-supplied value as text; None is empty."""
    return "" if value is None else str(value)


def level_colour(n: int | None) -> str:
    return LEVEL_HEX[n - 1] if n is not None and n in (1, 2, 3, 4) else WHITE


class Ctx:
    """The pieces every part of the context needs."""

    def __init__(self, form: Form, answers: Mapping[str, Any], lang: str) -> None:
        self.form = form
        self.answers = answers
        self.lang = lang
        self.visible = visible_question_ids(form, answers)
        self.eff = effective_answers(form, answers)
        self.applies = applicable_sources(form, answers)  # issue 8: cite only laws that apply
        self.na = t("report.not_answered", lang)
        self.sep = list_sep(lang)

    def role(self, name: str, group: str = "report") -> str:
        """The question the form's `roles:` block names for what the report does here
        (form.yaml `roles.report`, or another group): no question id is written in the report
        code, so a second questionnaire reports with the same code."""
        return self.form.role(group, name)

    def ans(self, qid: str) -> str:
        """The displayed answer of a question that applies; "not answered" otherwise."""
        q = self.form.question(qid)
        if q is None or qid not in self.visible:
            return self.na
        return display_value(q, self.answers.get(qid), self.lang)

    def answered(self, qid: str) -> bool:
        return qid in self.eff

    def with_note(self, qid: str, note_qid: str) -> str:
        text = self.ans(qid)
        if self.answered(note_qid):
            text += ("。" if self.lang == "zh" else ". ") + self.ans(note_qid)
        return text.rstrip("。.；; ")

    def label(self, qid: str) -> str:
        return label(self.form.question(qid), self.lang, qid)

    def rows(self, qid: str) -> list[Mapping[str, Any]]:
        value = self.eff.get(qid)
        return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def excerpt(text: str, lang: str, limit: int = 0, pointer: str = "report.see_appendix") -> str:
    """`text` cut at `limit` characters with a pointer to where the full text is."""
    limit = limit or SUMMARY_LIMIT
    if len(text) <= limit:
        return text
    return text[:limit] + t(pointer, lang)


def names(team: Sequence[Mapping[str, str]], lang: str, limit: int = 8) -> str:
    """The team's names for the cover; a long team is cut short (part 1 lists everyone)."""
    all_names = [m["name"] for m in team]
    text = ("、" if lang == "zh" else ", ").join(excerpt(n, lang, 80) for n in all_names[:limit])
    if len(all_names) > limit:
        text += t("report.and_more", lang, count=len(all_names))
    return text


def table_block(columns: list[str], rows: list[list[str]], lang: str) -> dict[str, Any]:
    """A table answer for layout: a Word table when it has at most WIDE_TABLE columns
    (kind "table"), otherwise one small label/value table per row (kind "records"), titled by
    its first cell, because 18 columns across a page leave one character per line."""
    records = []
    if len(columns) > WIDE_TABLE:
        na = t("report.not_answered", lang)
        for i, row in enumerate(rows, start=1):
            first = row[0] if row and row[0] != na else ""
            records.append(
                {
                    "title": t("report.record", lang, n=i, title=excerpt(first, lang, 120)).strip(),
                    "fields": [{"label": k, "value": v} for k, v in zip(columns, row, strict=False)],
                }
            )
    return {
        "kind": "records" if records else "table",
        "columns": columns,
        "rows": rows,
        "records": records,
    }


def rows_of(items: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> list[dict[str, str]]:
    return [{k: s(row.get(k)) for k in keys} for row in items if isinstance(row, Mapping)]
