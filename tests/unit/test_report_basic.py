"""The Word report of a revision: answers come back, markup in answers is text, Chinese stays."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from pia_app.errors import UserError
from pia_app.report.export import export_answers, export_revision


def all_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    for section in doc.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def test_report_contains_answers_and_findings(repo, form, office_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, office_example.answers)
    (tmp_path / "报告 目录").mkdir()
    out = export_revision(repo, form, aid, tmp_path / "报告 目录" / "评估报告.docx", "zh")
    text = all_text(out)
    assert "办公楼人脸识别门禁系统个人信息保护影响评估" in text
    assert "核验进入办公区域人员是否为已授权员工" in text
    assert "人脸识别是出入物业服务区域或建筑物的唯一验证方式" in text  # S1 finding H-23
    assert "未填写" in text  # a_references_other is optional and unanswered
    assert "None" not in text
    assert repo.audit(aid)[-1]["action"] == "exported"


def test_markup_and_template_syntax_in_answers_are_plain_text(form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nasty = "A < B && C > D \"q\" 's' <w:p> ]]> {{ x }} {% if %} {_{ 人脸 😀\x01\x0b"
    answers = {"a_project_name": "标题 <b>&amp;", "a_scope": nasty, "d_frequency": "x"}
    out = export_answers(form, answers, tmp_path / "n.docx", "zh")
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                etree.fromstring(z.read(name), etree.XMLParser(recover=False))
    text = all_text(out)
    assert nasty.replace("\x01", "").replace("\x0b", "") in text
    assert "标题 <b>&amp;" in text


def test_english_report(form, office_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = export_answers(form, office_example.answers, tmp_path / "en.docx", "en")
    text = all_text(out)
    assert "Summary of gaps" in text
    assert "Face recognition is the only way to enter the premises" in text
    assert "Yes" in text


def test_missing_folder_is_a_user_error_and_leaves_nothing(form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as exc:
        export_answers(form, {}, tmp_path / "nope" / "r.docx", "zh")
    assert exc.value.key == "error.export_folder"
    assert not (tmp_path / "nope").exists()
