"""The assessment editor, generated from the form, shown inside the main window.

Left, a section sidebar (every section that applies, answered/required counts, a mark where it has
gaps; one click goes there); in the middle, the current section's questions in a scroll area; on
the right, the findings panel. Section pages are built the first time they are shown, so opening
an assessment costs one page, not thirteen. Answers are kept in one dict; every change updates
which questions apply, refreshes the panels and schedules a save (debounced, well within a
second). Closing the editor ("Save and close") saves at once; so does leaving the application.

The class keeps the name `AssessmentWizard` and the page-walking calls of a QWizard (`currentId`,
`nextId`, `next`, `back`) that benchmarks and tests use.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTime, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QKeySequence,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pia_app.engine.deadlines import NOTE_CALENDAR, describe_filing_note
from pia_app.engine.findings import Finding
from pia_app.engine.grade import (
    Grading,
    conclusion_role,
    grade_assessment,
    trigger_question,
)
from pia_app.engine.risk import level_label
from pia_app.errors import UserError
from pia_app.forms.answers import visible_question_ids
from pia_app.forms.citations import format_refs
from pia_app.forms.schema import Form, Question, Section
from pia_app.i18n import current_language, pick, t
from pia_app.store.repository import ChangedElsewhere, Repository
from pia_app.ui.engine_adapter import SectionCount, gap_number, section_counts
from pia_app.ui.risk_panel import RiskPanel
from pia_app.ui.widgets import REF_COLUMN, AnswerWidget, MultiAnswer, answer_widget, literal, shortcut, tint

SAVE_DELAY_MS = 400
RELOAD, KEEP_MINE, LATER = "reload", "keep", "later"
"""The user's answers to "changed elsewhere" (`AssessmentWizard.ask_changed_elsewhere`)."""
PREBUILD_DELAY_MS = 20
"""Once the editor has been painted, wait this long before building the other pages ahead."""
PREBUILD_FALLBACK_MS = 1000
"""Build ahead after this long in any case (an editor that is not on screen is never painted)."""
PREBUILD_SLICE_MS = 8
"""Building ahead works in slices of about this long between two turns of the event loop, so a
click or a key that comes meanwhile waits no longer than that (a whole page took 20-110 ms)."""
FINDINGS_DELAY_MS = 250
SEVERITY_COLOURS = {"S1": "#b71c1c", "S2": "#e65100", "S3": "#8d6e00", "S4": "#455a64"}


def _html(text: str) -> str:
    return escape(text, quote=False)


KEEP_IN_VIEW_MS = 1000
"""After a jump, how long the question is scrolled back into view whenever its page grows."""


def _keep_in_view(area: QScrollArea, widget: QWidget) -> None:
    """Keep `widget` in view while its page settles: a page built just now, and the comment
    buttons added to it a moment later (ui/review_hooks.py), are laid out only in later event
    loop rounds, which would push the question out of view below."""
    bar = area.verticalScrollBar()

    def again(_low: int, _high: int) -> None:
        area.ensureWidgetVisible(widget)

    bar.rangeChanged.connect(again)
    QTimer.singleShot(KEEP_IN_VIEW_MS, bar, lambda: bar.rangeChanged.disconnect(again))


UNDO_LABEL_CHARS = 16
"""Characters of a question label shown on the Undo button (full labels reached ~600 px)."""


class QuestionBlock(QFrame):
    """A question's label, help, citation and answer widget (labelled for screen readers)."""

    def __init__(self, form: Form, q: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = q
        self.setObjectName(f"q_{q.id}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 6, 4, 6)
        star = " <span style='color:#b71c1c'>*</span>" if q.required else ""
        self.label = QLabel(f"<b>{_html(pick(q.label))}</b>{star}", self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.label)
        help_text = pick(q.help)
        refs = format_refs(form, q.refs, current_language())
        if refs:
            help_text += ("\n" if help_text else "") + t("ui.editor.basis", refs=refs)
        self.help: QLabel | None = None
        if help_text:
            self.help = QLabel(help_text, self)
            self.help.setWordWrap(True)
            tint(self.help, "#555555", 0.9)
            self.help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(self.help)
        self.widget: AnswerWidget = answer_widget(q, form.role("tables", "treatments"))
        self.widget.setObjectName(f"answer_{q.id}")
        name = pick(q.label) + ("（必答）" if q.required and current_language() == "zh" else "")
        self.widget.setAccessibleName(name)
        self.widget.setAccessibleDescription(pick(q.help))
        target = self.widget.focus_target()
        if target is not None:
            self.label.setBuddy(target)
            target.setAccessibleName(name)
        lay.addWidget(self.widget)


class SectionPage(QScrollArea):
    """One section: its title, intro and question blocks, scrolling vertically only.

    With `build=False` only the frame is made; `build_more` then adds the question blocks a few
    at a time (the editor builds pages ahead in slices of idle time, issue 12)."""

    def __init__(
        self,
        form: Form,
        section: Section,
        index: int,
        total: int,
        size: QSize | None = None,
        parent: QWidget | None = None,
        build: bool = True,
    ) -> None:
        super().__init__(parent)
        self.hide()  # until shown by the editor's page stack
        self.form = form
        self.section = section
        self.setObjectName(f"page_{section.id}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: left "as needed", the scroll bar appeared only after the page's first
        # paint (a queued call), which narrowed the page, laid it all out again and repainted it.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        inner = QWidget(self)
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(12, 8, 12, 8)
        title = QLabel(f"<h2>{_html(section.id)}. {_html(pick(section.title))}</h2>", inner)
        title.setWordWrap(True)
        lay.addWidget(title)
        intro = t("ui.wizard.section", index=index, total=total)
        if pick(section.intro):
            intro += "　" + pick(section.intro)
        self.intro = QLabel(intro, inner)
        self.intro.setWordWrap(True)
        tint(self.intro, "#444444")
        lay.addWidget(self.intro)
        self._blocks: dict[str, QuestionBlock] = {}
        self._risk_panel: RiskPanel | None = None
        self.complete_rest: Callable[[], object] | None = None
        """Set by the editor: builds the rest of a page shown with only its top built."""
        self._todo = list(section.questions)
        self._inner, self._lay = inner, lay
        lay.addStretch(1)
        if size is not None and size.isValid():
            # Sized before setWidget: otherwise setWidget lays the page out at its natural size
            # first (adjustSize: every word-wrapped label measured at a width it never gets),
            # then again at the pane's width (a third of a page's build time, issue 12).
            self.resize(size)
            inner.resize(max(1, size.width() - self.verticalScrollBar().sizeHint().width()), size.height())
        self.setWidget(inner)
        if build:
            self.build_more()

    @property
    def complete(self) -> bool:
        return not self._todo

    @property
    def blocks(self) -> dict[str, QuestionBlock]:
        """Every question block of the page (the rest built now if only its top was)."""
        self._finish()
        return self._blocks

    @property
    def risk_panel(self) -> RiskPanel | None:
        self._finish()
        return self._risk_panel

    def _finish(self) -> None:
        if self._todo:
            if self.complete_rest is not None:
                self.complete_rest()
            else:
                self.build_more()

    def built_blocks(self) -> dict[str, QuestionBlock]:
        """The blocks built so far (all of them once `complete`), building nothing."""
        return self._blocks

    def built_risk_panel(self) -> RiskPanel | None:
        return self._risk_panel

    def build_more(
        self,
        deadline: float | None = None,
        added: Callable[[QuestionBlock], object] | None = None,
        enough: Callable[[], bool] | None = None,
    ) -> bool:
        """Add the next question blocks (all; or until `time.perf_counter()` passes `deadline`,
        or `enough()` says so), calling `added` with each; True once every block is there."""
        while self._todo:
            q = self._todo.pop(0)
            if q.id == self.form.role("tables", "risks"):
                self._risk_panel = RiskPanel(self.form, self._inner)
                self._lay.insertWidget(self._lay.count() - 1, self._risk_panel)
            block = QuestionBlock(self.form, q, self._inner)
            self._blocks[q.id] = block
            self._lay.insertWidget(self._lay.count() - 1, block)  # before the stretch
            if added is not None:
                added(block)
            if enough is not None and enough():
                break
            if deadline is not None:
                block.ensurePolished()  # ahead of the first show, too
                if time.perf_counter() >= deadline:
                    break
        return not self._todo

    def first_visible_block(self) -> QuestionBlock | None:
        return next((b for b in self._blocks.values() if not b.isHidden()), None)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab into a question shows the whole question when it fits, not only the focused
        option: the other options stayed below the edge (QA walk 2 #6)."""
        moved = super().focusNextPrevChild(next)
        focused = QApplication.focusWidget()
        block = focused
        while block is not None and not isinstance(block, QuestionBlock):
            block = block.parentWidget()
        if moved and focused is not None and block is not None and self.isAncestorOf(block):
            if block.height() <= self.viewport().height():
                self.ensureWidgetVisible(block, 0, 0)
            self.ensureWidgetVisible(focused)  # the focused field wins when the block is taller
        return moved


class PageStack(QWidget):
    """Shows one section page at a time, filling the pane (the part of QStackedWidget the editor
    needs, without its costs on this many widgets, issue 12): a switch hides one page and shows
    the other, and nothing else. QStackedWidget disabled and re-enabled updates on every page
    built so far at each switch, relaid out and repainted the pane whenever a page was added in
    the background (its size hint follows the pages; adding lowers the page, repainting its
    rectangle), and walked the whole focus chain when the page losing the focus was hidden."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def addWidget(self, page: QWidget) -> int:
        """Adopt `page` (hidden until shown by `setCurrentWidget`)."""
        page.hide()
        if page.parentWidget() is not self:
            page.setParent(self)
        page.setGeometry(self.rect())
        self._pages.append(page)
        return len(self._pages) - 1

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget | None:
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def indexOf(self, page: QWidget) -> int:
        return self._pages.index(page) if page in self._pages else -1

    def currentWidget(self) -> QWidget | None:
        return self._current

    def currentIndex(self) -> int:
        return self.indexOf(self._current) if self._current is not None else -1

    def setCurrentWidget(self, page: QWidget) -> None:
        if page is self._current or page not in self._pages:
            return
        old, self._current = self._current, page
        page.setGeometry(self.rect())
        page.show()
        if old is not None:
            old.hide()
        self.currentChanged.emit(self._pages.index(page))

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._current is not None:
            self._current.setGeometry(self.rect())
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(560, 400)

    def minimumSizeHint(self) -> QSize:
        return QSize(360, 120)


class AnswerCommand(QUndoCommand):
    """One answer changed, undoable across the whole assessment (Ctrl+Z / Ctrl+Shift+Z).

    Typing into one text or number field (or one table) within a couple of seconds merges into
    one step, so undo takes back a phrase, not a character. Undo and redo write the answer through the editor,
    so visibility, findings and the autosave follow as for any edit.
    """

    MERGE_SECONDS = 2.0

    def __init__(self, editor: AssessmentWizard, qid: str, old: Any, new: Any) -> None:
        q = editor.form.question(qid)
        label = pick(q.label) if q else qid
        # Short: the Undo button shows this text and must not widen the bottom bar past 1024 px.
        # "⋯", not "…": Qt strips "…" from an action's text on its button.
        short = label if len(label) <= UNDO_LABEL_CHARS else label[: UNDO_LABEL_CHARS - 1] + "⋯"
        super().__init__(t("ui.editor.undo_text", question=short))
        self.editor, self.qid = editor, qid
        self.old, self.new = copy.deepcopy(old), copy.deepcopy(new)
        self.typing = q is not None and q.type in ("text", "number", "table")
        self.when = time.monotonic()
        self.pushed = False

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, AnswerCommand) or other.qid != self.qid or not self.typing:
            return False
        if other.when - self.when > self.MERGE_SECONDS:
            return False
        self.new, self.when = other.new, other.when
        return True

    def redo(self) -> None:
        if not self.pushed:  # the first redo is the user's own edit, already on screen
            self.pushed = True
            return
        self.editor.apply_answer(self.qid, self.new)

    def undo(self) -> None:
        self.editor.apply_answer(self.qid, self.old)


class AssessmentWizard(QWidget):
    """Edit the current revision of one stored assessment (see the module docstring)."""

    saved = Signal()
    error = Signal(str)
    closed = Signal(int)
    """Emitted with the assessment id after "Save and close" saved it."""
    review_requested = Signal(int)
    """The read-only banner's "Start re-review" was clicked (the main window asks why)."""
    page_built = Signal(int)
    """A section's page was built, or the top of it to be shown at once (its index): hooks add
    to its blocks before they are shown."""

    def __init__(
        self,
        repo: Repository,
        form: Form,
        assessment_id: int,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.form = form
        self.assessment_id = assessment_id
        self.settings = settings
        # The stamp before the revision: a save between the two reads is then seen as a change
        # elsewhere (a needless question), never missed (a silent overwrite).
        self.stamp = repo.stamp(assessment_id)
        revision = repo.revision(assessment_id)
        self.uid = repo.get(assessment_id).uid
        self.answers: dict[str, Any] = dict(revision.answers)
        self.stored_answers: dict[str, Any] = copy.deepcopy(revision.answers)
        """The answers of `stamp`: what this window last loaded or saved."""
        self.conflict = False
        """The stored revision changed elsewhere and the user has not yet said what to do: no
        autosave until then (an explicit save or closing asks again)."""
        self.read_only = revision.status == "approved"
        self.status = revision.status
        """The stored status of the revision shown (the banner says "in review" or "approved")."""
        self.revision_number = revision.number
        self.sections: list[Section] = list(form.sections)
        self.pages: list[SectionPage | None] = [None] * len(self.sections)
        """The pages made, by section index (None: not yet); `complete` once all its blocks are."""
        self._lay_out_ahead: list[tuple[SectionPage, int]] = []
        """Pages built ahead and the next step of their preparation (`_prepare_page`)."""
        self.blocks: dict[str, QuestionBlock] = {}
        self._current = -1
        self._shown: set[str] = set()
        self.counts: dict[str, SectionCount] = {}
        self.findings: list[Finding] = []
        self.grading: Grading | None = None
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(t("ui.wizard.title", title=self._title()))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self._build_banner(outer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("editor_splitter")
        self.splitter.setChildrenCollapsible(False)
        self._build_sidebar()
        self.stack = PageStack(self.splitter)
        """The pages built so far, in the order built (`go_to` shows one by widget, not index)."""
        self.stack.setMinimumWidth(360)
        self._build_side_panel()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([200, 560, 280])
        outer.addWidget(self.splitter, 1)
        self._build_buttons(outer)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.flush)
        self.findings_timer = QTimer(self)
        self.findings_timer.setSingleShot(True)
        self.findings_timer.setInterval(FINDINGS_DELAY_MS)
        self.findings_timer.timeout.connect(self.refresh_findings)
        shortcut(QKeySequence.StandardKey.Save, self, self.flush)
        shortcut(QKeySequence("Ctrl+W"), self, self.save_and_close)
        shortcut(
            QKeySequence.StandardKey.HelpContents,
            self,
            self.help_for_focus,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        shortcut(QKeySequence("Alt+Right"), self, self.next)
        shortcut(QKeySequence("Alt+Left"), self, self.back)
        shortcut(QKeySequence("Ctrl+PgDown"), self, self.next)
        shortcut(QKeySequence("Ctrl+PgUp"), self, self.back)
        self.restore_state()
        self.update_visibility()
        self.refresh_findings()
        start, scroll = self._saved_section(), self._saved_scroll()
        visible = self.visible_page_ids()
        # The first page is built a screenful at a time when the pane it will fill is known (the
        # tab area it opens in) and no scroll place is to be restored (that needs the whole page).
        restore = start in visible and bool(scroll)
        self.go_to(
            start if start in visible else (visible[0] if visible else 0),
            None if restore else self._expected_pane_height(parent),
        )
        if start in visible and scroll:
            QTimer.singleShot(0, lambda: self._restore_scroll(scroll))
        # go_to above ran before the editor was on screen, so it could not focus anything: the
        # main window calls focus_first_question once the tab shows (unless back at a scrolled place).
        self.focus_on_show = not (start in visible and scroll)
        # The other pages are built one per idle moment once the editor is on screen, so that a
        # first visit to a section is as quick as a second one; opening still costs one page.
        self.prebuild_timer = QTimer(self)
        self.prebuild_timer.setInterval(0)  # one slice per turn of the event loop, after its events
        self.prebuild_timer.timeout.connect(self._prebuild_one)
        self._prebuild_started = False
        QTimer.singleShot(PREBUILD_FALLBACK_MS, self, self._start_prebuild)

    # -- construction ---------------------------------------------------------------------------

    def _build_banner(self, outer: QVBoxLayout) -> None:
        self.banner = QFrame(self)
        self.banner.setObjectName("read_only_banner")
        self.banner.setStyleSheet(
            "#read_only_banner { background: #fff3cd; border-bottom: 1px solid #e0c36a; }"
        )
        lay = QHBoxLayout(self.banner)
        lay.setContentsMargins(10, 6, 10, 6)
        self.banner_label = QLabel(self.banner)
        self.banner_label.setWordWrap(True)
        self.review_button = QPushButton(t("ui.editor.start_review"), self.banner)
        self.review_button.clicked.connect(lambda: self.review_requested.emit(self.assessment_id))
        lay.addWidget(self.banner_label, 1)
        lay.addWidget(self.review_button)
        outer.addWidget(self.banner)
        self.update_banner()

    def update_banner(self, status: str | None = None) -> None:
        """Say what state the revision is in: approved (read-only, with "Start re-review") or in
        review (still editable, but the reviewer sees every change in the audit trail); a draft
        needs no banner. `status` is the stored status after a sign-off step elsewhere."""
        if status is not None:
            self.status = status
        if self.read_only:
            self.banner_label.setText(t("ui.editor.read_only", revision=self.revision_number))
        elif self.status == "in_review":
            self.banner_label.setText(t("ui.editor.in_review", revision=self.revision_number))
        self.review_button.setVisible(self.read_only)
        self.banner.setVisible(self.read_only or self.status == "in_review")

    def _build_sidebar(self) -> None:
        self.sidebar = QListWidget(self.splitter)
        self.sidebar.setObjectName("section_sidebar")
        self.sidebar.setAccessibleName(t("ui.editor.sections"))
        # One line for the title (elided; the full title is the tooltip and the page's heading),
        # one for the counts: word-wrapped items were laid out taller than Qt sized them when a
        # Chinese title held Latin words ("…AI生成…"), and lost their counts line (QA #10).
        self.sidebar.setWordWrap(False)
        self.sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.sidebar.setSpacing(2)
        self.sidebar.setMinimumWidth(150)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for section in self.sections:
            item = QListWidgetItem(f"{section.id}. {pick(section.title)}")
            item.setData(Qt.ItemDataRole.UserRole, section.id)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._sidebar_changed)

    def _build_side_panel(self) -> None:
        self.side = QWidget(self.splitter)
        self.side.setMinimumWidth(220)
        lay = QVBoxLayout(self.side)
        lay.setContentsMargins(6, 6, 6, 6)
        self.summary_label = QLabel(self.side)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.findings_title = QLabel(self.side)
        self.findings_title.setStyleSheet("font-weight: bold;")
        self.findings_view = QTextBrowser(self.side)
        self.findings_view.setObjectName("findings_view")
        self.findings_view.setAccessibleName(t("ui.editor.findings_panel"))
        self.findings_view.setOpenLinks(False)
        self.findings_view.anchorClicked.connect(self._link_clicked)
        lay.addWidget(self.summary_label)
        lay.addWidget(self.findings_title)
        lay.addWidget(self.findings_view, 1)

    def _build_buttons(self, outer: QVBoxLayout) -> None:
        bar = QFrame(self)
        bar.setObjectName("editor_buttons")
        bar.setStyleSheet("#editor_buttons { border-top: 1px solid #ccc; }")
        lay = QHBoxLayout(bar)
        lay.setContentsMargins(8, 4, 8, 4)
        self.undo_action = self.undo_stack.createUndoAction(self, t("ui.editor.undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, t("ui.editor.redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button = QToolButton(bar)
        self.undo_button.setDefaultAction(self.undo_action)
        self.redo_button = QToolButton(bar)
        self.redo_button.setDefaultAction(self.redo_action)
        self.back_button = QPushButton(t("ui.editor.back"), bar)
        self.next_button = QPushButton(t("ui.editor.next"), bar)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.save_label = QLabel(bar)
        self.save_label.setStyleSheet("color: #2e7d32;")
        # An approved revision has nothing to save: its button says only what it does.
        closing = ("ui.editor.close_read_only", "ui.editor.close_read_only_tip")
        text_key, tip_key = (
            closing if self.read_only else ("ui.editor.save_close", "ui.editor.save_close_tip")
        )
        self.close_button = QPushButton(t(text_key), bar)
        self.close_button.setObjectName("save_and_close")
        self.close_button.setToolTip(t(tip_key))
        self.close_button.clicked.connect(self.save_and_close)
        lay.addWidget(self.back_button)
        lay.addWidget(self.next_button)
        lay.addSpacing(12)
        lay.addWidget(self.undo_button)
        lay.addWidget(self.redo_button)
        lay.addSpacing(12)
        lay.addWidget(self.save_label, 1)
        lay.addWidget(self.close_button)
        outer.addWidget(bar)

    # -- pages, built when first shown ----------------------------------------------------------

    def page(self, index: int) -> SectionPage:
        """The page of section `index`, complete (built with its answers the first time)."""
        page = self.pages[index] or self._new_page(index)
        if not page.complete:
            page.build_more(None, self._wire_block)
            self._page_complete(index, page)
        return page

    def _page_for_show(self, index: int, pane_height: int | None = None) -> SectionPage:
        """The page of section `index` with at least its top built: a page the editor did not
        get to build ahead is shown once its first questions fill the pane, and the rest are added
        below in the next slices of idle time (before anything else), so that a first visit
        costs a screenful, not a whole section (up to ~110 ms, issue 12). Off screen, whole,
        unless the caller knows how tall the pane will be (`pane_height`: the editor's first
        page, built before the editor is on screen)."""
        page = self.pages[index] or self._new_page(index)
        on_screen = self.isVisible()
        target = self.stack.height() if on_screen else pane_height
        if page.complete or target is None:
            return self.page(index)
        built = page.built_blocks()
        height = [sum(b.sizeHint().height() for q, b in built.items() if q in self._shown)]

        def screenful() -> bool:
            last = next(reversed(built.values()))
            if last.question.id in self._shown:
                height[0] += last.sizeHint().height()
            return height[0] >= target

        if height[0] < target:
            page.build_more(None, self._wire_block, screenful)
        if page.complete:
            return self._page_complete(index, page)
        self._dress(page)
        self.page_built.emit(index)
        if on_screen:
            self.prebuild_timer.start()  # the rest of it first (and whatever else is left)
            self._prebuild_started = True
        # Off screen, the rest waits for the editor's first paint (`paintEvent`): a slice of
        # building must not run before it.
        return page

    def _new_page(self, index: int) -> SectionPage:
        size = self.stack.size() if self.stack.testAttribute(Qt.WidgetAttribute.WA_Resized) else None
        page = SectionPage(
            self.form, self.sections[index], index + 1, len(self.sections), size, self.stack, build=False
        )
        page.complete_rest = lambda: self.page(index)
        self.stack.addWidget(page)
        self.pages[index] = page
        return page

    def _wire_block(self, block: QuestionBlock) -> None:
        """A new question block: its answer, read-only state, edits, visibility."""
        qid = block.question.id
        block.widget.set_value(self.answers.get(qid))
        block.widget.set_read_only(self.read_only)
        block.widget.changed.connect(lambda qid=qid: self._on_changed(qid))
        block.setVisible(qid in self._shown)
        self.blocks[qid] = block

    def _page_complete(self, index: int, page: SectionPage) -> SectionPage:
        self._dress(page)
        self.page_built.emit(index)
        return page

    def _dress(self, page: SectionPage) -> None:
        """What the grading shows on a page's blocks built so far: the derived triggers locked,
        the gaps and risks a treatment row may name, the risk panel."""
        trigger = page.built_blocks().get(trigger_question(self.form))
        if trigger is not None and isinstance(trigger.widget, MultiAnswer) and self.grading is not None:
            trigger.widget.lock(set(self.grading.derived_triggers or []))
        self._offer_refs()
        panel = page.built_risk_panel()
        if panel is not None and self.grading is not None:
            panel.show_grade(self.grading.risk)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The editor is on screen: build the other pages ahead from now on (not before, so that
        no slice of building delays its first paint)."""
        if not self._prebuild_started:
            QTimer.singleShot(PREBUILD_DELAY_MS, self, self._start_prebuild)
        super().paintEvent(event)

    def _start_prebuild(self) -> None:
        if not self._prebuild_started:
            self._prebuild_started = True
            self.prebuild_timer.start()

    def stop_background(self) -> None:
        """The editor is closing: build nothing more ahead. (Deleted only later, by the event
        loop, a closed editor went on building its pages meanwhile; the benchmark's editors,
        opened and closed outside a running loop, were never deleted and kept at it.)"""
        self._prebuild_started = True
        self.prebuild_timer.stop()

    def _prebuild_one(self) -> None:
        """One slice of idle time (PREBUILD_SLICE_MS): lay out a page built ahead, or add blocks
        to the nearest page not built yet (next sections first); stop when all are built."""
        deadline = time.perf_counter() + PREBUILD_SLICE_MS / 1000
        order = sorted(self.visible_page_ids(), key=lambda i: (i < self._current, abs(i - self._current)))
        todo = next((i for i in order if not self._complete(i)), None)
        if self._lay_out_ahead and todo != self._current:  # the page on screen comes first
            ahead, step = self._lay_out_ahead.pop(0)
            if not ahead.isVisible() and step < 3:
                self._prepare_page(ahead, step)
                self._lay_out_ahead.insert(0, (ahead, step + 1))
            return
        if todo is None:
            self.prebuild_timer.stop()
            return
        page = self.pages[todo] or self._new_page(todo)
        if page.build_more(deadline, self._wire_block):
            self._page_complete(todo, page)
            if not page.isVisible():
                self._lay_out_ahead.append((page, 0))

    def _complete(self, index: int) -> bool:
        page = self.pages[index]
        return page is not None and page.complete

    def _prepare_page(self, page: SectionPage, step: int) -> None:
        """Ready a page built ahead (hidden) for its first show, one step per slice, so that
        it then costs what a later show does: 0, lay it out at the pane's width (the heights of
        its word-wrapped labels); 1, paint it once off screen (its text laid out, the glyphs of
        its characters rasterised and cached); 2, show it once where nothing is painted (its
        widgets shown, resized and laid out as on screen)."""
        if step == 0:
            inner = page.widget()
            layout = inner.layout() if inner is not None else None
            if layout is not None:
                layout.activate()
        elif step == 1:
            page.setGeometry(self.stack.rect())
            page.render(QPixmap(page.size()))
        else:
            page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            page.show()
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            page.hide()
            page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, False)

    def section_index(self, qid: str) -> int:
        q = self.form.question(qid)
        if q is None:
            return -1
        return next((i for i, s in enumerate(self.sections) if s.id == q.section_id), -1)

    def block(self, qid: str) -> QuestionBlock:
        """The block of question `qid`, building its page if needed (KeyError if no such question)."""
        if qid not in self.blocks:
            index = self.section_index(qid)
            if index < 0:
                raise KeyError(qid)
            self.page(index)
        return self.blocks[qid]

    def _expected_pane_height(self, parent: QWidget | None) -> int | None:
        """How tall the page pane will be once the editor shows in `parent` (a tab area on
        screen): an over-estimate (the banner and buttons are not taken off), which builds a
        little more of the first page than fits, never less. None when not known."""
        if parent is None or not parent.isVisible():
            return None
        return max(parent.height(), 1)

    def go_to(self, index: int, pane_height: int | None = None) -> None:
        """Show section `index` (built if needed), select it in the sidebar, focus its first
        question. `pane_height`: see `_page_for_show`."""
        if not 0 <= index < len(self.sections):
            return
        page = self._page_for_show(index, pane_height)
        old = self.stack.currentWidget()
        focus = QApplication.focusWidget()
        if old is not page and focus is not None and old is not None and old.isAncestorOf(focus):
            # Hiding the page that holds the focus makes Qt walk the window's whole focus chain
            # (every widget of every page built) for the next widget to focus; the focus goes
            # to the new page's first question below instead.
            self.stack.setFocus(Qt.FocusReason.OtherFocusReason)
        self._current = index
        self.stack.setCurrentWidget(page)
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(index)
        self.sidebar.blockSignals(False)
        visible = self.visible_page_ids()
        self.back_button.setEnabled(bool(visible) and index > visible[0])
        self.next_button.setEnabled(self.nextId() != -1)
        first = page.first_visible_block()
        if first is not None and self.isVisible() and not self.sidebar.hasFocus():
            target = first.widget.focus_target()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.isVisible():
            # Laid out and painted now, within the click: left to the event loop, a slice of
            # building ahead (a timer) could run between the switch and its paint.
            # The scroll area's own queued call (scroll bar range changed) too, which would
            # otherwise lay the page out and repaint it all once more after its first paint.
            for _ in range(3):
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
                QApplication.sendPostedEvents(page, QEvent.Type.MetaCall)
            page.repaint()

    def _sidebar_changed(self, row: int) -> None:
        if row >= 0 and row != self._current:
            self.go_to(row)

    def currentId(self) -> int:
        return self._current

    def nextId(self) -> int:
        return next((i for i in self.visible_page_ids() if i > self._current), -1)

    def previousId(self) -> int:
        return next((i for i in reversed(self.visible_page_ids()) if i < self._current), -1)

    def next(self) -> None:
        target = self.nextId()
        if target != -1:
            self.go_to(target)

    def back(self) -> None:
        target = self.previousId()
        if target != -1:
            self.go_to(target)

    def section_visible(self, page_id: int) -> bool:
        return any(q.id in self._shown for q in self.sections[page_id].questions)

    def visible_page_ids(self) -> list[int]:
        return [i for i in range(len(self.sections)) if self.section_visible(i)]

    # -- behaviour ------------------------------------------------------------------------------

    def _title(self) -> str:
        title = self.answers.get(self.form.role("record", "title"))
        return title if isinstance(title, str) and title.strip() else t("ui.untitled")

    def _on_changed(self, qid: str) -> None:
        if self.read_only:
            return
        value = self.blocks[qid].widget.value()
        if (qid, value) == conclusion_role(self.form)[:2] and not self._may_proceed_allowed():
            self.blocks[qid].widget.set_value(self.answers.get(qid))
            return
        old = self.answers.get(qid)
        if value == old:
            return
        self.undo_stack.push(AnswerCommand(self, qid, old, value))
        self.set_answer(qid, value)

    def apply_answer(self, qid: str, value: Any) -> None:
        """Undo/redo: show `value` in the question's widget, record it, and show the question."""
        if self.read_only:
            return
        block = self.block(qid)
        block.widget.set_value(copy.deepcopy(value))
        self.set_answer(qid, copy.deepcopy(value))
        self.jump_to_question(qid)

    def set_answer(self, qid: str, value: Any) -> None:
        """Record an answer (already shown in its widget), then update and schedule the save."""
        if value is None:
            self.answers.pop(qid, None)
        else:
            self.answers[qid] = value
        if qid == self.form.role("record", "title"):
            self.setWindowTitle(t("ui.wizard.title", title=self._title()))
        self.update_visibility()
        if not self.conflict:
            self.save_timer.start()
        self.findings_timer.start()

    def update_visibility(self) -> None:
        shown = visible_question_ids(self.form, self.answers)
        for qid, block in self.blocks.items():
            block.setVisible(qid in shown)
        self._shown = shown
        for i in range(len(self.sections)):
            item = self.sidebar.item(i)
            if item is not None:
                item.setHidden(not self.section_visible(i))
        if self._current >= 0:
            self.next_button.setEnabled(self.nextId() != -1)

    def _may_proceed_allowed(self) -> bool:
        """'May proceed' is refused while the engine names blockers; the user is told which."""
        trial = dict(self.answers)
        conclusion, may_proceed, _ = conclusion_role(self.form)
        trial[conclusion] = may_proceed
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
        trigger_q = self.form.question(trigger_question(self.form))
        if trigger_q is not None and grading.triggers:
            labels = [pick(o.label) for o in trigger_q.options if o.code in grading.triggers]
            parts.append(
                t("ui.wizard.triggers", triggers="、".join(labels) if lang == "zh" else ", ".join(labels))
            )
        dates = grading.dates
        if dates.filing_due is not None:
            key = "ui.wizard.filing_overdue" if dates.filing_overdue else "ui.wizard.filing_due"
            parts.append(t(key, date=dates.filing_due.isoformat()))
            if dates.filing_note and dates.filing_note != NOTE_CALENDAR:
                parts.append(describe_filing_note(dates.filing_note, lang))
        if dates.retain_until is not None:
            parts.append(t("ui.wizard.retain_until", date=dates.retain_until.isoformat()))
        self.summary_label.setText("<br>".join(_html(p) for p in parts))
        block = self.blocks.get(trigger_question(self.form))
        if block is not None and isinstance(block.widget, MultiAnswer):
            block.widget.lock(set(grading.derived_triggers or []))

    def refresh_findings(self) -> None:
        self.grading = grade_assessment(self.form, self.answers)
        self.findings = self.grading.findings
        self.counts = {c.section_id: c for c in section_counts(self.form, self.answers)}
        self._update_summary(self.grading)
        self._update_sidebar()
        self._offer_refs()
        for page in self.pages:
            panel = page.built_risk_panel() if page is not None else None
            if panel is not None:
                panel.show_grade(self.grading.risk)
        self.findings_title.setText(
            t("ui.wizard.findings", count=len(self.findings)) if self.findings else t("ui.wizard.no_findings")
        )
        scroll = self.findings_view.verticalScrollBar().value()
        self.findings_view.setHtml(self.findings_html())
        self.findings_view.verticalScrollBar().setValue(scroll)

    def findings_html(self) -> str:
        """Unanswered required questions, then the findings grouped by section, as linked HTML."""
        lang = current_language()
        out: list[str] = []
        missing = [(sid, qid) for sid, c in self.counts.items() for qid in c.missing]
        if missing:
            out.append(f"<p><b>{_html(t('ui.wizard.missing', count=len(missing)))}</b></p><ul>")
            for sid, qid in missing:
                q = self.form.question(qid)
                label = pick(q.label) if q else qid
                out.append(f"<li>{_html(sid)}: <a href='q:{qid}'>{_html(label)}</a></li>")
            out.append("</ul>")
        by_section: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_section.setdefault(f.section_id, []).append(f)
        later: list[tuple[str, list[Finding]]] = []
        for section in self.sections:
            group = by_section.get(section.id)
            if not group:
                continue
            if not self.section_started(section.id):
                later.append((section.id, group))
                continue
            out.append(
                f"<h4 style='margin-bottom:2px'>{_html(section.id)}. {_html(pick(section.title))}</h4>"
            )
            for f in group:
                colour = SEVERITY_COLOURS.get(f.severity, "#000")
                number = gap_number(f)
                head = f"{number} " if number else ""
                refs = format_refs(self.form, f.refs, lang)
                out.append(
                    f"<p style='margin-top:4px'><span style='color:{colour}'><b>{_html(head)}"
                    f"[{_html(f.severity)} {_html(t('severity.' + f.severity))}]</b></span> "
                    f"<a href='q:{f.question_ids[0]}'>{_html(pick(f.message))}</a><br>"
                    f"<span style='color:#333'>{_html(t('ui.editor.measure'))}{_html(pick(f.measure))}</span>"
                    + (f"<br><span style='color:#666'>{_html(refs)}</span>" if refs else "")
                    + "</p>"
                )
        if later:
            # Sections not started yet: their gaps are mostly questions not answered yet. Named
            # (linked) in one grey line, not as red findings before the user typed anything
            # (QA walk 2 #4).
            sep = "、" if lang == "zh" else ", "
            links = sep.join(
                f"<a href='q:{f.question_ids[0]}'>{_html(gap_number(f) or f.section_id)}</a>"
                for _sid, group in later
                for f in group
            )
            sections = sep.join(sid for sid, _group in later)
            count = sum(len(group) for _sid, group in later)
            note = t("ui.wizard.not_started_gaps", sections=sections, count=count)
            out.append(f"<p style='color:#666'>{_html(note)} {links}</p>")
        return "".join(out)

    def section_started(self, section_id: str) -> bool:
        """Has the user answered anything in this section yet (a pre-filled default aside)?"""
        count = self.counts.get(section_id)
        return count is None or count.required == 0 or count.answered > 0

    def _update_sidebar(self) -> None:
        worst: dict[str, str] = {}
        numbers: dict[str, int] = {}
        for f in self.findings:
            if not self.section_started(f.section_id):
                continue  # "not started" instead of red gaps before anything was typed (QA walk 2 #4)
            numbers[f.section_id] = numbers.get(f.section_id, 0) + 1
            worst.setdefault(f.section_id, f.severity)  # findings come most severe first
        for i, section in enumerate(self.sections):
            item = self.sidebar.item(i)
            if item is None:
                continue
            count = self.counts.get(section.id)
            text = f"{section.id}. {pick(section.title)}"
            status = []
            if not self.section_started(section.id) and count is not None:
                status.append(t("ui.editor.not_started", required=count.required))  # short: fits 200 px
            elif count is not None and count.required:
                status.append(t("ui.editor.answered", answered=count.answered, required=count.required))
            if numbers.get(section.id):
                status.append(t("ui.editor.gaps", count=numbers[section.id]))
            if status:
                text += "\n    " + " · ".join(status)
            item.setText(text)
            severity = worst.get(section.id)
            if severity in SEVERITY_COLOURS:
                item.setForeground(QColor(SEVERITY_COLOURS[severity]))
            else:  # the theme's own text colour (readable in a dark theme too)
                item.setData(Qt.ItemDataRole.ForegroundRole, None)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, text.replace("\n", " "))
            font = item.font()
            font.setBold(bool(count and count.missing))
            item.setFont(font)

    def ref_choices(self) -> list[tuple[str, str]]:
        """What a treatment row may name: the risk items (id, level, threat) and the open gaps
        (number and message), as the engine grades them now."""
        if self.grading is None:
            return []
        lang = current_language()
        treatments = self.form.role("tables", "treatments")
        plan_tables = {treatments, self.form.role("tables", "acceptance")}
        rows = self.answers.get(treatments) or []
        planned = {str(r.get(REF_COLUMN)) for r in rows if isinstance(r, dict) and r.get(REF_COLUMN)}
        mark = t("ui.ref.planned")

        def short(text: str, limit: int) -> str:
            return text if len(text) <= limit else text[: limit - 1] + "…"

        out: list[tuple[str, str]] = []
        for item in self.grading.risk.items:
            if not item.risk_id:
                continue
            level = level_label(self.form, item.level, lang)
            what = short(item.threat or item.activity, 40)
            label = " · ".join(p for p in (item.risk_id, level, what) if p)
            out.append((item.risk_id, label + (mark if item.risk_id in planned else "")))
        for f in self.findings:
            # Gaps about the plan itself (a measure missing, a late one, an acceptance missing)
            # are fixed in the plan, not treated by a row of it (QA walk 2 #9).
            if plan_tables & set(f.question_ids):
                continue
            code = gap_number(f) or f.rule_id
            label = f"{code} · [{f.severity}] {short(pick(f.message), 40)}"
            out.append((code, label + (mark if code in planned or f.rule_id in planned else "")))
        return out

    def _offer_refs(self) -> None:
        for block in self.blocks.values():
            setter = getattr(block.widget, "set_ref_choices", None)
            if setter is not None:
                known = {r.id: r.number for r in self.form.rules if r.number}
                setter(self.ref_choices(), known)
        pickers = self.form.roles.get("pickers") or {}
        for key, source in pickers.items():
            qid, _, col = str(key).partition(".")
            target = self.blocks.get(qid)
            offer = getattr(target.widget, "set_pick_choices", None) if target is not None else None
            if offer is not None:
                offer({col: (str(source), self.pick_choices(str(source)))})

    def pick_choices(self, source: str) -> list[tuple[str, str]]:
        """(code, label) to pick for a `roles.pickers` source: the processing activities by their
        first column (with their second), or the gap numbers with their messages."""
        if source == "activities":
            table = self.form.question(self.form.role("report", "activities"))
            rows = self.answers.get(table.id) if table is not None else None
            if table is None or not isinstance(rows, list) or not table.columns:
                return []
            first, second = table.columns[0].id, table.columns[1].id if len(table.columns) > 1 else ""
            return [
                (str(r[first]), " · ".join(str(r[c]) for c in (first, second) if c and r.get(c)))
                for r in rows
                if isinstance(r, dict) and r.get(first)
            ]
        if source == "gaps":
            return [
                (gap_number(f), f"{gap_number(f)} · [{f.severity}] {pick(f.message)[:40]}")
                for f in self.findings
                if gap_number(f)
            ]
        return []

    def focused_question(self) -> Question | None:
        """The question whose widget has the focus, else the first one shown on this page."""
        # the window's own focus widget too: it is kept while another window is active
        widget: QWidget | None = QApplication.focusWidget() or self.window().focusWidget()
        while widget is not None and not isinstance(widget, QuestionBlock):
            widget = widget.parentWidget()
        if isinstance(widget, QuestionBlock):
            return widget.question
        page = self.pages[self._current] if 0 <= self._current < len(self.pages) else None
        first = page.first_visible_block() if page is not None else None
        return first.question if first is not None else None

    def question_help_html(self, q: Question) -> str:
        """F1: the question, its help, each cited provision with the full name of its law or
        standard, and the gaps it raises now."""
        lang = current_language()
        out = [f"<h3>{_html(pick(q.label))}</h3>"]
        if pick(q.help):
            out.append(f"<p>{_html(pick(q.help))}</p>")
        if q.refs:
            out.append(f"<p><b>{_html(t('ui.help.basis'))}</b></p><ul>")
            for ref in q.refs:
                code = ref.partition(" ")[0]
                source = self.form.sources.get(code)
                full = pick(source.name) if source else ""
                cited = format_refs(self.form, (ref,), lang)
                out.append(
                    f"<li>{_html(cited)}"
                    + (f"<br><small>{_html(full)}</small>" if full else "")
                    + self._provision_html(ref, code, lang)
                    + "</li>"
                )
            out.append("</ul>")
        own = [f for f in self.findings if q.id in f.question_ids]
        if own:
            out.append(f"<p><b>{_html(t('ui.help.gaps'))}</b></p><ul>")
            for f in own:
                number = gap_number(f)
                out.append(
                    f"<li>{_html(number)} [{_html(f.severity)}] {_html(pick(f.message))}<br>"
                    f"{_html(t('ui.editor.measure'))}{_html(pick(f.measure))}</li>"
                )
            out.append("</ul>")
        return "".join(out)

    def _provision_html(self, ref: str, code: str, lang: str) -> str:
        """The cited article's wording (shipped for the PIPL: forms/face_voice/texts/), in
        Chinese, the official language; for other sources a note that their text is not included."""
        from pia_app.forms.law_text import has_text, provision_text

        text = provision_text(self.form, ref)
        if text is None:
            if code == "pia" or code not in self.form.sources:
                return ""
            key = "ui.help.text_missing" if has_text(self.form, code) else "ui.help.text_not_included"
            return f"<br><small><i>{_html(t(key))}</i></small>"
        note = "" if lang == "zh" else f"<br><small><i>{_html(t('ui.help.text_official_zh'))}</i></small>"
        body = "<br>".join(_html(line) for line in text.splitlines())
        return f'{note}<blockquote style="color:#333333">{body}</blockquote>'

    def help_for_focus(self) -> None:
        q = self.focused_question()
        if q is not None:
            self.show_help(pick(q.label), self.question_help_html(q))

    def show_help(self, title: str, html: str) -> None:
        """A non-modal help window beside the work (tests replace this)."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        dialog = QDialog(self)
        dialog.setWindowTitle(t("ui.help.title", question=title[:40]))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lay = QVBoxLayout(dialog)
        view = QTextBrowser(dialog)
        view.setHtml(html)
        lay.addWidget(view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.close)
        lay.addWidget(buttons)
        dialog.resize(520, 420)
        # The keyboard goes to the help (Escape closes it) and, once closed, back to the question
        # it was about: it stayed nowhere, so Alt+N did nothing until a click (QA walk 2 #14).
        back = QApplication.focusWidget()
        dialog.finished.connect(lambda _result: self._focus_back(back))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        view.setFocus()

    def _focus_back(self, widget: QWidget | None) -> None:
        window = self.window()
        if window is not None:
            window.activateWindow()
        try:
            if widget is not None and self.isAncestorOf(widget):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
        except RuntimeError:  # the question's page was rebuilt meanwhile
            pass

    def finding_list(self) -> list[Finding]:
        return list(self.findings)

    def _link_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("q:"):
            self.jump_to_question(text[2:])

    def jump_to_question(self, qid: str) -> None:
        index = self.section_index(qid)
        if index < 0:
            return
        self.go_to(index)
        page = self.page(index)  # the whole page: the question may be below its top
        block = self.blocks.get(qid)
        if block is None:
            return
        page.ensureWidgetVisible(block)
        _keep_in_view(page, block)
        target = block.widget.focus_target()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- saving, closing, where the user was ----------------------------------------------------

    def flush(self) -> bool:
        """Save now if anything is pending; True when the store holds what the user sees."""
        self.save_timer.stop()
        if self.read_only:
            return True
        try:
            changed = self._save_from(self.stamp)
        except ChangedElsewhere as exc:
            return self._resolve_changed_elsewhere(exc)
        except UserError as exc:
            self._show_save_error(exc.message())
            return False
        if changed:
            self.save_label.setStyleSheet("color: #2e7d32;")
            self.save_label.setText(t("ui.wizard.saved", time=QTime.currentTime().toString("HH:mm:ss")))
            self._remember_section()  # where the user was: with each save, not each page switch
            self.saved.emit()
        return True

    def _save_from(self, base: str) -> list[str]:
        changed, self.stamp = self.repo.save_answers_from(self.assessment_id, self.answers, base)
        self.stored_answers = copy.deepcopy(self.answers)
        self.conflict = False
        return changed

    def _show_save_error(self, message: str) -> None:
        self.save_label.setStyleSheet("color: #b71c1c;")
        self.save_label.setText(message)
        self.error.emit(message)

    def _resolve_changed_elsewhere(self, exc: ChangedElsewhere) -> bool:
        """The stored revision changed since this window loaded or saved it. A change of status
        only (this window's own submit, say) is no conflict: the answers are saved on it. A
        change of answers or a new revision stops the autosave and the user decides: reload
        (this window's unsaved answers are dropped, undo history too) or keep mine (saved over
        it on purpose; impossible once the newer revision is approved)."""
        self.save_timer.stop()
        while True:
            current = self.repo.revision(self.assessment_id)
            same_answers = current.answers == self.stored_answers
            if current.number == self.revision_number and same_answers and current.status != "approved":
                choice = KEEP_MINE
            else:
                self.conflict = True
                self._show_save_error(exc.message())
                choice = self.ask_changed_elsewhere(exc.message(), current.status != "approved")
            if choice == RELOAD:
                self.reload()
                return True
            if choice != KEEP_MINE:
                return False
            try:
                changed = self._save_from(exc.current)
            except ChangedElsewhere as again:
                exc = again
                continue
            except UserError as refused:
                self._show_save_error(refused.message())
                return False
            self.revision_number = current.number
            if changed:
                self.save_label.setStyleSheet("color: #2e7d32;")
                self.save_label.setText(t("ui.wizard.saved", time=QTime.currentTime().toString("HH:mm:ss")))
                self.saved.emit()
            return True

    def ask_changed_elsewhere(self, message: str, may_keep: bool) -> str:
        """Ask what to do about a newer stored revision: RELOAD, KEEP_MINE (only offered when
        `may_keep`) or LATER (Esc: nothing saved, nothing lost, asked again on the next save).
        Tests replace this."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, t("ui.conflict.title"), message, parent=self)
        box.setInformativeText(t("ui.conflict.question" if may_keep else "ui.conflict.frozen"))
        reload_button = box.addButton(t("ui.conflict.reload"), QMessageBox.ButtonRole.DestructiveRole)
        keep_button = None
        if may_keep:
            keep_button = box.addButton(t("ui.conflict.keep"), QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton(t("ui.conflict.later"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(later)
        box.setDefaultButton(later)
        box.exec()
        clicked = box.clickedButton()
        if clicked is reload_button:
            return RELOAD
        if keep_button is not None and clicked is keep_button:
            return KEEP_MINE
        return LATER

    def reload(self) -> None:
        """Show the stored current revision, dropping this window's unsaved answers and undo
        history (after a change elsewhere the user chose to take)."""
        self.save_timer.stop()
        self.stamp = self.repo.stamp(self.assessment_id)
        revision = self.repo.revision(self.assessment_id)
        self.answers = dict(revision.answers)
        self.stored_answers = copy.deepcopy(revision.answers)
        self.conflict = False
        self.read_only = revision.status == "approved"
        self.status = revision.status
        self.revision_number = revision.number
        self.undo_stack.clear()
        for qid, block in self.blocks.items():
            block.widget.set_value(copy.deepcopy(self.answers.get(qid)))
            block.widget.set_read_only(self.read_only)
        self.update_banner()
        self.setWindowTitle(t("ui.wizard.title", title=self._title()))
        self.update_visibility()
        self.refresh_findings()
        self.save_label.setStyleSheet("color: #2e7d32;")
        self.save_label.setText(t("ui.conflict.reloaded", revision=self.revision_number))
        self.saved.emit()  # the main window updates the tab title and the row

    def save_and_close(self) -> bool:
        """Save, remember where the user was, and tell the main window to close this editor."""
        if not self.flush():
            return False
        self.save_state()
        self.stop_background()
        self.closed.emit(self.assessment_id)
        return True

    def _saved_section(self) -> int:
        if self.settings is None:
            return -1
        sid = self.settings.value(f"assessment/{self.uid}/section")
        return next((i for i, s in enumerate(self.sections) if s.id == sid), -1)

    def _remember_section(self) -> None:
        if self.settings is not None and 0 <= self._current < len(self.sections):
            self.settings.setValue(f"assessment/{self.uid}/section", self.sections[self._current].id)
            page = self.pages[self._current]
            if page is not None:
                self.settings.setValue(f"assessment/{self.uid}/scroll", page.verticalScrollBar().value())

    def _saved_scroll(self) -> int:
        value = self.settings.value(f"assessment/{self.uid}/scroll") if self.settings is not None else None
        try:
            return int(str(value)) if value is not None else 0
        except ValueError:
            return 0

    def focus_first_question(self) -> None:
        """Once on screen: what a new user types first lands in the first question, not nowhere."""
        if not self.isVisible() or not self.focus_on_show:
            return
        page = self.pages[self._current] if 0 <= self._current < len(self.pages) else None
        first = page.first_visible_block() if page is not None else None
        target = first.widget.focus_target() if first is not None else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _restore_scroll(self, value: int) -> None:
        """Back to the place on the page where the user left it (once the page is laid out)."""
        page = self.pages[self._current] if 0 <= self._current < len(self.pages) else None
        if page is not None:
            page.verticalScrollBar().setValue(value)

    def save_state(self) -> None:
        """Splitter sizes and the current section go to the UI settings."""
        if self.settings is None:
            return
        self.settings.setValue("editor/splitter", self.splitter.saveState())
        self._remember_section()
        self.settings.sync()

    def restore_state(self) -> None:
        if self.settings is None:
            return
        state = self.settings.value("editor/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        else:  # first time: once laid out, a wider window gives the sidebar room too
            QTimer.singleShot(0, self, self._default_split)

    def _default_split(self) -> None:
        """The sidebar kept 200 px at 1366 px and elided C, D, E… (QA walk 2 #26): a fifth of
        the width up to 300 px, the findings panel 280 px, the page the rest."""
        width = self.splitter.width()
        sidebar = max(200, min(300, width // 5))
        side = 280
        if width - sidebar - side >= 560:
            self.splitter.setSizes([sidebar, width - sidebar - side, side])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        self.save_state()
        super().closeEvent(event)


AssessmentEditor = AssessmentWizard

__all__ = ["AssessmentEditor", "AssessmentWizard", "QuestionBlock", "SectionPage", "literal"]
