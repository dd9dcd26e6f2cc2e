"""The PIPL art. 55 triggers are computed: a record made in the wizard stores only the user's own
ticks, and the report must still print the derived triggers everywhere (QA walk 2 #21, #33:
"PIPL 55 触发情形：未填写" beside the derived "处理敏感个人信息")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pia_app.engine.grade import trigger_question
from pia_app.interchange import load_assessment_file
from pia_app.report.export import export_answers
from tests.conftest import EXAMPLES
from tests.unit.test_report_basic import all_text


def test_the_report_prints_derived_triggers_the_record_never_stored(form: Any, tmp_path: Path) -> None:
    answers = dict(load_assessment_file(EXAMPLES / "face_swap_video_app.json", form).answers)
    qid = trigger_question(form)
    question = form.question(qid)
    answers.pop(qid)
    for lang, not_answered in (("zh", "未填写"), ("en", "Not answered")):
        label = question.label[lang].split("（")[0].split(" (")[0]
        sensitive = question.option("sensitive").label[lang]
        text = all_text(export_answers(form, answers, tmp_path / f"{lang}.docx", lang))
        # the report joins "art. 55" with a no-break space and may put word joiners in tokens
        lines = text.replace("\u00a0", " ").replace("\u2060", "").splitlines()
        at_label = [i for i, line in enumerate(lines) if line.strip().startswith(label)]
        assert at_label, f"{label!r} not printed"
        for i in at_label:
            near = " ".join(lines[i : i + 2])
            assert not_answered not in near, near
            assert sensitive in near, near
