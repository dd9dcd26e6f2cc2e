"""Damage for the app's cache files, shared by the tests of every cache that uses them.

The form cache, the quick validators and the report's template caches all write one format
(`pia_app.forms.cache.write_payload`): a JSON header line (magic, key, payload's sha256), then
the payload. Each cache's test adds the damage only its payload can have (a form of the wrong
shape, code that is not a validator)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


def rewrite(path: Path, header: dict[str, Any] | None = None, payload: bytes | None = None) -> None:
    """The file with header fields replaced and/or another payload (hashed right, unless the
    header given says otherwise): what a foreign or older program might have left."""
    head, _sep, body = path.read_bytes().partition(b"\n")
    new_header = dict(json.loads(head), **(header or {}))
    if payload is not None:
        body = payload
        new_header.setdefault("sha256", hashlib.sha256(body).hexdigest())
    path.write_bytes(json.dumps(new_header).encode() + b"\n" + body)


def with_payload(path: Path, payload: bytes) -> None:
    """Another payload with a good hash: only the payload's own check can refuse it."""
    rewrite(path, payload=payload)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def foreign_key(path: Path) -> None:
    rewrite(path, header={"key": "0" * 64})


def other_magic(path: Path) -> None:
    rewrite(path, header={"magic": "something else"})
