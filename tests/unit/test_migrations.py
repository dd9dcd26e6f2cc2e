"""Schema migrations: every one is tested on a fixture database of the version before it,
the file is backed up first, a failed step changes nothing, a newer file is never touched.

Adding MIGRATIONS[n] (version n → n + 1) for n >= 1 needs, before writing it:
1. tests/data/db/v<n>.sql, made by `python tests/data/make_db_fixtures.py` on the code that
   still writes version n (the version users have);
2. a test here named `test_upgrade_from_v<n>` that loads that fixture, opens it with the current
   code and checks the upgraded data. `test_every_migration_has_an_upgrade_test` fails otherwise.
"""

from __future__ import annotations

import re
import sqlite3
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from pia_app.errors import UserError
from pia_app.paths import db_path
from pia_app.store import audit, migrations
from pia_app.store.database import Database
from pia_app.store.migrations import MIGRATIONS, SCHEMA_VERSION, split_sql
from pia_app.store.repository import Repository
from pia_app.store.verify import verify

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "db"


def missing_migration_tests(count: int, names: Iterable[str], fixtures: Path) -> list[str]:
    """What is missing for migrations 1..count-1 (0 → 1 creates the schema from nothing)."""
    have = set(names)
    missing = []
    for version in range(1, count):
        if f"test_upgrade_from_v{version}" not in have:
            missing.append(f"v{version}→v{version + 1}: no test_upgrade_from_v{version}")
        if not (fixtures / f"v{version}.sql").is_file():
            missing.append(f"v{version}→v{version + 1}: no fixture {fixtures}/v{version}.sql")
    return missing


def load_fixture(version: int, path: Path) -> Path:
    """Recreate the fixture database of `version` at `path`."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / f"v{version}.sql").read_text("utf-8"))
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return path


def test_every_migration_has_an_upgrade_test() -> None:
    assert missing_migration_tests(len(MIGRATIONS), globals(), FIXTURES) == []


def test_meta_test_notices_a_missing_upgrade_test(tmp_path: Path) -> None:
    names = [n for n in globals() if n.startswith("test_")]
    missing = missing_migration_tests(len(MIGRATIONS) + 1, names, tmp_path)
    newest = len(MIGRATIONS)
    assert f"v{newest}→v{newest + 1}: no test_upgrade_from_v{newest}" in missing
    assert any(f"v{newest}.sql" in m for m in missing)


def test_fixture_of_the_current_version_exists() -> None:
    """Ready for the next migration: the current version's fixture is already recorded."""
    assert (FIXTURES / f"v{SCHEMA_VERSION}.sql").is_file()


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def test_migrations_still_build_the_recorded_current_schema(tmp_path: Path) -> None:
    """Migrations of a released version must never change: a fresh database must have exactly
    the schema of the recorded fixture. (Changing the schema means a new migration and a new
    fixture, never editing an old one.)"""
    Repository(tmp_path / "fresh.sqlite3").close()
    recorded = load_fixture(SCHEMA_VERSION, tmp_path / "recorded.sqlite3")
    assert schema_of(tmp_path / "fresh.sqlite3") == schema_of(recorded)


def test_upgrade_from_v0_creates_the_schema(isolated_data_dir: Path) -> None:
    with Repository(db_path()) as repo:
        assert repo.backups == []
        assert migrations.user_version(repo.db) == SCHEMA_VERSION
        tables = set(repo.db.table_names())
    assert {"assessments", "revisions", "audit_log", "imported_audit", "settings"} <= tables


def test_current_fixture_opens_without_migration_and_reads_back(isolated_data_dir: Path) -> None:
    path = load_fixture(SCHEMA_VERSION, db_path())
    with Repository(path) as repo:
        assert repo.backups == []
        rows = repo.list_assessments(include_archived=True)
        assert sorted(r.title for r in rows) == ["archived fixture", "门禁 fixture"]
        main = next(r for r in rows if r.title == "门禁 fixture")
        assert [r.status for r in repo.revisions(main.id)] == ["approved", "draft"]
        assert repo.actor == "夹具 fixture"
        assert verify(repo).ok


def test_upgrade_from_v1(isolated_data_dir: Path) -> None:
    """v1 → v2: the old chain stays as it was (scheme 1), each assessment gets a `sealed` entry
    with the state of every revision, and the upgraded file verifies and can be scrubbed."""
    path = load_fixture(1, db_path())
    conn = sqlite3.connect(path)
    old_rows = conn.execute("SELECT id, hash, detail FROM audit_log ORDER BY id").fetchall()
    conn.close()
    with Repository(path, actor="after") as repo:
        assert migrations.user_version(repo.db) == SCHEMA_VERSION  # v2, then any later step
        assert len(repo.backups) == 1
        rows = repo.audit_rows()
        assert [(r["id"], r["hash"], r["detail"]) for r in rows[: len(old_rows)]] == old_rows
        assert all(r["detail_hash"] is None for r in rows[: len(old_rows)])
        sealed = rows[len(old_rows) :]
        assert [r["action"] for r in sealed] == ["sealed", "sealed"]
        assert sealed[0]["prev_hash"] == old_rows[-1][1]
        main_row = next(s for s in repo.list_assessments(include_archived=True) if s.title == "门禁 fixture")
        states = audit.decode_detail(next(r for r in sealed if r["assessment_uid"] == main_row.uid))["states"]
        revs = repo.revisions(main_row.id)
        assert [(s["number"], s["status"]) for s in states] == [(1, "approved"), (2, "draft")]
        assert states[0]["content_hash"] == revs[0].content_hash
        assert (states[0]["approved_by"], states[0]["approved_role"]) == ("李明", "DPO")
        assert states[1]["content_hash"] == repo.revision_hash(main_row.id, 2)
        result = verify(repo)
        assert result.ok, [p.key for p in result.problems]
        assert (result.assessments, result.revisions, result.approved) == (2, 3, 1)
        # new entries are scheme 2, and editing a draft behind the app's back is now seen
        repo.save_answers(main_row.id, {**revs[1].answers, "a_scope": "B 座"})
        assert repo.audit_rows()[-1]["detail_hash"] is not None
        assert verify(repo).ok
        repo.db.execute("UPDATE revisions SET answers = '{}' WHERE number = 2")
        assert [p.key for p in verify(repo).problems] == ["verify.draft_altered"]


def test_upgrade_from_v2(isolated_data_dir: Path, form) -> None:  # type: ignore[no-untyped-def]
    """v2 → v3 adds the review tables: existing assessments, revisions and trail stay as they
    were, the file verifies, and the new records work (and freeze) on the upgraded data."""
    from pia_app.store.review_store import ReviewStore

    path = load_fixture(2, db_path())
    conn = sqlite3.connect(path)
    old_audit = conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    old_revisions = conn.execute("SELECT * FROM revisions ORDER BY id").fetchall()
    conn.close()
    with Repository(path, actor="after") as repo:
        assert migrations.user_version(repo.db) == 3
        assert len(repo.backups) == 1
        assert {"blobs", "attachments", "comment_threads", "section_evaluations"} <= set(
            repo.db.table_names()
        )
        assert [tuple(r) for r in repo.db.execute("SELECT * FROM audit_log ORDER BY id")] == old_audit
        assert [tuple(r) for r in repo.db.execute("SELECT * FROM revisions ORDER BY id")] == old_revisions
        assert verify(repo).ok
        review = ReviewStore(repo, form)
        main_row = next(s for s in repo.list_assessments() if s.title == "门禁 fixture")
        assert review.threads(main_row.id) == [] and review.attachments(main_row.id, 1) == []
        thread = review.open_thread(main_row.id, "a_scope", "升级后的评论")
        repo.submit(main_row.id)
        with pytest.raises(UserError):
            repo.approve(main_row.id, "李明", "DPO")
        review.resolve(main_row.id, thread.id)
        repo.approve(main_row.id, "李明", "DPO")
        with pytest.raises(sqlite3.IntegrityError):
            repo.db.execute("DELETE FROM comment_threads")
        assert verify(repo).ok


def test_v3_fixture_reads_back_its_review_records(isolated_data_dir: Path, form) -> None:  # type: ignore[no-untyped-def]
    from pia_app.store.review_store import ReviewStore, sha256_bytes

    path = load_fixture(3, db_path())
    with Repository(path) as repo:
        review = ReviewStore(repo, form)
        main_row = next(s for s in repo.list_assessments() if s.title == "门禁 fixture")
        assert review.roles(main_row.id, 1)["author"] == ["王芳", "夹具 fixture"]
        (thread,) = review.threads(main_row.id, 1)
        assert thread.resolved and [c.body for c in thread.comments] == ["范围是否包括 B 座？", "不包括。"]
        (evaluation,) = review.evaluations(main_row.id, 1)
        assert (evaluation.verdict, evaluation.reviewer) == ("to_improve", "李明")
        advice = review.dpo_advice(main_row.id, 1)
        assert advice is not None and advice.decision == "overruled"
        names = [a.name for a in review.attachments(main_row.id, 1)]
        assert names == ["同意界面.png", "合同.pdf", "加密报告.txt"]
        evidence = review.attachments(main_row.id, 1)[-1]
        assert review.blob(evidence.sha256) == "加密已启用 fixture".encode()
        assert evidence.sha256 == sha256_bytes(review.blob(evidence.sha256))
        assert [a.name for a in review.attachments(main_row.id, 2)] == names
        assert verify(repo).ok


def _add_column(db: Database) -> None:
    db.execute("ALTER TABLE assessments ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'")


def _half_then_fail(db: Database) -> None:
    db.execute("CREATE TABLE half_done (x)")
    raise RuntimeError("migration bug")


def _with_extra(monkeypatch: pytest.MonkeyPatch, step: Callable[[Database], None]) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, step])


def test_existing_file_is_backed_up_before_migrating(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = load_fixture(SCHEMA_VERSION, db_path())
    _with_extra(monkeypatch, _add_column)
    with Repository(path) as repo:
        assert migrations.user_version(repo.db) == SCHEMA_VERSION + 1
        assert repo.db.execute("SELECT DISTINCT colour FROM assessments").fetchall() == [("blue",)]
        (backup,) = repo.backups
    assert re.fullmatch(rf"pia\.sqlite3\.bak-v{SCHEMA_VERSION}-\d{{8}}-\d{{6}}", backup.name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert old.execute("SELECT count(*) FROM assessments").fetchone()[0] == 2
    finally:
        old.close()
    assert migrations.newest_backup(path) == backup


def test_failed_migration_changes_nothing(isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = load_fixture(SCHEMA_VERSION, db_path())
    _with_extra(monkeypatch, _half_then_fail)
    with pytest.raises(RuntimeError, match="migration bug"):
        Repository(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "half_done" not in names


def test_first_migration_is_one_transaction(isolated_data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A crash inside the schema creation leaves an empty file, not half a schema."""
    real = MIGRATIONS[0]

    def crash(db: Database) -> None:
        real(db)
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [crash])
    with pytest.raises(RuntimeError):
        Repository(db_path())
    monkeypatch.setattr(migrations, "MIGRATIONS", [real])
    with Repository(db_path()) as repo:
        assert migrations.user_version(repo.db) == 1


def test_newer_database_is_refused_and_left_untouched(isolated_data_dir: Path) -> None:
    path = db_path()
    Repository(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as exc:
        Repository(path)
    assert exc.value.key == "error.db_newer"
    assert "99" in exc.value.message("en") and str(path) in exc.value.message("en")
    assert path.read_bytes() == before
    assert migrations.newest_backup(path) is None


def test_split_sql_keeps_trigger_bodies_whole() -> None:
    statements = split_sql(migrations.V1_SCHEMA)
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert triggers and all(s.rstrip().endswith("END;") for s in triggers)
    with pytest.raises(ValueError):
        split_sql("CREATE TABLE x (a")
