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
