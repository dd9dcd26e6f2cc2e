"""Put a backup in place of a damaged database without destroying anything.

The damaged file (and its -wal/-shm) is renamed aside as `<name>.damaged-<timestamp>`, never
overwritten or deleted, so it can still be sent for analysis; then the backup is copied in.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from pia_app.errors import UserError
from pia_app.store.migrations import rotate


def restore_backup(db_file: Path, backup: Path) -> Path:
    """Move `db_file` aside and copy `backup` to its place; return where the damaged file went."""
    if not backup.is_file():
        raise UserError("error.file_missing", path=str(backup))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_file.with_name(f"{db_file.name}.damaged-{stamp}")
    try:
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(db_file) + suffix)
            if src.exists():
                os.replace(src, Path(str(aside) + suffix))
        tmp = db_file.with_name(f".{db_file.name}.restoring")
        shutil.copy2(backup, tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, db_file)
    except OSError as exc:
        raise UserError("error.restore_failed", path=str(db_file), reason=exc.strerror or str(exc)) from exc
    rotate(db_file, "damaged")
    return aside
