"""Turn a reference such as "pipl 17(一)" into the citation a reader expects in each language:
"个人信息保护法第十七条（一）" / "PIPL art. 17(1)".

One citation style per language: Chinese text cites articles with Chinese numerals (第十七条), as
the statutes themselves and every message and help text of the form do; English uses Arabic
numerals (art. 17(1)). Clause numbers of standards stay as printed (GB/T 35273-2020 6.3)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pia_app.forms.answers import effective_answers
from pia_app.forms.conditions import evaluate
from pia_app.forms.schema import Form

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MAIN = re.compile(r"^(\d+)(.*)$")


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..999 in Chinese numerals as statutes write article numbers: 10 → 十, 17 → 十七,
    45 → 四十五, 100 → 一百, 105 → 一百零五, 110 → 一百一十."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if tens == 0 and ones:
            return out + "零" + _DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def _fullwidth_parens(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


def _cn_to_arabic(text: str) -> str:
    return re.sub(r"[（(]([一二三四五六七八九十])[)）]", lambda m: f"({_CN_NUM[m.group(1)]})", text)


def format_ref(form: Form, ref: str, lang: str) -> str:
    code, _, locator = ref.partition(" ")
    locator = re.sub(r"\s*\[[VPDI]\]\s*$", "", locator.strip())
    source = form.sources.get(code)
    if source is None:
        return ref
    short = source.short.get(lang) or source.short.get("zh", code)
    if not locator:
        return short
    pattern = source.cite.get(lang) or "{art}"
    if code == "pia":
        if lang != "zh":  # the topic is written in Chinese in the form; its English is a message
            from pia_app.i18n import t

            key = f"citation.practice.{locator}"
            locator = t(key, lang) if t(key, lang) != key else locator
        return f"{short}：{locator}" if lang == "zh" else f"{short}: {locator}"
    m = _MAIN.match(locator)
    if m and "{art}" in pattern and pattern != "{art}":
        main, tail = m.group(1), m.group(2)
        if lang == "zh" and "条" in pattern:
            main, tail = chinese_number(int(main)), _fullwidth_parens(tail)
        tail = tail if lang == "zh" else _cn_to_arabic(tail)
        cited = pattern.format(art=main) + tail
    else:
        cited = pattern.format(art=locator if lang == "zh" else _cn_to_arabic(locator))
    # "个人信息保护法第十七条" but "GB/T 35273-2020 5.2": a clause number is spaced in Chinese too.
    sep = "" if lang == "zh" and not cited[:1].isascii() else " "
    return f"{short}{sep}{cited}"


def format_refs(form: Form, refs: tuple[str, ...] | list[str], lang: str) -> str:
    joiner = "；" if lang == "zh" else "; "
    return joiner.join(format_ref(form, r, lang) for r in refs)


def source_applies(form: Form, code: str, answers: Mapping[str, Any]) -> bool:
    """Whether the source `code` applies to these answers (its `applies_if` in sources.yaml;
    a source without one always applies). Reads only the answers that apply."""
    source = form.sources.get(code)
    if source is None or source.applies_if is None:
        return True
    return evaluate(source.applies_if, effective_answers(form, answers))


def applicable_sources(form: Form, answers: Mapping[str, Any]) -> set[str]:
    """The codes of the sources that apply to these answers (for legality rows and the walk)."""
    eff = effective_answers(form, answers)
    return {c for c, s in form.sources.items() if s.applies_if is None or evaluate(s.applies_if, eff)}


def only_applicable(refs: tuple[str, ...] | list[str], applies: set[str]) -> tuple[str, ...]:
    """The refs whose source is in `applies` (from `applicable_sources`): a question's
    legality row in the report cites the Face Recognition Measures only when they apply."""
    return tuple(r for r in refs if r.split(" ", 1)[0] in applies)
