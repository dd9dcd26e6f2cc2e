"""The compiled form cache: used while nothing changed, rebuilt (with the full check) when a form
file changes, and never trusted when damaged or foreign."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

from pia_app.forms import cache
from pia_app.forms.loader import FormError, load_form
from pia_app.forms.schema import Form
from pia_app.resources import forms_dir
from tests import cache_files


class CountingLoad:
    """`load_form`, counting how often the full load and check runs."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, root: Path) -> Form:
        self.calls += 1
        return load_form(root)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    return folder


@pytest.fixture
def form_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "form"
    shutil.copytree(forms_dir() / "face_voice", dst)
    return dst


def test_second_load_comes_from_the_cache_and_equals_the_checked_form(
    cache_home: Path, form_copy: Path
) -> None:
    load = CountingLoad()
    first = cache.cached_form(form_copy, load)
    assert load.calls == 1
    files = list(cache_home.glob("form-*.json"))
    assert len(files) == 1
    second = cache.cached_form(form_copy, load)
    assert load.calls == 1  # not checked again
    assert second == first == load_form(form_copy)
    assert second is not first
    # the rebuilt form is the same typed model, not lists and dicts
    q = second.questions["d_least_impact"]
    assert isinstance(q.options, tuple) and isinstance(q.rules, tuple)
    assert second.rules == first.rules
    assert second.sources["pipl"] == first.sources["pipl"]


def test_changed_form_file_is_loaded_and_checked_again(cache_home: Path, form_copy: Path) -> None:
    load = CountingLoad()
    cache.cached_form(form_copy, load)
    path = form_copy / "a_basic.yaml"
    text = path.read_text("utf-8")
    first_zh = load_form(form_copy).sections[0].title["zh"]
    assert first_zh in text
    path.write_text(text.replace(first_zh, first_zh + "（改）", 1), "utf-8")
    changed = cache.cached_form(form_copy, load)
    assert load.calls == 2
    assert changed.sections[0].title["zh"] == first_zh + "（改）"
    assert len(list(cache_home.glob("form-*.json"))) == 1  # the one file was replaced


def test_a_form_error_is_raised_even_after_a_good_form_was_cached(cache_home: Path, form_copy: Path) -> None:
    cache.cached_form(form_copy, load_form)
    path = form_copy / "d_minimum_collection.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("eq: true}", "eq: maybe}", 1), "utf-8")
    with pytest.raises(FormError):
        cache.cached_form(form_copy, load_form)


def test_new_program_version_is_a_new_key(form_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.form_key(form_copy)
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.form_key(form_copy) != before


def _damage_flip_a_byte(path: Path) -> None:
    # a changed letter inside a label still parses as JSON: only the payload hash catches it
    data = bytearray(path.read_bytes())
    i = data.index(b'"label":{"zh":"', data.index(b"\n")) + 20
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def _damage_wrong_shape_with_good_hash(path: Path) -> None:
    payload = json.dumps({"id": "x", "sections": "not a list"}).encode()
    cache_files.with_payload(path, payload)


def _damage_not_an_object(path: Path) -> None:
    payload = b"[1, 2, 3]"
    cache_files.with_payload(path, payload)


@pytest.mark.parametrize(
    "damage",
    [
        cache_files.truncate,
        _damage_flip_a_byte,
        cache_files.garbage,
        cache_files.foreign_key,
        cache_files.other_magic,
        _damage_wrong_shape_with_good_hash,
        _damage_not_an_object,
    ],
)
def test_damaged_or_foreign_cache_is_ignored_and_rebuilt(cache_home: Path, form_copy: Path, damage) -> None:  # type: ignore[no-untyped-def]
    load = CountingLoad()
    good = cache.cached_form(form_copy, load)
    (path,) = cache_home.glob("form-*.json")
    damage(path)
    again = cache.cached_form(form_copy, load)
    assert load.calls == 2  # the damaged file was not used: the form was checked again
    assert again == good
    # ... and the cache was rewritten, so the next start is fast again
    assert cache.read_cache(path, cache.form_key(form_copy)) == good
    cache.cached_form(form_copy, load)
    assert load.calls == 2


def test_unwritable_cache_folder_still_gives_the_form(
    tmp_path: Path, form_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(blocker / "cache"))
    load = CountingLoad()
    assert cache.cached_form(form_copy, load) == load_form(form_copy)
    assert cache.cached_form(form_copy, load) == load_form(form_copy)
    assert load.calls == 2


def test_form_that_json_cannot_carry_is_not_cached(cache_home: Path, form_copy: Path) -> None:
    form = load_form(form_copy)
    odd = Form(
        id=form.id,
        version=form.version,
        title=form.title,
        sections=form.sections,
        sources=form.sources,
        data={**form.data, "when": dt.date(2026, 1, 1), "keys": {1: "an int key"}},
        path=form.path,
    )
    path = cache_home / "odd.json"
    assert not cache.write_cache(path, "k", odd)
    assert not path.exists()
    assert cache.write_cache(path, "k", form)
    assert cache.read_cache(path, "k") == form
    assert cache.read_cache(path, "other key") is None


def test_default_cache_folder_is_the_user_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(cache.ENV_CACHE_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache.cache_dir() == tmp_path / "xdg" / "pia-app"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


def test_message_catalogue_is_parsed_once_and_read_back_as_json(cache_home: Path) -> None:
    calls: list[str] = []

    def parse(text: str) -> object:
        calls.append(text)
        return {"a.b": "甲", "n": "1"}

    assert cache.cached_parse("locale-test", "a.b: 甲\nn: '1'\n", parse) == {"a.b": "甲", "n": "1"}
    assert cache.cached_parse("locale-test", "a.b: 甲\nn: '1'\n", parse) == {"a.b": "甲", "n": "1"}
    assert len(calls) == 1
    # a changed text is parsed again; a damaged file is ignored
    assert cache.cached_parse("locale-test", "a.b: 乙\n", parse) == {"a.b": "甲", "n": "1"}
    assert len(calls) == 2
    (cache_home / "locale-test.json").write_bytes(b'{"magic": "pia-app form cache"}\n{}')
    cache.cached_parse("locale-test", "a.b: 乙\n", parse)
    assert len(calls) == 3
    # what JSON cannot give back unchanged is never cached
    odd = {"when": dt.date(2026, 1, 1)}
    assert cache.cached_parse("odd", "x", lambda _t: odd) is odd
    assert not (cache_home / "odd.json").exists()


def test_catalogues_from_the_cache_equal_the_yaml_files(cache_home: Path) -> None:
    import yaml

    from pia_app import i18n

    for lang in i18n.LANGS:
        text = (Path(i18n.__file__).parent / "locales" / f"{lang}.yaml").read_text("utf-8")
        expected = {str(k): str(v) for k, v in yaml.safe_load(text).items()}
        i18n.catalogue.cache_clear()
        try:
            first = i18n.catalogue(lang)  # parsed, cache written
            i18n.catalogue.cache_clear()
            second = i18n.catalogue(lang)  # read back from the cache
        finally:
            i18n.catalogue.cache_clear()
        assert first == second == expected
        assert (cache_home / f"locale-{lang}.json").exists()
