"""Characters the report's fonts lack get a run of their own in a font that has them.

SimSun, SimHei and Times New Roman have no emoji and no CJK characters beyond the Basic
Multilingual Plane (Extension B and later: 𠮷, 𪚥). Word and WPS fall back per run font, not per
character, so such characters showed as empty boxes. After rendering, every text run that holds
one is split: the special characters go into runs with the same formatting and a font that has
them (emoji: Segoe UI Emoji, then Apple Color Emoji / Noto Color Emoji by the reader's font
substitution; rare CJK: SimSun-ExtB on Windows, which fontconfig maps to an installed CJK font
elsewhere), the rest keeps its run.

Private-use characters (U+E000-U+F8FF and planes 15-16: vendor logos, input-method glyphs) have
no standard glyph in any font a reader may have, so no fallback can draw them: they are
replaced visibly by their code point, "[U+F8FF]", never left as an empty box.

In LibreOffice (the preview, and readers on Linux) fontconfig chooses the fallback font: the
project's system packages (tools/system-deps.sh) include Symbola, a monochrome emoji font that
LibreOffice's PDF export draws (colour bitmap emoji fonts such as Noto Color Emoji come out blank
in LibreOffice 7 PDFs), and HanaMin for CJK Extension B and later.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from docx.oxml.ns import qn

EMOJI_FONT = "Segoe UI Emoji"
EXT_CJK_FONT = "SimSun-ExtB"

_EMOJI = (
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, flags' regional indicators
    "\u2600-\u27bf"  # dingbats and miscellaneous symbols (☎, ✅)
    "\u2b00-\u2bff"
    "\ufe0f\u200d"  # variation selector 16 and zero-width joiner inside emoji sequences
    "\U000e0020-\U000e007f"  # tag characters (subdivision flags)
)
_SPECIAL = re.compile(f"([{_EMOJI}]+|[\U00020000-\U0003ffff]+)")


def _font_for(segment: str) -> str:
    return EXT_CJK_FONT if 0x20000 <= ord(segment[0]) <= 0x3FFFF else EMOJI_FONT


def _split_run(run: Any) -> None:
    texts = run.findall(qn("w:t"))
    if len(texts) != 1 or len(run) > 2 + (run.find(qn("w:rPr")) is not None):
        return  # only simple runs (rPr + one w:t) are split; others are left as they are
    text = texts[0].text or ""
    parts = [p for p in _SPECIAL.split(text) if p]
    if len(parts) < 2 and not (parts and _SPECIAL.fullmatch(parts[0])):
        return
    parent = run.getparent()
    index = parent.index(run)
    new_runs = []
    for part in parts:
        r = copy.deepcopy(run)
        r.find(qn("w:t")).text = part
        if _SPECIAL.fullmatch(part):
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                rpr = r.makeelement(qn("w:rPr"), {})
                r.insert(0, rpr)
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = rpr.makeelement(qn("w:rFonts"), {})
                rpr.insert(0, fonts)
            font = _font_for(part)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), font)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            if font == EXT_CJK_FONT:
                fonts.set(qn("w:hint"), "eastAsia")
        new_runs.append(r)
    parent.remove(run)
    for offset, r in enumerate(new_runs):
        parent.insert(index + offset, r)


_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")


def visible_private_use(text: str) -> str:
    """Private-use characters as "[U+XXXX]": visible, and saying what was there."""
    return _PRIVATE_USE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def apply_fallback_fonts(root: Any) -> None:
    """Split the runs under `root` (a document body, header or footer element)."""
    for t in list(root.iter(qn("w:t"))):
        if t.text and _PRIVATE_USE.search(t.text):
            t.text = visible_private_use(t.text)
        if t.text and _SPECIAL.search(t.text):
            run = t.getparent()
            if run is not None and run.tag == qn("w:r"):
                _split_run(run)
