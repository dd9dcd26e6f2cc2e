"""The assessment opens in a tab of the main window: lazy pages, sidebar navigation, where the
user was, remembered geometry, menus acting on the open assessment."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def built(wizard) -> list[str]:  # type: ignore[no-untyped-def]
    return [wizard.sections[i].id for i, p in enumerate(wizard.pages) if p is not None]


def click_section(qtbot, wizard, section_id: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    row = next(i for i, s in enumerate(wizard.sections) if s.id == section_id)
    item = wizard.sidebar.item(row)
    rect = wizard.sidebar.visualItemRect(item)
    qtbot.mouseClick(wizard.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_assessment_opens_in_a_tab_with_only_its_first_page_built(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    assert main_window.tabs.currentWidget() is wizard
    assert main_window.tabs.count() == 2
    assert built(wizard) == ["A"]
    assert "保存" in wizard.close_button.text()
    wizard.next()
    assert built(wizard) == ["A", "B"]
    assert wizard.save_and_close()
    assert main_window.tabs.count() == 1 and main_window.wizards == {}


def test_sidebar_click_goes_there_and_reopening_returns_there(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.show()
    qtbot.waitExposed(main_window)
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    click_section(qtbot, wizard, "F")
    assert wizard.sections[wizard.currentId()].id == "F"
    assert wizard.stack.currentWidget() is wizard.pages[wizard.currentId()]
    assert built(wizard) == ["A", "F"]
    wizard.save_and_close()
    reopened = main_window.open_assessment(aid)
    assert reopened.sections[reopened.currentId()].id == "F"
    assert built(reopened) == ["F"]


def test_sidebar_counts_and_gap_marks_follow_answers(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    row = next(i for i, s in enumerate(wizard.sections) if s.id == "D")
    before = wizard.sidebar.item(row).text()
    wizard.block("b_uses_face_recognition").widget.set_value(True)
    wizard.block("b_uses_face_recognition").widget.changed.emit()
    wizard.block("d_alternative").widget.set_value("exists_not_offered")
    wizard.block("d_alternative").widget.changed.emit()
    wizard.refresh_findings()
    after = wizard.sidebar.item(row).text()
    assert after != before
    d_gaps = [f for f in wizard.finding_list() if f.section_id == "D"]
    assert d_gaps and f"差距 {len(d_gaps)}" in after
    count = wizard.counts["D"]
    assert f"已答 {count.answered}/{count.required}" in after


def test_section_that_does_not_apply_is_hidden_in_the_sidebar(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    row = next(i for i, s in enumerate(wizard.sections) if s.id == "H")
    wizard.block("b_uses_face_recognition").widget.set_value(False)
    wizard.block("b_uses_face_recognition").widget.changed.emit()
    assert wizard.sidebar.item(row).isHidden()
    wizard.block("b_uses_face_recognition").widget.set_value(True)
    wizard.block("b_uses_face_recognition").widget.changed.emit()
    wizard.block("b_rd_training_only").widget.set_value(False)
    wizard.block("b_rd_training_only").widget.changed.emit()
    assert not wizard.sidebar.item(row).isHidden()


def test_finding_link_jumps_to_its_question(main_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl

    wizard = main_window.new_assessment()
    assert "q:" in wizard.findings_html()
    wizard.findings_view.anchorClicked.emit(QUrl("q:d_alternative"))
    assert wizard.sections[wizard.currentId()].id == "D"


def test_window_geometry_and_splitter_are_remembered(app_zh, qtbot, isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.main_window import MainWindow

    first = MainWindow(None)
    qtbot.addWidget(first)
    first.resize(760, 540)  # the offscreen screen is 800×600
    wizard = first.new_assessment()
    wizard.splitter.setSizes([260, 500, 240])
    sizes = wizard.splitter.sizes()
    first.close()
    assert (isolated_data_dir / "ui-state.ini").exists()

    second = MainWindow(None)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 540)
    reopened = second.open_assessment(wizard.assessment_id)
    assert reopened.splitter.sizes()[0] == sizes[0]
    second.close()


def test_menus_act_on_the_open_assessment(main_window) -> None:  # type: ignore[no-untyped-def]
    first = main_window.new_assessment()
    first.block("a_project_name").widget.editor.setText("第一个")
    second = main_window.new_assessment()
    second.block("a_project_name").widget.editor.setText("第二个")
    assert main_window.selected_id() == second.assessment_id
    main_window.tabs.setCurrentWidget(first)
    assert main_window.selected_id() == first.assessment_id
    shown = []
    main_window.show_dialog = shown.append
    dialog = main_window.history_selected()
    assert dialog.assessment_id == first.assessment_id
    assert main_window.repo.revision(first.assessment_id).answers["a_project_name"] == "第一个"
    assert main_window.tabs.tabText(main_window.tabs.indexOf(first)) == "第一个"
    main_window.tabs.tabCloseRequested.emit(main_window.tabs.indexOf(second))
    assert second.assessment_id not in main_window.wizards
    assert main_window.repo.revision(second.assessment_id).answers["a_project_name"] == "第二个"


def test_window_never_restores_larger_than_the_screen(app_zh, qtbot, isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.main_window import MainWindow
    from pia_app.ui.ui_state import available_area

    first = MainWindow(None)
    qtbot.addWidget(first)
    first.resize(3000, 2000)
    first.close()
    second = MainWindow(None)
    qtbot.addWidget(second)
    area = available_area(second)
    assert second.width() <= area.width() and second.height() <= area.height()
    second.close()


def test_treatment_row_picks_its_gap_or_risk_from_a_list(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.widgets import RefPicker

    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "处置", office_example.answers)
    wizard = main_window.open_assessment(aid)
    table = wizard.block("m_treatments").widget
    picker = table.editors["ref_id"]
    assert isinstance(picker, RefPicker)
    codes = [c for c, _label in picker.choices]
    assert any(c.startswith("R") for c in codes)
    numbers = [gap_number for gap_number in (f.number for f in wizard.finding_list()) if gap_number]
    assert numbers and numbers[0] in codes
    table.select_row(0)
    ref = office_example.answers["m_treatments"][0]["ref_id"]
    assert picker.value() == ref
    assert ref in picker.combo.currentText()  # the gap it names, or marked as no longer open
    rule_id = next(r.id for r in form.rules if r.number == ref)
    picker.set_value(rule_id)  # an older file names the gap by its rule id: the same gap is shown
    if ref in codes:
        assert picker.combo.currentText().startswith(ref)
    assert picker.value() == rule_id
    picker.combo.setCurrentIndex(picker.combo.findText(picker.choices[0][1]))
    assert wizard.answers["m_treatments"][0]["ref_id"] == picker.choices[0][0]


def test_f1_shows_help_and_cited_provisions_of_the_focused_question(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    main_window.show()
    qtbot.waitExposed(main_window)
    wizard = main_window.new_assessment()
    shown: list[tuple[str, str]] = []
    wizard.show_help = lambda title, html: shown.append((title, html))
    wizard.jump_to_question("a_controller_name")
    target = wizard.block("a_controller_name").widget.editor
    qtbot.waitUntil(target.hasFocus, timeout=2000)
    qtbot.keyClick(target, Qt.Key.Key_F1)
    assert len(shown) == 1
    title, html = shown[0]
    q = wizard.form.question("a_controller_name")
    assert title == q.label["zh"]
    from pia_app.forms.citations import format_refs

    assert format_refs(wizard.form, q.refs[:1], "zh") in html
    assert "《中华人民共和国个人信息保护法》" in html


def test_question_labels_are_buddies_of_their_fields(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    for qid in ("a_project_name", "a_scope", "a_assessment_type"):
        block = wizard.block(qid)
        assert block.label.buddy() is block.widget.focus_target()
        assert block.widget.focus_target().accessibleName().startswith(block.question.label["zh"])


def test_risk_page_places_every_item_on_the_heat_map_live(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "风险", office_example.answers)
    wizard = main_window.open_assessment(aid)
    wizard.jump_to_question("l_risks")
    panel = wizard.pages[wizard.currentId()].risk_panel
    assert panel is not None
    items = wizard.grading.risk.items
    placed = panel.placed()
    for item in items:
        assert item.risk_id in placed[(item.impact, item.likelihood)]
    assert all(item.risk_id in panel.items_label.text() for item in items)
    rows = [dict(r) for r in office_example.answers["l_risks"]]
    rows[0]["impact_d1"] = "severe"
    rows[0]["impact_d1_reason"] = "全部员工"
    table = wizard.block("l_risks").widget
    table.set_value(rows)
    table.changed.emit()
    wizard.refresh_findings()
    moved = next(i for i in wizard.grading.risk.items if i.risk_id == rows[0].get("risk_id"))
    assert moved.impact == 4
    assert moved.risk_id in panel.placed()[(4, moved.likelihood)]


def test_focus_starts_on_the_first_question_of_a_page(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    wizard = main_window.new_assessment()
    wizard.next()
    page = wizard.pages[wizard.currentId()]
    first = page.first_visible_block()
    target = first.widget.focus_target()
    qtbot.waitUntil(target.hasFocus, timeout=2000)


def test_other_pages_are_built_in_idle_time_after_opening(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    assert built(wizard) == ["A"]
    visible = [wizard.sections[i].id for i in wizard.visible_page_ids()]
    qtbot.waitUntil(lambda: built(wizard) == visible, timeout=15000)
    assert not wizard.prebuild_timer.isActive() or built(wizard) == visible


def test_reopening_returns_to_the_same_place_on_the_page(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.resize(780, 560)
    main_window.show()
    qtbot.waitExposed(main_window)
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    wizard.go_to(next(i for i, s in enumerate(wizard.sections) if s.id == "F"))
    bar = wizard.pages[wizard.currentId()].verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 150, timeout=3000)
    bar.setValue(150)
    wizard.save_and_close()
    reopened = main_window.open_assessment(aid)
    again = reopened.pages[reopened.currentId()].verticalScrollBar()
    qtbot.waitUntil(lambda: again.value() == 150, timeout=3000)
