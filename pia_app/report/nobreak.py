"""No line break after a hyphen that is followed by a digit, joined after rendering.

Narrow table columns broke standard numbers, dates and gap numbers at their hyphen
("GB/T 41819-|2022", "（2026-12-|12）", "M-|02"). After rendering, a WORD JOINER (U+2060, the
Unicode character that forbids a break on either side of it, drawn as nothing) is put after
every hyphen that stands between a letter or digit and a digit. The hyphen itself stays an
ordinary hyphen in the reader's font.

Measured in LibreOffice (tests/unit/test_report_linebreak.py, 2.6 to 4.2 cm columns), the other
ways are worse: Word's non-breaking hyphen (<w:noBreakHyphen/>, U+2011) is drawn from a fallback
font and makes LibreOffice cut the token at an arbitrary character ("（2026-12-1|2）"), and a
no-break space inside "GB/T 35273-2020 6.3" makes a token wider than the column, which is cut
mid-number too ("GB/T 352|73-2020"). Together with the Chinese template's Latin language en-US
(docs/report.md), a token now moves whole to the next line.

Hyphenated words ("AI-generated", "xinghe-video") keep their break.
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn

WORD_JOINER = "\u2060"
_HYPHEN_BEFORE_DIGIT = re.compile(r"(?<=[0-9A-Za-z])-(?=[0-9])")


def join_tokens(text: str) -> str:
    """`text` with a word joiner after each hyphen between a letter or digit and a digit."""
    return _HYPHEN_BEFORE_DIGIT.sub("-" + WORD_JOINER, text)


def apply_no_break(root: Any) -> None:
    """Join the tokens of every text element under `root` (body, header or footer)."""
    for t in root.iter(qn("w:t")):
        if t.text and "-" in t.text:
            t.text = join_tokens(t.text)
