"""Crash logs: what an unexpected exception leaves behind instead of a traceback on screen.

The CLI and the GUI both call `write_crash_log` and then show the user one line (or one dialog)
naming the file. The log holds what a developer needs (traceback, pia-app, Python, Qt and OS
versions, the command name) and nothing of the assessment: no answers, no command-line arguments
(they may hold names or notes), no local variables. Exception messages are kept, each line cut
to `MESSAGE_LIMIT` characters. The file is private to the user (0600) and lives in `crash-logs/`
of the user's data folder; only the newest `KEEP` logs are kept.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pia_app import __version__

CRASH_FOLDER = "crash-logs"
KEEP = 20
MESSAGE_LIMIT = 500


def crash_folder(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """`crash-logs/` in the data folder; the temporary folder if the data folder is unusable."""
    try:
        from pia_app.paths import data_dir as resolve

        base = resolve(data_dir)
    except Exception:  # a crash report must not fail on the data folder that may have caused it
        base = Path(tempfile.gettempdir()) / "pia-app"
    folder = base / CRASH_FOLDER
    old = os.umask(0o077)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(old)
    return folder


def crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    command: str = "",
) -> str:
    """The text of a crash log: environment first, then the traceback without local variables."""
    qt = ""
    if "PySide6.QtCore" in sys.modules:
        qt = str(getattr(sys.modules["PySide6.QtCore"], "qVersion", lambda: "")())
    lines = [
        f"pia-app {__version__} crash log",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"command: {command or '-'}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"platform: {platform.platform()} {platform.machine()}",
        f"installation: {_installation()}",
        f"qt: {qt or 'not loaded'}",
        "",
    ]
    body = "".join(traceback.format_exception(exc_type, exc, tb)).splitlines()
    # Frames are short; a long line is an exception message, which may quote user text: cut it.
    body = [b if len(b) <= MESSAGE_LIMIT else b[:MESSAGE_LIMIT] + " … (cut)" for b in body]
    return "\n".join(lines + body) + "\n"


def _installation() -> str:
    """Desktop bundle, installed package or source checkout, and where the app's data files are."""
    kind = "bundle" if getattr(sys, "frozen", False) else "package"
    try:
        from pia_app.resources import packaged_root, resource_root

        root = resource_root()
        if not getattr(sys, "frozen", False) and root != packaged_root():
            kind = "checkout"
        return f"{kind}, data files in {root}"
    except Exception as exc:  # the crash may be a missing data folder
        return f"{kind}, data files not found ({type(exc).__name__})"


def write_crash_log(
    exc: BaseException,
    data_dir: str | os.PathLike[str] | None = None,
    command: str = "",
) -> Path:
    """Write the crash log of `exc` (mode 0600) and return its path; raises OSError if impossible."""
    folder = crash_folder(data_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"crash-{stamp}-{os.getpid()}-{n}.log"
    text = crash_report(type(exc), exc, exc.__traceback__, command)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    logs = sorted(folder.glob("crash-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in logs[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
