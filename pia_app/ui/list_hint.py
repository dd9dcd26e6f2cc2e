"""A line of text over an empty list ("no assessment yet", "none matching"), drawn inside the
list's own area.

Below the list, as it was, the hint changed the list's height each time a search emptied it or
brought rows back: the whole list was laid out and painted again at the next keystroke (issue 12,
~10-15 ms over 10,000 rows). Over the list, showing or hiding it moves nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel


class ListHint(QLabel):
    """A hint laid over `area`'s viewport (centred near its top), following it when it resizes;
    clicks go through to the list."""

    def __init__(self, text: str, area: QAbstractScrollArea) -> None:
        super().__init__(text, area)
        self.area = area
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #666; background: transparent; padding: 24px 12px 12px 12px;")
        area.installEventFilter(self)
        self.follow()

    def follow(self) -> None:
        """Cover the viewport (its place in the area, below the header)."""
        self.setGeometry(self.area.viewport().geometry())

    def setVisible(self, visible: bool) -> None:
        if visible:
            self.follow()
        super().setVisible(visible)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.area and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.follow()
        return False
