"""Submit, approve, re-review, history, archive, delete, JSON export/import from the main window;
the second-instance lock and the restore-from-backup offer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


def make(main_window, office_example):  # type: ignore[no-untyped-def]
    wizard = main_window.new_assessment()
    aid = wizard.assessment_id
    wizard.save_and_close()  # the wizard saves its own answers on close; write the example after that
    main_window.repo.save_answers(aid, dict(office_example.answers))
    main_window.refresh()
    return aid


def test_submit_approve_freezes_and_review_opens_new_revision(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    aid = make(main_window, office_example)
    assert main_window.submit_selected()
    main_window.ask_approval = lambda default: ("李明", "个人信息保护负责人")
    assert main_window.approve_selected()
    rev = main_window.repo.revision(aid)
    assert (rev.status, rev.approved_by, rev.approved_role) == ("approved", "李明", "个人信息保护负责人")
    assert main_window.model.index(0, 1).data() == "已批准"
    frozen = main_window.open_assessment(aid)
    assert frozen.read_only
    frozen.save_and_close()

    main_window.ask_review = lambda: ("major_incident", "门禁服务器遭入侵")
    wizard = main_window.review_selected()
    assert wizard is not None and not wizard.read_only
    assert main_window.repo.revision(aid).number == 2
    assert wizard.answers["a_assessment_type"] == "major_incident"
    wizard.block("d_frequency").widget.editor.setText("每次通过闸机采集一次，夜间关闭")
    wizard.flush()

    shown = []
    main_window.show_dialog = shown.append
    dialog = main_window.history_selected()
    assert shown == [dialog]
    assert [r.number for r in dialog.revisions] == [1, 2]
    changed = {c.question_id for c in dialog.diff.answers}
    assert {"a_assessment_type", "d_frequency"} <= changed
    assert "夜间关闭" in dialog.diff_view.toPlainText()
    dialog.close()
    assert main_window.errors == []


def test_approve_needs_review_first_and_says_so(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    make(main_window, office_example)
    main_window.ask_approval = lambda default: ("李明", "负责人")
    assert main_window.approve_selected() is None
    assert len(main_window.errors) == 1


def test_archive_hides_and_delete_is_refused_within_three_years(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    aid = make(main_window, office_example)
    main_window.submit_selected()
    main_window.ask_approval = lambda default: ("李明", "负责人")
    main_window.approve_selected()
    main_window.confirm = lambda text: True
    assert main_window.delete_selected() is None
    assert "第五十六条" in main_window.errors[-1]
    assert main_window.repo.get(aid)
    main_window.archive_selected()
    assert main_window.model.rowCount() == 0
    main_window.action_show_archived.setChecked(True)
    assert main_window.model.rowCount() == 1


def test_json_export_then_import_gives_a_copy(main_window, office_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make(main_window, office_example)
    target = tmp_path / "导出" / "评估.json"
    target.parent.mkdir()
    main_window.ask_save_path = lambda suggested, file_filter=None: str(target)
    assert main_window.export_data() == target
    doc = json.loads(target.read_text("utf-8"))
    main_window.ask_open_path = lambda: str(target)
    ids = main_window.import_data()
    assert ids and len(ids) == 1
    assert main_window.model.rowCount() == 2
    copy = main_window.repo.revision(ids[0]).answers
    assert copy == office_example.answers
    assert doc["format"].startswith("pia-app")


def test_bad_import_shows_message_and_writes_nothing(main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", "utf-8")
    main_window.ask_open_path = lambda: str(bad)
    assert main_window.import_data() is None
    assert "JSON" in main_window.errors[0]
    assert main_window.model.rowCount() == 0


def test_second_instance_is_refused(isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app import instance_lock
    from pia_app.errors import UserError
    from pia_app.paths import data_dir

    first = instance_lock.acquire_or_raise(data_dir())
    try:
        with pytest.raises(UserError) as exc:
            instance_lock.acquire_or_raise(data_dir())
        assert exc.value.key == "error.instance_locked"
    finally:
        first.release()


def test_damaged_database_offers_backup_and_keeps_damaged_file(app_zh, form, isolated_data_dir) -> None:  # type: ignore[no-untyped-def]
    from pia_app.paths import data_dir, db_path
    from pia_app.store.migrations import backup
    from pia_app.store.repository import Repository
    from pia_app.ui.app import open_main_window
    from pia_app.ui.main_window import MainWindow

    with Repository(db_path()) as repo:
        repo.create(form.id, form.version, "备份中的评估")
        backup(repo.db, db_path(), 1)
    db_path().write_bytes(b"garbage" * 300)
    asked: list[str] = []
    window = open_main_window(MainWindow, data_dir(), lambda msg: asked.append(msg) or True)
    try:
        assert len(asked) == 1 and ".bak-" in asked[0]
        assert window.model.index(0, 0).data() == "备份中的评估"
        kept = list(data_dir().glob("pia.sqlite3.damaged-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 300
    finally:
        window.close()
