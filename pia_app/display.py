"""How answers and form labels read for a person: one helper for the report, the CLI, the diff
and the UI. It sits below `engine` and `report` (it imports only forms and i18n), so the engine's
comparison can use it without importing the report.

Form labels carry hints for whoever fills the questionnaire in ("（须说明）", "(explain)",
"（自动推导，可补充）"); those hints are listed in the locale catalogues (`display.form_hints`,
separated by "|") and removed here, because a reader of an answer is not asked to do anything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from pia_app.forms.citations import format_ref
from pia_app.forms.conditions import is_blank, same_answer
from pia_app.forms.schema import Column, Form, Option, Question, Section, Text
from pia_app.i18n import pick, t


@cache
def _hints(lang: str) -> tuple[str, ...]:
    hints: set[str] = set()
    for code in ("zh", "en"):  # a label may fall back to the other language
        hints.update(h for h in t("display.form_hints", code).split("|") if h)
    hints.discard("display.form_hints")
    return tuple(sorted(hints, key=len, reverse=True))


@cache
def _terms(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The report's terminology (`display.terms`: "from=>to|..."), e.g. one English term for
    个人信息处理者 ("personal information handler", as in the official translation)."""
    out = []
    for pair in t("display.terms", lang).split("|"):
        old, sep, new = pair.partition("=>")
        if sep and old:
            out.append((re.compile(rf"\b{re.escape(old)}\b"), new))
    return tuple(out)


def plain(text: str, lang: str) -> str:
    """A form text as a reader sees it: without the hints meant for whoever answers the
    questionnaire, and in the report's terminology."""
    for hint in _hints(lang):
        text = text.replace(hint, "")
    for pattern, new in _terms(lang):
        text = pattern.sub(new, text)
    return _ARTICLE.sub(lambda m: m.group(1) + NBSP, dates_in_text(text, lang)).strip()


NBSP = "\u00a0"
_ARTICLE = re.compile(r"\b(art\.|arts\.|cl\.|para\.|No\.|GB) (?=\d)")
"""An article or clause number stays on the line of its "art." / "cl.", a national standard's
number on the line of its "GB". Only these short pairs are joined: a joined "GB/T 35273-2020 6.3"
is wider than the narrow columns, and LibreOffice cuts a token wider than its column at an
arbitrary character ("GB/T 352|73-2020", "6.|3"); such a standard breaks at its spaces instead
(its number "35273-2020" is kept whole by report/nobreak.py). Measured in
tests/unit/test_report_linebreak.py."""


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")


def dates_in_text(text: str, lang: str) -> str:
    """ISO dates inside a form text written as the language writes dates (2025年5月28日)."""
    if lang != "zh":
        return text
    return _ISO_DATE.sub(lambda m: format_date(m.group(1), lang), text)


def form_text(texts: Text | None, lang: str) -> str:
    """A bilingual form text (message, measure, label) as a reader sees it."""
    return plain(pick(texts, lang), lang)


def label(item: Question | Column | Option | Section | None, lang: str, fallback: str = "") -> str:
    """The label (title of a section) of a form item as a reader should see it."""
    if item is None:
        return fallback
    text: Text = item.title if isinstance(item, Section) else item.label
    return plain(pick(text, lang), lang) or fallback


def list_sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def display_value(item: Question | Column, value: Any, lang: str) -> str:
    """An answer as a reader should see it; unanswered says so. Option codes become labels
    (an unknown code, from an older form, is shown as it was stored)."""
    if is_blank(value):
        return t("report.not_answered", lang)
    if item.type == "yesno":
        if isinstance(value, bool):
            return t("common.yes" if value else "common.no", lang)
        return str(value)
    if item.type == "single":
        opt = item.option(value) if isinstance(value, str) else None
        return label(opt, lang) if opt else str(value)
    if item.type == "multi":
        labels = []
        for code in value if isinstance(value, list) else [value]:
            opt = item.option(code) if isinstance(code, str) else None
            labels.append(label(opt, lang) if opt else str(code))
        return list_sep(lang).join(labels)
    if item.type == "number":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)
    if item.type == "date" and isinstance(value, str):
        return format_date(value, lang)
    if item.type == "table" and isinstance(item, Question):
        rows = value if isinstance(value, list) else []
        lines = [
            _row_text(i, row, _filled(item.columns, row), lang) if isinstance(row, Mapping) else f"{i}. "
            for i, row in enumerate(rows, start=1)
        ]
        return "\n".join(lines) if lines else t("report.not_answered", lang)
    return str(value)


def _filled(columns: Sequence[Column], row: Mapping[str, Any]) -> list[Column]:
    return [c for c in columns if not is_blank(row.get(c.id))]


def _row_text(number: int, row: Mapping[str, Any], columns: Sequence[Column], lang: str) -> str:
    """ "3. Column: value; Column: value" — a table row as every display of a table writes it."""
    sep = "：" if lang == "zh" else ": "
    cells = [f"{label(c, lang)}{sep}{display_value(c, row.get(c.id), lang)}" for c in columns]
    return f"{number}. " + list_sep(lang).join(cells)


def table_change_text(q: Question, old: Any, new: Any, lang: str) -> tuple[str, str]:
    """A table answer's change as (before, after), showing only the rows that changed: a row
    added or removed in full, a changed row by its first column and the cells that changed. Rows
    keep the numbers `display_value` gives them. A one-field change in a ten-row plan is one
    line each side, not the whole plan twice (a re-review's change list is read by auditors)."""
    old_rows = [r for r in old if isinstance(r, Mapping)] if isinstance(old, list) else []
    new_rows = [r for r in new if isinstance(r, Mapping)] if isinstance(new, list) else []
    before: list[str] = []
    after: list[str] = []
    for i in range(max(len(old_rows), len(new_rows))):
        a = old_rows[i] if i < len(old_rows) else None
        b = new_rows[i] if i < len(new_rows) else None
        if a is not None and b is not None:
            changed = [c for c in q.columns if not same_answer(a.get(c.id), b.get(c.id))]
            if not changed:
                continue
            shown = ([q.columns[0]] if q.columns and q.columns[0] not in changed else []) + changed
            before.append(_row_text(i + 1, a, shown, lang))
            after.append(_row_text(i + 1, b, shown, lang))
        elif a is not None:
            before.append(_row_text(i + 1, a, _filled(q.columns, a), lang))
        elif b is not None:
            after.append(_row_text(i + 1, b, _filled(q.columns, b), lang))
    empty = t("report.not_answered", lang) if not old_rows else "—"
    return (
        "\n".join(before) or empty,
        "\n".join(after) or (t("report.not_answered", lang) if not new_rows else "—"),
    )


def table_rows(q: Question, value: Any, lang: str) -> list[list[str]]:
    """A table answer's rows as display strings, one per column of `q`."""
    if not isinstance(value, list):
        return []
    return [
        [display_value(c, row.get(c.id), lang) for c in q.columns]
        for row in value
        if isinstance(row, Mapping)
    ]


def format_date(value: str, lang: str) -> str:
    """An ISO date as a reader writes it: 2026年11月5日 in Chinese, 2026-11-05 in English (the
    unambiguous form). Anything that is not an ISO date is returned as it is."""
    try:
        day = dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return value
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def _no_split(citation: str) -> str:
    """ "art. 14", "cl. 6.3" made non-breaking (see _ARTICLE)."""
    return _ARTICLE.sub(lambda m: m.group(1) + NBSP, citation)


def citations(form: Form, refs: tuple[str, ...] | list[str], lang: str) -> str:
    """The citations of `refs`, never split inside a number; lines break between citations or
    between the words of a name or standard."""
    return list_sep(lang).join(_no_split(dates_in_text(format_ref(form, r, lang), lang)) for r in refs)
