"""The risk page's live overview: GB/T 39335 table D.5 as a 4×4 heat map with every risk item
placed by its graded impact and likelihood, and per item the computed level, the adjustments as
the engine applied them, open problems and the residual level after treatment.

The residual risk is placed too, but not in the matrix: the form asks for the residual *level*
after treatment (l_risks' and m_treatments' residual_level columns, GB/T 39335 5.8), not for a
residual impact and likelihood, and a level alone does not name one cell of D.5 (中 is four
cells). So a strip under the matrix places every item by its residual level, and items whose
residual level is not given yet are listed as such, instead of being put in a cell we would
have to guess.

Everything shown comes from the engine's grading (`Grading.risk`) and the form's risk model; this
widget only lays it out.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from pia_app.engine.risk import (
    RiskGrade,
    RiskItemGrade,
    describe_problem,
    level_label,
    likelihood_label,
    matrix_level,
    risk_model,
)
from pia_app.forms.schema import Form
from pia_app.i18n import current_language, pick, t

CELL_COLOURS = {1: "#c8e6c9", 2: "#fff59d", 3: "#ffcc80", 4: "#ef9a9a"}
"""Matrix levels low..severe as cell backgrounds (light, so the item ids stay readable)."""


class RiskPanel(QFrame):
    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.model = risk_model(form)
        self.setObjectName("risk_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        title = QLabel(f"<b>{escape(t('ui.risk.heat_map'))}</b>", self)
        title.setWordWrap(True)  # one line was 544 px: wider than the page at 1024×600 in English
        lay.addWidget(title)
        grid_box = QWidget(self)
        self.grid = QGridLayout(grid_box)
        self.grid.setSpacing(2)
        self.grid.setContentsMargins(0, 0, 0, 0)
        lang = current_language()
        corner = QLabel(t("ui.risk.axes"), grid_box)
        corner.setWordWrap(True)
        corner.setStyleSheet("color: #555; font-size: 85%;")
        self.grid.addWidget(corner, 0, 0)
        for lik in range(1, 5):
            head = QLabel(likelihood_label(form, lik, lang), grid_box)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(head, 0, lik)
        self.cells: dict[tuple[int, int], QLabel] = {}
        for impact in range(4, 0, -1):
            row = 5 - impact
            head = QLabel(level_label(form, impact, lang), grid_box)
            self.grid.addWidget(head, row, 0)
            for lik in range(1, 5):
                level = matrix_level(self.model, impact, lik) or 1
                cell = _level_cell(grid_box, f"cell_{impact}_{lik}", level, 34)
                cell.setToolTip(level_label(form, level, lang))
                self.grid.addWidget(cell, row, lik)
                self.cells[(impact, lik)] = cell
        lay.addWidget(grid_box)
        residual_title = QLabel(t("ui.risk.residual_strip"), self)
        residual_title.setWordWrap(True)
        residual_title.setStyleSheet("color: #555; font-size: 85%;")
        lay.addWidget(residual_title)
        strip = QWidget(self)
        strip_lay = QGridLayout(strip)
        strip_lay.setSpacing(2)
        strip_lay.setContentsMargins(0, 0, 0, 0)
        self.residual_cells: dict[int, QLabel] = {}
        for level in range(1, 5):
            name = QLabel(level_label(form, level, lang), strip)
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            strip_lay.addWidget(name, 0, level - 1)
            cell = _level_cell(strip, f"residual_{level}", level, 28)
            strip_lay.addWidget(cell, 1, level - 1)
            self.residual_cells[level] = cell
        lay.addWidget(strip)
        self.residual_missing = QLabel(self)
        self.residual_missing.setWordWrap(True)
        self.residual_missing.setStyleSheet("color: #555;")
        lay.addWidget(self.residual_missing)
        self.items_label = QLabel(self)
        self.items_label.setWordWrap(True)
        self.items_label.setTextFormat(Qt.TextFormat.RichText)
        self.items_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.items_label)

    def show_grade(self, grade: RiskGrade) -> None:
        placed: dict[tuple[int, int], list[str]] = {}
        for item in grade.items:
            if item.impact is not None and item.likelihood is not None:
                placed.setdefault((item.impact, item.likelihood), []).append(item.risk_id or "?")
        for key, cell in self.cells.items():
            cell.setText(" ".join(placed.get(key, [])))
        residual: dict[int, list[str]] = {}
        missing: list[str] = []
        for item in grade.items:
            if item.residual_level is not None:
                residual.setdefault(item.residual_level, []).append(item.risk_id or "?")
            elif item.level is not None:
                missing.append(item.risk_id or "?")
        for level, cell in self.residual_cells.items():
            cell.setText(" ".join(residual.get(level, [])))
        self.residual_missing.setText(
            t("ui.risk.residual_missing", items=" ".join(missing)) if missing else ""
        )
        self.residual_missing.setVisible(bool(missing))
        self.items_label.setText(
            "".join(self.item_html(item) for item in grade.items) or t("ui.risk.no_items")
        )

    def placed(self) -> dict[tuple[int, int], str]:
        """(impact, likelihood) → the ids shown in that cell (for tests and screenshots)."""
        return {k: c.text() for k, c in self.cells.items() if c.text()}

    def placed_residual(self) -> dict[int, str]:
        """Residual level → the ids shown in its box of the strip under the matrix."""
        return {k: c.text() for k, c in self.residual_cells.items() if c.text()}

    def item_html(self, item: RiskItemGrade) -> str:
        lang = current_language()
        name = escape(item.risk_id or "?")
        what = escape(item.threat or item.activity)
        parts = [
            t(
                "ui.risk.item_level",
                impact=level_label(self.form, item.impact, lang) or "–",
                likelihood=likelihood_label(self.form, item.likelihood, lang) or "–",
                level=level_label(self.form, item.level, lang) or t("ui.risk.unrated"),
            )
        ]
        if item.adjustments:
            parts.append(t("ui.risk.adjusted", adjustments=self.adjustments_text(item)))
        if item.residual_level is not None:
            parts.append(t("ui.risk.residual", level=level_label(self.form, item.residual_level, lang)))
        problems = [describe_problem(self.form, p, lang) for p in item.problems]
        body = "；".join(escape(p) for p in parts) if lang == "zh" else "; ".join(escape(p) for p in parts)
        html = f"<p style='margin:2px 0'><b>{name}</b> {what}<br>{body}"
        if problems:
            html += "<br><span style='color:#b71c1c'>" + escape(" ".join(problems)) + "</span>"
        return html + "</p>"

    def adjustments_text(self, item: RiskItemGrade) -> str:
        out = []
        for code in item.adjustments:
            kind, _, name = code.partition(":")
            table = self.model.impact_adjustments if kind == "impact" else self.model.likelihood_adjustments
            adj = table.get(name)
            if adj is not None:
                label = pick(adj.label)
                sign = f"+{adj.delta}" if adj.delta > 0 else str(adj.delta)
                # The form's labels start with their step ("+1 …"): not said twice (QA walk 2 #29).
                out.append(label if label[:1] in "+-−" else f"{label} ({sign})")
            else:
                out.append(t("ui.risk.floor", code=name))
        return "、".join(out) if current_language() == "zh" else ", ".join(out)


def _level_cell(parent: QWidget, name: str, level: int, min_height: int) -> QLabel:
    """A cell of the matrix or of the residual strip, in its level's colour; the item ids go in it."""
    cell = QLabel(parent)
    cell.setObjectName(name)
    cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
    cell.setWordWrap(True)
    cell.setMinimumSize(64, min_height)
    cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    cell.setStyleSheet(f"background: {CELL_COLOURS.get(level, '#eee')}; border: 1px solid #999;")
    return cell
