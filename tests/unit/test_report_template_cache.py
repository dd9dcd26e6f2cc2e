"""The report's compiled templates in the cache folder (pia_app/report/template_cache.py): the
same report whether compiled now or read back, a damaged file ignored and rebuilt, old files
pruned."""

from __future__ import annotations

import hashlib
import json
import marshal
import zipfile
from pathlib import Path

import pytest

from pia_app.forms import cache as form_cache
from pia_app.report import template_cache
from pia_app.report.render import jinja_env

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples" / "office_access_face.json"
)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(form_cache.ENV_CACHE_DIR, str(folder))
    return folder


class Counting:
    def __init__(self) -> None:
        self.calls = 0


def _export(out: Path) -> bytes:
    from pia_app.forms.loader import default_form
    from pia_app.interchange import load_assessment_file
    from pia_app.report.export import export_answers

    form = default_form()
    doc = load_assessment_file(EXAMPLE, form)
    export_answers(form, doc.answers, out, "zh", meta={"title": "门禁", "uid": "u-1", "revision": 1})
    with zipfile.ZipFile(out) as z:
        return z.read("word/document.xml")


def test_a_report_from_cached_templates_equals_one_compiled_afresh(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = Counting()
    real_compile = jinja_env().__class__.compile

    def counting_compile(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.calls += 1
        return real_compile(self, *args, **kwargs)

    monkeypatch.setattr(jinja_env().__class__, "compile", counting_compile)
    first = _export(tmp_path / "a.docx")
    assert compiled.calls > 0
    assert {p.name.split("-")[1] for p in cache_home.glob("report-*.bin")} == {"jinja", "patch"}
    calls = compiled.calls
    second = _export(tmp_path / "b.docx")
    assert compiled.calls == calls  # every template came from the cache
    assert second == first


def test_text_and_code_are_rebuilt_when_damaged(cache_home: Path) -> None:
    builds = Counting()

    def build_text() -> str:
        builds.calls += 1
        return "patched 中文"

    assert template_cache.cached_text("patch", "v1", "<w:p/>", build_text) == "patched 中文"
    assert template_cache.cached_text("patch", "v1", "<w:p/>", build_text) == "patched 中文"
    assert builds.calls == 1
    (path,) = cache_home.glob("report-patch-*.bin")
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))
    assert template_cache.cached_text("patch", "v1", "<w:p/>", build_text) == "patched 中文"
    assert builds.calls == 2
    assert template_cache.cached_text("patch", "v2", "<w:p/>", build_text) == "patched 中文"
    assert builds.calls == 3  # another fingerprint (docxtpl version) is another key

    def build_code():  # type: ignore[no-untyped-def]
        builds.calls += 1
        return compile("x = 1", "<t>", "exec")

    template_cache.cached_code("jinja", "v1", "src", build_code)
    (code_path,) = cache_home.glob("report-jinja-*.bin")
    head, _, _ = code_path.read_bytes().partition(b"\n")
    header = json.loads(head)
    payload = marshal.dumps("not code")  # a good hash over something that is not code
    header["sha256"] = hashlib.sha256(payload).hexdigest()
    code_path.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    code = template_cache.cached_code("jinja", "v1", "src", build_code)
    assert builds.calls == 5
    namespace: dict[str, object] = {}
    exec(code, namespace)
    assert namespace["x"] == 1


def test_at_most_keep_files_of_a_kind_stay(cache_home: Path) -> None:
    for i in range(template_cache.KEEP + 5):
        template_cache.cached_text("patch", "v1", f"source {i}", lambda: "x")
    assert len(list(cache_home.glob("report-patch-*.bin"))) == template_cache.KEEP


def test_an_unwritable_cache_folder_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(form_cache.ENV_CACHE_DIR, str(blocker / "cache"))
    assert b"</w:body>" in _export(tmp_path / "c.docx")
