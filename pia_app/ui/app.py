"""Start the GUI: one QApplication, Qt's own buttons translated, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from pia_app.i18n import set_language

_translators: list[QTranslator] = []


def install_qt_translations(app: QApplication, lang: str) -> bool:
    """Load qtbase_zh_CN.qm so Qt's own buttons (OK, Cancel, Next) are in Chinese too."""
    for tr in _translators:
        app.removeTranslator(tr)
    _translators.clear()
    if lang != "zh":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return False
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ok = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            _translators.append(tr)
            ok = True
    return ok


def configure_app(app: QApplication, lang: str) -> None:
    app.setApplicationName("pia-app")
    app.setOrganizationName("pia-app")
    set_language(lang)
    install_qt_translations(app, lang)
    font = app.font()
    if lang == "zh":
        font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", font.family()])
    app.setFont(QFont(font))


def run_gui(data_dir: str | None, lang: str) -> int:
    """Open the main window; `lang` was resolved by the CLI (flag, environment, preference)."""
    from pia_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    configure_app(app, lang)
    from pia_app.errors import UserError

    try:
        window = MainWindow(Path(data_dir) if data_dir else None)
    except UserError as exc:
        from PySide6.QtWidgets import QMessageBox

        from pia_app.i18n import t

        QMessageBox.critical(None, t("ui.error.title"), exc.message())
        return 2
    window.show()
    return app.exec()
