"""Report exports off the GUI thread: the window stays live (it repaints, scrolls, takes typing)
while a report is rendered and laid out by LibreOffice, which takes seconds (QA finding).

The report code needs no Qt and no store once `prepare_revision_export` has read the revision
(on the GUI thread, which owns the store): `RevisionExport.write` runs on a worker thread and
writes through pia_app/atomic.py, so the file appears whole or not at all. The outcome comes back
to the GUI thread as a queued signal; the audit entry and the "open file / open folder" links
follow there. One export of an assessment at a time.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from pia_app.report.export import RevisionExport


class ReportExports(QObject):
    """The report exports under way, by assessment id."""

    written = Signal(object, object)
    """(job, path): the report is complete on disk (emitted on the GUI thread)."""
    failed = Signal(object, object)
    """(job, exception): nothing was written (a UserError says why; anything else is a bug)."""
    _done = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[int, tuple[RevisionExport, threading.Thread]] = {}
        self._done.connect(self._finish)  # queued: emitted on the worker thread

    def busy(self, assessment_id: int | None = None) -> bool:
        """An export of `assessment_id` (of any assessment when None) is under way."""
        return bool(self._running) if assessment_id is None else assessment_id in self._running

    def start(self, job: RevisionExport) -> bool:
        """Write `job` on a worker thread; False (nothing started) while the same assessment's
        report is still being written."""
        if job.assessment_id in self._running:
            return False
        worker = threading.Thread(target=self._work, args=(job,), name=f"report-export-{job.assessment_id}")
        self._running[job.assessment_id] = (job, worker)
        worker.start()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every worker has finished (their results are delivered by the event
        loop afterwards); True when none is left running."""
        for _job, worker in list(self._running.values()):
            worker.join(timeout)
        return not any(worker.is_alive() for _job, worker in self._running.values())

    def _work(self, job: RevisionExport) -> None:
        path: Path | None = None
        error: BaseException | None = None
        try:
            path = job.write()
        except Exception as exc:  # handed to the GUI thread, which says it or reports the bug
            error = exc
        with contextlib.suppress(RuntimeError):  # the window (and this object) is gone
            self._done.emit(job, path, error)

    def _finish(self, job: RevisionExport, path: Path | None, error: BaseException | None) -> None:
        self._running.pop(job.assessment_id, None)
        if error is not None or path is None:
            self.failed.emit(job, error)
        else:
            self.written.emit(job, path)
