"""Right page numbers in the contents when the report is opened, without a prompt.

The report's contents are written out with a PAGEREF field per heading, and the footer has
PAGE / NUMPAGES fields. Word shows a field's cached result until fields are updated, and
updating on open (w:updateFields) makes Word ask the user first. So:

- where LibreOffice is present, the export lays the document out once (LibreOffice converts a
  copy to .docx, in the app's own profile kept in the cache folder, else a throw-away one; that
  copy is only read, never shipped), takes the page
  number of each heading bookmark and the page count from it, writes them into the cached
  results of the report's own PAGEREF and NUMPAGES fields, and removes w:updateFields: Word,
  WPS and LibreOffice open the file with the right numbers and no prompt;
- without LibreOffice the report keeps w:updateFields, so Word fills the fields on opening
  (after its prompt) and LibreOffice computes them at layout anyway.

`pagination_state` reads which of the two a file got, for the export message.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from pia_app.atomic import write_atomic

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_Q = f"{{{W}}}"
PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")
NUMPAGES = re.compile(r"^\s*NUMPAGES\b")
TIMEOUT_S = 300
ENV_SWITCH = "PIA_APP_PAGINATE"
"""Set to 0 to skip the layout pass (the test suite does, except where it tests it)."""

PROFILE_DIR = "libreoffice"
"""The layout pass's own LibreOffice profile, in the cache folder (with its lock file)."""

LAID_OUT = "laid_out"
UPDATE_ON_OPEN = "update_on_open"


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0"


def _fields(root: Any) -> list[tuple[str, list[Any]]]:
    """(instruction, result text elements) of every complex field, in document order; fields
    may nest (LibreOffice wraps the PAGEREFs of the contents in a TOC field)."""
    out: list[tuple[str, list[Any]]] = []
    stack: list[tuple[list[str], list[Any], list[bool]]] = []
    for el in root.iter(_Q + "fldChar", _Q + "instrText", _Q + "t"):
        if el.tag == _Q + "fldChar":
            kind = el.get(_Q + "fldCharType")
            if kind == "begin":
                stack.append(([], [], [False]))
            elif kind == "separate" and stack:
                stack[-1][2][0] = True
            elif kind == "end" and stack:
                instr, result, _ = stack.pop()
                out.append(("".join(instr), result))
        elif el.tag == _Q + "instrText" and stack and not stack[-1][2][0]:
            stack[-1][0].append(el.text or "")
        elif el.tag == _Q + "t" and stack and stack[-1][2][0]:
            stack[-1][1].append(el)
    return out


def _read_numbers(laid_out: Path) -> tuple[dict[str, str], str]:
    """Bookmark → page number, and the page count, from LibreOffice's copy."""
    pages: dict[str, str] = {}
    total = ""
    with zipfile.ZipFile(laid_out) as z:
        for name in z.namelist():
            if not re.fullmatch(r"word/(document|footer\d*|header\d*)\.xml", name):
                continue
            root = etree.fromstring(z.read(name))
            for instr, result in _fields(root):
                text = "".join(t.text or "" for t in result).strip()
                m = PAGEREF.match(instr)
                if m and text.isdigit():
                    pages.setdefault(m.group(1), text)
                elif NUMPAGES.match(instr) and text.isdigit():
                    total = text
    return pages, total


def _set_result(result: list[Any], value: str) -> None:
    if not result:
        return
    result[0].text = value
    for extra in result[1:]:
        extra.text = ""


def _write_numbers(docx: Path, pages: dict[str, str], total: str) -> None:
    """Put the numbers into `docx`'s own fields and drop w:updateFields (the one atomic-write
    helper: never half a file, same permissions as the export)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if re.fullmatch(r"word/(document|footer\d*|header\d*)\.xml", info.filename):
                root = etree.fromstring(data)
                for instr, result in _fields(root):
                    m = PAGEREF.match(instr)
                    if m and m.group(1) in pages:
                        _set_result(result, pages[m.group(1)])
                    elif NUMPAGES.match(instr) and total:
                        _set_result(result, total)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "word/settings.xml":
                root = etree.fromstring(data)
                for el in root.findall(_Q + "updateFields"):
                    root.remove(el)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    write_atomic(docx, buffer.getvalue())


def paginate(docx: Path, soffice: str | None, timeout: float = TIMEOUT_S) -> bool:
    """Write the laid-out page numbers into `docx`; False (file unchanged) when LibreOffice is
    missing, disabled, fails or gives no numbers."""
    if not soffice or not enabled():
        return False
    with tempfile.TemporaryDirectory(prefix="pia-layout-") as tmp:
        outdir = Path(tmp, "out")
        outdir.mkdir()
        copy = Path(tmp, "report.docx")
        shutil.copyfile(docx, copy)
        laid_out = _lay_out_with_kept_profile(soffice, copy, outdir, timeout)
        if laid_out is None:
            laid_out = _lay_out(soffice, Path(tmp, "profile"), copy, outdir, timeout)
        if laid_out is None:
            return False
        try:
            pages, total = _read_numbers(laid_out)
        except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
            return False
    if not pages:
        return False
    _write_numbers(docx, pages, total)
    return True


def _lay_out(soffice: str, profile: Path, copy: Path, outdir: Path, timeout: float) -> Path | None:
    """LibreOffice's laid-out copy of `copy` (converted to .docx in `outdir`), or None."""
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        str(copy),
    ]
    laid_out = outdir / copy.name
    laid_out.unlink(missing_ok=True)
    try:
        subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return laid_out if laid_out.is_file() else None


def _lay_out_with_kept_profile(soffice: str, copy: Path, outdir: Path, timeout: float) -> Path | None:
    """The layout pass in a LibreOffice profile kept in the cache folder (PROFILE_DIR).

    A new profile costs LibreOffice ~0.4 s CPU to build on each run; kept, it is built once. It is
    the app's own (never the user's LibreOffice profile) and is used by one export at a time: a
    lock in its folder, taken without waiting; an export that finds it taken, or cannot make it,
    returns None and uses a throw-away profile as before (two LibreOffice processes on one
    profile would hand the conversion to each other). A kept profile with which the conversion
    fails is removed, so a damaged one is rebuilt on the next export (the caller retries now
    with a throw-away profile)."""
    from pia_app.errors import UserError
    from pia_app.forms.cache import cache_dir
    from pia_app.instance_lock import acquire

    folder = cache_dir() / PROFILE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = acquire(folder)
    except (OSError, UserError):
        return None
    if lock is None:
        return None
    with lock:
        profile = folder / "profile"
        laid_out = _lay_out(soffice, profile, copy, outdir, timeout)
        if laid_out is None:
            shutil.rmtree(profile, ignore_errors=True)
        return laid_out


def pagination_state(docx: Path) -> str:
    """LAID_OUT when the contents carry laid-out page numbers, else UPDATE_ON_OPEN."""
    with zipfile.ZipFile(docx) as z:
        settings = z.read("word/settings.xml")
    return UPDATE_ON_OPEN if b"updateFields" in settings else LAID_OUT
