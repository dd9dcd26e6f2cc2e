"""One widget class per answer type, all with the same small interface:

    value() -> JSON-able answer or None      set_value(v)      changed (Signal)

The wizard builds them from the form; table cells reuse them in compact form.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QEvent, QObject, QRect, QRegularExpression, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QRegularExpressionValidator,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from pia_app.forms.schema import Column, Question
from pia_app.i18n import pick, t
from pia_app.ui.input_guard import no_wheel_focus, shortcut

__all__ = ["shortcut"]  # re-exported for the editor

RADIO_LIMIT = 7
GRID_COLUMN_LIMIT = 5
"""Tables with more columns than this are edited one row at a time (RecordTableAnswer)."""


def literal(text: str) -> str:
    """Button and menu texts treat '&' as a shortcut marker; show it as typed ("R&D")."""
    return text.replace("&", "&&")


OPTION_WRAP_PX = 300
"""Widest line of a check box or radio button label. They never wrap by themselves, so one long
English option (L: "−1 over 10 million persons but with thorough…", 751 px) made the whole page
wider than its pane at 1024×600 and cut every line on its right edge; the row editors of the
record tables (C, L, M) are only ~350 px wide there."""

_TOKENS = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+"
)


def option_button(
    cls: type[QCheckBox] | type[QRadioButton], label: str, parent: QWidget
) -> QCheckBox | QRadioButton:
    """A check box or radio button whose label is broken into lines of at most OPTION_WRAP_PX
    (between words, or between Chinese characters); screen readers get the label unbroken."""
    button = cls(parent)
    metrics = button.fontMetrics()
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(label):
        if line and metrics.horizontalAdvance((line + token).rstrip()) > OPTION_WRAP_PX:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    button.setText(literal("\n".join(lines)))
    button.setAccessibleName(label)
    return button


"""Single-choice questions with more options than this use a drop-down list."""


def tint(widget: QWidget, colour: str, scale: float = 1.0) -> None:
    """Text colour (and size) through the palette and font, not a style sheet: a widget with its
    own style sheet is polished by the slow style-sheet style, and a page has hundreds of them."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    palette.setColor(QPalette.ColorRole.Text, QColor(colour))
    widget.setPalette(palette)
    if scale != 1.0:
        font = widget.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        widget.setFont(font)


class AnswerWidget(QWidget):
    changed = Signal()

    def value(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def focus_target(self) -> QWidget | None:
        """The child that takes the keyboard focus first (label buddy, F1, jump to question)."""
        for child in self.findChildren(QWidget):
            if child.focusPolicy() != Qt.FocusPolicy.NoFocus and not child.isHidden():
                return child
        return None


class _AssessmentUndoKeys(QObject):
    """Event filter on a one-line field: Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y are the assessment's
    undo and redo, not the field's own. The field's undo changed its text, which was saved as a
    new answer, so undoing an added record took four steps (QA walk 2 #40)."""

    KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.ShortcutOverride:
            combo = event.keyCombination().toCombined()
            if any(event.matches(k) for k in self.KEYS) or QKeySequence(combo) in EXTRA_UNDO_KEYS:
                event.ignore()  # not the field's: the window's undo/redo action takes it
                return True
        return False


EXTRA_UNDO_KEYS = (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))
_undo_keys: _AssessmentUndoKeys | None = None


def assessment_undo_keys(field: QWidget) -> None:
    """Let Ctrl+Z in `field` undo the last answer change of the assessment (see above)."""
    global _undo_keys
    if _undo_keys is None:
        _undo_keys = _AssessmentUndoKeys()
    field.installEventFilter(_undo_keys)


class TextAnswer(AnswerWidget):
    def __init__(self, multiline: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.multiline = multiline
        if multiline:
            self.editor: QPlainTextEdit | QLineEdit = QPlainTextEdit(self)
            self.editor.setMinimumHeight(70)
            self.editor.setMaximumHeight(140)
            self.editor.setTabChangesFocus(True)
            self.editor.setUndoRedoEnabled(False)  # Ctrl+Z is the assessment's undo
            self.editor.textChanged.connect(self.changed)
        else:
            self.editor = QLineEdit(self)
            self.editor.textChanged.connect(self.changed)
            assessment_undo_keys(self.editor)
        lay.addWidget(self.editor)

    def value(self) -> str | None:
        text = self.editor.toPlainText() if isinstance(self.editor, QPlainTextEdit) else self.editor.text()
        return text if text.strip() else None

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self.editor.blockSignals(True)
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(text)
        else:
            self.editor.setText(text)
            self.editor.setCursorPosition(0)  # show the beginning of a long answer
        self.editor.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


class SingleAnswer(AnswerWidget):
    """Radio buttons for short lists, a drop-down for long ones or inside tables."""

    def __init__(self, item: Question | Column, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codes = [o.code for o in item.options]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.combo: QComboBox | None = None
        self.group: QButtonGroup | None = None
        if compact or len(self.codes) > RADIO_LIMIT:
            self.combo = QComboBox(self)
            no_wheel_focus(self.combo)
            # As wide as the space allows, not as the longest option (418 px in C's data map made
            # the row editor wider than its pane at 1024×600); the list that opens shows it all.
            self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.combo.setMinimumContentsLength(12)
            self.combo.addItem("", None)
            for o in item.options:
                self.combo.addItem(pick(o.label), o.code)
            self.combo.currentIndexChanged.connect(self.changed)
            lay.addWidget(self.combo)
        else:
            self.group = QButtonGroup(self)
            self.group.setExclusive(True)
            for i, o in enumerate(item.options):
                rb = option_button(QRadioButton, pick(o.label), self)
                rb.setObjectName(f"opt_{o.code}")
                rb.installEventFilter(self)
                self.group.addButton(rb, i)
                lay.addWidget(rb)
            self.group.idClicked.connect(lambda _i: self.changed.emit())

    ARROWS: ClassVar[dict[Qt.Key, int]] = {
        Qt.Key.Key_Up: -1,
        Qt.Key.Key_Left: -1,
        Qt.Key.Key_Down: 1,
        Qt.Key.Key_Right: 1,
    }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys in the options choose the next or previous one, as on Windows: Qt only
        moved the focus ring while nothing was chosen yet, and Tab then left the question
        unanswered (QA walk 2)."""
        if (
            self.group is not None
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            step = self.ARROWS.get(Qt.Key(event.key()))
            buttons = self.group.buttons()
            if step is not None and watched in buttons:
                target = buttons[max(0, min(len(buttons) - 1, buttons.index(watched) + step))]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                if not target.isChecked():
                    target.click()
                return True
        return super().eventFilter(watched, event)

    def value(self) -> str | None:
        if self.combo is not None:
            data = self.combo.currentData()
            return str(data) if data else None
        assert self.group is not None
        idx = self.group.checkedId()
        return self.codes[idx] if idx >= 0 else None

    def set_value(self, value: Any) -> None:
        if self.combo is not None:
            self.combo.blockSignals(True)
            idx = self.combo.findData(value) if value in self.codes else 0
            self.combo.setCurrentIndex(max(idx, 0))
            self.combo.blockSignals(False)
            return
        assert self.group is not None
        self.group.setExclusive(False)
        for i, btn in enumerate(self.group.buttons()):
            btn.setChecked(value is not None and self.codes[i] == value)
        self.group.setExclusive(True)


class YesNoAnswer(SingleAnswer):
    """Yes/no stored as a JSON boolean."""

    def __init__(self, compact: bool = False, parent: QWidget | None = None) -> None:
        from pia_app.forms.schema import Option

        fake = Column(
            id="yesno",
            type="single",
            label={},
            options=(
                Option("true", {"zh": t("common.yes", "zh"), "en": t("common.yes", "en")}),
                Option("false", {"zh": t("common.no", "zh"), "en": t("common.no", "en")}),
            ),
        )
        super().__init__(fake, compact=compact, parent=parent)
        if self.combo is not None:
            self.combo.setMinimumContentsLength(3)  # 是/否: a narrow column in a grid
        if self.group is not None:
            lay = self.layout()
            assert isinstance(lay, QVBoxLayout)
            row = QHBoxLayout()
            for btn in self.group.buttons():
                lay.removeWidget(btn)
                row.addWidget(btn)
            row.addStretch(1)
            lay.addLayout(row)

    def value(self) -> bool | None:  # type: ignore[override]  # yes/no is stored as a boolean
        code = super().value()
        return None if code is None else code == "true"

    def set_value(self, value: Any) -> None:
        super().set_value(None if value is None else ("true" if value else "false"))


def exclusive_codes(item: Question | Column) -> set[str]:
    """Options that cannot be ticked with any other ("none of these"): flagged `exclusive` in
    the form, or the code `none`."""
    return {o.code for o in item.options if getattr(o, "exclusive", False) or o.code == "none"}


def others_to_clear(ticked: str, exclusive: set[str], all_codes: list[str]) -> set[str]:
    """Ticking `ticked` clears these: every other option if it is exclusive, else the exclusive ones."""
    return set(all_codes) - {ticked} if ticked in exclusive else exclusive - {ticked}


class MultiAnswer(AnswerWidget):
    """Check boxes; an exclusive option ("none") and any other can never be ticked together."""

    def __init__(self, item: Question | Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self.locked: set[str] = set()
        self.exclusive = exclusive_codes(item)
        for o in item.options:
            cb = option_button(QCheckBox, pick(o.label), self)
            assert isinstance(cb, QCheckBox)
            cb.setObjectName(f"opt_{o.code}")
            cb.toggled.connect(lambda on, code=o.code: self._toggled(code, on))
            self.boxes[o.code] = cb
            lay.addWidget(cb)

    def _toggled(self, code: str, on: bool) -> None:
        if on:
            for other in others_to_clear(code, self.exclusive, list(self.boxes)):
                box = self.boxes[other]
                if box.isChecked() and other not in self.locked:
                    box.blockSignals(True)
                    box.setChecked(False)
                    box.blockSignals(False)
        self.changed.emit()

    def value(self) -> list[str] | None:
        """The codes the user ticked; codes locked as derived are not the user's answer."""
        chosen = [c for c, cb in self.boxes.items() if cb.isChecked() and c not in self.locked]
        return chosen or None

    def set_value(self, value: Any) -> None:
        chosen = set(value or []) | self.locked
        for code, cb in self.boxes.items():
            cb.blockSignals(True)
            cb.setChecked(code in chosen)
            cb.blockSignals(False)

    def lock(self, codes: set[str]) -> None:
        """Show `codes` ticked and fixed (derived by the engine); the user may tick more."""
        user = set(self.value() or [])
        self.locked = set(codes)
        for code, cb in self.boxes.items():
            cb.blockSignals(True)
            cb.setChecked(code in self.locked or code in user)
            cb.setEnabled(code not in self.locked)
            cb.blockSignals(False)


class MultiCell(AnswerWidget):
    """A multiple choice inside a table cell: a button with a menu of check boxes."""

    def __init__(self, item: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.button = QToolButton(self)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu = QMenu(self.button)
        self.choices: dict[str, QAction] = {}
        self.exclusive = exclusive_codes(item)
        for o in item.options:
            act = QAction(literal(pick(o.label)), self.menu)
            act.setCheckable(True)
            act.toggled.connect(lambda on, code=o.code: self._toggled(code, on))
            self.menu.addAction(act)
            self.choices[o.code] = act
        self.button.setMenu(self.menu)
        lay.addWidget(self.button)
        self._refresh()

    def _toggled(self, code: str, on: bool) -> None:
        if on:
            for other in others_to_clear(code, self.exclusive, list(self.choices)):
                act = self.choices[other]
                act.blockSignals(True)
                act.setChecked(False)
                act.blockSignals(False)
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        labels = [a.text().replace("&&", "&") for a in self.choices.values() if a.isChecked()]
        self.button.setText(literal("；".join(labels)) if labels else "…")

    def value(self) -> list[str] | None:
        return [c for c, a in self.choices.items() if a.isChecked()] or None

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for code, act in self.choices.items():
            act.blockSignals(True)
            act.setChecked(code in chosen)
            act.blockSignals(False)
        self._refresh()


class NumberAnswer(AnswerWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.editor = QLineEdit(self)
        self.editor.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^-?[0-9]{0,15}([.][0-9]{0,6})?$"))
        )
        self.editor.setMaximumWidth(220)
        self.editor.textChanged.connect(self.changed)
        assessment_undo_keys(self.editor)
        lay.addWidget(self.editor)
        lay.addStretch(1)

    def value(self) -> int | float | None:
        text = self.editor.text().strip()
        if not text or text in ("-", "."):
            return None
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return None

    def set_value(self, value: Any) -> None:
        self.editor.blockSignals(True)
        self.editor.setText("" if value is None else str(value))
        self.editor.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
"""What a user may type for a date: 2026-11-02, 20261102, 2026/11/2, 2026.11.2, 2026年11月2日."""


def parse_typed_date(text: str) -> dt.date | None:
    """The date typed in `text` (see DATE_PATTERNS), or None when it is not a real date."""
    clean = text.strip()
    for pattern in DATE_PATTERNS:
        m = pattern.match(clean)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


class DateAnswer(AnswerWidget):
    """A date typed (2026-11-02 or 20261102) or picked from a calendar; empty = not answered.

    A line edit rather than a QDateEdit: no wheel or arrow key moves a date by accident, an empty
    date is simply empty (and cleared with the clear button or by deleting the text), and the
    calendar opens at today when there is no date yet. Text that is not a date is shown in red and
    changes nothing: the answer keeps its last valid value until the text is a date or empty.
    """

    def __init__(self, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.editor = QLineEdit(self)
        assessment_undo_keys(self.editor)
        # A short placeholder (the long one was cut at 1024 px, QA walk 2 #7), the rest in the
        # tooltip; the field is never narrower than the placeholder and its clear button.
        self.editor.setPlaceholderText(t("ui.date.placeholder"))
        self.editor.setToolTip(t("ui.date.hint"))
        self.editor.setClearButtonEnabled(True)
        metrics = self.editor.fontMetrics()
        text_width = max(
            metrics.horizontalAdvance(t("ui.date.placeholder")), metrics.horizontalAdvance("2026-11-02")
        )
        self.editor.setMinimumWidth(text_width + 44)
        self.editor.setMaximumWidth(max(170, text_width + 44))
        self.editor.textChanged.connect(self._typed)
        self.editor.editingFinished.connect(self._normalise)
        self.calendar_button = QToolButton(self)
        # In a grid cell a narrow "▾" (tooltip and screen-reader name say what it does), so the
        # date itself fits the column at 1024×600.
        self.calendar_button.setText("▾" if compact else t("ui.date.calendar"))
        self.calendar_button.setToolTip(t("ui.date.pick"))
        self.calendar_button.setAccessibleName(t("ui.date.pick"))
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_menu = QMenu(self.calendar_button)
        self._calendar: QCalendarWidget | None = None
        self.calendar_menu.aboutToShow.connect(self._prepare_calendar)
        self.calendar_button.setMenu(self.calendar_menu)
        self.error_label = QLabel(self)
        tint(self.error_label, "#b71c1c")
        self.error_label.hide()
        self._value: str | None = None
        lay.addWidget(self.editor)
        lay.addWidget(self.calendar_button)
        lay.addWidget(self.error_label)
        lay.addStretch(1)
        self.setFocusProxy(self.editor)

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._set_error(False)
            self._store(None)
            return
        day = parse_typed_date(text)
        if day is None:
            self._set_error(True)
            return
        self._set_error(False)
        self._store(day.isoformat())

    def _normalise(self) -> None:
        """After typing, show the date in one form (20261102 → 2026-11-02)."""
        if self._value is not None and self.editor.text().strip() != self._value and not self.has_error():
            self.editor.blockSignals(True)
            self.editor.setText(self._value)
            self.editor.blockSignals(False)

    def _store(self, value: str | None) -> None:
        if value != self._value:
            self._value = value
            self.changed.emit()

    def _set_error(self, on: bool) -> None:
        self.editor.setStyleSheet("QLineEdit { border: 1px solid #b71c1c; }" if on else "")
        self.error_label.setText(t("ui.date.invalid") if on else "")
        self.error_label.setVisible(on)

    def has_error(self) -> bool:
        """True while the text is not a date (the answer keeps its last valid value)."""
        return self.error_label.isVisibleTo(self)

    @property
    def calendar(self) -> QCalendarWidget:
        """The month calendar of the drop-down, made when first needed: a QCalendarWidget takes
        ~3 ms to build and a page has several dates, most never picked from it (issue 12)."""
        if self._calendar is None:
            calendar = QCalendarWidget(self.calendar_menu)
            calendar.setGridVisible(True)
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)
            action = QWidgetAction(self.calendar_menu)
            action.setDefaultWidget(calendar)
            self.calendar_menu.addAction(action)
            self._calendar = calendar
        return self._calendar

    def _prepare_calendar(self) -> None:
        day = dt.date.fromisoformat(self._value) if self._value else dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(day.year, day.month)
        # The keyboard goes to the days, so Enter right after opening picks the highlighted day
        # (it went to the menu, and Enter did nothing until an arrow key; QA walk 2 #13).
        QTimer.singleShot(0, self.calendar, self._focus_calendar)

    def _focus_calendar(self) -> None:
        if self.calendar_menu.isVisible():
            self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, date: QDate) -> None:
        self.calendar_menu.close()
        self.editor.setText(dt.date(date.year(), date.month(), date.day()).isoformat())
        self.editor.setFocus()

    def clear(self) -> None:
        self.editor.clear()

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: Any) -> None:
        try:
            day = dt.date.fromisoformat(str(value)) if value else None
        except ValueError:
            day = None
        self._value = day.isoformat() if day else None
        self.editor.blockSignals(True)
        self.editor.setText(self._value or "")
        self.editor.blockSignals(False)
        self._set_error(False)

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)
        self.editor.setClearButtonEnabled(not read_only)
        self.calendar_button.setEnabled(not read_only)


REF_COLUMN = "ref_id"
"""The column of the treatment table (form.yaml `roles.tables.treatments`) that names the gap
or risk a row treats (the engine reads the same column)."""


class RefPicker(AnswerWidget):
    """The gap (by its number) or risk item (by its id) a row treats, picked from a list of what
    the assessment has now, never typed. A stored reference that is no longer offered stays
    shown (marked) so that nothing is lost silently."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        no_wheel_focus(self.combo)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(20)
        self.combo.currentIndexChanged.connect(self._picked)
        lay.addWidget(self.combo, 1)
        self._value: str | None = None
        self.choices: list[tuple[str, str]] = []
        self.known: dict[str, str] = {}
        self._rebuild()

    def _rebuild(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(t("ui.ref.pick"), None)
        codes = [c for c, _label in self.choices]
        for code, label in self.choices:
            self.combo.addItem(label, code)
            self.combo.setItemData(self.combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        if self._value is not None and self._value not in codes:
            alias = self.known.get(self._value)
            if alias is not None and alias in codes:
                # an older row names the gap by its rule id: show the gap it means, keep the value
                self.combo.setItemData(codes.index(alias) + 1, self._value)
            else:
                self.combo.addItem(t("ui.ref.not_found", ref=alias or self._value), self._value)
        index = self.combo.findData(self._value) if self._value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def _picked(self, _index: int) -> None:
        data = self.combo.currentData()
        self._value = str(data) if data else None
        self.changed.emit()

    def set_choices(self, choices: list[tuple[str, str]], known: dict[str, str] | None = None) -> bool:
        """Offer `choices` (code, label); `known` maps other names of a choice (a gap's rule id)
        to its code, so an older row still shows what it treats."""
        if choices != self.choices or (known is not None and known != self.known):
            self.choices = list(choices)
            self.known = dict(known or {})
            self._rebuild()
            return True
        return False

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = str(value) if value not in (None, "") else None
        self._rebuild()


class PickMenu(QObject):
    """A list to pick from, opened from a button inside a text field (or Alt+Down in it): the
    picked code replaces the text, or with `append` joins the field's comma-separated list."""

    def __init__(self, field: QLineEdit, append: bool) -> None:
        super().__init__(field)
        self.field = field
        self.append = append
        self.choices: list[tuple[str, str]] = []
        self.menu = QMenu(field)
        self.menu.aboutToShow.connect(self._fill)
        icon = field.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self.action = field.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self.action.setToolTip(t("ui.pick.tip"))
        self.action.triggered.connect(self.open)
        shortcut("Alt+Down", field, self.open, Qt.ShortcutContext.WidgetShortcut)

    def open(self) -> None:
        self.menu.popup(self.field.mapToGlobal(self.field.rect().bottomLeft()))

    def _fill(self) -> None:
        self.menu.clear()
        if not self.choices:
            self.menu.addAction(t("ui.pick.none")).setEnabled(False)
        for code, label in self.choices:
            action = self.menu.addAction(literal(label))
            action.triggered.connect(lambda _c=False, code=code: self.pick(code))

    def pick(self, code: str) -> None:
        if self.append:
            have = [p.strip() for p in self.field.text().replace("，", ",").split(",") if p.strip()]
            if code not in have:
                have.append(code)
            self.field.setText(", ".join(have))
        else:
            self.field.setText(code)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)


def cell_widget(col: Column) -> AnswerWidget:
    if col.type == "single":
        return SingleAnswer(col, compact=True)
    if col.type == "yesno":
        return YesNoAnswer(compact=True)
    if col.type == "multi":
        return MultiCell(col)
    if col.type == "number":
        return NumberAnswer()
    if col.type == "date":
        return DateAnswer(compact=True)
    return TextAnswer()


class WrappingHeader(QHeaderView):
    """Column titles that wrap onto more lines instead of being cut: "是否独立于被评估业务" was
    clipped at 1024×600 (QA #4). The header grows as tall as its longest wrapped title."""

    PADDING = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(
            Qt.AlignmentFlag(Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value)
        )
        self.sectionResized.connect(self._widths_changed)

    def title(self, logical: int) -> str:
        model = self.model()
        if model is None:
            return ""
        return str(model.headerData(logical, self.orientation(), Qt.ItemDataRole.DisplayRole) or "")

    def wrapped_height(self, logical: int, width: int) -> int:
        flags = Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value
        rect = self.fontMetrics().boundingRect(
            QRect(0, 0, max(width - self.PADDING, 16), 10_000), flags, self.title(logical)
        )
        return rect.height() + self.PADDING

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        height = self.wrapped_height(logicalIndex, self.sectionSize(logicalIndex))
        return QSize(size.width(), max(size.height(), height))

    def min_width(self, logical: int) -> int:
        """The narrowest a column can be with its title wrapped between words (CJK titles may
        break between any two characters; four of them is still readable)."""
        metrics = self.fontMetrics()
        cjk_cap = metrics.horizontalAdvance("中" * 4)

        def need(word: str) -> int:
            width = metrics.horizontalAdvance(word) + 4  # glyphs may overhang their advance
            return min(width, cjk_cap) if any(ord(ch) > 0x2E80 for ch in word) else width

        return max((need(w) for w in self.title(logical).split()), default=0) + self.PADDING

    def _widths_changed(self, *_args: int) -> None:
        # The height the titles need follows the widths: let the view ask for it again.
        self.headerDataChanged(self.orientation(), 0, max(self.count() - 1, 0))


class _CellTabTable(QTableWidget):
    """A grid whose Tab/Shift+Tab go from one cell's editor to the next. Qt's own tab-key
    navigation moves only the current index and leaves the focus in the editor, so what one
    typed after Tab landed in the same cell ("王敏法务部组长")."""

    def __init__(self, owner: TableAnswer, rows: int, columns: int) -> None:
        super().__init__(rows, columns, owner)
        self.owner = owner

    def focusNextPrevChild(self, forward: bool) -> bool:
        return self.owner.tab_between_cells(forward) or super().focusNextPrevChild(forward)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.owner.fit_columns()


class TableAnswer(AnswerWidget):
    """Rows with typed columns; each cell is one of the answer widgets above."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.columns = list(question.columns)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = _CellTabTable(self, 0, len(self.columns))
        self.header = WrappingHeader(self.table)
        self.table.setHorizontalHeader(self.header)
        self.table.setHorizontalHeaderLabels([pick(c.label) for c in self.columns])
        for i, c in enumerate(self.columns):
            item = self.table.horizontalHeaderItem(i)
            if item is not None:
                item.setToolTip(pick(c.help) if c.help else pick(c.label))
        # Tab moves between the cell widgets themselves (the view's own Tab would only move its
        # current index and leave the keyboard focus where it was).
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setMinimumHeight(150)
        for i, c in enumerate(self.columns):
            self.table.setColumnWidth(i, 160 if c.type in ("text", "multi") else 110)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(t("ui.table.add_row"), self)
        self.remove_button = QPushButton(t("ui.table.remove_row"), self)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove_clicked)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.cells: list[list[AnswerWidget]] = []
        self._field_widths: dict[int, int] = {}

    def add_row(self, values: dict[str, Any] | None = None, chain: bool = True) -> None:
        """Append a row of cell editors (`chain`: link the Tab order now; `set_value` links it
        once after all its rows, instead of relinking every cell after each row)."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        widgets = []
        for i, col in enumerate(self.columns):
            w = cell_widget(col)
            if values is not None:
                w.set_value(values.get(col.id))
            w.changed.connect(self.changed)
            self.table.setCellWidget(row, i, w)
            widgets.append(w)
        self.table.setRowHeight(row, 34)
        self.cells.append(widgets)
        if chain:
            self._chain_tab_order()

    COMPACT_TYPES = ("yesno", "date", "number")
    """Columns as wide as their field needs; the others share what is left."""

    def _field_width(self, index: int) -> int:
        """The width a compact column's field needs (measured on a cell, or a sample one)."""
        known = self._field_widths.get(index)
        if known is not None:
            return known
        widgets = [row[index] for row in self.cells[:1]]
        sample = widgets[0] if widgets else cell_widget(self.columns[index])
        width = sample.sizeHint().width()
        if isinstance(sample, DateAnswer):  # room for the date (or placeholder), clear button, calendar
            width = sample.editor.minimumWidth() + sample.calendar_button.sizeHint().width() + 6
        if not widgets:
            sample.deleteLater()
        self._field_widths[index] = width
        return width

    def fit_columns(self) -> None:
        """Every column in view at the table's width, no sideways scrolling at 1024×600: compact
        columns (yes/no, date, number) get what their field and wrapped title need, text and
        drop-down columns share the rest. Titles wrap (WrappingHeader). Only when even the
        narrowest layout does not fit does the grid scroll sideways."""
        available = self.table.viewport().width()
        if available <= 0 or not self.columns:
            return
        compact = {
            i: max(self._field_width(i), self.header.min_width(i))
            for i, c in enumerate(self.columns)
            if c.type in self.COMPACT_TYPES
        }
        flexible = [i for i in range(len(self.columns)) if i not in compact]
        if not flexible:
            flexible = list(compact)
            compact = {}
        rest = available - sum(compact.values())
        share = max(rest // len(flexible), max(self.header.min_width(i) for i in flexible), 60)
        for i, width in compact.items():
            self.table.setColumnWidth(i, width)
        for n, i in enumerate(flexible):
            extra = (
                rest - share * len(flexible) if n == len(flexible) - 1 and rest > share * len(flexible) else 0
            )
            self.table.setColumnWidth(i, share + extra)

    def _chain_tab_order(self) -> None:
        """Tab goes cell by cell, row after row (cell widgets otherwise join the focus chain in
        the order they were reparented, after the rest of the page)."""
        targets = [w.focus_target() for row in self.cells for w in row]
        chain = [t for t in targets if t is not None]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _add_clicked(self) -> None:
        self.add_row()
        self.changed.emit()
        self.focus_cell(len(self.cells) - 1, 0)  # the user adds a row to type into it

    def focus_cell(self, row: int, column: int) -> None:
        """Put the keyboard focus in a cell's editor and scroll the grid to it."""
        target = self.cells[row][column].focus_target()
        self.table.setCurrentCell(row, column)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def tab_between_cells(self, forward: bool) -> bool:
        """Tab from a cell's editor: the next cell (row by row), after the last one the Add row
        button; Shift+Tab back. False when the focus is not in a cell (Qt then does its own)."""
        focused = QApplication.focusWidget()
        width = len(self.columns)
        flat = [w for row in self.cells for w in row]
        here = next(
            (
                i
                for i, w in enumerate(flat)
                if focused is not None and (w is focused or w.isAncestorOf(focused))
            ),
            None,
        )
        if here is None or width == 0:
            return False
        there = here + (1 if forward else -1)
        if there >= len(flat):
            self.add_button.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if there < 0:
            return False
        self.focus_cell(there // width, there % width)
        return True

    def _remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for r in rows:
            self.table.removeRow(r)
            del self.cells[r]
        if rows:
            self.changed.emit()

    def value(self) -> list[dict[str, Any]] | None:
        out = []
        for widgets in self.cells:
            row = {c.id: w.value() for c, w in zip(self.columns, widgets, strict=True)}
            row = {k: v for k, v in row.items() if v is not None}
            if row:
                out.append(row)
        return out or None

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        self.cells.clear()
        for row in value or []:
            if isinstance(row, dict):
                self.add_row(row, chain=False)
        self._chain_tab_order()

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        for widgets in self.cells:
            for w in widgets:
                w.set_read_only(read_only)


def answer_widget(q: Question, treatment_table: str = "") -> AnswerWidget:
    """The editor of one question; `treatment_table` is the form's treatment table (its rows pick
    the gap or risk they treat from a list)."""
    if q.type == "text":
        return TextAnswer(multiline=q.multiline)
    if q.type == "single":
        return SingleAnswer(q)
    if q.type == "multi":
        return MultiAnswer(q)
    if q.type == "yesno":
        return YesNoAnswer()
    if q.type == "number":
        return NumberAnswer()
    if q.type == "date":
        return DateAnswer()
    if q.type == "table":
        if len(q.columns) > GRID_COLUMN_LIMIT:
            return RecordTableAnswer(q, picks_refs=bool(treatment_table) and q.id == treatment_table)
        return TableAnswer(q)
    raise ValueError(f"no widget for answer type {q.type}")


class RecordTableAnswer(AnswerWidget):
    """A table with many columns, edited one row at a time: the rows listed on top (with Add and
    Remove beside them), the chosen row's fields below as a labelled form the full width of the
    page. Used where a grid would need scrolling sideways (data map, risk items with four
    dimensions and four factors, treatment plan).

    The form is as tall as its fields and scrolls with the page: an inner scroll area was ~130 px
    tall at 1024×600, took the wheel from the page and gave two scroll bars (QA #11). Below the
    form, "previous row" / "next row" / "add row" keep the user at the form, which can be longer
    than the screen; each brings the form's top into view."""

    LIST_ROWS_SHOWN = (3, 8)
    """The row list is as tall as its rows within these bounds (more rows: it scrolls)."""

    def __init__(self, question: Question, parent: QWidget | None = None, picks_refs: bool = False) -> None:
        from PySide6.QtWidgets import QFormLayout, QFrame, QListWidget

        super().__init__(parent)
        self.question = question
        self.columns = list(question.columns)
        self.rows: list[dict[str, Any]] = []
        self.current = -1
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.row_list = QListWidget(self)
        self.row_list.setAccessibleName(pick(question.label))
        # Long titles are elided (full text as tooltip), not scrolled sideways: a horizontal
        # scroll bar hid the last row of the list at 1024×600.
        self.row_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.row_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.row_list.currentRowChanged.connect(self._select)
        top.addWidget(self.row_list, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton(t("ui.table.add_row"), self)
        self.remove_button = QPushButton(t("ui.table.remove_row"), self)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove_clicked)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        lay.addLayout(top)
        self.detail = QFrame(self)
        self.detail.setObjectName("record_detail")
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        detail_lay = QVBoxLayout(self.detail)
        self.detail_title = QLabel(self.detail)
        self.detail_title.setObjectName("record_detail_title")
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_title.setStyleSheet("font-weight: bold;")
        detail_lay.addWidget(self.detail_title)
        self.fields = QWidget(self.detail)
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Labels above their fields: the page is narrow on a 1024-pixel screen.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.editors: dict[str, AnswerWidget] = {}
        self._pickers: dict[str, PickMenu] = {}
        for col in self.columns:
            if picks_refs and col.id == REF_COLUMN:
                editor: AnswerWidget = RefPicker()
            else:
                # the form has room: check boxes, and "Calendar…" rather than a grid cell's "▾"
                if col.type == "multi":
                    editor = MultiAnswer(col)
                elif col.type == "date":
                    editor = DateAnswer()
                else:
                    editor = cell_widget(col)
            editor.changed.connect(lambda cid=col.id: self._edited(cid))
            label = QLabel(pick(col.label), self.fields)
            label.setWordWrap(True)
            if col.help:
                label.setToolTip(pick(col.help))
                editor.setToolTip(pick(col.help))
            form.addRow(label, editor)
            target = editor.focus_target()
            if isinstance(target, QLineEdit | QComboBox | QPlainTextEdit):
                # the label names its field for screen readers (option boxes have their own)
                label.setBuddy(target)
                target.setAccessibleName(pick(col.label))
            self.editors[col.id] = editor
        detail_lay.addWidget(self.fields)
        nav = QHBoxLayout()
        self.prev_button = QPushButton(t("ui.table.prev_row"), self.detail)
        self.next_button = QPushButton(t("ui.table.next_row"), self.detail)
        self.add_below_button = QPushButton(t("ui.table.add_row"), self.detail)
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.add_below_button.clicked.connect(self._add_clicked)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(self.add_below_button)
        detail_lay.addLayout(nav)
        lay.addWidget(self.detail)
        self._refresh_enabled()

    def _fit_list(self) -> None:
        """The row list as tall as its rows (3 to 8 shown), so it needs no scroll bar of its own
        for the usual handful of risk items or measures."""
        low, high = self.LIST_ROWS_SHOWN
        shown = min(max(self.row_list.count(), low), high)
        row_height = self.row_list.sizeHintForRow(0) if self.row_list.count() else 0
        row_height = max(row_height, self.row_list.fontMetrics().height() + 4)
        frame = 2 * self.row_list.frameWidth()
        self.row_list.setFixedHeight(shown * row_height + frame + 2)

    def _step(self, delta: int) -> None:
        """Previous/next row from the buttons under the form: select it and show the form's top."""
        target = self.current + delta
        if 0 <= target < len(self.rows):
            self.row_list.setCurrentRow(target)
            self._show_form_top()

    def _show_form_top(self) -> None:
        """Scroll the page (the nearest scroll area) so the row's title and first field show, and
        put the keyboard in the first field: the user moved to a row to edit it."""
        from PySide6.QtCore import QTimer

        self._scroll_to_form()
        # A row added or removed resizes the list above the form; the page is laid out again
        # only in later rounds of the event loop: scroll again while its height settles.
        area = self._page_area()
        if area is not None:
            bar = area.verticalScrollBar()

            def again(_low: int, _high: int) -> None:
                self._scroll_to_form()

            bar.rangeChanged.connect(again)
            QTimer.singleShot(300, bar, lambda: bar.rangeChanged.disconnect(again))
        QTimer.singleShot(0, self, self._scroll_to_form)
        first = next(iter(self.editors.values()), None)
        target = first.focus_target() if first is not None else None
        if target is not None and target.isEnabled():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_area(self) -> QScrollArea | None:
        """The page's scroll area (the nearest above this table), if any."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent if isinstance(parent, QScrollArea) else None

    def _scroll_to_form(self) -> None:
        area = self._page_area()
        content = area.widget() if area is not None else None
        if area is not None and content is not None:
            top = self.detail.mapTo(content, self.detail.rect().topLeft()).y()
            area.verticalScrollBar().setValue(max(0, top - 6))

    def _row_title(self, i: int) -> str:
        """ "3. D-05 · the measure…": the gap or risk a row names (as the picker shows it), then its
        required texts (or its first text)."""
        row = self.rows[i]
        parts = []
        for col_id, editor in self.editors.items():
            if isinstance(editor, RefPicker) and row.get(col_id):
                ref = str(row[col_id])
                parts.append(editor.known.get(ref, ref))
        texts = [
            c
            for c in self.columns
            if c.type == "text" and row.get(c.id) and not isinstance(self.editors.get(c.id), RefPicker)
        ]
        # The required texts name a row ("R1 · deepfake impersonation", "P1 · enrolment"); a row
        # without them shows its first text.
        naming = [c for c in texts if c.required][:2] or texts[:1]
        parts.extend(str(row[c.id])[:40] for c in naming)
        return f"{i + 1}. " + " · ".join(parts) if parts else f"{i + 1}."

    def _refresh_list(self) -> None:
        self.row_list.blockSignals(True)
        self.row_list.clear()
        for i in range(len(self.rows)):
            title = self._row_title(i)
            self.row_list.addItem(title)
            item = self.row_list.item(i)
            if item is not None:
                item.setToolTip(title)
        self.row_list.setCurrentRow(self.current)
        self.row_list.blockSignals(False)
        self._fit_list()

    def _refresh_enabled(self) -> None:
        has = 0 <= self.current < len(self.rows)
        read_only = getattr(self, "_read_only", False)
        self.fields.setEnabled(has and not read_only)
        self.remove_button.setEnabled(has and not read_only)
        self.add_below_button.setEnabled(not read_only)
        self.prev_button.setEnabled(has and self.current > 0)
        self.next_button.setEnabled(has and self.current < len(self.rows) - 1)
        self.detail_title.setText(
            t("ui.table.editing_row", row=self._row_title(self.current)) if has else t("ui.table.no_row")
        )

    def _select(self, index: int) -> None:
        self.current = index
        row = self.rows[index] if 0 <= index < len(self.rows) else {}
        for cid, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(row.get(cid))
            editor.blockSignals(False)
        self._refresh_enabled()

    def _edited(self, col_id: str) -> None:
        if not 0 <= self.current < len(self.rows):
            return
        value = self.editors[col_id].value()
        row = self.rows[self.current]
        if value is None:
            row.pop(col_id, None)
        else:
            row[col_id] = value
        item = self.row_list.item(self.current)
        if item is not None:
            item.setText(self._row_title(self.current))
            item.setToolTip(item.text())
        self.detail_title.setText(t("ui.table.editing_row", row=self._row_title(self.current)))
        self.changed.emit()

    def add_row(self, values: dict[str, Any] | None = None) -> None:
        self.rows.append(dict(values or {}))
        self.current = len(self.rows) - 1
        self._refresh_list()
        self._select(self.current)

    def _add_clicked(self) -> None:
        self.add_row()
        self.changed.emit()
        self._show_form_top()  # the user adds a row to type into it

    def _remove_clicked(self) -> None:
        if 0 <= self.current < len(self.rows):
            del self.rows[self.current]
            self.current = min(self.current, len(self.rows) - 1)
            self._refresh_list()
            self._select(self.current)
            self.changed.emit()

    def select_row(self, index: int) -> None:
        self.row_list.setCurrentRow(index)

    def set_pick_choices(self, columns: dict[str, tuple[str, list[tuple[str, str]]]]) -> None:
        """Offer a list beside text columns that name something else (form.yaml roles.pickers):
        column id → (source, [(code, label)]). "gaps" adds the picked number to the field's
        comma-separated list, other sources replace the text. The value stays text (QA walk 2
        #8: the activity and the linked gaps had to be typed from memory)."""
        for col_id, (source, choices) in columns.items():
            editor = self.editors.get(col_id)
            if isinstance(editor, TextAnswer) and isinstance(editor.editor, QLineEdit):
                picker = self._pickers.get(col_id)
                if picker is None:
                    picker = PickMenu(editor.editor, append=source == "gaps")
                    self._pickers[col_id] = picker
                picker.choices = list(choices)

    def set_ref_choices(self, choices: list[tuple[str, str]], known: dict[str, str] | None = None) -> None:
        """Offer these (code, label) pairs in the columns that name a gap or risk."""
        changed = False
        for editor in self.editors.values():
            if isinstance(editor, RefPicker):
                editor.blockSignals(True)
                changed = editor.set_choices(choices, known) or changed
                editor.blockSignals(False)
        if changed:
            self._refresh_list()

    def value(self) -> list[dict[str, Any]] | None:
        rows = [dict(r) for r in self.rows if r]
        return rows or None

    def set_value(self, value: Any) -> None:
        """Show `value`; on an undo or redo, the row that changed stays (or becomes) the one shown,
        not the first row."""
        old = self.rows
        self.rows = [dict(r) for r in (value or []) if isinstance(r, dict)]
        changed = next((i for i, (a, b) in enumerate(zip(old, self.rows, strict=False)) if a != b), None)
        if changed is None and len(old) != len(self.rows) and old:
            changed = min(len(old), len(self.rows)) - (1 if len(self.rows) < len(old) else 0)
        if changed is not None and 0 <= changed < len(self.rows):
            self.current = changed
        elif not 0 <= self.current < len(self.rows):
            self.current = 0 if self.rows else -1
        self._refresh_list()
        self._select(self.current)
        if changed is not None and self.isVisible():
            from PySide6.QtCore import QTimer

            # after the editor has shown the question: the changed row's form, not the list
            QTimer.singleShot(0, self, self._scroll_to_form)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setEnabled(not read_only)
        self._refresh_enabled()
