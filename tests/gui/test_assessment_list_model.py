"""The list model stays quick with 10,000 rows (issue 12): painting never grades a row (rows are
graded in idle slices, the painted ones first, then repainted), a search keystroke works out
every row's answer in one pass, and the texts are still the right ones."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt

from pia_app.i18n import t
from pia_app.store.repository import AssessmentSummary
from pia_app.ui.assessment_list import AssessmentFilter, AssessmentListModel, RowFacts, local_time

M = AssessmentListModel


def summary(i: int, title: str = "", archived: bool = False) -> AssessmentSummary:
    return AssessmentSummary(
        id=i,
        uid=f"u{i}",
        title=title,
        status="draft",
        current_revision=i,
        archived=archived,
        created_at="2026-01-01T00:00:00.000000Z",
        updated_at="2026-03-04T05:06:07.123456Z",
        form_id="face_voice_pia",
        form_version="0.1",
    )


class Grader:
    """A facts provider that records which rows it graded, in order."""

    def __init__(self) -> None:
        self.graded: list[int] = []

    def __call__(self, r: AssessmentSummary) -> RowFacts:
        self.graded.append(r.id)
        return RowFacts(
            overall=2, overall_label=f"level-{r.id}", severities={"S2": 1}, answered=1, required=2
        )


def text(model: AssessmentListModel, row: int, col: int) -> object:
    return model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)


def test_rows_show_title_status_revision_and_local_time(app_zh) -> None:  # type: ignore[no-untyped-def]
    model = AssessmentListModel()
    model.set_rows([summary(1, "门禁"), summary(2, "", archived=True)])
    when = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert [text(model, 0, c) for c in (M.TITLE, M.STATUS, M.REVISION, M.MODIFIED)] == [
        "门禁",
        "草稿",
        "1",
        when,
    ]
    assert text(model, 1, M.TITLE) == t("ui.untitled")
    status = text(model, 1, M.STATUS)
    assert isinstance(status, str) and status.startswith("草稿") and status.endswith(t("ui.list.archived"))
    assert text(model, 0, M.RISK) == ""  # no engine attached: nothing to wait for
    assert text(model, 1, M.REVISION) == "2"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.UserRole) == 2
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None


def test_painting_never_grades_and_painted_rows_are_graded_first(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    grader = Grader()
    model = AssessmentListModel(grader)
    model.filler.stop()  # nothing runs until this test lets the event loop go
    rows = [summary(i, f"评估 {i}") for i in range(1, 51)]
    model.set_rows(rows)
    model.filler.stop()
    painted = 40
    assert text(model, painted, M.RISK) == "…"
    assert text(model, painted, M.FINDINGS) == "…"
    assert model.data(model.index(painted, M.RISK), Qt.ItemDataRole.ForegroundRole) is None
    assert grader.graded == []  # painting asked, nobody graded
    assert model.filler.isActive()  # ... but the row was queued
    with qtbot.waitSignal(model.dataChanged, timeout=5000) as changed:
        pass
    first = changed.args[0]
    assert grader.graded[0] == rows[painted].id
    assert first.row() == painted and first.column() == M.RISK
    assert text(model, painted, M.RISK) == f"level-{rows[painted].id}"
    qtbot.waitUntil(lambda: not model.filler.isActive(), timeout=10_000)
    assert sorted(grader.graded) == [r.id for r in rows]  # each row graded once
    assert text(model, 0, M.COMPLETE) == "50%"


def test_search_in_one_pass_matches_the_row_by_row_answer(app_zh) -> None:  # type: ignore[no-untyped-def]
    titles = ["Face Gate", "face gate 2", "声纹客服", "FACE swap", "门禁", "", "Facet"]
    model = AssessmentListModel()
    model.set_rows([summary(i, titles[i % len(titles)]) for i in range(700)])
    proxy = AssessmentFilter()
    proxy.setSourceModel(model)
    for query in ("face", "FACE ", "声纹", "gate 2", "zz", ""):
        proxy.set_text(query)
        folded = query.strip().casefold()
        expected = [i for i in range(700) if folded in titles[i % len(titles)].casefold()]
        got = [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]
        assert got == expected, query
    # a row changed after the search is judged again on its own (no stale one-pass answer)
    proxy.set_text("声纹")
    before = proxy.rowCount()
    model.update_summary(summary(0, "新的声纹项目"))
    assert proxy.rowCount() == before + 1
    model.update_summary(summary(2, "no longer matching"))
    assert proxy.rowCount() == before


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


def test_keystroke_that_keeps_the_same_rows_costs_qt_nothing(app_zh) -> None:  # type: ignore[no-untyped-def]
    model = AssessmentListModel()
    model.set_rows([summary(i, f"人脸识别门禁 {i}" if i % 2 else f"声纹 {i}") for i in range(400)])
    proxy = AssessmentFilter()
    proxy.setSourceModel(model)
    changes: list[str] = []
    proxy.layoutAboutToBeChanged.connect(lambda *_a: changes.append("layout"))
    proxy.rowsAboutToBeRemoved.connect(lambda *_a: changes.append("removed"))
    proxy.rowsAboutToBeInserted.connect(lambda *_a: changes.append("inserted"))
    proxy.set_text("人")
    assert proxy.rowCount() == 200 and changes
    changes.clear()
    for typed in ("人脸", "人脸识", "人脸识别"):  # every one of them still matches the same 200
        proxy.set_text(typed)
    assert changes == []
    assert proxy.rowCount() == 200 and proxy.text == "人脸识别"
    proxy.set_text("人脸识别门禁 1")  # 1, 11, 13, ..., 199: fewer rows
    assert changes
    assert proxy.rowCount() == len([i for i in range(1, 400, 2) if str(i).startswith("1")])


def test_selection_survives_a_search_that_hides_thousands_of_scattered_rows(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView

    model = AssessmentListModel()
    model.set_rows([summary(i, "keep" if i % 3 == 0 else "drop") for i in range(3000)])
    proxy = AssessmentFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.selectRow(300)  # source row 300: "keep"
    proxy.set_text("kee")  # 2,000 rows leave in ~1,000 separate runs: re-laid out at once
    assert proxy.rowCount() == 1000
    selected = view.selectionModel().selectedRows()
    assert [proxy.mapToSource(i).row() for i in selected] == [300]


def test_idle_grading_pauses_while_the_user_types_then_finishes(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    grader = Grader()
    model = AssessmentListModel(grader)
    model.set_rows([summary(i, f"评估 {i}") for i in range(1, 201)])
    proxy = AssessmentFilter()
    proxy.setSourceModel(model)
    assert model.filler.isActive()
    proxy.set_text("评估 1")
    graded = len(grader.graded)
    assert not model.filler.isActive() and model.resume.isActive()
    qtbot.wait(50)  # well inside the pause: nothing graded meanwhile
    assert len(grader.graded) == graded
    proxy.set_text("评估 12")  # the next keystroke restarts the pause
    assert model.resume.isActive()
    qtbot.waitUntil(lambda: len(set(grader.graded)) == 200, timeout=10_000)
    assert not model.filler.isActive()


def test_grading_waits_for_the_first_paint(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.assessment_list import FIRST_SLICE_DELAY_MS

    grader = Grader()
    model = AssessmentListModel(grader)
    model.set_rows([summary(i, f"评估 {i}") for i in range(1, 31)])
    assert model.filler.isActive() and model.filler.interval() == FIRST_SLICE_DELAY_MS
    assert grader.graded == []
    text(model, 3, M.RISK)  # the first paint asks: grading starts at once, that row first
    assert model.filler.interval() == 0
    qtbot.waitUntil(lambda: len(grader.graded) == 30, timeout=10_000)
    assert grader.graded[0] == 4


def test_risk_filter_takes_rows_in_as_they_are_graded_and_keeps_the_current_row(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView

    grader = Grader()  # every row: overall level 2
    model = AssessmentListModel(grader)
    model.set_rows([summary(i, f"评估 {i}") for i in range(1, 41)])
    proxy = AssessmentFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    proxy.set_risk(2)
    assert proxy.rowCount() == 0  # nothing graded yet: no row is known to be at level 2
    qtbot.waitUntil(lambda: proxy.rowCount() == 40, timeout=10_000)  # each row as it is graded
    view.selectRow(5)
    chosen = proxy.mapToSource(proxy.index(5, 0)).row()
    proxy.set_text("评估 1")  # 1, 10-19: the chosen row (source 5, "评估 6") leaves
    assert proxy.rowCount() == 11
    assert view.selectionModel().selectedRows() == []
    proxy.set_text("")
    view.selectRow(proxy.mapFromSource(model.index(chosen, 0)).row())
    proxy.set_text("评估 6")  # the same row stays selected when others leave
    assert [proxy.mapToSource(i).row() for i in view.selectionModel().selectedRows()] == [chosen]
    assert not proxy.mapFromSource(model.index(0, 0)).isValid()  # "评估 1" is not shown
    proxy.set_risk(3)
    assert proxy.rowCount() == 0
