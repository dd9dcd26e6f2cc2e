"""The data-flow diagram follows the data map: one lane per activity, a box per stage the
activity goes through, none for a stage it does not."""

from __future__ import annotations

import io
from itertools import pairwise
from typing import Any

from PIL import Image

from pia_app.report.context.base import Ctx
from pia_app.report.context.scope import dataflow_lanes
from pia_app.report.dataflow import GEOMETRY, STAGES, Lane, arrow_routes, dataflow_png


def test_lanes_follow_the_data_map(form: Any, office_example: Any) -> None:
    answers = office_example.answers
    lanes = dataflow_lanes(Ctx(form, answers, "zh"))
    activities = answers["c_activities"]
    assert [name.split(" ")[0] for name, _ in lanes] == [a["act_id"] for a in activities]
    for (_, cells), act in zip(lanes, activities, strict=True):
        assert len(cells) == len(STAGES)
        collect, _store, _use, share, cross, delete = cells
        assert collect == act["source_method"]
        assert bool(share) == act["third_party"] and bool(cross) == act["cross_border"]
        assert delete == act["deletion_method"]
    # An activity transferred abroad gets its cross-border box, with the overseas recipients.
    abroad = dict(activities[0], cross_border=True)
    recipients = [{"name": "Example GmbH"}]
    moved = {**answers, "b_cross_border": True, "c_activities": [abroad], "g_cb_recipients": recipients}
    lanes = dataflow_lanes(Ctx(form, moved, "en"))
    assert lanes[0][1][4] == "Example GmbH"


def test_the_picture_has_one_lane_per_activity_up_to_the_limit() -> None:
    def height(n: int) -> int:
        lanes = [Lane(f"P{i} 活动", ("收集", "", "使用", "", "", "删除")) for i in range(n)]
        png = dataflow_png(lanes, ["收集", "存储", "使用/加工", "提供/委托", "出境", "删除"])
        return Image.open(io.BytesIO(png)).size[1]

    assert height(1) < height(2) < height(8) == height(20)


def _crosses(segment: tuple[tuple[int, int], tuple[int, int]], box: tuple[int, int, int, int]) -> bool:
    """Whether an axis-parallel segment passes through the inside of `box`."""
    (xa, ya), (xb, yb) = segment
    x0, y0, x1, y1 = box
    lo_x, hi_x, lo_y, hi_y = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
    return lo_x < x1 and hi_x > x0 and lo_y < y1 and hi_y > y0


def test_arrows_never_cross_a_box_and_skip_stages_below_them() -> None:
    g = GEOMETRY
    cells = ("收集", "", "", "使用", "", "删除")  # skips storage, use, cross-border
    routes = arrow_routes(cells, r=1)
    present = [i for i, text in enumerate(cells) if text]
    assert len(routes) == len(present) - 1
    for route, (a, b) in zip(routes, pairwise(present), strict=True):
        # From the right edge of one box the activity goes through into the left edge of the next.
        assert route[0] == (g.box(1, a)[2], g.box(1, a)[1] + g.lane_h // 2)
        assert route[-1] == (g.box(1, b)[0], g.box(1, b)[1] + g.lane_h // 2)
        segments = list(pairwise(route))
        for r in (0, 1, 2):  # nor a box of the lanes above and below
            for i in range(len(STAGES)):
                assert not any(_crosses(seg, g.box(r, i)) for seg in segments), (route, r, i)
        if b > a + 1:
            assert max(y for _, y in route) > g.box(1, a)[3]  # runs below the skipped boxes
        else:
            assert len(route) == 2  # next-door boxes: straight across


def test_a_long_stage_name_is_wrapped_not_cut() -> None:
    lanes = [Lane("P1 x", ("a", "b", "c", "d", "", "f"))]
    long = [
        "Collection",
        "Storage",
        "Use",
        "Provision / entrustment with a long name",
        "Cross-border",
        "Deletion",
    ]
    png = dataflow_png(lanes, long)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    # The fourth header box keeps a margin of header colour at its left and right edges: the
    # white text does not run into (or past) them.
    x0 = GEOMETRY.x_of(3)
    for y in range(GEOMETRY.pad, GEOMETRY.pad + GEOMETRY.head_h - 6 * 2):
        assert img.getpixel((x0 + 1, y)) == (0x3C, 0x5A, 0x78)
        assert img.getpixel((x0 + GEOMETRY.cell_w - 1, y)) == (0x3C, 0x5A, 0x78)


def test_a_figure_of_many_activities_fits_its_page(form: Any, office_example: Any, tmp_path: Any) -> None:
    import copy

    from docx import Document
    from docx.oxml.ns import qn

    from pia_app.report.export import (
        DATAFLOW_MAX_HEIGHT_CM,
        DATAFLOW_WIDTH_CM,
        export_answers,
        fitted_width_cm,
    )

    acts = office_example.answers["c_activities"]
    many = [dict(copy.deepcopy(acts[i % len(acts)]), act_id=f"P{i + 1}") for i in range(8)]
    out = export_answers(form, dict(office_example.answers, c_activities=many), tmp_path / "r.docx", "en")
    extents = [e for e in Document(str(out)).element.body.iter(qn("wp:extent"))]
    heights_cm = [int(e.get("cy")) / 360000 for e in extents]
    assert heights_cm and max(heights_cm) <= DATAFLOW_MAX_HEIGHT_CM + 0.01
    # Two lanes keep the full width.
    two = dataflow_png([Lane("P1 a", ("a", "b", "c", "", "", "f"))] * 2, ["1", "2", "3", "4", "5", "6"])
    assert fitted_width_cm(two, DATAFLOW_WIDTH_CM, DATAFLOW_MAX_HEIGHT_CM) == DATAFLOW_WIDTH_CM
