"""The report as Word and WPS open it: contents page numbers without a prompt, document
properties of this report (not the template's), dates written the Chinese way."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from pia_app import __version__
from pia_app.report import export as export_mod
from pia_app.report.export import convert_to_pdf, export_answers, find_soffice, pagination_message
from pia_app.report.paginate import LAID_OUT, UPDATE_ON_OPEN, pagination_state


def pageref_results(path: Path) -> list[int]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return [int(n) for n in re.findall(r"PAGEREF _Toc_pia_\d+.{0,600}?<w:t[^>]*>(\d+)</w:t>", xml)]


def numpages_result(path: Path) -> int:
    z = zipfile.ZipFile(path)
    for name in z.namelist():
        if name.startswith("word/footer"):
            m = re.search(r"NUMPAGES.{0,600}?<w:t[^>]*>(\d+)</w:t>", z.read(name).decode("utf-8"))
            if m:
                return int(m.group(1))
    raise AssertionError("no NUMPAGES field")


def test_without_libreoffice_word_updates_fields_on_open(
    form: Any, office_example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIA_APP_PAGINATE", "1")
    monkeypatch.setattr(export_mod, "find_soffice", lambda: None)
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "en")
    assert pagination_state(out) == UPDATE_ON_OPEN
    assert "LibreOffice not found" in pagination_message(out, "en")


def test_with_the_layout_pass_switched_off_the_message_says_so(
    form: Any, office_example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIA_APP_PAGINATE", "0")
    monkeypatch.setattr(export_mod, "find_soffice", lambda: "/usr/bin/soffice")  # present, yet not run
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "zh")
    assert pagination_state(out) == UPDATE_ON_OPEN
    assert "排版步骤已关闭" in pagination_message(out, "zh")
    assert "未找到" not in pagination_message(out, "zh")
    assert "switched off" in pagination_message(out, "en")


def test_when_libreoffice_fails_the_message_does_not_say_it_is_missing(
    form: Any, office_example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIA_APP_PAGINATE", "1")
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(export_mod, "find_soffice", lambda: str(broken))
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "en")
    assert pagination_state(out) == UPDATE_ON_OPEN
    assert "could not lay the report out" in pagination_message(out, "en")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_with_libreoffice_the_contents_carry_the_laid_out_page_numbers(
    form: Any, office_example: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIA_APP_PAGINATE", "1")
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "zh")
    assert pagination_state(out) == LAID_OUT
    assert "LibreOffice" in pagination_message(out, "zh")
    pages = pageref_results(out)
    total = numpages_result(out)
    # One number per contents entry, in reading order, after the contents page, within the
    # document (the template's placeholders were all "1").
    assert len(pages) >= 30
    assert pages == sorted(pages) and pages[0] >= 4 and pages[-1] <= total
    assert total > 20 and len(set(pages)) > 5
    # The document still opens and says the same.
    assert "目" in "".join(p.text for p in Document(str(out)).paragraphs[:80])


def test_document_properties_are_this_reports(form: Any, office_example: Any, tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = export_answers(form, office_example.answers, tmp_path / "r.docx", "zh")
    props = Document(str(out)).core_properties
    assert props.title == office_example.answers["a_project_name"]
    assert props.author == office_example.answers["a_report_signer"]
    assert props.created is not None
    assert props.created.replace(tzinfo=dt.UTC) >= before - dt.timedelta(seconds=2)
    assert props.modified == props.created
    assert props.comments == "" and props.revision == 1
    app = zipfile.ZipFile(out).read("docProps/app.xml").decode("utf-8")
    assert f"<Application>pia-app {__version__}</Application>" in app
    assert "Normal.dotm" not in app


def test_chinese_dates_are_written_the_chinese_way(form: Any, office_example: Any, tmp_path: Path) -> None:
    # Dates typed into free text are reproduced as written; every date answer is formatted.
    answers = dict(office_example.answers)
    answers["g_entrusted"] = [dict(r, period="三年") for r in answers["g_entrusted"]]
    out = export_answers(form, answers, tmp_path / "r.docx", "zh")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for table in Document(str(out)).tables:
        text += "\n".join(c.text for row in table.rows for c in row.cells)
    assert "2026年11月10日" in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)


def test_emoji_and_rare_characters_get_a_font_that_has_them(
    form: Any, office_example: Any, tmp_path: Path
) -> None:
    from docx.oxml.ns import qn

    answers = dict(office_example.answers, a_scope="门禁 😀👍🏽 生僻字𠮷𪚥 end", a_controller_name="示例 ✅")
    out = export_answers(form, answers, tmp_path / "r.docx", "zh")
    doc = Document(str(out))
    runs = {}
    for t in doc.element.body.iter(qn("w:t")):
        if t.text in ("😀👍🏽", "𠮷𪚥", "✅"):
            runs[t.text] = t.getparent()
    assert set(runs) == {"😀👍🏽", "𠮷𪚥", "✅"}
    emoji = runs["😀👍🏽"].find(qn("w:rPr")).find(qn("w:rFonts"))
    assert emoji.get(qn("w:ascii")) == "Segoe UI Emoji" and emoji.get(qn("w:eastAsia")) == "Segoe UI Emoji"
    rare = runs["𠮷𪚥"].find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rare.get(qn("w:eastAsia")) == "SimSun-ExtB" and rare.get(qn("w:hint")) == "eastAsia"
    # The text around them keeps its run, and the whole reads as written.
    text = "\n".join(c.text for table in doc.tables for row in table.rows for c in row.cells)
    assert "门禁 😀👍🏽 生僻字𠮷𪚥 end" in text


def test_private_use_characters_are_replaced_visibly(form: Any, office_example: Any, tmp_path: Path) -> None:
    # No font a reader has draws them (vendor logos, input-method glyphs): the code point shows.
    answers = dict(office_example.answers, a_scope="logo \uf8ff and \ue001\U000f0001 end")
    out = export_answers(form, answers, tmp_path / "r.docx", "en")
    text = "\n".join(c.text for table in Document(str(out)).tables for row in table.rows for c in row.cells)
    assert "logo [U+F8FF] and [U+E001][U+F0001] end" in text
    assert not re.search("[\ue000-\uf8ff]", text)


def _fonts_covering(char: str) -> set[str]:
    out = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True
    ).stdout
    return {re.sub(r"[^A-Za-z]", "", name).lower() for line in out.splitlines() for name in line.split(",")}


@pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdffonts") is None or shutil.which("fc-list") is None,
    reason="needs LibreOffice, poppler's pdffonts and fontconfig",
)
def test_libreoffice_draws_emoji_and_rare_characters_from_a_font_that_has_them(
    form: Any, office_example: Any, tmp_path: Path
) -> None:
    # With the preview fonts of tools/system-deps.sh (Symbola, HanaMin), every character of the
    # fallback runs is drawn from a font that has it, so no empty box; the PDF names the fonts.
    chars = {"😀": "emoji", "𪚥": "CJK Extension B"}
    for ch, what in chars.items():
        if not _fonts_covering(ch):
            pytest.skip(f"no installed font has {what} (tools/system-deps.sh test installs them)")
    answers = dict(office_example.answers, a_scope="门禁 😀 生僻字 𪚥 end")
    pdf = convert_to_pdf(export_answers(form, answers, tmp_path / "r.docx", "zh"))
    used = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    embedded = {
        re.sub(r"[^A-Za-z]", "", line.split()[0].split("+")[-1]).lower() for line in used.splitlines()[2:]
    }
    for ch in chars:
        covering = _fonts_covering(ch)
        assert any(e.startswith(c) or c.startswith(e) for e in embedded for c in covering), (ch, embedded)
