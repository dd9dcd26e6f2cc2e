"""The database file in the user's environment: damaged files, permissions, another writer."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pia_app.cli import main
from pia_app.errors import UserError
from pia_app.paths import db_path
from pia_app.store.repository import Repository, open_repository


def make_db(form, path: Path) -> None:  # type: ignore[no-untyped-def]
    with Repository(path, actor="t") as repo:
        aid = repo.create(form.id, form.version, "x")
        for i in range(40):
            repo.save_answers(aid, {"a_scope": "范围" * 50 + str(i)})
        repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def assert_refused_untouched(path: Path, backup: Path | None = None) -> UserError:
    before = path.read_bytes()
    with pytest.raises(UserError) as exc:
        open_repository(path)
    message = exc.value.message("en")
    assert str(path) in message
    if backup is not None:
        assert exc.value.key == "error.db_corrupt_backup"
        assert str(backup) in message
    assert path.read_bytes() == before
    return exc.value


def test_truncated_file_is_reported_with_newest_backup(form, isolated_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    make_db(form, path)
    older = path.with_name(path.name + ".bak-v1-20250101-000000")
    newer = path.with_name(path.name + ".bak-v1-20260101-000000")
    shutil.copy(path, older)
    shutil.copy(path, newer)
    newer.touch()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused_untouched(path, backup=newer)


def test_garbage_after_a_valid_header_is_reported(form, isolated_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    make_db(form, path)
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    path.write_bytes(bytes(data))
    err = assert_refused_untouched(path)
    assert err.key == "error.db_corrupt"


@pytest.mark.parametrize("content", [b"x", b"PK\x03\x04 a zip file" * 50, "中文文本".encode() * 99])
def test_non_sqlite_file_is_reported(isolated_data_dir: Path, content: bytes) -> None:
    path = db_path()
    path.write_bytes(content)
    err = assert_refused_untouched(path)
    assert err.key == "error.db_corrupt"


def test_foreign_sqlite_database_is_not_taken_over(isolated_data_dir: Path) -> None:
    path = db_path()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    assert_refused_untouched(path)


def test_cli_reports_damaged_file_in_one_line(isolated_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db_path().write_bytes(b"garbage" * 1000)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(db_path()) in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_folder_database_and_wal_are_private(form, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new" / "data"
    path = db_path(folder)
    with Repository(path) as repo:
        repo.create(form.id, form.version)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for suffix in ("", "-wal", "-shm"):
            f = Path(str(path) + suffix)
            assert f.exists(), suffix
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, suffix


HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO settings (key, value) VALUES ('holder', 'x')")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
    print("released", flush=True)
    """
)


def hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.mark.slow
def test_cli_write_waits_for_another_writer(form, isolated_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    with Repository(path) as repo:
        aid = repo.create(form.id, form.version)
    proc = hold_write_lock(path, 1.0)
    try:
        start = time.monotonic()
        assert main(["archive", str(aid)]) == 0
        assert time.monotonic() - start >= 0.5
    finally:
        proc.communicate(timeout=10)
    with Repository(path) as repo:
        assert repo.get(aid).archived
        assert repo.get_setting("holder") == "x"


@pytest.mark.slow
def test_cli_write_fails_clearly_while_another_writer_holds_on(form, isolated_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    with Repository(path) as repo:
        aid = repo.create(form.id, form.version)
        entries = len(repo.audit())
    proc = hold_write_lock(path, 30.0)
    try:
        start = time.monotonic()
        assert main(["archive", str(aid), "--lang", "en"]) == 2
        waited = time.monotonic() - start
        err = capsys.readouterr().err
        assert "in use by another program" in err and err.count("\n") == 1
        assert 4.0 <= waited < 20
    finally:
        proc.kill()
        proc.communicate(timeout=10)
    with Repository(path) as repo:
        assert not repo.get(aid).archived
        assert len(repo.audit()) == entries
        assert repo.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert repo.get_setting("holder") is None  # the killed holder's write rolled back


OPENER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pia_app.store.repository import Repository
    with Repository(Path(sys.argv[1]), actor=sys.argv[2]) as repo:
        print(repo.create("face_voice_pia", "0.1", sys.argv[2]), flush=True)
    """
)


@pytest.mark.slow
def test_processes_opening_a_new_file_at_once_all_succeed(isolated_data_dir: Path) -> None:
    """Only one creates the schema; the others wait for it instead of failing half-way."""
    path = db_path()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), f"p{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in results]
    assert sorted(int(out) for out, _ in results) == [1, 2, 3, 4]
    with Repository(path) as repo:
        assert sorted(s.title for s in repo.list_assessments()) == ["p0", "p1", "p2", "p3"]
