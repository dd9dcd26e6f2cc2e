"""Privacy of the files: everything pia-app writes is readable by the user only, a read-only
--out is refused, deletion removes the answers from the file (audit trail included), backups
that still hold them are named and can be purged, copies are rotated, retention is enforced."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from pia_app.atomic import write_atomic
from pia_app.cli import main
from pia_app.errors import UserError
from pia_app.paths import data_dir, db_path
from pia_app.store import migrations
from pia_app.store.repository import Repository
from pia_app.store.verify import verify

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")

SECRETS = [
    "张三的人脸模板存放在华东机房",
    "VOICEPRINT-SECRET-7731",
    "门禁系统 Alpha 楼 B2 层",
    "这是一段很长的说明" * 150,  # > 1,000 characters: logged as a hash, kept in the revision
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--lang", "en"])
    out = capsys.readouterr()
    return code, out.out, out.err


@posix_only
def test_files_written_are_private(form, repo, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "私密")
    repo.save_answers(aid, {"a_scope": "x"})
    repo.close()
    os.umask(0o022)
    assert run(capsys, "export", str(aid), "--out", str(tmp_path / "e.json"))[0] == 0
    assert run(capsys, "report", str(aid), "--out", str(tmp_path / "r.docx"))[0] == 0
    assert mode(tmp_path / "e.json") == 0o600
    assert mode(tmp_path / "r.docx") == 0o600
    write_atomic(tmp_path / "plain.txt", "x")
    assert mode(tmp_path / "plain.txt") == 0o600
    with Repository(db_path()) as again:
        backup = migrations.backup(again.db, again.path, 2)
    assert mode(backup) == 0o600


@posix_only
def test_existing_data_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert data_dir(folder) == folder
    assert mode(folder) == 0o700


@posix_only
@pytest.mark.parametrize("command", ["export", "report"])
def test_out_onto_a_read_only_file_is_refused(form, repo, tmp_path: Path, capsys, command: str) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "x")
    target = tmp_path / ("out.json" if command == "export" else "out.docx")
    target.write_text("keep me")
    target.chmod(0o444)
    code, _, err = run(capsys, command, str(aid), "--out", str(target))
    assert code == 2 and "read-only" in err and err.count("\n") == 1
    assert target.read_text() == "keep me" and mode(target) == 0o444
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def populated(repo: Repository, form: Any) -> tuple[int, int]:
    """An approved assessment (report date long past) with a re-review, holding SECRETS; and
    another one that stays."""
    aid = repo.create(form.id, form.version, SECRETS[2])
    repo.save_answers(
        aid, {"a_project_name": SECRETS[2], "a_scope": SECRETS[0], "m_report_date": "2020-01-02"}
    )
    repo.save_answers(
        aid,
        {
            "a_project_name": SECRETS[2],
            "a_scope": SECRETS[1],
            "m_report_date": "2020-01-02",
            "d_specific_purpose": SECRETS[3],
        },
    )
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    repo.start_review(aid, "periodic", SECRETS[1])
    repo.log_event(aid, "exported", {"path": f"/home/u/{SECRETS[2]}.docx"})
    other = repo.create(form.id, form.version, "保留的评估 KEEP-ME")
    repo.save_answers(other, {"a_scope": "保留的范围 KEEP-ME-TOO"})
    return aid, other


def file_bytes(path: Path) -> bytes:
    return b"".join(
        Path(str(path) + s).read_bytes() for s in ("", "-wal", "-shm") if Path(str(path) + s).exists()
    )


def test_delete_leaves_no_answer_text_in_the_file(form, repo) -> None:  # type: ignore[no-untyped-def]
    aid, other = populated(repo, form)
    uid = repo.get(aid).uid
    before = file_bytes(repo.path)
    assert all(s.encode() in before for s in SECRETS[:3])
    scrubbed = repo.delete(aid)
    assert scrubbed >= 7
    data = file_bytes(repo.path)
    for secret in SECRETS:
        assert secret.encode() not in data, secret[:20]
        assert secret[:9].encode() not in data
    assert b"KEEP-ME-TOO" in data  # the other assessment is untouched
    result = verify(repo)
    assert result.ok, [p.key for p in result.problems]
    entries = [e for e in repo.audit() if e["assessment_uid"] == uid]
    assert entries[-1]["action"] == "deleted"
    approved = next(e for e in entries if e["action"] == "approved")
    assert approved["detail"]["state"]["approved_by"] == "李明"  # who signed and the hash stay
    assert len(approved["detail"]["state"]["content_hash"]) == 64
    answered = [e for e in entries if e["action"] == "answered"]
    assert answered[0]["detail"] == {
        "questions": ["a_project_name", "a_scope", "m_report_date"],
        "state": answered[0]["detail"]["state"],
    }
    assert repo.get(other).title == "保留的评估 KEEP-ME"


def test_delete_of_entries_written_before_v2_still_verifies(isolated_data_dir: Path) -> None:
    path = db_path()
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).resolve().parents[1] / "data" / "db" / "v1.sql").read_text("utf-8"))
    conn.close()
    with Repository(path) as repo:
        archived = next(s for s in repo.list_assessments(include_archived=True) if s.archived)
        repo.delete(archived.id)
        assert b"archived fixture" not in file_bytes(path)
        assert verify(repo).ok


def test_scrubbing_an_entry_of_a_living_assessment_is_reported(form, repo) -> None:  # type: ignore[no-untyped-def]
    aid, _ = populated(repo, form)
    uid = repo.get(aid).uid
    conn = sqlite3.connect(repo.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute(
        "UPDATE audit_log SET detail = '{}', scrubbed_at = 'x'"
        " WHERE assessment_uid = ? AND action = 'answered'",
        [uid],
    )
    conn.close()
    keys = {p.key for p in verify(repo).problems}
    assert "verify.scrubbed_not_deleted" in keys


def test_the_trigger_refuses_scrubbing_while_the_assessment_exists(form, repo) -> None:  # type: ignore[no-untyped-def]
    aid, _ = populated(repo, form)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        repo.db.execute(
            "UPDATE audit_log SET detail = '{}', scrubbed_at = 'x' WHERE assessment_uid = ?",
            [repo.get(aid).uid],
        )


def test_retention_refuses_then_force_with_reason_is_audited(form, repo, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "新")
    repo.save_answers(aid, {"m_report_date": dt.date.today().isoformat()})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    uid = repo.get(aid).uid
    code, _, err = run(capsys, "delete", str(aid))
    assert code == 2 and "--force" in err and err.count("\n") == 1
    code, _, err = run(capsys, "delete", str(aid), "--force")
    assert code == 2 and "--reason" in err
    assert repo.get(aid).id == aid
    code, out, _ = run(
        capsys, "delete", str(aid), "--force", "--reason", "数据主体撤回同意，监管同意提前删除"
    )
    assert code == 0 and "deleted" in out
    last = [e for e in repo.audit() if e["assessment_uid"] == uid][-1]
    assert last["action"] == "deleted"
    assert last["detail"]["forced"] is True and last["detail"]["reason"].startswith("数据主体")
    assert verify(repo).ok


def test_delete_names_backups_holding_it_and_purges_them(form, repo, capsys) -> None:  # type: ignore[no-untyped-def]
    aid, other = populated(repo, form)
    holding = migrations.backup(repo.db, repo.path, 2)
    repo.delete(other)  # a backup made now no longer holds `other`, still holds `aid`
    later = migrations.backup(repo.db, repo.path, 2)
    code, out, _ = run(capsys, "delete", str(aid))
    assert code == 0 and str(holding) in out and str(later) in out and "--purge-backups" in out
    assert holding.exists()
    aid2, _ = populated(repo, form)
    third = migrations.backup(repo.db, repo.path, 2)
    code, out, _ = run(capsys, "delete", str(aid2), "--purge-backups")
    assert code == 0 and str(third) in out
    assert not third.exists()
    assert holding.exists() and later.exists()  # they do not hold aid2


def test_backups_and_damaged_copies_are_rotated(repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    made = []
    for i in range(7):
        path = migrations.backup(repo.db, repo.path, 2)
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
        made.append(path)
    kept = migrations.copies_of(repo.path, "bak")
    assert len(kept) == 5
    monkeypatch.setenv(migrations.ENV_KEEP, "2")
    newest = migrations.backup(repo.db, repo.path, 2)
    assert migrations.copies_of(repo.path, "bak") == [made[-1], newest]


def test_damaged_copies_are_rotated(isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pia_app.store import db as dbmod

    monkeypatch.setenv(migrations.ENV_KEEP, "2")
    path = db_path()
    for i in range(4):
        path.write_bytes(b"damaged %d" % i)
        Path(str(path) + "-wal").write_bytes(b"wal %d" % i)
        copy = dbmod.copy_damaged_set(path)
        assert copy is not None
        os.utime(copy, (1_700_000_000 + i, 1_700_000_000 + i))
    copies = migrations.copies_of(path, "damaged")
    assert len(copies) == 2
    assert Path(str(copies[-1]) + "-wal").read_bytes() == b"wal 3"


def test_delete_refused_message_is_a_user_error(form, repo) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, {"m_report_date": dt.date.today().isoformat()})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    with pytest.raises(UserError) as exc:
        repo.delete(aid)
    assert exc.value.key == "error.retention"


def test_delete_also_removes_review_comments_and_attachments(form, repo) -> None:  # type: ignore[no-untyped-def]
    from pia_app.store.review_store import ReviewStore

    aid = repo.create(form.id, form.version, "评审")
    repo.save_answers(aid, {"a_scope": "x"})
    review = ReviewStore(repo, form)
    review.open_thread(aid, "a_scope", "评审意见 COMMENT-SECRET-42")
    review.attach_bytes(
        aid, "证据 EVIDENCE-NAME.txt", b"ATTACHMENT-BODY-SECRET", "a_scope", note="NOTE-SECRET"
    )
    assert b"COMMENT-SECRET-42" in file_bytes(repo.path)
    repo.delete(aid)
    data = file_bytes(repo.path)
    for secret in (b"COMMENT-SECRET-42", b"ATTACHMENT-BODY-SECRET", b"EVIDENCE-NAME", b"NOTE-SECRET"):
        assert secret not in data, secret
    assert verify(repo).ok


def test_upgrade_scrubs_assessments_deleted_before_v2(isolated_data_dir: Path) -> None:
    """A v1 database kept the answers of deleted assessments in the trail; the upgrade removes them."""
    from pia_app.canonical import canonical_json
    from pia_app.store import audit

    path = db_path()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript((Path(__file__).resolve().parents[1] / "data" / "db" / "v1.sql").read_text("utf-8"))
    uid, title = conn.execute("SELECT uid, title FROM assessments WHERE archived = 1").fetchone()
    conn.execute("DELETE FROM assessments WHERE uid = ?", [uid])  # what v1's delete did
    prev = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    entry = {
        "assessment_uid": uid,
        "revision": 1,
        "ts": "2026-11-22T04:00:00.000000Z",
        "actor": "v1",
        "action": "deleted",
        "detail": canonical_json({"title": title, "revisions": 1}),
        "prev_hash": prev,
    }
    entry["hash"] = audit.entry_hash_v1(entry)
    conn.execute(
        "INSERT INTO audit_log (assessment_uid, revision, ts, actor, action, detail, prev_hash, hash)"
        " VALUES (:assessment_uid, :revision, :ts, :actor, :action, :detail, :prev_hash, :hash)",
        entry,
    )
    conn.close()
    assert title.encode() in path.read_bytes()
    with Repository(path) as repo:
        assert title.encode() not in file_bytes(path)
        assert verify(repo).ok, [p.key for p in verify(repo).problems]
        backup = repo.backups[0]
    assert title.encode() in backup.read_bytes()  # the pre-upgrade backup still holds it
    with Repository(path) as repo:
        assert repo.backups_holding(uid) == [backup]
