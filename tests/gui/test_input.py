"""Input that cannot go wrong silently: the wheel guard, typed dates, Tab out of long text."""

from __future__ import annotations

import pytest

from pia_app.forms.schema import Option, Question

pytestmark = pytest.mark.gui

OPTS = tuple(Option(f"o{i}", {"zh": f"选项{i}", "en": f"Option {i}"}) for i in range(9))


def wheel(widget, down: bool = True) -> None:  # type: ignore[no-untyped-def]
    """One wheel tick over the middle of `widget`, as the window system delivers it."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    local = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        local,
        QPointF(widget.mapToGlobal(local.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 if down else 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


@pytest.fixture
def page(app_zh, qtbot):  # type: ignore[no-untyped-def]
    """A scrolling page with a long drop-down, a spin box and a slider among tall filler."""
    from PySide6.QtWidgets import QLineEdit, QScrollArea, QSlider, QSpinBox, QVBoxLayout, QWidget

    from pia_app.ui.widgets import SingleAnswer

    scroll = QScrollArea()
    inner = QWidget()
    lay = QVBoxLayout(inner)
    typing = QLineEdit()  # where the keyboard focus is while the user scrolls
    lay.addWidget(typing)
    lay.addSpacing(400)
    single = SingleAnswer(Question(id="x", type="single", label={}, section_id="X", options=OPTS))
    spin, slider = QSpinBox(), QSlider()
    spin.setValue(5)
    slider.setValue(5)
    for w in (single, spin, slider):
        lay.addWidget(w)
    lay.addSpacing(1200)
    scroll.setWidget(inner)
    scroll.setWidgetResizable(True)
    scroll.resize(400, 300)
    qtbot.addWidget(scroll)
    scroll.show()
    qtbot.waitExposed(scroll)
    scroll.activateWindow()
    typing.setFocus()
    qtbot.waitUntil(typing.hasFocus, timeout=2000)
    single.set_value("o3")
    return scroll, single, spin, slider


def test_wheel_over_unfocused_fields_scrolls_the_page_and_changes_nothing(page) -> None:  # type: ignore[no-untyped-def]
    scroll, single, spin, slider = page
    bar = scroll.verticalScrollBar()
    for target in (single.combo, spin, slider):
        scroll.ensureWidgetVisible(target)
        before = bar.value()
        wheel(target)
        assert bar.value() > before, type(target).__name__
    assert single.value() == "o3"
    assert spin.value() == 5 and slider.value() == 5
    assert not single.combo.hasFocus()


def test_wheel_still_works_on_a_field_the_user_focused(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    scroll, _single, spin, _slider = page
    scroll.activateWindow()
    scroll.ensureWidgetVisible(spin)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=2000)
    wheel(spin, down=False)
    assert spin.value() == 6


def test_date_typed_in_either_form_and_cleared(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.widgets import DateAnswer

    w = DateAnswer()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.changed, timeout=1000):
        qtbot.keyClicks(w.editor, "20261102")
    assert w.value() == "2026-11-02"
    w.editor.editingFinished.emit()
    assert w.editor.text() == "2026-11-02"
    w.editor.clear()
    assert w.value() is None
    qtbot.keyClicks(w.editor, "2026-11-02")
    assert w.value() == "2026-11-02"
    w.editor.setText("2026年3月5日")
    assert w.value() == "2026-03-05"


def test_text_that_is_not_a_date_is_flagged_and_keeps_the_answer(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.widgets import DateAnswer

    w = DateAnswer()
    qtbot.addWidget(w)
    w.set_value("2026-01-31")
    changes: list[int] = []
    w.changed.connect(lambda: changes.append(1))
    w.editor.setText("2026-02-30")
    assert w.has_error() and w.value() == "2026-01-31" and changes == []
    w.editor.setText("2026-02-28")
    assert not w.has_error() and w.value() == "2026-02-28" and changes == [1]


def test_empty_date_opens_calendar_at_today(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from pia_app.ui.widgets import DateAnswer

    w = DateAnswer()
    qtbot.addWidget(w)
    w.calendar_menu.aboutToShow.emit()
    today = dt.date.today()
    selected = w.calendar.selectedDate()
    assert (selected.year(), selected.month(), selected.day()) == (today.year, today.month, today.day)
    from PySide6.QtCore import QDate

    w.calendar.clicked.emit(QDate(2027, 1, 4))
    assert w.value() == "2027-01-04"
    w.calendar_menu.aboutToShow.emit()
    assert w.calendar.selectedDate() == QDate(2027, 1, 4)


def test_tab_leaves_a_multiline_answer(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from pia_app.ui.widgets import TextAnswer

    box = QWidget()
    lay = QVBoxLayout(box)
    text = TextAnswer(multiline=True)
    after = QLineEdit()
    lay.addWidget(text)
    lay.addWidget(after)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.activateWindow()
    text.editor.setFocus()
    qtbot.waitUntil(text.editor.hasFocus, timeout=2000)
    qtbot.keyClicks(text.editor, "abc")
    qtbot.keyClick(text.editor, Qt.Key.Key_Tab)
    assert after.hasFocus()
    assert text.value() == "abc"


def test_tab_walks_through_the_cells_of_a_table_row(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    wizard = main_window.new_assessment()
    table = wizard.block("a_assessors").widget
    table.add_row()
    first = table.cells[0][0].focus_target()
    second = table.cells[0][1].focus_target()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus, timeout=2000)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert second.hasFocus()


def test_no_value_widget_takes_focus_from_a_wheel_tick(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt focuses a WheelFocus combo box on a real wheel tick before the guard runs; the guard
    must take that policy away from every combo/spin/date box shown, not only answer widgets."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QDateEdit, QScrollBar, QSpinBox, QVBoxLayout, QWidget

    box = QWidget()
    lay = QVBoxLayout(box)
    combo, spin, date, bar = QComboBox(), QSpinBox(), QDateEdit(), QScrollBar()
    for w in (combo, spin, date, bar):
        lay.addWidget(w)
    assert combo.focusPolicy() == Qt.FocusPolicy.WheelFocus  # Qt's default: the trap
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    for w in (combo, spin, date):
        assert w.focusPolicy() == Qt.FocusPolicy.StrongFocus, type(w).__name__
    assert bar.focusPolicy() != Qt.FocusPolicy.StrongFocus  # scroll bars keep the wheel


def test_main_list_filters_ignore_a_wheel_tick(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    main_window.show()
    qtbot.waitExposed(main_window)
    for combo in (main_window.status_filter, main_window.risk_filter):
        assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
        before = combo.currentIndex()
        wheel(combo)
        assert combo.currentIndex() == before
