"""The self-test's user-interface step (pia_app/selftest.py): Qt loads offscreen, the Chinese Qt
catalogue is found, and the main window builds on the self-test's temporary data folder. It lives
under ui/ because only ui/ imports PySide6."""

from __future__ import annotations

import os
from pathlib import Path


class QtCatalogueMissing(Exception):
    """qtbase_zh_CN.qm was not found: Qt's own buttons would stay English."""


def open_main_window_offscreen(folder: Path, lang: str) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from pia_app.ui.app import configure_app, install_qt_translations
    from pia_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["pia-app"])
    assert isinstance(app, QApplication)
    configure_app(app, lang)
    if not install_qt_translations(app, "zh"):
        raise QtCatalogueMissing("Qt's Chinese translation qtbase_zh_CN.qm is missing")
    install_qt_translations(app, lang)
    window = MainWindow(folder)
    window.show()
    app.processEvents()
    window.close()
    window.deleteLater()
    app.processEvents()
