"""The heat map picture: drawn without a display, coloured by the matrix, items placed."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pia_app.report import charts
from pia_app.report.charts import LEVEL_COLOURS, ChartText, HeatItem, find_cjk_font, heat_map_png

MATRIX = [[1, 1, 2, 2], [1, 2, 2, 3], [2, 2, 3, 4], [2, 3, 4, 4]]
ZH = ChartText(
    "影响程度",
    "可能性",
    ("低", "中", "高", "严重"),
    ("低", "中", "高", "很高"),
    ("低", "中", "高", "严重"),
    "实心：固有风险",
    "剩余风险",
    "未评级",
    "无风险项",
)
EN = ChartText(
    "Impact",
    "Likelihood",
    ("Low", "Medium", "High", "Severe"),
    ("Low", "Medium", "High", "Very high"),
    ("Low", "Medium", "High", "Severe"),
    "Solid: inherent",
    "Residual",
    "Not rated",
    "No items",
)

# Geometry of heat_map_png (kept in one place here so a layout change fails loudly).
LEFT, TOP, CW, CH = 260, 40, 330, 200


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def pixels(img: Image.Image) -> list[tuple[int, int, int]]:
    data = img.convert("RGB").tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def cell_pixels(img: Image.Image, impact: int, likelihood: int) -> list[tuple[int, int, int]]:
    """The pixels of the lower part of a cell (where markers go)."""
    x0, y0 = LEFT + (likelihood - 1) * CW, TOP + (4 - impact) * CH
    return pixels(img.crop((x0 + 8, y0 + 50, x0 + CW - 8, y0 + CH - 8)))


def render(items: list[HeatItem], **kw: object) -> Image.Image:
    return Image.open(io.BytesIO(heat_map_png(MATRIX, items, ZH, EN, **kw)))  # type: ignore[arg-type]


def test_cells_are_coloured_by_the_matrix() -> None:
    img = render([])
    assert img.format == "PNG"
    for impact in range(1, 5):
        for likelihood in range(1, 5):
            colour = rgb(LEVEL_COLOURS[MATRIX[impact - 1][likelihood - 1] - 1])
            cell = cell_pixels(img, impact, likelihood)
            assert cell.count(colour) > 0.95 * len(cell), (impact, likelihood)


def test_items_are_placed_in_their_cell() -> None:
    img = render([HeatItem("R1", 4, 3, 2), HeatItem("R2", 1, 1, None)])
    dark = (0x1F, 0x29, 0x37)

    def marked(impact: int, likelihood: int) -> bool:
        return dark in cell_pixels(img, impact, likelihood)

    assert marked(4, 3) and marked(1, 1)
    assert not marked(4, 4) and not marked(2, 2) and not marked(1, 2)


def test_residual_strip_places_hollow_markers() -> None:
    img = render([HeatItem("R1", 4, 3, 2)])
    strip_top = TOP + 4 * CH + 170
    medium = pixels(img.crop((LEFT + CW + 8, strip_top + 45, LEFT + 2 * CW - 8, strip_top + 140)))
    low = pixels(img.crop((LEFT + 8, strip_top + 45, LEFT + CW - 8, strip_top + 140)))
    white = (255, 255, 255)
    assert white in medium  # the hollow marker's white fill
    assert white not in low


def test_many_items_in_one_cell_do_not_overflow() -> None:
    items = [HeatItem(f"RISK-{i:03d}", 2, 2, 1) for i in range(40)]
    img = render(items)
    # The cell below (impact 1, likelihood 2) stays clean: nothing spilled over.
    assert (0x1F, 0x29, 0x37) not in cell_pixels(img, 1, 2)


def test_cjk_font_found_on_this_system() -> None:
    found = find_cjk_font()
    if found is None:
        pytest.skip("no CJK font installed")
    assert found.cjk


def test_without_a_cjk_font_english_labels_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    real = charts.ImageDraw.ImageDraw.text

    def spy(self: object, xy: object, text: str, *args: object, **kwargs: object) -> None:
        drawn.append(text)
        real(self, xy, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(charts.ImageDraw.ImageDraw, "text", spy)
    heat_map_png(MATRIX, [HeatItem("R1", None, None, None)], ZH, EN, font=None)
    assert "Very high" in drawn and "很高" not in drawn
    assert any(t.startswith("Not rated") and "R1" in t for t in drawn)
    drawn.clear()
    if find_cjk_font() is not None:
        heat_map_png(MATRIX, [], ZH, EN)
        assert "很高" in drawn
