"""A compiled copy of the checked questionnaire, so start-up does not parse and check YAML.

Parsing the 17 form files and checking them (JSON Schema, ids, conditions, citations) is most of
what a cold start used to cost. The checked form is written once to the user cache folder as
plain JSON and read back on later starts while nothing it was built from has changed.

The key of a cache file is a SHA-256 over: this file format's number, the program version, every
file of the form folder (names and bytes), and the sources of the code and schemas that load and
check a form (`pia_app/forms/*.py`, `pia_app/schemas/*.json`; in a frozen bundle these are absent
and the version alone stands for them). Any change to a form file, the checks or the program
gives a new key: the form is then loaded and checked in full and the cache rewritten.

The cache is never trusted blindly: a file whose header, key or payload hash does not match, that
is not valid JSON, or that does not rebuild into the form's dataclasses is ignored and rebuilt.
JSON only carries plain data (no code runs when it is read), and a form is only written when
reading it back gives a form equal to the checked one, so a value JSON cannot carry (a YAML date,
a non-string key) disables the cache for that form instead of changing it.

`pia-app forms check` and `load_form` never use the cache. Tests point `PIA_APP_CACHE_DIR` at a
temporary folder, so each test session checks the form in full once.
"""

from __future__ import annotations

import dataclasses
import json
import os
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pia_app import __version__
from pia_app.digest import sha256
from pia_app.forms.schema import Form

ENV_CACHE_DIR = "PIA_APP_CACHE_DIR"
CACHE_FORMAT = 1
"""Bump when the layout of a cache file changes (the key changes with it)."""
MAGIC = "pia-app form cache"
MAX_BYTES = 32 * 1024 * 1024
"""A cache file larger than this is not ours: ignored without reading it."""

_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """`PIA_APP_CACHE_DIR`, else the platform's per-user cache folder (e.g. ~/.cache/pia-app)."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pia-app", appauthor=False))


def _files_under(folder: Path, pattern: str) -> list[Path]:
    try:
        return sorted(p for p in folder.rglob(pattern) if p.is_file())
    except OSError:
        return []


def form_key(root: Path) -> str:
    """The hash of everything the checked form at `root` depends on (see the module docstring)."""
    h = sha256()
    h.update(f"{MAGIC}\0{CACHE_FORMAT}\0{__version__}\0".encode())
    for label, folder, pattern in (
        ("form", root, "*"),
        ("code", _PACKAGE / "forms", "*.py"),
        ("schema", _PACKAGE / "schemas", "*.json"),
    ):
        for path in _files_under(folder, pattern):
            data = path.read_bytes()
            name = path.relative_to(folder).as_posix()
            h.update(f"{label}\0{name}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


def cache_file(root: Path) -> Path:
    """One cache file per form folder (a newer key overwrites it, so old files do not pile up)."""
    where = sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / f"form-{where}.json"


def encode_form(form: Form) -> bytes:
    """The form as plain JSON (tuples become lists; `decode_form` turns them back)."""
    return json.dumps(dataclasses.asdict(form), ensure_ascii=False, separators=(",", ":")).encode()


def decode_form(payload: bytes) -> Form:
    """Rebuild the dataclasses from `encode_form` output; raises ValueError/TypeError/KeyError."""
    form = _converter(Form)(json.loads(payload))
    if not isinstance(form, Form):
        raise TypeError("not a form")
    return form


_Convert = Callable[[Any], Any]


def _plain(value: Any) -> Any:
    return value


@cache
def _converter(tp: Any) -> _Convert:
    """A function turning JSON data back into a value of type `tp` (dataclasses, tuples)."""
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_converter(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple:
        item = _converter(args[0])
        if item is _plain:
            return lambda v: tuple(_list(v))
        return lambda v: tuple(item(x) for x in _list(v))
    if origin in (dict, Mapping) and len(args) == 2:
        value_conv = _converter(args[1])
        if value_conv is _plain:
            return _plain
        return lambda v: {str(k): value_conv(x) for k, x in _dict(v).items()}
    if origin in (typing.Union, types.UnionType):
        convs = [_converter(a) for a in args if a is not type(None)]
        if len(convs) == 1 and convs[0] is not _plain:
            conv = convs[0]
            return lambda v: None if v is None else conv(v)
    return _plain


def _dataclass_converter(cls: type) -> _Convert:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    convs = {n: _converter(hints[n]) for n in names}
    special = {n: c for n, c in convs.items() if c is not _plain}

    def build(value: Any) -> Any:
        data = _dict(value)
        kwargs = {n: data[n] for n in names if n in data}
        for n, conv in special.items():
            if n in kwargs:
                kwargs[n] = conv(kwargs[n])
        return cls(**kwargs)

    return build


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("expected a mapping")
    return value


def read_payload(path: Path, key: str) -> bytes | None:
    """The payload of cache file `path` if its header is ours, for `key`, and its hash matches."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    head, sep, payload = raw.partition(b"\n")
    if not sep:
        return None
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("magic") != MAGIC:
        return None
    if header.get("format") != CACHE_FORMAT or header.get("key") != key:
        return None
    if header.get("sha256") != sha256(payload).hexdigest():
        return None
    return payload


def read_cache(path: Path, key: str) -> Form | None:
    """The cached form if `path` holds one for `key`, intact; None otherwise (never raises)."""
    payload = read_payload(path, key)
    if payload is None:
        return None
    try:
        return decode_form(payload)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def write_cache(path: Path, key: str, form: Form) -> bool:
    """Write the form if it survives the JSON round trip unchanged; False if not written."""
    try:
        payload = encode_form(form)
        if decode_form(payload) != form:
            return False
    except (ValueError, TypeError, KeyError, RecursionError):
        return False
    return write_payload(path, key, payload)


def write_payload(path: Path, key: str, payload: bytes) -> bool:
    """Write `payload` under a header (magic, format, key, version, payload hash), atomically."""
    header = {
        "magic": MAGIC,
        "format": CACHE_FORMAT,
        "key": key,
        "version": __version__,
        "sha256": sha256(payload).hexdigest(),
    }
    import tempfile  # only when writing (~4 ms to import: most starts only read)

    tmp_name = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=".form-", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(json.dumps(header).encode() + b"\n" + payload)
        os.replace(tmp_name, path)
        return True
    except OSError:
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)
        return False


def cached_form(root: Path, load: Callable[[Path], Form]) -> Form:
    """The form at `root`: from the cache when its key matches, else `load` (full check) + write.

    A cache folder that cannot be written (read-only home) only costs the check on every start.
    """
    key = form_key(root)
    path = cache_file(root)
    form = read_cache(path, key)
    if form is not None:
        return form
    form = load(root)
    write_cache(path, key, form)
    return form


def cached_parse(name: str, text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)` (e.g. a YAML message catalogue), kept as JSON under `name` in the cache folder
    while `text` and the program are unchanged, so start-up need not import or run the parser.

    Only plain data that JSON gives back unchanged is kept; anything else is parsed every time."""
    h = sha256(f"{MAGIC}\0{CACHE_FORMAT}\0{__version__}\0{name}\0".encode())
    h.update(text.encode("utf-8"))
    key = h.hexdigest()
    path = cache_dir() / f"{name}.json"
    payload = read_payload(path, key)
    if payload is not None:
        try:
            return json.loads(payload)
        except ValueError:
            pass
    data = parse(text)
    try:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        if json.loads(payload) == data:
            write_payload(path, key, payload)
    except (ValueError, TypeError, RecursionError):
        pass
    return data
