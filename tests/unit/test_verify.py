"""The audit hash chain and frozen revisions: `verify` finds tampering, `pia-app verify` says so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pia_app.cli import main
from pia_app.store.repository import Repository
from pia_app.store.verify import verify


def tamper(path: Path, trigger: str, sql: str, args: list[object]) -> None:
    """What someone with an SQLite shell could do: drop the guard, edit, put the guard back."""
    conn = sqlite3.connect(path)
    try:
        guard = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [trigger]).fetchone()[0]
        conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(sql, args)
        conn.execute(guard)
        conn.commit()
    finally:
        conn.close()


def populated(repo: Repository, form) -> int:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, {"a_scope": "一"})
    repo.save_answers(aid, {"a_scope": "二"})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    return aid


def test_intact_database_verifies(repo, form) -> None:  # type: ignore[no-untyped-def]
    populated(repo, form)
    result = verify(repo)
    assert result.ok
    assert result.entries == 5 and result.approved == 1


def test_edited_audit_row_is_detected(repo, form, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = populated(repo, form)
    entry = repo.audit(aid)[1]
    tamper(repo.path, "audit_no_update", "UPDATE audit_log SET actor = 'mallory' WHERE id = ?", [entry["id"]])
    result = verify(repo)
    assert [p.key for p in result.problems] == ["verify.entry_altered"]
    assert result.problems[0].params["entry"] == entry["id"]
    assert main(["verify"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(entry["id"]) in err


def test_rehashed_edit_still_breaks_the_chain(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = populated(repo, form)
    entry = repo.audit(aid)[1]
    tamper(
        repo.path, "audit_no_update", "UPDATE audit_log SET hash = ? WHERE id = ?", ["f" * 64, entry["id"]]
    )
    keys = {p.key for p in verify(repo).problems}
    assert keys == {"verify.entry_altered", "verify.chain_broken"}


def test_deleted_audit_row_is_detected(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = populated(repo, form)
    entry = repo.audit(aid)[2]
    tamper(repo.path, "audit_no_delete", "DELETE FROM audit_log WHERE id = ?", [entry["id"]])
    problems = verify(repo).problems
    assert [p.key for p in problems] == ["verify.chain_broken"]
    assert problems[0].params["entry"] == entry["id"] + 1


def test_edited_approved_revision_is_detected(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = populated(repo, form)
    tamper(
        repo.path,
        "revisions_frozen_update",
        'UPDATE revisions SET answers = \'{"a_scope":"改"}\' WHERE assessment_id = ?',
        [aid],
    )
    problems = verify(repo).problems
    assert [(p.key, p.params) for p in problems] == [("verify.revision_altered", {"id": aid, "revision": 1})]


def test_cli_verify_ok_and_report_hash(repo, form, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = populated(repo, form)
    digest = repo.revision(aid).content_hash
    assert main(["verify", "--lang", "en"]) == 0
    assert "5 entries" in capsys.readouterr().out
    assert main(["verify", str(aid), "--hash", digest.upper(), "--lang", "en"]) == 0
    assert "revision 1" in capsys.readouterr().out
    assert main(["verify", str(aid), "--hash", "ab" * 32]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["verify", str(aid)]) == 2


def test_report_hash_of_a_draft_revision_is_found_too(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, {"a_scope": "x"})
    assert repo.find_revision_by_hash(aid, repo.revision_hash(aid)) == 1
    repo.save_answers(aid, {"a_scope": "y"})
    assert repo.find_revision_by_hash(aid, "0" * 64) is None
