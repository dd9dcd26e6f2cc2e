"""Report rendering against the number of risk items (issue 9: 1,000 risk items must render in
seconds, and time must grow linearly). Kept apart from run.py (the start-up benchmarks).

Run: `PIA_APP_PAGINATE=0 .venv/bin/python benchmarks/report_rows.py [ROWS...]` (without the
LibreOffice layout pass; leave PIA_APP_PAGINATE unset to include it).

Figures on the development machine (2 shared cores), 2026-11-30, branch issue9 after merging main,
without the layout pass: 10 items 1.2 s, 250 items 3.2 s, 1,000 items 9.5 s, 2,000 items 18.5 s
(linear, about 9 ms per item); process peak memory 290 MB at 250, 880 MB at 1,000 and 1.7 GB at
2,000 items (about 0.8 MB per item, in docxtpl's processing of the document XML: the report
room's to reduce)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pia_app.forms.loader import default_form
from pia_app.interchange import load_assessment_file
from pia_app.report.export import export_answers

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "forms" / "face_voice" / "examples" / "office_access_face.json"
)


def render_seconds(rows: int) -> float:
    """Seconds to render the office example with `rows` risk items."""
    form = default_form()
    doc = load_assessment_file(EXAMPLE, form)
    base = doc.answers["l_risks"]
    answers = dict(doc.answers)
    answers["l_risks"] = [dict(base[i % len(base)], risk_id=f"R{i + 1}") for i in range(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        export_answers(form, answers, Path(tmp) / "r.docx", "zh")
        return time.perf_counter() - start


def main() -> None:
    import resource

    for rows in [int(a) for a in sys.argv[1:]] or [10, 250, 1000]:
        seconds = render_seconds(rows)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{rows} risk items: {seconds:.1f} s (process peak so far {peak:.0f} MB)", flush=True)


if __name__ == "__main__":
    main()
