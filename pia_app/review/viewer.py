"""A private temporary copy of an attachment, for the system viewer (the GUI opens it with
QDesktopServices). The only place an attachment is written outside the data folder.

The copy goes into one folder per program run, created 0700, and the file itself is 0600 (the
attachment may show personal information); the folder is removed when the program exits. The
file keeps the attachment's name (made safe) so the viewer recognises its type.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_folder: Path | None = None


def _private_folder() -> Path:
    global _folder
    if _folder is None or not _folder.is_dir():
        _folder = Path(tempfile.mkdtemp(prefix="pia-app-view-"))  # mkdtemp: 0700
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def safe_name(name: str) -> str:
    bad = '<>:"/\\|?*'
    clean = "".join("_" if c in bad or not c.isprintable() else c for c in name).strip(" .")
    return clean[:120] or "attachment"


def temp_copy(name: str, data: bytes) -> Path:
    """Write `data` to a new 0600 file named like the attachment in the private folder."""
    folder = Path(tempfile.mkdtemp(dir=_private_folder()))  # one sub-folder per copy: no clashes
    path = folder / safe_name(name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path
