"""Undo/redo across the assessment with the autosave following; the approved revision opens
read-only with a banner that starts a re-review; contradictory ticks cannot be entered."""

from __future__ import annotations

import pytest

from pia_app.forms.schema import Option, Question

pytestmark = pytest.mark.gui


def edit(wizard, qid: str, value) -> None:  # type: ignore[no-untyped-def]
    widget = wizard.block(qid).widget
    widget.set_value(value)
    widget.changed.emit()


def test_undo_and_redo_across_sections_and_the_store_follows(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    edit(wizard, "b_minors", "possible")
    edit(wizard, "d_alternative", "exists_not_offered")
    edit(wizard, "b_minors", "none")
    assert wizard.undo_stack.count() == 3
    wizard.undo_stack.undo()
    assert wizard.answers["b_minors"] == "possible"
    assert wizard.block("b_minors").widget.value() == "possible"
    assert wizard.sections[wizard.currentId()].id == "B"  # the undone answer is shown
    wizard.undo_stack.undo()
    assert "d_alternative" not in wizard.answers
    assert wizard.block("d_alternative").widget.value() is None
    qtbot.waitUntil(
        lambda: main_window.repo.revision(aid).answers.get("b_minors") == "possible", timeout=3000
    )
    assert "d_alternative" not in main_window.repo.revision(aid).answers  # the autosave followed
    wizard.undo_stack.redo()
    wizard.undo_stack.redo()
    assert wizard.answers["d_alternative"] == "exists_not_offered"
    assert wizard.answers["b_minors"] == "none"
    wizard.flush()
    assert main_window.repo.revision(aid).answers["b_minors"] == "none"


def test_typing_in_one_field_is_one_undo_step_and_ctrl_z_undoes(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    main_window.show()
    qtbot.waitExposed(main_window)
    wizard = main_window.new_assessment()
    editor = wizard.block("a_controller_name").widget.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "ACME Ltd")
    assert wizard.answers["a_controller_name"] == "ACME Ltd"
    assert wizard.undo_stack.count() == 1
    main_window.activateWindow()
    wizard.sidebar.setFocus()
    qtbot.waitUntil(wizard.sidebar.hasFocus, timeout=2000)
    qtbot.keyClick(wizard.sidebar, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "a_controller_name" not in wizard.answers
    assert editor.text() == ""
    qtbot.keyClick(
        wizard.sidebar, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert wizard.answers["a_controller_name"] == "ACME Ltd"


def test_approved_revision_opens_read_only_with_banner_and_starts_review(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "已批准", office_example.answers)
    repo.submit(aid)
    repo.approve(aid, "李明", "负责人")
    main_window.refresh()
    wizard = main_window.open_assessment(aid)
    assert wizard.read_only
    assert not wizard.banner.isHidden()
    assert "只读" in wizard.banner_label.text()
    name = wizard.block("a_project_name").widget.editor
    assert name.isReadOnly()
    edit(wizard, "b_minors", "none")  # a programmatic change is ignored, never saved
    assert wizard.undo_stack.count() == 0

    main_window.ask_review = lambda: ("major_incident", "复评")
    wizard.review_button.click()
    assert repo.revision(aid).number == 2
    fresh = main_window.wizards[aid]
    assert fresh is not wizard and not fresh.read_only
    assert fresh.banner.isHidden()
    assert not fresh.block("a_project_name").widget.editor.isReadOnly()


def test_none_and_something_cannot_be_ticked_together(app_zh) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.widgets import MultiAnswer, MultiCell

    options = (
        Option("cctv", {"zh": "监控", "en": "CCTV"}),
        Option("badge", {"zh": "门禁卡", "en": "Badge"}),
        Option("none", {"zh": "无", "en": "None"}),
    )
    q = Question(id="x", type="multi", label={}, section_id="X", options=options)
    w = MultiAnswer(q)
    w.boxes["cctv"].setChecked(True)
    w.boxes["badge"].setChecked(True)
    w.boxes["none"].setChecked(True)
    assert w.value() == ["none"]
    w.boxes["badge"].setChecked(True)
    assert w.value() == ["badge"]

    from pia_app.forms.schema import Column

    cell = MultiCell(Column("c", "multi", {}, options))
    cell.choices["none"].setChecked(True)
    cell.choices["cctv"].setChecked(True)
    assert cell.value() == ["cctv"]
    cell.choices["none"].setChecked(True)
    assert cell.value() == ["none"]


def test_typing_in_a_table_cell_is_one_undo_step(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    table = wizard.block("a_assessors").widget
    table.add_row()
    table.changed.emit()
    before = wizard.undo_stack.count()
    cell = table.cells[0][0]
    qtbot.keyClicks(cell.editor, "Li Ming")
    assert wizard.answers["a_assessors"] == [{"name": "Li Ming"}]
    assert wizard.undo_stack.count() == before + 1
    wizard.undo_stack.undo()
    assert "a_assessors" not in wizard.answers
