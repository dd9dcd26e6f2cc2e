"""Each answer widget gives back exactly what it was given, and reports user edits."""

from __future__ import annotations

import pytest

from pia_app.forms.schema import Column, Option, Question

pytestmark = pytest.mark.gui

OPTS = (Option("a", {"zh": "甲", "en": "A"}), Option("b", {"zh": "乙", "en": "B"}))
WIDE = Question(
    id="x_wide",
    type="table",
    label={"zh": "宽表", "en": "Wide"},
    section_id="X",
    columns=(
        Column("name", "text", {"zh": "名称", "en": "Name"}),
        Column("kind", "single", {"zh": "类型", "en": "Kind"}, OPTS),
        Column("tags", "multi", {"zh": "标签", "en": "Tags"}, OPTS),
        Column("ok", "yesno", {"zh": "是否", "en": "OK"}),
        Column("n", "number", {"zh": "数量", "en": "Count"}),
        Column("when", "date", {"zh": "日期", "en": "Date"}),
    ),
)


@pytest.mark.parametrize(
    ("qtype", "value"),
    [
        ("text", "中文 <b> & {{ x }}"),
        ("single", "b"),
        ("multi", ["a", "b"]),
        ("yesno", False),
        ("yesno", True),
        ("number", 100000),
        ("number", 2.5),
        ("date", "2026-02-28"),
    ],
)
def test_round_trip(qapp, qtype: str, value) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.widgets import answer_widget

    q = Question(
        id="x_q",
        type=qtype,
        label={"zh": "问", "en": "Q"},
        section_id="X",
        options=OPTS if qtype in ("single", "multi") else (),
    )
    w = answer_widget(q)
    assert w.value() is None
    w.set_value(value)
    assert w.value() == value
    w.set_value(None)
    assert w.value() is None


def test_wide_table_is_edited_row_by_row(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.widgets import RecordTableAnswer, answer_widget

    w = answer_widget(WIDE)
    assert isinstance(w, RecordTableAnswer)
    rows = [
        {"name": "第一行", "kind": "a", "tags": ["b"], "ok": True, "n": 3, "when": "2026-01-31"},
        {"name": "第二行", "ok": False},
    ]
    w.set_value(rows)
    assert w.value() == rows
    assert w.row_list.count() == 2
    w.select_row(1)
    with qtbot.waitSignal(w.changed, timeout=1000):
        w.editors["name"].editor.setText("改过")
    assert w.value()[1]["name"] == "改过"
    assert w.value()[0]["name"] == "第一行"
    with qtbot.waitSignal(w.changed, timeout=1000):
        w.add_button.click()
    w.editors["n"].editor.setText("7")
    assert w.value()[-1] == {"n": 7}
    w.select_row(0)
    with qtbot.waitSignal(w.changed, timeout=1000):
        w.remove_button.click()
    assert [r.get("name") for r in w.value()] == ["改过", None]
