"""Grid tables at 1024×600: every column in view without scrolling sideways and every column
title shown whole (wrapped onto more lines), in both languages (QA #4: the team table's 4th title
"是否独立于被评估业务" was cut, the acceptance table needed sideways scrolling)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

PAGE_WIDTH = 476
"""The width a grid gets in the editor at 1024×600 (measured under Xvfb)."""


def grid_questions():  # type: ignore[no-untyped-def]
    from pia_app.forms.loader import default_form
    from pia_app.ui.widgets import GRID_COLUMN_LIMIT

    form = default_form()
    return [
        q.id
        for s in form.sections
        for q in s.questions
        if q.type == "table" and len(q.columns) <= GRID_COLUMN_LIMIT
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("qid", grid_questions())
def test_grid_columns_fit_and_titles_show_whole(qapp, qtbot, lang: str, qid: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRect, Qt

    from pia_app.forms.loader import default_form
    from pia_app.ui.app import configure_app
    from pia_app.ui.widgets import TableAnswer, answer_widget

    configure_app(qapp, lang)
    try:
        widget = answer_widget(default_form().question(qid))
        assert isinstance(widget, TableAnswer)
        qtbot.addWidget(widget)
        widget.add_row()
        widget.resize(PAGE_WIDTH, 300)
        widget.show()
        qtbot.waitExposed(widget)
        table, header = widget.table, widget.header
        qtbot.waitUntil(lambda: header.height() > 0, timeout=2000)
        total = sum(header.sectionSize(i) for i in range(header.count()))
        assert total <= table.viewport().width()
        assert not table.horizontalScrollBar().isVisible()
        flags = Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value
        for i, column in enumerate(widget.columns):
            title = column.label[lang]
            width = header.sectionSize(i) - header.PADDING
            # Wrapped at the column's width, the title is as wide and as tall as the header
            # gives it: nothing is cut at either side or at the bottom.
            box = header.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), flags, title)
            assert box.width() <= width, (title, box.width(), width)
            assert box.height() + header.PADDING <= header.height(), title
    finally:
        configure_app(qapp, "zh")
