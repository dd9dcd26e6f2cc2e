"""Guard against a broken Qt binding.

PySide6-Essentials 6.12.0 on Python 3.11 drops a reference to None on every call of a method
that returns nothing; after a few thousand calls the interpreter aborts ("deallocating None").
A long editing session would crash and lose the last second of work. pyproject excludes that
release; this test fails on any binding with the same fault.
"""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.gui


def test_void_calls_do_not_leak_none_references(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem("x")
    before = sys.getrefcount(None)
    for _ in range(500):
        item.setData(Qt.ItemDataRole.UserRole, 1)
    assert sys.getrefcount(None) - before > -100
