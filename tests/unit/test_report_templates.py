"""The templates and the context agree: every variable a template uses is provided (the render
helper's StrictUndefined enforces that), and every key the context provides is used by both
templates (a key no template reads is text decided in Python that nobody sees)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from docxtpl import DocxTemplate

from pia_app.report.context import build_context
from pia_app.report.render import jinja_env
from pia_app.report.review_context import empty_review_context
from pia_app.resources import report_template

PICTURES = {"heatmap", "dataflow"}
"""Filled with images by the export."""


class Recording(dict):  # type: ignore[type-arg]
    """A context dict that notes every key a template reads, by its path ("risk.entries[].id")."""

    def __init__(self, data: dict[str, Any], path: str, seen: set[str]) -> None:
        super().__init__({k: wrap(v, f"{path}{k}", seen) for k, v in data.items()})
        self._path, self._seen = path, seen

    def __getitem__(self, key: Any) -> Any:
        self._seen.add(f"{self._path}{key}")
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._seen.add(f"{self._path}{key}")
        return super().get(key, default)


def wrap(value: Any, path: str, seen: set[str]) -> Any:
    if isinstance(value, dict):
        return Recording(value, f"{path}." if path else "", seen)
    if isinstance(value, list):
        return [wrap(v, path + "[]", seen) for v in value]
    return value


def family(path: str) -> str:
    """The nine theme sub-parts have one shape: a key used for one is used for all."""
    return re.sub(r"^themes\.[a-z_]+\.", "themes.*.", path)


def paths(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield f"{path}{k}"
            yield from paths(v, f"{path}{k}.")
    elif isinstance(value, list):
        for v in value:
            yield from paths(v, path.rstrip(".") + "[].")


def contexts(form: Any, lang: str) -> Iterator[dict[str, Any]]:
    """Contexts that between them take every branch of the templates: the three examples (one
    with face recognition, one with deep synthesis, one with neither), a re-review, a long
    answer, an assessment with nothing answered; stored (with an audit-chain head) or from a file."""
    from pia_app.interchange import load_assessment_file
    from tests.conftest import EXAMPLES

    for path in sorted(EXAMPLES.glob("*.json")):
        answers = load_assessment_file(path, form).answers
        stored = {"assessment_id": 3, "audit_head": {"entries": 9, "hash": "ab" * 32, "at": "2026-11-05"}}
        yield build_context(form, answers, lang, {"status": "approved", "approved_by": "x", **stored})
        long = dict(answers, d_necessity="长" * 3000, m_treatments=[], h_filing_reached_date="2026-10-09")
        long.update(b_face_stored_count=200_000, h_filing_status="reached_not_filed")
        yield build_context(
            form,
            long,
            lang,
            {"review": {"based_on": 1, "reason": "r"}},
            changes=[{"kind": "k", "item": "i", "before": "b", "after": "a"}],
            history=[{"revision": "1", "status": "s", "date": "d", "approver": "a", "reason": "r"}],
        )
    yield build_context(form, {}, lang, {})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_templates_use_every_context_key_and_nothing_else(lang: str, form: Any) -> None:
    seen: set[str] = set()
    provided: set[str] = set()
    for ctx in contexts(form, lang):
        ctx["rv"] = empty_review_context()
        doc = DocxTemplate(str(report_template(lang)))
        # StrictUndefined: a variable the template uses and the context lacks fails here.
        doc.render(wrap(ctx, "", seen), jinja_env=jinja_env(), autoescape=True)
        doc.save(io.BytesIO())
        provided |= {p for p in paths(ctx) if not p.startswith("rv")}
    # Top-level names are looked up by Jinja itself; ask the template which it uses.
    seen |= set(DocxTemplate(str(report_template(lang))).get_undeclared_template_variables(jinja_env()))
    seen.add("lang")  # for callers (the export's document properties)
    seen = {family(p) for p in seen}
    provided = {family(p) for p in provided}
    unused = sorted(p for p in provided - seen if p.split(".")[0].split("[")[0] not in PICTURES)
    assert unused == [], "\n".join(unused)
