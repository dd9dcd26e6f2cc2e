"""The data-flow diagram of the report: one lane per processing activity of the data map
(table C-1/C-2), across the stages collection → storage → use → provision/entrustment →
cross-border → deletion, drawn with Pillow (no display needed).

A stage the activity does not go through is drawn as a pale, dashed box with "—", so the lanes
line up and a reader sees at a glance what an activity does not do; an arrow that skips such
stages runs below them, never through them (`arrow_routes`). The words come from the
context (`dataflow_lanes`), the stage names from the locale catalogue.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

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


@dataclass(frozen=True)
class _Geometry:
    """Where things go, in pixels at SCALE. Lanes are `gutter` apart: an arrow that skips stages
    runs in the gutter below its lane, so it never crosses a stage's box."""

    name_w: int = 150 * SCALE
    cell_w: int = 118 * SCALE
    gap: int = 22 * SCALE
    pad: int = 12 * SCALE
    head_h: int = 46 * SCALE
    lane_h: int = 104 * SCALE
    gutter: int = 26 * SCALE

    def x_of(self, i: int) -> int:
        return self.pad + self.name_w + self.gap + i * (self.cell_w + self.gap)

    def y_of(self, r: int) -> int:
        return self.pad + self.head_h + r * (self.lane_h + self.gutter)

    def box(self, r: int, i: int) -> tuple[int, int, int, int]:
        x, y = self.x_of(i), self.y_of(r)
        return (x, y, x + self.cell_w, y + self.lane_h)


GEOMETRY = _Geometry()


def arrow_routes(cells: Sequence[str], r: int, g: _Geometry = GEOMETRY) -> list[list[tuple[int, int]]]:
    """The arrows of lane `r`, as polylines from one box the activity goes through to the next.

    Next-door boxes are joined straight across. An arrow that skips stages leaves its box, turns
    down in the gap into the gutter below the lane, runs under the skipped (dashed) boxes and
    comes up in the gap before the next box: it never crosses a box, so the figure does not read
    as if the data went through a stage the activity skips.
    """
    present = [i for i, text in enumerate(cells[: len(STAGES)]) if text]
    y_mid = g.y_of(r) + g.lane_h // 2
    y_low = g.y_of(r) + g.lane_h + g.gutter // 2
    routes = []
    for a, b in pairwise(present):
        x0, x1 = g.x_of(a) + g.cell_w, g.x_of(b)
        if b == a + 1:
            routes.append([(x0, y_mid), (x1, y_mid)])
        else:
            xa, xb = x0 + g.gap // 2, x1 - g.gap // 2
            routes.append([(x0, y_mid), (xa, y_mid), (xa, y_low), (xb, y_low), (xb, y_mid), (x1, y_mid)])
    return routes


def dataflow_png(lanes: Sequence[Lane], stage_names: Sequence[str], max_lanes: int = 8) -> bytes:
    """The diagram as PNG bytes. More than `max_lanes` activities are cut with a note row."""
    fonts = _Fonts(find_cjk_font())
    s, g = SCALE, GEOMETRY
    shown = list(lanes[:max_lanes])
    width = g.x_of(len(STAGES)) + g.pad
    height = g.y_of(max(1, len(shown))) + g.pad
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    text_font, name_font = fonts.get(12 * s), fonts.get(12 * s)
    head_bottom = g.pad + g.head_h - 6 * s
    for i, stage in enumerate(stage_names[: len(STAGES)]):
        x = g.x_of(i)
        draw.rectangle((x, g.pad, x + g.cell_w, head_bottom), fill="#3C5A78")
        _head(draw, stage, fonts, (x + 4 * s, g.pad, x + g.cell_w - 4 * s, head_bottom))
    for r, lane in enumerate(shown):
        y = g.y_of(r)
        draw.rectangle(
            (g.pad, y, g.pad + g.name_w - 6 * s, y + g.lane_h), fill="#EEF2F6", outline="#3C5A78", width=s
        )
        _block(
            draw,
            lane.name,
            name_font,
            (g.pad + 6 * s, y + 6 * s, g.pad + g.name_w - 12 * s, y + g.lane_h - 6 * s),
        )
        for i, text in enumerate(lane.cells[: len(STAGES)]):
            box = g.box(r, i)
            x = box[0]
            if text:
                draw.rectangle(box, fill="#FFFFFF", outline="#3C5A78", width=2 * s)
                _block(
                    draw, text, text_font, (x + 6 * s, y + 6 * s, x + g.cell_w - 6 * s, y + g.lane_h - 6 * s)
                )
            else:
                _dashed(draw, box, s)
                tw, th = _text_size(draw, "—", text_font)
                draw.text(
                    (x + (g.cell_w - tw) // 2, y + (g.lane_h - th) // 2), "—", font=text_font, fill="#A0A0A0"
                )
        for route in arrow_routes(lane.cells, r):
            _arrow(draw, route, s)
    out = io.BytesIO()
    img.save(out, format="PNG")  # not optimize=True: 1% smaller, 4x slower (issue 12)
    return out.getvalue()


def _head(draw: ImageDraw.ImageDraw, text: str, fonts: _Fonts, box: tuple[int, int, int, int]) -> None:
    """A stage name centred in its header box, on two lines (smaller type if need be) rather
    than cut at the edges ("Provision / entrustment")."""
    x0, y0, x1, y1 = box
    for size in (13, 12, 11, 10):
        font = fonts.get(size * SCALE)
        lines = _wrap(draw, text, font, x1 - x0)
        line_h = _text_size(draw, "国Ag", font)[1] + 2 * SCALE
        if len(lines) <= 2 and len(lines) * line_h <= y1 - y0:
            break
    top = y0 + (y1 - y0 - len(lines) * line_h) // 2
    for k, line in enumerate(lines[:2]):
        tw = _text_size(draw, line, font)[0]
        draw.text((x0 + (x1 - x0 - tw) // 2, top + k * line_h), line, font=font, fill="white")


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


def _arrow(draw: ImageDraw.ImageDraw, route: Sequence[tuple[int, int]], s: int) -> None:
    """A polyline ending in an arrowhead pointing right, into the next box."""
    (xs, ys), *rest = route
    points = [(xs + 2 * s, ys), *rest[:-1], (rest[-1][0] - 3 * s, rest[-1][1])]
    draw.line(points, fill="#3C5A78", width=2 * s, joint="curve")
    x1, y = rest[-1]
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
