"""Review of one assessment's current revision, in one window with four tabs:

- Comments: threads per question (who, when, resolved or not); open one on any question, reply,
  resolve or reopen;
- Evaluation: per section, acceptable / to be improved / not acceptable with a comment, by the
  current user in a role;
- Roles and DPO: authors, reviewers, DPO, approver (a separation-of-duties note when one person
  holds several), the DPO's advice and whether it was followed (a reason when overruled);
- Evidence: the attachments (evidence_panel.py).

Every action calls `ReviewStore` — the same functions as the `pia-app comment/evaluate/roles/
dpo/attach` commands — and "who" is the name set in File › Your name. An approved revision is
shown read-only. The window is not modal, so the editor stays usable beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pia_app.actor import actor_label
from pia_app.errors import UserError
from pia_app.forms.schema import Form
from pia_app.i18n import pick, t
from pia_app.review.duties import duty_conflicts
from pia_app.store.repository import Repository
from pia_app.store.review_store import ROLES, VERDICTS, ReviewStore, Thread
from pia_app.ui.evidence_panel import EvidencePanel, question_choices

_T = TypeVar("_T")

VERDICT_COLOURS = {"acceptable": "#2e7d32", "to_improve": "#8d6e00", "not_acceptable": "#b71c1c"}


def _local(ts: str | None) -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM'."""
    import datetime as dt

    if not ts:
        return ""
    try:
        when = dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return ts[:16]
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class ReviewDialog(QDialog):
    changed = Signal()
    """Something was recorded (the main window refreshes what depends on it)."""

    def __init__(
        self, repo: Repository, form: Form, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.form = form
        self.assessment_id = assessment_id
        self.store = ReviewStore(repo, form)
        self.errors: list[str] = []
        self.threads: list[Thread] = []
        self._loaded = False
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(860, 520)
        lay = QVBoxLayout(self)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        lay.addWidget(self.header)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._comments_tab(), t("ui.review.tab.comments"))
        self.tabs.addTab(self._evaluation_tab(), t("ui.review.tab.evaluation"))
        self.tabs.addTab(self._roles_tab(), t("ui.review.tab.roles"))
        self.evidence = EvidencePanel(self.store, form, assessment_id, self)
        self.evidence.show_error = self.show_error  # type: ignore[method-assign]
        self.tabs.addTab(self.evidence, t("ui.review.tab.evidence"))
        lay.addWidget(self.tabs, 1)
        close = QPushButton(t("ui.review.close"), self)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.reload()
        self._loaded = True

    # -- construction ---------------------------------------------------------------------------

    def _comments_tab(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        self.tree = QTreeWidget(page)
        self.tree.setObjectName("comment_tree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(
            [t("ui.review.col.question"), t("ui.review.col.who"), t("ui.review.col.text")]
        )
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 230)
        self.tree.setWordWrap(True)
        self.tree.itemSelectionChanged.connect(self._thread_selected)
        self.open_only = QCheckBox(t("ui.review.open_only"), page)
        self.open_only.toggled.connect(lambda _on: self.reload_threads())
        lay.addWidget(self.open_only)
        lay.addWidget(self.tree, 1)
        pick_row = QHBoxLayout()
        self.question = QComboBox(page)
        self.question.setAccessibleName(t("ui.review.question"))
        for qid, label in question_choices(self.form):
            self.question.addItem(label, qid)
        self.question.setMinimumContentsLength(24)
        self.question.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        pick_row.addWidget(QLabel(t("ui.review.question"), page))
        pick_row.addWidget(self.question, 1)
        lay.addLayout(pick_row)
        self.comment_text = QPlainTextEdit(page)
        self.comment_text.setPlaceholderText(t("ui.review.comment_placeholder"))
        self.comment_text.setMaximumHeight(80)
        lay.addWidget(self.comment_text)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(t("ui.review.new_thread"), page)
        self.reply_button = QPushButton(t("ui.review.reply"), page)
        self.resolve_button = QPushButton(t("ui.review.resolve"), page)
        self.new_button.clicked.connect(self.new_thread)
        self.reply_button.clicked.connect(self.reply)
        self.resolve_button.clicked.connect(self.toggle_resolved)
        for b in (self.new_button, self.reply_button, self.resolve_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        return page

    def _evaluation_tab(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        self.eval_table = QTableWidget(0, 4, page)
        self.eval_table.setObjectName("evaluation_table")
        self.eval_table.setHorizontalHeaderLabels(
            [
                t("ui.review.col.section"),
                t("ui.review.col.verdict"),
                t("ui.review.col.text"),
                t("ui.review.col.who"),
            ]
        )
        self.eval_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.eval_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.eval_table.verticalHeader().setVisible(False)
        self.eval_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.eval_table.itemSelectionChanged.connect(self._evaluation_selected)
        lay.addWidget(self.eval_table, 1)
        box = QFormLayout()
        self.section = QComboBox(page)
        for s in self.form.sections:
            self.section.addItem(f"{s.id}. {pick(s.title)}", s.id)
        self.verdict = QComboBox(page)
        for v in VERDICTS:
            self.verdict.addItem(t("review.verdict." + v), v)
        self.eval_role = QLineEdit(t("review.role.reviewer"), page)
        self.eval_comment = QPlainTextEdit(page)
        self.eval_comment.setMaximumHeight(70)
        self.eval_comment.setPlaceholderText(t("ui.review.eval_placeholder"))
        box.addRow(t("ui.review.col.section"), self.section)
        box.addRow(t("ui.review.col.verdict"), self.verdict)
        box.addRow(t("ui.review.your_role"), self.eval_role)
        box.addRow(t("ui.review.col.text"), self.eval_comment)
        lay.addLayout(box)
        self.eval_button = QPushButton(t("ui.review.record_evaluation"), page)
        self.eval_button.clicked.connect(self.record_evaluation)
        lay.addWidget(self.eval_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _roles_tab(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        box = QFormLayout()
        self.role_edits: dict[str, QLineEdit] = {}
        for role in ROLES:
            edit = QLineEdit(page)
            edit.setPlaceholderText(t("ui.review.names_placeholder"))
            self.role_edits[role] = edit
            box.addRow(t("review.role." + role), edit)
        lay.addLayout(box)
        self.roles_button = QPushButton(t("ui.review.save_roles"), page)
        self.roles_button.clicked.connect(self.save_roles)
        lay.addWidget(self.roles_button, 0, Qt.AlignmentFlag.AlignRight)
        self.duties_label = QLabel(page)
        self.duties_label.setWordWrap(True)
        self.duties_label.setStyleSheet("color: #8d6e00;")
        lay.addWidget(self.duties_label)
        lay.addWidget(QLabel("<b>" + t("ui.review.dpo_title") + "</b>", page))
        self.dpo_state = QLabel(page)
        self.dpo_state.setWordWrap(True)
        lay.addWidget(self.dpo_state)
        self.dpo_advice = QPlainTextEdit(page)
        self.dpo_advice.setMaximumHeight(70)
        self.dpo_advice.setPlaceholderText(t("ui.review.dpo_placeholder"))
        lay.addWidget(self.dpo_advice)
        self.advice_button = QPushButton(t("ui.review.record_advice"), page)
        self.advice_button.clicked.connect(self.record_advice)
        lay.addWidget(self.advice_button, 0, Qt.AlignmentFlag.AlignRight)
        decide = QHBoxLayout()
        self.followed = QRadioButton(t("review.dpo.followed"), page)
        self.overruled = QRadioButton(t("review.dpo.overruled"), page)
        self.followed.setChecked(True)
        self.dpo_reason = QLineEdit(page)
        self.dpo_reason.setPlaceholderText(t("ui.review.reason_placeholder"))
        self.decide_button = QPushButton(t("ui.review.record_decision"), page)
        self.decide_button.clicked.connect(self.record_decision)
        decide.addWidget(self.followed)
        decide.addWidget(self.overruled)
        decide.addWidget(self.dpo_reason, 1)
        decide.addWidget(self.decide_button)
        lay.addLayout(decide)
        lay.addStretch(1)
        return page

    # -- state ----------------------------------------------------------------------------------

    def frozen(self) -> bool:
        return self.repo.revision(self.assessment_id).status == "approved"

    def event(self, event: QEvent) -> bool:
        """Coming back to the window re-reads the record: it may have been approved, commented
        or re-reviewed meanwhile (from the main window or the command line)."""
        if event.type() == QEvent.Type.WindowActivate and self._loaded:
            self.reload()
        return super().event(event)

    def reload(self) -> None:
        try:
            self._reload()
        except UserError as exc:  # e.g. the assessment was deleted meanwhile
            self.show_error(exc.message())
            for w in (self.new_button, self.reply_button, self.resolve_button, self.eval_button):
                w.setEnabled(False)

    def _reload(self) -> None:
        summary = self.repo.get(self.assessment_id)
        frozen = self.frozen()
        title = summary.title or t("ui.untitled")
        self.setWindowTitle(t("ui.review_window.title", title=title))
        state = t("ui.review.frozen") if frozen else t("ui.review.as_user", name=actor_label(self.repo.actor))
        self.header.setText(
            t("ui.review.header", title=title, revision=summary.current_revision, state=state)
        )
        self.reload_threads()
        self.reload_evaluations()
        self.reload_roles()
        self.evidence.reload()
        for w in (
            self.new_button,
            self.reply_button,
            self.resolve_button,
            self.comment_text,
            self.eval_button,
            self.roles_button,
            self.advice_button,
            self.decide_button,
        ):
            w.setEnabled(not frozen)

    def reload_threads(self) -> None:
        self.threads = self.store.threads(self.assessment_id)
        shown = [th for th in self.threads if not (self.open_only.isChecked() and th.resolved)]
        labels = dict(question_choices(self.form))
        self.tree.clear()
        for th in shown:
            state = t("review.resolved_by", name=th.resolved_by or "") if th.resolved else t("review.open")
            first = th.comments[0]
            label = labels.get(th.question_id, th.question_id)
            top = QTreeWidgetItem([label, f"{first.author} {_local(first.created_at)} · {state}", first.body])
            top.setData(0, Qt.ItemDataRole.UserRole, th.id)
            top.setForeground(1, Qt.GlobalColor.darkGreen if th.resolved else Qt.GlobalColor.darkRed)
            top.setToolTip(0, f"{label} ({th.question_id})")
            top.setToolTip(2, first.body)
            for c in th.comments[1:]:
                child = QTreeWidgetItem(["", f"{c.author} {_local(c.created_at)}", c.body])
                child.setData(0, Qt.ItemDataRole.UserRole, th.id)
                child.setToolTip(2, c.body)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(not th.resolved)
        self.tree.resizeColumnToContents(1)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0), 230))

    def reload_evaluations(self) -> None:
        evals = self.store.evaluations(self.assessment_id)
        self.eval_table.setRowCount(len(evals))
        for r, e in enumerate(evals):
            section = self.form.section(e.section_id)
            values = (
                f"{e.section_id}. {pick(section.title) if section else ''}",
                t("review.verdict." + e.verdict),
                e.comment,
                f"{e.reviewer} ({e.reviewer_role}) {_local(e.evaluated_at)}",
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if c == 1:
                    from PySide6.QtGui import QColor

                    item.setForeground(QColor(VERDICT_COLOURS[e.verdict]))
                item.setData(Qt.ItemDataRole.UserRole, e.section_id)
                self.eval_table.setItem(r, c, item)
        self.eval_table.resizeColumnToContents(0)

    def reload_roles(self) -> None:
        roles = self.store.roles(self.assessment_id)
        for role, edit in self.role_edits.items():
            edit.setText(("、" if _zh() else ", ").join(roles[role]))
        evaluators = [e.reviewer for e in self.store.evaluations(self.assessment_id)]
        sep = "、" if _zh() else ", "
        notes = [
            t("review.duty_conflict", name=c.name, roles=sep.join(t("review.role." + r) for r in c.roles))
            for c in duty_conflicts(roles, evaluators)
        ]
        self.duties_label.setText("\n".join(notes))
        advice = self.store.dpo_advice(self.assessment_id)
        if advice is None:
            self.dpo_state.setText(t("ui.review.no_advice"))
        else:
            decision = t("review.dpo." + advice.decision) if advice.decision else t("review.dpo.pending")
            text = t(
                "ui.review.advice_state", by=advice.given_by, date=_local(advice.given_at), decision=decision
            )
            self.dpo_state.setText(
                f"{text}\n{advice.advice}" + (f"\n{advice.reason}" if advice.reason else "")
            )

    def select_question(self, question_id: str) -> None:
        """Preselect a question (the editor's current one) for a new thread and an attachment."""
        index = self.question.findData(question_id)
        if index >= 0:
            self.question.setCurrentIndex(index)
        self.evidence.select_question(question_id)
        qsection = next(
            (s.id for s in self.form.sections if any(q.id == question_id for q in s.questions)), None
        )
        if qsection is not None:
            self.section.setCurrentIndex(max(self.section.findData(qsection), 0))

    def _thread_selected(self) -> None:
        th = self.selected_thread()
        if th is not None:
            self.resolve_button.setText(t("ui.review.reopen") if th.resolved else t("ui.review.resolve"))

    def _evaluation_selected(self) -> None:
        items = self.eval_table.selectedItems()
        if not items:
            return
        sid = items[0].data(Qt.ItemDataRole.UserRole)
        current = next((e for e in self.store.evaluations(self.assessment_id) if e.section_id == sid), None)
        if current is not None:
            self.section.setCurrentIndex(max(self.section.findData(sid), 0))
            self.verdict.setCurrentIndex(max(self.verdict.findData(current.verdict), 0))
            self.eval_comment.setPlainText(current.comment)

    def selected_thread(self) -> Thread | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        tid = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((th for th in self.threads if th.id == tid), None)

    # -- actions --------------------------------------------------------------------------------

    def _run(self, fn: Callable[..., _T], *args: Any) -> _T | None:
        """Call a store action; a refused one is shown to the user and changes nothing."""
        try:
            result = fn(*args)
        except UserError as exc:
            self.show_error(exc.message())
            return None
        self.reload()
        self.changed.emit()
        return result

    def new_thread(self) -> Thread | None:
        text = self.comment_text.toPlainText()
        result = self._run(self.store.open_thread, self.assessment_id, str(self.question.currentData()), text)
        if result is not None:
            self.comment_text.clear()
        return result

    def reply(self) -> Thread | None:
        th = self.selected_thread()
        if th is None:
            self.show_error(t("ui.review.pick_thread"))
            return None
        result = self._run(self.store.reply, self.assessment_id, th.id, self.comment_text.toPlainText())
        if result is not None:
            self.comment_text.clear()
        return result

    def toggle_resolved(self) -> Thread | None:
        th = self.selected_thread()
        if th is None:
            self.show_error(t("ui.review.pick_thread"))
            return None
        return self._run(self.store.resolve, self.assessment_id, th.id, not th.resolved)

    def record_evaluation(self) -> object:
        return self._run(
            self.store.evaluate,
            self.assessment_id,
            str(self.section.currentData()),
            str(self.verdict.currentData()),
            self.eval_comment.toPlainText().strip(),
            self.eval_role.text().strip() or t("review.role.reviewer"),
        )

    def save_roles(self) -> bool:
        def save() -> bool:
            for role, edit in self.role_edits.items():
                names = [
                    n
                    for part in edit.text().replace("、", ",").replace("，", ",").split(",")
                    for n in [part.strip()]
                    if n
                ]
                self.store.set_role(self.assessment_id, role, names)
            return True

        return bool(self._run(save))

    def record_advice(self) -> object:
        return self._run(self.store.give_dpo_advice, self.assessment_id, self.dpo_advice.toPlainText())

    def record_decision(self) -> object:
        decision = "overruled" if self.overruled.isChecked() else "followed"
        return self._run(self.store.decide_dpo_advice, self.assessment_id, decision, self.dpo_reason.text())

    def show_error(self, message: str) -> None:
        self.errors.append(message)
        QMessageBox.critical(self, t("ui.error.title"), message)


def _zh() -> bool:
    from pia_app.i18n import current_language

    return current_language() == "zh"
