"""The main list: engine facts per row, search and filters with 10,000 rows, Enter opens,
drag-and-drop import, the recent list, open file/folder after an export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


def add_many(repo, form, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` assessments written straight into the store, as the benchmark does."""
    with repo.db.atomic():
        for i in range(count):
            repo.db.execute(
                "INSERT INTO assessments (uid, title, form_id, form_version, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [f"bulk-{i}", f"Bulk assessment {i:05d}", form.id, form.version, "2026-01-01", "2026-01-01"],
            )


def test_search_and_filters_over_10000_rows_and_enter_opens(main_window, qtbot, office_example) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    aid = main_window.repo.create(
        main_window.form.id,
        main_window.form.version,
        office_example.answers["a_project_name"],
        office_example.answers,
    )
    add_many(main_window.repo, main_window.form, 10_000)
    main_window.refresh()
    assert main_window.model.rowCount() == 10_001
    assert main_window.proxy.rowCount() == 10_001
    qtbot.keyClicks(main_window.search, "00042")
    assert main_window.proxy.rowCount() == 1
    assert main_window.proxy.index(0, 0).data() == "Bulk assessment 00042"
    main_window.search.clear()
    qtbot.keyClicks(main_window.search, "bulk assessment 0999")
    assert main_window.proxy.rowCount() == 10  # 09990..09999, case ignored
    main_window.search.setText("办公楼")
    assert main_window.proxy.rowCount() == 1
    qtbot.keyClick(main_window.search, Qt.Key.Key_Return)
    assert main_window.current_editor() is not None
    assert main_window.current_editor().assessment_id == aid
    main_window.current_editor().save_and_close()

    main_window.search.clear()
    main_window.status_filter.setCurrentIndex(main_window.status_filter.findData("approved"))
    assert main_window.proxy.rowCount() == 0
    main_window.status_filter.setCurrentIndex(main_window.status_filter.findData("draft"))
    assert main_window.proxy.rowCount() == 10_001


def test_row_shows_risk_gaps_and_completeness_and_risk_filter(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from pia_app.engine.grade import grade_assessment
    from pia_app.engine.risk import level_label
    from pia_app.ui.assessment_list import LEVEL_COLOURS, AssessmentListModel

    repo, form = main_window.repo, main_window.form
    repo.create(form.id, form.version, "", office_example.answers)
    main_window.refresh()
    main_window.model.fill_all()
    grading = grade_assessment(form, office_example.answers)
    model = main_window.model
    risk = model.index(0, AssessmentListModel.RISK)
    assert grading.risk.overall is not None
    assert risk.data() == level_label(form, grading.risk.overall, "zh")
    colour = risk.data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert colour == LEVEL_COLOURS[grading.risk.overall]
    gaps = model.index(0, AssessmentListModel.FINDINGS).data()
    for severity in {f.severity for f in grading.findings}:
        count = sum(1 for f in grading.findings if f.severity == severity)
        assert f"{severity}×{count}" in gaps
    assert model.index(0, AssessmentListModel.COMPLETE).data().endswith("%")
    main_window.risk_filter.setCurrentIndex(main_window.risk_filter.findData(grading.risk.overall))
    assert main_window.proxy.rowCount() == 1
    other = 4 if grading.risk.overall != 4 else 1
    main_window.risk_filter.setCurrentIndex(main_window.risk_filter.findData(other))
    assert main_window.proxy.rowCount() == 0


def test_overdue_review_stands_out(main_window, office_example) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from pia_app.ui.assessment_list import AssessmentListModel

    answers = dict(office_example.answers)
    answers["m_next_review"] = "2020-01-01"
    repo = main_window.repo
    aid = repo.create(main_window.form.id, main_window.form.version, "", answers)
    repo.submit(aid)
    repo.approve(aid, "李明", "负责人")
    main_window.refresh()
    status = main_window.model.index(0, AssessmentListModel.STATUS)
    assert status.data() == "待复评"
    assert status.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert main_window.model.index(0, AssessmentListModel.REVIEW).data() == "2020-01-01"


def test_dropping_a_json_file_imports_it(main_window, office_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    aid = main_window.repo.create(
        main_window.form.id,
        main_window.form.version,
        office_example.answers["a_project_name"],
        office_example.answers,
    )
    main_window.refresh()
    target = tmp_path / "拖放" / "评估.json"
    target.parent.mkdir()
    main_window.ask_save_path = lambda suggested, file_filter=None: str(target)
    assert main_window.export_data() == target
    assert json.loads(target.read_text("utf-8"))

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(main_window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(main_window, drop)
    assert main_window.model.rowCount() == 2
    assert main_window.errors == []
    copy = next(r for r in main_window.model.rows if r.id != aid)
    assert main_window.repo.revision(copy.id).answers == office_example.answers

    text = tmp_path / "notes.txt"
    text.write_text("x", "utf-8")
    mime2 = QMimeData()
    mime2.setUrls([QUrl.fromLocalFile(str(text))])
    enter2 = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime2,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(main_window, enter2)
    assert not enter2.isAccepted()


def test_bad_dropped_file_is_named_and_nothing_imported(main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "坏.json"
    bad.write_text("{nope", "utf-8")
    assert main_window.import_paths([bad]) is None
    assert main_window.errors and "JSON" in main_window.errors[0]
    assert main_window.model.rowCount() == 0


def test_recent_list_and_open_after_export(main_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = main_window.new_assessment()
    first.block("a_project_name").widget.editor.setText("Alpha")
    first.save_and_close()
    second = main_window.new_assessment()
    second.block("a_project_name").widget.editor.setText("Beta")
    second.save_and_close()
    assert [r.title for r in main_window.recent_assessments()] == ["Beta", "Alpha"]
    main_window._fill_recent_menu()
    texts = [a.text() for a in main_window.recent_menu.actions()]
    assert texts == ["&1 Beta", "&2 Alpha"]
    main_window.recent_menu.actions()[1].trigger()
    assert main_window.current_editor().assessment_id == first.assessment_id

    opened: list[str] = []
    main_window.open_url = lambda url: opened.append(url.toLocalFile())
    target = tmp_path / "报告.docx"
    main_window.ask_save_path = lambda suggested: str(target)
    with qtbot.waitSignal(main_window._exports().written, timeout=120_000):
        assert main_window.export_selected() == target  # written on a worker thread
    assert not main_window.export_links.isHidden()
    main_window.open_file_button.click()
    main_window.open_folder_button.click()
    assert opened == [str(target), str(tmp_path)]
