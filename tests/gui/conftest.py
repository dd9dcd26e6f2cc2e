"""GUI tests run offscreen with pytest-qt's one QApplication, configured as the app does."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_zh(qapp):  # type: ignore[no-untyped-def]
    from pia_app.ui.app import configure_app

    configure_app(qapp, "zh")
    return qapp


@pytest.fixture
def main_window(app_zh, qtbot, isolated_data_dir):  # type: ignore[no-untyped-def]
    from pia_app.ui.main_window import MainWindow

    errors: list[str] = []
    window = MainWindow(None)
    window.show_error = errors.append  # type: ignore[method-assign]
    window.errors = errors  # type: ignore[attr-defined]
    confirmations: list[str] = []
    window.confirm = lambda text: confirmations.append(text) or True  # type: ignore[method-assign]
    window.confirmations = confirmations  # type: ignore[attr-defined]
    window.ask_text = lambda title, label, value: None  # type: ignore[method-assign]
    dialogs: list[object] = []  # never exec() a modal dialog in a test: record it instead
    window.show_dialog = dialogs.append  # type: ignore[method-assign]
    window.dialogs = dialogs  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    yield window
    window.close()
