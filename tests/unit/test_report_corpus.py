"""The report survives any input: a nasty-strings assessment renders into a valid .docx whose
text comes back exactly, and export failures leave no half-written file."""

from __future__ import annotations

import copy
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from pia_app.errors import UserError
from pia_app.report.clean import clean_text
from pia_app.report.export import convert_to_pdf, export_answers, find_soffice

CONTROLS = "".join(chr(i) for i in range(0x20))
NASTY = (
    "< > & \" ' <w:p>x</w:p> ]]> {{ x }} {% if %} {_{ }_} {_% %_} {# c #} "
    + CONTROLS
    + " \ufffe\uffff 😀👍🏽🇨🇳 עברית مرحبا \u202ertl\u202c \u200f end\r\nCR\rLF"
)


def nasty_answers(base: dict[str, Any], form: Any) -> dict[str, Any]:
    """The office example with every text answer and text table cell made nasty."""
    answers = copy.deepcopy(base)
    for q in form.questions.values():
        if q.type == "text":
            answers[q.id] = f"{q.id} {NASTY}"
    # 100,000 characters of prose (a long word without break opportunities would only measure
    # LibreOffice's line breaker).
    prose = "门禁卡易被借用和复制，need 1:1 verification; 员工可选择不使用人脸。"
    answers["d_necessity"] = (prose * (100_000 // len(prose) + 1))[: 100_000 - len(NASTY)] + NASTY
    answers["a_assessors"] = [
        {
            "name": f"成员{i} {NASTY}",
            "dept": "<dept>",
            "role": "{{ role }}",
            "independent": i % 2 == 0,
        }
        for i in range(500)
    ]
    answers["d_item_necessity"] = [
        {"item": f"item {i} & <b>", "function": NASTY, "works_without": False, "replaceable": False}
        for i in range(3)
    ]
    return answers


def all_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p"))]
    for section in doc.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def nasty_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    from pia_app.forms.loader import default_form
    from pia_app.interchange import load_assessment_file
    from tests.conftest import EXAMPLES

    form = default_form()
    doc = load_assessment_file(EXAMPLES / "office_access_face.json", form)
    answers = nasty_answers(doc.answers, form)
    out = tmp_path_factory.mktemp("nasty") / "nasty.docx"
    export_answers(form, answers, out, "zh", {"revision": 3, "generated": "2026-11-22"})
    return out, answers


def test_every_xml_part_parses_strictly(nasty_report: tuple[Path, dict[str, Any]]) -> None:
    path, _ = nasty_report
    parser = etree.XMLParser(recover=False, resolve_entities=False, huge_tree=True)
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
        assert "word/document.xml" in names
        for name in names:
            etree.fromstring(z.read(name), parser)  # raises on any malformed part


def test_text_comes_back_exactly(nasty_report: tuple[Path, dict[str, Any]]) -> None:
    path, answers = nasty_report
    text = all_text(path)
    expected = clean_text(NASTY)
    assert "\x00" not in expected and "\ufffe" not in expected and "\t" in expected
    assert f"a_scope {expected}" in text
    assert f"a_project_name {expected}" in text  # title on the cover and in the footer
    assert clean_text(answers["d_necessity"]) in text  # the 100,000-character answer, whole
    assert f"成员499 {expected}" in text  # the 500th row of the team table
    assert "None" not in text


def test_python_docx_reopens_tables_as_real_tables(
    nasty_report: tuple[Path, dict[str, Any]],
) -> None:
    path, _ = nasty_report
    doc = Document(str(path))
    team = [t for t in doc.tables if t.rows[0].cells[0].text == "姓名" and len(t.columns) == 4]
    assert team, "the team table is a Word table"
    big = max(team, key=lambda t: len(t.rows))
    assert len(big.rows) == 501
    assert big.rows[500].cells[0].text.startswith("成员499 ")
    header = big.rows[0]._tr
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    for row in big.rows:
        assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    title = doc.core_properties.title
    assert title.startswith("a_project_name < > &") and "\x00" not in title


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_nasty_report(
    nasty_report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, _ = nasty_report
    copy_path = tmp_path / "报告 nasty.docx"
    copy_path.write_bytes(path.read_bytes())
    # LibreOffice needs about two minutes for this document (the 100,000-character paragraph
    # is laid out again for every page-number field); a real report takes seconds.
    pdf = convert_to_pdf(copy_path, timeout=900)
    assert pdf == copy_path.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000


# --- export failures ----------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".pia-report-"))


def test_missing_folder_is_a_user_error(form: Any, office_example: Any, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "report.docx"
    with pytest.raises(UserError) as err:
        export_answers(form, office_example.answers, out, "zh")
    assert err.value.key == "error.export_folder"
    assert "文件夹不存在" in err.value.message("zh")
    assert not out.parent.exists()


def test_folder_given_as_output_is_a_user_error(form: Any, office_example: Any, tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        export_answers(form, office_example.answers, tmp_path, "en")
    assert err.value.key == "error.export_write"


def test_chinese_path_works(form: Any, office_example: Any, tmp_path: Path) -> None:
    folder = tmp_path / "评估报告 2026"
    folder.mkdir()
    out = export_answers(form, office_example.answers, folder / "门禁 报告.docx", "zh")
    assert out.name == "门禁 报告.docx"
    assert Document(str(out)).paragraphs
    assert leftovers(folder) == []


def test_read_only_folder_leaves_nothing(
    form: Any, office_example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0 if hasattr(os, "geteuid") else False:
        # root ignores permission bits: make creating the temporary file fail as it would.
        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    else:
        folder.chmod(0o555)
    try:
        with pytest.raises(UserError) as err:
            export_answers(form, office_example.answers, folder / "r.docx", "zh")
    finally:
        folder.chmod(0o755)
    assert err.value.key == "error.export_folder"  # the one atomic-write helper's message
    assert "Permission denied" in err.value.message("en")
    assert list(folder.iterdir()) == []


def test_failure_over_existing_file_keeps_it(
    form: Any, office_example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.docx"
    out.write_bytes(b"the earlier report")

    def locked(src: Any, dst: Any) -> None:  # as when Word holds the file open on Windows
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError) as err:
        export_answers(form, office_example.answers, out, "zh")
    assert err.value.key == "error.export_write"
    assert out.read_bytes() == b"the earlier report"
    assert leftovers(tmp_path) == []


def test_success_over_existing_file_replaces_it(form: Any, office_example: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    out.write_bytes(b"the earlier report")
    export_answers(form, office_example.answers, out, "en")
    assert zipfile.is_zipfile(out)
    assert leftovers(tmp_path) == []
