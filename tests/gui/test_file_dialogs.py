"""Every file dialog reads in the UI's language: Qt's own dialog kept "Look in:" and "Files of
type:" in English in the Chinese UI (QA #22)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.gui

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def shown_texts(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    """The labels, button texts and tooltips the user sees in the dialog."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    out = []
    for w in dialog.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            out.append(w.text())
        if w.toolTip():
            out.append(w.toolTip())
    return out


@pytest.mark.parametrize("save", [False, True])
def test_file_dialog_is_all_chinese_in_the_chinese_ui(app_zh, qtbot, save: bool) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from pia_app.ui.file_dialogs import file_dialog

    dialog = file_dialog(None, "导出", "/tmp", "Word 文档 (*.docx)", save=save)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.findChild(QLabel, "lookInLabel").text() == "查找范围(&L)："
    assert dialog.findChild(QLabel, "fileTypeLabel").text() == "文件类型(&T)："
    texts = shown_texts(dialog)
    assert texts
    english = [x for x in texts if LATIN_WORD.search(x)]
    assert english == []
    assert ("保存(&S)" if save else "打开(&O)") in texts and "取消" in texts
    dialog.close()


def test_file_dialog_follows_the_english_ui(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from pia_app.ui.app import configure_app
    from pia_app.ui.file_dialogs import file_dialog

    configure_app(qapp, "en")
    try:
        dialog = file_dialog(None, "Export", "/tmp", "JSON (*.json)", save=False)
        qtbot.addWidget(dialog)
        assert dialog.findChild(QLabel, "lookInLabel").text() == "&Look in:"
        assert dialog.labelText(dialog.DialogLabel.FileType) == "Files of &type:"
    finally:
        configure_app(qapp, "zh")


def test_main_window_import_and_export_use_the_translated_dialog(main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The window's own dialogs go through file_dialogs (recorded here, never exec()'d)."""
    from PySide6.QtWidgets import QDialog, QFileDialog

    seen: list[tuple[str, str, QFileDialog.AcceptMode]] = []

    def fake_exec(dialog: QFileDialog) -> int:
        seen.append(
            (
                dialog.labelText(QFileDialog.DialogLabel.LookIn),
                dialog.labelText(QFileDialog.DialogLabel.FileType),
                dialog.acceptMode(),
            )
        )
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(QFileDialog, "exec", fake_exec)
    assert main_window.ask_open_path() == ""
    assert main_window.ask_save_path("/tmp/报告.docx") == ""
    assert seen == [
        ("查找范围(&L)：", "文件类型(&T)：", QFileDialog.AcceptMode.AcceptOpen),
        ("查找范围(&L)：", "文件类型(&T)：", QFileDialog.AcceptMode.AcceptSave),
    ]
