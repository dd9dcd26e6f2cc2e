"""The row editor of the many-column tables (risk items, treatment plan, data map) at 1024×600:
its form grows with the page (no scroll area of its own, the wheel scrolls the page), and the
buttons under the form move between rows and bring the form's top into view (QA #11)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def risk_table(main_window, office_example, qtbot):  # type: ignore[no-untyped-def]
    """The office example open at its risk items, the window at 1024×600."""
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "风险", office_example.answers)
    main_window.resize(1024, 600)
    main_window.show()
    qtbot.waitExposed(main_window)
    wizard = main_window.open_assessment(aid)
    wizard.jump_to_question("l_risks")
    page = wizard.pages[wizard.currentId()]
    table = wizard.block("l_risks").widget
    qtbot.waitUntil(lambda: table.isVisible(), timeout=2000)
    qtbot.waitUntil(lambda: page.complete, timeout=5000)  # pages are built in slices (issue 12)
    qtbot.wait(50)
    return wizard, page, table


def test_risk_row_form_has_no_inner_scroll_area_and_is_not_squeezed(risk_table, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea

    _wizard, _page, table = risk_table
    assert not table.findChildren(QScrollArea)
    inner = [w for w in table.findChildren(QAbstractScrollArea) if w is not table.row_list]
    assert all(not w.verticalScrollBar().isVisible() for w in inner)
    # Every field of the row is laid out at its full height: nothing to scroll inside the editor.
    assert table.fields.height() >= table.fields.sizeHint().height()
    assert table.fields.height() > 600  # taller than the screen: it is the page that scrolls
    assert not table.row_list.verticalScrollBar().isVisible()  # the list fits its rows


def test_wheel_over_the_row_form_scrolls_the_page_and_changes_nothing(risk_table, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractScrollArea

    from tests.gui.test_input import wheel

    _wizard, page, table = risk_table
    bar = page.verticalScrollBar()
    before_value = table.value()
    # The nearest scroll area above every field is the page: a wheel tick over a text field,
    # which the field ignores, goes to the page (the old editor's inner area took it).
    for col_id, editor in table.editors.items():
        parent = editor.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        assert parent is page, col_id
    # Drop-downs pass the tick on (the wheel guard): the page scrolls, the answer stays.
    for col_id in ("threat_category", "impact_d1", "lik_f2", "residual_level"):
        editor = table.editors[col_id]
        page.ensureWidgetVisible(editor, 0, 150)
        before = bar.value()
        wheel(editor.focus_target() or editor)
        assert bar.value() > before, col_id
    assert table.value() == before_value


def test_buttons_under_the_form_move_between_rows_and_show_the_form_top(risk_table, qtbot) -> None:  # type: ignore[no-untyped-def]
    _wizard, page, table = risk_table
    rows = table.value()
    assert len(rows) >= 2
    table.select_row(0)
    assert not table.prev_button.isEnabled() and table.next_button.isEnabled()
    page.ensureWidgetVisible(table.next_button)  # the user scrolled down to the last field
    bar = page.verticalScrollBar()
    low = bar.value()
    table.next_button.click()
    assert table.current == 1
    assert table.editors["risk_id"].value() == rows[1]["risk_id"]
    assert rows[1]["risk_id"] in table.detail_title.text()
    assert bar.value() < low  # back up to the form's top
    top = table.detail.mapTo(page.widget(), table.detail.rect().topLeft()).y()
    assert bar.value() <= top < bar.value() + page.viewport().height()
    qtbot.waitUntil(lambda: table.editors["risk_id"].focus_target().hasFocus(), timeout=2000)
    table.prev_button.click()
    assert table.current == 0
    table.select_row(len(rows) - 1)
    assert not table.next_button.isEnabled()
    table.add_below_button.click()
    assert table.current == len(rows) and table.row_list.count() == len(rows) + 1
    # Once the page is laid out again (the list grew by a row), the new row's form is in view.
    qtbot.wait(50)
    top = table.detail.mapTo(page.widget(), table.detail.rect().topLeft()).y()
    assert bar.value() <= top < bar.value() + 60
    assert table.fields.isEnabled() and table.editors["risk_id"].value() is None
    qtbot.waitUntil(lambda: table.editors["risk_id"].focus_target().hasFocus(), timeout=2000)


def test_editing_a_field_renames_the_row_in_list_and_title(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.forms.loader import default_form
    from pia_app.ui.widgets import RecordTableAnswer, answer_widget

    q = default_form().question("l_risks")
    table = answer_widget(q)
    assert isinstance(table, RecordTableAnswer)
    qtbot.addWidget(table)
    table.set_value([{"risk_id": "R1", "threat_event": "模板泄露"}])
    assert table.row_list.item(0).text() == "1. R1 · 模板泄露"
    table.editors["threat_event"].editor.setText("深度伪造冒用")
    assert table.row_list.item(0).text() == "1. R1 · 深度伪造冒用"
    assert "1. R1 · 深度伪造冒用" in table.detail_title.text()
    table.set_value(None)
    assert not table.fields.isEnabled()
    assert not table.prev_button.isEnabled() and not table.next_button.isEnabled()


def test_heat_map_places_every_item_by_its_residual_level_too(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    """The form rates the residual risk as a level, not as impact × likelihood: the strip under
    the matrix places each item by that level, and names the items that have none yet."""
    repo, form = main_window.repo, main_window.form
    answers = dict(office_example.answers)
    risks = [dict(r) for r in answers["l_risks"]]
    assert len(risks) >= 2
    risks[0]["residual_level"] = "medium"
    risks[1].pop("residual_level", None)
    first, second = risks[0]["risk_id"], risks[1]["risk_id"]
    answers["l_risks"] = risks
    # The treatment plan's residual levels stand in for a blank one: none for the second item.
    answers["m_treatments"] = [r for r in answers["m_treatments"] if r.get("ref_id") != second]
    aid = repo.create(form.id, form.version, "剩余风险", answers)
    wizard = main_window.open_assessment(aid)
    wizard.jump_to_question("l_risks")
    panel = wizard.pages[wizard.currentId()].risk_panel
    items = {i.risk_id: i for i in wizard.grading.risk.items}
    assert items[first].residual_level == 2 and items[second].residual_level is None
    residual = panel.placed_residual()
    assert first in residual[2].split()
    assert all(second not in ids.split() for ids in residual.values())
    assert panel.residual_missing.isVisibleTo(panel)
    assert second in panel.residual_missing.text()
    # Giving the level in the row places the item at once.
    risks[1]["residual_level"] = "low"
    table = wizard.block("l_risks").widget
    table.set_value(risks)
    table.changed.emit()
    wizard.refresh_findings()
    assert second in panel.placed_residual()[1].split()
    assert not panel.residual_missing.isVisibleTo(panel)


def test_undo_of_a_row_edit_shows_that_row_not_the_first(risk_table, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard, _page, table = risk_table
    rows = table.value()
    assert len(rows) >= 2
    table.select_row(1)
    table.editors["threat_event"].editor.setText("改过的威胁事件")
    assert wizard.answers["l_risks"][1]["threat_event"] == "改过的威胁事件"
    table.select_row(0)  # the user looks elsewhere, then undoes
    wizard.undo_stack.undo()
    assert wizard.answers["l_risks"][1]["threat_event"] == rows[1]["threat_event"]
    assert table.current == 1
    page, bar = _page, _page.verticalScrollBar()
    top = table.detail.mapTo(page.widget(), table.detail.rect().topLeft()).y()
    qtbot.waitUntil(lambda: bar.value() <= top < bar.value() + 60, timeout=2000)  # the form shows
    assert table.editors["threat_event"].value() == rows[1]["threat_event"]
    wizard.undo_stack.redo()
    assert table.current == 1 and table.editors["threat_event"].value() == "改过的威胁事件"


def test_risk_item_picks_its_activity_and_linked_gaps_from_lists(risk_table, qtbot) -> None:  # type: ignore[no-untyped-def]
    """QA walk 2 #8: "对应处理活动" and "关联差距编号" were typed from memory. The columns named in
    form.yaml roles.pickers get a list beside the field; the value stays text."""
    from PySide6.QtCore import Qt

    wizard, _page, table = risk_table
    activities = wizard.form.role("report", "activities")
    first = wizard.form.question(activities).columns[0].id
    ids = [r[first] for r in wizard.answers[activities]]
    pickers = {key.partition(".")[2]: src for key, src in wizard.form.roles["pickers"].items()}
    act_col = next(c for c, s in pickers.items() if s == "activities")
    gap_col = next(c for c, s in pickers.items() if s == "gaps")
    act, gaps = table._pickers[act_col], table._pickers[gap_col]
    assert [code for code, _label in act.choices] == ids
    numbers = [code for code, _label in gaps.choices]
    assert numbers and all(n in {f.number for f in wizard.finding_list()} for n in numbers)
    table.select_row(0)
    act.pick(ids[-1])
    assert table.value()[0][act_col] == ids[-1]
    table.editors[gap_col].editor.setText("")
    gaps.pick(numbers[0])
    gaps.pick(numbers[-1])
    gaps.pick(numbers[0])  # already there: not twice
    expected = ", ".join(dict.fromkeys([numbers[0], numbers[-1]]))
    assert table.value()[0][gap_col] == expected
    field = table.editors[act_col].editor
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(act.menu.isVisible, timeout=2000)
    assert len(act.menu.actions()) == len(ids)
    act.menu.close()


def test_row_form_fields_are_named_for_screen_readers(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from pia_app.forms.loader import default_form
    from pia_app.ui.widgets import answer_widget

    q = default_form().question("l_risks")
    table = answer_widget(q)
    qtbot.addWidget(table)
    named = 0
    for col in q.columns:
        target = table.editors[col.id].focus_target()
        if isinstance(target, QLineEdit | QComboBox):
            assert target.accessibleName() == col.label["zh"]
            named += 1
    assert named >= len(q.columns) - 3  # all but the option boxes
