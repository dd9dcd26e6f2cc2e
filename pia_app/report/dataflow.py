"""The data-flow diagram of the report: one lane per processing activity of the data map
(table C-1/C-2), across the stages collection → storage → use → provision/entrustment →
cross-border → deletion, drawn with Pillow (no display needed).

A stage the activity does not go through is drawn as a pale, dashed box with "—", so the lanes
line up and a reader sees at a glance what an activity does not do. The words come from the
context (`dataflow_lanes`), the stage names from the locale catalogue.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from pia_app.report.charts import _Fonts, _text_size, _wrap, find_cjk_font

STAGES = ("collect", "store", "use", "share", "cross_border", "delete")
SCALE = 2
"""Drawn at twice the size and shown 23 cm wide on the landscape page of the data map."""


@dataclass(frozen=True)
class Lane:
    """One activity: its name and, per stage of STAGES, a short text or "" when not involved."""

    name: str
    cells: tuple[str, ...]


def dataflow_png(lanes: Sequence[Lane], stage_names: Sequence[str], max_lanes: int = 8) -> bytes:
    """The diagram as PNG bytes. More than `max_lanes` activities are cut with a note row."""
    fonts = _Fonts(find_cjk_font())
    s = SCALE
    name_w, cell_w, gap, pad = 150 * s, 118 * s, 22 * s, 12 * s
    head_h, lane_h = 40 * s, 104 * s
    shown = list(lanes[:max_lanes])
    width = pad * 2 + name_w + len(STAGES) * cell_w + (len(STAGES) - 1) * gap + gap
    height = pad * 2 + head_h + max(1, len(shown)) * (lane_h + 10 * s)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    head_font, text_font, name_font = fonts.get(13 * s), fonts.get(12 * s), fonts.get(12 * s)

    def x_of(i: int) -> int:
        return pad + name_w + gap + i * (cell_w + gap)

    for i, stage in enumerate(stage_names[: len(STAGES)]):
        x = x_of(i)
        draw.rectangle((x, pad, x + cell_w, pad + head_h - 6 * s), fill="#3C5A78")
        tw, th = _text_size(draw, stage, head_font)
        draw.text(
            (x + (cell_w - tw) // 2, pad + (head_h - 6 * s - th) // 2 - 2 * s),
            stage,
            font=head_font,
            fill="white",
        )
    for r, lane in enumerate(shown):
        y = pad + head_h + r * (lane_h + 10 * s)
        draw.rectangle((pad, y, pad + name_w - 6 * s, y + lane_h), fill="#EEF2F6", outline="#3C5A78", width=s)
        _block(
            draw, lane.name, name_font, (pad + 6 * s, y + 6 * s, pad + name_w - 12 * s, y + lane_h - 6 * s)
        )
        prev_right = None
        for i, text in enumerate(lane.cells[: len(STAGES)]):
            x = x_of(i)
            box = (x, y, x + cell_w, y + lane_h)
            if text:
                draw.rectangle(box, fill="#FFFFFF", outline="#3C5A78", width=2 * s)
                _block(draw, text, text_font, (x + 6 * s, y + 6 * s, x + cell_w - 6 * s, y + lane_h - 6 * s))
                if prev_right is not None:
                    _arrow(draw, prev_right, x, y + lane_h // 2, s)
                prev_right = x + cell_w
            else:
                _dashed(draw, box, s)
                tw, th = _text_size(draw, "—", text_font)
                draw.text(
                    (x + (cell_w - tw) // 2, y + (lane_h - th) // 2), "—", font=text_font, fill="#A0A0A0"
                )
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _block(draw: ImageDraw.ImageDraw, text: str, font: object, box: tuple[int, int, int, int]) -> None:
    """`text` wrapped into `box`; what does not fit ends in "…"."""
    x0, y0, x1, y1 = box
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(_wrap(draw, part, font, x1 - x0))  # type: ignore[arg-type]
    line_h = _text_size(draw, "国Ag", font)[1] + 4  # type: ignore[arg-type]
    fit = max(1, (y1 - y0) // line_h)
    if len(lines) > fit:
        lines = lines[:fit]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + "…"
    for i, line in enumerate(lines):
        draw.text((x0, y0 + i * line_h), line, font=font, fill="#202020")  # type: ignore[arg-type]


def _arrow(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int, s: int) -> None:
    draw.line((x0 + 2 * s, y, x1 - 3 * s, y), fill="#3C5A78", width=2 * s)
    draw.polygon(((x1 - 2 * s, y), (x1 - 9 * s, y - 5 * s), (x1 - 9 * s, y + 5 * s)), fill="#3C5A78")


def _dashed(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], s: int) -> None:
    x0, y0, x1, y1 = box
    dash = 6 * s
    for x in range(x0, x1, dash * 2):
        draw.line((x, y0, min(x + dash, x1), y0), fill="#C0C0C0", width=s)
        draw.line((x, y1, min(x + dash, x1), y1), fill="#C0C0C0", width=s)
    for y in range(y0, y1, dash * 2):
        draw.line((x0, y, x0, min(y + dash, y1)), fill="#C0C0C0", width=s)
        draw.line((x1, y, x1, min(y + dash, y1)), fill="#C0C0C0", width=s)
