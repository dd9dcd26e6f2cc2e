"""Part 3 of the report: the gaps (findings) and the compliance analysis by theme.

Gaps are named by the number the engine gives them (`Finding.number`, the one the wizard shows).
A question row says "no gap" only when no open gap concerns the same fact: a gap on the
question itself, or on a question that the row's own rules look at (the office example's
"face recognition is the only method" row and the S1 gap on the missing alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pia_app.display import citations, display_value, form_text, label
from pia_app.engine.findings import Finding
from pia_app.forms.citations import only_applicable
from pia_app.forms.conditions import referenced_questions
from pia_app.forms.schema import Question
from pia_app.i18n import t
from pia_app.report.context.base import SEVERITY_HEX, WHITE, Ctx, excerpt

THEME_ORDER = (
    "lawfulness",
    "minimisation",
    "notice_consent",
    "sharing",
    "face_recognition",
    "deep_synthesis",
    "rights",
    "security",
    "other",
)
"""The sub-parts of the compliance analysis (reference R.6/R.7), in report order."""

THEME_ALIASES = {
    "lawfulness": "lawfulness",
    "legality": "lawfulness",
    "necessity": "lawfulness",
    "purpose": "lawfulness",
    "minimisation": "minimisation",
    "minimization": "minimisation",
    "storage": "minimisation",
    "retention": "minimisation",
    "minimum_storage": "minimisation",
    "notice_consent": "notice_consent",
    "notice": "notice_consent",
    "consent": "notice_consent",
    "minors": "notice_consent",
    "sharing": "sharing",
    "entrustment": "sharing",
    "provision": "sharing",
    "disclosure": "sharing",
    "cross_border": "sharing",
    "transfer": "sharing",
    "face_recognition": "face_recognition",
    "fr": "face_recognition",
    "face": "face_recognition",
    "deep_synthesis": "deep_synthesis",
    "labelling": "deep_synthesis",
    "labeling": "deep_synthesis",
    "ds": "deep_synthesis",
    "rights": "rights",
    "security": "security",
}
"""Theme codes of the form (section/question/rule `theme`) → report sub-part."""

SECTION_THEMES = {
    "D": "minimisation",
    "E": "minimisation",
    "F": "notice_consent",
    "G": "sharing",
    "H": "face_recognition",
    "I": "deep_synthesis",
    "J": "rights",
    "K": "security",
}
"""Sections whose questions the compliance analysis lists, and their theme when none is set."""

THEME_SECTIONS = {
    "minimisation": ("D", "E"),
    "notice_consent": ("F",),
    "sharing": ("G",),
    "face_recognition": ("H",),
    "deep_synthesis": ("I",),
    "rights": ("J",),
    "security": ("K",),
}
"""Which section a theme comes from, to say "not applicable" when that section is not shown."""


def gap_number(f: Finding, index: int) -> str:
    """The gap's number as the wizard shows it (the engine's), else its place in the list."""
    return f.number or str(index)


def numbered(findings: Sequence[Finding]) -> list[tuple[str, Finding]]:
    return [(gap_number(f, i), f) for i, f in enumerate(findings, start=1)]


def gap_ref(no: str, f: Finding, lang: str) -> str:
    return t("report.ref_gap", lang, no=no, severity=f.severity)


def finding_row(c: Ctx, no: str, f: Finding) -> dict[str, Any]:
    return {
        "no": no,
        "severity": f.severity,
        "severity_label": t(f"severity.{f.severity}", c.lang),
        "color": SEVERITY_HEX.get(f.severity, WHITE),
        "message": form_text(f.message, c.lang),
        "refs": citations(c.form, f.refs, c.lang) or "—",
        "measure": form_text(f.measure, c.lang) or "—",
    }


def _finding_line(no: str, f: Finding, lang: str) -> str:
    sep = "：" if lang == "zh" else ": "
    return f"{gap_ref(no, f, lang)}{sep}{form_text(f.message, lang)}"


def _theme_of(code: str, section_id: str) -> str:
    return THEME_ALIASES.get(code) or SECTION_THEMES.get(section_id) or "other"


def _related_questions(q: Question) -> set[str]:
    """Questions the rules of `q` look at besides `q` itself."""
    out: set[str] = set()
    for rule in q.rules:
        out |= referenced_questions(rule.when, q.id)
    out.discard(q.id)
    return out


def themes(c: Ctx, findings: Sequence[Finding]) -> dict[str, Any]:
    gaps = numbered(findings)
    by_question: dict[str, list[tuple[str, Finding]]] = {}
    for no, f in gaps:
        for qid in f.question_ids[:1]:
            by_question.setdefault(qid, []).append((no, f))
    out: dict[str, dict[str, Any]] = {
        code: {"applicable": True, "note": "", "rows": [], "extra": []} for code in THEME_ORDER
    }
    listed: set[str] = set()
    for section in c.form.sections:
        if section.id not in SECTION_THEMES:
            continue
        for q in section.questions:
            if q.id not in c.visible:
                continue
            code = _theme_of(q.theme or section.theme, section.id)
            found = by_question.get(q.id, [])
            listed.update(no for no, _ in found)
            related = [g for other in sorted(_related_questions(q)) for g in by_question.get(other, [])]
            if found:
                finding = "\n".join(_finding_line(no, f, c.lang) for no, f in found)
                colour = SEVERITY_HEX.get(found[0][1].severity, WHITE)
            elif related:
                refs = c.sep.join(gap_ref(no, f, c.lang) for no, f in related)
                finding = t("report.related_gap", c.lang, refs=refs)
                colour = SEVERITY_HEX.get(related[0][1].severity, WHITE)
            else:
                finding, colour = t("report.no_gap", c.lang), WHITE
            out[code]["rows"].append(
                {
                    "requirement": label(q, c.lang),
                    # "" when the question cites nothing: the template then prints no "Basis:" line.
                    "refs": citations(c.form, only_applicable(q.refs, c.applies), c.lang),
                    "answer": excerpt(display_value(q, c.answers.get(q.id), c.lang), c.lang),
                    "finding": finding,
                    "measure": "\n".join(form_text(f.measure, c.lang) for _, f in found) or "—",
                    "color": colour,
                }
            )
    for no, f in gaps:
        if no in listed:
            continue
        out[_theme_of(f.theme, f.section_id)]["extra"].append(finding_row(c, no, f))
    shown_sections = {s.id for s in c.form.sections if any(q.id in c.visible for q in s.questions)}
    for code, sections in THEME_SECTIONS.items():
        th = out[code]
        if th["rows"] or th["extra"]:
            continue
        present = [s for s in sections if c.form.section(s) is not None]
        if present and not any(s in shown_sections for s in present):
            th["applicable"] = False
            th["note"] = t(f"report.theme_na.{code}", c.lang)
            if code == "face_recognition":
                # The one reason that holds (not "not applied, or R&D only"), as in part 6.
                used = c.eff.get(c.role("uses_face_recognition", "facts")) is True
                th["note"] = t(
                    "report.theme_na.fr_rd_only" if used else "report.theme_na.fr_not_used", c.lang
                )
    return out
