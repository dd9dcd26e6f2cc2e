"""`pia-app demo`: the main job on a machine with no screen.

Creates the sample face-recognition assessment (office access control) in a fresh temporary data
folder, exactly as the wizard would store it, and writes its Word report.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pia_app.errors import UserError
from pia_app.forms.loader import default_form
from pia_app.interchange import load_assessment_file
from pia_app.paths import DB_NAME
from pia_app.report.export import export_revision
from pia_app.resources import forms_dir
from pia_app.store.repository import Repository

DEMO_EXAMPLE = "office_access_face.json"


def run_demo(out_dir: Path, lang: str) -> Path:
    form = default_form()
    doc = load_assessment_file(forms_dir() / "face_voice" / "examples" / DEMO_EXAMPLE, form)
    out_dir = out_dir.expanduser()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError("error.export_folder", path=str(out_dir), reason=exc.strerror or str(exc)) from exc
    with (
        tempfile.TemporaryDirectory(prefix="pia-demo-") as tmp,
        Repository(Path(tmp) / DB_NAME, actor="demo") as repo,
    ):
        aid = repo.create(form.id, form.version, str(doc.metadata.get("title", "")))
        repo.save_answers(aid, doc.answers)
        name = f"demo-report-{lang}.docx"
        return export_revision(repo, form, aid, out_dir / name, lang).resolve()
