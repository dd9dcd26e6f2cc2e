"""Hooks of review, evidence and follow-up (issue 14) into the main window, kept out of
main_window.py so that file changes by three lines: `install(window)`, `decorate_editor` when an
assessment opens, and the approval check.

- every question of an open assessment gets a "Comments" button (red with the number of open
  threads) opening the review window on that question;
- Assessment › Review and evidence… (Ctrl+Shift+R): the review window of the selected or open
  assessment (comments per question, section evaluation, roles and DPO advice, attachments),
  preselecting the question shown in the editor;
- Assessment › Due… (Ctrl+Shift+D): the due view as a tab (overdue measures, re-reviews, filing
  deadlines of all assessments);
- before approving, `confirm_duties` says when the approver also wrote or reviewed the
  assessment (separation of duties) and asks whether to approve anyway — flagged, not refused.

Nothing heavy is imported until used, so start-up does not pay for it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from pia_app.i18n import current_language, t


def install(window: Any) -> None:
    window.review_dialogs = {}
    window.due_view = None
    assessment_menu = next(
        (
            a.menu()
            for a in window.menuBar().actions()
            if a.menu() is not None and window.action_submit in a.menu().actions()
        ),
        None,
    )
    window.action_review_panel = QAction(t("ui.action.review_panel"), window)
    window.action_review_panel.setShortcut(QKeySequence("Ctrl+Shift+R"))
    window.action_review_panel.triggered.connect(lambda: open_review(window))
    window.action_due = QAction(t("ui.action.due"), window)
    window.action_due.setShortcut(QKeySequence("Ctrl+Shift+D"))
    window.action_due.triggered.connect(lambda: show_due(window))
    if assessment_menu is not None:
        assessment_menu.insertAction(window.action_history, window.action_review_panel)
        assessment_menu.addSeparator()
        assessment_menu.addAction(window.action_due)
    else:  # the menu was reorganised: still reachable
        window.addAction(window.action_review_panel)
        window.addAction(window.action_due)
    window.tabs.tabCloseRequested.connect(lambda index: _close_due_tab(window, index))
    _add_due_button(window)


def _add_due_button(window: Any) -> None:
    """A "Due" button beside Export on the list page (where people start), if that row exists."""
    from PySide6.QtWidgets import QBoxLayout, QPushButton

    anchor = getattr(window, "export_button", None)
    page = getattr(window, "list_page", None)
    if anchor is None or page is None or page.layout() is None:
        return
    for i in range(page.layout().count()):
        row = page.layout().itemAt(i).layout()
        if isinstance(row, QBoxLayout) and row.indexOf(anchor) >= 0:
            window.due_button = QPushButton(t("ui.due.tab"), page)
            window.due_button.setObjectName("due_button")
            window.due_button.setToolTip(t("ui.due.button_tip"))
            window.due_button.clicked.connect(lambda: show_due(window))
            row.insertWidget(row.indexOf(anchor) + 1, window.due_button)
            return


def decorate_editor(window: Any, editor: Any) -> None:
    """Give every question of an open assessment a small "Comments" button (with the number of
    open threads) that opens the review window on that question. Pages are built when first
    shown (or ahead, when the editor is idle), so each page is decorated as it is built, before
    it is laid out and painted: a page switch then adds nothing (issue 12)."""
    editor.review_buttons = {}

    def decorate(_index: int = -1) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QToolButton

        if window.wizards.get(editor.assessment_id) is not editor:
            return  # closed (its window and store too, perhaps) before a page was built ahead
        added = {}
        for qid, block in list(editor.blocks.items()):
            if qid in editor.review_buttons:
                continue
            button = QToolButton(block)
            button.setObjectName(f"comments_{qid}")
            button.setAutoRaise(True)
            button.setToolTip(t("ui.review.comments_tip"))
            button.clicked.connect(lambda _c=False, q=qid: open_review(window, q))
            block.layout().addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
            _tab_after_answer(block, button)
            editor.review_buttons[qid] = button
            added[qid] = button
        _set_badges(editor, added)

    page_built = getattr(editor, "page_built", None)
    if page_built is not None:
        page_built.connect(decorate)
    else:  # an editor without the signal: decorate after each page switch
        from PySide6.QtCore import QTimer

        editor.stack.currentChanged.connect(lambda _i: QTimer.singleShot(0, decorate))
    decorate()


def _tab_after_answer(block: Any, button: Any) -> None:
    """Put the question's comment button right after its answer in the Tab order. Added after
    the page, the buttons sat at the end of the window's chain: Tab from a page's last answer
    jumped to the first question's button and scrolled back to the top (QA walk 2 #5)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    widget = getattr(block, "widget", None)
    start = widget.focus_target() if widget is not None else None
    if widget is None or start is None:
        return
    last, current = start, start.nextInFocusChain()
    while current is not None and current is not start and widget.isAncestorOf(current):
        if current.focusPolicy() & Qt.FocusPolicy.TabFocus and current.isEnabled():
            last = current
        current = current.nextInFocusChain()
    QWidget.setTabOrder(last, button)


def update_badges(editor: Any) -> None:
    """The comment buttons' texts: the number of open threads of each question."""
    _set_badges(editor, getattr(editor, "review_buttons", {}))


def _set_badges(editor: Any, buttons: dict[str, Any]) -> None:
    from PySide6.QtGui import QColor, QPalette

    from pia_app.errors import UserError
    from pia_app.store.review_store import ReviewStore

    if not buttons:
        return
    try:
        counts = ReviewStore(editor.repo).open_thread_counts(editor.assessment_id)
    except UserError:
        return
    for qid, button in buttons.items():
        n = counts.get(qid, 0)
        if button.property("open_threads") == n:
            continue  # unchanged: restyling ~150 buttons on every page switch cost ~30 ms (issue 12)
        button.setProperty("open_threads", n)
        button.setText(t("ui.review.comments_open", count=n) if n else t("ui.review.comments"))
        # Palette and font, not a style sheet: a widget with its own style sheet is polished and
        # painted by the slow style-sheet style (a page has up to ~50 of these buttons).
        palette = button.palette()
        palette.setColor(QPalette.ColorRole.ButtonText, QColor("#b71c1c" if n else "#555555"))
        button.setPalette(palette)
        font = button.font()
        font.setBold(bool(n))
        button.setFont(font)


def open_review(window: Any, question: str | None = None) -> Any:
    """Show (or bring forward) the review window of the selected assessment, on `question` (or
    the question being edited)."""
    from pia_app.ui.review_dialog import ReviewDialog

    aid = window.selected_id()
    if aid is None:
        return None
    window._flush(aid)
    dialog = window.review_dialogs.get(aid)
    if dialog is None or not dialog.isVisible():
        dialog = ReviewDialog(window.repo, window.form, aid, window)
        dialog.changed.connect(window.refresh)
        dialog.changed.connect(lambda aid=aid: _badges_of(window, aid))
        window.review_dialogs[aid] = dialog
    else:
        dialog.reload()
    editor = window.wizards.get(aid)
    question = question or _current_question(editor)
    if question:
        dialog.select_question(question)
    dialog.show()
    dialog.raise_()
    return dialog


def _badges_of(window: Any, assessment_id: int) -> None:
    editor = window.wizards.get(assessment_id)
    if editor is not None:
        update_badges(editor)


def _current_question(editor: Any) -> str | None:
    """The question being edited (the one holding the keyboard focus), else the first question
    of the section the editor shows: what the comment or the attachment is most likely about."""
    if editor is None:
        return None
    focus = editor.window().focusWidget()  # the window's focus, also when it is not active
    for qid, block in getattr(editor, "blocks", {}).items():
        if focus is not None and (block is focus or block.isAncestorOf(focus)):
            return str(qid)
    try:
        section = editor.sections[editor.currentId()]
    except (AttributeError, IndexError, TypeError):
        return None
    return section.questions[0].id if section.questions else None


def show_due(window: Any) -> Any:
    """Open the due view as a tab (or refresh and show it)."""
    from pia_app.ui.due_view import DueView

    view = window.due_view
    if view is None or window.tabs.indexOf(view) < 0:
        view = DueView(window.repo, window.form, window.tabs)
        view.on_error = window.show_error
        view.open_requested.connect(window.open_assessment)
        window.due_view = view
        window.tabs.addTab(view, t("ui.due.tab"))
    else:
        view.reload()
    window.tabs.setCurrentWidget(view)
    return view


def _close_due_tab(window: Any, index: int) -> None:
    if window.due_view is not None and window.tabs.widget(index) is window.due_view:
        window.tabs.removeTab(index)
        window.due_view.deleteLater()
        window.due_view = None


def missing_roles_note(window: Any, assessment_id: int) -> str:
    """A sentence naming the roles of the revision nobody holds yet (author, reviewer), where
    to set them; "" when both are recorded. The GUI never asked for them, and the report
    printed "—" as author and reviewer (QA walk 2 #22)."""
    from pia_app.errors import UserError
    from pia_app.store.review_store import ReviewStore

    try:
        roles = ReviewStore(window.repo).roles(assessment_id)
    except UserError:
        return ""
    missing = [r for r in ("author", "reviewer") if not roles.get(r)]
    if not missing:
        return ""
    sep = "、" if current_language() == "zh" else ", "
    return t("ui.review.roles_missing", roles=sep.join(t("review.role." + r) for r in missing))


def default_approver(window: Any, assessment_id: int) -> str:
    """Who the sign-off dialog proposes: the revision's one named approver (Roles and DPO), else
    the user's own name (QA walk 2 #16: it always proposed the user, who often wrote it)."""
    from pia_app.errors import UserError
    from pia_app.store.review_store import ReviewStore

    try:
        approvers = ReviewStore(window.repo).roles(assessment_id).get("approver", [])
    except UserError:
        approvers = []
    if len(approvers) == 1:
        return str(approvers[0])
    return str(window.repo.actor_name() or "")


def confirm_duties(window: Any, assessment_id: int, approver: str) -> bool:
    """Before approving: if the approver (or anyone) holds several of author / reviewer /
    approver, say so and ask whether to approve anyway. True: go on."""
    from pia_app.errors import UserError
    from pia_app.review.duties import duty_conflicts
    from pia_app.store.review_store import ReviewStore

    store = ReviewStore(window.repo)
    try:
        roles = store.roles(assessment_id)
        evaluators = [e.reviewer for e in store.evaluations(assessment_id)]
    except UserError:  # the approval itself reports store problems
        return True
    conflicts = duty_conflicts(roles, evaluators, approver)
    if not conflicts:
        return True
    sep = "、" if current_language() == "zh" else ", "
    lines = [
        t("review.duty_conflict", name=c.name, roles=sep.join(t("review.role." + r) for r in c.roles))
        for c in conflicts
    ]
    return bool(window.confirm("\n".join([*lines, "", t("ui.review.approve_anyway")])))
