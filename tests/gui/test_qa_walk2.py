"""Findings of the second QA walk (docs/qa-findings.md, "QA walk 2"), one test each."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_date_fields_show_their_placeholder_and_dates_whole(qapp, qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The placeholder was cut ("年-月-日，如 20…") and grid date cells showed "1-30" (QA walk 2 #7)."""
    from pia_app.forms.loader import default_form
    from pia_app.ui.app import configure_app
    from pia_app.ui.widgets import DateAnswer, TableAnswer, answer_widget

    configure_app(qapp, lang)
    try:
        date = DateAnswer()
        qtbot.addWidget(date)
        date.show()
        qtbot.waitExposed(date)
        metrics = date.editor.fontMetrics()
        assert date.editor.width() >= metrics.horizontalAdvance(date.editor.placeholderText()) + 30
        table = answer_widget(default_form().question("m_approval"))
        assert isinstance(table, TableAnswer)
        qtbot.addWidget(table)
        table.set_value([{"name": "李静", "date": "2026-11-30"}])
        table.resize(476, 300)
        table.show()
        qtbot.waitExposed(table)
        column = next(i for i, c in enumerate(table.columns) if c.type == "date")
        cell = table.cells[0][column]
        assert isinstance(cell, DateAnswer)
        need = metrics.horizontalAdvance("2026-11-30") + 30
        qtbot.waitUntil(lambda: cell.editor.width() >= need, timeout=2000)
        assert cell.editor.text() == "2026-11-30"
    finally:
        configure_app(qapp, "zh")


def test_enter_right_after_opening_the_calendar_picks_the_highlighted_day(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QApplication

    from pia_app.ui.widgets import DateAnswer

    date = DateAnswer()
    qtbot.addWidget(date)
    date.show()
    qtbot.waitExposed(date)
    date.calendar_menu.popup(date.mapToGlobal(QPoint(0, date.height())))  # what the button does
    qtbot.waitUntil(
        lambda: date.calendar.hasFocus() or date.calendar.isAncestorOf(QApplication.focusWidget()),
        timeout=2000,
    )
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not date.calendar_menu.isVisible(), timeout=2000)
    assert date.value() == dt.date.today().isoformat()


def test_approve_dialog_drops_its_refusal_once_the_role_is_typed(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.dialogs import ApproveDialog

    dialog = ApproveDialog("李静", [])
    qtbot.addWidget(dialog)
    dialog._accept()  # OK with no role: refused, in red
    assert dialog.message.isVisibleTo(dialog) and dialog.result() == 0
    dialog.role.setText("个人信息保护负责人")
    assert not dialog.message.isVisibleTo(dialog)
    dialog.name.setText("")
    dialog._accept()
    assert dialog.message.isVisibleTo(dialog) and dialog.message.text() == "请填写批准人姓名。"


def test_approver_proposed_is_the_named_approver_else_the_user_with_a_note(main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from pia_app.store.review_store import ReviewStore
    from pia_app.ui import review_hooks
    from pia_app.ui.dialogs import ApproveDialog

    main_window.repo.set_actor_name("王敏")
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    assert review_hooks.default_approver(main_window, aid) == "王敏"
    notes: list[tuple[str, bool]] = []

    def fake_exec(dialog: ApproveDialog) -> int:  # never exec() a modal dialog in a test
        notes.append((dialog.name.text(), dialog.note.isVisibleTo(dialog)))
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(ApproveDialog, "exec", fake_exec)
    assert main_window.ask_approval("王敏") is None
    ReviewStore(main_window.repo).set_role(aid, "approver", ["李静"])
    assert review_hooks.default_approver(main_window, aid) == "李静"
    assert main_window.ask_approval("李静") is None
    assert notes == [("王敏", True), ("李静", False)]  # the note only when it is the user's own name


def test_deleting_a_retained_assessment_is_refused_first_in_the_windows_words(
    main_window, office_example
) -> None:  # type: ignore[no-untyped-def]
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "门禁评估", office_example.answers)
    repo.submit(aid)
    repo.approve(aid, "李明", "负责人")
    main_window.refresh()
    asked: list[str] = []
    main_window.confirm = lambda text: asked.append(text) or True  # type: ignore[method-assign]
    main_window.selected_id = lambda: aid  # type: ignore[method-assign]
    assert main_window.delete_selected() is None
    assert asked == []  # no "delete?" question for what cannot be deleted
    message = main_window.errors[-1]
    assert "门禁评估" in message and "归档" in message and "--force" not in message
    assert repo.get(aid)


def test_deleting_a_draft_says_it_was_deleted(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "草稿评估", office_example.answers)
    main_window.refresh()
    main_window.selected_id = lambda: aid  # type: ignore[method-assign]
    assert main_window.delete_selected() is not None
    assert "草稿评估" in main_window.statusBar().currentMessage()


def test_titles_are_quoted_once_in_messages() -> None:
    from pia_app.ui.main_window import quoted

    assert quoted("门禁评估") == "“门禁评估”"
    assert quoted("“秒变脸”换脸特效评估") == "“秒变脸”换脸特效评估"


def test_risk_line_says_an_adjustment_once(app_zh, office_example) -> None:  # type: ignore[no-untyped-def]
    from pia_app.engine.risk import RiskItemGrade
    from pia_app.forms.loader import default_form
    from pia_app.ui.risk_panel import RiskPanel

    panel = RiskPanel(default_form())
    item = RiskItemGrade("R1", "", "", 3, 2, 2, None, (), {}, ("impact:sensitive_scale",), ())
    text = panel.adjustments_text(item)
    assert text.startswith("+1 ") and "(+1)" not in text


def test_sidebar_gets_wider_on_a_wider_window_the_first_time(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.resize(1366, 768)
    main_window.show()
    qtbot.waitExposed(main_window)
    wizard = main_window.new_assessment()
    qtbot.waitUntil(lambda: wizard.splitter.sizes()[0] > 240, timeout=3000)
    assert wizard.splitter.sizes()[1] >= 560


def test_export_dialog_starts_in_the_last_export_folder_and_links_expire(
    main_window, office_example, tmp_path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import pia_app.ui.main_window as mw

    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "导出位置", office_example.answers)
    main_window.refresh()
    main_window.selected_id = lambda: aid  # type: ignore[method-assign]
    folder = tmp_path / "导出 目录"
    folder.mkdir()
    asked: list[str] = []

    def save_to(suggested: str, file_filter: str | None = None) -> str:
        asked.append(suggested)
        return str(folder / "data.json")

    main_window.ask_save_path = save_to  # type: ignore[method-assign]
    monkeypatch.setattr(mw, "EXPORT_LINKS_MS", 50)
    assert main_window.export_data() == folder / "data.json"
    assert not main_window.export_links.isHidden()
    qtbot.waitUntil(main_window.export_links.isHidden, timeout=2000)  # the links go after a while
    main_window.export_data()
    assert Path(asked[0]).parent == Path.home() and Path(asked[1]).parent == folder


def test_help_lists_every_menu_shortcut(main_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QKeySequence

    shown: list[tuple[str, str]] = []
    main_window.show_text = lambda title, html: shown.append((title, html))  # type: ignore[method-assign]
    help_menu = main_window.menuBar().actions()[-1].menu()
    next(a for a in help_menu.actions() if "K" in a.text()).trigger()
    assert shown and shown[0][0] == "键盘快捷键"
    html = shown[0][1]
    for top in main_window.menuBar().actions():
        for action in top.menu().actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
            if keys:
                assert keys in html, (action.text(), keys)
    assert "F1" in html and "Ctrl+Z" in html


def new_assessment_typing_its_name(main_window, qtbot):  # type: ignore[no-untyped-def]
    """A new assessment in a window on screen, the keyboard in its name field (a QLineEdit)."""
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    wizard = main_window.new_assessment()
    field = wizard.block("a_project_name").widget.editor
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    return wizard, field


def test_ctrl_z_in_a_field_is_the_assessments_undo_not_the_fields(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    wizard, field = new_assessment_typing_its_name(main_window, qtbot)
    qtbot.keyClicks(field, "PA")
    assert wizard.answers.get("a_project_name") == "PA"
    depth = wizard.undo_stack.count()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == ""  # the typing undone as one step, by the assessment's undo
    assert wizard.answers.get("a_project_name") is None
    assert wizard.undo_stack.count() == depth  # no new change recorded by the field's own undo
    assert wizard.undo_stack.canRedo()
    qtbot.keyClick(
        field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert field.text() == "PA" and wizard.answers.get("a_project_name") == "PA"


def test_treatment_picker_skips_plan_gaps_marks_planned_stays_short(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    repo, form = main_window.repo, main_window.form
    answers = dict(office_example.answers)
    treatments = form.role("tables", "treatments")
    # a row naming nothing that exists: the plan-level gap M-93 is raised
    answers[treatments] = [*answers[treatments], {"ref_id": "X-99", "measure": "无"}]
    aid = repo.create(form.id, form.version, "处置", answers)
    wizard = main_window.open_assessment(aid)
    plan_tables = {treatments, form.role("tables", "acceptance")}
    choices = dict(wizard.ref_choices())
    plan_gaps = [f for f in wizard.finding_list() if plan_tables & set(f.question_ids)]
    assert plan_gaps and all((f.number or f.rule_id) not in choices for f in plan_gaps)
    planned = {r["ref_id"] for r in answers[treatments]}
    for code, label in choices.items():
        assert label.endswith("（已有措施）") == (code in planned), (code, label)
        assert len(label) <= 70, label


def test_escape_closes_the_help_and_the_keyboard_returns_to_the_question(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    wizard, field = new_assessment_typing_its_name(main_window, qtbot)
    wizard.show_help("评估项目名称", "<p>帮助</p>")  # the real, non-modal window
    dialog = next(d for d in wizard.findChildren(QDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=2000)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    qtbot.waitUntil(field.hasFocus, timeout=2000)


def test_tab_into_a_question_shows_all_of_its_options(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from pia_app.ui.widgets import SingleAnswer

    main_window.resize(1024, 600)
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    wizard = main_window.new_assessment()
    wizard.go_to(next(i for i, s in enumerate(wizard.sections) if s.id == "B"))
    page = wizard.pages[wizard.currentId()]
    qtbot.waitUntil(lambda: page.complete, timeout=5000)  # pages are built in slices (issue 12)
    qtbot.wait(50)
    blocks = [b for b in page.blocks.values() if not b.isHidden()]
    index = next(
        i
        for i, b in enumerate(blocks)
        if i > 0
        and isinstance(b.widget, SingleAnswer)
        and b.widget.group is not None
        and len(b.widget.codes) >= 3
    )
    before, target = blocks[index - 1], blocks[index]
    field = before.widget.focus_target()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    bar = page.verticalScrollBar()
    # the previous question's comment button at the bottom edge, the radio question below it
    top = target.mapTo(page.widget(), target.rect().topLeft()).y()
    bar.setValue(max(0, top - page.viewport().height() + 10))
    for _ in range(4):  # out of the previous question (its field, its comment button) into this one
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if target.isAncestorOf(QApplication.focusWidget()):
            break
    assert target.isAncestorOf(QApplication.focusWidget())
    bottom = target.mapTo(page.widget(), target.rect().bottomLeft()).y()
    assert bottom <= bar.value() + page.viewport().height()


def test_audit_trail_says_old_and_new_values_in_words(app_zh, form) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.audit_text import describe

    text = describe(
        form,
        "answered",
        {
            "changes": {
                "a_project_name": [None, "门禁系统"],
                "b_uses_face_recognition": [False, True],
                "a_assessors": [[], [{"name": "王敏"}, {"name": "李静"}]],
                "a_scope": ["旧", {"sha256": "ab" * 32, "chars": 5000}],
            }
        },
    )
    assert "门禁系统" in text and "未填写 → 门禁系统" in text
    assert "否 → 是" in text
    assert "2 行" in text and "5000 字符" in text
    created = describe(form, "created", {"form": form.id, "version": form.version})
    assert form.id not in created and form.title["zh"] in created and "；" in created


def test_a_new_draft_shows_sections_not_started_instead_of_red_gaps(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    row = next(i for i, s in enumerate(wizard.sections) if s.id == "D")
    assert any(f.section_id == "D" for f in wizard.finding_list())  # the engine still finds them
    text = wizard.sidebar.item(row).text()
    assert "未开始" in text and "差距" not in text
    html = wizard.findings_html()
    assert "尚未开始的部分" in html and "D-01" in html  # named, linked, in one grey line
    # once something in D is answered, its gaps show as usual
    block = wizard.block("d_specific_purpose")
    block.widget.set_value("门禁通行")
    block.widget.changed.emit()
    wizard.refresh_findings()
    d_text = wizard.sidebar.item(row).text()
    assert "未开始" not in d_text


def test_submit_says_which_roles_are_not_recorded_yet(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    from pia_app.store.review_store import ReviewStore

    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "角色", office_example.answers)
    main_window.refresh()
    main_window.selected_id = lambda: aid  # type: ignore[method-assign]
    ReviewStore(repo).set_role(aid, "author", ["王敏"])
    assert main_window.submit_selected() is not None
    message = main_window.statusBar().currentMessage()
    assert "已提交审核" in message and "审核人" in message and "编写人" not in message
