"""An open editor's save never undoes a change made meanwhile elsewhere (the CLI, another window):
it sees the newer revision and asks, reload or keep mine (issue 9)."""

from __future__ import annotations

from typing import Any

import pytest

from pia_app.store.repository import Repository
from pia_app.ui import wizard as wizard_mod

pytestmark = pytest.mark.gui


def edit(wizard, qid: str, value) -> None:  # type: ignore[no-untyped-def]
    widget = wizard.block(qid).widget
    widget.set_value(value)
    widget.changed.emit()


def asked_with(wizard, answer: str) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    """Replace the question with a fixed answer; return the list of questions asked."""
    asked: list[tuple[str, bool]] = []

    def ask(message: str, may_keep: bool) -> str:
        asked.append((message, may_keep))
        return answer

    wizard.ask_changed_elsewhere = ask
    return asked


def other_process(main_window) -> Repository:  # type: ignore[no-untyped-def]
    """A second connection to the same database file, as the CLI or another window has."""
    return Repository(main_window.db_file, actor="cli")


def re_reviewed_elsewhere(main_window, aid: int) -> None:  # type: ignore[no-untyped-def]
    """Submit, approve and start a re-review through another connection (revision 2)."""
    with other_process(main_window) as cli:
        cli.submit(aid)
        cli.approve(aid, "王芳", "DPO")
        cli.start_review(aid, "major_incident", "数据泄露事件后")


def test_no_change_elsewhere_saves_as_before_without_asking(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    asked = asked_with(wizard, wizard_mod.LATER)
    edit(wizard, "b_minors", "possible")
    assert wizard.flush()
    edit(wizard, "b_minors", "none")
    assert wizard.flush()
    assert asked == []
    assert main_window.repo.revision(aid).answers["b_minors"] == "none"
    assert wizard.stamp == main_window.repo.stamp(aid)


def test_re_review_elsewhere_then_reload_shows_it_and_keeps_it(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    edit(wizard, "b_minors", "possible")
    assert wizard.flush()
    re_reviewed_elsewhere(main_window, aid)
    asked = asked_with(wizard, wizard_mod.RELOAD)
    edit(wizard, "b_minors", "none")
    assert wizard.conflict is False
    assert wizard.flush()
    assert len(asked) == 1 and asked[0][1] is True  # keep mine was offered: revision 2 is a draft
    stored = main_window.repo.revision(aid)
    assert stored.number == 2
    assert stored.answers["a_assessment_type"] == "major_incident"  # the re-review's type kept
    assert stored.answers["b_minors"] == "possible"  # this window's change was not written
    assert wizard.revision_number == 2
    assert wizard.answers == stored.answers
    assert wizard.block("a_assessment_type").widget.value() == "major_incident"
    assert wizard.block("b_minors").widget.value() == "possible"
    assert wizard.undo_stack.count() == 0
    # Editing goes on from the reloaded revision, with the autosave back on.
    edit(wizard, "b_minors", "none")
    qtbot.waitUntil(lambda: main_window.repo.revision(aid).answers.get("b_minors") == "none", timeout=3000)
    assert main_window.repo.revision(aid).answers["a_assessment_type"] == "major_incident"
    assert len(asked) == 1


def test_keep_mine_saves_this_windows_answers_over_it(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    with other_process(main_window) as cli:
        cli.save_answers(aid, {**cli.revision(aid).answers, "b_minors": "possible"})
    asked = asked_with(wizard, wizard_mod.KEEP_MINE)
    edit(wizard, "d_alternative", "exists_not_offered")
    assert wizard.flush()
    assert len(asked) == 1
    stored = main_window.repo.revision(aid).answers
    assert stored.get("d_alternative") == "exists_not_offered"
    assert "b_minors" not in stored  # saved over, deliberately
    assert wizard.stamp == main_window.repo.stamp(aid)
    edit(wizard, "b_minors", "none")  # and the next save goes through without a question
    assert wizard.flush()
    assert len(asked) == 1


def test_later_stops_the_autosave_and_loses_nothing(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    with other_process(main_window) as cli:
        cli.save_answers(aid, {**cli.revision(aid).answers, "b_minors": "possible"})
    asked = asked_with(wizard, wizard_mod.LATER)
    edit(wizard, "d_alternative", "exists_not_offered")
    assert not wizard.flush()
    assert wizard.conflict
    edit(wizard, "b_minors", "none")
    assert not wizard.save_timer.isActive()  # no autosave while undecided
    qtbot.wait(wizard_mod.SAVE_DELAY_MS + 200)
    assert len(asked) == 1
    assert main_window.repo.revision(aid).answers["b_minors"] == "possible"
    assert wizard.answers["d_alternative"] == "exists_not_offered"  # still in the window
    assert wizard.save_label.text()  # the user is told why it was not saved
    asked_with(wizard, wizard_mod.RELOAD)  # lets the fixture close the window


def test_approved_elsewhere_offers_only_reload(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    with other_process(main_window) as cli:
        cli.submit(aid)
        cli.approve(aid, "王芳", "DPO")
    asked = asked_with(wizard, wizard_mod.RELOAD)
    edit(wizard, "b_minors", "none")
    assert wizard.flush()
    assert [may_keep for _, may_keep in asked] == [False]
    assert wizard.read_only and wizard.banner.isVisibleTo(wizard)
    assert "b_minors" not in main_window.repo.revision(aid).answers


def test_own_submit_is_no_conflict(main_window) -> None:  # type: ignore[no-untyped-def]
    """Submitting changes the revision's status, not its answers: the editor goes on saving."""
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    asked: list[Any] = asked_with(wizard, wizard_mod.LATER)
    edit(wizard, "b_minors", "possible")
    main_window._flush(aid)
    main_window.repo.submit(aid)
    edit(wizard, "b_minors", "none")
    assert wizard.flush()
    assert asked == []
    assert main_window.repo.revision(aid).answers["b_minors"] == "none"


def test_closing_the_window_while_undecided_keeps_it_open(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    main_window.show()
    with other_process(main_window) as cli:
        cli.save_answers(aid, {**cli.revision(aid).answers, "b_minors": "possible"})
    asked = asked_with(wizard, wizard_mod.LATER)
    edit(wizard, "d_alternative", "exists_not_offered")
    assert not main_window.close()  # asked, and "decide later" keeps the window and the answers
    assert len(asked) == 1 and main_window.isVisible()
    assert wizard.answers["d_alternative"] == "exists_not_offered"
    asked = asked_with(wizard, wizard_mod.KEEP_MINE)
    assert main_window.close()
    with other_process(main_window) as cli:
        assert cli.revision(aid).answers["d_alternative"] == "exists_not_offered"


def test_an_action_that_closes_the_editor_waits_while_undecided(main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    with other_process(main_window) as cli:
        cli.save_answers(aid, {**cli.revision(aid).answers, "b_minors": "possible"})
    asked = asked_with(wizard, wizard_mod.LATER)
    edit(wizard, "d_alternative", "exists_not_offered")
    assert main_window.delete_selected() is None  # decided later: not deleted, editor still open
    assert len(asked) == 1 and main_window.wizards.get(aid) is wizard
    assert main_window.repo.get(aid).id == aid
    asked = asked_with(wizard, wizard_mod.RELOAD)
    assert main_window.delete_selected()
    assert len(asked) == 1 and aid not in main_window.wizards
    assert aid not in [row.id for row in main_window.repo.list_assessments(include_archived=True)]
