"""Tokens that must not be split at the end of a line, joined after rendering.

Narrow table columns broke citations, standard numbers, dates and addresses mid-token
("GB/T 35273-20|20", "TLS 1.|3", "第 2|1 条", "P|1", "dpo@xinghe-video.examp|le.cn"). The main cause
was the Chinese template giving Latin text the language zh-CN: LibreOffice then breaks Latin
words and numbers between any two characters, as it does Chinese. The template's Latin language
is en-US (Chinese characters keep zh-CN), so Latin words, numbers and addresses break only at
spaces and hyphens, in every reader.

This pass removes the remaining breaks inside short tokens the way Word itself does: a no-break
space (U+00A0) in "art. 21", "cl. 6.3" and "No. 5", and Word's own non-breaking hyphen
(<w:noBreakHyphen/>, which LibreOffice and WPS read as U+2011 and draw as a hyphen) where a hyphen
is followed by a digit ("35273-2020", "2026-12-10", "F-22", "PA-2026-118").

What it deliberately leaves breakable (measured in LibreOffice with 2-3 cm columns): the space
in "GB/T 35273-2020" and "TLS 1.3", and hyphens in words and e-mail addresses. Joined, these run
wider than the narrowest columns, and a token wider than its column is cut at an arbitrary
character ("GB/T 35273-20|20"), which is worse than a break at a space or hyphen. LibreOffice
also finds no break before a Latin token that follows Chinese punctuation ("HTTPS（TLS 1.3）"),
so a longer joined token there is cut too. In Chinese text LibreOffice ignores a no-break space
("第 21 条" still breaks after 第, which Chinese typesetting allows); the digits themselves are no
longer split.
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn

NBSP = "\u00a0"

_HYPHEN_BEFORE_DIGIT = re.compile(r"(?<=[0-9A-Za-z])-(?=[0-9])")
_SPACE_IN_TOKEN = re.compile(r"(\b(?:[Aa]rts?\.|[Cc]l\.|No\.|para\.)) (?=[0-9])")


def join_tokens(text: str) -> list[str | None]:
    """Split `text` into pieces: strings, with None where a non-breaking hyphen goes.

    Spaces inside tokens become no-break spaces; hyphens that must not break become None.
    """
    text = _SPACE_IN_TOKEN.sub(lambda m: (m.group(1) or "") + NBSP, text)
    hyphens = [m.start() for m in _HYPHEN_BEFORE_DIGIT.finditer(text)]
    if not hyphens:
        return [text]
    pieces: list[str | None] = []
    start = 0
    for pos in hyphens:
        pieces.append(text[start:pos])
        pieces.append(None)
        start = pos + 1
    pieces.append(text[start:])
    return [p for p in pieces if p != ""]


def _set_text(t: Any, text: str) -> None:
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def apply_no_break(root: Any) -> None:
    """Join the tokens in every text element under `root` (body, header or footer)."""
    for t in list(root.iter(qn("w:t"))):
        text = t.text
        if not text or not (" " in text or "-" in text):
            continue
        pieces = join_tokens(text)
        if pieces == [text]:
            continue
        run = t.getparent()
        index = run.index(t)
        run.remove(t)
        for offset, piece in enumerate(pieces):
            if piece is None:
                el = run.makeelement(qn("w:noBreakHyphen"), {})
            else:
                el = run.makeelement(qn("w:t"), {})
                _set_text(el, piece)
            run.insert(index + offset, el)
