"""Submit for review with required answers missing: refused with a dialog listing the missing
questions by section, each a link that opens the assessment at that question (issue 8)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.gui


def test_submit_incomplete_lists_missing_questions_and_links_to_them(main_window: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QPoint, QUrl

    from pia_app.engine.completeness import section_completeness
    from pia_app.forms.answers import default_answers
    from pia_app.i18n import pick
    from pia_app.ui.incomplete_dialog import IncompleteDialog

    repo, form = main_window.repo, main_window.form
    answers = dict(default_answers(form), a_project_name="缺项评估")
    aid = repo.create(form.id, form.version, "缺项评估", answers)
    main_window.refresh()
    shown: list[Any] = []
    main_window.show_dialog = shown.append

    assert main_window.submit_selected() is None
    assert repo.revision(aid).status == "draft"
    assert main_window.errors == []  # not the one-line message: the dialog
    assert len(shown) == 1 and isinstance(shown[0], IncompleteDialog)
    dialog = shown[0]

    missing = [s for s in section_completeness(form, answers) if s.missing]
    expected = [qid for s in missing for qid in s.missing]
    assert list(dialog.links) == expected and len(expected) > 1
    text = dialog.view.toPlainText()
    for sec in missing:  # grouped by section: each title comes before its questions
        title_at = text.index(pick(sec.title))
        assert all(text.index(dialog.links[q]) > title_at for q in sec.missing)
    assert f"不能提交审核：以下 {len(expected)} 个必答问题尚未回答" in dialog.explain.text()

    main_window.show()
    qtbot.waitExposed(main_window)
    target = expected[-1]
    assert aid not in main_window.wizards
    dialog.view.anchorClicked.emit(QUrl(f"q:{target}"))  # what a click on the link does
    wizard = main_window.wizards[aid]  # the assessment was opened by the link
    assert main_window.tabs.currentWidget() is wizard
    block = wizard.block(target)
    assert wizard.section_index(target) == wizard.currentId()
    qtbot.waitUntil(lambda: block.isAncestorOf(main_window.focusWidget()), timeout=2000)
    page = wizard.pages[wizard.currentId()]
    qtbot.wait(300)  # the page settles (comment buttons are added a moment later): still in view
    top = block.mapTo(page.viewport(), QPoint(0, 0)).y()
    assert top >= 0 and top + block.height() <= page.viewport().height()
    dialog.close()


def test_submit_incomplete_is_refused_before_asking_about_open_gaps(main_window: Any) -> None:
    repo, form = main_window.repo, main_window.form
    repo.create(form.id, form.version, "缺项", {"a_project_name": "缺项"})
    main_window.refresh()
    shown: list[Any] = []
    main_window.show_dialog = shown.append
    assert main_window.submit_selected() is None
    assert main_window.confirmations == []  # no "submit anyway?" question for a refused submit
    assert len(shown) == 1 and shown[0].links


def test_approve_incomplete_is_refused_before_asking_who_signs(main_window: Any) -> None:
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "缺项", {"a_project_name": "缺项"})
    repo.submit(aid)  # the store alone does not check completeness (an old file, the CLI gate aside)
    main_window.refresh()
    asked: list[str] = []
    main_window.ask_approval = lambda default: asked.append(default)
    shown: list[Any] = []
    main_window.show_dialog = shown.append
    assert main_window.approve_selected() is None
    assert asked == [] and repo.revision(aid).status == "in_review"
    assert len(shown) == 1 and "不能审批" in shown[0].explain.text()
