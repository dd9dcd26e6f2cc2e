"""Turn a reference such as "pipl 17(一)" into the citation a reader expects in each language:
"个人信息保护法第17条（一）" / "PIPL art. 17(1)"."""

from __future__ import annotations

import re

from pia_app.forms.schema import Form

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MAIN = re.compile(r"^(\d+)(.*)$")


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
        tail = tail if lang == "zh" else _cn_to_arabic(tail)
        cited = pattern.format(art=main) + tail
    else:
        cited = pattern.format(art=locator if lang == "zh" else _cn_to_arabic(locator))
    # "个人信息保护法第17条" but "GB/T 35273-2020 5.2": a clause number is spaced in Chinese too.
    sep = "" if lang == "zh" and not cited[:1].isascii() else " "
    return f"{short}{sep}{cited}"


def format_refs(form: Form, refs: tuple[str, ...] | list[str], lang: str) -> str:
    joiner = "；" if lang == "zh" else "; "
    return joiner.join(format_ref(form, r, lang) for r in refs)
