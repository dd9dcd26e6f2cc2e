"""`pia-app --self-test`: prove that this installation (wheel, pipx or desktop bundle) works.

Runs offscreen, touches nothing of the user's: loads the shipped questionnaire, stores and grades
every shipped example in a temporary database, renders a Word report into a temporary folder
whose name has Chinese characters and spaces, and starts the Qt user interface offscreen (main
window, Qt's Chinese translation). Each step prints one line; the first failure stops the test.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from pia_app import __version__
from pia_app.i18n import t

if TYPE_CHECKING:
    from pia_app.forms.schema import Form

T = TypeVar("T")

EXAMPLES = ("face_voice", "examples")


class SelfTestFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


def run_self_test(lang: str, out: TextIO, gui: bool = True) -> int:
    """Run every step; return the number of examples graded. Raises SelfTestFailed."""
    from pia_app.resources import forms_dir, report_template

    def step(name: str, check: Callable[[], T]) -> T:
        try:
            result = check()
        except SelfTestFailed:
            raise
        except Exception as exc:
            from pia_app.errors import UserError

            reason = exc.message(lang) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            raise SelfTestFailed(name, reason) from exc
        print(t("cli.self_test.step", lang, step=name), file=out, flush=True)
        return result

    def resources_present() -> None:
        for path in (forms_dir() / "face_voice" / "form.yaml", report_template("zh"), report_template("en")):
            if not path.is_file():
                raise SelfTestFailed("resources", f"missing {path}")

    step("resources", resources_present)

    from pia_app.forms.loader import default_form

    form = step("questionnaire", default_form)
    examples = sorted((forms_dir().joinpath(*EXAMPLES)).glob("*.json"))
    if not examples:
        raise SelfTestFailed("examples", f"no examples in {forms_dir().joinpath(*EXAMPLES)}")
    with tempfile.TemporaryDirectory(prefix="pia-self-test-") as tmp:
        folder = Path(tmp) / "自检 数据"
        folder.mkdir()
        size = step("store and grade", lambda: _grade_examples(form, examples, folder, lang))
        if gui:
            step("user interface (offscreen)", lambda: _open_window(folder, lang))
    print(
        t("cli.self_test.ok", lang, version=__version__, count=len(examples), size=size), file=out, flush=True
    )
    return len(examples)


def _grade_examples(form: Form, examples: list[Path], folder: Path, lang: str) -> int:
    """Store and grade every example, report the last one; return the report's size in bytes.

    The grading of what the store gives back must equal the grading of the file: the store and
    the engine both work in this installation.
    """
    from pia_app.engine.grade import grade_assessment
    from pia_app.interchange import load_assessment_file
    from pia_app.paths import DB_NAME
    from pia_app.report.export import export_revision
    from pia_app.store.repository import Repository

    with Repository(folder / DB_NAME, actor="self-test") as repo:
        aid = 0
        for example in examples:
            doc = load_assessment_file(example, form)
            aid = repo.create(form.id, form.version, str(doc.metadata.get("title", "")))
            repo.save_answers(aid, doc.answers)
            stored = grade_assessment(form, repo.revision(aid).answers)
            if stored != grade_assessment(form, doc.answers):
                raise SelfTestFailed("store and grade", f"{example.name}: stored answers grade differently")
        report = export_revision(repo, form, aid, folder / "报告 report.docx", lang)
    with zipfile.ZipFile(report) as docx:
        if "word/document.xml" not in docx.namelist():
            raise SelfTestFailed("store and grade", f"{report} is not a Word document")
    return report.stat().st_size


def _open_window(folder: Path, lang: str) -> None:
    """Qt loads offscreen, the Chinese Qt catalogue is found, the main window builds."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from pia_app.ui.app import configure_app, install_qt_translations
    from pia_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["pia-app"])
    assert isinstance(app, QApplication)
    configure_app(app, lang)
    if not install_qt_translations(app, "zh"):
        raise SelfTestFailed(
            "user interface (offscreen)", "Qt's Chinese translation qtbase_zh_CN.qm is missing"
        )
    install_qt_translations(app, lang)
    window = MainWindow(folder)
    window.show()
    app.processEvents()
    window.close()
    window.deleteLater()
    app.processEvents()
