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

import datetime as dt
import io
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml import parse_xml
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from docxtpl import __version__ as _docxtpl_version
from lxml import etree  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from pia_app.atomic import check_target, write_atomic
from pia_app.report.clean import clean
from pia_app.report.fonts import apply_fallback_fonts
from pia_app.report.nobreak import apply_no_break
from pia_app.report.template_cache import cached_code, cached_text

DOCXTPL_FINGERPRINT = f"docxtpl {_docxtpl_version}"
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


ENV_FINGERPRINT = f"jinja2 {jinja2.__version__}; StrictUndefined, autoescape, finalize, no trim_blocks"
"""What shapes the code Jinja compiles besides the template (template_cache's key): change it
with the settings of `jinja_env`."""


class _ReportEnvironment(jinja2.Environment):
    """Jinja, with the templates docxtpl hands it compiled once and kept (report/template_cache)."""

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cls = template_class or self.template_class
        code = cached_code("jinja", ENV_FINGERPRINT, source, lambda: self.compile(source))
        try:
            return cls.from_code(self, code, self.make_globals(globals), None)
        except Exception:  # a cached file that no longer runs: compile afresh
            return cls.from_code(self, self.compile(source), self.make_globals(globals), None)


def jinja_env() -> jinja2.Environment:
    env = _ReportEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=False,
    )
    return env


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl with one change: the rendered body is put in place by parsing the document once,
    not by moving every node of the rendered tree into the template's document (lxml's move
    across documents grows faster than the tree: 114 s CPU of a 4,000-risk report, of 224 s in all;
    with this and the heat map's bisection the whole export takes 21 s CPU, 1,000 risks 6 s)."""

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's clean-up of the template's XML for Jinja, kept in the cache folder."""
        return cached_text(
            "patch", DOCXTPL_FINGERPRINT, src_xml, lambda: super(_Template, self).patch_xml(src_xml)
        )

    def map_tree(self, tree: Any) -> None:
        document: Any = vars(self)["docx"]
        part = document._part
        root = etree.tostring(part._element, encoding="unicode")
        start, end = root.index("<w:body"), root.rindex("</w:body>") + len("</w:body>")
        part._element = parse_xml(root[:start] + etree.tostring(tree, encoding="unicode") + root[end:])
        self.docx = part.document


@dataclass(frozen=True)
class DocProperties:
    """The document's properties as Word's File > Info shows them; nothing of the template's
    own values (dates, author, template name) survives."""

    title: str
    author: str
    application: str
    subject: str = ""
    keywords: str = ""


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>{app}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>{version}</AppVersion></Properties>"
)


def _set_properties(doc: DocxTemplate, props: DocProperties) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core = doc.docx.core_properties
    core.title = clean(props.title)[:255]
    core.author = clean(props.author)[:255]
    core.last_modified_by = clean(props.author)[:255]
    core.subject = clean(props.subject)[:255]
    core.keywords = clean(props.keywords)[:255]
    core.comments = ""
    core.category = ""
    core.content_status = ""
    core.identifier = ""
    core.revision = 1
    core.created = now
    core.modified = now
    version = props.application.partition(" ")[2]
    for part in doc.docx.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            xml = _APP_XML.format(app=escape(clean(props.application)), version=escape(_app_version(version)))
            part._blob = xml.encode("utf-8")  # python-docx has no API for app.xml


def _app_version(version: str) -> str:
    """AppVersion must read XX.YYYY (Word refuses other shapes): 0.1.0 → 00.0100."""
    nums = [int(x) for x in version.split(".")[:3] if x.isdigit()] + [0, 0, 0]
    return f"{nums[0]:02d}.{nums[1]:02d}{nums[2]:02d}"


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
    properties: DocProperties | None = None,
) -> Path:
    """Render `template` with `context` into `out` atomically; return `out`.

    `images` adds pictures under their context key; `title` (cleaned) becomes the document's
    Title property, set directly rather than through Jinja so it is never escaped twice.
    """
    out = out.expanduser()
    check_target(out)
    doc = _Template(str(template))
    data = clean(dict(context))
    for key, image in (images or {}).items():
        data[key] = InlineImage(doc, io.BytesIO(image.png), width=Cm(image.width_cm))
    doc.render(data, jinja_env=jinja_env(), autoescape=True)
    apply_fallback_fonts(doc.docx.element.body)
    apply_no_break(doc.docx.element.body)
    for section in doc.docx.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                apply_fallback_fonts(part._element)
                apply_no_break(part._element)
    if title is not None:
        doc.docx.core_properties.title = clean(title)[:255]
    if properties is not None:
        _set_properties(doc, properties)
    write_atomic(out, lambda fh: doc.save(fh))  # 0600, never half a file, read-only refused
    return out
