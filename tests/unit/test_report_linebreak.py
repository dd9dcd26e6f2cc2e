"""Narrow columns never split a citation, a standard number, a date or a version mid-token
("GB/T 35273-20|20", "TLS 1.|3", "第 2|1 条", "P|1"): Latin text of the Chinese template breaks by
Latin rules, and short tokens are joined with Word's no-break space and hyphen."""

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
from docx.shared import Cm

from pia_app.report.export import convert_to_pdf, export_answers, find_soffice
from pia_app.report.nobreak import NBSP, apply_no_break, join_tokens

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_short_tokens_are_joined_and_words_keep_their_breaks() -> None:
    assert join_tokens("GB/T 35273-2020 cl. 6.3") == ["GB/T 35273", None, f"2020 cl.{NBSP}6.3"]
    assert join_tokens("PIPL art. 56(3); arts. 44") == [f"PIPL art.{NBSP}56(3); arts.{NBSP}44"]
    assert join_tokens("deadline 2026-12-10") == ["deadline 2026", None, "12", None, "10"]
    assert join_tokens("gap F-22") == ["gap F", None, "22"]
    # Words, e-mail addresses and "TLS 1.3" keep their break (joined they outgrow narrow columns).
    for text in ("AI-generated proof-of-consent", "dpo@xinghe-video.example.cn", "HTTPS（TLS 1.3）", "1–3"):
        assert join_tokens(text) == [text]


def test_chinese_template_gives_latin_text_latin_line_breaking() -> None:
    styles = zipfile.ZipFile(TEMPLATES / "report_zh.docx").read("word/styles.xml").decode("utf-8")
    default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert default is not None
    lang = re.search(r"<w:lang [^>]*>", default.group())
    assert lang is not None
    assert 'w:val="en-US"' in lang.group() and 'w:eastAsia="zh-CN"' in lang.group()


def test_the_report_carries_no_break_hyphens_and_spaces(
    form: Any, office_example: Any, tmp_path: Path
) -> None:
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "en")
    body = Document(str(out)).element.body
    runs = [r for r in body.iter(qn("w:r")) if r.find(qn("w:noBreakHyphen")) is not None]
    texts = ["".join(t.text or "-" if t.tag == qn("w:t") else "-" for t in r) for r in runs]
    assert any("35273-2020" in t for t in texts)
    assert all(t.text is None or not re.search(r"\d-\d", t.text) for t in body.iter(qn("w:t")))
    assert any(NBSP in (t.text or "") for t in body.iter(qn("w:t")))


NARROW = [
    "依据：个人信息保护法第二十一条（三）；GB/T 35273-2020 6.3；GB/T 41819-2022",
    "HTTPS（TLS 1.3）上传，对象存储服务端加密",
    "云端合成模型根据 P1 提取的特征生成",
    "结论报个人信息保护负责人（2026-12-12）前完成，见第 21 条",
    "Basis: PIPL art. 21; GB/T 35273-2020 cl. 6.3; GB/T 41819-2022",
]
# A line may not end inside one of these tokens.
BROKEN = re.compile(r"(35273-?(20?)?|41819-?(20?)?|2026-?1?|TLS 1\.|\b1\.|第 ?2|\bP|art\.|cl\.|6\.)$")


@pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None, reason="needs LibreOffice and pdftotext"
)
def test_libreoffice_breaks_no_token_in_narrow_columns(tmp_path: Path) -> None:
    doc = Document(str(TEMPLATES / "report_zh.docx"))
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    section = doc.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 360000
    for width_cm in (2.6, 3.0, 3.6, 4.4):  # the report's narrow columns are 2-4 cm
        for text in NARROW:
            p = doc.add_paragraph()
            p.paragraph_format.right_indent = Cm(text_width - width_cm)
            p.add_run(text)
    apply_no_break(body)
    path = tmp_path / "narrow.docx"
    doc.save(str(path))
    pdf = convert_to_pdf(path)
    lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in lines.splitlines() if line.strip()]
    assert len(lines) > 4 * len(NARROW)  # the columns really were narrow
    assert [line for line in lines if BROKEN.search(line)] == []
