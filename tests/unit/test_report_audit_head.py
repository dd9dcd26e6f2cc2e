"""The report ties itself to the store's tamper-evident audit trail: the approval page prints the
chain head at export with the command that checks it (`pia-app verify --head HASH`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pia_app.report.export import export_answers, export_revision
from pia_app.store.verify import anchor_position, verify
from tests.unit.test_report_basic import all_text


def test_a_stored_report_prints_the_chain_head_that_verify_finds(
    repo: Any, form: Any, office_example: Any, tmp_path: Path
) -> None:
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, office_example.answers)
    entries, head = repo.chain_head()
    en = all_text(export_revision(repo, form, aid, tmp_path / "r-en.docx", "en"))
    assert f"newest entry of the store's tamper-evident audit trail was entry {entries}," in en
    assert f"pia-app verify --head {head}" in en
    assert f"pia-app verify {aid} --hash " in en
    assert "from the store" not in en
    # The export's own entry is chained after the printed head, which stays in the trail.
    later_entries, later_head = repo.chain_head()
    assert later_entries == entries + 1 and later_head != head
    zh = all_text(export_revision(repo, form, aid, tmp_path / "r-zh.docx", "zh"))
    assert f"最新一条记录为第 {later_entries} 条" in zh and f"pia-app verify --head {later_head}" in zh
    assert anchor_position(repo.audit_rows(), head) == entries
    assert verify(repo, anchor=head).ok


def test_a_report_from_a_file_says_it_has_no_audit_trail(
    form: Any, office_example: Any, tmp_path: Path
) -> None:
    text = all_text(export_answers(form, office_example.answers, tmp_path / "f.docx", "en"))
    assert "not from the store" in text and "verify --head" not in text
    text = all_text(export_answers(form, office_example.answers, tmp_path / "f.docx", "zh"))
    assert "而非从存档库导出" in text and "verify --head" not in text
