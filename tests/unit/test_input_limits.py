"""Input that cannot poison the store: refused at import (whole file, one line naming the
question, nothing imported) and at input (the pure check the UI calls, and the store itself);
every export re-imports (a round trip over a fuzz corpus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia_app.cli import main
from pia_app.errors import UserError
from pia_app.forms.answers import contradictions
from pia_app.input_limits import ENV_MAX_RISK_ITEMS, Limits, check_answers, check_document, limits_from_env
from pia_app.interchange import dumps, export_document, import_file, parse_import
from pia_app.store.repository import Repository

RISK_ROW = {"risk_id": "R1", "threat": "泄露"}


def doc(answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "pia-app-assessment",
        "format_version": 1,
        "form": {"id": "face_voice_pia", "version": "0.1"},
        "metadata": {},
        "answers": answers,
    }


# Raw JSON text: the cases a JSON encoder would not even produce.
RAW_CASES: list[tuple[str, str, str, str]] = [
    ("lone surrogate", '{"a_scope": "x\\ud800y"}', "error.input.bad_text", "a_scope"),
    (
        "lone low surrogate in a table",
        '{"a_assessors": [{"name": "\\udfff"}]}',
        "error.input.bad_text",
        "a_assessors",
    ),
    ("1e400", '{"b_subject_count": 1e400}', "error.input.not_finite", "b_subject_count"),
    ("-1e400", '{"b_face_stored_count": -1e400}', "error.input.not_finite", "b_face_stored_count"),
    ("4000 digits", '{"b_subject_count": ' + "9" * 4000 + "}", "error.input.too_large", "b_subject_count"),
    ("1e16", '{"b_subject_count": 1e16}', "error.input.too_large", "b_subject_count"),
    ("Infinity", '{"b_subject_count": Infinity}', "error.not_json", "Infinity"),
    ("NaN", '{"b_subject_count": NaN}', "error.not_json", "NaN"),
]


def raw_file(tmp_path: Path, answers_json: str) -> Path:
    text = json.dumps(doc({})).replace('"answers": {}', f'"answers": {answers_json}')
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "answers", "key", "mentions"), RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_poisoned_file_is_refused_whole_in_one_line(
    repo, form, tmp_path: Path, capsys, name, answers, key, mentions
) -> None:  # type: ignore[no-untyped-def]
    path = raw_file(tmp_path, answers)
    with pytest.raises(UserError) as exc:
        import_file(repo, form, path)
    assert exc.value.key == key
    assert mentions in exc.value.message("en")
    assert repo.list_assessments(include_archived=True) == [] and repo.audit() == []
    for argv in (
        ["import", str(path)],
        ["grade", str(path)],
        ["report", str(path), "--out", str(tmp_path / "r.docx")],
    ):
        assert main([*argv, "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and mentions in err and "Traceback" not in err, argv
    assert not (tmp_path / "r.docx").exists()


def test_table_row_limits_risk_items_and_any_table(repo, form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = doc({"l_risks": [RISK_ROW] * 1000, "a_assessors": [{"name": "张"}] * 5000})
    assert check_document(ok) is None
    for answers, question, limit in (
        ({"l_risks": [RISK_ROW] * 1001}, "l_risks", "1000"),
        ({"a_assessors": [{"name": "张"}] * 5001}, "a_assessors", "5000"),
    ):
        path = tmp_path / f"{question}.json"
        path.write_text(dumps(doc(answers)), encoding="utf-8")
        with pytest.raises(UserError) as exc:
            import_file(repo, form, path)
        assert exc.value.key == "error.input.too_many_rows"
        message = exc.value.message("en")
        assert question in message and limit in message
    assert repo.list_assessments(include_archived=True) == []


def test_row_limits_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert limits_from_env({ENV_MAX_RISK_ITEMS: "5"}).rows_for("l_risks") == 5
    assert limits_from_env({ENV_MAX_RISK_ITEMS: "-3"}).rows_for("l_risks") == 1000
    assert limits_from_env({"PIA_APP_MAX_TABLE_ROWS": "10"}).rows_for("a_assessors") == 10
    monkeypatch.setenv(ENV_MAX_RISK_ITEMS, "2")
    problems = check_answers({"l_risks": [RISK_ROW] * 3})
    assert [(p.where, p.key, p.params["limit"]) for p in problems] == [("l_risks", "input.too_many_rows", 2)]
    assert check_answers({"l_risks": [RISK_ROW] * 3}, Limits()) == []


def test_bundle_with_one_bad_item_imports_nothing(repo, form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bundle = {
        "format": "pia-app-bundle",
        "format_version": 1,
        "exported_at": "x",
        "assessments": [doc({"a_scope": "好"}), doc({"b_subject_count": 10**16})],
    }
    path = tmp_path / "b.json"
    path.write_text(dumps(bundle), encoding="utf-8")
    with pytest.raises(UserError) as exc:
        import_file(repo, form, path)
    assert "assessments[2]/answers/b_subject_count" in exc.value.message("en")
    assert repo.list_assessments(include_archived=True) == []


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"a_scope": "a\udc00"}, "input.bad_text"),
        ({"b_subject_count": float("inf")}, "input.not_finite"),
        ({"b_subject_count": float("nan")}, "input.not_finite"),
        ({"b_subject_count": 10**4000}, "input.too_large"),
        ({"l_risks": [RISK_ROW] * 1001}, "input.too_many_rows"),
    ],
)
def test_store_refuses_what_the_ui_check_refuses(repo, form, answers: dict[str, Any], key: str) -> None:  # type: ignore[no-untyped-def]
    (problem,) = check_answers(answers)
    assert problem.key == key and problem.where == next(iter(answers))
    aid = repo.create(form.id, form.version, "x")
    entries = len(repo.audit())
    with pytest.raises(UserError) as exc:
        repo.save_answers(aid, answers)
    assert exc.value.key == f"error.{key}"
    assert next(iter(answers)) in exc.value.message("zh")
    with pytest.raises(UserError):
        repo.create(form.id, form.version, "y", answers)
    assert repo.revision(aid).answers == {} and len(repo.audit()) == entries
    assert len(repo.list_assessments()) == 1


def test_limits_are_inclusive_and_ordinary_data_passes() -> None:
    ok = {
        "a_scope": "<&{{ x }}> \x07 控制字符 " + "长" * 100_000,
        "b_subject_count": 10**15,
        "b_face_stored_count": -(10**15),
        "g_cb_sensitive_count": 1.5e15 / 2,
    }
    assert check_answers(ok) == []


# -- round trip over a fuzz corpus --------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x10FFFF), max_size=40
) | st.sampled_from(["<b>&amp;</b>", "{{ x }}", "{% if %}", "\x00\x01\x1f", "中文，全角；", " ", ""])


def answer_strategy(form: Any) -> st.SearchStrategy[dict[str, Any]]:  # type: ignore[no-untyped-def]
    def value(q: Any) -> st.SearchStrategy[Any]:
        if q.type == "text":
            return TEXT
        if q.type == "yesno":
            return st.booleans()
        if q.type == "number":
            return st.integers(-(10**15), 10**15) | st.floats(-1e15, 1e15, allow_nan=False)
        if q.type == "date":
            return st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10)
        codes = [o.code for o in q.options]
        if q.type == "single":
            return st.sampled_from(codes)
        if q.type == "multi":
            plain = [o.code for o in q.options if not o.exclusive]
            return st.lists(st.sampled_from(plain), unique=True, max_size=3) if plain else st.just([])
        cols = {c.id: c for c in q.columns if c.type in ("text", "yesno", "number")}
        return st.lists(
            st.fixed_dictionaries({}, optional={k: value(c) for k, c in cols.items()}), max_size=3
        )

    questions = list(form.questions.values())
    return st.fixed_dictionaries({}, optional={q.id: value(q) for q in questions if not q.computed})


def test_every_export_reimports_fuzz_corpus(form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    counter = iter(range(10**6))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(answer_strategy(form))
    def round_trip(answers: dict[str, Any]) -> None:
        n = next(counter)
        with Repository(tmp_path / f"a{n}.sqlite3", actor="fuzz") as repo:
            if contradictions(form, answers):
                return  # answers that contradict each other are refused at input (issue 8)
            try:
                aid = repo.create(form.id, form.version, "fuzz", answers)
            except UserError:
                return  # refused whole at input: fine, nothing to export
            repo.submit(aid)
            repo.approve(aid, "审批人", "DPO")
            repo.start_review(aid, "periodic")
            text = dumps(export_document(repo, [aid], history=True, exported_at="t"))
        out = tmp_path / f"e{n}.json"
        out.write_text(text, encoding="utf-8")
        with Repository(tmp_path / f"b{n}.sqlite3", actor="fuzz") as other:
            (new,) = import_file(other, form, out)
            assert other.revision(new, 1).answers == json.loads(text)["revisions"][0]["answers"]
            again = json.loads(dumps(export_document(other, [new], history=True, exported_at="t")))
        first = json.loads(text)
        assert again["revisions"] == first["revisions"] and again["answers"] == first["answers"]
        assert again["audit"][: len(first["audit"])] == first["audit"]

    round_trip()


def test_parse_import_checks_everything_before_anything_is_stored(form) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as exc:
        parse_import(doc({"a_scope": "ok", "a_assessors": [{"name": "\ud800"}]}), form, "f.json")
    assert "a_assessors[1]/name" in exc.value.message("en")


def test_stored_contradictory_answers_still_re_import(repo, form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The wizard may store answers that contradict each other (they are findings, and autosave
    must not lose typing); `grade FILE` refuses them, but an export of the record re-imports."""
    multi = next(
        q for q in form.questions.values() if q.type == "multi" and any(o.exclusive for o in q.options)
    )
    exclusive = next(o.code for o in multi.options if o.exclusive)
    other = next(o.code for o in multi.options if not o.exclusive)
    aid = repo.create(form.id, form.version, "矛盾", {multi.id: [exclusive, other]})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    out = tmp_path / "e.json"
    out.write_text(dumps(export_document(repo, [aid], history=True)), encoding="utf-8")
    with Repository(tmp_path / "other.sqlite3") as other_repo:
        (new,) = import_file(other_repo, form, out)
        assert other_repo.revision(new).answers[multi.id] == [exclusive, other]
    assert main(["grade", str(out), "--lang", "en"]) == 2
