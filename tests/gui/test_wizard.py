"""The wizard filled programmatically, saved, reopened; conditions; export from the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

pytestmark = pytest.mark.gui


def fill(wizard, qid: str, value) -> None:  # type: ignore[no-untyped-def]
    """Set an answer through its widget, as a user's edit would, and emit the change."""
    widget = wizard.block(qid).widget
    widget.set_value(value)
    widget.changed.emit()


def test_qt_buttons_are_chinese(app_zh) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QWizard", "&Next") != "&Next"


def test_new_assessment_autosaves_and_reopens(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    assert wizard is not None
    editor = wizard.block("a_project_name").widget.editor
    editor.setText("门禁评估 <测试> & 中文")
    fill(wizard, "b_minors", "possible")
    fill(wizard, "b_uses_face_recognition", True)
    fill(wizard, "a_assessment_start", "2026-10-08")
    fill(wizard, "d_collected_forms", ["face_template", "liveness"])
    fill(wizard, "b_subject_count", 1800)
    table = wizard.block("a_assessors").widget
    table.add_row({"name": "李明", "independent": True})
    table.changed.emit()
    aid = wizard.assessment_id
    qtbot.waitUntil(
        lambda: main_window.repo.revision(aid).answers.get("b_subject_count") == 1800, timeout=3000
    )
    stored = main_window.repo.revision(aid).answers
    assert stored["a_project_name"] == "门禁评估 <测试> & 中文"
    assert stored["b_minors"] == "possible"
    assert stored["b_uses_face_recognition"] is True
    assert stored["a_assessment_start"] == "2026-10-08"
    assert stored["d_collected_forms"] == ["face_template", "liveness"]
    assert stored["a_assessors"] == [{"name": "李明", "independent": True}]
    wizard.save_and_close()
    assert main_window.model.index(0, 0).data() == "门禁评估 <测试> & 中文"

    reopened = main_window.open_assessment(aid)
    assert reopened is not wizard
    assert reopened.block("a_project_name").widget.value() == "门禁评估 <测试> & 中文"
    assert reopened.block("b_minors").widget.value() == "possible"
    assert reopened.block("b_uses_face_recognition").widget.value() is True
    assert reopened.block("a_assessors").widget.value() == [{"name": "李明", "independent": True}]
    assert reopened.block("a_assessment_start").widget.value() == "2026-10-08"
    assert main_window.errors == []


def test_closing_the_wizard_saves_at_once(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    wizard.block("a_scope").widget.editor.setPlainText("范围")
    wizard.save_and_close()
    assert main_window.repo.revision(wizard.assessment_id).answers["a_scope"] == "范围"


def test_conditional_question_and_findings_follow_answers(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    fill(wizard, "b_uses_face_recognition", False)
    assert wizard.block("b_rd_training_only").isHidden()
    fill(wizard, "b_uses_face_recognition", True)
    assert not wizard.block("b_rd_training_only").isHidden()
    fill(wizard, "d_alternative", "exists_not_offered")
    wizard.refresh_findings()
    ids = [f.rule_id for f in wizard.finding_list()]
    assert "d_alternative.not_offered_face" in ids
    fill(wizard, "b_uses_face_recognition", False)
    wizard.refresh_findings()
    ids = [f.rule_id for f in wizard.finding_list()]
    assert "d_alternative.not_offered_face" not in ids
    assert "d_alternative.not_offered_voice" in ids


def test_export_report_from_main_window(main_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    wizard.block("a_project_name").widget.editor.setText("导出测试")
    wizard.flush()
    target = tmp_path / "中文 路径" / "报告"
    target.parent.mkdir()
    main_window.ask_save_path = lambda suggested: str(target)
    with qtbot.waitSignal(main_window._exports().written, timeout=120_000):
        out = main_window.export_selected()  # written on a worker thread
    assert out == target.with_suffix(".docx")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "导出测试" in text
    # The status bar says how the contents got their page numbers (layout pass off in tests).
    from pia_app.report.export import pagination_message

    assert pagination_message(out, "zh") in main_window.statusBar().currentMessage()
    assert "PIA_APP_PAGINATE" in main_window.statusBar().currentMessage()


def test_export_to_missing_folder_shows_message(main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    main_window.new_assessment()
    main_window.ask_save_path = lambda suggested: str(tmp_path / "missing" / "r.docx")
    assert main_window.export_selected() is None
    assert len(main_window.errors) == 1
    assert "missing" in main_window.errors[0]


def test_ampersand_in_option_label_is_shown_literally(main_window) -> None:  # type: ignore[no-untyped-def]
    from pia_app.i18n import set_language

    wizard = main_window.new_assessment()
    box = wizard.block("b_purposes").widget.boxes["rd_training"]
    set_language("zh")
    assert box.text() == "算法研发/模型训练"
    from pia_app.ui.widgets import MultiAnswer

    en_form_label = wizard.form.question("b_purposes").option("rd_training").label["en"]
    assert "&" in en_form_label
    set_language("en")
    try:
        widget = MultiAnswer(wizard.form.question("b_purposes"))
        assert widget.boxes["rd_training"].text() == en_form_label.replace("&", "&&")
    finally:
        set_language("zh")


def test_switching_language_rebuilds_window_and_is_remembered(main_window, isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app import preferences
    from pia_app.i18n import set_language

    main_window.new_assessment()
    try:
        new = main_window.switch_language("en")
        assert new.menuBar().actions()[0].text() == "&File"
        from PySide6.QtCore import Qt

        assert new.model.headerData(0, Qt.Orientation.Horizontal) == "Title"
        assert preferences.saved_language(isolated_data_dir) == "en"
        new.close()
    finally:
        set_language("zh")


def test_cli_uses_the_saved_language(isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from pia_app import preferences
    from pia_app.paths import data_dir

    preferences.set_language(data_dir(), "en")
    proc = subprocess.run([sys.executable, "-m", "pia_app", "list"], capture_output=True, text=True)
    assert proc.stdout.strip() == "No assessments yet."


def test_sections_h_and_i_are_skipped_when_they_do_not_apply(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    letters = lambda: [wizard.sections[i].id for i in wizard.visible_page_ids()]  # noqa: E731
    fill(wizard, "b_uses_face_recognition", False)
    fill(wizard, "b_deep_synthesis_role", ["none"])
    fill(wizard, "b_biometric_edit_feature", False)
    assert "H" not in letters() and "I" not in letters()
    fill(wizard, "b_uses_face_recognition", True)
    fill(wizard, "b_rd_training_only", False)
    assert "H" in letters() and "I" not in letters()
    fill(wizard, "b_biometric_edit_feature", True)
    assert "I" in letters()
    # walking with Next visits exactly the sections that apply
    fill(wizard, "b_biometric_edit_feature", False)
    seen = [wizard.sections[wizard.currentId()].id]
    while wizard.nextId() != -1:
        wizard.next()
        seen.append(wizard.sections[wizard.currentId()].id)
    assert seen == letters()
    assert "I" not in seen and seen[-1] == "M"


def test_may_proceed_is_refused_with_the_reasons(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    told: list[str] = []
    wizard.notify_refused = told.append
    fill(wizard, "b_uses_face_recognition", True)
    fill(wizard, "d_alternative", "exists_not_offered")  # raises an S1 finding
    fill(wizard, "m_conclusion", "may_proceed")
    assert wizard.answers.get("m_conclusion") is None
    assert wizard.block("m_conclusion").widget.value() is None
    numbers = {r.id: r.number for r in wizard.form.rules}
    assert len(told) == 1 and numbers["d_alternative.not_offered_face"] in told[0]
    fill(wizard, "m_conclusion", "proceed_after_fix")
    assert wizard.answers["m_conclusion"] == "proceed_after_fix"
    fill(wizard, "d_alternative", "offered")
    fill(wizard, "m_conclusion", "may_proceed")
    assert wizard.answers["m_conclusion"] == "proceed_after_fix"
    assert numbers["d_alternative.not_offered_face"] not in told[1]
    assert numbers["d_specific_purpose.missing"] in told[1]  # still unanswered: an open S1 gap


def test_derived_pia_triggers_are_ticked_and_locked(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    fill(wizard, "b_data_types", ["face_image"])
    fill(wizard, "b_cross_border", True)
    wizard.refresh_findings()
    widget = wizard.block("b_pia_triggers").widget
    assert widget.boxes["sensitive"].isChecked() and not widget.boxes["sensitive"].isEnabled()
    assert widget.boxes["cross_border"].isChecked()
    widget.boxes["other_major"].setChecked(True)
    assert wizard.answers["b_pia_triggers"] == ["other_major"]
    fill(wizard, "b_cross_border", False)
    wizard.refresh_findings()
    assert not widget.boxes["cross_border"].isChecked()
    assert "第五十五条" in wizard.summary_label.text()


def test_export_says_it_is_working_and_shows_a_busy_cursor(main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    seen: list[tuple[object, str]] = []
    out = tmp_path / "x.json"

    def write() -> Path:
        cursor = QApplication.overrideCursor()
        seen.append((cursor.shape() if cursor else None, main_window.statusBar().currentMessage()))
        out.write_text("{}", "utf-8")
        return out

    assert main_window._export(write) == out
    assert seen == [(Qt.CursorShape.WaitCursor, "正在写入文件……（报告需排版一次以写入目录页码，约需数秒）")]
    assert QApplication.overrideCursor() is None  # restored
    assert "x.json" in main_window.statusBar().currentMessage()

    def fail() -> Path:
        from pia_app.errors import UserError

        raise UserError("error.export_write", path=str(out), reason="disk full")

    assert main_window._export(fail) is None
    assert QApplication.overrideCursor() is None and main_window.errors


def test_an_in_review_revision_says_so_in_a_banner(main_window) -> None:  # type: ignore[no-untyped-def]
    from pia_app.interchange import import_file
    from tests.conftest import EXAMPLES

    aid = import_file(main_window.repo, main_window.form, EXAMPLES / "call_centre_voiceprint.json")[0]
    main_window.refresh()
    wizard = main_window.open_assessment(aid)
    assert wizard.banner.isHidden()  # a draft needs no banner
    main_window.table.selectRow(main_window.model.row_of(aid))
    assert main_window.submit_selected() is not None
    assert not wizard.banner.isHidden() and not wizard.read_only
    assert "正在审核中" in wizard.banner_label.text() and wizard.review_button.isHidden()
    main_window._close_wizard(aid)
    again = main_window.open_assessment(aid)  # reopened: the stored status says the same
    assert not again.banner.isHidden() and "正在审核中" in again.banner_label.text()
