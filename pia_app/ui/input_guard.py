"""The mouse wheel never changes an answer by accident.

Qt's combo boxes, spin/date boxes and sliders take wheel events while the pointer is over them,
even without focus: scrolling a long page over a drop-down silently changed saved answers. One
application-wide event filter (installed by `configure_app`) stops that for every such widget in
every window: without keyboard focus, the wheel event goes to the widget's parent instead, so the
page scrolls. With focus (the user clicked or tabbed into it), the wheel works as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
"""Widgets whose value a wheel tick changes; scroll bars are sliders that should keep it."""


def is_guarded(obj: QObject) -> bool:
    return isinstance(obj, GUARDED) and not isinstance(obj, QScrollBar)


class WheelGuard(QObject):
    """Event filter: a wheel over an unfocused value widget scrolls its container instead."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # isinstance, not event.type(): this runs for every event of the application, and
        # converting the type to a Python enum costs more than the rest of the filter.
        if not isinstance(event, (QWheelEvent, QShowEvent)) or not is_guarded(watched):
            return False
        assert isinstance(watched, QWidget)
        if isinstance(event, QShowEvent):
            no_wheel_focus(watched)
            return False
        if watched.hasFocus():
            return False
        parent = watched.parentWidget()
        # Hand the tick to the nearest ancestor that takes it (the page's scroll area). Qt does
        # not pass a wheel event we send ourselves up the parent chain, so walk it here.
        while parent is not None:
            if not is_guarded(parent):
                pos = watched.mapTo(parent, event.position().toPoint())
                forwarded = QWheelEvent(
                    pos.toPointF(),
                    event.globalPosition(),
                    event.pixelDelta(),
                    event.angleDelta(),
                    event.buttons(),
                    event.modifiers(),
                    event.phase(),
                    event.inverted(),
                    event.source(),
                )
                forwarded.ignore()
                QApplication.sendEvent(parent, forwarded)
                if forwarded.isAccepted() or parent.isWindow():
                    break
            parent = parent.parentWidget()
        event.accept()
        return True


_guard: WheelGuard | None = None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the one guard on the application (idempotent); returns it.

    Qt gives a combo box (focus policy `WheelFocus`) the focus on a wheel tick *before* the
    application's event filters see the tick, so the guard would find it focused and let the
    tick change it. Every guarded widget therefore loses wheel focus: those already built now,
    later ones when they are first shown (main-window filters, dialogs, not only answers)."""
    global _guard
    if _guard is None:
        _guard = WheelGuard(app)
        app.installEventFilter(_guard)
        for widget in app.allWidgets():
            if is_guarded(widget):
                no_wheel_focus(widget)
    return _guard


def no_wheel_focus(widget: QWidget) -> None:
    """A wheel tick must not give the widget focus (which would let the next tick through)."""
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def shortcut(
    keys: QKeySequence | QKeySequence.StandardKey | str,
    parent: QWidget,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> QShortcut:
    """A keyboard shortcut on `parent` calling `slot` (one place for the typed construction)."""
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(context)
    sc.activated.connect(slot)
    return sc
