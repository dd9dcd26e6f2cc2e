"""Where the window was: geometry, splitter positions, the section each assessment was left at.

Kept with QSettings in an INI file inside the data folder (`ui-state.ini`), not in the OS's
settings store: a `--data-dir` (and every test's temporary data folder) then has its own, and
nothing about the user's work lives outside the folder the user chose. Losing the file loses
nothing but window positions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

DEFAULT_SIZE = (1280, 800)
"""The first window on a large screen; smaller screens get their whole available area."""
SMALL_SCREEN = (1440, 900)


def ui_settings(folder: Path) -> QSettings:
    return QSettings(str(Path(folder) / "ui-state.ini"), QSettings.Format.IniFormat)


def available_area(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, *DEFAULT_SIZE)


def restore_window(window: QMainWindow, settings: QSettings) -> None:
    """Restore the last geometry, never larger than the screen's available area."""
    state = settings.value("main/geometry")
    area = available_area(window)
    if isinstance(state, QByteArray) and window.restoreGeometry(state):
        fit_into(window, area)
        return
    width, height = min(DEFAULT_SIZE[0], area.width()), min(DEFAULT_SIZE[1], area.height())
    if area.width() <= SMALL_SCREEN[0] or area.height() <= SMALL_SCREEN[1]:
        width, height = area.width(), area.height()  # a laptop: use all of it
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)


def fit_into(window: QMainWindow, area: QRect) -> None:
    """Shrink and move the window so that all of it is on the available area."""
    geo = window.frameGeometry()
    width, height = min(window.width(), area.width()), min(window.height(), area.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        geo = window.frameGeometry()
    x = min(max(geo.x(), area.x()), area.right() - geo.width() + 1)
    y = min(max(geo.y(), area.y()), area.bottom() - geo.height() + 1)
    window.move(max(x, area.x()), max(y, area.y()))


def save_window(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("main/geometry", window.saveGeometry())
    settings.sync()
