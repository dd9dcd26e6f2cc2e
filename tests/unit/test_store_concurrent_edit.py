"""An open editor's autosave never undoes a newer change made meanwhile elsewhere (the CLI, another
window): the store detects it from the stamp the editor started from. A lock path that is a
folder gives one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_app.cli import main
from pia_app.errors import UserError
from pia_app.instance_lock import acquire, lock_path
from pia_app.paths import db_path
from pia_app.store import ChangedElsewhere
from pia_app.store.repository import Repository


def approved(repo: Repository, form) -> int:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, {"a_scope": "A", "a_assessment_type": "prior_new"})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    return aid


def test_autosave_after_a_cli_re_review_is_refused_not_reverting_it(form, repo, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form)
    window_base = repo.stamp(aid)  # a window has the assessment open
    window_answers = dict(repo.revision(aid).answers)
    assert main(["review", str(aid), "--reason", "major_incident"]) == 0  # meanwhile, the CLI
    capsys.readouterr()
    entries = len(repo.audit())
    with pytest.raises(ChangedElsewhere) as exc:
        repo.save_answers_from(aid, {**window_answers, "a_scope": "C"}, window_base)
    assert exc.value.key == "error.changed_elsewhere"
    message = exc.value.message("en")
    assert "changed elsewhere" in message and "revision 2" in message and "\n" not in message
    assert repo.revision(aid).answers["a_assessment_type"] == "major_incident"
    assert repo.revision(aid).answers["a_scope"] == "A"
    assert len(repo.audit()) == entries


def test_a_save_by_another_program_is_detected_and_can_be_overridden_deliberately(form, repo) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    base = repo.stamp(aid)
    with Repository(db_path(), actor="other") as other:
        other.save_answers(aid, {"a_scope": "其他窗口"})
    with pytest.raises(ChangedElsewhere) as exc:
        repo.save_answers_from(aid, {"a_scope": "本窗口"}, base)
    assert repo.revision(aid).answers == {"a_scope": "其他窗口"}
    changed, new_base = repo.save_answers_from(aid, {"a_scope": "本窗口"}, exc.value.current)
    assert changed == ["a_scope"] and new_base == repo.stamp(aid)
    assert repo.save_answers_from(aid, {"a_scope": "本窗口"}, new_base) == ([], new_base)


def test_own_consecutive_saves_chain_their_stamps(form, repo) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    base = repo.stamp(aid)
    for i in range(5):
        _, base = repo.save_answers_from(aid, {"a_scope": str(i)}, base)
    assert repo.revision(aid).answers == {"a_scope": "4"}


def test_lock_path_that_is_a_folder_is_one_line(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    lock_path(isolated_data_dir).mkdir()
    with pytest.raises(UserError) as exc:
        acquire(isolated_data_dir)
    assert exc.value.key == "error.lock_is_folder"
    assert str(lock_path(isolated_data_dir)) in exc.value.message("en")
    assert "\n" not in exc.value.message("zh")
