"""The crash dialog (an exception in a slot: private crash log, "copy details", no traceback) and
the About box: what the GUI tells about this installation."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from pia_app import __version__
from pia_app.ui import crash_dialog
from pia_app.ui.crash_dialog import CrashDialog, install_excepthook


def test_slot_exception_shows_dialog_names_log_and_copies_details(
    app_zh,
    qtbot,
    isolated_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # type: ignore[no-untyped-def]
    shown: list[CrashDialog] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)

    def broken_slot() -> None:
        raise ZeroDivisionError("division by zero in a slot")

    button = QPushButton("x")
    qtbot.addWidget(button)
    button.clicked.connect(broken_slot)
    saved = sys.excepthook
    try:
        install_excepthook(str(isolated_data_dir))
        button.click()
    finally:
        sys.excepthook = saved

    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    logs = list((isolated_data_dir / "crash-logs").glob("crash-*.log"))
    assert len(logs) == 1
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    assert str(logs[0]) in dialog.message.text()
    assert "ZeroDivisionError" in dialog.message.text()
    details = logs[0].read_text("utf-8")
    assert f"pia-app {__version__}" in details and "in broken_slot" in details
    assert "command: gui" in details and "qt: 6." in details
    assert dialog.text.toPlainText() == details
    assert dialog.copy_button.text() == "复制详情"

    dialog.show()
    QApplication.clipboard().clear()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == details
    assert dialog.isVisible()  # copying leaves the dialog open; Close closes it

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(logs[0]) in err


def test_second_error_while_the_dialog_is_open_is_only_logged(
    app_zh, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[CrashDialog] = []

    def show(dialog: CrashDialog) -> None:
        shown.append(dialog)
        try:
            raise ValueError("again, from a timer")
        except ValueError as exc:
            crash_dialog.report_crash(exc, str(isolated_data_dir), show)

    try:
        raise RuntimeError("first")
    except RuntimeError as exc:
        crash_dialog.report_crash(exc, str(isolated_data_dir), show)
    assert len(shown) == 1
    assert len(list((isolated_data_dir / "crash-logs").glob("*.log"))) == 2


def test_about_box_shows_the_one_version_and_the_app_icon(
    main_window, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from importlib.metadata import version

    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    main_window.show_about()
    assert shown and f"pia-app {version('pia-app')}" in shown[0]
    assert not QApplication.windowIcon().isNull()
