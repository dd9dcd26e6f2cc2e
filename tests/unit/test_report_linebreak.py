"""Narrow columns never split a citation, a standard number, a date or a version mid-token
("GB/T 35273-20|20", "TLS 1.|3", "6.|3", "P|1"): Latin text of the Chinese template breaks by
Latin rules, and only short pairs ("art. 14") are joined (docs/report.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pia_app.display import NBSP, citations
from pia_app.report.export import convert_to_pdf, export_answers, find_soffice
from pia_app.report.nobreak import WORD_JOINER, apply_no_break, join_tokens

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_chinese_template_gives_latin_text_latin_line_breaking() -> None:
    styles = zipfile.ZipFile(TEMPLATES / "report_zh.docx").read("word/styles.xml").decode("utf-8")
    default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert default is not None
    lang = re.search(r"<w:lang [^>]*>", default.group())
    assert lang is not None
    assert 'w:val="en-US"' in lang.group() and 'w:eastAsia="zh-CN"' in lang.group()


def test_citations_join_only_short_pairs(form: Any) -> None:
    en = citations(form, ["pipl 21", "gbt35273 6.3"], "en")
    assert en == f"PIPL art.{NBSP}21; GB/T 35273-2020 cl.{NBSP}6.3"
    zh = citations(form, ["gbt35273 6.3", "gbt41819"], "zh")
    assert NBSP not in zh and "GB/T 35273-2020 6.3" in zh
    assert citations(form, ["gb45438"], "en").startswith(f"GB{NBSP}45438-2025")  # short: kept whole


def test_a_hyphen_before_a_digit_is_joined_and_words_keep_their_break() -> None:
    wj = WORD_JOINER
    assert (
        join_tokens("GB/T 35273-2020, 2026-12-10, M-02")
        == f"GB/T 35273-{wj}2020, 2026-{wj}12-{wj}10, M-{wj}02"
    )
    for text in ("AI-generated proof-of-consent", "dpo@xinghe-video.example.cn", "1–3", "a - 5"):
        assert join_tokens(text) == text


def test_the_report_joins_its_numbers(form: Any, office_example: Any, tmp_path: Path) -> None:
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "zh")
    texts = [t.text or "" for t in Document(str(out)).element.body.iter(qn("w:t"))]
    assert any(f"35273-{WORD_JOINER}2020" in t for t in texts)
    assert not any(re.search(r"\d-\d", t) for t in texts)


def narrow_lines(texts: list[str], widths_cm: tuple[float, ...], tmp_path: Path) -> list[str]:
    """`texts` in 9 pt (the tables' size) in columns of `widths_cm`, as LibreOffice breaks them."""
    doc = Document(str(TEMPLATES / "report_zh.docx"))
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    section = doc.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 360000
    for width_cm in widths_cm:
        for text in texts:
            p = doc.add_paragraph()
            p.paragraph_format.right_indent = Cm(text_width - width_cm)
            p.add_run(text).font.size = Pt(9)
    apply_no_break(body)
    path = tmp_path / "narrow.docx"
    doc.save(str(path))
    pdf = convert_to_pdf(path)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [line.strip().replace(WORD_JOINER, "") for line in out.splitlines() if line.strip()]


@pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None, reason="needs LibreOffice and pdftotext"
)
def test_libreoffice_breaks_no_token_in_narrow_columns(form: Any, tmp_path: Path) -> None:
    basis = "依据：" + citations(form, ["pipl 21", "gbt35273 6.3", "gbt41819"], "zh")
    texts = [
        basis,
        "依据：" + citations(form, ["gbt35273 5.3", "gbt41819"], "zh"),
        "Basis: " + citations(form, ["pipl 21", "gbt35273 6.3", "gbt41819"], "en"),
        "Basis: AI Labelling Measures art. 4; " + citations(form, ["gb45438"], "en"),
        "依据：标识办法第四条；" + citations(form, ["gb45438"], "zh"),
        "HTTPS（TLS 1.3）上传，对象存储服务端加密",
        "云端合成模型根据 P1 提取的特征生成",
        "负责人：陈静，dpo@xinghe-video.example.cn；上海",
        "差距 M-02（S2）：第 1–3、5 行措施完成后复核（2026-12-12）",
        "差距 F-22（S2）：制定并公布规则（2026-12-10）前完成",
    ]
    lines = narrow_lines(texts, (2.6, 3.0, 3.4, 3.8, 4.2), tmp_path)  # the report's columns: 2-4.6 cm
    assert len(lines) > 2 * len(texts) * 5  # the columns really were narrow
    # Every token that must stay whole shows up whole on one line, in every width.
    whole = [
        "35273-2020",
        "41819-2022",
        "1.3",
        "P1",
        "M-02",
        "F-22",
        "2026-12-12",
        "2026-12-10",
        "6.3",
        "5.3",
        "xinghe",
    ]
    for token in whole:
        expected = sum(text.count(token) for text in texts) * 5
        assert sum(line.count(token) for line in lines) == expected, (token, lines)
