"""What a page switch does, and what it no longer does (issue 12): switching to a page shown
before builds nothing, grades nothing and decorates nothing; the other pages are built ahead in
idle time, ready for their first show; a page not built yet is shown with its top and completes
itself; a closed editor stops building. Behaviour only: nothing here is timed."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.gui

LONG = 20_000
"""Upper bound (ms) for idle work awaited by a test: a failure limit, not a timing assertion."""


@pytest.fixture
def editor(main_window: Any, office_example: Any, qtbot: Any) -> Any:
    """The office example (answers in every section) open in a window on screen."""
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "切换", office_example.answers)
    main_window.resize(1024, 600)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window.open_assessment(aid)


def all_built(wizard: Any) -> bool:
    return all(wizard.pages[i] is not None and wizard.pages[i].complete for i in wizard.visible_page_ids())


def test_other_pages_are_built_ahead_and_prepared_then_the_work_stops(editor: Any, qtbot: Any) -> None:
    wizard = editor
    qtbot.waitUntil(lambda: all_built(wizard) and not wizard.prebuild_timer.isActive(), timeout=LONG)
    assert wizard._lay_out_ahead == []  # each page laid out, painted off screen and shown unseen
    pages = [wizard.pages[i] for i in wizard.visible_page_ids()]
    assert [p for p in pages if p.isVisible()] == [wizard.stack.currentWidget()]  # none left showing
    # Every question has its comment button as soon as its page was built.
    assert set(wizard.review_buttons) == set(wizard.blocks)


def test_switching_to_a_page_shown_before_builds_grades_and_decorates_nothing(
    editor: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QWidget

    import pia_app.ui.wizard as wizard_module

    wizard = editor
    qtbot.waitUntil(lambda: all_built(wizard) and not wizard.prebuild_timer.isActive(), timeout=LONG)
    order = wizard.visible_page_ids()
    for index in order:  # every page shown once
        wizard.go_to(index)
    graded: list[int] = []
    real_grade = wizard_module.grade_assessment
    monkeypatch.setattr(
        wizard_module, "grade_assessment", lambda *a, **k: graded.append(1) or real_grade(*a, **k)
    )
    widgets = len(wizard.findChildren(QWidget))
    buttons = dict(wizard.review_buttons)
    for index in [*reversed(order), *order]:
        wizard.go_to(index)
        qtbot.wait(1)  # let deferred work, if any, run
        assert wizard.stack.currentWidget() is wizard.pages[index]
        assert [p for p in wizard.stack._pages if p.isVisible()] == [wizard.pages[index]]
    assert graded == []
    assert len(wizard.findChildren(QWidget)) == widgets
    assert wizard.review_buttons == buttons
    assert wizard.sidebar.currentRow() == order[-1]


def test_a_page_not_built_yet_shows_its_top_then_completes_itself(editor: Any, qtbot: Any) -> None:
    wizard = editor
    wizard.stop_background()  # as if the user jumped before anything was built ahead
    last = wizard.visible_page_ids()[-1]
    assert wizard.pages[last] is None
    wizard.go_to(last)
    page = wizard.pages[last]
    assert wizard.stack.currentWidget() is page and page.isVisible()
    top = len(page.built_blocks())
    total = len(wizard.sections[last].questions)
    assert 0 < top < total and not page.complete  # a paneful, not the whole section
    first = page.first_visible_block()
    assert first is not None and first.widget.focus_target().hasFocus()
    # The rest comes in idle time, before anything else, with comment buttons and answers.
    qtbot.waitUntil(lambda: page.complete, timeout=LONG)
    assert all(qid in wizard.review_buttons for qid in page.built_blocks())
    for qid, block in page.built_blocks().items():
        assert block.widget.value() == wizard.answers.get(qid)


def test_opening_shows_the_first_page_by_its_top_and_completes_it_after(
    main_window: Any, office_example: Any, qtbot: Any
) -> None:
    """The editor's first page is built before the editor is on screen, a paneful for the tab
    area it opens in; the rest, with answers and comment buttons, once it has been painted."""
    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "打开", office_example.answers)
    main_window.resize(1024, 600)
    main_window.show()
    wizard = main_window.open_assessment(aid)
    first = wizard.visible_page_ids()[0]
    page = wizard.pages[first]
    top = len(page.built_blocks())
    assert 0 < top < len(wizard.sections[first].questions) and not page.complete
    assert [p for p in wizard.pages if p is not None] == [page]  # nothing else built yet
    block = page.first_visible_block()
    assert block is not None and main_window.focusWidget() is block.widget.focus_target()
    qtbot.waitUntil(lambda: page.complete, timeout=LONG)
    assert all(qid in wizard.review_buttons for qid in page.built_blocks())
    for qid, built in page.built_blocks().items():
        assert built.widget.value() == wizard.answers.get(qid)


def test_an_editor_made_off_screen_builds_its_first_page_whole(main_window: Any, office_example: Any) -> None:
    from pia_app.ui.wizard import AssessmentWizard

    repo, form = main_window.repo, main_window.form
    aid = repo.create(form.id, form.version, "隐藏", office_example.answers)
    wizard = AssessmentWizard(repo, form, aid)  # no tab area on screen: its height is unknown
    try:
        page = wizard.pages[wizard.visible_page_ids()[0]]
        assert page is not None and page.complete
    finally:
        wizard.stop_background()
        wizard.deleteLater()


def test_asking_a_half_built_page_for_its_blocks_completes_it(editor: Any) -> None:
    wizard = editor
    wizard.stop_background()
    last = wizard.visible_page_ids()[-1]
    wizard.go_to(last)
    page = wizard.pages[last]
    assert not page.complete
    assert [q.id for q in wizard.sections[last].questions] == list(page.blocks)
    assert page.complete and wizard.block(wizard.sections[last].questions[-1].id) is not None


def test_a_closed_editor_builds_nothing_more(main_window: Any) -> None:
    wizard = main_window.new_assessment()
    assert wizard.save_and_close()
    assert not wizard.prebuild_timer.isActive()
    # Deleted only when the event loop gets to it: until then, neither the editor's first paint
    # nor the fallback timer starts building ahead again.
    wizard._start_prebuild()
    assert not wizard.prebuild_timer.isActive()
