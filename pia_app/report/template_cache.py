"""The report templates as Jinja compiled them, kept in the user cache folder (issue 12).

Each export used to clean the template's XML for Jinja (docxtpl's `patch_xml`, regular
expressions over the whole document) and compile the result to Python (Jinja's parser and code
generator): ~0.5 s of a ~1 s export, the same work for the same template every time. Both
results are now kept in the cache folder beside the form cache (same file header, key and payload
hash as pia_app/forms/cache.py), keyed by a SHA-256 of their input and of what else shapes them:
the docxtpl or Jinja version, the report environment's settings (`ENV_FINGERPRINT`) and, for
compiled code, the Python that reads it back. An edited template is a new key. A file whose
header, key or hash does not match, or whose code does not load, is ignored and rebuilt; a
cache folder that cannot be written only costs the work on every export. As for the schema check's
compiled code (pia_app/schema_check.py), the hash guards against damage; the folder is the user's
own (made 0700).

At most `KEEP` files of each kind are kept (the least recently used go first), so templates edited
over time do not pile up.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from pia_app.forms import cache as form_cache

FORMAT = 1
"""Bump when what is cached, or how, changes (the key changes with it)."""
KEEP = 8
"""Cache files kept per kind: a few templates (zh, en; body, headers, footers) and some spare."""


def _key(kind: str, fingerprint: str, source: str) -> str:
    h = hashlib.sha256()
    h.update(f"{form_cache.MAGIC}\0{form_cache.CACHE_FORMAT}\0report\0{FORMAT}\0{kind}\0".encode())
    h.update(f"{fingerprint}\0{sys.implementation.cache_tag}\0{sys.hexversion}\0".encode())
    h.update(source.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _path(kind: str, key: str) -> Path:
    return form_cache.cache_dir() / f"report-{kind}-{key[:16]}.bin"


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used: kept by _prune


def _prune(kind: str, keep: Path) -> None:
    """Remove the least recently used files of `kind` beyond KEEP (never `keep`)."""
    try:
        files = [p for p in form_cache.cache_dir().glob(f"report-{kind}-*.bin") if p != keep]
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP - 1 :]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def _read(kind: str, key: str) -> bytes | None:
    path = _path(kind, key)
    payload = form_cache.read_payload(path, key)
    if payload is not None:
        _touch(path)
    return payload


def _write(kind: str, key: str, payload: bytes) -> None:
    path = _path(kind, key)
    if form_cache.write_payload(path, key, payload):
        _prune(kind, path)


def cached_text(kind: str, fingerprint: str, source: str, build: Callable[[], str]) -> str:
    """`build()`, a text made from `source` alone, from the cache while `source` is unchanged."""
    key = _key(kind, fingerprint, source)
    payload = _read(kind, key)
    if payload is not None:
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            pass
    text = build()
    _write(kind, key, text.encode("utf-8"))
    return text


def cached_code(kind: str, fingerprint: str, source: str, build: Callable[[], CodeType]) -> CodeType:
    """`build()`, code compiled from `source` alone, from the cache while `source` is unchanged."""
    key = _key(kind, fingerprint, source)
    payload = _read(kind, key)
    if payload is not None:
        try:
            code = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    code = build()
    _write(kind, key, marshal.dumps(code))
    return code
