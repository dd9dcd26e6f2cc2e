"""The refusal shown when submit for review or approval meets unanswered required questions.

The CLI says it in one line (`IncompleteError.message`); the window lists every missing question,
grouped by section, each a link: activating one closes the dialog, opens the assessment if it is
not open yet and puts the cursor in that question (issue 8: "GUI dialog with links").
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from pia_app.engine.completeness import IncompleteError
from pia_app.i18n import pick, t

LINK_SCHEME = "q:"


class IncompleteDialog(QDialog):
    """The missing questions by section, as links; `question_activated(qid)` when one is chosen."""

    question_activated = Signal(str)

    def __init__(self, error: IncompleteError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        action = str(error.params.get("action_key", "error.incomplete.submit"))
        count = int(error.params.get("count", 0))
        self.setWindowTitle(t("ui.incomplete.title"))
        lay = QVBoxLayout(self)
        self.explain = QLabel(t("ui.incomplete.explain", action=t(action), count=count), self)
        self.explain.setWordWrap(True)
        lay.addWidget(self.explain)
        self.links: dict[str, str] = {}
        """Question id → the label shown as its link, in form order."""
        html: list[str] = []
        for section in error.missing:
            html.append(f"<p><b>{escape(pick(section.title))}</b></p><ul>")
            for qid in section.missing:
                q = error.form.question(qid)
                label = pick(q.label) if q is not None else qid
                self.links[qid] = label
                html.append(f'<li><a href="{LINK_SCHEME}{escape(qid)}">{escape(label)}</a></li>')
            html.append("</ul>")
        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setOpenExternalLinks(False)
        self.view.setHtml("".join(html))
        self.view.anchorClicked.connect(self._anchor_clicked)
        lay.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        from pia_app.ui.dialogs import fit_dialog

        fit_dialog(self, 560, 460)

    def _anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(LINK_SCHEME):
            self.activate(text[len(LINK_SCHEME) :])

    def activate(self, qid: str) -> None:
        """Go to a missing question: close the refusal first, then say which question."""
        self.accept()
        self.question_activated.emit(qid)
