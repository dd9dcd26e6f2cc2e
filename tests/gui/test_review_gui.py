"""Review window (comments, evaluation, roles, DPO advice, evidence) and the due view, driven
through the main window as a user would (dialogs that would block are replaced)."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from pia_app.store.review_store import ReviewStore
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.gui


def call_centre(window: Any) -> int:
    answers = json.loads((EXAMPLES / "call_centre_voiceprint.json").read_text("utf-8"))["answers"]
    aid = window.repo.create(window.form.id, window.form.version, "客服声纹")
    window.repo.save_answers(aid, answers)
    window.refresh()
    return int(aid)


def test_review_window_records_comments_evaluation_roles_advice_and_blocks_approval(
    main_window: Any, tmp_path: Path
) -> None:
    aid = call_centre(main_window)
    main_window.repo.set_actor_name("李明")
    dialog = main_window.action_review_panel.trigger() or main_window.review_dialogs[aid]
    errors = dialog.errors
    dialog.show_error = errors.append
    dialog.select_question("d_alternative")
    dialog.comment_text.setPlainText("拒绝声纹的客户 <走什么流程>？")
    thread = dialog.new_thread()
    assert thread is not None and thread.question_id == "d_alternative"
    assert dialog.tree.topLevelItemCount() == 1
    top = dialog.tree.topLevelItem(0)
    assert top.text(1).startswith("李明 ") and top.text(1).endswith("未解决") and "走什么流程" in top.text(2)

    dialog.section.setCurrentIndex(dialog.section.findData("F"))
    dialog.verdict.setCurrentIndex(dialog.verdict.findData("to_improve"))
    assert dialog.record_evaluation() is None and errors  # a comment is required
    dialog.eval_comment.setPlainText("重复提示的整改期限过长")
    assert dialog.record_evaluation() is not None
    assert dialog.eval_table.rowCount() == 1 and dialog.eval_table.item(0, 1).text() == "需改进"

    dialog.role_edits["author"].setText("王芳、张三，李四")
    dialog.role_edits["reviewer"].setText("李明")
    assert dialog.save_roles()
    assert ReviewStore(main_window.repo).roles(aid)["author"] == ["王芳", "张三", "李四"]
    dialog.dpo_advice.setPlainText("建议 30 天内整改")
    dialog.record_advice()
    dialog.overruled.setChecked(True)
    errors.clear()
    dialog.record_decision()
    assert errors  # overruling needs a reason
    dialog.dpo_reason.setText("排期已定")
    dialog.record_decision()
    assert "未采纳" in dialog.dpo_state.text()

    main_window.repo.submit(aid)
    main_window.ask_approval = lambda default: ("赵六", "总经理")
    assert main_window.approve_selected() is None
    assert "评论未解决" in main_window.errors[-1] and "d_alternative" in main_window.errors[-1]

    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    assert dialog.toggle_resolved() is not None
    assert main_window.approve_selected()
    assert main_window.repo.revision(aid).status == "approved"
    dialog.reload()
    assert not dialog.new_button.isEnabled() and not dialog.evidence.attach_button.isEnabled()
    dialog.close()


def test_evidence_attach_open_copy_is_private_and_remove(main_window: Any, tmp_path: Path) -> None:
    aid = call_centre(main_window)
    dialog = main_window.action_review_panel.trigger() or main_window.review_dialogs[aid]
    panel = dialog.evidence
    panel.show_error = dialog.errors.append
    shot = tmp_path / "同意界面.png"
    shot.write_bytes(b"\x89PNG consent screen")
    panel.ask_file = lambda: str(shot)
    panel.select_question("m_treatments")
    panel.row.setValue(3)
    panel.note.setText("IVR 改版")
    att = panel.attach()
    assert att is not None and (att.question_id, att.row_index, att.note) == ("m_treatments", 2, "IVR 改版")
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == att.sha256
    opened: list[Any] = []
    panel.open_url = opened.append
    panel.table.selectRow(0)
    copy = panel.open_selected()
    assert copy is not None and copy.read_bytes() == shot.read_bytes() and copy.name == "同意界面.png"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.parent.stat().st_mode) == 0o700
    assert main_window.db_file.parent not in copy.parents
    assert opened[0].toLocalFile() == str(copy)

    big = tmp_path / "big.bin"
    ReviewStore(main_window.repo).set_attachment_limit_mb(1)
    big.write_bytes(b"x" * (1024 * 1024 + 10))
    panel.ask_file = lambda: str(big)
    assert panel.attach() is None and "1 MB" in dialog.errors[-1]
    panel.confirm = lambda text: True
    panel.table.selectRow(0)
    assert panel.remove_selected() and panel.table.rowCount() == 0
    dialog.close()


def test_approver_who_also_wrote_is_asked_not_refused(main_window: Any) -> None:
    aid = call_centre(main_window)
    ReviewStore(main_window.repo).set_role(aid, "author", ["王芳"])
    main_window.repo.submit(aid)
    asked: list[str] = []
    main_window.ask_approval = lambda default: ("王芳", "总经理")
    main_window.confirm = lambda text: asked.append(text) or False
    assert main_window.approve_selected() is None
    assert "职责分离：王芳" in asked[0] and main_window.repo.revision(aid).status == "in_review"
    main_window.confirm = lambda text: True
    assert main_window.approve_selected()
    assert main_window.repo.revision(aid).status == "approved"


def test_due_view_lists_marks_done_and_writes_a_calendar(main_window: Any, tmp_path: Path) -> None:
    aid = call_centre(main_window)
    main_window.repo.submit(aid)
    main_window.repo.approve(aid, "赵六", "总经理")
    main_window.due_button.click()  # on the list page, beside Export
    view = main_window.due_view
    assert main_window.tabs.currentWidget() is view
    texts = [view.table.item(r, 2).text() for r in range(view.table.rowCount())]
    gap = next(r.number for r in main_window.form.rules if r.id == "f_repeat_prompts.yes")
    assert any(f"[{gap}]" in x for x in texts), texts
    row = next(r for r, x in enumerate(texts) if f"[{gap}]" in x)
    view.table.selectRow(row)
    assert view.done_button.isEnabled()
    proof = tmp_path / "上线记录.pdf"
    proof.write_bytes(b"%PDF release")
    view.ask_done = lambda item: (dt.date(2026, 12, 20), "已上线", proof)
    assert view.mark_done()
    assert not any(
        "f_repeat_prompts.yes" in view.table.item(r, 2).text() for r in range(view.table.rowCount())
    )
    entry = main_window.repo.audit(aid)[-1]
    assert entry["action"] == "treatment_status" and entry["detail"]["evidence"]["name"] == "上线记录.pdf"
    view.ask_save_path = lambda: str(tmp_path / "due")
    ics = view.export_calendar()
    assert ics is not None and ics.name == "due.ics" and ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    opened: list[int] = []
    view.open_requested.connect(opened.append)
    view.table.selectRow(0)
    assert view.open_selected() == aid and opened == [aid]
    main_window.tabs.tabCloseRequested.emit(main_window.tabs.indexOf(view))
    assert main_window.due_view is None


def test_review_window_starts_on_the_question_being_edited(main_window: Any, qtbot: Any) -> None:
    aid = call_centre(main_window)
    editor = main_window.open_assessment(aid)
    editor.jump_to_question("d_alternative")
    block = editor.block("d_alternative")
    main_window.show()
    qtbot.waitExposed(main_window)
    block.widget.setFocus()
    qtbot.waitUntil(lambda: block.isAncestorOf(main_window.focusWidget()) or block.widget.hasFocus())
    dialog = main_window.action_review_panel.trigger() or main_window.review_dialogs[aid]
    assert dialog.question.currentData() == "d_alternative"
    assert dialog.evidence.question.currentData() == "d_alternative"
    assert dialog.section.currentData() == "D"
    dialog.close()


def test_every_question_has_a_comments_button_with_its_open_count(main_window: Any, qtbot: Any) -> None:
    aid = call_centre(main_window)
    ReviewStore(main_window.repo, main_window.form).open_thread(aid, "d_alternative", "走什么流程？")
    editor = main_window.open_assessment(aid)
    editor.jump_to_question("d_alternative")
    qtbot.waitUntil(lambda: "d_alternative" in editor.review_buttons)
    button = editor.review_buttons["d_alternative"]
    assert button.text() == "评论（1 个未解决）"
    others = [b for q, b in editor.review_buttons.items() if q != "d_alternative"]
    assert others and all(b.text() == "评论" for b in others)
    button.click()
    dialog = main_window.review_dialogs[aid]
    assert dialog.question.currentData() == "d_alternative"
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.toggle_resolved()
    assert button.text() == "评论"  # the badge follows the review window
    dialog.close()
    m_index = editor.section_index("m_treatments")
    editor.go_to(m_index)
    qtbot.waitUntil(lambda: "m_treatments" in editor.review_buttons)


def test_review_window_rereads_when_activated_and_survives_a_deleted_assessment(main_window: Any) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    aid = call_centre(main_window)
    dialog = main_window.action_review_panel.trigger() or main_window.review_dialogs[aid]
    dialog.show_error = dialog.errors.append
    assert dialog.new_button.isEnabled()
    main_window.repo.submit(aid)
    main_window.repo.approve(aid, "赵六", "总经理")  # e.g. from the command line meanwhile
    QApplication.sendEvent(dialog, QEvent(QEvent.Type.WindowActivate))
    assert not dialog.new_button.isEnabled() and "已批准" in dialog.header.text()
    other = call_centre(main_window)
    from pia_app.ui.review_dialog import ReviewDialog

    second = ReviewDialog(main_window.repo, main_window.form, other, main_window)
    second.show_error = second.errors.append
    main_window.repo.delete(other)
    second.reload()
    assert second.errors and not second.new_button.isEnabled()
    dialog.close()
    second.close()
