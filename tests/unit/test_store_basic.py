"""Store round trip: what is saved comes back, the audit trail records it, files are private."""

from __future__ import annotations

import itertools
import sqlite3
import stat
from pathlib import Path

import pytest

from pia_app.errors import UserError
from pia_app.paths import db_path
from pia_app.store.repository import Repository


def test_create_save_reopen_round_trip(form, office_example, isolated_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    with Repository(path, actor="alice") as repo:
        aid = repo.create(form.id, form.version, "草稿")
        changed = repo.save_answers(aid, office_example.answers)
        assert "a_project_name" in changed
    with Repository(path, actor="bob") as repo:
        rev = repo.revision(aid)
        assert rev.answers == office_example.answers
        summary = repo.get(aid)
        assert summary.title == office_example.answers["a_project_name"]
        actions = [e["action"] for e in repo.audit(aid)]
        assert actions == ["created", "answered"]
        assert repo.audit(aid)[1]["actor"] == "alice"


def test_saving_unchanged_answers_writes_nothing(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    assert repo.save_answers(aid, {"a_scope": "x"}) == ["a_scope"]
    assert repo.save_answers(aid, {"a_scope": "x"}) == []
    assert len(repo.audit(aid)) == 2


def test_audit_entries_are_hash_chained(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, {"a_scope": "一"})
    repo.save_answers(aid, {"a_scope": "二"})
    entries = repo.audit(aid)
    assert entries[0]["prev_hash"] == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after["prev_hash"] == before["hash"]
    assert entries[2]["detail"]["changes"]["a_scope"] == ["一", "二"]


def test_audit_log_refuses_update_and_delete(repo, form) -> None:  # type: ignore[no-untyped-def]
    repo.create(form.id, form.version)
    with pytest.raises(sqlite3.IntegrityError):
        repo.db.execute("UPDATE audit_log SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError):
        repo.db.execute("DELETE FROM audit_log")


def test_approved_revision_is_frozen_in_the_database(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    with pytest.raises(sqlite3.IntegrityError):  # approving without the hash is refused
        repo.db.execute("UPDATE revisions SET status = 'approved' WHERE assessment_id = ?", [aid])
    repo.submit(aid)
    repo.approve(aid, "李四", "DPO")
    with pytest.raises(sqlite3.IntegrityError):
        repo.db.execute("UPDATE revisions SET answers = '{}' WHERE assessment_id = ?", [aid])
    with pytest.raises(UserError) as exc:
        repo.save_answers(aid, {"a_scope": "x"})
    assert exc.value.key == "error.frozen"


def test_unknown_assessment_is_a_user_error(repo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as exc:
        repo.get(999)
    assert "999" in exc.value.message("en")


def test_data_folder_and_database_are_private(isolated_data_dir: Path) -> None:
    path = db_path()
    Repository(path).close()
    assert stat.S_IMODE(isolated_data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_schema_version_and_pragmas(repo) -> None:  # type: ignore[no-untyped-def]
    from pia_app.store.migrations import SCHEMA_VERSION

    assert repo.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert repo.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert repo.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_garbage_file_is_reported_and_left_untouched(isolated_data_dir: Path) -> None:
    from pia_app.store.repository import open_repository

    path = db_path()
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(UserError) as exc:
        open_repository(path)
    assert exc.value.key == "error.db_corrupt"
    assert str(path) in exc.value.message("zh")
    assert path.read_bytes() == garbage


def test_long_answers_are_logged_as_hash_and_length(repo, form) -> None:  # type: ignore[no-untyped-def]
    from pia_app.canonical import canonical_json, sha256_hex

    aid = repo.create(form.id, form.version)
    long_text = "人" * 100_000
    repo.save_answers(aid, {"a_scope": long_text})
    repo.save_answers(aid, {"a_scope": long_text + "。"})
    assert repo.revision(aid).answers["a_scope"] == long_text + "。"
    old, new = repo.audit(aid)[-1]["detail"]["changes"]["a_scope"]
    assert old == {"sha256": sha256_hex(canonical_json(long_text)), "chars": 100_002}
    assert new["chars"] == 100_003
    size = repo.db.execute("SELECT sum(length(detail)) FROM audit_log").fetchone()[0]
    assert size < 2_000
