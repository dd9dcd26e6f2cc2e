"""The form loader: the built-in form loads, and every kind of mistake is reported with file,
line and key, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pia_app.forms.loader import FormError, load_form
from pia_app.resources import forms_dir


def copy_form(tmp_path: Path) -> Path:
    dst = tmp_path / "form"
    shutil.copytree(forms_dir() / "face_voice", dst)
    return dst


def test_builtin_form_loads_with_reference_ids(form) -> None:  # type: ignore[no-untyped-def]
    ids = set(form.questions)
    for qid in (
        "a_project_name",
        "a_assessors",
        "a_processing_start",
        "d_specific_purpose",
        "d_necessity",
        "d_least_impact",
        "d_alternative",
        "d_item_necessity",
        "d_bystanders",
        "d_secondary_use",
        "d_national_channel",
    ):
        assert qid in ids
    assert [s.id for s in form.sections][:2] == ["A", "B"]


def test_misspelt_question_id_in_rule_is_reported_with_line(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "d_minimum_collection.yaml"
    text = path.read_text("utf-8")
    assert "q: b_uses_face_recognition, eq: true}" in text
    path.write_text(
        text.replace("q: b_uses_face_recognition, eq: true}", "q: b_uses_face_recogniton, eq: true}", 1),
        "utf-8",
    )
    with pytest.raises(FormError) as exc:
        load_form(dst)
    problems = exc.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert p.file.endswith("d_minimum_collection.yaml")
    assert "b_uses_face_recogniton" in p.message
    line = path.read_text("utf-8").splitlines()[p.line - 1]
    assert "b_uses_face_recogniton" in line
    assert p.key.startswith("questions[")


def test_unknown_option_code_and_bad_yesno_value_are_both_reported(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "d_minimum_collection.yaml"
    text = path.read_text("utf-8")
    text = text.replace("when: {eq: not_done}", "when: {eq: not_dnoe}", 1)
    text = text.replace("when: {eq: false}", "when: {eq: nope}", 1)
    path.write_text(text, "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    messages = [p.message for p in exc.value.problems]
    assert any("no option 'not_dnoe'" in m for m in messages)
    assert any("yes/no" in m for m in messages)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "a_basic.yaml"
    lines = path.read_text("utf-8").splitlines()
    lines[5] = "  zh: [unclosed"
    path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    assert exc.value.problems[0].line >= 6
    assert "YAML syntax" in exc.value.problems[0].message


def test_missing_language_and_unknown_key_and_unknown_source(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "a_basic.yaml"
    text = path.read_text("utf-8")
    text = text.replace('title: {zh: 基本信息, en: "Assessment metadata"}', "title: {zh: 基本信息}")
    text = text.replace('    refs: ["pipl 52"]', '    refs: ["piplx 52"]\n    colour: red')
    path.write_text(text, "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    text_all = "\n".join(str(p) for p in exc.value.problems)
    assert "'en' is required" in text_all
    assert "colour" in text_all


def test_unknown_source_is_reported(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "a_basic.yaml"
    path.write_text(path.read_text("utf-8").replace('refs: ["pipl 52"]', 'refs: ["piplx 52"]'), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    assert any("unknown source 'piplx'" in p.message for p in exc.value.problems)
