"""A quick first check of a document against one of the published JSON Schemas (pia_app/schemas/).

Every assessment file that `grade`, `report FILE` and `import` read is checked against its schema
(the format is a public interface). jsonschema, the reference implementation of draft 2020-12,
costs ~70 ms to import: more than the rest of `pia-app grade` together. So a document is first
checked by a validator that fastjsonschema generates from the same schema file; only a document
it refuses is checked again by jsonschema, which writes the message users see and has the last
word (interchange._check_schema). A document is therefore accepted exactly when jsonschema
accepts it, provided the fast validator never accepts what jsonschema refuses:

- fastjsonschema implements draft-07. A schema is compiled only if every keyword it uses means
  the same in draft-07 and 2020-12 (SAME_IN_BOTH_DRAFTS) and every `$ref` points inside the same
  file (so nothing is ever fetched); otherwise `fast_validator` returns None and every document
  goes to jsonschema. tests/unit/test_schema_check.py checks that the shipped schemas qualify and
  that the two validators agree on mutated documents (hypothesis).
- Where fastjsonschema is stricter (1.0 is not an integer to it, `$` does not match before a
  final newline), the document goes to jsonschema, which decides.

Generating and compiling the validator takes ~50 ms, so the compiled code is kept in the user
cache folder beside the form cache (forms/cache.py: same header, key and payload hash), keyed by
the schema's bytes, the program, fastjsonschema's and Python's bytecode versions. A cache file
whose header, key or hash does not match, or that does not load, is ignored and rebuilt; one that
cannot be written only costs the generation on every run. The hash guards against damage, not
against someone who can write the user's files: the cache folder is the user's own (made 0700),
and its code is trusted as Python trusts the user's `__pycache__` and site-packages.
"""

from __future__ import annotations

import json
import marshal
import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from pia_app import __version__
from pia_app.digest import sha256
from pia_app.forms import cache as form_cache
from pia_app.resources import package_data

GENERATOR_FORMAT = 1
"""Bump when the options of the generated code change (the key changes with it)."""

Validate = Callable[[Any], bool]

SAME_IN_BOTH_DRAFTS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "$comment",
        "title",
        "description",
        "examples",
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "propertyNames",
        "items",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "minProperties",
        "maxProperties",
        "anyOf",
        "allOf",
        "oneOf",
        "not",
    }
)
"""Keywords whose meaning draft-07 (fastjsonschema) and 2020-12 (the schemas, jsonschema) share,
as used here: `items` only as one schema (a list of schemas means different things in the two),
`$ref` only to a local `#/...` pointer with no sibling keywords (2020-12 applies siblings,
draft-07 ignores them), `$id` only at the top (it is dropped before generating)."""

_ONE_SCHEMA = ("additionalProperties", "propertyNames", "items", "not")
_SCHEMA_MAP = ("properties", "$defs")
_SCHEMA_LIST = ("anyOf", "allOf", "oneOf")


def _subschemas(schema: dict[str, Any]) -> Iterator[Any]:
    for key in _ONE_SCHEMA:
        if key in schema:
            yield schema[key]
    for key in _SCHEMA_MAP:
        value = schema.get(key)
        if isinstance(value, dict):
            yield from value.values()
    for key in _SCHEMA_LIST:
        value = schema.get(key)
        if isinstance(value, list):
            yield from value


def unsupported(schema: Any, top: bool = True) -> str | None:
    """Why the fast validator could differ from jsonschema on `schema`, or None if it cannot."""
    if isinstance(schema, bool):
        return None
    if not isinstance(schema, dict):
        return "a schema that is not an object"
    for key in schema:
        if key not in SAME_IN_BOTH_DRAFTS:
            return f"keyword {key!r}"
    if "$id" in schema and not top:
        return "a nested $id"
    ref = schema.get("$ref")
    if ref is not None:
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return f"$ref {ref!r} outside the file"
        if set(schema) - {"$ref", "description", "title", "$comment"}:
            return "keywords beside $ref"
    if "items" in schema and not isinstance(schema["items"], dict | bool):
        return "items as a list"
    for key in _SCHEMA_MAP:
        if key in schema and not isinstance(schema[key], dict):
            return f"{key} that is not an object"
    for key in _SCHEMA_LIST:
        if key in schema and not isinstance(schema[key], list):
            return f"{key} that is not a list"
    for sub in _subschemas(schema):
        why = unsupported(sub, top=False)
        if why is not None:
            return why
    return None


def _schema_bytes(name: str) -> bytes:
    return package_data("schemas", f"{name}.schema.json").read_bytes()


def _key(name: str, schema: bytes, generator_version: str) -> str:
    h = sha256()
    h.update(f"{form_cache.MAGIC}\0{form_cache.CACHE_FORMAT}\0{__version__}\0".encode())
    h.update(f"validator\0{GENERATOR_FORMAT}\0{generator_version}\0{name}\0".encode())
    # marshalled bytecode is read only by the Python (implementation and exact version) that wrote it
    h.update(f"{sys.implementation.cache_tag}\0{sys.hexversion}\0".encode())
    h.update(schema)
    return h.hexdigest()


def _generate(schema: dict[str, Any]) -> str:
    import fastjsonschema

    definition = {k: v for k, v in schema.items() if k != "$id"}  # a relative $id confuses its resolver
    # No defaults written into the document, formats are annotations in 2020-12 (as jsonschema).
    code: str = fastjsonschema.compile_to_code(definition, use_default=False, use_formats=False)
    return code


def _load(code: Any, name: str) -> Validate | None:
    """The generated module's `validate` wrapped to answer True/False; None if it does not load."""
    import fastjsonschema

    namespace: dict[str, Any] = {"__name__": f"pia_app._schema_{name}"}
    try:
        exec(code, namespace)
    except Exception:  # a cache file we wrote that no longer runs: rebuilt by the caller
        return None
    validate = namespace.get("validate")
    if not callable(validate):
        return None
    refused = fastjsonschema.JsonSchemaException

    def is_valid(data: Any) -> bool:
        try:
            validate(data)
        except refused:
            return False
        except RecursionError:
            raise  # the caller reports a document nested too deeply
        except Exception:  # anything else the generated code trips on: jsonschema decides
            return False
        return True

    return is_valid


@cache
def fast_validator(name: str) -> Validate | None:
    """A function telling whether a document satisfies schema `name` (schemas/NAME.schema.json),
    or None when the schema uses what the fast validator may not read as jsonschema does.

    False from the function means "not sure it is valid": ask jsonschema. RecursionError passes
    through (the caller reports a document nested too deeply)."""
    from fastjsonschema import VERSION

    raw = _schema_bytes(name)
    key = _key(name, raw, VERSION)
    path = form_cache.cache_dir() / f"validator-{name}.bin"
    payload = form_cache.read_payload(path, key)
    if payload is not None:
        try:
            validator = _load(marshal.loads(payload), name)
        except (ValueError, EOFError, TypeError):
            validator = None
        if validator is not None:
            return validator
    schema = json.loads(raw)
    if unsupported(schema) is not None:
        return None
    code = compile(_generate(schema), f"<schema {name}>", "exec")
    form_cache.write_payload(path, key, marshal.dumps(code))
    return _load(code, name)
