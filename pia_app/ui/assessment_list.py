"""The list of assessments as a Qt model, with search and filters.

Rows are painted on demand. What the engine says about a row (overall risk, open gaps by severity,
completeness, whether the filing is overdue) needs that row's answers graded, a few milliseconds
each: it is computed for the rows the view paints, and for the rest in small slices while the
application is idle, so the list appears at once even with 10,000 assessments and the risk filter
fills in as the slices complete. Searching looks only at titles and is instant.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
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
        self.today = dt.date.today()
        self.filler = QTimer(self)
        self.filler.setInterval(0)
        self.filler.timeout.connect(self._fill_slice)
        self.on_filled: Callable[[], None] | None = None

    def set_rows(self, rows: list[AssessmentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.today = dt.date.today()
        self.endResetModel()
        self._pending = [r.id for r in rows if not self._cached(r)]
        if self.facts_provider is not None and self._pending:
            self.filler.start()

    def update_summary(self, summary: AssessmentSummary) -> None:
        """Replace one row (after a save) without resetting the model."""
        row = self.row_of(summary.id)
        if row < 0:
            return
        self.rows[row] = summary
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

    def _fill_slice(self) -> None:
        start = time.perf_counter()
        by_id = {r.id: r for r in self.rows} if self._pending else {}
        while self._pending and (time.perf_counter() - start) * 1000 < SLICE_MS:
            r = by_id.get(self._pending.pop())
            if r is not None:
                self.facts(r)
        if not self._pending:
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
        self.filler.stop()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == self.SummaryRole:
            return r
        if role == self.FactsRole:
            return self.facts(r)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.REVIEW:
            facts = self.facts(r)
            if facts is not None and facts.filing_overdue:
                return t("ui.list.filing_overdue", date=facts.filing_due)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(r, col)
        if role == Qt.ItemDataRole.BackgroundRole and self._overdue(r):
            return QBrush(QColor("#fdecea"))
        if role == Qt.ItemDataRole.FontRole and col in (self.STATUS, self.REVIEW) and self._overdue(r):
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
        facts = self.facts(r)
        if col == self.REVIEW:
            if facts is not None and facts.filing_overdue:
                return t("ui.list.filing_overdue_short")
            return r.next_review or ""
        if facts is None:
            return ""
        if col == self.RISK:
            return facts.overall_label or "–"
        if col == self.FINDINGS:
            return facts.findings_text()
        return facts.completeness_text()

    def _foreground(self, r: AssessmentSummary, col: int) -> QBrush | None:
        if col == self.RISK:
            facts = self.facts(r)
            if facts is not None and facts.overall in LEVEL_COLOURS:
                return QBrush(QColor(LEVEL_COLOURS[facts.overall]))
        if col == self.FINDINGS:
            facts = self.facts(r)
            worst = next((s for s in ("S1", "S2", "S3", "S4") if facts and facts.severities.get(s)), None)
            if worst is not None:
                return QBrush(QColor(SEVERITY_COLOURS[worst]))
        if col in (self.STATUS, self.REVIEW) and self._overdue(r):
            return QBrush(QColor("#b71c1c"))
        return None

    def row_of(self, assessment_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == assessment_id), -1)


ALL = ""
NOT_RATED = 0


class AssessmentFilter(QSortFilterProxyModel):
    """Search titles as you type; filter by status (incl. due for re-review) and overall risk."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ALL
        self.risk: int | None = None
        """None = any; NOT_RATED = no overall risk yet; 1..4 = that level."""

    def source(self) -> AssessmentListModel:
        model = self.sourceModel()
        assert isinstance(model, AssessmentListModel)
        return model

    def set_text(self, text: str) -> None:
        self.refilter(lambda: setattr(self, "text", text.strip().casefold()))

    def set_status(self, status: str) -> None:
        self.refilter(lambda: setattr(self, "status", status))

    def set_risk(self, risk: int | None) -> None:
        self.refilter(lambda: setattr(self, "risk", risk))

    def refilter(self, change: Callable[[], None] | None = None) -> None:
        """Apply a filter change (Qt 6.10 brackets it; older Qt re-runs the filter after)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            if change is not None:
                change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt < 6.10
            if change is not None:
                change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.source()
        r = model.rows[source_row]
        if self.text and self.text not in (r.title or "").casefold():
            return False
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
    try:
        when = dt.datetime.strptime(utc_iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return utc_iso
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
