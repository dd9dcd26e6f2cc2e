"""Where the user's data lives.

Default: the per-user data folder of the platform (platformdirs), e.g.
`~/.local/share/pia-app` on Linux or `%LOCALAPPDATA%\\pia-app` on Windows. Override with
`--data-dir DIR` or the environment variable `PIA_APP_DATA_DIR` (tests always do). The folder is
created private to the user (0700) because it holds assessments of biometric processing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from platformdirs import user_data_dir

from pia_app.errors import UserError

ENV_DATA_DIR = "PIA_APP_DATA_DIR"
DB_NAME = "pia.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None, writable: bool = True) -> Path:
    """Resolve the data folder and make sure it exists with owner-only permissions.

    An existing folder that others can read is tightened to 0700 (where we may). With
    `writable=False` (commands that only read), a read-only folder is accepted."""
    raw = override or os.environ.get(ENV_DATA_DIR) or user_data_dir("pia-app", appauthor=False)
    path = Path(raw).expanduser()
    if not path.is_dir() or writable:
        try:
            old = os.umask(0o077)
            try:
                path.mkdir(parents=True, exist_ok=True)
            finally:
                os.umask(old)
        except OSError as exc:
            raise UserError("error.data_dir", path=str(path), reason=exc.strerror or str(exc)) from exc
    tighten(path)
    if writable and not os.access(path, os.W_OK):
        raise UserError("error.data_dir", path=str(path), reason="not writable")
    return path


def tighten(folder: Path) -> None:
    """Make an existing data folder private (0700) if it is not; silently keep it where the
    file system or its owner does not allow (e.g. a read-only mount, someone else's folder)."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            folder.chmod(mode & 0o700 | 0o700)
    except OSError:
        pass


def db_path(override: str | os.PathLike[str] | None = None, writable: bool = True) -> Path:
    return data_dir(override, writable) / DB_NAME
