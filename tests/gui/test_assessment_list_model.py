"""The list model answers Qt's many questions cheaply (issue 12) and still shows the right texts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt

from pia_app.i18n import t
from pia_app.store.repository import AssessmentSummary
from pia_app.ui.assessment_list import AssessmentListModel, local_time


def summary(i: int, title: str = "", archived: bool = False, updated: str = "") -> AssessmentSummary:
    return AssessmentSummary(
        id=i,
        uid=f"u{i}",
        title=title,
        status="draft",
        current_revision=i,
        archived=archived,
        created_at="2026-01-01T00:00:00.000000Z",
        updated_at=updated or "2026-03-04T05:06:07.123456Z",
        form_id="face_voice_pia",
        form_version="0.1",
    )


def texts(model: AssessmentListModel, row: int) -> list[object]:
    return [model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]


def test_rows_show_title_status_revision_and_local_time(app_zh) -> None:  # type: ignore[no-untyped-def]
    model = AssessmentListModel()
    model.set_rows([summary(1, "门禁"), summary(2, "", archived=True)])
    when = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    row0 = texts(model, 0)
    M = AssessmentListModel
    assert [row0[M.TITLE], row0[M.STATUS], row0[M.REVISION], row0[M.MODIFIED]] == ["门禁", "草稿", "1", when]
    row1 = texts(model, 1)
    title, status, revision = row1[M.TITLE], row1[M.STATUS], row1[M.REVISION]
    assert title == t("ui.untitled")
    assert revision == "2"
    assert status.startswith("草稿") and status.endswith("已归档")
    assert model.data(model.index(1, 0), Qt.ItemDataRole.UserRole) == 2
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None


def test_new_rows_replace_the_remembered_texts(app_zh) -> None:  # type: ignore[no-untyped-def]
    model = AssessmentListModel()
    model.set_rows([summary(1, "旧标题")])
    assert texts(model, 0)[0] == "旧标题"
    model.set_rows([summary(1, "新标题")])
    assert texts(model, 0)[0] == "新标题"


def test_local_time_accepts_what_it_accepted_before() -> None:
    def old(utc_iso: str) -> str:
        try:
            when = dt.datetime.strptime(utc_iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)
        except ValueError:
            return utc_iso
        return when.astimezone().strftime("%Y-%m-%d %H:%M")

    for value in (
        "2026-03-04T05:06:07.123456Z",
        "2026-12-31T23:59:59Z",
        "2026-01-01",
        "2026-01-01 10:00:00",
        "",
        "garbage-that-is-long-enough",
        "2026-13-01T00:00:00",
    ):
        assert local_time(value) == old(value), value
