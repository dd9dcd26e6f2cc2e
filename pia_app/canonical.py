"""Canonical JSON and content hashes, shared by the store, the report and `pia-app verify`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pia_app.digest import sha256


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant white space, UTF-8 kept as is: the same data, the same text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return sha256(text.encode("utf-8")).hexdigest()


def content_hash(form_id: str, form_version: str, answers: Any) -> str:
    """The SHA-256 printed in the report, so a reader can check it matches the stored record."""
    return sha256_hex(canonical_json({"form": form_id, "version": form_version, "answers": answers}))


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
