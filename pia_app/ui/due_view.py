"""The "due" view of the main window: overdue and upcoming measures, re-reviews and filing
deadlines across all assessments (the same list as `pia-app due`, from review/due.py).

Overdue rows are red. "Open" opens the assessment; "Mark done…" records a measure of an approved
plan as done, asking for the day, a note and (optionally) a file as evidence — who and when go
into the audit trail (`ReviewStore.record_progress`, as `pia-app measure`). "Calendar…" writes
the dated items as an iCalendar file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.i18n import current_language, t
from pia_app.review.due import DueItem, due_items, due_summary
from pia_app.store.repository import Repository
from pia_app.store.review_store import ReviewStore
from pia_app.ui.file_dialogs import open_file_path, save_file_path

OVERDUE = QColor("#b71c1c")


class MarkDoneDialog(QDialog):
    """Day, note and an optional evidence file for marking a measure done."""

    def __init__(self, item: DueItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.due.mark_done"))
        lay = QFormLayout(self)
        text = QLabel(due_summary(item, current_language()), self)
        text.setWordWrap(True)
        lay.addRow(text)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.note = QLineEdit(self)
        self.evidence = QLineEdit(self)
        self.evidence.setPlaceholderText(t("ui.due.evidence_optional"))
        browse = QPushButton(t("ui.due.browse"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.evidence, 1)
        row.addWidget(browse)
        lay.addRow(t("ui.due.done_on"), self.date)
        lay.addRow(t("ui.due.note"), self.note)
        lay.addRow(t("ui.due.evidence"), row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)

    def _browse(self) -> None:
        path = open_file_path(self, t("ui.due.evidence"), str(Path.home()))
        if path:
            self.evidence.setText(path)

    def values(self) -> tuple[dt.date, str, Path | None]:
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)
        path = self.evidence.text().strip()
        return day, self.note.text().strip(), Path(path) if path else None


class DueView(QWidget):
    open_requested = Signal(int)
    COLUMNS = ("due", "state", "item", "detail")

    def __init__(self, repo: Repository, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.form = form
        self.items: list[DueItem] = []
        self.errors: list[str] = []
        self.on_error: Callable[[str], None] | None = None
        """Where errors go instead of a message box (the main window sets it)."""
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("due_table")
        self.table.setHorizontalHeaderLabels([t("ui.due.col." + c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        # What and details share the width left (elided; the full text is each cell's tooltip):
        # sized to their contents they ran past the right edge at 1024 px (QA #21).
        for col in (2, 3):
            self.table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(t("ui.due.refresh"), self)
        self.open_button = QPushButton(t("ui.due.open"), self)
        self.done_button = QPushButton(t("ui.due.mark_done"), self)
        self.ics_button = QPushButton(t("ui.due.calendar"), self)
        self.refresh_button.clicked.connect(self.reload)
        self.open_button.clicked.connect(self.open_selected)
        self.done_button.clicked.connect(self.mark_done)
        self.ics_button.clicked.connect(self.export_calendar)
        for b in (self.refresh_button, self.open_button, self.done_button, self.ics_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            self.items = due_items(self.repo, self.form)
        except UserError as exc:
            self.show_error(exc.message())
            return
        lang = current_language()
        overdue = sum(i.overdue for i in self.items)
        self.intro.setText(t("ui.due.intro", count=len(self.items), overdue=overdue))
        self.table.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            detail = ""
            if item.kind == "measure":
                parts = [
                    t("report.row", lang, n=(item.row or 0) + 1),
                    t("review.progress." + item.status, lang),
                ]
                if item.owner:
                    parts.append(item.owner)
                if item.plan_status != "approved":
                    parts.append(t("status." + item.plan_status, lang))
                detail = " · ".join(parts)
            values = (
                item.due.isoformat() if item.due else t("due.now", lang),
                t("due.overdue", lang) if item.overdue else "",
                due_summary(item, lang),
                detail,
            )
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if item.overdue:
                    cell.setForeground(OVERDUE)
                self.table.setItem(r, c, cell)
        for col in (0, 1):
            self.table.resizeColumnToContents(col)
        self._selection_changed()

    def selected(self) -> DueItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _selection_changed(self) -> None:
        item = self.selected()
        self.open_button.setEnabled(item is not None)
        self.done_button.setEnabled(
            item is not None and item.kind == "measure" and item.plan_status == "approved"
        )

    def open_selected(self) -> int | None:
        item = self.selected()
        if item is None:
            return None
        self.open_requested.emit(item.assessment_id)
        return item.assessment_id

    def mark_done(self) -> bool:
        item = self.selected()
        if item is None or item.kind != "measure" or item.row is None:
            return False
        answer = self.ask_done(item)
        if answer is None:
            return False
        day, note, evidence = answer
        try:
            ReviewStore(self.repo, self.form).record_progress(
                item.assessment_id, item.row, "done", day, note, evidence
            )
        except UserError as exc:
            self.show_error(exc.message())
            return False
        self.reload()
        return True

    def export_calendar(self) -> Path | None:
        from pia_app.atomic import write_atomic
        from pia_app.review.ics import calendar

        path = self.ask_save_path()
        if not path:
            return None
        target = Path(path if path.lower().endswith(".ics") else path + ".ics")
        lang = current_language()
        try:
            write_atomic(
                target, calendar(self.items, [due_summary(i, lang) for i in self.items]), "error.export_file"
            )
        except UserError as exc:
            self.show_error(exc.message())
            return None
        return target

    # -- dialogs (tests replace these) ----------------------------------------------------------

    def ask_done(self, item: DueItem) -> tuple[dt.date, str, Path | None] | None:
        dialog = MarkDoneDialog(item, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_save_path(self) -> str:
        return save_file_path(
            self, t("ui.due.calendar"), str(Path.home() / "pia-due.ics"), "iCalendar (*.ics)"
        )

    def show_error(self, message: str) -> None:
        self.errors.append(message)
        if self.on_error is not None:  # the main window shows errors its own way
            self.on_error(message)
            return
        QMessageBox.critical(self, t("ui.error.title"), message)
