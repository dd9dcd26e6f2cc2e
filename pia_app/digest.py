"""SHA-256 for the start path, without loading OpenSSL.

`hashlib` loads OpenSSL's libcrypto as it is imported: ~3 MiB of every process's memory and ~4 ms,
for hashing the form cache's key and payload (under 1 MB) at start (issue 12). CPython's own
SHA-256 module gives the same digests without it (slower per byte, which does not matter for
these sizes). Large inputs (attachments) keep using hashlib, where OpenSSL is much faster.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol, cast


class Hash(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def _own_sha256() -> Callable[..., Any]:
    for name in ("_sha2", "_sha256"):  # CPython 3.12+, 3.11
        try:
            return cast(Callable[..., Any], importlib.import_module(name).sha256)
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


_sha256 = _own_sha256()


def sha256(data: bytes = b"") -> Hash:
    """A SHA-256 hash object (update, hexdigest), started with `data`."""
    return cast(Hash, _sha256(data))
