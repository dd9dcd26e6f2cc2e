"""Message catalogue for the CLI and the GUI chrome, in Chinese (default) and English.

Question texts live in the forms, not here. The catalogues are YAML files in `locales/`; a test
checks that both languages have the same keys and the same placeholders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
_current = DEFAULT_LANG


def normalize_lang(lang: str | None) -> str:
    """Map `zh_CN.UTF-8`, `en-GB`, `EN` and the like onto one of LANGS."""
    if not lang:
        return DEFAULT_LANG
    low = lang.lower()
    return "en" if low.startswith("en") else "zh"


def set_language(lang: str | None) -> str:
    global _current
    _current = normalize_lang(lang)
    return _current


def current_language() -> str:
    return _current


def language_from_env() -> str:
    return normalize_lang(os.environ.get("PIA_APP_LANG") or DEFAULT_LANG)


@cache
def catalogue(lang: str) -> dict[str, str]:
    from pia_app.resources import package_data

    text = package_data("locales", f"{lang}.yaml").read_text("utf-8")
    from pia_app.forms.cache import cached_parse  # JSON in the cache folder: no YAML parser at start

    data = cached_parse(f"locale-{lang}", text, _parse_yaml)
    if not isinstance(data, dict):
        raise RuntimeError(f"locale {lang} is not a mapping")
    return {str(k): str(v) for k, v in data.items()}


def _parse_yaml(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 8x faster


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """Translate `key`; unknown keys come back as the key itself so nothing is ever blank."""
    text = catalogue(normalize_lang(lang) if lang else _current).get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def pick(texts: Mapping[str, str] | None, lang: str | None = None) -> str:
    """Choose one language from a `{zh: ..., en: ...}` mapping, falling back to the other."""
    if not texts:
        return ""
    want = normalize_lang(lang) if lang else _current
    return texts.get(want) or texts.get("zh") or texts.get("en") or ""
