"""The cost of `synchronous = FULL` (pia_app/store/db.py) against NORMAL, per save and per
approval, on the disk of the temporary folder. Run: `.venv/bin/python benchmarks/store_durability.py`
(kept apart from run.py, which belongs to the start-up benchmarks); figures in docs/data.md."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from pia_app.forms.loader import default_form
from pia_app.store import db as dbmod
from pia_app.store.repository import Repository


def save_and_approve_ms(folder: Path, synchronous: str, saves: int = 100) -> tuple[float, float, float]:
    """(median save, worst save, approval) in milliseconds with every commit in the given
    synchronous mode (the app: NORMAL for saves, FULL for approvals)."""
    form = default_form()
    old = dbmod.SYNCHRONOUS, dbmod.DURABLE_SYNCHRONOUS
    dbmod.SYNCHRONOUS = dbmod.DURABLE_SYNCHRONOUS = synchronous
    try:
        with Repository(folder / f"{synchronous}.sqlite3", actor="bench") as repo:
            aid = repo.create(form.id, form.version, "bench")
            times = []
            for i in range(saves):
                start = time.perf_counter()
                repo.save_answers(aid, {"a_scope": f"范围 {i}", "a_project_name": "bench"})
                times.append((time.perf_counter() - start) * 1000)
            repo.submit(aid)
            start = time.perf_counter()
            repo.approve(aid, "李明", "DPO")
            approve = (time.perf_counter() - start) * 1000
    finally:
        dbmod.SYNCHRONOUS, dbmod.DURABLE_SYNCHRONOUS = old
    return statistics.median(times), max(times), approve


def main() -> None:
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        for mode in ("NORMAL", "FULL"):
            median, worst, approve = save_and_approve_ms(Path(tmp), mode)
            print(
                f"synchronous={mode}: save median {median:.2f} ms, worst {worst:.2f} ms;"
                f" approve {approve:.2f} ms"
            )


if __name__ == "__main__":
    main()
