"""kill -9 at random moments never corrupts the database nor loses a committed answer.

A child process saves answers through the Repository in a loop and prints each value after
`save_answers` returned (i.e. after COMMIT). The parent kills it with SIGKILL at a random moment,
20 times over the same file, and checks every time: `PRAGMA integrity_check` is ok, the audit
chain verifies, every value the child reported is in the audit trail, and the current answer is
the last reported value or one the child committed but had no time to report.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pia_app.paths import db_path
from pia_app.store.repository import Repository
from pia_app.store.verify import verify

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pia_app.store.repository import Repository

    path, aid, run = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    repo = Repository(path, actor="child")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        value = f"{run}-{n}"
        repo.save_answers(aid, {"a_scope": value, "a_project_name": "崩溃测试 " + value})
        print(value, flush=True)
        if n % 25 == 0:
            repo.log_event(aid, "checkpoint", {"n": n})
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.slow
def test_sigkill_during_edits_loses_nothing_committed(form, isolated_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20261122)
    path = db_path()
    with Repository(path, actor="parent") as repo:
        aid = repo.create(form.id, form.version, "crash")
    reported_total = 0
    for run in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(aid), str(run)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        if run % 4 == 0:
            time.sleep(rng.uniform(0.0, 0.3))  # may die while opening the database
        else:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.02, 0.5))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        prefix = f"{run}-"
        complete = out.split("\n")[:-1]  # a last line without newline was cut by the kill
        reported = [line for line in complete if line.startswith(prefix)]
        reported_total += len(reported)

        with Repository(path, actor="parent") as repo:
            assert repo.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert verify(repo).ok
            saved = {
                e["detail"]["changes"]["a_scope"][1] for e in repo.audit(aid) if e["action"] == "answered"
            }
            assert set(reported) <= saved
            if reported:
                current = repo.revision(aid).answers["a_scope"]
                last = int(reported[-1].split("-")[1])
                assert current in (reported[-1], f"{run}-{last + 1}")
                assert repo.revision(aid).answers["a_project_name"] == "崩溃测试 " + current
    assert reported_total > 100  # the children really were editing when killed
