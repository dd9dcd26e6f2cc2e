"""The one cleaning step every user string passes before it goes into a report.

It removes only what XML 1.0 cannot hold (C0 controls other than tab, newline and carriage
return; lone surrogates; U+FFFE and U+FFFF). Everything else, `<`, `&`, `{{ }}` and emoji
included, is kept and escaped at render time. Line ends are made "\n" (a lone carriage return
would be turned into a line feed by any XML parser anyway; "\n" becomes a Word line break).
"""

from __future__ import annotations

import re
from typing import Any

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean(value: Any) -> Any:
    """Clean every string inside dicts, lists and tuples; leave other values as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value
