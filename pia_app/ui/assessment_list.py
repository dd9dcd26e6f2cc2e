"""The list of assessments as a Qt model, with search and filters.

Rows are painted on demand. What the engine says about a row (overall risk, open gaps by severity,
completeness, whether the filing is overdue) needs that row's answers graded, a few milliseconds
each: it is computed in small slices while the application is idle, the rows the view paints
first, so the list appears at once even with 10,000 assessments (painting never grades: a row not
graded yet shows "…" for a moment) and the risk filter fills in as the slices complete. Searching
looks only at titles, folded once per list, and is instant.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont

from pia_app.i18n import t
from pia_app.store.repository import AssessmentSummary

Index = QModelIndex | QPersistentModelIndex

LEVEL_COLOURS = {1: "#2e7d32", 2: "#8d6e00", 3: "#e65100", 4: "#b71c1c"}
"""Overall risk low..severe: green, amber, orange, red (the report's heat-map colours)."""
SEVERITY_COLOURS = {"S1": "#b71c1c", "S2": "#e65100", "S3": "#8d6e00", "S4": "#455a64"}
SLICE_MS = 15
FIRST_SLICE_DELAY_MS = 200
"""After new rows arrive, grading waits for the list's first paint (or this long, if unseen)."""
TYPING_PAUSE_MS = 300
"""Idle grading waits this long after a search keystroke, so the next keystroke never queues
behind a slice (issue 12)."""
"""How long one idle slice may grade rows before the event loop gets control back."""


@dataclass(frozen=True)
class RowFacts:
    """What the engine says about one assessment's current revision, for the list."""

    overall: int | None = None
    overall_label: str = ""
    severities: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    required: int = 0
    filing_overdue: bool = False
    filing_due: str = ""

    @property
    def open_findings(self) -> int:
        return sum(self.severities.values())

    def findings_text(self) -> str:
        return " ".join(f"{s}×{n}" for s, n in sorted(self.severities.items()) if n) or "–"

    def completeness_text(self) -> str:
        if not self.required:
            return "–"
        return f"{round(100 * self.answered / self.required)}%"


FactsProvider = Callable[[AssessmentSummary], RowFacts]


class AssessmentListModel(QAbstractTableModel):
    TITLE, STATUS, RISK, FINDINGS, COMPLETE, REVIEW, REVISION, MODIFIED = range(8)
    HEADERS = (
        "ui.list.title",
        "ui.list.status",
        "ui.list.risk",
        "ui.list.findings",
        "ui.list.complete",
        "ui.list.next_review",
        "ui.list.revision",
        "ui.list.modified",
    )
    FACT_COLUMNS = (RISK, FINDINGS, COMPLETE, REVIEW)
    FactsRole = Qt.ItemDataRole.UserRole + 1
    SummaryRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, facts: FactsProvider | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AssessmentSummary] = []
        self.facts_provider = facts
        self._facts: dict[int, tuple[str, RowFacts]] = {}
        self._pending: list[int] = []
        self._urgent: dict[int, None] = {}
        """Rows painted before they were graded: graded first, then repainted (issue 12)."""
        self._row_of: dict[int, int] = {}
        self._folded: list[str] | None = None
        self.today = dt.date.today()
        self.filler = QTimer(self)
        self.filler.setInterval(0)
        self.filler.timeout.connect(self._fill_slice)
        self.resume = QTimer(self)
        self.resume.setSingleShot(True)
        self.resume.setInterval(TYPING_PAUSE_MS)
        self.resume.timeout.connect(self._resume_filling)
        self.on_filled: Callable[[], None] | None = None

    def set_rows(self, rows: list[AssessmentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.today = dt.date.today()
        self._urgent = {}
        self._row_of = {r.id: i for i, r in enumerate(rows)}
        self._folded = None
        self.endResetModel()
        self._pending = [r.id for r in rows if not self._cached(r)]
        if self.facts_provider is not None and self._pending:
            # Not before the list is first painted (issue 12): painting queues its rows and
            # starts the grading at once; unpainted lists start after a moment.
            self.filler.start(FIRST_SLICE_DELAY_MS)

    def update_summary(self, summary: AssessmentSummary) -> None:
        """Replace one row (after a save) without resetting the model."""
        row = self.row_of(summary.id)
        if row < 0:
            return
        self.rows[row] = summary
        self._folded = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _cached(self, r: AssessmentSummary) -> RowFacts | None:
        hit = self._facts.get(r.id)
        return hit[1] if hit is not None and hit[0] == r.updated_at else None

    def facts(self, r: AssessmentSummary) -> RowFacts | None:
        """The row's facts, graded now if not cached (None without a provider)."""
        if self.facts_provider is None:
            return None
        hit = self._cached(r)
        if hit is None:
            hit = self.facts_provider(r)
            self._facts[r.id] = (r.updated_at, hit)
        return hit

    def facts_ready(self, r: AssessmentSummary) -> RowFacts | None:
        """The row's facts only if already graded (filters never grade 10,000 rows at once)."""
        return self._cached(r)

    def _paint_facts(self, r: AssessmentSummary) -> RowFacts | None:
        """Facts for painting: cached, or None with the row queued first for the next idle slice
        (grading ~20 visible rows inside a paint froze start-up and every search keystroke)."""
        if self.facts_provider is None:
            return None
        hit = self._cached(r)
        if hit is None and r.id not in self._urgent:
            self._urgent[r.id] = None
            waiting = not self.filler.isActive() or self.filler.interval() > 0
            if waiting and not self.resume.isActive():
                self.filler.start(0)
        return hit

    def pause_filling(self) -> None:
        """The user is typing: give the event loop to the keystrokes for a moment."""
        if self.filler.isActive() or self.resume.isActive():
            self.filler.stop()
            self.resume.start()

    def _resume_filling(self) -> None:
        if self._urgent or self._pending:
            self.filler.start()

    def folded_titles(self) -> list[str]:
        """Every row's title, case-folded once per list (search compares against these)."""
        if self._folded is None:
            self._folded = [(r.title or "").casefold() for r in self.rows]
        return self._folded

    def _row_summary(self, assessment_id: int) -> tuple[int, AssessmentSummary] | None:
        row = self._row_of.get(assessment_id, -1)
        if 0 <= row < len(self.rows) and self.rows[row].id == assessment_id:
            return row, self.rows[row]
        row = self.row_of(assessment_id)
        return (row, self.rows[row]) if row >= 0 else None

    def _fill_slice(self) -> None:
        self.filler.setInterval(0)  # after a delayed first slice, at full pace
        start = time.perf_counter()
        while self._urgent and (time.perf_counter() - start) * 1000 < SLICE_MS:
            aid = next(iter(self._urgent))
            del self._urgent[aid]
            found = self._row_summary(aid)
            if found is not None:
                self.facts(found[1])
                self.dataChanged.emit(self.index(found[0], self.RISK), self.index(found[0], self.REVIEW))
        while self._pending and (time.perf_counter() - start) * 1000 < SLICE_MS:
            found = self._row_summary(self._pending.pop())
            if found is not None:
                self.facts(found[1])
        if not self._pending and not self._urgent:
            self.filler.stop()
            if self.rows:
                self.dataChanged.emit(self.index(0, self.RISK), self.index(len(self.rows) - 1, self.REVIEW))
            if self.on_filled is not None:
                self.on_filled()

    def fill_all(self) -> None:
        """Grade every row now (tests; `make screenshots`)."""
        for r in self.rows:
            self.facts(r)
        self._pending.clear()
        self._urgent.clear()
        self.filler.stop()
        self.resume.stop()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        # Qt asks every painted cell for a dozen roles: the ones never answered go back at once,
        # compared as plain ints (looking up Qt's enums cost more than the answer; issue 12).
        if role not in _ROLES:
            return None
        row = index.row()
        if row < 0:
            return None
        r = self.rows[row]
        col = index.column()
        if role == _DISPLAY:
            return self._text(r, col)
        if role == _USER:
            return r.id
        if role == _SUMMARY:
            return r
        if role == _FACTS:
            return self.facts(r)
        if role == _TOOLTIP and col == self.REVIEW:
            facts = self.facts(r)
            if facts is not None and facts.filing_overdue:
                return t("ui.list.filing_overdue", date=facts.filing_due)
            return None
        if role == _FOREGROUND:
            return self._foreground(r, col)
        if role == _BACKGROUND and self._overdue(r):
            return QBrush(QColor("#fdecea"))
        if role == _FONT and col in (self.STATUS, self.REVIEW) and self._overdue(r):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _overdue(self, r: AssessmentSummary) -> bool:
        if r.due_for_review(self.today):
            return True
        facts = self._cached(r)
        return facts is not None and facts.filing_overdue

    def _text(self, r: AssessmentSummary, col: int) -> str:
        if col == self.TITLE:
            return r.title or t("ui.untitled")
        if col == self.STATUS:
            label = t("status." + r.display_status(self.today))
            return label + (" · " + t("ui.list.archived") if r.archived else "")
        if col == self.REVISION:
            return str(r.current_revision)
        if col == self.MODIFIED:
            return local_time(r.updated_at)
        facts = self._paint_facts(r)
        if col == self.REVIEW:
            if facts is not None and facts.filing_overdue:
                return t("ui.list.filing_overdue_short")
            return r.next_review or ""
        if facts is None:
            return "…" if self.facts_provider is not None else ""
        if col == self.RISK:
            return facts.overall_label or "–"
        if col == self.FINDINGS:
            return facts.findings_text()
        return facts.completeness_text()

    def _foreground(self, r: AssessmentSummary, col: int) -> QBrush | None:
        if col == self.RISK:
            facts = self._paint_facts(r)
            if facts is not None and facts.overall in LEVEL_COLOURS:
                return QBrush(QColor(LEVEL_COLOURS[facts.overall]))
        if col == self.FINDINGS:
            facts = self._paint_facts(r)
            worst = next((s for s in ("S1", "S2", "S3", "S4") if facts and facts.severities.get(s)), None)
            if worst is not None:
                return QBrush(QColor(SEVERITY_COLOURS[worst]))
        if col in (self.STATUS, self.REVIEW) and self._overdue(r):
            return QBrush(QColor("#b71c1c"))
        return None

    def row_of(self, assessment_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == assessment_id), -1)


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_SUMMARY = int(AssessmentListModel.SummaryRole)
_FACTS = int(AssessmentListModel.FactsRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ROLES = frozenset({_DISPLAY, _USER, _SUMMARY, _FACTS, _TOOLTIP, _FOREGROUND, _BACKGROUND, _FONT})
"""The roles `AssessmentListModel.data` answers."""

ALL = ""
NOT_RATED = 0
MAX_INCREMENTAL_RUNS = 64
"""Above this many runs of rows shown or hidden by one filter change, the proxy is re-laid out
at once instead of row range by row range (issue 12: 10,000 rows, every third one matching)."""


def _runs_changed(before: list[bool] | None, after: list[bool]) -> int:
    """How many runs of consecutive rows change between two filter results (all: unknown)."""
    if before is None or len(before) != len(after):
        return len(after)
    runs = 0
    previous = False
    for old, new in zip(before, after, strict=True):
        changed = old != new
        if changed and not previous:
            runs += 1
        previous = changed
    return runs


class AssessmentFilter(QSortFilterProxyModel):
    """Search titles as you type; filter by status (incl. due for re-review) and overall risk."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ALL
        self.risk: int | None = None
        """None = any; NOT_RATED = no overall risk yet; 1..4 = that level."""
        self._bulk: list[bool] | None = None
        """During a filter change, every row's answer worked out in one pass (issue 12: one
        Python call per row from Qt cost ~10 ms a keystroke over 10,000 rows)."""
        self._shown: list[bool] | None = None
        """The rows the proxy shows, as of the last filter change (None once the source changed):
        a keystroke that shows the same rows (the first letters of a search) changes nothing."""

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        super().setSourceModel(model)
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
            model.layoutChanged,
        ):
            signal.connect(self._forget_shown)

    def _forget_shown(self, *_args: object) -> None:
        self._shown = None

    def source(self) -> AssessmentListModel:
        model = self.sourceModel()
        assert isinstance(model, AssessmentListModel)
        return model

    def set_text(self, text: str) -> None:
        self.source().pause_filling()
        self.refilter(lambda: setattr(self, "text", text.strip().casefold()))

    def set_status(self, status: str) -> None:
        self.refilter(lambda: setattr(self, "status", status))

    def set_risk(self, risk: int | None) -> None:
        self.refilter(lambda: setattr(self, "risk", risk))

    def refilter(self, change: Callable[[], None] | None = None) -> None:
        """Apply a filter change (Qt 6.10 brackets it; older Qt re-runs the filter after)."""
        before = (self.text, self.status, self.risk)
        if change is not None:
            change()
        shown = self._accepted_rows()
        if shown == self._shown:
            return  # the same rows: nothing for Qt to redo
        if _runs_changed(self._shown, shown) > MAX_INCREMENTAL_RUNS:
            # Thousands of scattered rows in or out: one layout change costs Qt less than a
            # removal signal per run of rows (the selection is kept through it).
            try:
                self._bulk = shown
                self.invalidate()
            finally:
                self._bulk = None
            self._shown = shown
            return
        self.text, self.status, self.risk = before
        try:
            if hasattr(self, "beginFilterChange"):
                self.beginFilterChange()
                if change is not None:
                    change()
                self._bulk = shown
                self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            else:  # pragma: no cover - Qt < 6.10
                if change is not None:
                    change()
                self._bulk = shown
                self.invalidateFilter()
        finally:
            self._bulk = None
        self._shown = shown

    def _accepted_rows(self) -> list[bool]:
        model = self.source()
        if self.text:
            text = self.text
            return [
                text in title and self._accepts(model, i) for i, title in enumerate(model.folded_titles())
            ]
        return [self._accepts(model, i) for i in range(len(model.rows))]

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        bulk = self._bulk
        if bulk is not None and source_row < len(bulk):
            return bulk[source_row]
        model = self.source()
        if self.text and self.text not in model.folded_titles()[source_row]:
            return False
        return self._accepts(model, source_row)

    def _accepts(self, model: AssessmentListModel, source_row: int) -> bool:
        """Status and risk filters (the title test is done by the caller)."""
        if not self.status and self.risk is None:
            return True
        r = model.rows[source_row]
        if self.status and r.display_status(model.today) != self.status:
            return False
        if self.risk is not None:
            facts = model.facts_ready(r)
            if facts is None:
                return False
            if (facts.overall or NOT_RATED) != self.risk:
                return False
        return True


def local_time(utc_iso: str) -> str:
    # fromisoformat is 30x faster than strptime; the same input is accepted (date, "T", time).
    if len(utc_iso) < 19 or utc_iso[10] != "T":
        return utc_iso
    try:
        when = dt.datetime.fromisoformat(utc_iso[:19]).replace(tzinfo=dt.UTC)
    except ValueError:
        return utc_iso
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
