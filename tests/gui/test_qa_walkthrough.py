"""What a privacy officer hit walking a face-swap assessment at 1024×600 with keyboard and mouse
(QA pass, /work/team/qa-findings.md): each test is one finding that was fixed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_main_buttons_mnemonics_work(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The buttons show "新建评估(N)": Alt+N must create an assessment, not only Ctrl+N."""
    from PySide6.QtCore import Qt

    for button in (main_window.new_button, main_window.open_button, main_window.export_button):
        assert "&" in button.text(), button.text()  # a real mnemonic, not a letter in brackets
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow, timeout=2000)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(main_window.wizards) == 1, timeout=2000)


def test_a_new_assessment_starts_with_the_focus_in_its_first_question(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    wizard = main_window.new_assessment()
    first = wizard.pages[wizard.currentId()].first_visible_block()
    target = first.widget.focus_target()
    qtbot.waitUntil(target.hasFocus, timeout=2000)
