"""Restoring a backup keeps the damaged file aside, byte for byte, and the data comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_app.errors import UserError
from pia_app.paths import db_path
from pia_app.store.migrations import backup as make_backup
from pia_app.store.recovery import restore_backup
from pia_app.store.repository import Repository, open_repository


def test_restore_backup_keeps_damaged_file_and_recovers_data(form, isolated_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = db_path()
    with Repository(path) as repo:
        aid = repo.create(form.id, form.version, "要恢复的评估")
        saved = make_backup(repo.db, path, 1)
    garbage = b"\x00garbage" * 512
    path.write_bytes(garbage)
    with pytest.raises(UserError) as exc:
        open_repository(path)
    assert str(saved) in exc.value.message("zh")
    aside = restore_backup(path, saved)
    assert aside.read_bytes() == garbage
    with open_repository(path) as repo:
        assert repo.get(aid).title == "要恢复的评估"


def test_missing_backup_is_a_user_error(isolated_data_dir: Path) -> None:
    with pytest.raises(UserError):
        restore_backup(db_path(), isolated_data_dir / "nope.bak")
