"""User preferences (language), kept as a small JSON file beside the database.

Kept out of the database on purpose: the language must be known before the database is opened
(to say in the user's language that it is locked or damaged).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pia_app.i18n import LANGS

FILE_NAME = "preferences.json"


def load(data_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((data_dir / FILE_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(data_dir: Path, prefs: dict[str, Any]) -> None:
    """Write atomically, so a crash never leaves a half-written preferences file."""
    fd, tmp = tempfile.mkstemp(prefix=".prefs-", dir=data_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(prefs, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, data_dir / FILE_NAME)


def saved_language(data_dir: Path) -> str | None:
    lang = load(data_dir).get("language")
    return lang if lang in LANGS else None


def set_language(data_dir: Path, lang: str) -> None:
    prefs = load(data_dir)
    prefs["language"] = lang
    save(data_dir, prefs)
