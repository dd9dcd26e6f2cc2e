"""Nothing internal reaches a reader: the rendered report of every example, in both languages,
has no question id, column id, rule id or option code of the form, none of the hints meant for
whoever fills the questionnaire in, no "Row 1" labels, and (in English) no Chinese outside the
free-text answers, which are reproduced as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from pia_app.forms.schema import Form
from pia_app.i18n import t
from pia_app.report.export import export_answers
from tests.conftest import EXAMPLES

IDENT = re.compile(r"[a-z0-9]*[_.][a-z0-9_.]*[a-z0-9]|[a-z]+[0-9][a-z0-9]*")
"""A code that cannot be an ordinary word: with "_" or "." inside, or letters then digits."""
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def document_text(path: Path) -> str:
    """Every paragraph of the body, the headers and the footers (tables included)."""
    doc = Document(str(path))
    roots = [doc.element.body]
    for section in doc.sections:
        roots += [section.header._element, section.footer._element]
    wanted = (qn("w:t"), qn("w:br"), qn("w:tab"))
    return "\n".join(
        "".join(node.text or "" if node.tag == qn("w:t") else "\n" for node in p.iter(*wanted))
        for root in roots
        for p in root.iter(qn("w:p"))
    )


def free_texts(form: Form, answers: dict[str, Any]) -> list[str]:
    """The answers people typed (text questions and text columns), longest first."""
    out: list[str] = []
    for qid, value in answers.items():
        q = form.question(qid)
        if q is None:
            continue
        if q.type == "text" and isinstance(value, str):
            out.append(value)
        if q.type == "table" and isinstance(value, list):
            text_cols = {c.id for c in q.columns if c.type in ("text", "date")}
            out += [
                str(v)
                for row in value
                if isinstance(row, dict)
                for k, v in row.items()
                if k in text_cols and v
            ]
    codes = internal_codes(form)[0]
    # A text cell that names a rule (a treatment's target) is a reference, not prose.
    return sorted((x for x in out if x.strip() and x.strip() not in codes), key=len, reverse=True)


def internal_codes(form: Form) -> tuple[set[str], set[str]]:
    """(codes that never read as words, every option and column code)."""
    ids: set[str] = set()
    words: set[str] = set()
    for q in form.questions.values():
        ids.add(q.id)
        ids.update(r.id for r in q.rules)
        for item in (q, *q.columns):
            words.update(o.code for o in item.options)
        words.update(c.id for c in q.columns)
    ids |= {w for w in words if IDENT.fullmatch(w)}
    return ids, words


def hints() -> list[str]:
    found = [
        h.strip() for lang in ("zh", "en") for h in t("display.form_hints", lang).split("|") if h.strip()
    ]
    return [*found, "（须说明）", "（填编号）", "自动推导，可补充"]


def examples() -> Iterator[Path]:
    yield from sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str, list[str]]]:
    from pia_app.forms.loader import default_form
    from pia_app.interchange import load_assessment_file

    form = default_form()
    out = []
    folder = tmp_path_factory.mktemp("leaks")
    for path in examples():
        doc = load_assessment_file(path, form)
        for lang in ("zh", "en"):
            docx = export_answers(form, doc.answers, folder / f"{path.stem}-{lang}.docx", lang)
            out.append((path.stem, lang, document_text(docx), free_texts(form, doc.answers)))
    return out


def without_free_text(text: str, typed: list[str]) -> str:
    for answer in typed:
        for line in answer.splitlines():
            if line.strip():
                text = text.replace(line, " ")
    return text


def test_examples_are_found() -> None:
    assert len(list(examples())) >= 3


def test_no_question_rule_or_option_code_and_no_form_hint(
    reports: list[tuple[str, str, str, list[str]]],
) -> None:
    from pia_app.forms.loader import default_form

    ids, words = internal_codes(default_form())
    problems = []
    for name, lang, text, typed in reports:
        rest = without_free_text(text, typed)
        tokens = set(re.findall(r"[A-Za-z0-9_.]+", rest))
        tokens |= {tok.strip(".") for tok in tokens}
        leaked = sorted(tokens & ids)
        if lang == "zh":  # a Chinese report has no English words of its own: any code is a leak
            leaked += sorted((tokens & words) - set(leaked))
        problems += [f"{name}-{lang}: code {code}" for code in leaked]
        problems += [f"{name}-{lang}: hint {h}" for h in hints() if h in rest]
        problems += [f"{name}-{lang}: row label {m}" for m in re.findall(r"第 ?\d+ ?行|\bRow \d+", rest)]
    assert problems == []


def test_english_report_has_no_chinese_outside_free_text(
    reports: list[tuple[str, str, str, list[str]]],
) -> None:
    problems = []
    for name, lang, text, typed in reports:
        if lang != "en":
            continue
        typed_all = "\n".join(typed)
        problems += [f"{name}: {run}" for run in CJK.findall(text) if run not in typed_all]
    assert problems == []


def test_one_term_for_the_personal_information_handler(
    reports: list[tuple[str, str, str, list[str]]],
) -> None:
    for name, lang, text, typed in reports:
        if lang != "en":
            continue
        rest = without_free_text(text, typed)
        assert "personal information handler" in rest.lower(), name
        assert not re.search(r"\b(controller|processor)s?\b", rest, re.IGNORECASE), name
        assert "reproduced as written" in rest, name


def test_citations_never_split_inside_a_number() -> None:
    from pia_app.display import NBSP, citations, plain
    from pia_app.forms.loader import default_form

    f = default_form()
    text = citations(f, ["ds 14", "gbt35273 5.4", "pipl 13(一)"], "en")
    assert f"art.{NBSP}14" in text and "GB/T 35273-2020 cl.\u00a05.4" in text and f"art.{NBSP}13(1)" in text
    assert " " in text  # the words of a law's name may still wrap
    assert f"art.{NBSP}4" in plain("labels (AI Labelling Measures art. 4).", "en")
