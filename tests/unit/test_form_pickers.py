"""form.yaml roles.pickers: which table columns the editor offers a list for; forms check refuses
a column that does not exist or an unknown source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pia_app import cli
from pia_app.forms.loader import PICKER_SOURCES, default_form

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_pickers_name_real_columns_and_known_sources() -> None:
    form = default_form()
    pickers = form.roles["pickers"]
    assert pickers
    for key, source in pickers.items():
        qid, _, col = key.partition(".")
        assert any(c.id == col for c in form.question(qid).columns)
        assert source in PICKER_SOURCES


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("l_risks.act_ref: activities", "l_risks.nosuch: activities", "no table column 'l_risks.nosuch'"),
        ("l_risks.linked_gaps: gaps", "l_risks.linked_gaps: people", "source must be one of"),
    ],
)
def test_forms_check_refuses_a_bad_picker(tmp_path: Path, capsys, old: str, new: str, said: str) -> None:  # type: ignore[no-untyped-def]
    dst = tmp_path / "form"
    shutil.copytree(ROOT / "forms" / "face_voice", dst)
    manifest = dst / "form.yaml"
    text = manifest.read_text("utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new), "utf-8")
    assert cli.main(["--lang", "en", "forms", "check", str(dst)]) == 2
    assert said in capsys.readouterr().err
