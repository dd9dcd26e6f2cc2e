"""Sign-off refuses an empty role and lists open gaps; submit shows the open gaps first; the
audit trail reads as words; the user's name is asked for once and used as the actor."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def ok_button(dialog):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_approve_dialog_refuses_empty_role_and_lists_open_gaps(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from pia_app.ui.dialogs import ApproveDialog

    dialog = ApproveDialog("李明", ["D-05 [S1 严重] 存在替代方式但未提供"])
    qtbot.addWidget(dialog)
    assert "D-05" in dialog.findings_view.toPlainText()
    ok_button(dialog).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.message.isHidden() and "职务" in dialog.message.text()
    dialog.name.clear()
    dialog.role.setText("个人信息保护负责人")
    ok_button(dialog).click()
    assert dialog.result() != QDialog.DialogCode.Accepted and "姓名" in dialog.message.text()
    dialog.name.setText("李明")
    ok_button(dialog).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == ("李明", "个人信息保护负责人")


def test_submit_lists_open_gaps_and_can_be_cancelled(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    from pia_app.engine.grade import grade_assessment

    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "提交", office_example.answers)
    main_window.refresh()
    findings = grade_assessment(form, office_example.answers).findings
    assert findings
    main_window.confirm = lambda text: main_window.confirmations.append(text) and False
    assert main_window.submit_selected() is None
    assert repo.revision(aid).status == "draft"
    text = main_window.confirmations[-1]
    assert f"{len(findings)} 项" in text and findings[0].number in text
    main_window.confirm = lambda text: True
    assert main_window.submit_selected()
    assert repo.revision(aid).status == "in_review"


def test_audit_trail_reads_as_words(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "审计", {})
    repo.save_answers(aid, {"a_project_name": "审计", "b_minors": "none"})
    main_window.refresh()
    shown: list[object] = []
    main_window.show_dialog = shown.append
    dialog = main_window.history_selected()
    table = dialog.audit_table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    actions = [row[2] for row in cells]
    assert "创建" in actions and "修改回答" in actions
    answered = next(row for row in cells if row[2] == "修改回答")
    assert "评估项目名称" in answered[3] and "a_project_name" not in answered[3]
    assert not any("{" in cell for row in cells for cell in row)
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert all(headers)
    dialog.close()


def test_name_is_asked_once_and_used_for_audit_and_sign_off(app_zh, qtbot, isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.main_window import MainWindow

    window = MainWindow(None)
    qtbot.addWidget(window)
    assert not window.name_bar.isHidden()
    window.name_edit.setText("王芳")
    window.name_save.click()
    assert window.name_bar.isHidden()
    assert window.repo.actor_name() == "王芳"
    first = window.new_assessment()
    defaults: list[str] = []
    window.ask_approval = lambda default: defaults.append(default)
    window.approve_selected()
    assert defaults == ["王芳"]
    assert window.repo.audit(first.assessment_id)[-1]["actor"] == "王芳"
    window.close()
    again = MainWindow(None)
    qtbot.addWidget(again)
    assert again.name_bar.isHidden()  # asked once
    again.close()


def test_dismissed_name_bar_stays_away(app_zh, qtbot, isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.main_window import MainWindow

    window = MainWindow(None)
    qtbot.addWidget(window)
    window.name_later.click()
    window.close()
    again = MainWindow(None)
    qtbot.addWidget(again)
    assert again.name_bar.isHidden()
    again.close()


def test_every_audit_column_header_is_in_view_with_a_long_entry(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    # QA walk 2 #42: the details column took its longest entry's width; its header lay off to the right.
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "审计", {})
    repo.save_answers(aid, {"a_project_name": "审计", "a_scope": "很长的范围说明。" * 80})
    main_window.refresh()
    main_window.show_dialog = lambda dialog: None
    dialog = main_window.history_selected()
    from PySide6.QtWidgets import QTabWidget

    dialog.resize(900, 500)
    table = dialog.audit_table
    dialog.findChild(QTabWidget).setCurrentWidget(table)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = table.horizontalHeader()
    width = table.viewport().width()
    for col in range(table.columnCount()):
        assert header.sectionViewportPosition(col) + header.sectionSize(col) <= width, col
    assert not table.horizontalScrollBar().isVisible()
    # rows as tall as their text at the width the details have now (QA walk 2 #45)
    qtbot.waitUntil(lambda: table.rowHeight(0) <= table.sizeHintForRow(0) + 4, timeout=2000)
    for row in range(table.rowCount()):
        assert table.rowHeight(row) <= table.sizeHintForRow(row) + 4
        text = table.item(row, 3).text()
        lines_needed = 1 + table.fontMetrics().horizontalAdvance(text) // max(1, header.sectionSize(3) - 12)
        assert table.rowHeight(row) <= (lines_needed + 2) * table.fontMetrics().lineSpacing() + 12, row
    dialog.close()
