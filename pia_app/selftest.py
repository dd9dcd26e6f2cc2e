"""`pia-app --self-test`: prove that this installation (wheel, pipx or desktop bundle) works.

Runs offscreen and touches nothing of the user's: loads the shipped questionnaire (checked in
full, then read back from the form cache, in a temporary folder), stores and grades every shipped
example in a temporary database, renders a Word report into a temporary folder whose name has
Chinese characters and spaces, and starts the Qt user interface offscreen (main window, Qt's
Chinese translation). Each step prints one line; the first failure stops the test.
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
    examples = sorted((forms_dir().joinpath(*EXAMPLES)).glob("*.json"))
    if not examples:
        raise SelfTestFailed("examples", f"no examples in {forms_dir().joinpath(*EXAMPLES)}")

    from pia_app.forms import cache as form_cache

    with tempfile.TemporaryDirectory(prefix="pia-self-test-") as tmp:
        # The form cache goes to the temporary folder too: the self-test leaves nothing behind.
        saved_cache_dir = os.environ.get(form_cache.ENV_CACHE_DIR)
        os.environ[form_cache.ENV_CACHE_DIR] = str(Path(tmp) / "cache")
        try:
            form = step("questionnaire", lambda: _load_form_twice(forms_dir() / EXAMPLES[0]))
            folder = Path(tmp) / "自检 数据"
            folder.mkdir()
            size = step("store and grade", lambda: _grade_examples(form, examples, folder, lang))
            if gui:
                step("user interface (offscreen)", lambda: _open_window(folder, lang))
        finally:
            if saved_cache_dir is None:
                os.environ.pop(form_cache.ENV_CACHE_DIR, None)
            else:
                os.environ[form_cache.ENV_CACHE_DIR] = saved_cache_dir
    print(
        t("cli.self_test.ok", lang, version=__version__, count=len(examples), size=size), file=out, flush=True
    )
    return len(examples)


def _load_form_twice(root: Path) -> Form:
    """Checked in full and cached, then read back from the cache: both must be the same form."""
    from pia_app.forms.cache import cached_form
    from pia_app.forms.loader import load_form

    loads: list[Path] = []

    def full_check(path: Path) -> Form:
        loads.append(path)
        return load_form(path)

    first = cached_form(root, full_check)
    again = cached_form(root, full_check)
    if len(loads) != 1 or again != first:
        raise SelfTestFailed("questionnaire", "the form cache does not give back the checked form")
    return again


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
    """Qt loads offscreen, the Chinese Qt catalogue is found, the main window builds (the Qt part
    is in pia_app/ui/selftest_window.py: only ui/ imports PySide6)."""
    from pia_app.ui.selftest_window import QtCatalogueMissing, open_main_window_offscreen

    try:
        open_main_window_offscreen(folder, lang)
    except QtCatalogueMissing as exc:
        raise SelfTestFailed("user interface (offscreen)", str(exc)) from exc
