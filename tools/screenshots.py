"""`make screenshots`: the main window and every section of the assessment editor, at 1366×768 and
1024×600, in Chinese and English, as PNG files to look at before a release (issue 10).

Runs offscreen in a temporary data folder (never the user's profile): the example assessments are
imported, each section is shown from an example in which it applies, and the whole window is
grabbed. Also writes index.txt listing every image.

    python tools/screenshots.py [--out screenshots] [--sizes 1366x768,1024x600] [--langs zh,en]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "forms" / "face_voice" / "examples"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--sizes", default="1366x768,1024x600")
    parser.add_argument("--langs", default="zh,en")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",") if s]
    langs = [lang for lang in args.langs.split(",") if lang]

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pia-shots-") as tmp:
        data = Path(tmp) / "data"
        os.environ["PIA_APP_DATA_DIR"] = str(data)
        for lang in langs:
            for width, height in sizes:
                written.extend(shoot(app, data, lang, width, height, out))
    (out / "index.txt").write_text("\n".join(written) + "\n", "utf-8")
    print(f"{out}/: {len(written)} images")
    return 0


def shoot(app: object, data: Path, lang: str, width: int, height: int, out: Path) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from pia_app.forms.answers import visible_section_ids
    from pia_app.interchange import import_file
    from pia_app.ui.app import configure_app
    from pia_app.ui.main_window import MainWindow

    assert isinstance(app, QApplication)
    configure_app(app, lang)
    window = MainWindow(data)
    window.name_bar.hide()
    if not window.model.rows:
        for example in sorted(EXAMPLES.glob("*.json")):
            import_file(window.repo, window.form, example)
        window.refresh()
    window.model.fill_all()
    window.resize(width, height)
    window.show()
    app.processEvents()
    tag = f"{lang}-{width}x{height}"
    names = []

    def grab(name: str) -> None:
        app.processEvents()
        path = out / f"{tag}-{name}.png"
        window.grab().save(str(path))
        names.append(path.name)

    grab("00-main")
    done: set[str] = set()
    for summary in window.model.rows:
        answers = window.repo.revision(summary.id).answers
        todo = [sid for sid in visible_section_ids(window.form, answers) if sid not in done]
        if not todo:
            continue
        editor = window.open_assessment(summary.id)
        assert editor is not None
        for sid in todo:
            index = next(i for i, s in enumerate(editor.sections) if s.id == sid)
            editor.go_to(index)
            settle(app, editor.pages[index])
            grab(f"section-{sid}")
            done.add(sid)
        editor.save_and_close()
    window.close()
    return names


def settle(app: object, page: object, timeout_s: float = 5.0) -> None:
    """Let a page built in idle slices (issue 12) finish and lay out before it is grabbed: a
    half-built page was grabbed with its options drawn on top of each other."""
    import time

    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    end = time.monotonic() + timeout_s
    while not getattr(page, "complete", True) and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    raise SystemExit(main())
