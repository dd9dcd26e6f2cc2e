"""Damage is always reported in one line and never made worse: truncated files, bit flips,
0-byte files, a damaged file with its -wal, a full disk, a read-only folder, another writer."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pia_app.cli import main
from pia_app.errors import UserError
from pia_app.paths import db_path
from pia_app.store import db as dbmod
from pia_app.store.repository import Repository, open_repository

COMMANDS: list[list[str]] = [
    ["list", "--all"],
    ["verify"],
    ["history", "1"],
    ["diff", "1", "1", "2"],
    ["export", "1", "--history", "--out", "OUT/x.json"],
    ["submit", "2"],
    ["archive", "2"],
    ["report", "1", "--out", "OUT/r.docx"],
    ["delete", "2"],
]


def small_db(form: Any, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two assessments, one approved with a re-review, answers with Chinese text; checkpointed."""
    with Repository(path, actor="t") as repo:
        aid = repo.create(form.id, form.version, "门禁")
        repo.save_answers(aid, {"a_project_name": "门禁", "a_scope": "A 座大堂" * 20})
        repo.submit(aid)
        repo.approve(aid, "李明", "DPO")
        repo.start_review(aid, "periodic")
        other = repo.create(form.id, form.version, "声纹")
        for i in range(5):
            repo.save_answers(other, {"a_scope": f"客服录音 {i}" * 30})
        repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_cli(argv: list[str], out_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run a command in-process; any exception other than SystemExit fails the test."""
    args = [a.replace("OUT", str(out_dir)) for a in argv]
    code = main([*args, "--lang", "en"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def assert_one_line_or_ok(code: int, err: str, argv: list[str]) -> None:
    if code == 0:
        return
    assert code == 2, (argv, err)
    assert err.count("\n") >= 1 and all(line.startswith("pia-app: ") for line in err.splitlines()), (
        argv,
        err,
    )


def test_truncation_sweep_every_command_one_line_file_untouched(
    form, isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    small_db(form, path)
    good = path.read_bytes()
    page = 4096
    assert len(good) % page == 0 and len(good) >= 6 * page
    rng = random.Random(9)
    offsets = {
        0,
        1,
        50,
        99,
        100,
        page,
        len(good) - 1,
        len(good) - page,
        len(good) - page + 1,
        len(good) - 100,
    }
    offsets |= {rng.randrange(1, len(good)) for _ in range(20)}
    for cut in sorted(offsets):
        path.write_bytes(good[:cut])
        for suffix in ("-wal", "-shm"):
            dbmod.side_file(path, suffix).unlink(missing_ok=True)
        for argv in COMMANDS:
            code, err = run_cli(argv, tmp_path, capsys)
            assert code == 2, (cut, argv)
            assert err.count("\n") == 1 and str(path) in err, (cut, argv, err)
            assert path.read_bytes() == good[:cut], (cut, argv)
            assert not dbmod.side_file(path, "-wal").exists()
    assert "damaged" in err


def test_bit_flip_sweep_never_gives_a_traceback(
    form, isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    small_db(form, path)
    good = path.read_bytes()
    rng = random.Random(400)
    deadline = time.monotonic() + 90
    flips = 0
    for _ in range(120):
        if time.monotonic() > deadline:
            break
        data = bytearray(good)
        pos = rng.randrange(len(data))
        data[pos] ^= 1 << rng.randrange(8)
        for suffix in ("-wal", "-shm"):
            dbmod.side_file(path, suffix).unlink(missing_ok=True)
        path.write_bytes(bytes(data))
        for argv in COMMANDS[:5]:  # the reading commands: a flip must not be hidden by a write
            code, err = run_cli(argv, tmp_path, capsys)
            assert_one_line_or_ok(code, err, argv)
        flips += 1
    assert flips >= 40


def test_existing_zero_byte_file_is_refused_not_recreated(
    isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    path.write_bytes(b"")
    code, err = run_cli(["list"], tmp_path, capsys)
    assert code == 2 and str(path) in err and err.count("\n") == 1
    assert path.read_bytes() == b""
    assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["pia.sqlite3"]


def test_new_database_appears_complete_and_leaves_no_temporary_file(isolated_data_dir: Path) -> None:
    path = db_path()
    Repository(path).close()
    assert path.stat().st_size > 0
    assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["pia.sqlite3"]
    dbmod.check_file(path)


def _wal_set(form: Any, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    """A database whose last commits are still in its -wal (a crash left it so)."""
    src = folder / "src"
    src.mkdir()
    live = src / "pia.sqlite3"
    small_db(form, live)
    holder = sqlite3.connect(live, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("INSERT INTO settings (key, value) VALUES ('in-wal', 'yes')")
    path = db_path()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(dbmod.side_file(live, suffix), dbmod.side_file(path, suffix))
    holder.close()
    return path


def test_damaged_database_with_wal_is_left_byte_for_byte_and_copied_aside(
    form, isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = _wal_set(form, tmp_path)
    assert dbmod.side_file(path, "-wal").stat().st_size > 0
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 3 * 4096] = b"\xa5" * 4096  # a b-tree page overwritten
    path.write_bytes(bytes(data))
    before = {s: dbmod.side_file(path, s).read_bytes() for s in ("", "-wal", "-shm")}
    for argv in (["list"], ["verify"], ["submit", "2"]):
        code, err = run_cli(argv, tmp_path, capsys)
        assert code == 2 and err.count("\n") == 1 and "damaged" in err
        assert {s: dbmod.side_file(path, s).read_bytes() for s in before} == before
    copies = sorted(isolated_data_dir.glob("pia.sqlite3.damaged-*[0-9]"))
    assert len(copies) == 1  # one copy per damaged state, not one per command
    assert {s: dbmod.side_file(copies[0], s).read_bytes() for s in before} == before


def test_healthy_database_with_leftover_wal_opens_with_its_last_commits(
    form, isolated_data_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = _wal_set(form, tmp_path)
    with open_repository(path) as repo:
        assert repo.get_setting("in-wal") == "yes"
    assert not list(isolated_data_dir.glob("*.damaged-*"))


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    import tempfile

    point = Path(tempfile.mkdtemp(prefix="pia-tmpfs-"))
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)]).returncode:
        point.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=False)
        point.rmdir()


def fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)


def test_full_disk_at_startup_one_line_for_every_command_no_stray_files(form, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with tmpfs("2m") as mount:
        data = mount / "data"
        small_db(form, db_path(data))
        fill(mount)
        before = sorted(p.name for p in data.iterdir())
        assert before == ["pia.sqlite3"]
        for argv in [*COMMANDS, ["approve", "1", "--by", "a", "--role", "b"], ["delete", "2"]]:
            code, err = run_cli([*argv, "--data-dir", str(data)], tmp_path, capsys)
            assert code == 2 and err.count("\n") == 1 and "disk is full" in err, (argv, err)
            assert sorted(p.name for p in data.iterdir()) == before, argv
        code, err = run_cli(["list", "--data-dir", str(mount / "new")], tmp_path, capsys)
        assert code == 2 and "disk is full" in err
        assert not (mount / "new" / "pia.sqlite3").exists()


def test_full_disk_reported_when_sqlite_only_says_io_error(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no tmpfs can be mounted: SQLite's plain "disk I/O error" with no space left."""
    monkeypatch.setattr(dbmod, "disk_is_full", lambda path: True)
    err = dbmod.translate(sqlite3.OperationalError("disk I/O error"), db_path())
    assert isinstance(err, UserError) and err.key == "error.disk_full"
    monkeypatch.setattr(dbmod, "disk_is_full", lambda path: False)
    err = dbmod.translate(sqlite3.OperationalError("disk I/O error"), db_path())
    assert isinstance(err, UserError) and err.key == "error.db_open"


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A read-only data folder: a read-only bind mount as root (root ignores modes), else 0500."""
    if os.geteuid() == 0:
        if sys.platform != "linux":
            pytest.skip("read-only bind mount is Linux only")
        if subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode:
            pytest.skip("cannot bind-mount here")
        try:
            if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)]).returncode:
                pytest.skip("cannot remount read-only here")
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=False)
        return
    folder.chmod(0o500)
    try:
        yield
    finally:
        folder.chmod(0o700)


def test_reading_commands_work_on_a_read_only_folder(
    form, isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    small_db(form, path)
    before = path.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    with read_only(isolated_data_dir):
        for argv in (["list"], ["verify"], ["history", "1"], ["diff", "1", "1", "2"]):
            code, err = run_cli(argv, out, capsys)
            assert code == 0, (argv, err)
        code, err = run_cli(["export", "1", "--out", "OUT/e.json"], out, capsys)
        assert code == 0 and (out / "e.json").is_file()
        assert "not recorded in the audit trail" in err and err.count("\n") == 1
        code, err = run_cli(["report", "1", "--out", "OUT/r.docx"], out, capsys)
        assert code == 0 and (out / "r.docx").is_file(), err
        assert "not recorded in the audit trail" in err
        code, err = run_cli(["archive", "1"], out, capsys)
        assert code == 2 and err.count("\n") == 1
        assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["pia.sqlite3"]
    assert path.read_bytes() == before


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO settings (key, value) VALUES ('holder', 'x')")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.mark.slow
def test_reading_commands_do_not_wait_for_another_writer(
    form, isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    small_db(form, path)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        for argv in (["list"], ["verify"], ["history", "1"], ["export", "1", "--out", "OUT/e.json"]):
            start = time.monotonic()
            code, err = run_cli(argv, tmp_path, capsys)
            assert code == 0, (argv, err)
            if argv[0] != "export":
                assert time.monotonic() - start < 2.0, argv
        assert (tmp_path / "e.json").is_file()
        assert "not recorded in the audit trail" in err
    finally:
        proc.kill()
        proc.communicate(timeout=10)


def test_reading_commands_leave_no_wal_behind(form, isolated_data_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    small_db(form, db_path())
    for argv in (["list"], ["verify"], ["history", "1"]):
        assert run_cli(argv, tmp_path, capsys)[0] == 0
        assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["pia.sqlite3"], argv
    with Repository(db_path(), readonly=True) as repo:
        with pytest.raises(UserError) as exc:
            repo.archive(1)
        assert exc.value.key == "error.db_readonly"
        with pytest.raises(sqlite3.OperationalError):
            repo.db.execute("DELETE FROM settings")


def test_approvals_are_synced_in_full_autosaves_normal(repo, form, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    modes: list[int] = []
    real_log = Repository._log

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        modes.append(self.db.execute("PRAGMA synchronous").fetchone()[0])
        return real_log(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "_log", spy)
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, {"a_scope": "x"})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    assert modes == [2, 1, 2, 2]  # FULL, NORMAL (autosave), FULL, FULL
    assert repo.db.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_a_flipped_column_name_in_the_schema_is_damage_not_a_crash(
    form, isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    small_db(form, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'updated_at', 'updated_ax') WHERE name = 'revisions'"
    )
    conn.close()
    before = path.read_bytes()
    for argv in (["list"], ["history", "1"], ["export", "1", "--out", "OUT/x.json"], ["submit", "2"]):
        code, err = run_cli(argv, tmp_path, capsys)
        assert code == 2 and "damaged" in err and err.count("\n") == 1, (argv, err)
    assert path.read_bytes() == before
