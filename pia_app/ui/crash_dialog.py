"""The GUI's side of "no traceback, ever": an unexpected exception becomes a crash log and a dialog.

`install_excepthook` replaces sys.excepthook (PySide6 calls it for exceptions raised in slots):
the crash log is written as the CLI writes it (pia_app.crashlog, no answers), one line goes to
stderr, and a dialog names the file, with the details to read and a "Copy details" button for
an e-mail to support. The window stays open; an error raised while the dialog is shown is only
logged, so a failing timer cannot stack up dialogs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pia_app.crashlog import crash_report, write_crash_log
from pia_app.i18n import t

_showing = False


class CrashDialog(QDialog):
    def __init__(self, kind: str, path: Path | None, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.crash.title"))
        self.details = details
        lay = QVBoxLayout(self)
        where = str(path) if path else "-"
        self.message = QLabel(t("ui.crash.text", kind=kind, path=where), self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.message)
        self.text = QPlainTextEdit(details, self)
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(160)
        lay.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(t("ui.crash.copy"), self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(640, 420)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)


def report_crash(
    exc: BaseException, data_dir: str | None, show: Callable[[CrashDialog], object]
) -> Path | None:
    """Write the log, say it on stderr, show the dialog (unless one is already open)."""
    global _showing
    kind = type(exc).__name__
    path: Path | None = None
    try:
        path = write_crash_log(exc, data_dir, "gui")
        details = path.read_text("utf-8")
        line = t("error.crash", kind=kind, path=path)
    except Exception as log_exc:
        details = crash_report(type(exc), exc, exc.__traceback__, "gui")
        line = t("error.crash_no_log", kind=kind, reason=f"{type(log_exc).__name__}: {log_exc}")
    print(f"pia-app: {line}", file=sys.stderr, flush=True)
    if _showing or QApplication.instance() is None:
        return path
    _showing = True
    try:
        show(CrashDialog(kind, path, details, QApplication.activeWindow()))
    finally:
        _showing = False
    return path


def install_excepthook(data_dir: str | None) -> None:
    """From now on an uncaught exception in the GUI shows the crash dialog instead of a traceback."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        report_crash(exc, data_dir, lambda dialog: dialog.exec())

    sys.excepthook = hook
