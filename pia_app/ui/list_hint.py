"""A table view that says, inside its own area, why it is empty ("no assessment yet", "none
matching the search").

The hint was a label below the list, then one laid over it: showing or hiding a widget there
changed the list's size, or had Qt repaint the list under it in a second pass at the next
keystroke (issue 12, ~6-10 ms over 10,000 rows). Drawn by the view's own paint, the hint costs
nothing when rows come back: the view repaints them anyway. Screen readers get it as the
view's accessible description."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QTableView, QWidget

HINT_COLOUR = "#666"


class HintedTableView(QTableView):
    """A QTableView with an optional line of text over its empty area (near the top, centred)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hint = ""
        self._hint_shown = False

    def set_hint(self, text: str, shown: bool) -> None:
        if (text, shown) == (self._hint, self._hint_shown):
            return
        self._hint, self._hint_shown = text, shown
        self.setAccessibleDescription(text if shown else "")
        if shown:
            self.viewport().update()
        # Hidden because rows came back: the view repaints for them anyway (a second update
        # here was a second paint of the list at the next turn of the event loop).

    def hint(self) -> str:
        """The hint's text, if it is shown now; else ""."""
        return self._hint if self._hint_shown else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._hint_shown or not self._hint:
            return
        painter = QPainter(self.viewport())
        try:
            painter.setPen(QColor(HINT_COLOUR))
            area = self.viewport().rect().adjusted(12, 24, -12, -12)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            painter.drawText(area, int(flags), self._hint)
        finally:
            painter.end()
