"""A report export runs off the GUI thread (issue 12, QA finding: the window froze for the
seconds of LibreOffice's layout pass): the window stays live and says it is busy, a second
export of the same assessment is refused meanwhile, the result comes back with "open file" /
"open folder", and closing the window during an export waits for the whole file (and its audit
entry) instead of crashing or leaving half a file.

The report's writing is held on a gate (a threading.Event) so that each test decides when it
ends; nothing here depends on timing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document

pytestmark = pytest.mark.gui

LONG = 120_000
"""Upper bound (ms) for a signal awaited by a test: a failure limit, not a timing assertion."""


class Gate:
    """Holds `RevisionExport.write` until opened; records the threads it ran on."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.started = threading.Event()
        self.threads: list[threading.Thread] = []

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    from pia_app.report.export import RevisionExport

    g = Gate()
    real = RevisionExport.write

    def held(self: RevisionExport) -> Path:
        g.threads.append(threading.current_thread())
        g.started.set()
        assert g.opened.wait(LONG / 1000), "the test never opened the gate"
        return real(self)

    monkeypatch.setattr(RevisionExport, "write", held)
    yield g
    g.open()  # never leave a worker waiting


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The folder reports go to (the data folder is in tmp_path too)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def assessment(main_window: Any, title: str) -> int:
    wizard = main_window.new_assessment()
    wizard.block("a_project_name").widget.editor.setText(title)
    assert wizard.flush()
    return int(wizard.assessment_id)


def exported_entries(main_window: Any, aid: int) -> list[dict[str, Any]]:
    return [e for e in main_window.repo.audit(aid) if e["action"] == "exported"]


def test_the_report_is_written_off_the_gui_thread_while_the_window_stays_live(
    main_window: Any, qtbot: Any, gate: Gate, out: Path
) -> None:
    from PySide6.QtCore import QTimer

    aid = assessment(main_window, "后台导出")
    target = out / "报告.docx"
    assert main_window.export_report(aid, target) == target
    assert gate.started.wait(LONG / 1000)
    assert gate.threads and gate.threads[0] is not threading.main_thread()
    # Busy, visibly, and nothing on disk yet.
    assert not main_window.export_busy.isHidden()
    assert main_window.statusBar().currentMessage().startswith("正在写入文件")
    assert main_window.export_links.isHidden()
    assert not target.exists()
    # The event loop runs meanwhile: a queued call is served while the report is held.
    served: list[bool] = []
    QTimer.singleShot(0, lambda: served.append(True))
    qtbot.waitUntil(lambda: served == [True], timeout=LONG)
    assert not target.exists() and main_window.report_exports.busy(aid)
    # The editor still takes answers (and saves them) during the export.
    wizard = main_window.wizards[aid]
    wizard.block("a_project_name").widget.editor.setText("后台导出（改）")
    assert wizard.flush()

    with qtbot.waitSignal(main_window.report_exports.written, timeout=LONG):
        gate.open()
    assert main_window.export_busy.isHidden()
    assert not main_window.export_links.isHidden() and main_window.last_export == target
    assert main_window.statusBar().currentMessage().startswith(f"报告已保存到 {target}")
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "后台导出" in text
    assert [e["detail"]["path"] for e in exported_entries(main_window, aid)] == [str(target)]
    assert main_window.errors == []


def test_a_second_export_of_the_same_assessment_waits_for_the_first(
    main_window: Any, qtbot: Any, gate: Gate, out: Path
) -> None:
    first = assessment(main_window, "甲")
    other = assessment(main_window, "乙")
    assert main_window.export_report(first, out / "a.docx") is not None
    assert main_window.export_report(first, out / "b.docx") is None
    assert main_window.errors == ["这份评估的报告正在写入，请等它完成后再导出。"]
    # Another assessment's report may be written at the same time.
    assert main_window.export_report(other, out / "c.docx") is not None
    gate.open()
    qtbot.waitUntil(lambda: not main_window.report_exports.busy(), timeout=LONG)
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "c.docx"]
    assert len(gate.threads) == 2
    # Once written, the same assessment can be exported again.
    with qtbot.waitSignal(main_window.report_exports.written, timeout=LONG):
        assert main_window.export_report(first, out / "b.docx") is not None
    assert (out / "b.docx").is_file()


def test_a_failed_export_says_why_and_leaves_no_file(
    main_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    from pia_app.errors import UserError
    from pia_app.report.export import RevisionExport

    def fails(self: RevisionExport) -> Path:
        raise UserError("error.export_write", path=str(self.out), reason="disk full")

    monkeypatch.setattr(RevisionExport, "write", fails)
    aid = assessment(main_window, "失败")
    target = out / "r.docx"
    with qtbot.waitSignal(main_window._exports().failed, timeout=LONG):
        assert main_window.export_report(aid, target) == target
    assert len(main_window.errors) == 1 and "disk full" in main_window.errors[0]
    assert main_window.export_busy.isHidden() and main_window.export_links.isHidden()
    assert list(out.iterdir()) == [] and exported_entries(main_window, aid) == []


def test_closing_the_window_during_an_export_waits_for_the_whole_report(
    main_window: Any, qtbot: Any, gate: Gate, out: Path
) -> None:
    from pia_app.store.repository import Repository

    main_window.show()
    qtbot.waitExposed(main_window)
    aid = assessment(main_window, "关闭窗口")
    target = out / "报告.docx"
    assert main_window.export_report(aid, target) == target
    assert gate.started.wait(LONG / 1000)

    assert main_window.close() is False  # refused for now: the report is being written
    assert main_window.isVisible()
    assert main_window.statusBar().currentMessage() == "报告写完后窗口将自动关闭……"
    assert main_window.close() is False  # asking again changes nothing
    assert main_window.switch_language("en") is main_window  # nor does rebuilding the window
    assert not target.exists()

    with qtbot.waitSignal(main_window.report_exports.written, timeout=LONG):
        gate.open()
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=LONG)
    # The whole report, its audit entry, and no temporary file beside it.
    assert [p.name for p in out.iterdir()] == ["报告.docx"]
    assert "关闭窗口" in "\n".join(p.text for p in Document(str(target)).paragraphs)
    repo = Repository(main_window.db_file, actor="test")
    try:
        assert [e["detail"]["path"] for e in repo.audit(aid) if e["action"] == "exported"] == [str(target)]
    finally:
        repo.close()
