"""Find the data folders shipped with the app (forms/, templates/).

From a source checkout or an editable install they are beside the package; in a PyInstaller
bundle they are under sys._MEIPASS. `PIA_APP_RESOURCES` overrides both (for tests and packagers).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resource_root() -> Path:
    env = os.environ.get("PIA_APP_RESOURCES")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[1]


def forms_dir() -> Path:
    return resource_root() / "forms"


def templates_dir() -> Path:
    return resource_root() / "templates"


def report_template(lang: str) -> Path:
    return templates_dir() / f"report_{lang}.docx"
