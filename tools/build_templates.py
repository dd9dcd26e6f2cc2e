"""Build the docxtpl report templates in templates/ from this script.

The .docx files are committed: an organisation may also edit them in Word, keeping the Jinja
tags. Run `python tools/build_templates.py` after changing this script. The typography follows
common Chinese official-document practice: body 宋体 (SimSun) 小四, headings 黑体 (SimHei), with
the East Asian font set explicitly so Word and WPS do not fall back; the English template uses a
Latin font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT  # noqa: F401
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]

TEXT = {
    "zh": {
        "body_font": "SimSun",
        "east_asia": "SimSun",
        "heading_font": "SimHei",
        "heading_east_asia": "SimHei",
        "cover": "个人信息保护影响评估报告",
        "object": "评估对象",
        "controller": "个人信息处理者",
        "type": "评估类型",
        "revision": "报告版本（修订号）",
        "status": "状态",
        "generated": "生成日期",
        "hash": "内容校验值（SHA-256）",
        "hash_note": "可用 pia-app verify 核对本报告与存档记录是否一致。",
        "summary": "一、评估发现摘要",
        "summary_counts": "严重（S1）{{ counts.S1 }} 项；高（S2）{{ counts.S2 }} 项；中（S3）{{ counts.S3 }} 项；低（S4）{{ counts.S4 }} 项。",
        "findings_none": "未发现差距。",
        "col_sev": "等级",
        "col_q": "问题",
        "col_finding": "发现",
        "col_measure": "建议措施",
        "col_refs": "依据",
        "answers": "二、评估问卷回答",
        "col_answer": "回答",
        "footer": "第 ",
        "footer_mid": " 页 共 ",
        "footer_end": " 页",
    },
    "en": {
        "body_font": "Calibri",
        "east_asia": "SimSun",
        "heading_font": "Calibri",
        "heading_east_asia": "SimHei",
        "cover": "Personal Information Protection Impact Assessment Report",
        "object": "Object of assessment",
        "controller": "Controller",
        "type": "Assessment type",
        "revision": "Report version (revision)",
        "status": "Status",
        "generated": "Generated",
        "hash": "Content checksum (SHA-256)",
        "hash_note": "Use pia-app verify to check that this report matches the stored record.",
        "summary": "1. Summary of findings",
        "summary_counts": "Severe (S1): {{ counts.S1 }}; high (S2): {{ counts.S2 }}; medium (S3): {{ counts.S3 }}; low (S4): {{ counts.S4 }}.",
        "findings_none": "No gaps found.",
        "col_sev": "Severity",
        "col_q": "Question",
        "col_finding": "Finding",
        "col_measure": "Recommended measure",
        "col_refs": "Basis",
        "answers": "2. Answers to the questionnaire",
        "col_answer": "Answer",
        "footer": "Page ",
        "footer_mid": " of ",
        "footer_end": "",
    },
}


def set_run_fonts(style_or_run, latin: str, east_asia: str) -> None:
    font = style_or_run.font
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def field(paragraph, instr: str) -> None:
    """Insert a Word field (PAGE, NUMPAGES, TOC) that Word and LibreOffice update."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instr
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    val = OxmlElement("w:t")
    val.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, text, sep, val, end):
        run._r.append(el)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:shd")
    el.set(qn("w:val"), "clear")
    el.set(qn("w:color"), "auto")
    el.set(qn("w:fill"), fill)
    tcpr.append(el)


def build(lang: str) -> Path:
    tx = TEXT[lang]
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    normal = doc.styles["Normal"]
    set_run_fonts(normal, tx["body_font"], tx["east_asia"])
    normal.font.size = Pt(12)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
        st = doc.styles[name]
        set_run_fonts(st, tx["heading_font"], tx["heading_east_asia"])
        st.font.size = Pt(size)
        st.font.bold = name != "Title"
        st.font.color.rgb = RGBColor(0, 0, 0)
    table_style = doc.styles["Table Grid"]
    set_run_fonts(table_style, tx["body_font"], tx["east_asia"])
    table_style.font.size = Pt(10.5)

    # Cover
    for _ in range(4):
        doc.add_paragraph()
    p = doc.add_paragraph(style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("{{ title }}")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(tx["cover"])
    r.font.size = Pt(16)
    doc.add_paragraph()
    info = doc.add_table(rows=0, cols=2, style="Table Grid")
    info.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, var in (
        (tx["object"], "{{ scope }}"),
        (tx["controller"], "{{ controller }}"),
        (tx["type"], "{{ assessment_type }}"),
        (tx["revision"], "{{ revision }}"),
        (tx["status"], "{{ status }}"),
        (tx["generated"], "{{ generated }}"),
        (tx["hash"], "{{ content_hash }}"),
    ):
        row = info.add_row()
        row.cells[0].text = label
        row.cells[1].text = var
        shade(row.cells[0], "E7E6E6")
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(11)
    p = doc.add_paragraph(tx["hash_note"])
    p.runs[0].font.size = Pt(9)
    doc.add_page_break()

    # Findings
    doc.add_heading(tx["summary"], level=1)
    doc.add_paragraph(tx["summary_counts"])
    doc.add_paragraph("{%p if not has_findings %}")
    doc.add_paragraph(tx["findings_none"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if has_findings %}")
    ft = doc.add_table(rows=4, cols=5, style="Table Grid")
    heads = (tx["col_sev"], tx["col_q"], tx["col_finding"], tx["col_measure"], tx["col_refs"])
    for i, h in enumerate(heads):
        ft.rows[0].cells[i].text = h
        ft.rows[0].cells[i].paragraphs[0].runs[0].font.bold = True
        shade(ft.rows[0].cells[i], "D9D9D9")
    repeat_header(ft.rows[0])
    ft.rows[1].cells[0].text = "{%tr for f in findings %}"
    cells = (
        "{{ f.severity }} {{ f.severity_label }}",
        "{{ f.question }}",
        "{{ f.message }}",
        "{{ f.measure }}",
        "{{ f.refs }}",
    )
    for i, c in enumerate(cells):
        ft.rows[2].cells[i].text = c
    cant_split(ft.rows[2])
    ft.rows[3].cells[0].text = "{%tr endfor %}"
    for row in ft.rows:
        for i, w in enumerate((Cm(1.8), Cm(3.2), Cm(4.2), Cm(4.2), Cm(2.6))):
            row.cells[i].width = w
    doc.add_paragraph("{%p endif %}")

    # Answers by section
    doc.add_heading(tx["answers"], level=1)
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_heading("{{ s.id }}. {{ s.title }}", level=2)
    doc.add_paragraph("{%p for q in s.questions %}")
    p = doc.add_paragraph()
    r = p.add_run("{{ q.label }}")
    r.bold = True
    p.paragraph_format.keep_with_next = True
    doc.add_paragraph("{{ q.answer }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")

    # Footer: title, revision, page X of Y
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ title }} · " + ("修订 " if lang == "zh" else "rev. ") + "{{ revision }} · ")
    footer.add_run(tx["footer"])
    field(footer, "PAGE")
    footer.add_run(tx["footer_mid"])
    field(footer, "NUMPAGES")
    if tx["footer_end"]:
        footer.add_run(tx["footer_end"])
    for run in footer.runs:
        run.font.size = Pt(9)

    doc.core_properties.title = "{{ title }}"
    out = ROOT / "templates" / f"report_{lang}.docx"
    doc.save(out)
    return out


if __name__ == "__main__":
    for lang in sys.argv[1:] or ["zh", "en"]:
        print(build(lang))
