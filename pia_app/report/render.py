"""The single place a .docx is rendered.

- Jinja with StrictUndefined: a template that names a missing variable fails loudly.
- Autoescape, through `finalize`, so `<`, `&` and quotes in answers are text, never markup.
  docxtpl rewrites `{_{`, `}_}`, `{_%`, `%_}` after rendering; the finalizer hides the `_` of
  such sequences in user text behind a character reference so the text comes back unchanged.
- Every string of the context is cleaned of XML-illegal characters first.
- Pictures (the risk heat map) are passed as PNG bytes in `images` and become docxtpl
  InlineImages under their context key; the context itself stays plain data.
- The file is written to a temporary file in the target folder and renamed into place, so a
  failure never leaves half a report, and a report open in Word is not truncated.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from markupsafe import Markup, escape

from pia_app.atomic import check_target, write_atomic
from pia_app.report.clean import clean

_DOCXTPL_MARKERS = (("{_{", "{&#95;{"), ("}_}", "}&#95;}"), ("{_%", "{&#95;%"), ("%_}", "%&#95;}"))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise ValueError("None reached the report template; the context must say 'not answered'")
    text = str(escape(value))
    for raw, safe in _DOCXTPL_MARKERS:
        text = text.replace(raw, safe)
    return Markup(text)


def jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=False,
    )
    return env


@dataclass(frozen=True)
class ReportImage:
    """A picture for the report: PNG bytes and the width it takes on the page."""

    png: bytes
    width_cm: float


def render_docx(
    template: Path,
    context: Mapping[str, Any],
    out: Path,
    images: Mapping[str, ReportImage] | None = None,
    title: str | None = None,
) -> Path:
    """Render `template` with `context` into `out` atomically; return `out`.

    `images` adds pictures under their context key; `title` (cleaned) becomes the document's
    Title property, set directly rather than through Jinja so it is never escaped twice.
    """
    out = out.expanduser()
    check_target(out)
    doc = DocxTemplate(str(template))
    data = clean(dict(context))
    for key, image in (images or {}).items():
        data[key] = InlineImage(doc, io.BytesIO(image.png), width=Cm(image.width_cm))
    doc.render(data, jinja_env=jinja_env(), autoescape=True)
    if title is not None:
        doc.docx.core_properties.title = clean(title)[:255]
    write_atomic(out, lambda fh: doc.save(fh))  # 0600, never half a file, read-only refused
    return out
