"""The one-page management summary after the cover: scope in two lines, overall inherent and
residual risk, gap counts, the conclusion with its conditions, and the deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pia_app.report.context.base import Ctx, excerpt

SCOPE_LIMIT = 120
"""About two lines of the summary page."""
LIST_LIMIT = 6
"""Items of a list the summary shows before it refers to the part that has them all."""


def summary(
    c: Ctx,
    risk: Mapping[str, Any],
    counts: Mapping[str, int],
    concl: Mapping[str, Any],
    treat: Mapping[str, Any],
) -> dict[str, Any]:
    before = treat["before_start"]
    return {
        "scope": excerpt(c.ans(c.role("object")), c.lang, SCOPE_LIMIT, "report.see_scope"),
        "overall": risk["overall"],
        "overall_residual": risk["overall_residual"],
        "counts": dict(counts),
        "decision": concl["decision"],
        "conditions": concl["blockers"][:LIST_LIMIT],
        "more_conditions": max(0, len(concl["blockers"]) - LIST_LIMIT),
        "before_start": [
            {
                "ref": r["ref"],
                "measure": excerpt(r["measure"], c.lang, 100, "report.see_plan"),
                "deadline": r["deadline"],
            }
            for r in before[:LIST_LIMIT]
        ],
        "more_before_start": max(0, len(before) - LIST_LIMIT),
        "untreated": treat["untreated"],
        "start": treat["start"],
        "filing_due": concl["filing_due"],
        "next_review": concl["next_review"],
        "retain_until": concl["retain_until"],
    }
