"""Every menu of the main window is usable by keyboard alone: each entry has a mnemonic, and no
two entries of one menu share a letter (QA #15: File › Export data and Your name had none)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.gui

MNEMONIC = re.compile(r"&([^&])")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_menu_entry_has_its_own_mnemonic(qapp, isolated_data_dir, lang: str) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.app import configure_app
    from pia_app.ui.main_window import MainWindow

    configure_app(qapp, lang)
    window = MainWindow(None)
    try:
        for top in window.menuBar().actions():
            menu = top.menu()
            assert menu is not None
            letters = []
            for action in menu.actions():
                if action.isSeparator():
                    continue
                found = MNEMONIC.search(action.text())
                assert found, f"{top.text()} › {action.text()}"
                letters.append(found.group(1).lower())
            assert len(letters) == len(set(letters)), (top.text(), letters)
    finally:
        window.close()
        configure_app(qapp, "zh")
