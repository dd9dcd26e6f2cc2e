"""User preferences (language), kept as a small JSON file beside the database.

Kept out of the database on purpose: the language must be known before the database is opened
(to say in the user's language that it is locked or damaged).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pia_app.atomic import write_atomic
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
    write_atomic(data_dir / FILE_NAME, json.dumps(prefs, ensure_ascii=False, indent=2), "error.write_file")


def saved_language(data_dir: Path) -> str | None:
    lang = load(data_dir).get("language")
    return lang if lang in LANGS else None


def set_language(data_dir: Path, lang: str) -> None:
    prefs = load(data_dir)
    prefs["language"] = lang
    save(data_dir, prefs)
