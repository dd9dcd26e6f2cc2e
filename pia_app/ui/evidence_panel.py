"""Attachments (evidence) of one revision: list with SHA-256, attach a file to a question or a
treatment row, open one with the system viewer (a private 0600 temporary copy), remove one.

Everything goes through `ReviewStore` (the same calls as `pia-app attach/attachments/detach`).
An approved revision is read-only here as in the store: its attachments are frozen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.i18n import pick, t
from pia_app.review.viewer import temp_copy
from pia_app.store.review_store import Attachment, ReviewStore
from pia_app.ui.file_dialogs import open_file_path


def question_choices(form: Form) -> list[tuple[str, str]]:
    """(question id, "D. label") of every question, in form order, for pickers."""
    return [(q.id, f"{s.id}. {pick(q.label)}") for s in form.sections for q in s.questions]


class EvidencePanel(QWidget):
    COLUMNS = ("name", "where", "size", "sha256", "added")

    def __init__(
        self, store: ReviewStore, form: Form, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.form = form
        self.assessment_id = assessment_id
        self.items: list[Attachment] = []
        self.errors: list[str] = []
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("evidence_table")
        self.table.setHorizontalHeaderLabels([t("ui.evidence.col." + c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        lay.addWidget(self.table, 1)

        form_row = QHBoxLayout()
        self.question = QComboBox(self)
        self.question.setAccessibleName(t("ui.evidence.question"))
        for qid, label in question_choices(form):
            self.question.addItem(label, qid)
        self.question.setMinimumContentsLength(18)
        self.question.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.row = QSpinBox(self)
        self.row.setRange(0, 999)
        self.row.setSpecialValueText(t("ui.evidence.no_row"))
        self.row.setAccessibleName(t("ui.evidence.row"))
        self.row.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no wheel changes while scrolling past
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(t("ui.evidence.note"))
        form_row.addWidget(QLabel(t("ui.evidence.question"), self))
        form_row.addWidget(self.question, 2)
        form_row.addWidget(QLabel(t("ui.evidence.row"), self))
        form_row.addWidget(self.row)
        form_row.addWidget(self.note, 1)
        lay.addLayout(form_row)

        buttons = QHBoxLayout()
        self.attach_button = QPushButton(t("ui.evidence.attach"), self)
        self.open_button = QPushButton(t("ui.evidence.open"), self)
        self.remove_button = QPushButton(t("ui.evidence.remove"), self)
        self.attach_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.limit_label = QLabel(self)
        self.limit_label.setStyleSheet("color: #666;")
        for b in (self.attach_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addWidget(self.limit_label, 1)
        lay.addLayout(buttons)
        self.reload()

    def select_question(self, question_id: str) -> None:
        index = self.question.findData(question_id)
        if index >= 0:
            self.question.setCurrentIndex(index)

    def frozen(self) -> bool:
        rev = self.store.repo.revision(self.assessment_id)
        return rev.status == "approved"

    def reload(self) -> None:
        try:
            self.items = self.store.attachments(self.assessment_id)
            frozen = self.frozen()
            limit = self.store.attachment_limit_mb()
        except UserError as exc:
            self.show_error(exc.message())
            return
        self.table.setRowCount(len(self.items))
        labels = dict(question_choices(self.form))
        for r, a in enumerate(self.items):
            where = labels.get(a.question_id, a.question_id)
            if a.row_index is not None:
                where += " · " + t("report.row", n=a.row_index + 1)
            if a.progress_id is not None:
                where += " · " + t("ui.evidence.follow_up")
            values = (a.name, where, _size(a.size), a.sha256, f"{a.added_by} {a.added_at[:10]}")
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        for w in (self.attach_button, self.remove_button, self.question, self.row, self.note):
            w.setEnabled(not frozen)
        self.limit_label.setText(t("ui.evidence.frozen") if frozen else t("ui.evidence.limit", mb=limit))

    def selected(self) -> Attachment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def attach(self) -> Attachment | None:
        path = self.ask_file()
        if not path:
            return None
        row = self.row.value() - 1 if self.row.value() > 0 else None
        try:
            att = self.store.attach_file(
                self.assessment_id,
                Path(path),
                str(self.question.currentData()),
                row,
                self.note.text().strip(),
            )
        except UserError as exc:
            self.show_error(exc.message())
            return None
        self.note.clear()
        self.reload()
        return att

    def open_selected(self) -> Path | None:
        """Open the selected attachment with the system viewer, from a private temporary copy."""
        att = self.selected()
        if att is None:
            return None
        try:
            path = temp_copy(att.name, self.store.blob(att.sha256))
        except (UserError, OSError) as exc:
            self.show_error(exc.message() if isinstance(exc, UserError) else str(exc))
            return None
        self.open_url(QUrl.fromLocalFile(str(path)))
        return path

    def remove_selected(self) -> bool:
        att = self.selected()
        if att is None or not self.confirm(t("ui.evidence.remove_confirm", name=att.name)):
            return False
        try:
            self.store.detach(self.assessment_id, att.id)
        except UserError as exc:
            self.show_error(exc.message())
            return False
        self.reload()
        return True

    # -- dialogs (tests replace these) ----------------------------------------------------------

    def ask_file(self) -> str:
        return open_file_path(self, t("ui.evidence.attach"), str(Path.home()))

    def open_url(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    def confirm(self, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.question(self, t("ui.confirm.title"), text) == QMessageBox.StandardButton.Yes

    def show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.errors.append(message)
        QMessageBox.critical(self, t("ui.error.title"), message)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"
