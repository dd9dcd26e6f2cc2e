"""Start the GUI: one QApplication, Qt's own buttons translated, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from pia_app.i18n import set_language
from pia_app.resources import APP_ID, window_icon

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


def configure_app(app: QApplication, lang: str, wheel_guard: bool = True) -> None:
    """Names, language, Qt's translations, the CJK font; and the wheel guard unless the caller
    installs it itself (`run_gui` does, once the main window is up)."""
    app.setApplicationName("pia-app")
    app.setOrganizationName("pia-app")
    app.setWindowIcon(QIcon(str(window_icon())))
    app.setDesktopFileName(APP_ID)  # Wayland and docks match the window to the .desktop launcher
    if wheel_guard:
        from pia_app.ui.input_guard import install_wheel_guard

        install_wheel_guard(app)
    set_language(lang)
    install_qt_translations(app, lang)
    font = app.font()
    if lang == "zh":
        font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", font.family()])
    app.setFont(QFont(font))


def run_gui(data_dir: str | None, lang: str) -> int:
    """Open the main window; `lang` was resolved by the CLI (flag, environment, preference).

    One window per data folder: a second one is told which process holds it. A damaged database
    is reported with its newest backup, which the user may restore (the damaged file is kept).
    """
    import linecache

    from PySide6.QtWidgets import QMessageBox

    from pia_app import instance_lock
    from pia_app.errors import UserError
    from pia_app.i18n import t
    from pia_app.paths import data_dir as resolve_data_dir
    from pia_app.ui.crash_dialog import install_excepthook, report_crash
    from pia_app.ui.main_window import MainWindow

    # PySide6 read the source of each module imported after it (looking for `__feature__`) and
    # left it in linecache, which only tracebacks use: free those ~2 MiB before the window is
    # built (issue 12).
    linecache.clearcache()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    configure_app(app, lang, wheel_guard=False)
    install_excepthook(data_dir)  # an unexpected error: crash log + dialog, never a traceback
    try:
        folder = resolve_data_dir(data_dir)
        lock = instance_lock.acquire_or_raise(folder)
    except UserError as exc:
        QMessageBox.critical(None, t("ui.error.title"), exc.message())
        return 2
    try:
        window = open_main_window(MainWindow, Path(folder), ask_restore)
    except UserError as exc:
        QMessageBox.critical(None, t("ui.error.title"), exc.message())
        lock.release()
        return 2
    except Exception as exc:
        report_crash(exc, data_dir, lambda dialog: dialog.exec())
        lock.release()
        return 1
    window.show()
    # The wheel guard filters every event of the application in Python; the first events of each
    # kind cost PySide6 ~40 ms to wrap. Installed in the first turn of the event loop, after the
    # window was built and shown: before any wheel tick can arrive, off the start path (issue 12).
    from pia_app.ui.input_guard import install_wheel_guard

    QTimer.singleShot(0, lambda: install_wheel_guard(app))
    try:
        return app.exec()
    finally:
        lock.release()


def ask_restore(message: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    from pia_app.i18n import t

    answer = QMessageBox.question(None, t("ui.error.title"), t("ui.restore.question", message=message))
    return answer == QMessageBox.StandardButton.Yes


def open_main_window(window_class, folder: Path, ask):  # type: ignore[no-untyped-def]
    """Build the main window; on a damaged database with a backup, offer to restore it once."""
    from pia_app.errors import UserError
    from pia_app.paths import db_path
    from pia_app.store.recovery import restore_backup

    try:
        return window_class(folder)
    except UserError as exc:
        backup = exc.params.get("backup")
        if exc.key != "error.db_corrupt_backup" or not backup or not ask(exc.message()):
            raise
        restore_backup(db_path(folder), Path(str(backup)))
        return window_class(folder)
