"""The risk heat map of the report, drawn as a PNG with Pillow (no display, no Qt).

The picture has two parts, on the same colour scale (the risk levels of GB/T 39335 table D.5):

- the 4×4 matrix, impact (rows, 严重 at the top) × likelihood (columns, 低 on the left), each cell
  coloured by the level the matrix gives it, with every rated risk item placed as a solid marker
  in the cell of its (impact, likelihood): the inherent risk;
- below it a strip of the four levels with every item placed as a hollow marker at its residual
  level after treatment. The treatment plan records only a residual *level*, not a new impact and
  likelihood, so the residual risk is shown on the level scale rather than guessed into a cell.

Chinese labels need a CJK font. We look for one the system has (Noto CJK / WenQuanYi / Droid on
Linux, Microsoft YaHei / SimHei / SimSun on Windows, PingFang / Hiragino / STHeiti on macOS, or
what fontconfig suggests); when none is found, the caller's English labels are used instead, so
the picture never shows boxes.
"""

from __future__ import annotations

import glob
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

LEVEL_COLOURS = ("#A8D5A2", "#FFE17A", "#F7A35C", "#E8595A")
"""Fill of risk levels 1..4 (low, medium, high, severe): green, yellow, orange, red."""

LEVEL_HEX = tuple(c.lstrip("#") for c in LEVEL_COLOURS)
"""The same colours for Word table cell shading."""

_CJK_CANDIDATES = (
    # Linux
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    # Windows
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/msyh.ttf",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    # macOS
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_GLOBS = ("/usr/share/fonts/**/*CJK*", "/usr/local/share/fonts/**/*CJK*", "~/.fonts/**/*CJK*")
_LATIN_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Helvetica.ttc",
    "/Library/Fonts/Arial.ttf",
)
_PROBE = "影响程度严重"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class HeatItem:
    """One risk item as the chart needs it: levels are 1..4 or None (not rated)."""

    label: str
    impact: int | None
    likelihood: int | None
    residual: int | None


@dataclass(frozen=True)
class ChartText:
    """Every word the chart prints, in one language."""

    impact_axis: str
    likelihood_axis: str
    impact_levels: tuple[str, str, str, str]
    likelihood_levels: tuple[str, str, str, str]
    risk_levels: tuple[str, str, str, str]
    inherent_legend: str
    residual_title: str
    unrated: str
    no_items: str


@dataclass(frozen=True)
class FontChoice:
    path: str
    index: int
    cjk: bool


def _covers(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """True when the font has real glyphs for `text` (not the .notdef box)."""
    try:
        notdef = font.getmask("\U0010fffd").getbbox()
        return all(font.getmask(ch).getbbox() not in (None, notdef) for ch in text)
    except (OSError, ValueError):
        return False


def _try(path: str) -> FontChoice | None:
    if not os.path.isfile(path):
        return None
    for index in range(8 if path.lower().endswith(".ttc") else 1):
        try:
            font = ImageFont.truetype(path, 24, index=index)
        except OSError:
            break
        name = " ".join(str(x) for x in (font.getname() or ()) if x)
        # Prefer the Simplified Chinese face of a collection (Noto CJK: index 2 = "SC").
        if path.lower().endswith(".ttc") and "CJK" in name and " SC" not in name:
            continue
        if _covers(font, _PROBE):
            return FontChoice(path, index, True)
    return None


def _fc_match() -> FontChoice | None:
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}\n", "sans-serif:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return _try(out) if out else None


@cache
def find_cjk_font() -> FontChoice | None:
    """A font on this system that can draw Chinese, or None."""
    env = os.environ.get("PIA_APP_CJK_FONT")
    if env:
        return _try(env)
    for path in _CJK_CANDIDATES:
        found = _try(path)
        if found:
            return found
    for pattern in _GLOBS:
        for path in sorted(glob.glob(os.path.expanduser(pattern), recursive=True)):
            found = _try(path)
            if found:
                return found
    if sys.platform != "win32":
        return _fc_match()
    return None


def _latin_font_path() -> str | None:
    return next((p for p in _LATIN_CANDIDATES if os.path.isfile(p)), None)


class _Fonts:
    def __init__(self, choice: FontChoice | None) -> None:
        self.choice = choice
        self._latin = _latin_font_path()

    def get(self, size: int) -> Font:
        if self.choice:
            return ImageFont.truetype(self.choice.path, size, index=self.choice.index)
        if self._latin:
            return ImageFont.truetype(self._latin, size)
        return ImageFont.load_default(size)


def _needs_cjk(text: ChartText) -> bool:
    words = [
        text.impact_axis,
        text.likelihood_axis,
        *text.impact_levels,
        *text.likelihood_levels,
        *text.risk_levels,
        text.inherent_legend,
        text.residual_title,
        text.unrated,
        text.no_items,
    ]
    return any(ord(ch) > 0x2E7F for w in words for ch in w)


def _text_size(draw: ImageDraw.ImageDraw, text: str, font: Font) -> tuple[int, int]:
    box = draw.textbbox((0, 0), text, font=font)
    return int(box[2] - box[0]), int(box[3] - box[1])


_NO_LINE_START = set("）)]】」』》〉”’，。、；：！？,.;:!?…—%")
"""Closing brackets and punctuation that Chinese typesetting never puts at the start of a line."""


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> list[str]:
    """Break `text` into lines no wider than `width`: at spaces, or anywhere in CJK text except
    before a closing mark."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if _text_size(draw, line + ch, font)[0] <= width:
            line += ch
            continue
        cut = line.rfind(" ")
        if cut > len(line) // 2:
            lines.append(line[:cut])
            line = line[cut + 1 :] + ch
        elif ch in _NO_LINE_START and len(line) > 1:
            lines.append(line[:-1])  # a closing mark never starts a line: take a character along
            line = line[-1] + ch
        else:
            lines.append(line)
            line = ch
    if line:
        lines.append(line)
    return lines


def _layout(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    labels: Sequence[str],
    font: Font,
) -> list[tuple[int, int, int, int]] | None:
    """Positions of labelled chips laid out left to right, top to bottom; None if they overflow."""
    x0, y0, x1, y1 = box
    pad, gap = 10, 8
    x, y = x0 + pad, y0 + pad
    row_h = 0
    out = []
    for label in labels:
        tw, th = _text_size(draw, label, font)
        w, h = tw + 22, max(th + 16, 38)
        if x + w > x1 - pad and x > x0 + pad:
            x = x0 + pad
            y += row_h + gap
            row_h = 0
        if y + h > y1 - pad or w > x1 - x0 - 2 * pad:
            return None
        out.append((x, y, w, h))
        x += w + gap
        row_h = max(row_h, h)
    return out


def _level_cell(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    level: int,
    names: Sequence[str],
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> None:
    """One cell coloured by risk level, with the level's name in its top-right corner."""
    draw.rectangle(box, fill=LEVEL_COLOURS[level - 1], outline="#FFFFFF", width=4)
    draw.text((box[2] - 12, box[1] + 8), names[level - 1], fill="#374151", font=font, anchor="ra")


def _markers(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    labels: Sequence[str],
    font: Font,
    hollow: bool,
) -> None:
    """Draw the items' chips in `box`; when they do not all fit, as many as fit and a "+N" chip."""

    def chips(k: int) -> list[str]:
        return list(labels) if k == len(labels) else [*labels[:k], f"+{len(labels) - k}"]

    # The most chips that fit, by bisection (one layout per step, so 4,000 items stay fast).
    k = len(labels)
    slots = _layout(draw, box, chips(k), font)
    if slots is None:
        lo, hi = 0, len(labels) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _layout(draw, box, chips(mid), font) is None:
                hi = mid - 1
            else:
                lo = mid
        k = lo
        slots = _layout(draw, box, chips(k), font)
    shown = chips(k)
    for i, (label, (x, y, w, h)) in enumerate(zip(shown, slots or [], strict=False)):
        more = i >= k
        if hollow or more:
            draw.rounded_rectangle(
                (x, y, x + w, y + h),
                radius=h // 2,
                fill="#FFFFFF",
                outline="#1F2937",
                width=2 if more else 4,
            )
            colour = "#1F2937"
        else:
            draw.rounded_rectangle((x, y, x + w, y + h), radius=h // 2, fill="#1F2937")
            colour = "#FFFFFF"
        draw.text((x + w // 2, y + h // 2), label, fill=colour, font=font, anchor="mm")


def heat_map_png(
    matrix: Sequence[Sequence[int]],
    items: Sequence[HeatItem],
    text: ChartText,
    fallback: ChartText | None = None,
    font: FontChoice | bool | None = True,
) -> bytes:
    """The heat map as PNG bytes.

    `matrix[impact-1][likelihood-1]` is the risk level 1..4 of each cell. `text` is used when the
    system has a font for it; otherwise `fallback` (English). `font=True` looks for a CJK font,
    None/False forces the no-CJK path (for tests), a FontChoice uses that font.
    """
    choice = find_cjk_font() if font is True else (font or None)
    words = text
    if _needs_cjk(text) and choice is None and fallback is not None:
        words = fallback
    fonts = _Fonts(choice)
    f_axis, f_label, f_cell, f_marker, f_small = (
        fonts.get(40),
        fonts.get(36),
        fonts.get(30),
        fonts.get(30),
        fonts.get(31),
    )

    cell_w, cell_h = 330, 200
    left, top = 260, 40
    grid_w, grid_h = 4 * cell_w, 4 * cell_h
    strip_top = top + grid_h + 170
    strip_h = 150
    width = left + grid_w + 40
    height = strip_top + strip_h + 120
    img = Image.new("RGB", (width, height), "#FFFFFF")
    draw = ImageDraw.Draw(img)

    # Cells: row 0 at the top is the highest impact.
    for r in range(4):
        impact = 4 - r
        for c in range(4):
            level = int(matrix[impact - 1][c])
            x0, y0 = left + c * cell_w, top + r * cell_h
            _level_cell(draw, (x0, y0, x0 + cell_w, y0 + cell_h), level, words.risk_levels, f_cell)
        draw.text(
            (left - 16, top + r * cell_h + cell_h // 2),
            words.impact_levels[impact - 1],
            fill="#000000",
            font=f_label,
            anchor="rm",
        )
    for c in range(4):
        draw.text(
            (left + c * cell_w + cell_w // 2, top + grid_h + 14),
            words.likelihood_levels[c],
            fill="#000000",
            font=f_label,
            anchor="ma",
        )
    draw.text(
        (left + grid_w // 2, top + grid_h + 66),
        words.likelihood_axis + " →",
        fill="#000000",
        font=f_axis,
        anchor="ma",
    )
    # The impact axis title, written vertically, one character (or word) per line for CJK.
    axis = words.impact_axis + " →"
    tw, th = _text_size(draw, axis, f_axis)
    label_img = Image.new("RGBA", (tw + 20, th + 30), (255, 255, 255, 0))
    ImageDraw.Draw(label_img).text((10, 5), axis, fill="#000000", font=f_axis)
    rotated = label_img.rotate(90, expand=True)
    img.paste(rotated, (20, top + grid_h // 2 - rotated.height // 2), rotated)

    placed: dict[tuple[int, int], list[str]] = {}
    unrated: list[str] = []
    for item in items:
        if item.impact in (1, 2, 3, 4) and item.likelihood in (1, 2, 3, 4):
            assert item.impact is not None and item.likelihood is not None
            placed.setdefault((item.impact, item.likelihood), []).append(item.label)
        else:
            unrated.append(item.label)
    for (impact, likelihood), labels in placed.items():
        r, c = 4 - impact, likelihood - 1
        x0, y0 = left + c * cell_w, top + r * cell_h
        _markers(draw, (x0, y0 + 40, x0 + cell_w, y0 + cell_h), labels, f_marker, False)

    # Residual strip.
    draw.text((left, strip_top - 56), words.residual_title, fill="#000000", font=f_label)
    by_level: dict[int, list[str]] = {}
    for item in items:
        if item.residual in (1, 2, 3, 4):
            assert item.residual is not None
            by_level.setdefault(item.residual, []).append(item.label)
    for lv in range(1, 5):
        x0 = left + (lv - 1) * cell_w
        _level_cell(draw, (x0, strip_top, x0 + cell_w, strip_top + strip_h), lv, words.risk_levels, f_cell)
        _markers(
            draw,
            (x0, strip_top + 40, x0 + cell_w, strip_top + strip_h),
            by_level.get(lv, []),
            f_marker,
            True,
        )

    notes = [words.inherent_legend]
    if not items:
        notes.append(words.no_items)
    elif unrated:
        sep = "：" if _needs_cjk(words) else ": "
        notes.append(words.unrated + sep + ", ".join(unrated))
    lines = [line for note in notes for line in _wrap(draw, note, f_small, width - left - 20)]
    needed = strip_top + strip_h + 20 + 48 * len(lines) + 10
    if needed > img.height:
        taller = Image.new("RGB", (width, needed), "#FFFFFF")
        taller.paste(img, (0, 0))
        img, draw = taller, ImageDraw.Draw(taller)
    y = strip_top + strip_h + 20
    for line in lines:
        draw.text((left, y), line, fill="#000000", font=f_small)
        y += 48

    buf = io.BytesIO()
    img.save(buf, format="PNG")  # not optimize=True: 3% smaller, 4x slower (issue 12)
    return buf.getvalue()
