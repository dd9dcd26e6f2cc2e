"""Small dialogs of the main window: approval, re-review, history with what changed."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pia_app.actor import actor_label
from pia_app.engine.diff import RevisionDiff, diff_revisions
from pia_app.forms.schema import Form
from pia_app.i18n import current_language, pick, t
from pia_app.store.repository import REVIEW_REASONS, Repository
from pia_app.ui.assessment_list import local_time
from pia_app.ui.audit_text import action_label, describe


def fit_dialog(dialog: QDialog, width: int, height: int) -> None:
    """Resize a dialog to width×height, but never beyond the available screen (1024×600)."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width, height = min(width, area.width() - 20), min(height, area.height() - 40)
    dialog.resize(width, height)


class ApproveDialog(QDialog):
    """Sign-off: who approves in which role, after seeing the gaps still open.

    Name and role are both required; an empty one is refused with a message, not ignored.
    """

    def __init__(
        self, default_name: str, open_findings: list[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.approve.title"))
        lay = QFormLayout(self)
        explain = QLabel(t("ui.approve.explain"), self)
        explain.setWordWrap(True)
        lay.addRow(explain)
        findings = list(open_findings or [])
        self.findings_view = QPlainTextEdit(self)
        self.findings_view.setReadOnly(True)
        self.findings_view.setTabChangesFocus(True)
        self.findings_view.setPlainText("\n".join(findings) if findings else t("ui.signoff.no_findings"))
        self.findings_view.setMaximumHeight(150)
        findings_label = QLabel(t("ui.signoff.open_findings", count=len(findings)), self)
        findings_label.setBuddy(self.findings_view)
        lay.addRow(findings_label)
        lay.addRow(self.findings_view)
        self.name = QLineEdit(default_name, self)
        self.role = QLineEdit(self)
        self.role.setPlaceholderText(t("ui.approve.role_hint"))
        name_label = QLabel(t("ui.approve.name"), self)
        name_label.setBuddy(self.name)
        role_label = QLabel(t("ui.approve.role"), self)
        role_label.setBuddy(self.role)
        lay.addRow(name_label, self.name)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.hide()
        lay.addRow(self.note)
        lay.addRow(role_label, self.role)
        # The refusal has its room from the start: when it appeared, the fields above moved up a
        # line under the pointer and a click meant for 批准人 landed in 职务 (QA walk 2 #43).
        slot = QWidget(self)
        slot_lay = QVBoxLayout(slot)
        slot_lay.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(slot)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setWordWrap(True)
        self.message.hide()
        slot_lay.addWidget(self.message)
        slot.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        lay.addRow(slot)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)
        self.resize(560, self.sizeHint().height())
        # The refusal follows the fields: it went away only on the next OK (QA walk 2 #17).
        self.name.textChanged.connect(self._recheck)
        self.role.textChanged.connect(self._recheck)

    def set_note(self, text: str) -> None:
        """A grey line under the approver's name (e.g. that it is the user's own)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _recheck(self, _text: str = "") -> None:
        if not self.message.isHidden():  # shown after a refused OK
            problem = self.problem()
            self.message.setText(problem)
            self.message.setVisible(bool(problem))

    def _accept(self) -> None:
        missing = self.problem()
        if missing:
            self.message.setText(missing)
            self.message.show()
            (self.name if not self.name.text().strip() else self.role).setFocus()
            return
        self.accept()

    def problem(self) -> str:
        """Why the sign-off cannot be accepted yet ("" when it can)."""
        if not self.name.text().strip():
            return t("ui.signoff.name_required")
        if not self.role.text().strip():
            return t("ui.signoff.role_required")
        return ""

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.role.text().strip()


class ReviewDialog(QDialog):
    """Start a re-review: why (the reference's re-assessment triggers) and a note."""

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.review.title"))
        lay = QFormLayout(self)
        lay.addRow(QLabel(t("ui.review.explain"), self))
        self.reason = QComboBox(self)
        q = form.question(form.role("record", "assessment_type"))
        for code in REVIEW_REASONS:
            opt = q.option(code) if q else None
            self.reason.addItem(pick(opt.label) if opt else code, code)
        self.note = QPlainTextEdit(self)
        self.note.setMaximumHeight(90)
        lay.addRow(t("ui.review.reason"), self.reason)
        lay.addRow(t("ui.review.note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return str(self.reason.currentData()), self.note.toPlainText().strip()


def diff_html(diff: RevisionDiff) -> str:
    """What changed between two revisions, as simple HTML for a QTextBrowser."""
    lang = current_language()
    out = []
    if diff.empty:
        return f"<p>{escape(t('ui.history.no_changes'))}</p>"
    if diff.answers:
        out.append(f"<h3>{escape(t('ui.history.answers'))}</h3><table border='1' cellpadding='4'>")
        out.append(
            f"<tr><th>{escape(t('ui.history.question'))}</th><th>{escape(t('ui.history.old'))}</th>"
            f"<th>{escape(t('ui.history.new'))}</th></tr>"
        )
        for c in diff.answers:
            out.append(
                f"<tr><td>{escape(pick(c.label, lang) or c.question_id)}</td>"
                f"<td>{escape(pick(c.old_text, lang))[:2000]}</td>"
                f"<td>{escape(pick(c.new_text, lang))[:2000]}</td></tr>"
            )
        out.append("</table>")
    for title, items in (
        ("ui.history.findings_added", diff.findings_added),
        ("ui.history.findings_resolved", diff.findings_resolved),
    ):
        if items:
            out.append(f"<h3>{escape(t(title))}</h3><ul>")
            out.extend(
                f"<li>[{f.severity} {escape(t('severity.' + f.severity))}] "
                f"{escape(pick(f.message, lang))}</li>"
                for f in items
            )
            out.append("</ul>")
    if diff.risk_changes:
        out.append(f"<h3>{escape(t('ui.history.risks'))}</h3><ul>")
        for r in diff.risk_changes:
            name = r.risk_id or t("cli.diff.overall")
            out.append(
                f"<li>{escape(name)} {escape(r.label)}: {escape(str(r.old_level or '–'))} → "
                f"{escape(str(r.new_level or '–'))}</li>"
            )
        out.append("</ul>")
    return "".join(out)


class HistoryDialog(QDialog):
    """Every revision of an assessment, what changed between any two, and the audit trail."""

    def __init__(
        self, repo: Repository, form: Form, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.repo, self.form, self.assessment_id = repo, form, assessment_id
        summary = repo.get(assessment_id)
        self.setWindowTitle(t("ui.history.title", title=summary.title or t("ui.untitled")))
        fit_dialog(self, 900, 620)
        self.revisions = repo.revisions(assessment_id)
        tabs = QTabWidget(self)
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)

        rev_tab = QWidget(tabs)
        rev_lay = QVBoxLayout(rev_tab)
        self.rev_table = QTableWidget(len(self.revisions), 5, rev_tab)
        self.rev_table.setHorizontalHeaderLabels(
            [
                t("ui.list.revision"),
                t("ui.list.status"),
                t("ui.history.reason"),
                t("ui.history.approved"),
                t("ui.list.modified"),
            ]
        )
        q = form.question(form.role("record", "assessment_type"))
        for i, r in enumerate(self.revisions):
            opt = q.option(r.review_reason) if q and r.review_reason else None
            approved = (
                f"{r.approved_by} ({r.approved_role}) {(r.approved_at or '')[:10]}" if r.approved_by else ""
            )
            for col, text in enumerate(
                (
                    str(r.number),
                    t("status." + r.status),
                    pick(opt.label) if opt else "",
                    approved,
                    local_time(r.updated_at),
                )
            ):
                self.rev_table.setItem(i, col, QTableWidgetItem(text))
        self.rev_table.resizeColumnsToContents()
        self.rev_table.verticalHeader().setVisible(False)
        rev_lay.addWidget(self.rev_table, 1)
        pick_row = QHBoxLayout()
        self.old_combo, self.new_combo = QComboBox(rev_tab), QComboBox(rev_tab)
        for r in self.revisions:
            self.old_combo.addItem(str(r.number), r.number)
            self.new_combo.addItem(str(r.number), r.number)
        self.old_combo.setCurrentIndex(max(len(self.revisions) - 2, 0))
        self.new_combo.setCurrentIndex(len(self.revisions) - 1)
        self.old_combo.currentIndexChanged.connect(self.show_diff)
        self.new_combo.currentIndexChanged.connect(self.show_diff)
        pick_row.addWidget(QLabel(t("ui.history.compare"), rev_tab))
        pick_row.addWidget(self.old_combo)
        pick_row.addWidget(QLabel("→", rev_tab))
        pick_row.addWidget(self.new_combo)
        pick_row.addStretch(1)
        rev_lay.addLayout(pick_row)
        self.diff_view = QTextBrowser(rev_tab)
        rev_lay.addWidget(self.diff_view, 2)
        tabs.addTab(rev_tab, t("ui.history.revisions"))

        audit = repo.audit(assessment_id)
        audit_table = QTableWidget(len(audit), 4, tabs)
        audit_table.setHorizontalHeaderLabels(
            [
                t("ui.history.when"),
                t("ui.history.who"),
                t("ui.history.action"),
                t("ui.history.detail"),
            ]
        )
        for i, e in enumerate(audit):
            detail_text = describe(form, str(e["action"]), e["detail"])
            who = actor_label(str(e["actor"]))
            row = (local_time(e["ts"]), who, action_label(str(e["action"])), detail_text[:500])
            for col, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                audit_table.setItem(i, col, item)
        audit_table.setWordWrap(True)
        # When, who and what fit their contents; the details take the rest of the width and wrap.
        # Sized to its longest entry, the details column put its own header off to the right
        # and long entries past the edge (QA walk 2 #42).
        header = audit_table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        audit_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Row heights follow the details' width: measured once while the dialog was not laid
        # out yet, the column was narrow and every row 3-6 lines too tall (QA walk 2 #45).
        # Once per width change (coalesced): ResizeToContents on the rows would measure every
        # row's wrapped text at each layout pass of a trail with thousands of entries.
        fit_rows = QTimer(audit_table)
        fit_rows.setSingleShot(True)
        fit_rows.setInterval(0)
        fit_rows.timeout.connect(audit_table.resizeRowsToContents)
        header.sectionResized.connect(lambda col, _old, _new: col == 3 and fit_rows.start())
        audit_table.verticalHeader().setVisible(False)
        audit_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.audit_table = audit_table
        tabs.addTab(audit_table, t("ui.history.audit"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.show_diff()

    def show_diff(self) -> None:
        old_no, new_no = self.old_combo.currentData(), self.new_combo.currentData()
        by_no = {r.number: r for r in self.revisions}
        if old_no not in by_no or new_no not in by_no:
            return
        self.diff = diff_revisions(self.form, by_no[old_no], by_no[new_no])
        self.diff_view.setHtml(diff_html(self.diff))
