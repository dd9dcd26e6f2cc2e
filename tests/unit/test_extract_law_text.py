"""tools/extract_law_text.py: Chinese article numbers, articles split at headings, and the
shipped PIPL texts file is complete (74 articles, art. 26 as in the law)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[2]


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_law_text", ROOT / "tools" / "extract_law_text.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chinese_article_numbers() -> None:
    to_int = tool().chinese_to_int
    assert [to_int(s) for s in ("一", "十", "十七", "四十五", "七十四", "一百零五", "一百一十")] == [
        1, 10, 17, 45, 74, 105, 110,
    ]  # fmt: skip


def test_articles_run_to_the_next_article_or_heading() -> None:
    md = "# 某某法\n\n## 第一章 总则\n\n第一条 甲。\n\n乙：\n\n（一）丙；\n\n## 第二章\n\n第二条 丁。\n"
    title, articles = tool().extract(md)
    assert title == "某某法"
    assert articles == {1: "第一条 甲。\n乙：\n（一）丙；", 2: "第二条 丁。"}


def test_shipped_pipl_text_is_complete() -> None:
    data = yaml.safe_load((ROOT / "forms" / "face_voice" / "texts" / "pipl.yaml").read_text(encoding="utf-8"))
    articles = data["articles"]
    assert sorted(articles) == list(range(1, 75))
    assert articles[26].startswith("第二十六条 在公共场所安装图像采集、个人身份识别设备")
    assert "应当至少保存三年" in articles[56]
