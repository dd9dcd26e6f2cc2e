"""The one way pia-app writes a file the user asked for (reports, PDFs, exports, preferences).

Written under a temporary name in the same folder, synced, made readable by the user only
(0600: a report or an export describes the processing of biometric data), then renamed over the
target: a crash never leaves half a file, and an existing file is replaced only by a complete new
one. An existing target that is read-only is refused (never silently replaced: the rename would
otherwise ignore the file's own permission), as is a folder or a missing folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pia_app.errors import UserError

PRIVATE = 0o600

Writer = Callable[[BinaryIO], object]


def write_atomic(path: Path, content: bytes | str | Writer, error_key: str = "error.export_write") -> Path:
    """Write `content` (bytes, text as UTF-8, or a function writing to a binary file) to `path`.

    `error_key` is the message for a failed write (`{path}`, `{reason}`): a report, an export...
    Returns the path written."""
    out = path.expanduser()
    folder = check_target(out, error_key)
    fd, tmp_name = -1, ""
    try:
        old_umask = os.umask(0o077)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
        finally:
            os.umask(old_umask)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            if isinstance(content, bytes):
                fh.write(content)
            elif isinstance(content, str):
                fh.write(content.encode("utf-8"))
            else:
                content(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, PRIVATE)
        os.replace(tmp_name, out)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError("error.disk_full", path=str(out)) from exc
        if not tmp_name:  # not even a temporary file: the folder cannot be written
            raise UserError("error.export_folder", path=str(folder), reason=exc.strerror or str(exc)) from exc
        raise UserError(error_key, path=str(out), reason=exc.strerror or str(exc)) from exc
    return out


def check_target(out: Path, error_key: str = "error.export_write") -> Path:
    """Refuse early (before slow work) a target that cannot be written; return its folder."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError("error.export_folder", path=str(folder), reason_key="error.reason.no_folder")
    if out.is_dir():
        raise UserError(error_key, path=str(out), reason_key="error.reason.is_folder")
    if out.exists() and not _writable(out):
        raise UserError("error.out_readonly", path=str(out))
    return folder


def _writable(path: Path) -> bool:
    """The owner may write it, by its mode bits (not os.access, which is always yes for root)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return True
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)
