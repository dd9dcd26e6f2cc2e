"""Findings of the second QA walk (docs/qa-findings.md, "QA walk 2"), one test each."""

from __future__ import annotations

import pytest

from pia_app.forms.schema import Option, Question

pytestmark = pytest.mark.gui

OPTS = tuple(Option(f"o{i}", {"zh": f"选项{i}", "en": f"Option {i}"}) for i in range(3))


def test_arrow_keys_choose_a_radio_option_even_when_none_is_chosen(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from pia_app.ui.widgets import SingleAnswer, YesNoAnswer

    single = SingleAnswer(Question(id="x", type="single", label={}, section_id="X", options=OPTS))
    qtbot.addWidget(single)
    single.show()
    qtbot.waitExposed(single)
    first = single.group.buttons()[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus, timeout=2000)
    assert single.value() is None
    with qtbot.waitSignal(single.changed, timeout=1000):
        qtbot.keyClick(first, Qt.Key.Key_Down)
    assert single.value() == "o1"
    second = single.group.buttons()[1]
    assert second.hasFocus()
    qtbot.keyClick(second, Qt.Key.Key_Up)
    assert single.value() == "o0"
    qtbot.keyClick(first, Qt.Key.Key_Up)  # at the first option: stays there, stays chosen
    assert single.value() == "o0"

    yes_no = YesNoAnswer()
    qtbot.addWidget(yes_no)
    yes_no.show()
    yes = yes_no.group.buttons()[0]
    yes.setFocus()
    qtbot.waitUntil(yes.hasFocus, timeout=2000)
    qtbot.keyClick(yes, Qt.Key.Key_Right)
    assert yes_no.value() is False


def test_tab_from_a_pages_last_answer_goes_on_not_back_to_the_first_comment_button(
    main_window, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """The comment buttons follow their question in the Tab order (they were appended at the end
    of the window's chain, so Tab from the last answer jumped to the top of the page)."""
    from PySide6.QtWidgets import QApplication

    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    wizard = main_window.new_assessment()
    qtbot.waitUntil(lambda: len(getattr(wizard, "review_buttons", {})) > 0, timeout=3000)
    section = wizard.sections[wizard.currentId()]
    qids = [q.id for q in section.questions if q.id in wizard.review_buttons]
    first, second = qids[0], qids[1]
    from PySide6.QtCore import Qt

    target = wizard.block(first).widget.focus_target()
    target.setFocus()
    qtbot.waitUntil(target.hasFocus, timeout=2000)
    qtbot.keyClick(target, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is wizard.review_buttons[first]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is wizard.block(second).widget.focus_target()
    # From the last question's button, Tab leaves the page's questions (not back to the first).
    last_button = wizard.review_buttons[qids[-1]]
    last_button.setFocus()
    qtbot.waitUntil(last_button.hasFocus, timeout=2000)
    qtbot.keyClick(last_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not wizard.review_buttons[first]
    assert QApplication.focusWidget() is not wizard.block(first).widget.focus_target()
