"""The list of assessments as a Qt model: rows are painted on demand, so 10,000 stay fast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pia_app.i18n import t
from pia_app.store.repository import AssessmentSummary

Index = QModelIndex | QPersistentModelIndex


class AssessmentListModel(QAbstractTableModel):
    HEADERS = ("ui.list.title", "ui.list.status", "ui.list.revision", "ui.list.modified")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AssessmentSummary] = []

    def set_rows(self, rows: list[AssessmentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def update_summary(self, summary: AssessmentSummary) -> None:
        """Replace one row (after a save) without resetting the model."""
        row = self.row_of(summary.id)
        if row < 0:
            return
        self.rows[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == 0:
            return r.title or t("ui.untitled")
        if col == 1:
            label = t("status." + r.display_status())
            return label + (" · " + t("ui.list.archived") if r.archived else "")
        if col == 2:
            return str(r.current_revision)
        return local_time(r.updated_at)

    def row_of(self, assessment_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == assessment_id), -1)


def local_time(utc_iso: str) -> str:
    try:
        when = dt.datetime.strptime(utc_iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return utc_iso
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
