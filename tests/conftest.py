"""Shared fixtures. Every test gets its own data folder; none touches the real user profile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The report's LibreOffice layout pass (pia_app/report/paginate.py) takes seconds per export;
# tests that check it turn it on themselves.
os.environ.setdefault("PIA_APP_PAGINATE", "0")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "forms" / "face_voice" / "examples"


@pytest.fixture(autouse=True, scope="session")
def isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One fresh form cache per test session: the first load checks the form in full."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PIA_APP_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder per test, also for code that only reads PIA_APP_DATA_DIR."""
    data = tmp_path / "data"
    monkeypatch.setenv("PIA_APP_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.delenv("PIA_APP_LANG", raising=False)
    from pia_app.i18n import set_language

    set_language("zh")
    return data


@pytest.fixture
def form():  # type: ignore[no-untyped-def]
    from pia_app.forms.loader import default_form

    return default_form()


@pytest.fixture
def repo(isolated_data_dir: Path) -> Iterator[object]:
    from pia_app.paths import db_path
    from pia_app.store.repository import Repository

    r = Repository(db_path(), actor="tester")
    yield r
    r.close()


@pytest.fixture
def office_example(form):  # type: ignore[no-untyped-def]
    from pia_app.interchange import load_assessment_file

    return load_assessment_file(EXAMPLES / "office_access_face.json", form)
