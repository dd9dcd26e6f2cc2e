"""Where the user's data lives.

Default: the per-user data folder of the platform (platformdirs), e.g.
`~/.local/share/pia-app` on Linux or `%LOCALAPPDATA%\\pia-app` on Windows. Override with
`--data-dir DIR` or the environment variable `PIA_APP_DATA_DIR` (tests always do). The folder is
created private to the user (0700) because it holds assessments of biometric processing.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from pia_app.errors import UserError

ENV_DATA_DIR = "PIA_APP_DATA_DIR"
DB_NAME = "pia.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data folder and make sure it exists with owner-only permissions."""
    raw = override or os.environ.get(ENV_DATA_DIR) or user_data_dir("pia-app", appauthor=False)
    path = Path(raw).expanduser()
    try:
        old = os.umask(0o077)
        try:
            path.mkdir(parents=True, exist_ok=True)
        finally:
            os.umask(old)
    except OSError as exc:
        raise UserError("error.data_dir", path=str(path), reason=exc.strerror or str(exc)) from exc
    if not os.access(path, os.W_OK):
        raise UserError("error.data_dir", path=str(path), reason="not writable")
    return path


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DB_NAME
