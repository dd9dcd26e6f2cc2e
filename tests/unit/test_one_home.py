"""Each piece of knowledge has one home (GUIDE.md): which question the engine, the report, the
store or the UI reads is named in the form's `roles:` block (forms/*/form.yaml), never as a
question id written in code, so a second questionnaire is a new folder under forms/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pia_app
from pia_app.forms.loader import default_form

PACKAGE = Path(pia_app.__file__).parent
ID_LITERAL = re.compile(r"""["']([a-m]_[a-z0-9_]+)["']""")


def question_id_literals(root: Path, ids: set[str]) -> dict[str, list[str]]:
    """Source file (relative to `root`) → the question ids written in it as string literals."""
    out: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        found = sorted(
            {m.group(1) for m in ID_LITERAL.finditer(path.read_text("utf-8")) if m.group(1) in ids}
        )
        if found:
            out[str(path.relative_to(root))] = found
    return out


def test_no_question_id_is_written_in_code() -> None:
    ids = set(default_form().questions)
    found = question_id_literals(PACKAGE, ids)
    assert found == {}, "question ids in code; name them in form.yaml `roles:` and use Form.role: " + repr(
        found
    )


def test_the_scan_finds_a_question_id_literal(tmp_path: Path) -> None:
    """The scan itself works: a literal id in either quote style is found, a rule id, an
    option code or a mere mention in a comment without quotes is not."""
    (tmp_path / "mod.py").write_text(
        'A = \'a_project_name\'\nB = "m_report_date"\nC = "m_conclusion.blocked"\n'
        "D = 'may_proceed'\n# a_scope in a comment\n",
        "utf-8",
    )
    found = question_id_literals(tmp_path, set(default_form().questions))
    assert found == {"mod.py": ["a_project_name", "m_report_date"]}


@pytest.mark.parametrize("group", ["triggers", "conclusion", "tables", "dates", "facts", "record", "report"])
def test_the_bundled_form_names_each_role_group(group: str) -> None:
    assert default_form().roles.get(group), f"form.yaml roles.{group} is missing"


def test_the_store_reads_the_title_from_the_question_the_form_names(repo) -> None:  # type: ignore[no-untyped-def]
    """A second form naming another title question: the store follows its roles."""
    from pia_app.store.record_roles import RecordRoles

    form = default_form()
    bundled = RecordRoles.of(form)
    assert bundled == repo.record_roles and bundled.title in form.questions
    aid = repo.create(form.id, form.version, "first")
    repo.save_answers(aid, {bundled.title: "bundled title"})
    assert repo.get(aid).title == "bundled title"
    repo.record_roles = RecordRoles(title="x_name")
    repo.save_answers(aid, {bundled.title: "ignored", "x_name": "voice form title"})
    assert repo.get(aid).title == "voice form title"
