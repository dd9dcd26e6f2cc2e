"""One GUI per data folder: the lock is exclusive across processes and dies with its holder."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pia_app import instance_lock
from pia_app.errors import UserError

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pia_app import instance_lock
    lock = instance_lock.acquire(Path(sys.argv[1]))
    print("held" if lock else "refused", flush=True)
    time.sleep(60)
    """
)


def start_holder(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_acquire_release_reacquire(tmp_path: Path) -> None:
    lock = instance_lock.acquire(tmp_path)
    assert lock is not None and lock.held
    assert instance_lock.holder_pid(tmp_path) == os.getpid()
    assert stat.S_IMODE(instance_lock.lock_path(tmp_path).stat().st_mode) == 0o600
    assert instance_lock.acquire(tmp_path) is None  # a second open in this process is refused
    lock.release()
    assert not lock.held
    with instance_lock.acquire(tmp_path) as again:  # type: ignore[union-attr]
        assert again.held


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.slow
def test_second_process_is_refused_and_told_the_holder(tmp_path: Path) -> None:
    proc = start_holder(tmp_path)
    try:
        assert instance_lock.acquire(tmp_path) is None
        assert instance_lock.holder_pid(tmp_path) == proc.pid
        with pytest.raises(UserError) as exc:
            instance_lock.acquire_or_raise(tmp_path)
        assert exc.value.key == "error.instance_locked"
        assert str(proc.pid) in exc.value.message("zh") and str(tmp_path) in exc.value.message("en")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
    lock = instance_lock.acquire(tmp_path)  # a killed holder leaves no stale lock
    assert lock is not None
    assert instance_lock.holder_pid(tmp_path) == os.getpid()
    lock.release()


def test_holder_pid_without_lock_file(tmp_path: Path) -> None:
    assert instance_lock.holder_pid(tmp_path) is None
