"""Errors that are the user's to fix, as opposed to bugs.

A `UserError` carries a message key from the locale catalogue and its parameters, so the CLI and
the GUI can say it in the user's language. Anything else that escapes is a bug and may show a
traceback; a `UserError` never does.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A problem the user can fix: bad file, unknown id, locked database, unwritable folder."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        from pia_app.i18n import t

        params = dict(self.params)
        for name in [n for n in params if n.endswith("_key")]:
            params[name[: -len("_key")]] = t(str(params.pop(name)), lang)
        return t(self.key, lang, **params)

    def __str__(self) -> str:
        return self.message("en")
