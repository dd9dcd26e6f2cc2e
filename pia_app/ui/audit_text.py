"""The audit trail in the user's language: actions as words, questions by their labels, statuses
and reasons by their names, never ids or Python dict text.

Unknown actions and fields still show (as "key: value"), so nothing recorded is ever hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pia_app.display import display_value
from pia_app.forms.schema import Form
from pia_app.i18n import current_language, pick, t

HIDDEN_FIELDS = frozenset({"state", "states", "content_hash"})
VALUE_CHARS = 40
"""Characters of an old or new answer shown in the trail (the tooltip has the whole line)."""
"""Technical fields of an entry (the hash-chain's revision state) that say nothing to a reader."""
MAX_QUESTIONS = 6


def action_label(action: str) -> str:
    key = f"ui.audit.{action}"
    text = t(key)
    return action if text == key else text


def _status(code: Any) -> str:
    key = f"status.{code}"
    text = t(key)
    return str(code) if text == key else text


def _reason(form: Form, code: Any) -> str:
    q = form.question(form.role("record", "assessment_type"))
    opt = q.option(str(code)) if q else None
    return pick(opt.label) if opt else str(code)


def question_labels(form: Form, qids: list[str]) -> str:
    """Question labels for a list of ids, shortened to MAX_QUESTIONS and "and n more"."""
    labels = []
    for qid in qids[:MAX_QUESTIONS]:
        q = form.question(qid)
        labels.append(pick(q.label) if q else qid)
    joiner = "、" if current_language() == "zh" else "; "
    text = joiner.join(labels)
    if len(qids) > MAX_QUESTIONS:
        text += t("ui.audit.more", count=len(qids) - MAX_QUESTIONS)
    return text


def value_text(form: Form, qid: str, value: Any) -> str:
    """An old or new answer as the trail shows it: option labels, a table's row count, a long
    text logged as its hash said to be one, the rest cut to VALUE_CHARS."""
    lang = current_language()
    q = form.question(qid)
    if isinstance(value, Mapping) and "sha256" in value:
        return t("ui.audit.long_value", chars=value.get("chars", "?"))
    if q is not None and q.type == "table":
        rows = len(value) if isinstance(value, list) else 0
        return t("ui.audit.rows", count=rows) if rows else t("report.not_answered")
    text = display_value(q, value, lang) if q is not None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def changes_text(form: Form, changes: Mapping[str, Any]) -> str:
    """ "question: old → new" for each changed answer (it said only which questions changed;
    QA walk 2 #18), at most MAX_QUESTIONS, then "and n more"."""
    lang = current_language()
    colon, joiner = ("：", "；") if lang == "zh" else (": ", "; ")
    qids = sorted(changes)
    parts = []
    for qid in qids[:MAX_QUESTIONS]:
        q = form.question(qid)
        pair = changes[qid]
        old, new = (pair[0], pair[1]) if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        name = pick(q.label) if q else qid
        parts.append(f"{name}{colon}{value_text(form, qid, old)} → {value_text(form, qid, new)}")
    text = joiner.join(parts)
    if len(qids) > MAX_QUESTIONS:
        text += t("ui.audit.more", count=len(qids) - MAX_QUESTIONS)
    return text


def describe(form: Form, action: str, detail: Any) -> str:
    """One audit entry's detail as a sentence in the user's language."""
    if not isinstance(detail, Mapping):
        return "" if detail in (None, "", {}) else str(detail)
    if action == "answered" and isinstance(detail.get("changes"), Mapping):
        return changes_text(form, detail["changes"])
    if action in ("status", "approved") and "to" in detail:
        text = f"{_status(detail.get('from'))} → {_status(detail.get('to'))}"
        if detail.get("approved_by"):
            text += "；" if current_language() == "zh" else "; "
            text += t(
                "ui.audit.approved_by", name=detail["approved_by"], role=detail.get("approved_role", "")
            )
        return text
    if action == "review_started":
        text = t(
            "ui.audit.review", revision=detail.get("based_on", ""), reason=_reason(form, detail.get("reason"))
        )
        note = detail.get("note")
        return text + (f"：{note}" if note and current_language() == "zh" else f": {note}" if note else "")
    if action == "flagged":
        return _reason(form, detail.get("reason")) if detail.get("reason") else ""
    parts = []
    for key, value in detail.items():
        if key in HIDDEN_FIELDS or value in (None, "", [], {}):
            continue
        label_key = f"ui.audit.field.{key}"
        label = t(label_key)
        if key == "form" and value == form.id:
            value = pick(form.title)  # the questionnaire's name, not its internal id
        shown = (
            value
            if isinstance(value, str | int | float)
            else ", ".join(map(str, value))
            if isinstance(value, list)
            else str(value)
        )
        colon, joiner = ("：", "；") if current_language() == "zh" else (": ", "; ")
        parts.append(f"{key if label == label_key else label}{colon}{shown}")
    return joiner.join(parts)
