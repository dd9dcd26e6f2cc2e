"""The assessment wizard, generated from the form: one page per section, one widget per answer.

Answers are kept in one dict; every change updates which questions apply, refreshes the findings
panel and schedules a save (debounced, well within a second). Closing the wizard saves at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from pia_app.engine.findings import Finding
from pia_app.engine.grade import (
    CONCLUSION_QUESTION,
    MAY_PROCEED,
    TRIGGER_QUESTION,
    Grading,
    grade_assessment,
)
from pia_app.engine.risk import level_label
from pia_app.errors import UserError
from pia_app.forms.answers import missing_required, visible_question_ids
from pia_app.forms.citations import format_refs
from pia_app.forms.schema import Form, Question, Section
from pia_app.i18n import current_language, pick, t
from pia_app.store.repository import Repository
from pia_app.ui.widgets import AnswerWidget, MultiAnswer, answer_widget

SAVE_DELAY_MS = 400
FINDINGS_DELAY_MS = 250
SEVERITY_COLOURS = {"S1": "#b71c1c", "S2": "#e65100", "S3": "#8d6e00", "S4": "#455a64"}


class QuestionBlock(QFrame):
    """A question's label, help, citation and answer widget."""

    def __init__(self, form: Form, q: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = q
        self.setObjectName(f"q_{q.id}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 8, 4, 8)
        star = " <span style='color:#b71c1c'>*</span>" if q.required else ""
        self.label = QLabel(f"<b>{_html(pick(q.label))}</b>{star}", self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.label)
        help_text = pick(q.help)
        refs = format_refs(form, q.refs, current_language())
        if refs:
            help_text += ("\n依据：" if current_language() == "zh" else "\nBasis: ") + refs
        if help_text:
            self.help = QLabel(help_text, self)
            self.help.setWordWrap(True)
            self.help.setStyleSheet("color: #555; font-size: 90%;")
            self.help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(self.help)
        self.widget: AnswerWidget = answer_widget(q)
        self.widget.setObjectName(f"answer_{q.id}")
        lay.addWidget(self.widget)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SectionPage(QWizardPage):
    def __init__(self, form: Form, section: Section, index: int, total: int) -> None:
        super().__init__()
        self.section = section
        self.setTitle(f"{section.id}. {pick(section.title)}")
        self.setSubTitle(t("ui.wizard.section", index=index, total=total) + "　" + pick(section.intro))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(scroll)
        lay = QVBoxLayout(inner)
        self.blocks: dict[str, QuestionBlock] = {}
        for q in section.questions:
            block = QuestionBlock(form, q, inner)
            self.blocks[q.id] = block
            lay.addWidget(block)
        lay.addStretch(1)
        scroll.setWidget(inner)
        self.scroll = scroll
        outer.addWidget(scroll)


class AssessmentWizard(QWizard):
    """Edit the current revision of one stored assessment."""

    saved = Signal()
    error = Signal(str)

    def __init__(
        self,
        repo: Repository,
        form: Form,
        assessment_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.form = form
        self.assessment_id = assessment_id
        revision = repo.revision(assessment_id)
        self.answers: dict[str, Any] = dict(revision.answers)
        self.read_only = revision.status == "approved"
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setWindowTitle(t("ui.wizard.title", title=self._title()))
        self.resize(1100, 780)

        self.pages: list[SectionPage] = []
        total = len(form.sections)
        for i, section in enumerate(form.sections):
            page = SectionPage(form, section, i + 1, total)
            self.setPage(i, page)
            self.pages.append(page)
        self.blocks: dict[str, QuestionBlock] = {qid: b for p in self.pages for qid, b in p.blocks.items()}
        for qid, block in self.blocks.items():
            block.widget.set_value(self.answers.get(qid))
            block.widget.set_read_only(self.read_only)
            block.widget.changed.connect(lambda qid=qid: self._on_changed(qid))

        self._build_side_panel()
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.flush)
        self.findings_timer = QTimer(self)
        self.findings_timer.setSingleShot(True)
        self.findings_timer.setInterval(FINDINGS_DELAY_MS)
        self.findings_timer.timeout.connect(self.refresh_findings)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.flush)
        self.finished.connect(lambda _r: self.flush())
        self.update_visibility()
        self.refresh_findings()

    # -- side panel -----------------------------------------------------------------------------

    def _build_side_panel(self) -> None:
        side = QWidget(self)
        side.setMinimumWidth(300)
        side.setMaximumWidth(340)
        lay = QVBoxLayout(side)
        self.findings_title = QLabel(side)
        self.findings_title.setStyleSheet("font-weight: bold;")
        self.findings_list = QListWidget(side)
        self.findings_list.setWordWrap(True)
        self.findings_list.setSpacing(4)
        self.findings_list.itemActivated.connect(self._jump_to_finding)
        self.findings_list.itemClicked.connect(self._jump_to_finding)
        self.summary_label = QLabel(side)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.missing_label = QLabel(side)
        self.missing_label.setWordWrap(True)
        self.save_label = QLabel(side)
        self.save_label.setStyleSheet("color: #2e7d32;")
        lay.addWidget(self.summary_label)
        lay.addWidget(self.findings_title)
        lay.addWidget(self.findings_list, 1)
        lay.addWidget(self.missing_label)
        lay.addWidget(self.save_label)
        self.setSideWidget(side)

    # -- behaviour ------------------------------------------------------------------------------

    def _title(self) -> str:
        title = self.answers.get("a_project_name")
        return title if isinstance(title, str) and title.strip() else t("ui.untitled")

    def _on_changed(self, qid: str) -> None:
        if self.read_only:
            return
        value = self.blocks[qid].widget.value()
        if qid == CONCLUSION_QUESTION and value == MAY_PROCEED and not self._may_proceed_allowed():
            self.blocks[qid].widget.set_value(self.answers.get(qid))
            return
        if value is None:
            self.answers.pop(qid, None)
        else:
            self.answers[qid] = value
        if qid == "a_project_name":
            self.setWindowTitle(t("ui.wizard.title", title=self._title()))
        self.update_visibility()
        self.save_timer.start()
        self.findings_timer.start()

    def update_visibility(self) -> None:
        shown = visible_question_ids(self.form, self.answers)
        for qid, block in self.blocks.items():
            block.setVisible(qid in shown)
        self._shown = shown

    def section_visible(self, page_id: int) -> bool:
        page = self.pages[page_id]
        return any(q.id in self._shown for q in page.section.questions)

    def nextId(self) -> int:
        for pid in range(self.currentId() + 1, len(self.pages)):
            if self.section_visible(pid):
                return pid
        return -1

    def visible_page_ids(self) -> list[int]:
        return [i for i in range(len(self.pages)) if self.section_visible(i)]

    def _may_proceed_allowed(self) -> bool:
        """'May proceed' is refused while the engine names blockers; the user is told which."""
        trial = dict(self.answers)
        trial[CONCLUSION_QUESTION] = MAY_PROCEED
        blockers = grade_assessment(self.form, trial).conclusion_blockers
        if not blockers:
            return True
        lines = "\n".join("• " + pick(b) for b in blockers)
        self.notify_refused(t("ui.wizard.may_proceed_refused") + "\n\n" + lines)
        return False

    def notify_refused(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, t("ui.wizard.refused_title"), text)

    def _update_summary(self, grading: Grading) -> None:
        lang = current_language()
        parts = []
        overall = grading.risk.overall
        if overall is not None:
            parts.append(t("ui.wizard.overall_risk", level=level_label(self.form, overall, lang)))
        trigger_q = self.form.question(TRIGGER_QUESTION)
        if trigger_q is not None and grading.triggers:
            labels = [pick(o.label) for o in trigger_q.options if o.code in grading.triggers]
            parts.append(
                t("ui.wizard.triggers", triggers="、".join(labels) if lang == "zh" else ", ".join(labels))
            )
        dates = grading.dates
        if dates.filing_due is not None:
            key = "ui.wizard.filing_overdue" if dates.filing_overdue else "ui.wizard.filing_due"
            parts.append(t(key, date=dates.filing_due.isoformat()))
        if dates.retain_until is not None:
            parts.append(t("ui.wizard.retain_until", date=dates.retain_until.isoformat()))
        self.summary_label.setText("<br>".join(_html(p) for p in parts))
        block = self.blocks.get(TRIGGER_QUESTION)
        if block is not None and isinstance(block.widget, MultiAnswer):
            block.widget.lock(set(grading.derived_triggers or []))

    def refresh_findings(self) -> None:
        self.grading = grade_assessment(self.form, self.answers)
        self.findings = self.grading.findings
        self._update_summary(self.grading)
        self.findings_list.clear()
        lang = current_language()
        for f in self.findings:
            text = f"[{f.severity} {t('severity.' + f.severity)}] {pick(f.message)}\n" + (
                format_refs(self.form, f.refs, lang)
            )
            item = QListWidgetItem(text)
            item.setForeground(QColor(SEVERITY_COLOURS[f.severity]))
            item.setData(Qt.ItemDataRole.UserRole, f.question_ids[0])
            item.setToolTip(pick(f.measure))
            self.findings_list.addItem(item)
        self.findings_title.setText(
            t("ui.wizard.findings", count=len(self.findings)) if self.findings else t("ui.wizard.no_findings")
        )
        missing = missing_required(self.form, self.answers)
        self.missing_label.setText(t("ui.wizard.missing", count=len(missing)) if missing else "")

    def finding_list(self) -> list[Finding]:
        return list(self.findings)

    def _jump_to_finding(self, item: QListWidgetItem) -> None:
        qid = item.data(Qt.ItemDataRole.UserRole)
        self.jump_to_question(str(qid))

    def jump_to_question(self, qid: str) -> None:
        block = self.blocks.get(qid)
        if block is None:
            return
        for pid, page in enumerate(self.pages):
            if qid in page.blocks:
                while self.currentId() > pid and self.currentId() > 0:
                    self.back()
                while self.currentId() < pid and self.nextId() != -1:
                    self.next()
                page.scroll.ensureWidgetVisible(block)
                block.widget.setFocus()
                return

    def flush(self) -> bool:
        """Save now if anything is pending; True when the store holds what the user sees."""
        self.save_timer.stop()
        if self.read_only:
            return True
        try:
            changed = self.repo.save_answers(self.assessment_id, self.answers)
        except UserError as exc:
            self.save_label.setStyleSheet("color: #b71c1c;")
            self.save_label.setText(exc.message())
            self.error.emit(exc.message())
            return False
        if changed:
            self.save_label.setStyleSheet("color: #2e7d32;")
            self.save_label.setText(t("ui.wizard.saved", time=QTime.currentTime().toString("HH:mm:ss")))
            self.saved.emit()
        return True
