"""Walk the whole questionnaire: sections in wizard order, both languages and help on every
question, citations where the reference cites, the reference's question ids, and no dead logic —
every show_if can become true, every rule can fire, and every option code a condition names can
actually be chosen where that condition holds (a small exhaustive search over the answers each
condition depends on, confirmed with the real engine). Then a few behavioural checks of the
section gating (face recognition, minors, cross-border, deep-synthesis roles, filing)."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from pia_app.engine.findings import evaluate_rules
from pia_app.forms.answers import missing_required, validate_answers, visible_question_ids
from pia_app.forms.conditions import COMPARE, evaluate, referenced_questions
from pia_app.forms.loader import load_form
from pia_app.forms.schema import Condition, Form, Question
from pia_app.resources import forms_dir

REFERENCE = Path("/work/shared/reference/questionnaire.md")
WIZARD_ORDER = "ABCDEFGHIJKLM"
MY_SECTIONS = "CEFGHIJK"
SEARCH_LIMIT = 400_000
"""Largest number of answer combinations one search may try (a guard against a slow test)."""

Answers = dict[str, Any]


# --- structure -------------------------------------------------------------------------------


def test_sections_follow_the_wizard_order(form: Form) -> None:
    ids = [s.id for s in form.sections]
    assert ids == sorted(ids, key=WIZARD_ORDER.index)
    for letter in "ABCDEFGHIJK":
        assert letter in ids, f"section {letter} is missing"


def test_every_question_has_labels_and_help_in_both_languages(form: Form) -> None:
    for q in form.questions.values():
        for text, what in ((q.label, "label"), (q.help, "help")):
            assert text.get("zh", "").strip(), f"{q.id}: no Chinese {what}"
            assert text.get("en", "").strip(), f"{q.id}: no English {what}"
        for o in q.options:
            assert o.label.get("zh") and o.label.get("en"), f"{q.id}.{o.code}: label"
        for c in q.columns:
            assert c.label.get("zh") and c.label.get("en"), f"{q.id}.{c.id}: label"
            for o in c.options:
                assert o.label.get("zh") and o.label.get("en"), f"{q.id}.{c.id}.{o.code}"


def test_every_rule_has_both_languages_and_a_citation(form: Form) -> None:
    for r in form.rules:
        for text in (r.message, r.measure):
            assert text.get("zh", "").strip() and text.get("en", "").strip(), r.id
        assert r.refs, f"{r.id}: no citation"


def reference_rows() -> dict[str, str]:
    """question id → its `ref` cell, from the reference's tables (rows `| x_... |`)."""
    if not REFERENCE.is_file():
        pytest.skip("the shared reference is not available")
    rows: dict[str, str] = {}
    for line in REFERENCE.read_text("utf-8").splitlines():
        m = re.match(r"^\|\s*([a-m]_[a-z0-9_]+)\s*\|", line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[m.group(1)] = cells[5] if len(cells) > 5 else ""
    return rows


def test_reference_question_ids_exist_and_cite_when_the_reference_does(form: Form) -> None:
    rows = reference_rows()
    present = {s.id for s in form.sections}
    checked = 0
    for qid, ref in rows.items():
        letter = qid[0].upper()
        if letter not in present or letter not in "ABCDEFGHIJK":
            continue
        q = form.question(qid)
        assert q is not None, f"reference question {qid} is not in the form"
        if ref.strip() not in ("", "–", "-"):
            assert q.refs, f"{qid}: the reference cites {ref!r} but the question has no refs"
        checked += 1
    mine = [qid for qid in rows if qid[0].upper() in MY_SECTIONS]
    assert len(mine) > 80 and checked >= len(mine)


def test_data_map_has_the_reference_columns(form: Form) -> None:
    if not REFERENCE.is_file():
        pytest.skip("the shared reference is not available")
    text = REFERENCE.read_text("utf-8")
    part = text[text.index("## C ") : text.index("## D ")]
    cols = re.findall(r"^\|\s*([a-z][a-z0-9_]*)\s*\|", part, flags=re.M)
    assert len(cols) >= 15
    table = form.question("c_activities")
    assert table is not None and table.type == "table"
    for col in cols:
        assert table.column(col) is not None, f"c_activities has no column {col}"


# --- no dead logic: a small exhaustive search --------------------------------------------------


def walk(
    cond: Condition, negated: bool = False, table: str | None = None, self_id: str | None = None
) -> Iterator[tuple[Condition, bool, str | None]]:
    """Every leaf with its polarity (True when under an odd number of `not`) and its table."""
    for key in ("all", "any"):
        if key in cond:
            for sub in cond[key]:
                yield from walk(sub, negated, table, self_id)
            return
    if "not" in cond:
        yield from walk(cond["not"], not negated, table, self_id)
        return
    yield cond, negated, table
    for key in ("any_row", "all_rows"):
        if key in cond:
            tid = cond.get("q") or self_id
            yield from walk(cond[key], negated, tid, self_id)


def all_conditions(form: Form) -> Iterator[tuple[Condition, str | None]]:
    for s in form.sections:
        if s.show_if is not None:
            yield s.show_if, None
        for q in s.questions:
            if q.show_if is not None:
                yield q.show_if, None
            for r in q.rules:
                yield r.when, q.id


class Space:
    """Candidate answers for each question, drawn from what the form's conditions test."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.codes: dict[tuple[str, str | None], set[str]] = {}
        self.numbers: dict[tuple[str, str | None], set[float]] = {}
        self.table_tests: dict[str, list[Condition]] = {}
        for cond, self_id in all_conditions(form):
            for leaf, _neg, table in walk(cond, self_id=self_id):
                owner = table if "col" in leaf else (leaf.get("q") or self_id)
                assert owner is not None
                key: tuple[str, str | None] = (str(owner), leaf.get("col"))
                for op in ("eq", "ne", "in", "not_in", "has", "has_any", "has_all", "lacks_any"):
                    if op in leaf:
                        vals = leaf[op] if isinstance(leaf[op], list) else [leaf[op]]
                        self.codes.setdefault(key, set()).update(v for v in vals if isinstance(v, str))
                for op in COMPARE:
                    if op in leaf and isinstance(leaf[op], (int, float)):
                        self.numbers.setdefault(key, set()).add(float(leaf[op]))
                for op in ("any_row", "all_rows"):
                    if op in leaf:
                        tid = leaf.get("q") or self_id
                        assert tid is not None
                        self.table_tests.setdefault(tid, []).append(leaf[op])
        self._cache: dict[str, list[Any]] = {}

    def values(self, kind: Any, key: tuple[str, str | None]) -> list[Any]:
        t = kind.type
        if t == "yesno":
            return [None, True, False]
        ref = sorted(self.codes.get(key, set()))
        codes = [o.code for o in kind.options]
        if t == "single":
            other = [c for c in codes if c not in ref][:1]
            return [None, *ref, *other]
        if t == "multi":
            out: list[Any] = [None, [], codes, *([c] for c in ref)]
            out += [[c for c in codes if c != x] for x in ref]
            return out
        if t == "number":
            nums = sorted({n + d for n in self.numbers.get(key, set()) for d in (-1, 0, 1)})
            return [None, *(nums or [1])]
        if t == "date":
            return [None, "2020-01-01", "2025-06-01", "2027-01-01", "2031-01-01"]
        return [None, "x"]

    def candidates(self, qid: str) -> list[Any]:
        if qid in self._cache:
            return self._cache[qid]
        q = self.form.questions[qid]
        if q.type != "table":
            out = self.values(q, (qid, None))
        else:
            out = [None, []] + [[row] for row in self.rows(q)]
        self._cache[qid] = out
        return out

    def rows(self, q: Question) -> list[dict[str, Any]]:
        """Representative rows: for every tested column value, a row where each table test
        holds and one where it fails (when such rows exist)."""
        found: dict[str, dict[str, Any]] = {}
        for test in self.table_tests.get(q.id, []):
            cols = sorted({leaf["col"] for leaf, _n, _t in walk(test) if "col" in leaf})
            cands = [self.values(q.column(c), (q.id, c)) for c in cols]
            for combo in itertools.product(*cands):
                row = {c: v for c, v in zip(cols, combo, strict=True) if v is not None}
                ok = evaluate(test, {}, None, row)
                for c, v in row.items():
                    found.setdefault(f"{ok}|{c}|{v!r}", row)
                found.setdefault(f"{ok}|", row)
        return list({repr(sorted(r.items())): r for r in found.values()}.values())


def closure(form: Form, qids: set[str]) -> list[str]:
    """`qids` plus every question their visibility depends on, in form order."""
    section_of = {q.id: s for s in form.sections for q in s.questions}
    todo, seen = list(qids), set(qids)
    while todo:
        q = form.questions[todo.pop()]
        for cond in (q.show_if, section_of[q.id].show_if):
            if cond is not None:
                for dep in referenced_questions(cond) - seen:
                    seen.add(dep)
                    todo.append(dep)
    return [qid for qid in form.questions if qid in seen]


def local_visible(form: Form, qids: list[str], answers: Mapping[str, Any]) -> set[str]:
    """The visibility fixed point of answers.visible_question_ids, on a closed set of questions."""
    section_of = {q.id: s for s in form.sections for q in s.questions}
    effective: Mapping[str, Any] = answers
    visible: set[str] = set()
    for _ in range(10):
        now = set()
        for qid in qids:
            q, s = form.questions[qid], section_of[qid]
            if s.show_if is not None and not evaluate(s.show_if, effective):
                continue
            if q.show_if is None or evaluate(q.show_if, effective):
                now.add(qid)
        if now == visible:
            break
        visible = now
        effective = {k: v for k, v in answers.items() if k in visible}
    return visible


Goal = Callable[[Mapping[str, Any], set[str]], bool]


def search(
    form: Form, space: Space, qids: list[str], goal: Goal, fixed: Mapping[str, list[Any]] | None = None
) -> Answers | None:
    """First answers over `qids` that reach `goal(effective answers, visible ids)`."""
    pools = [(fixed or {}).get(q) or space.candidates(q) for q in qids]
    size = 1
    for p in pools:
        size *= len(p)
    assert size <= SEARCH_LIMIT, f"search over {qids} too large ({size})"
    for combo in itertools.product(*pools):
        answers = {q: v for q, v in zip(qids, combo, strict=True) if v is not None}
        visible = local_visible(form, qids, answers)
        effective = {k: v for k, v in answers.items() if k in visible}
        if goal(effective, visible):
            return answers
    return None


def option_targets(cond: Condition, form: Form, self_id: str | None) -> Iterator[tuple[str, Condition]]:
    """(description, leaf that is true when a named option is chosen) for every option code a
    condition requires positively (eq/in/has… not negated, or ne/not_in/lacks_any negated)."""
    pos, neg = ("eq", "in", "has", "has_any", "has_all"), ("ne", "not_in", "lacks_any")
    for leaf, negated, table in walk(cond, self_id=self_id):
        for op in neg if negated else pos:
            if op not in leaf:
                continue
            vals = leaf[op] if isinstance(leaf[op], list) else [leaf[op]]
            for code in (v for v in vals if isinstance(v, str)):
                if "col" in leaf:
                    assert table is not None
                    col = form.questions[table].column(leaf["col"])
                    assert col is not None
                    test = {"col": leaf["col"], "has" if col.type == "multi" else "eq": code}
                    yield f"{table}.{leaf['col']}={code}", {"q": table, "any_row": test}
                else:
                    qid = leaf.get("q") or self_id
                    assert qid is not None
                    q = form.questions[qid]
                    yield f"{qid}={code}", {"q": qid, "has" if q.type == "multi" else "eq": code}


def reach_cases(form: Form) -> Iterator[tuple[str, set[str], Goal, Condition]]:
    """(name, questions involved, goal, condition) for every condition of the form."""
    for s in form.sections:
        if s.show_if is not None:
            cond = s.show_if
            deps = referenced_questions(cond)

            def sgoal(eff: Mapping[str, Any], vis: set[str], c: Condition = cond) -> bool:
                return evaluate(c, eff)

            yield f"section {s.id}", deps, sgoal, cond
        for q in s.questions:
            if q.show_if is not None:

                def qgoal(eff: Mapping[str, Any], vis: set[str], qid: str = q.id) -> bool:
                    return qid in vis

                yield f"show_if of {q.id}", {q.id}, qgoal, q.show_if
            for r in q.rules:

                def rgoal(
                    eff: Mapping[str, Any], vis: set[str], qid: str = q.id, when: Condition = r.when
                ) -> bool:
                    return qid in vis and evaluate(when, eff, self_id=qid)

                yield f"rule {r.id}", referenced_questions(r.when, q.id) | {q.id}, rgoal, r.when


def dead_logic(form: Form, prefix: str = "") -> list[str]:
    """Every question that can never be shown, condition that can never hold, rule that can
    never fire, and option code named by a condition that can never satisfy it (only for
    questions whose id starts with `prefix`, when given)."""
    space = Space(form)
    problems: list[str] = []
    for qid, q in form.questions.items():
        section = form.section(q.section_id)
        if q.show_if is None and (section is None or section.show_if is None):
            continue
        if not qid.startswith(prefix):
            continue

        def shown(eff: Mapping[str, Any], vis: set[str], target: str = qid) -> bool:
            return target in vis

        witness = search(form, space, closure(form, {qid}), shown)
        if witness is None:
            problems.append(f"{qid} can never be shown")
        else:
            assert qid in visible_question_ids(form, witness)
    for name, deps, goal, cond in reach_cases(form):
        if prefix and not name.split(" ")[-1].startswith(prefix):
            continue
        witness = search(form, space, closure(form, deps), goal)
        if witness is None:
            problems.append(f"{name} can never hold")
            continue
        self_id = None
        if name.startswith("rule "):
            rule_id = name.removeprefix("rule ")
            assert rule_id in {f.rule_id for f in evaluate_rules(form, witness)}, name
            self_id = rule_id.split(".")[0]
        for what, leaf in option_targets(cond, form, self_id):

            def both(eff: Mapping[str, Any], vis: set[str], g: Goal = goal, lf: Condition = leaf) -> bool:
                return g(eff, vis) and evaluate(lf, eff)

            qids = closure(form, deps | referenced_questions(leaf))
            if search(form, space, qids, both) is None:
                problems.append(f"{name}: option {what} can never satisfy it")
    return problems


def test_no_dead_questions_rules_or_options(form: Form) -> None:
    assert dead_logic(form) == []


def mutated_form(tmp_path: Path, file: str, old: str, new: str) -> Form:
    dst = tmp_path / "form"
    shutil.copytree(forms_dir() / "face_voice", dst)
    path = dst / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return load_form(dst)


def test_dead_rule_and_dead_option_are_detected(tmp_path: Path) -> None:
    # The guardian question is shown only when b_minors ≠ none; a rule that also needs
    # b_minors = none can never fire, and in [none, possible] can never hold with "none".
    old = "        when: {eq: false}\n        severity: S1\n        message:\n          zh: 处理不满十四周岁"
    dead = old.replace("{eq: false}", "{all: [{eq: false}, {q: b_minors, eq: none}]}")
    problems = dead_logic(mutated_form(tmp_path / "a", "f_notice_consent.yaml", old, dead), "f_")
    assert problems == ["rule f_guardian_consent.no can never hold"]
    half = old.replace("{eq: false}", "{all: [{eq: false}, {q: b_minors, in: [none, possible]}]}")
    problems = dead_logic(mutated_form(tmp_path / "b", "f_notice_consent.yaml", old, half), "f_")
    assert problems == ["rule f_guardian_consent.no: option b_minors=none can never satisfy it"]


def test_question_that_can_never_be_shown_is_detected(tmp_path: Path) -> None:
    old = "    show_if: {q: b_minors, ne: none}\n    label: {zh: 是否制定专门的"
    new = old.replace("{q: b_minors, ne: none}", "{all: [{q: b_minors, ne: none}, {q: b_minors, eq: none}]}")
    problems = dead_logic(mutated_form(tmp_path, "f_notice_consent.yaml", old, new), "f_")
    assert problems == [
        "f_minor_rules can never be shown",
        "show_if of f_minor_rules can never hold",
        "rule f_minor_rules.no can never hold",
    ]


# --- behaviour of the gating ------------------------------------------------------------------


def face_basics(**extra: Any) -> Answers:
    base: Answers = {
        "b_data_types": ["face_image", "face_template"],
        "b_uses_face_recognition": True,
        "b_rd_training_only": False,
        "b_deep_synthesis_role": ["none"],
        "b_biometric_edit_feature": False,
        "b_public_place": False,
        "b_minors": "none",
        "b_cross_border": False,
        "b_face_stored_count": 500,
    }
    base.update(extra)
    return base


def section_questions(form: Form, sid: str) -> set[str]:
    sec = form.section(sid)
    assert sec is not None
    return {q.id for q in sec.questions}


def rule_ids(form: Form, answers: Answers) -> set[str]:
    return {f.rule_id for f in evaluate_rules(form, answers)}


H_BREACHES: Answers = {
    "h_private_space": True,
    "h_coercion": True,
    "h_sole_method": True,
    "h_security_controls": [],
    "h_mlps": "not_fulfilled",
}


def test_face_recognition_section_only_with_face_recognition(form: Form) -> None:
    h = section_questions(form, "H")
    on = face_basics(**H_BREACHES)
    assert {"h_private_space", "h_security_controls"} <= visible_question_ids(form, on)
    assert {"h_private_space.yes", "h_coercion.yes", "h_mlps.not_fulfilled"} <= rule_ids(form, on)
    for off in (
        face_basics(b_uses_face_recognition=False, **H_BREACHES),
        face_basics(b_rd_training_only=True, **H_BREACHES),
    ):
        assert not h & visible_question_ids(form, off)
        assert not {r for r in rule_ids(form, off) if r.startswith("h_")}
        assert not h & set(missing_required(form, off))
    assert validate_answers(form, on) == []


def test_minors_block_hidden_when_no_minors(form: Form) -> None:
    minors = {"f_minor_age_check", "f_guardian_consent", "f_minor_rules"}
    answers = face_basics(f_guardian_consent=False, f_minor_rules=False)
    assert not minors & visible_question_ids(form, answers)
    assert not minors & set(missing_required(form, answers))
    assert "f_guardian_consent.no" not in rule_ids(form, answers)
    answers["b_minors"] = "possible"
    assert minors <= visible_question_ids(form, answers)
    found = {f.rule_id: f for f in evaluate_rules(form, answers)}
    assert found["f_guardian_consent.no"].severity == "S1"
    assert found["f_minor_rules.no"].severity == "S2"
    assert found["f_minor_age_check.missing"].severity == "S2"


def test_cross_border_without_mechanism_is_s1(form: Form) -> None:
    cb = {"g_cb_mechanism": "none", "g_cb_separate_consent": False, "g_cb_sensitive_count": 50}
    off = face_basics(**cb)
    assert not {q for q in visible_question_ids(form, off) if q.startswith("g_cb_")}
    assert not {r for r in rule_ids(form, off) if r.startswith("g_cb_")}
    on = face_basics(b_cross_border=True, **cb)
    assert {
        "g_cb_recipients",
        "g_cb_mechanism",
        "g_cb_sensitive_count",
        "g_cb_separate_consent",
        "g_cb_notice",
        "g_cb_recipient_protection",
    } <= visible_question_ids(form, on)
    assert "g_cb_exemption_basis" not in visible_question_ids(form, on)
    found = {f.rule_id: f for f in evaluate_rules(form, on)}
    assert found["g_cb_mechanism.none"].severity == "S1"
    assert found["g_cb_separate_consent.no"].severity == "S1"
    assert "g_cb_sensitive_count.needs_assessment" not in found
    exempt = {**on, "g_cb_mechanism": "exempt", "g_cb_sensitive_count": 20000}
    fired = rule_ids(form, exempt)
    assert "g_cb_exemption_basis" in visible_question_ids(form, exempt)
    assert "g_cb_exemption_basis.missing" in fired
    assert not {"g_cb_mechanism.none", "g_cb_sensitive_count.needs_assessment"} & fired
    assert "g_cb_separate_consent.no" in fired  # an exemption does not lift PIPL 39


def test_ten_thousand_sensitive_exports_need_the_security_assessment(form: Form) -> None:
    base = face_basics(b_cross_border=True, g_cb_mechanism="standard_contract")
    assert "g_cb_sensitive_count.needs_assessment" not in rule_ids(
        form, {**base, "g_cb_sensitive_count": 9999}
    )
    assert "g_cb_sensitive_count.needs_assessment" in rule_ids(form, {**base, "g_cb_sensitive_count": 10000})
    assert "g_cb_sensitive_count.needs_assessment" not in rule_ids(
        form, {**base, "g_cb_sensitive_count": 10000, "g_cb_mechanism": "security_assessment"}
    )


def test_public_place_questions_follow_face_recognition(form: Form) -> None:
    with_fr = face_basics(b_public_place=True)
    vis = visible_question_ids(form, with_fr)
    assert {"h_public_necessity", "h_signage", "h_public_purpose_limit"} <= vis
    assert "g_public_place_no_fr" not in vis
    no_fr = face_basics(
        b_public_place=True, b_uses_face_recognition=False, g_public_place_no_fr=["public_security_need"]
    )
    vis = visible_question_ids(form, no_fr)
    assert "g_public_place_no_fr" in vis and "h_public_necessity" not in vis
    assert {"g_public_place_no_fr.no_signage", "g_public_place_no_fr.purpose_not_limited"} <= rule_ids(
        form, no_fr
    )
    assert "g_public_place_no_fr.not_necessary" not in rule_ids(form, no_fr)


def test_filing_block_from_one_hundred_thousand_faces(form: Form) -> None:
    block = {"h_filing_reached_date", "h_filing_authority", "h_filing_materials", "h_filing_change"}
    small = face_basics(h_filing_status="below_threshold")
    assert not block & visible_question_ids(form, small)
    assert not {r for r in rule_ids(form, small) if r.startswith("h_filing")}
    big = face_basics(
        b_face_stored_count=150000,
        h_filing_status="below_threshold",
        h_filing_materials=["basic_info", "pia_report"],
    )
    assert block <= visible_question_ids(form, big)
    fired = rule_ids(form, big)
    assert "h_filing_status.count_mismatch" in fired
    assert "h_filing_materials.stored_count" in fired
    assert "h_filing_materials.pia_report" not in fired


def test_deep_synthesis_questions_follow_the_role(form: Form) -> None:
    i = section_questions(form, "I")
    assert not i & visible_question_ids(form, face_basics())
    user = visible_question_ids(form, face_basics(b_deep_synthesis_role=["user"])) & i
    assert user == {"i_user_subject_consent", "i_user_declare"}
    provider = face_basics(
        b_deep_synthesis_role=["provider"],
        i_explicit_required=True,
        i_output_modalities=["video", "audio"],
        i_explicit_label=["video"],
    )
    vis = visible_question_ids(form, provider)
    assert {"i_implicit_label", "i_real_name", "i_explicit_label", "i_logs"} <= vis
    assert "i_edit_prompt" not in vis  # only with a face/voice editing feature
    fired = rule_ids(form, provider)
    assert "i_explicit_label.audio" in fired and "i_explicit_label.video" not in fired
    supporter = visible_question_ids(form, face_basics(b_deep_synthesis_role=["tech_supporter"]))
    assert "i_algo_filing" in supporter and "i_real_name" not in supporter
    editor = visible_question_ids(form, face_basics(b_biometric_edit_feature=True))
    assert {"i_edit_prompt", "i_security_assessment"} <= editor


def test_data_map_legal_basis_rules(form: Form) -> None:
    row = {"act_id": "P1", "act_name": "门禁", "data_items": ["face_template"]}
    assert "c_activities.no_legal_basis" in rule_ids(form, {"c_activities": [row]})
    contract = {**row, "legal_basis": "contract_hr"}
    fired = rule_ids(form, {"c_activities": [contract]})
    assert "c_activities.non_consent_unexplained" in fired
    assert "c_activities.no_legal_basis" not in fired
    explained = {**contract, "basis_explanation": "劳动合同第5条"}
    assert "c_activities.non_consent_unexplained" not in rule_ids(form, {"c_activities": [explained]})
    consent = {**row, "legal_basis": "consent"}
    assert not {r for r in rule_ids(form, {"c_activities": [consent]}) if r.startswith("c_")}


def test_deletion_at_processors_only_matters_with_entrustment(form: Form) -> None:
    answers = face_basics(e_deletion_scope=["primary_db", "backups"], g_entrusts=False)
    assert "e_deletion_scope.no_processors" not in rule_ids(form, answers)
    answers["g_entrusts"] = True
    assert "e_deletion_scope.no_processors" in rule_ids(form, answers)
    assert "g_entrusted" in missing_required(form, answers)


def test_each_missing_notice_item_is_named(form: Form) -> None:
    fired = rule_ids(
        form,
        face_basics(f_notice_items=["controller_identity", "purpose", "method", "data_types", "retention"]),
    )
    assert {
        "f_notice_items.rights_procedure",
        "f_notice_items.sensitive_necessity",
        "f_notice_items.rights_impact",
    } <= fired
    assert "f_notice_items.purpose" not in fired


def test_sole_method_gap_is_raised_once(form: Form) -> None:
    sole = {"h_sole_method.sole", "h_sole_method.premises", "d_alternative.not_offered_face"}
    # section H says face recognition is the only method: raised there, once (FR Measures 10)
    not_offered = face_basics(d_alternative="exists_not_offered", h_sole_method=True, h_premises_entry=False)
    assert rule_ids(form, not_offered) & sole == {"h_sole_method.sole"}
    # section H not answered yet: section D raises it
    assert rule_ids(form, face_basics(d_alternative="exists_not_offered")) & sole == {
        "d_alternative.not_offered_face"
    }
    on_paper = face_basics(d_alternative="offered", h_sole_method=True, h_premises_entry=False)
    assert rule_ids(form, on_paper) & sole == {"h_sole_method.sole"}
    none_exists = face_basics(d_alternative="none_exists", h_sole_method=True, h_premises_entry=False)
    assert not sole & rule_ids(form, none_exists)
    # entry to premises: a gap even when "no alternative exists" (SPC Interpretation 10)
    premises = face_basics(d_alternative="none_exists", h_sole_method=True, h_premises_entry=True)
    found = {f.rule_id: f for f in evaluate_rules(form, premises)}
    assert set(found) & sole == {"h_sole_method.premises"}
    assert found["h_sole_method.premises"].refs[0] == "spc 10"
    state = face_basics(d_alternative="state_rule", h_sole_method=True, h_premises_entry=True)
    assert not sole & rule_ids(form, state)


# --- citation walk: a rule cites only laws that apply to the facts that make it fire ----------

CITATION_SCENARIOS: dict[str, Answers] = {
    "face recognition": {
        "b_data_types": ["face_image", "face_template", "liveness"],
        "b_purposes": ["verify_1to1"],
        "b_uses_face_recognition": True,
        "b_rd_training_only": False,
        "b_deep_synthesis_role": ["none"],
        "b_biometric_edit_feature": False,
    },
    # a face-swap effect edits faces without recognising anyone: Deep Synthesis Provisions,
    # not the Face Recognition Measures
    "face editing only": {
        "b_data_types": ["face_image", "synthetic_face"],
        "b_purposes": ["face_edit"],
        "b_uses_face_recognition": False,
        "b_deep_synthesis_role": ["provider"],
        "b_biometric_edit_feature": True,
    },
    "voice only": {
        "b_data_types": ["voice_recording", "voiceprint"],
        "b_purposes": ["verify_1to1"],
        "b_uses_face_recognition": False,
        "b_deep_synthesis_role": ["none"],
        "b_biometric_edit_feature": False,
    },
    "deep synthesis only": {
        "b_data_types": ["synthetic_face", "synthetic_voice"],
        "b_purposes": ["digital_human"],
        "b_uses_face_recognition": False,
        "b_deep_synthesis_role": ["provider"],
        "b_biometric_edit_feature": False,
    },
}


def citation_violations(form: Form) -> tuple[list[str], int]:
    """(every rule that, fired under a scenario, cites a source that does not apply; how many
    rule × scenario pairs could fire and were checked)."""
    from pia_app.forms.citations import applicable_sources

    space = Space(form)
    problems: list[str] = []
    checked = 0
    for name, facts in CITATION_SCENARIOS.items():
        fixed = {q: [v] for q, v in facts.items()}
        for rule in form.rules:
            deps = referenced_questions(rule.when, rule.question_id) | {rule.question_id}
            qids = closure(form, deps | set(facts))

            def fires(eff: Mapping[str, Any], vis: set[str], r: Any = rule) -> bool:
                return r.question_id in vis and evaluate(r.when, eff, self_id=r.question_id)

            witness = search(form, space, qids, fires, fixed=fixed)
            if witness is None:
                continue  # the rule cannot fire on these facts
            answers = {**witness, **facts}
            assert rule.id in {f.rule_id for f in evaluate_rules(form, answers)}, (name, rule.id)
            checked += 1
            applies = applicable_sources(form, answers)
            (finding,) = [f for f in evaluate_rules(form, answers) if f.rule_id == rule.id]
            cited = {ref.split(" ", 1)[0] for ref in finding.refs}
            wrong = sorted(cited - applies)
            if wrong:
                problems.append(f"{name}: {rule.id} cites {', '.join(wrong)}")
            if not cited - {"pia"} and rule.severity != "S4":  # S4: best practice, may be a note only
                problems.append(f"{name}: {rule.id} is left without a legal basis")
            for code in sorted(set(form.sources) - applies):
                short = form.sources[code].short
                for lang in ("zh", "en"):
                    for text in (finding.message, finding.measure):
                        if short[lang] in text[lang]:
                            problems.append(f"{name}: {rule.id} names {short[lang]} in its text")
    return problems, checked


def test_every_rule_cites_only_laws_that_apply() -> None:
    from pia_app.forms.loader import default_form

    problems, checked = citation_violations(default_form())
    assert problems == []
    assert checked > 150  # the walk reaches most rules in several scenarios


def test_the_citation_walk_catches_a_rule_without_an_applicable_basis(tmp_path: Path) -> None:
    # the voice-only alternative rule made to cite only the Face Recognition Measures
    form = mutated_form(
        tmp_path, "d_minimum_collection.yaml", 'refs: ["gbt35273 5.3", "gbt41807"]', 'refs: ["fr 10"]'
    )
    problems, _ = citation_violations(form)
    assert "voice only: d_alternative.not_offered_voice is left without a legal basis" in problems


def test_a_finding_cites_only_the_sources_that_apply(form: Form) -> None:
    voice = {**CITATION_SCENARIOS["voice only"], "e_retention_period": ""}
    (finding,) = [f for f in evaluate_rules(form, voice) if f.rule_id == "e_retention_period.missing"]
    face = {**CITATION_SCENARIOS["face recognition"], "e_retention_period": ""}
    (face_finding,) = [f for f in evaluate_rules(form, face) if f.rule_id == "e_retention_period.missing"]
    assert not any(r.startswith("fr ") for r in finding.refs)
    assert any(r.startswith("fr ") for r in face_finding.refs)
    assert set(finding.refs) < set(face_finding.refs)
