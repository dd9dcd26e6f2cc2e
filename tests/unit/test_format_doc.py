"""docs/format.md: its example is a valid assessment file, graded like any other."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pia_app.engine.grade import grade_assessment
from pia_app.interchange import parse_assessment

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def test_format_doc_example_is_valid_and_grades(form: Any) -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
    assert blocks, "docs/format.md has no JSON example"
    doc = parse_assessment(json.loads(blocks[0]), form, "format.md")
    grading = grade_assessment(form, doc.answers)
    (item,) = grading.risk.items
    assert item.risk_id == "R1"
    assert item.level == 2  # impact high × likelihood medium = 中 (table D.5)
    assert "sensitive" in grading.triggers
