"""Each tamper case of issue 9, done as an attacker would (plain sqlite3 on the closed file,
dropping a guard trigger where one is in the way), is reported by `pia-app verify`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pia_app.canonical import canonical_json, content_hash
from pia_app.cli import main
from pia_app.paths import db_path
from pia_app.store import audit
from pia_app.store.repository import Repository
from pia_app.store.verify import verify


def attack(path: Path, *statements: str, drop: tuple[str, ...] = (), restore: bool = True) -> None:
    """Run `statements` with the sqlite3 module, the named guard triggers dropped first and (as a
    careful attacker would) put back afterwards unless `restore` is False."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        saved = [
            conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [t]).fetchone()[0] for t in drop
        ]
        for trigger in drop:
            conn.execute(f"DROP TRIGGER {trigger}")
        for sql in statements:
            conn.execute(sql)
        if restore:
            for sql in saved:
                conn.execute(sql)
    finally:
        conn.close()


def build(form: Any) -> dict[str, int]:
    """approved (1 revision), in review, draft: the three states an attacker may target."""
    with Repository(db_path(), actor="tester") as repo:
        ids = {}
        ids["approved"] = repo.create(form.id, form.version, "门禁")
        repo.save_answers(ids["approved"], {"a_scope": "A 座", "a_project_name": "门禁"})
        repo.submit(ids["approved"])
        repo.approve(ids["approved"], "李明", "DPO", at="2026-01-05T08:00:00.000000Z")
        ids["in_review"] = repo.create(form.id, form.version, "考勤")
        repo.save_answers(ids["in_review"], {"a_scope": "B 座"})
        repo.submit(ids["in_review"])
        ids["draft"] = repo.create(form.id, form.version, "声纹")
        repo.save_answers(ids["draft"], {"a_scope": "C 座"})
        assert verify(repo).ok
    return ids


def problems() -> list[str]:
    with Repository(db_path()) as repo:
        return [p.key for p in verify(repo).problems]


def cli_verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["verify", "--lang", "en", *extra])
    out = capsys.readouterr()
    return code, out.err if code else out.out


def test_intact_database_verifies_and_shows_the_chain_head(form, capsys) -> None:  # type: ignore[no-untyped-def]
    build(form)
    with Repository(db_path()) as repo:
        count, head = repo.chain_head()
        result = verify(repo)
    assert (result.assessments, result.revisions, result.approved) == (3, 3, 1)
    assert (result.entries, result.head) == (count, head)
    code, out = cli_verify(capsys)
    assert code == 0
    assert f"Chain head: {head} ({count} entries)" in out


def test_deleting_an_approved_assessment_with_one_delete(form, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(db_path(), f"DELETE FROM assessments WHERE id = {ids['approved']}")
    assert problems() == ["verify.assessment_missing"]
    code, err = cli_verify(capsys)
    assert code == 2 and "门禁" in err and "missing from the database" in err
    assert "Traceback" not in err


def test_deleting_an_approved_assessment_with_foreign_keys_on(form) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(db_path(), "PRAGMA foreign_keys = ON", f"DELETE FROM assessments WHERE id = {ids['approved']}")
    assert problems() == ["verify.assessment_missing"]


@pytest.mark.parametrize(
    ("column", "value"),
    [("approved_by", "王五"), ("approved_role", "CEO"), ("approved_at", "2025-01-05T08:00:00.000000Z")],
)
def test_changing_the_approval_details(form, column: str, value: str, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(
        db_path(),
        f"UPDATE revisions SET {column} = '{value}' WHERE assessment_id = {ids['approved']}",
        drop=("revisions_frozen_update",),
    )
    assert problems() == ["verify.approval_altered"]
    code, err = cli_verify(capsys)
    assert code == 2 and column in err and err.count("\n") == 1


def test_changing_an_approved_answer_together_with_its_hash(form) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    forged = {"a_scope": "整个园区", "a_project_name": "门禁"}
    digest = content_hash(form.id, form.version, forged)
    attack(
        db_path(),
        f"UPDATE revisions SET answers = '{canonical_json(forged)}', content_hash = '{digest}'"
        f" WHERE assessment_id = {ids['approved']}",
        drop=("revisions_frozen_update",),
    )
    assert problems() == ["verify.revision_altered"]


@pytest.mark.parametrize("which", ["draft", "in_review"])
def test_editing_answers_of_an_open_revision(form, which: str) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(
        db_path(),
        f"""UPDATE revisions SET answers = '{{"a_scope":"改"}}' WHERE assessment_id = {ids[which]}""",
    )
    assert problems() == ["verify.draft_altered"]


def test_changing_the_status_of_an_open_revision(form) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(db_path(), f"UPDATE revisions SET status = 'draft' WHERE assessment_id = {ids['in_review']}")
    assert problems() == ["verify.status_altered"]


def test_changing_an_assessment_uid(form, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(db_path(), f"UPDATE assessments SET uid = 'f00-cut-off' WHERE id = {ids['approved']}")
    assert sorted(problems()) == ["verify.assessment_missing", "verify.assessment_untracked"]
    code, err = cli_verify(capsys)
    assert code == 2 and "f00-cut-off" in err


def test_adding_an_assessment_or_a_revision(form) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(
        db_path(),
        "INSERT INTO assessments (uid, form_id, form_version, created_at, updated_at)"
        " VALUES ('planted', 'face_voice_pia', '0.1', 'x', 'x')",
        "INSERT INTO revisions (assessment_id, number, answers, created_at, updated_at)"
        f" VALUES ({ids['draft']}, 2, '{{}}', 'x', 'x')",
    )
    assert sorted(problems()) == [
        "verify.assessment_untracked",
        "verify.current_altered",
        "verify.revision_untracked",
    ]


def test_deleting_a_draft_revision(form) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    attack(db_path(), f"DELETE FROM revisions WHERE assessment_id = {ids['draft']}")
    assert problems() == ["verify.revision_missing"]


def test_deleting_the_last_audit_entry(form, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = build(form)
    with Repository(db_path()) as repo:
        repo.log_event(ids["draft"], "exported", {"path": "x.docx"})  # an entry recording no state
        _, anchor = repo.chain_head()
    code, out = cli_verify(capsys, "--head", anchor)
    assert code == 0 and "nothing up to it was removed" in out
    attack(
        db_path(),
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
        drop=("audit_no_delete",),
    )
    assert problems() == []  # without an anchor this one cannot be seen (docs/data.md)
    code, err = cli_verify(capsys, "--head", anchor)
    assert code == 2 and anchor in err and "removed from its end" in err


def test_deleting_the_last_audit_entry_of_a_save_is_seen_without_anchor(form) -> None:  # type: ignore[no-untyped-def]
    build(form)
    attack(
        db_path(),
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
        drop=("audit_no_delete",),
    )
    assert problems() == ["verify.draft_altered"]


def test_rewritten_chain_is_caught_by_the_anchor_only(form) -> None:  # type: ignore[no-untyped-def]
    """The algorithm is public: an attacker who edits a draft and re-chains every entry after
    it leaves a consistent file; only the head written down earlier tells."""
    ids = build(form)
    with Repository(db_path()) as repo:
        _, anchor = repo.chain_head()
        uid = repo.get(ids["draft"]).uid
    path = db_path()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    guard = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'").fetchone()[0]
    conn.execute("DROP TRIGGER audit_no_update")
    forged = {"a_scope": "改"}
    conn.execute(
        f"UPDATE revisions SET answers = '{canonical_json(forged)}' WHERE assessment_id = {ids['draft']}"
    )
    prev = audit.GENESIS_HASH
    for row in [dict(r) for r in conn.execute("SELECT * FROM audit_log ORDER BY id")]:
        detail = audit.decode_detail(row)
        if row["assessment_uid"] == uid and row["action"] == "answered":
            detail["state"]["content_hash"] = content_hash(form.id, form.version, forged)
            detail["changes"]["a_scope"][1] = "改"
        row["detail"] = canonical_json(detail)
        row["prev_hash"] = prev
        row["detail_hash"] = audit.sha256_hex(row["detail"])
        row["hash"] = audit.entry_hash_v2(row, row["detail_hash"])
        conn.execute(
            "UPDATE audit_log SET detail = ?, prev_hash = ?, detail_hash = ?, hash = ? WHERE id = ?",
            [row["detail"], row["prev_hash"], row["detail_hash"], row["hash"], row["id"]],
        )
        prev = row["hash"]
    conn.execute(guard)
    conn.close()
    assert problems() == []
    with Repository(db_path()) as repo:
        assert [p.key for p in verify(repo, anchor=anchor).problems] == ["verify.anchor_missing"]


def test_a_dropped_guard_trigger_is_reported(form, capsys) -> None:  # type: ignore[no-untyped-def]
    build(form)
    attack(db_path(), drop=("audit_no_delete", "revisions_frozen_update"), restore=False)
    assert problems() == ["verify.guard_missing", "verify.guard_missing"]
    code, err = cli_verify(capsys)
    assert code == 2 and "audit_no_delete" in err and "revisions_frozen_update" in err
