"""Export and import of stored assessments: round trips are exact, bad files write nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pia_app.cli import main
from pia_app.errors import UserError
from pia_app.interchange import MAX_FILE_BYTES, export_document, import_file, parse_import
from pia_app.paths import db_path
from pia_app.store.repository import Repository

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"
EXAMPLE = EXAMPLES / "office_access_face.json"


def snapshot(repo: Repository) -> str:
    """Every row of every table: equal snapshots mean nothing was written."""
    return "\n".join(repo.db.conn.iterdump())


def reviewed(repo: Repository, form: Any, answers: dict[str, Any]) -> int:
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, answers)
    repo.submit(aid)
    repo.approve(aid, "李明", "个人信息保护负责人")
    repo.start_review(aid, "system_change", "更换算法供应商")
    repo.save_answers(aid, {**repo.revision(aid).answers, "a_scope": "新范围", "d_necessity": None})
    return aid


def without(text: str, *keys: str) -> Any:
    data = json.loads(text)
    docs = data["assessments"] if data.get("format") == "pia-app-bundle" else [data]
    data.pop("exported_at", None)
    for d in docs:
        for k in keys:
            d["metadata"].pop(k, None)
    return data


def test_history_round_trip_is_byte_identical_apart_from_documented_fields(
    form,
    office_example,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with Repository(db_path(tmp_path / "a"), actor="alice") as repo:
        aid = reviewed(repo, form, office_example.answers)
        repo.archive(aid)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    a, b = ["--data-dir", str(tmp_path / "a")], ["--data-dir", str(tmp_path / "b")]
    assert main(["export", str(aid), "--out", str(first), "--history", *a]) == 0
    assert main(["import", str(first), *b]) == 0
    assert main(["export", "1", "--out", str(second), "--history", *b]) == 0
    one, two = json.loads(first.read_text("utf-8")), json.loads(second.read_text("utf-8"))
    # Documented differences: exported_at, and the importing database's own audit entries.
    added = two["audit"][len(one["audit"]) :]
    assert [e["action"] for e in added] == ["imported"]
    two["audit"] = two["audit"][: len(one["audit"])]
    one["metadata"].pop("exported_at")
    two["metadata"].pop("exported_at")
    assert one == two
    text_one = first.read_text("utf-8")
    trimmed = json.dumps(two, ensure_ascii=False, indent=2) + "\n"
    one["metadata"]["exported_at"] = json.loads(text_one)["metadata"]["exported_at"]
    assert text_one.replace(f'    "exported_at": "{one["metadata"]["exported_at"]}",\n', "") == trimmed
    assert [r["status"] for r in two["revisions"]] == ["approved", "draft"]
    assert two["metadata"]["archived"] is True
    assert "d_necessity" in two["answers"] and two["answers"]["d_necessity"] is None


def test_snapshot_and_bundle_round_trip(form, office_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Repository(tmp_path / "a.sqlite3") as a:
        ids = [a.create(form.id, form.version, "甲"), a.create(form.id, form.version, "乙")]
        a.save_answers(ids[0], office_example.answers)
        for history in (False, True):
            doc = export_document(a, ids, history=history)
            assert doc["format"] == "pia-app-bundle"
            path = tmp_path / f"bundle-{history}.json"
            path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
            with Repository(tmp_path / f"b-{history}.sqlite3") as b:
                new_ids = import_file(b, form, path)
                again = export_document(b, new_ids, history=history)
            if history:
                for d in again["assessments"]:
                    assert d["audit"][-1]["action"] == "imported"
                    d["audit"] = d["audit"][:-1]  # b's own entry, documented
            assert without(json.dumps(again), "exported_at") == without(json.dumps(doc), "exported_at")


def test_importing_twice_keeps_both_with_a_new_uid(repo, form) -> None:  # type: ignore[no-untyped-def]
    first = import_file(repo, form, EXAMPLE)
    second = import_file(repo, form, EXAMPLE)
    doc = json.loads(EXAMPLE.read_text("utf-8"))
    assert "uid" not in doc["metadata"]
    aid = repo.create(form.id, form.version)
    exported = export_document(repo, [aid])
    exported["metadata"]["title"] = "copy"
    again = repo.import_records(parse_import(exported, form, "x.json"), "x.json")
    assert repo.get(again[0]).uid != repo.get(aid).uid
    assert repo.audit(again[0])[-1]["detail"]["original_uid"] == repo.get(aid).uid
    assert len({*first, *second, aid, *again}) == 4


def test_imported_history_keeps_approval_and_verifies(repo, form, office_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pia_app.store.verify import verify

    with Repository(tmp_path / "src.sqlite3") as src:
        aid = reviewed(src, form, office_example.answers)
        doc = export_document(src, [aid], history=True)
    path = tmp_path / "h.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    (new,) = import_file(repo, form, path)
    rev1 = repo.revision(new, 1)
    assert (rev1.status, rev1.approved_by) == ("approved", "李明")
    assert repo.find_revision_by_hash(new, rev1.content_hash) == 1
    assert verify(repo).ok
    assert repo.revision(new).status == "draft"
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):  # imported approval is frozen too
        repo.db.execute("UPDATE revisions SET answers = '{}' WHERE assessment_id = ? AND number = 1", [new])


def doc_with(**changes: Any) -> dict[str, Any]:
    doc = json.loads(EXAMPLE.read_text("utf-8"))
    for dotted, value in changes.items():
        target = doc
        *path, last = dotted.split("__")
        for p in path:
            target = target[p]
        target[last] = value
    return doc


def history_doc(repo: Repository, form: Any, answers: dict[str, Any]) -> dict[str, Any]:
    aid = reviewed(repo, form, answers)
    return json.loads(json.dumps(export_document(repo, [aid], history=True)))  # as read from a file


BAD_FILES: list[tuple[str, Any, str, str]] = [
    ("not json", b'{"format": "pia-app-assessment",', "error.not_json", "line"),
    ("binary garbage", bytes(range(256)) * 40, "error.not_utf8", "UTF-8"),
    ("nan", b'{"format": NaN}', "error.not_json", "NaN"),
    ("deep nesting", b"[" * 100000 + b"]" * 100000, "error.not_json", "deep"),
    ("wrong format", {"format": "cnil-pia", "answers": {}}, "error.wrong_format", "pia-app-assessment"),
    ("a list", [1, 2, 3], "error.wrong_format", "pia-app-assessment"),
    ("newer version", doc_with(format_version=7), "error.format_newer", "7"),
    ("unknown question", doc_with(answers__zz_unknown="x"), "error.bad_answer", "zz_unknown"),
    ("wrong type", doc_with(answers__a_scope=5), "error.bad_answer", "a_scope"),
    (
        "wrong option",
        doc_with(answers__a_assessment_type="whatever"),
        "error.bad_answer",
        "a_assessment_type",
    ),
    ("bad schema", doc_with(form={"id": "face_voice_pia"}), "error.schema", "form"),
    ("wrong form", doc_with(form={"id": "other", "version": "1"}), "error.wrong_form", "other"),
    (
        "bad bundle",
        {"format": "pia-app-bundle", "format_version": 1, "assessments": []},
        "error.schema",
        "assessments",
    ),
]


@pytest.mark.parametrize(("name", "content", "key", "mentions"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_clearly_and_writes_nothing(
    repo,
    form,
    tmp_path: Path,
    capsys,
    name: str,
    content: Any,
    key: str,
    mentions: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    before = snapshot(repo)
    with pytest.raises(UserError) as exc:
        import_file(repo, form, path)
    assert exc.value.key == key
    message = exc.value.message("en")
    assert mentions in message and str(path) in message
    assert snapshot(repo) == before
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(repo) == before


def test_huge_file_is_refused_without_reading_it(repo, form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: over the limit without using the disk
    before = snapshot(repo)
    with pytest.raises(UserError) as exc:
        import_file(repo, form, path)
    assert exc.value.key == "error.file_too_large"
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: d["revisions"][0]["answers"].update(a_scope="改过"), "import.hash_mismatch"),
        (lambda d: d["revisions"][0].update(approved_by=None), "import.approval_incomplete"),
        (lambda d: d["revisions"][1].update(number=3), "import.numbering"),
        (lambda d: d["revisions"][0].update(status="draft", content_hash=None), "import.open_before_last"),
        (lambda d: d["answers"].update(a_scope="不同"), "import.answers_differ"),
        (lambda d: d["audit"][1].update(actor="mallory"), "import.audit_altered"),
    ],
)
def test_tampered_history_is_refused(repo, form, office_example, tmp_path: Path, edit, reason: str) -> None:  # type: ignore[no-untyped-def]
    with Repository(tmp_path / "src.sqlite3") as src:
        doc = history_doc(src, form, office_example.answers)
    edit(doc)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    before = snapshot(repo)
    with pytest.raises(UserError) as exc:
        import_file(repo, form, path)
    assert exc.value.key == "error.import_revisions"
    assert exc.value.params["reason_key"] == reason
    assert snapshot(repo) == before


def test_bundle_with_one_bad_item_imports_nothing(repo, form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = doc_with()
    bad = doc_with(answers__a_scope=["not", "text"])
    path = tmp_path / "b.json"
    path.write_text(
        json.dumps({"format": "pia-app-bundle", "format_version": 1, "assessments": [good, bad]}), "utf-8"
    )
    before = snapshot(repo)
    with pytest.raises(UserError) as exc:
        import_file(repo, form, path)
    assert "assessments/1" in exc.value.message("en")
    assert snapshot(repo) == before


def test_failure_while_writing_rolls_back_everything(repo, form, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.json"
    path.write_text(
        json.dumps(
            {"format": "pia-app-bundle", "format_version": 1, "assessments": [doc_with(), doc_with()]}
        ),
        "utf-8",
    )
    calls = []
    real = Repository._log

    def failing(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk pulled out")
        return real(self, *args, **kwargs)

    before = snapshot(repo)
    monkeypatch.setattr(Repository, "_log", failing)
    with pytest.raises(OSError):
        import_file(repo, form, path)
    assert snapshot(repo) == before


def test_cli_import_prints_new_ids(isolated_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["import", str(EXAMPLE)]) == 0
    assert main(["import", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out.split() == ["1", "2"]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)
QIDS = st.sampled_from(
    [
        "a_scope",
        "a_project_name",
        "a_assessment_type",
        "a_assessors",
        "d_necessity",
        "m_report_date",
        "zz_unknown",
        "A",
    ]
)
NEAR_VALID = st.fixed_dictionaries(
    {
        "format": st.sampled_from(["pia-app-assessment", "pia-app-bundle", "other"]),
        "format_version": st.sampled_from([1, 2, 0, "1", True]),
        "form": st.sampled_from([{"id": "face_voice_pia", "version": "0.1"}, {"id": 1}, None]),
        "answers": st.dictionaries(QIDS, JSON, max_size=4),
    },
    optional={
        "metadata": st.dictionaries(
            st.sampled_from(["title", "uid", "archived", "review_flag", "created_at"]), JSON
        ),
        "revisions": st.lists(JSON, max_size=2),
        "audit": st.lists(JSON, max_size=2),
        "assessments": st.lists(JSON, max_size=2),
    },
)


VALUES = st.one_of(
    JSON,
    st.sampled_from(["prior_new", "periodic", "2026-01-01", "文本", "", True, 3]),
    st.lists(st.sampled_from(["face_image", "voiceprint", "x"]), max_size=3),
)
ANSWERS = st.dictionaries(QIDS, VALUES, max_size=4)
HEX = st.sampled_from(["0" * 64, "a" * 64, "xyz"])
REVISION = st.fixed_dictionaries(
    {
        "number": st.integers(0, 3),
        "status": st.sampled_from(["draft", "in_review", "approved"]),
        "answers": ANSWERS,
        "created_at": st.just("2026-01-01T00:00:00Z"),
        "updated_at": st.just("2026-01-01T00:00:00Z"),
    },
    optional={
        "approved_by": st.text(max_size=3),
        "approved_role": st.text(max_size=3),
        "approved_at": st.just("2026-01-02"),
        "content_hash": HEX,
        "based_on": st.integers(0, 2),
        "review_reason": st.sampled_from(["periodic", None]),
    },
)
AUDIT = st.fixed_dictionaries(
    {
        "assessment_uid": st.just("u"),
        "revision": st.integers(1, 2),
        "ts": st.just("t"),
        "actor": st.text(max_size=3),
        "action": st.just("created"),
        "detail": st.just({}),
        "prev_hash": HEX,
        "hash": HEX,
    }
)
VALIDISH = st.fixed_dictionaries(
    {
        "format": st.just("pia-app-assessment"),
        "format_version": st.just(1),
        "form": st.just({"id": "face_voice_pia", "version": "0.1"}),
        "answers": ANSWERS,
    },
    optional={
        "metadata": st.fixed_dictionaries(
            {},
            optional={
                "title": st.text(max_size=5),
                "uid": st.sampled_from(["u1", "u2", ""]),
                "archived": st.booleans(),
                "review_flag": st.sampled_from([None, "periodic"]),
            },
        ),
        "revisions": st.lists(REVISION, min_size=1, max_size=3),
        "audit": st.lists(AUDIT, max_size=2),
    },
)
BUNDLE = st.fixed_dictionaries(
    {
        "format": st.just("pia-app-bundle"),
        "format_version": st.just(1),
        "assessments": st.lists(VALIDISH, min_size=1, max_size=2),
    }
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.one_of(JSON, NEAR_VALID, VALIDISH, BUNDLE))
def test_arbitrary_json_imports_or_fails_cleanly(repo, form, tmp_path: Path, data: Any) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "any.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    before = snapshot(repo)
    count = len(repo.list_assessments(include_archived=True))
    try:
        ids = import_file(repo, form, path)
    except UserError as exc:
        event(exc.key)
        assert exc.message("en") and exc.message("zh")
        assert snapshot(repo) == before
    else:
        event("imported")
        assert len(repo.list_assessments(include_archived=True)) == count + len(ids)


def test_an_imported_assessment_is_listed_by_its_project_name(repo, form) -> None:  # type: ignore[no-untyped-def]
    # QA walk 2 #39: the list showed the file's short title, the editor the project name, until
    # the first edit made the store follow the project name (as every save does).
    doc = json.loads(EXAMPLE.read_text("utf-8"))
    name = doc["answers"][form.role("record", "title")]
    assert name != doc["metadata"]["title"]
    (aid,) = import_file(repo, form, EXAMPLE)
    assert repo.get(aid).title == name
    doc["answers"][form.role("record", "title")] = ""
    (bare,) = repo.import_records(parse_import(doc, form, "x.json"), "x.json")
    assert repo.get(bare).title == doc["metadata"]["title"]  # no project name: the file's title
