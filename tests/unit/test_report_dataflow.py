"""The data-flow diagram follows the data map: one lane per activity, a box per stage the
activity goes through, none for a stage it does not."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from pia_app.report.context.base import Ctx
from pia_app.report.context.scope import dataflow_lanes
from pia_app.report.dataflow import STAGES, Lane, dataflow_png


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
