"""The quick schema check (pia_app/schema_check.py): never accepts what jsonschema refuses, is
kept compiled in the cache folder, and a damaged cache file is ignored and rebuilt."""

from __future__ import annotations

import copy
import json
import marshal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia_app import schema_check
from pia_app.forms import cache as form_cache
from pia_app.resources import package_data
from tests import cache_files

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"
SCHEMAS = ("assessment", "bundle")


def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(package_data("schemas", f"{name}.schema.json").read_text("utf-8"))
    return data


def _reference(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema(name))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(form_cache.ENV_CACHE_DIR, str(folder))
    schema_check.fast_validator.cache_clear()
    yield folder
    schema_check.fast_validator.cache_clear()


class CountingGenerate:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self._real = schema_check._generate
        monkeypatch.setattr(schema_check, "_generate", self)

    def __call__(self, schema: dict[str, Any]) -> str:
        self.calls += 1
        return self._real(schema)


def _fresh(name: str) -> schema_check.Validate:
    schema_check.fast_validator.cache_clear()
    validator = schema_check.fast_validator(name)
    assert validator is not None
    return validator


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_published_schemas_get_a_quick_validator(name: str, cache_home: Path) -> None:
    assert schema_check.unsupported(_schema(name)) is None
    assert schema_check.fast_validator(name) is not None


def test_the_examples_pass_the_quick_check(cache_home: Path) -> None:
    quick = _fresh("assessment")
    for path in sorted(EXAMPLES.glob("*.json")):
        assert quick(json.loads(path.read_text("utf-8"))), path.name


@pytest.mark.parametrize(
    ("schema", "why"),
    [
        ({"type": "array", "prefixItems": [{"type": "string"}]}, "prefixItems"),
        ({"properties": {"a": {"unevaluatedProperties": False}}}, "unevaluatedProperties"),
        ({"$ref": "https://example.org/other.json"}, "outside the file"),
        (
            {"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a", "minLength": 2}}},
            "beside",
        ),
        ({"items": [{"type": "string"}]}, "items as a list"),
        ({"properties": {"x": {"$id": "other", "type": "string"}}}, "nested $id"),
        ({"dependentRequired": {"a": ["b"]}}, "dependentRequired"),
        ({"format": "date"}, "format"),
    ],
)
def test_a_schema_the_drafts_read_differently_gets_no_quick_validator(
    schema: dict[str, Any], why: str
) -> None:
    reason = schema_check.unsupported(schema)
    assert reason is not None and why in reason


def test_property_names_are_not_taken_for_keywords() -> None:
    # "format" and "items" here are names of properties, not keywords
    schema = {"properties": {"format": {"const": "x"}, "items": {"type": "array"}}, "required": ["format"]}
    assert schema_check.unsupported(schema) is None


def test_a_schema_outside_the_quick_check_goes_to_jsonschema(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_check, "unsupported", lambda schema: "keyword 'prefixItems'")
    assert schema_check.fast_validator("assessment") is None
    # ... and interchange still refuses a bad file with jsonschema's message
    from pia_app.errors import UserError
    from pia_app.interchange import _check_schema

    with pytest.raises(UserError) as exc:
        _check_schema({"format": "pia-app-assessment"}, "assessment", "f.json")
    assert exc.value.key == "error.schema"


# --- agreement with jsonschema ------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=5)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(["", "draft", "approved", "a" * 64, "0" * 64, "2026-01-01", "x\n", "face_voice_pia"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "version", "x", "number", "status", "answers", "A b"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=6,
)


def _integral_float(doc: Any) -> bool:
    """Whether `doc` holds a float such as 1.0: jsonschema (2020-12) takes it for an integer, the
    quick check (draft-07) does not, and so leaves the decision to jsonschema."""
    if isinstance(doc, float):
        return doc.is_integer()
    if isinstance(doc, dict):
        return any(_integral_float(v) for v in doc.values())
    if isinstance(doc, list):
        return any(_integral_float(v) for v in doc)
    return False


def _containers(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every dict and list inside `doc` (the document itself first)."""
    out = [path]
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        if isinstance(value, dict | list):
            out.extend(_containers(value, (*path, key)))
    return out


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    """An example assessment (with its history, so revisions and audit are there) with one to three
    values replaced, added or removed anywhere in it."""
    from pia_app.interchange import FORMAT

    base = json.loads(draw(st.sampled_from(sorted(EXAMPLES.glob("*.json")))).read_text("utf-8"))
    base.setdefault(
        "revisions", [{"number": 1, "status": "draft", "answers": {}, "created_at": "t", "updated_at": "t"}]
    )
    base.setdefault(
        "audit",
        [
            {
                "assessment_uid": "u",
                "revision": 1,
                "ts": "t",
                "actor": "a",
                "action": "created",
                "detail": {},
                "prev_hash": "0" * 64,
                "hash": "1" * 64,
            }
        ],
    )
    doc = copy.deepcopy(base)
    assert doc["format"] == FORMAT
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        target = _at(doc, draw(st.sampled_from(_containers(doc))))
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if isinstance(target, dict):
            keys = sorted(target)
            if action == "add" or not keys:
                target[
                    draw(st.sampled_from(["extra", "id", "status", "number", "answers", "Bad key", "q_x"]))
                ] = draw(JSON_VALUES)
            elif action == "remove":
                del target[draw(st.sampled_from(keys))]
            else:
                target[draw(st.sampled_from(keys))] = draw(JSON_VALUES)
        elif isinstance(target, list):
            if action == "add" or not target:
                target.append(draw(JSON_VALUES))
            elif action == "remove":
                target.pop(draw(st.integers(min_value=0, max_value=len(target) - 1)))
            else:
                target[draw(st.integers(min_value=0, max_value=len(target) - 1))] = draw(JSON_VALUES)
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=mutated_documents())
def test_the_quick_check_never_accepts_what_jsonschema_refuses(doc: Any) -> None:
    quick = schema_check.fast_validator("assessment")
    assert quick is not None
    reference = _reference("assessment")
    if quick(doc):
        assert reference.is_valid(doc)
    if reference.is_valid(doc) and not _integral_float(doc):
        assert quick(doc)  # no stricter either, but for 1.0 (an integer to 2020-12, not to draft-07)


@settings(max_examples=100, deadline=None)
@given(items=st.lists(JSON_VALUES, max_size=3), extra=JSON_VALUES, version=JSON_VALUES)
def test_the_quick_bundle_check_agrees_with_jsonschema(items: list[Any], extra: Any, version: Any) -> None:
    quick = schema_check.fast_validator("bundle")
    assert quick is not None
    doc = {"format": "pia-app-bundle", "format_version": version, "assessments": items, "exported_at": extra}
    if _integral_float(doc):
        assert not quick(doc) or _reference("bundle").is_valid(doc)
    else:
        assert quick(doc) == _reference("bundle").is_valid(doc)


# --- the compiled validator in the cache folder --------------------------------------------------


def test_the_validator_is_generated_once_and_then_read_from_the_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate = CountingGenerate(monkeypatch)
    first = _fresh("assessment")
    assert generate.calls == 1
    assert [p.name for p in cache_home.iterdir()] == ["validator-assessment.bin"]
    again = _fresh("assessment")
    assert generate.calls == 1  # read back, not generated
    doc = json.loads((EXAMPLES / "office_access_face.json").read_text("utf-8"))
    assert first(doc) and again(doc)
    doc["answers"]["Bad Key"] = "x"
    assert not first(doc) and not again(doc)


def _damage_not_code_good_hash(path: Path) -> None:
    cache_files.with_payload(path, marshal.dumps(12345))


def _damage_bad_marshal_good_hash(path: Path) -> None:
    cache_files.with_payload(path, b"\xff\x00garbage")


def _damage_code_without_validate_good_hash(path: Path) -> None:
    cache_files.with_payload(path, marshal.dumps(compile("x = 1", "<other>", "exec")))


def _damage_code_that_raises_good_hash(path: Path) -> None:
    cache_files.with_payload(path, marshal.dumps(compile("import no_such_module_here", "<other>", "exec")))


@pytest.mark.parametrize(
    "damage",
    [
        cache_files.truncate,
        cache_files.flip_a_byte,
        cache_files.garbage,
        cache_files.foreign_key,
        _damage_not_code_good_hash,
        _damage_bad_marshal_good_hash,
        _damage_code_without_validate_good_hash,
        _damage_code_that_raises_good_hash,
    ],
)
def test_a_damaged_or_foreign_cache_file_is_ignored_and_rebuilt(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[Path], None]
) -> None:
    generate = CountingGenerate(monkeypatch)
    _fresh("assessment")
    path = cache_home / "validator-assessment.bin"
    damage(path)
    quick = _fresh("assessment")
    assert generate.calls == 2  # not used: generated again
    doc = json.loads((EXAMPLES / "office_access_face.json").read_text("utf-8"))
    assert quick(doc)
    assert not quick({**doc, "format_version": "2"})
    _fresh("assessment")
    assert generate.calls == 2  # and rewritten, so the next run reads it


def test_an_unwritable_cache_folder_still_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(form_cache.ENV_CACHE_DIR, str(blocker / "cache"))
    try:
        quick = _fresh("assessment")
        doc = json.loads((EXAMPLES / "office_access_face.json").read_text("utf-8"))
        assert quick(doc)
        assert not quick({**doc, "answers": []})
    finally:
        schema_check.fast_validator.cache_clear()


def test_a_changed_schema_is_a_new_key() -> None:
    raw = package_data("schemas", "assessment.schema.json").read_bytes()
    assert schema_check._key("assessment", raw, "2.0") != schema_check._key("assessment", raw + b" ", "2.0")
    assert schema_check._key("assessment", raw, "2.0") != schema_check._key("assessment", raw, "2.1")


def test_an_unexpected_error_in_the_quick_check_leaves_the_decision_to_jsonschema() -> None:
    trips = compile(
        "def validate(data, custom_formats={}, name_prefix=None):\n    raise TypeError('x')\n", "<t>", "exec"
    )
    quick = schema_check._load(trips, "t")
    assert quick is not None and quick({"a": 1}) is False
    deep = compile(
        "def validate(data, custom_formats={}, name_prefix=None):\n    raise RecursionError\n", "<t>", "exec"
    )
    quick = schema_check._load(deep, "t")
    assert quick is not None
    with pytest.raises(RecursionError):
        quick({"a": 1})
