"""The main window: the list of saved assessments, New / Open, and File > Export report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pia_app import __version__
from pia_app.engine.risk import level_label
from pia_app.errors import UserError
from pia_app.forms.answers import default_answers
from pia_app.forms.loader import default_form
from pia_app.i18n import current_language, pick, t
from pia_app.paths import db_path
from pia_app.store.repository import AssessmentSummary, Repository, open_repository
from pia_app.ui import review_hooks
from pia_app.ui.assessment_list import ALL, NOT_RATED, AssessmentFilter, AssessmentListModel, RowFacts
from pia_app.ui.file_dialogs import open_file_path, save_file_path
from pia_app.ui.input_guard import shortcut
from pia_app.ui.list_hint import HintedTableView
from pia_app.ui.ui_state import restore_window, save_window, ui_settings

if TYPE_CHECKING:  # the wizard and the report stack load when first used, not at start-up (issue 12)
    from pia_app.engine.completeness import IncompleteError
    from pia_app.report.export import RevisionExport
    from pia_app.ui.export_worker import ReportExports
    from pia_app.ui.wizard import AssessmentWizard

RECENT_LIMIT = 8
SHOWN_FINDINGS = 20
"""Open gaps listed in the submit confirmation (the rest as "…")."""
NAME_ASKED_SETTING = "ui_actor_name_asked"
STATUS_DONE_MS = 15000
"""How long the status bar says that a submit, approval or re-review went through."""
EXPORT_LINKS_MS = 120_000
"""How long "open file / open folder" stay in the status bar after an export."""


WARM_UP_MS = 400
"""The editor's modules load this long after the main window is built, while the user reads the
list: off the start path, and no longer on the first open (issue 12)."""


def _warm_up() -> None:
    import pia_app.engine.grade
    import pia_app.store.review_store  # the editor's comment badges read it (~18 ms of an open)
    import pia_app.ui.wizard  # noqa: F401


def quoted(title: str) -> str:
    """A title in “quotes” inside a sentence, unless it already starts with a quotation mark
    (“““秒变脸”换脸特效…” doubled them; QA walk 2 #19)."""
    return title if title[:1] in "“\"「『《‘'" else f"“{title}”"


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path | None = None) -> None:
        super().__init__()
        self.form = default_form()
        self.db_file = db_path(data_dir)
        self.repo: Repository = open_repository(self.db_file)
        self.ui_settings = ui_settings(self.db_file.parent)
        self.wizards: dict[int, AssessmentWizard] = {}
        self.report_exports: ReportExports | None = None
        """Reports being written on worker threads (made at the first export)."""
        self.close_after_export = False
        self.setWindowTitle(t("ui.app_title"))
        self._build_menus()
        self._build_body()
        review_hooks.install(self)  # review, evidence, due view (issue 14)
        restore_window(self, self.ui_settings)
        self.refresh()
        # Keyboard first: the name asked once, else the list (Enter opens the selected row).
        (self.name_edit if self.name_bar.isVisibleTo(self) else self.table).setFocus()
        QTimer.singleShot(WARM_UP_MS, _warm_up)

    # -- construction ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(t("ui.menu.file"))
        self.action_new = QAction(t("ui.action.new"), self)
        self.action_new.setShortcut(QKeySequence.StandardKey.New)
        self.action_new.triggered.connect(self.new_assessment)
        self.action_open = QAction(t("ui.action.open"), self)
        self.action_open.setShortcut(QKeySequence.StandardKey.Open)
        self.action_open.triggered.connect(self.open_selected)
        self.action_export = QAction(t("ui.action.export_report"), self)
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_export.triggered.connect(self.export_selected)
        self.action_quit = QAction(t("ui.action.quit"), self)
        self.action_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.action_quit.triggered.connect(self.close)
        self.action_import = QAction(t("ui.action.import"), self)
        self.action_import.triggered.connect(self.import_data)
        self.action_export_data = QAction(t("ui.action.export_data"), self)
        self.action_export_data.triggered.connect(self.export_data)
        for action in (self.action_new, self.action_open, self.action_export):
            file_menu.addAction(action)
        self.recent_menu = file_menu.addMenu(t("ui.menu.recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_import)
        file_menu.addAction(self.action_export_data)
        file_menu.addSeparator()
        self.action_name = QAction(t("ui.action.your_name"), self)
        self.action_name.triggered.connect(self.set_your_name)
        file_menu.addAction(self.action_name)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

        menu = self.menuBar().addMenu(t("ui.menu.assessment"))
        self.action_submit = QAction(t("ui.action.submit"), self)
        self.action_submit.triggered.connect(self.submit_selected)
        self.action_approve = QAction(t("ui.action.approve"), self)
        self.action_approve.triggered.connect(self.approve_selected)
        self.action_review = QAction(t("ui.action.review"), self)
        self.action_review.triggered.connect(self.review_selected)
        self.action_history = QAction(t("ui.action.history"), self)
        self.action_history.setShortcut(QKeySequence("Ctrl+H"))
        self.action_history.triggered.connect(self.history_selected)
        self.action_archive = QAction(t("ui.action.archive"), self)
        self.action_archive.triggered.connect(self.archive_selected)
        self.action_delete = QAction(t("ui.action.delete"), self)
        self.action_delete.triggered.connect(self.delete_selected)
        self.action_show_archived = QAction(t("ui.action.show_archived"), self)
        self.action_show_archived.setCheckable(True)
        self.action_show_archived.toggled.connect(lambda _on: self.refresh())
        for action in (self.action_submit, self.action_approve, self.action_review, self.action_history):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.action_archive, self.action_delete, self.action_show_archived):
            menu.addAction(action)
        lang_menu = self.menuBar().addMenu(t("ui.menu.language"))
        self.language_actions: dict[str, QAction] = {}
        for code, label in (("zh", "中文(&Z)"), ("en", "&English")):
            act = QAction(label, self)
            act.setCheckable(True)
            act.setChecked(code == current_language())
            act.triggered.connect(lambda _c=False, code=code: self.switch_language(code))
            lang_menu.addAction(act)
            self.language_actions[code] = act
        help_menu = self.menuBar().addMenu(t("ui.menu.help"))
        about = QAction(t("ui.action.about"), self)
        about.triggered.connect(self.show_about)
        keys = QAction(t("ui.action.shortcuts"), self)
        keys.triggered.connect(lambda: self.show_text(t("ui.shortcuts.title"), self.shortcuts_html()))
        help_menu.addAction(keys)
        help_menu.addAction(about)

    def _build_body(self) -> None:
        body = QWidget(self)
        lay = QVBoxLayout(body)
        self._build_name_bar(lay, body)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(t("ui.action.new"), body)
        self.open_button = QPushButton(t("ui.action.open"), body)
        self.export_button = QPushButton(t("ui.action.export_report"), body)
        self.new_button.clicked.connect(self.new_assessment)
        self.open_button.clicked.connect(self.open_selected)
        self.export_button.clicked.connect(self.export_selected)
        for b in (self.new_button, self.open_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.search = QLineEdit(body)
        self.search.setObjectName("list_search")
        self.search.setPlaceholderText(t("ui.list.search"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(t("ui.list.search"))
        self.search.setMinimumWidth(180)
        self.status_filter = QComboBox(body)
        self.status_filter.setAccessibleName(t("ui.list.status"))
        self.status_filter.addItem(t("ui.list.any_status"), ALL)
        for code in ("draft", "in_review", "approved", "due"):
            self.status_filter.addItem(t("status." + code), code)
        self.risk_filter = QComboBox(body)
        self.risk_filter.setAccessibleName(t("ui.list.risk"))
        self.risk_filter.addItem(t("ui.list.any_risk"), None)
        for level in (4, 3, 2, 1):
            self.risk_filter.addItem(level_label(self.form, level, current_language()), level)
        self.risk_filter.addItem(t("ui.list.not_rated"), NOT_RATED)
        buttons.addWidget(self.search, 1)
        buttons.addWidget(self.status_filter)
        buttons.addWidget(self.risk_filter)
        lay.addLayout(buttons)
        self.model = AssessmentListModel(self._row_facts, self)
        self.model.on_filled = self._facts_filled
        self.proxy = AssessmentFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_text)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(str(self.status_filter.currentData() or ""))
        )
        self.risk_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_risk(self.risk_filter.currentData())
        )
        for signal in (self.proxy.layoutChanged, self.proxy.modelReset):
            signal.connect(self._update_empty_hint)
        shortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.table = HintedTableView(body)
        self.table.setObjectName("assessment_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        # The scroll bar stays: appearing and going as a search empties the list or fills it
        # again, it resized the title column and had the list laid out and painted once more at
        # the next keystroke (issue 12: ~10 ms over 10,000 rows).
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AssessmentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        for col, sample in (
            (AssessmentListModel.STATUS, "待复评 · 已归档"),
            (AssessmentListModel.RISK, "Severe"),
            (AssessmentListModel.FINDINGS, "S1×9 S2×9 S3×9"),
            (AssessmentListModel.COMPLETE, "100%"),
            (AssessmentListModel.REVIEW, "2026-12-31"),
            (AssessmentListModel.REVISION, "Rev."),
            (AssessmentListModel.MODIFIED, "2026-12-31 23:59"),
        ):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
            header.resizeSection(
                col, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title)) + 24
            )
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut(QKeySequence(key), self.table, self.open_selected, Qt.ShortcutContext.WidgetShortcut)
        self.search.returnPressed.connect(self._search_enter)
        lay.addWidget(self.table, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("workspace_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.addTab(body, t("ui.main.list_tab"))
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)
        self.tabs.tabCloseRequested.connect(self._tab_close_requested)
        self.list_page = body
        self.setCentralWidget(self.tabs)
        self.setAcceptDrops(True)
        self._build_export_links()
        self.statusBar().showMessage(str(self.db_file))

    def _build_export_links(self) -> None:
        """After an export: "Open file" and "Open folder" in the status bar."""
        self.export_links = QWidget(self)
        lay = QHBoxLayout(self.export_links)
        lay.setContentsMargins(0, 0, 0, 0)
        self.open_file_button = QPushButton(t("ui.export.open_file"), self.export_links)
        self.open_folder_button = QPushButton(t("ui.export.open_folder"), self.export_links)
        self.open_file_button.clicked.connect(lambda: self._open_exported(folder=False))
        self.open_folder_button.clicked.connect(lambda: self._open_exported(folder=True))
        lay.addWidget(self.open_file_button)
        lay.addWidget(self.open_folder_button)
        self.statusBar().addPermanentWidget(self.export_links)
        self.export_links.hide()
        self.last_export: Path | None = None

    def _open_exported(self, folder: bool) -> None:
        if self.last_export is None:
            return
        target = self.last_export.parent if folder else self.last_export
        self.open_url(QUrl.fromLocalFile(str(target)))

    def _update_empty_hint(self, *_args: object) -> None:
        """Below an empty list, say why: no assessment yet, or none matching search and filters
        (a wheel tick or a typed letter could empty the list without a word)."""
        if not hasattr(self, "table"):
            return
        text = t("ui.list.empty") if self.model.rowCount() == 0 else t("ui.list.no_match")
        self.table.set_hint(text, self.proxy.rowCount() == 0)

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _search_enter(self) -> None:
        """Enter in the search box opens the only (or the selected) match."""
        if self.proxy.rowCount() == 1:
            self.table.selectRow(0)
        if self.proxy.rowCount():
            self.open_selected()

    def _row_facts(self, summary: AssessmentSummary) -> RowFacts:
        """Grade one assessment's current revision for the list (the engine decides; we count)."""
        # Imported here, in the first idle slice after the window is shown (issue 12).
        from pia_app.engine.grade import grade_assessment
        from pia_app.ui.engine_adapter import section_counts

        try:
            answers = self.repo.revision(summary.id).answers
        except UserError:
            return RowFacts()
        grading = grade_assessment(self.form, answers)
        counts = section_counts(self.form, answers)
        severities: dict[str, int] = {}
        for f in grading.findings:
            severities[f.severity] = severities.get(f.severity, 0) + 1
        due = grading.dates.filing_due
        return RowFacts(
            overall=grading.risk.overall,
            overall_label=level_label(self.form, grading.risk.overall, current_language()),
            severities=severities,
            answered=sum(c.answered for c in counts),
            required=sum(c.required for c in counts),
            filing_overdue=grading.dates.filing_overdue,
            filing_due=due.isoformat() if due else "",
        )

    def _facts_filled(self) -> None:
        if self.proxy.risk is not None:
            self.proxy.refilter()

    # -- drag and drop: a JSON file dropped on the window is imported ----------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _json_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _json_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _json_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_paths(paths)

    # -- actions --------------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            rows = self.repo.list_assessments(include_archived=self.action_show_archived.isChecked())
        except UserError as exc:
            self.show_error(exc.message())
            return
        selected = self.selected_id()
        self.model.set_rows(rows)
        if rows:
            row = self.model.row_of(selected) if selected is not None else -1
            proxy_row = self.proxy.mapFromSource(self.model.index(max(row, 0), 0)).row()
            self.table.selectRow(max(proxy_row, 0))
        self._update_empty_hint()
        has = bool(rows)
        for w in (
            self.open_button,
            self.export_button,
            self.action_open,
            self.action_export,
            self.action_export_data,
            self.action_submit,
            self.action_approve,
            self.action_review,
            self.action_history,
            self.action_archive,
            self.action_delete,
        ):
            w.setEnabled(has)

    def selected_id(self) -> int | None:
        """The assessment the menus act on: the one open in the current tab, else the list's."""
        editor = self.current_editor()
        if editor is not None:
            return editor.assessment_id
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        if not source.isValid() or source.row() >= len(self.model.rows):
            return None
        return self.model.rows[source.row()].id

    def current_editor(self) -> AssessmentWizard | None:
        return self._wizard_of(self.tabs.currentWidget())

    def _wizard_of(self, widget: object) -> AssessmentWizard | None:
        """The open assessment shown by this tab widget, if it is one (no wizard import at start-up)."""
        return next((w for w in self.wizards.values() if w is widget), None)

    def new_assessment(self) -> AssessmentWizard | None:
        try:
            aid = self.repo.create(self.form.id, self.form.version, "", default_answers(self.form))
        except UserError as exc:
            self.show_error(exc.message())
            return None
        self.refresh()
        return self.open_assessment(aid)

    def open_selected(self) -> AssessmentWizard | None:
        aid = self.selected_id()
        return self.open_assessment(aid) if aid is not None else None

    def open_assessment(self, assessment_id: int) -> AssessmentWizard | None:
        """Open (or bring forward) the assessment in a tab of this window."""
        existing = self.wizards.get(assessment_id)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return existing
        from pia_app.ui.wizard import AssessmentWizard

        try:
            wizard = AssessmentWizard(self.repo, self.form, assessment_id, self.tabs, self.ui_settings)
        except UserError as exc:
            self.show_error(exc.message())
            return None
        wizard.saved.connect(lambda aid=assessment_id: self._assessment_saved(aid))
        wizard.closed.connect(self._close_wizard)
        wizard.review_requested.connect(self._review_requested)
        wizard.error.connect(self.statusBar().showMessage)
        self.wizards[assessment_id] = wizard
        review_hooks.decorate_editor(self, wizard)  # per-question comment buttons (issue 14)
        self._remember_recent(wizard.uid)
        index = self.tabs.addTab(wizard, _tab_title(wizard))
        self.tabs.setTabToolTip(index, t("ui.editor.save_close_tip"))
        self.tabs.setCurrentIndex(index)
        wizard.focus_first_question()
        self.statusBar().showMessage(t("ui.editor.f1_hint"))
        return wizard

    def _remember_recent(self, uid: str) -> None:
        recent = [u for u in self.recent_uids() if u != uid]
        self.ui_settings.setValue("main/recent", [uid, *recent][:RECENT_LIMIT])

    def recent_uids(self) -> list[str]:
        value = self.ui_settings.value("main/recent")
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def recent_assessments(self) -> list[AssessmentSummary]:
        """The assessments opened last, newest first (deleted or archived ones left out)."""
        by_uid = {r.uid: r for r in self.model.rows}
        return [by_uid[u] for u in self.recent_uids() if u in by_uid]

    def _fill_recent_menu(self) -> None:
        from pia_app.ui.widgets import literal  # the answer widgets load with the first assessment

        self.recent_menu.clear()
        recent = self.recent_assessments()
        for i, summary in enumerate(recent):
            title = summary.title or t("ui.untitled")
            action = self.recent_menu.addAction(f"&{i + 1} {literal(title)}")
            action.triggered.connect(lambda _c=False, aid=summary.id: self.open_assessment(aid))
        if not recent:
            self.recent_menu.addAction(t("ui.recent.none")).setEnabled(False)

    def _assessment_saved(self, assessment_id: int) -> None:
        """One row changed: update it (and its tab title), without reloading the whole list."""
        wizard = self.wizards.get(assessment_id)
        if wizard is not None:
            self.tabs.setTabText(self.tabs.indexOf(wizard), _tab_title(wizard))
        try:
            self.model.update_summary(self.repo.get(assessment_id))
        except UserError as exc:
            self.show_error(exc.message())

    def _tab_close_requested(self, index: int) -> None:
        wizard = self._wizard_of(self.tabs.widget(index))
        if wizard is not None:
            wizard.save_and_close()

    def _review_requested(self, assessment_id: int) -> None:
        wizard = self.wizards.get(assessment_id)
        if wizard is not None:
            self.tabs.setCurrentWidget(wizard)
        self.review_selected()

    def export_selected(self) -> Path | None:
        aid = self.selected_id()
        if aid is None:
            return None
        self._flush(aid)
        summary = self.repo.get(aid)
        suggested = str(self.export_folder() / f"{_safe_name(summary.title) or 'pia-report'}.docx")
        path = self.ask_save_path(suggested)
        if not path:
            return None
        if not path.lower().endswith(".docx"):
            path += ".docx"
        target = Path(path)
        return self.export_report(aid, target)

    def export_folder(self) -> Path:
        """Where the export dialogs start: the folder of the last export (it started in the home
        folder every time; QA walk 2 #30), if it still exists."""
        saved = self.ui_settings.value("main/export_folder")
        folder = Path(str(saved)) if saved else None
        return folder if folder is not None and folder.is_dir() else Path.home()

    def _exported(self, path: Path) -> None:
        """After an export: remember its folder, offer "open file / folder" for a while."""
        self.ui_settings.setValue("main/export_folder", str(path.parent))
        self.last_export = path
        self.export_links.show()
        # The links are about this export: they go once their message would have (they stayed
        # for good, also on other assessments; QA walk 2 #31).
        QTimer.singleShot(EXPORT_LINKS_MS, self, lambda: self._hide_links_of(path))

    def _hide_links_of(self, path: Path) -> None:
        if self.last_export == path:
            self.export_links.hide()
            self.statusBar().clearMessage()

    def export_report(self, aid: int, target: Path) -> Path | None:
        """Write the report of `aid` to `target` on a worker thread: the window stays live, the
        status bar says so (with a busy bar) and, when it is done, where the file went ("open
        file", "open folder"). Returns `target` once started; None if refused (an export of
        the same assessment under way, or a target that cannot be written)."""
        from pia_app.report.export import prepare_revision_export

        exports = self._exports()
        if exports.busy(aid):
            self.show_error(t("ui.export.already"))
            return None
        self._flush(aid)
        try:
            job = prepare_revision_export(self.repo, self.form, aid, target, current_language())
        except UserError as exc:
            self.show_error(exc.message())
            return None
        exports.start(job)
        self.export_links.hide()
        self.statusBar().showMessage(t("ui.export.working"))
        self.export_busy.show()
        return target

    def _exports(self) -> ReportExports:
        if self.report_exports is None:
            from PySide6.QtWidgets import QProgressBar

            from pia_app.ui.export_worker import ReportExports

            self.report_exports = ReportExports(self)
            self.report_exports.written.connect(self._report_written)
            self.report_exports.failed.connect(self._report_failed)
            self.export_busy = QProgressBar(self)
            self.export_busy.setRange(0, 0)  # busy, no percentage
            self.export_busy.setMaximumWidth(120)
            self.export_busy.setAccessibleName(t("ui.export.working"))
            self.statusBar().addPermanentWidget(self.export_busy)
            self.export_busy.hide()
        return self.report_exports

    def _report_written(self, job: RevisionExport, path: Path) -> None:
        """On the GUI thread, once the report is on disk: the audit entry, the message, the links."""
        from pia_app.report.export import pagination_message

        self._export_settled()
        try:
            job.record(self.repo, path)
        except UserError as exc:  # the report exists; say that its audit entry could not be written
            self.show_error(exc.message())
        message = t("ui.export.done", path=str(path)) + "  " + pagination_message(path, job.lang)
        self.statusBar().showMessage(message)
        self._exported(path)
        self._close_if_asked()

    def _report_failed(self, job: RevisionExport, error: BaseException | None) -> None:
        self._export_settled()
        self.statusBar().clearMessage()
        if isinstance(error, UserError):
            self.show_error(error.message())
        self._close_if_asked()
        if error is not None and not isinstance(error, UserError):
            raise error  # a bug: the crash handler logs it (nothing was written)

    def _export_settled(self) -> None:
        if self.report_exports is not None and not self.report_exports.busy():
            self.export_busy.hide()

    def _close_if_asked(self) -> None:
        """The window was closed while a report was being written: close it now that none is."""
        if self.close_after_export and self.report_exports is not None and not self.report_exports.busy():
            self.close_after_export = False
            QTimer.singleShot(0, self.close)

    def switch_language(self, lang: str) -> MainWindow:
        """Remember the language and rebuild the window in it (open wizards are saved first)."""
        from pia_app import preferences
        from pia_app.ui.app import configure_app

        if self.report_exports is not None and self.report_exports.busy():
            self.show_error(t("ui.export.wait_first"))
            return self
        preferences.set_language(self.db_file.parent, lang)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        reopen = [self._wizard_of(self.tabs.widget(i)) for i in range(self.tabs.count())]
        reopen_ids = [w.assessment_id for w in reopen if w is not None]
        current = self.selected_id()
        self.close()
        configure_app(app, lang)
        window = MainWindow(self.db_file.parent)
        for aid in reopen_ids:
            window.open_assessment(aid)
        if current is not None and current in window.wizards:
            window.tabs.setCurrentWidget(window.wizards[current])
        window.show()
        app.setProperty("pia_main_window", window)
        self.replacement = window
        return window

    # -- lifecycle: submit, approve, re-review, history, archive, delete --------------------------

    def _act(self, fn: Callable[..., object], *args: object) -> object:
        """Run a store action on the selected assessment; show a UserError, refresh the list."""
        aid = self.selected_id()
        if aid is None:
            return None
        self._flush(aid)
        try:
            result = fn(aid, *args)
        except UserError as exc:
            from pia_app.engine.completeness import IncompleteError

            if isinstance(exc, IncompleteError):  # submit/approve: the list with links, not one line
                self.show_incomplete(aid, exc)
            else:
                self.show_error(exc.message())
            return None
        self.refresh()
        return result if result is not None else True

    def show_incomplete(self, aid: int, error: IncompleteError) -> QDialog:
        """The unanswered required questions by section; a link opens the assessment there."""
        from pia_app.ui.incomplete_dialog import IncompleteDialog

        dialog = IncompleteDialog(error, self)
        dialog.question_activated.connect(lambda qid: self.go_to_question(aid, qid))
        self.show_dialog(dialog)
        return dialog

    def _refused_incomplete(self, aid: int, action: str) -> bool:
        """Show the refusal dialog (and say True) when required answers are missing."""
        from pia_app.engine.completeness import IncompleteError
        from pia_app.signoff import require_complete

        try:
            require_complete(self.repo, aid, action)
        except IncompleteError as exc:
            self.show_incomplete(aid, exc)
            return True
        except UserError:
            return False  # anything else is said by the action itself
        return False

    def go_to_question(self, aid: int, qid: str) -> AssessmentWizard | None:
        """Open the assessment (or bring its tab forward) with the cursor in question `qid`."""
        wizard = self.open_assessment(aid)
        if wizard is not None:
            wizard.jump_to_question(qid)
        return wizard

    def _flush(self, aid: int) -> None:
        """Save what an open wizard of this assessment holds before acting on the stored data."""
        wizard = self.wizards.get(aid)
        if wizard is not None:
            wizard.flush()

    def _export(self, write: Callable[[], Path]) -> Path | None:
        """Run an export; show a UserError, or say where the file went. A report with its
        LibreOffice layout pass takes seconds: say so and show a busy cursor meanwhile."""
        self.statusBar().showMessage(t("ui.export.working"))
        self.statusBar().repaint()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            out: Path = write()
        except UserError as exc:
            self.statusBar().clearMessage()
            self.show_error(exc.message())
            return None
        finally:
            QApplication.restoreOverrideCursor()
        message = t("ui.export.done", path=str(out))
        if out.suffix == ".docx":  # say how the contents got their page numbers (report/paginate.py)
            from pia_app.report.export import pagination_message

            message += "  " + pagination_message(out, current_language())
        self.statusBar().showMessage(message)
        self._exported(out)
        return out

    def _close_wizard(self, aid: int) -> bool:
        """Save the open editor of `aid` (if any) and remove its tab. False (the tab stays) when
        its assessment changed elsewhere and the user decided later: the action waits."""
        wizard = self.wizards.get(aid)
        if wizard is not None and not wizard.flush() and wizard.conflict:
            return False
        wizard = self.wizards.pop(aid, None)
        if wizard is not None:
            wizard.stop_background()
            wizard.save_state()
            self.tabs.removeTab(self.tabs.indexOf(wizard))
            wizard.deleteLater()
            if self.statusBar().currentMessage() == t("ui.editor.f1_hint") and not self.wizards:
                self.statusBar().clearMessage()  # the F1 hint is about an editor no longer open
            self.refresh()
        return True

    def submit_selected(self) -> object:
        """Submit for review, after showing the gaps still open (the reviewer will see them too)."""
        aid = self.selected_id()
        if aid is None:
            return None
        self._flush(aid)
        if self._refused_incomplete(aid, "submit"):  # the missing answers first, not the gaps
            return None
        findings = self.open_findings(aid)
        if findings:
            shown = findings[:SHOWN_FINDINGS] + (["…"] if len(findings) > SHOWN_FINDINGS else [])
            text = t("ui.signoff.submit_confirm", count=len(findings)) + "\n\n" + "\n".join(shown)
            if not self.confirm(text):
                return None
        result = self._act(self._complete_then(self.repo.submit, "submit"))
        wizard = self.wizards.get(aid)
        if result is not None and wizard is not None:
            wizard.update_banner("in_review")  # the open editor says it is under review now
        said = self._said(result, "ui.done.submitted", aid)
        note = review_hooks.missing_roles_note(self, aid) if result is not None else ""
        if note:  # the report would show "—" for them (QA walk 2 #22)
            self.statusBar().showMessage(self.statusBar().currentMessage() + " " + note, STATUS_DONE_MS)
        return said

    def _said(self, result: object, key: str, aid: int) -> object:
        """After a sign-off step succeeded, say so in the status bar (the dialog just closed and
        nothing else on screen told the user that the revision moved on)."""
        if result is not None:
            try:
                summary = self.repo.get(aid)
            except UserError:
                return result
            text = t(key, title=quoted(summary.title), revision=summary.current_revision)
            self.statusBar().showMessage(text, STATUS_DONE_MS)
        return result

    def open_findings(self, assessment_id: int) -> list[str]:
        """The gaps the engine finds in the current revision, one line each ("D-05 [S1 严重] …")."""
        try:
            answers = self.repo.revision(assessment_id).answers
        except UserError:
            return []
        from pia_app.engine.grade import grade_assessment
        from pia_app.ui.engine_adapter import gap_number

        lines = []
        for f in grade_assessment(self.form, answers).findings:
            number = gap_number(f) + " " if gap_number(f) else ""
            lines.append(f"{number}[{f.severity} {t('severity.' + f.severity)}] {pick(f.message)}")
        return lines

    def _build_name_bar(self, lay: QVBoxLayout, parent: QWidget) -> None:
        """Asked once, without blocking anything: the user's name for the audit trail and sign-off
        (otherwise the OS login would be recorded). Saving or dismissing it hides it for good."""
        self.name_bar = QFrame(parent)
        self.name_bar.setObjectName("name_bar")
        self.name_bar.setStyleSheet("#name_bar { background: #e8f0fe; border: 1px solid #b6c8f0; }")
        outer = QVBoxLayout(self.name_bar)
        outer.setContentsMargins(8, 4, 8, 4)
        label = QLabel(t("ui.name.first_time"), self.name_bar)
        label.setWordWrap(True)
        self.name_edit = QLineEdit(self.name_bar)
        self.name_edit.setMaximumWidth(260)
        label.setBuddy(self.name_edit)
        self.name_save = QPushButton(t("ui.name.save"), self.name_bar)
        self.name_later = QPushButton(t("ui.name.later"), self.name_bar)
        self.name_save.clicked.connect(self._save_name_bar)
        self.name_edit.returnPressed.connect(self._save_name_bar)
        self.name_later.clicked.connect(self._dismiss_name_bar)
        outer.addWidget(label)  # the sentence on its own line: it wraps instead of being cut
        bar = QHBoxLayout()
        bar.addWidget(self.name_edit, 1)
        bar.addWidget(self.name_save)
        bar.addWidget(self.name_later)
        bar.addStretch(1)
        outer.addLayout(bar)
        lay.addWidget(self.name_bar)
        try:
            asked = bool(self.repo.actor_name() or self.repo.get_setting(NAME_ASKED_SETTING))
        except UserError:
            asked = True
        self.name_bar.setVisible(not asked)

    def _save_name_bar(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.name_edit.setFocus()
            return
        try:
            self.repo.set_actor_name(name)
            self.repo.set_setting(NAME_ASKED_SETTING, "1")
        except UserError as exc:
            self.show_error(exc.message())
            return
        self.name_bar.hide()
        self.statusBar().showMessage(t("ui.name.saved", name=name))

    def _dismiss_name_bar(self) -> None:
        try:
            self.repo.set_setting(NAME_ASKED_SETTING, "1")
        except UserError as exc:
            self.show_error(exc.message())
        self.name_bar.hide()

    def approve_selected(self) -> object:
        aid = self.selected_id()
        if aid is None:
            return None
        self._flush(aid)
        if self._refused_incomplete(aid, "approve"):  # before asking who signs
            return None
        answer = self.ask_approval(review_hooks.default_approver(self, aid))
        if answer is None or not review_hooks.confirm_duties(self, aid, answer[0]):
            return None
        if not self._close_wizard(aid):
            return None
        result = self._act(self._complete_then(self.repo.approve, "approve"), *answer)
        return self._said(result, "ui.done.approved", aid)

    def _complete_then(self, fn: Callable[..., object], action: str) -> Callable[..., object]:
        """`fn` preceded by the completeness gate (pia_app/signoff.py): refused with the list of
        unanswered required questions while any is missing."""

        def run(aid: int, *args: object) -> object:
            from pia_app.signoff import require_complete

            require_complete(self.repo, aid, action)
            return fn(aid, *args)

        return run

    def review_selected(self) -> AssessmentWizard | None:
        aid = self.selected_id()
        if aid is None:
            return None
        answer = self.ask_review()
        if answer is None:
            return None
        if not self._close_wizard(aid):
            return None
        if self._act(self.repo.start_review, *answer) is None:
            return None
        wizard = self.open_assessment(aid)
        self._said(True, "ui.done.review_started", aid)
        return wizard

    def history_selected(self) -> object:
        aid = self.selected_id()
        if aid is None:
            return None
        from pia_app.ui.dialogs import HistoryDialog

        self._flush(aid)
        dialog = HistoryDialog(self.repo, self.form, aid, self)
        self.show_dialog(dialog)
        return dialog

    def archive_selected(self) -> object:
        aid = self.selected_id()
        if aid is None:
            return None
        archived = self.repo.get(aid).archived
        return self._act(self.repo.archive, not archived)

    def delete_selected(self) -> object:
        aid = self.selected_id()
        if aid is None:
            return None
        title = self.repo.get(aid).title
        # Within the retention period the store refuses (PIPL art. 56): say so first, by title
        # and date, and what the user can do, instead of asking and then refusing in the CLI's
        # words ("--force --reason"; QA walk 2 #37).
        retention = self.repo.retention_until(aid)
        if retention is not None and dt.date.today() < retention[1]:
            self.show_error(t("ui.delete.retained", title=quoted(title), until=retention[1].isoformat()))
            return None
        if not self.confirm(t("ui.delete.confirm", title=title)):
            return None
        if not self._close_wizard(aid):
            return None
        result = self._act(self.repo.delete)
        if result is not None:
            self.statusBar().showMessage(t("ui.done.deleted", title=title), STATUS_DONE_MS)
        return result

    def import_data(self) -> list[int] | None:
        path = self.ask_open_path()
        if not path:
            return None
        return self.import_paths([Path(path)])

    def import_paths(self, paths: list[Path]) -> list[int] | None:
        """Import assessment files (menu or drag and drop); a bad file is named, nothing half-done."""
        from pia_app.interchange import import_file

        ids: list[int] = []
        for path in paths:
            try:
                ids.extend(import_file(self.repo, self.form, path))
            except UserError as exc:
                self.show_error(f"{path.name}: {exc.message()}" if len(paths) > 1 else exc.message())
                self.refresh()
                return None
        self.refresh()
        self.statusBar().showMessage(t("ui.import.done", count=len(ids)))
        return ids

    def export_data(self) -> Path | None:
        from pia_app.interchange import export_file

        aid = self.selected_id()
        if aid is None:
            return None
        self._flush(aid)
        title = _safe_name(self.repo.get(aid).title) or "pia-assessment"
        path = self.ask_save_path(str(self.export_folder() / f"{title}.json"), t("ui.export.json_filter"))
        if not path:
            return None
        target = Path(path)
        return self._export(lambda: export_file(self.repo, [aid], target, history=True))

    def set_your_name(self) -> None:
        name = self.ask_text(t("ui.name.title"), t("ui.name.label"), self.repo.actor_name() or "")
        if name is None:
            return
        try:
            self.repo.set_actor_name(name.strip() or None)
        except UserError as exc:
            self.show_error(exc.message())

    # -- dialogs (tests replace these) ----------------------------------------------------------

    def ask_save_path(self, suggested: str, file_filter: str | None = None) -> str:
        return save_file_path(self, t("ui.export.title"), suggested, file_filter or t("ui.export.filter"))

    def ask_open_path(self) -> str:
        return open_file_path(self, t("ui.import.title"), str(Path.home()), t("ui.export.json_filter"))

    def ask_approval(self, default_name: str) -> tuple[str, str] | None:
        from pia_app.ui.dialogs import ApproveDialog

        aid = self.selected_id()
        dialog = ApproveDialog(default_name, self.open_findings(aid) if aid is not None else [], self)
        if default_name and default_name == self.repo.actor_name():
            dialog.set_note(t("ui.approve.is_you"))  # the author may not be who should sign
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_review(self) -> tuple[str, str] | None:
        from pia_app.ui.dialogs import ReviewDialog

        dialog = ReviewDialog(self.form, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_text(self, title: str, label: str, value: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=value)
        return text if ok else None

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, t("ui.confirm.title"), text)
        return answer == QMessageBox.StandardButton.Yes

    def open_url(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    def show_dialog(self, dialog: QDialog) -> None:
        dialog.exec()

    def show_error(self, message: str) -> None:
        QMessageBox.critical(self, t("ui.error.title"), message)

    def shortcuts_html(self) -> str:
        """The keyboard shortcuts as a table (Help › Keyboard shortcuts): nothing listed them for
        a user who does not read documentation (QA walk 2 #35)."""
        from html import escape

        rows = []
        for line in t("ui.shortcuts.list").splitlines():
            keys, _, what = line.partition("|")
            if what:
                rows.append(f"<tr><td><b>{escape(keys.strip())}</b></td><td>{escape(what.strip())}</td></tr>")
        return "<table cellspacing='4'>" + "".join(rows) + "</table>"

    def show_text(self, title: str, html: str) -> None:
        QMessageBox.information(self, title, html)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            t("ui.action.about").replace("&", ""),
            t("ui.about.text", version=__version__, path=str(self.db_file)),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.report_exports is not None and self.report_exports.busy():
            # Closing now would drop the report being written (or its audit entry): the window
            # says so and closes itself once it is written.
            self.close_after_export = True
            self.statusBar().showMessage(t("ui.export.closing"))
            event.ignore()
            return
        for wizard in list(self.wizards.values()):
            # An editor whose assessment changed elsewhere asks first; "decide later" keeps the
            # window open rather than dropping its unsaved answers.
            if not wizard.flush() and wizard.conflict:
                self.tabs.setCurrentWidget(wizard)
                event.ignore()
                return
        for aid in list(self.wizards):
            wizard = self.wizards.pop(aid)
            wizard.flush()
            wizard.save_state()
        save_window(self, self.ui_settings)
        self.model.filler.stop()
        self.model.facts_provider = None  # the store closes now: grade no more rows
        self.repo.close()
        super().closeEvent(event)


def _tab_title(wizard: AssessmentWizard) -> str:
    title = wizard._title()
    return title if len(title) <= 24 else title[:23] + "…"


def _json_paths(mime: QMimeData) -> list[Path]:
    """The local .json files in a drag (anything else is not ours to import)."""
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() == ".json"]


def _safe_name(title: str) -> str:
    bad = '<>:"/\\|?*\n\r\t'
    return "".join("_" if c in bad else c for c in title).strip()[:80]
