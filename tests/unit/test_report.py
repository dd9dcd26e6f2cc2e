"""The Word report: its context (what it says) and its form (fonts, tables, fields, footer)."""

from __future__ import annotations

import copy
import dataclasses
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from pia_app.cli import main
from pia_app.display import form_text, label
from pia_app.engine.grade import grade_assessment
from pia_app.forms.answers import visible_question_ids
from pia_app.i18n import t
from pia_app.report import export as export_mod
from pia_app.report.charts import LEVEL_HEX
from pia_app.report.context import THEME_ORDER, build_context
from pia_app.report.export import change_rows, export_answers, export_revision

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def walk(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)
    else:
        yield value


def risk_row(rid: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "risk_id": rid,
        "act_ref": "P1",
        "risk_source": "门禁服务器",
        "threat_event": "人脸模板泄露",
        "affected_subjects": "员工",
        "impact_d1": "not_applicable",
        "impact_d2": "low",
        "impact_d2_reason": "可能被区别对待",
        "impact_d3": "medium",
        "impact_d3_reason": "精神压力",
        "impact_d4": "high",
        "impact_d4_reason": "冒用身份进入",
        "lik_f1": "medium",
        "lik_f1_reason": "内网部署",
        "lik_f2": "low",
        "lik_f2_reason": "流程规范",
        "lik_f3": "high",
        "lik_f3_reason": "供应商远程运维",
        "lik_f4": "low",
        "lik_f4_reason": "未发生事件",
    }
    row.update(extra)
    return row


@pytest.fixture
def full(office_example: Any) -> dict[str, Any]:
    """The office example plus risk items, treatment, conclusion and approval."""
    a = copy.deepcopy(office_example.answers)
    a["l_risks"] = [risk_row("R1"), risk_row("R2", lik_f3="low", lik_f3_reason="已约束")]
    a["l_acceptance_criteria"] = "高及以上不可接受"
    a["m_treatments"] = [
        {
            "ref_id": "R1",
            "measure": "关闭供应商远程运维",
            "approach": "deadline",
            "owner": "赵强",
            "deadline": "2026-12-31",
            "status": "planned",
            "residual_level": "medium",
        }
    ]
    a["m_conclusion"] = "proceed_after_fix"
    a["m_report_date"] = "2026-11-10"
    a["m_approval"] = [{"name": "李明", "role": "个人信息保护负责人", "date": "2026-11-12"}]
    a["a_references_other"] = "公司《生物识别信息管理办法》\n\n  行业自律公约  "
    return a


def test_context_has_no_none_and_says_not_answered(form: Any, office_example: Any) -> None:
    answers = {k: v for k, v in office_example.answers.items() if k != "m_conclusion"}
    for lang, na in (("zh", "未填写"), ("en", "Not answered")):
        ctx = build_context(form, answers, lang, {"revision": 2})
        values = list(walk(ctx))
        assert None not in values
        if lang == "zh":  # in English "None" is also an honest option label (b_vulnerable)
            assert not any(isinstance(v, str) and "None" in v for v in values)
        assert ctx["concl"]["decision"] == na
        assert ctx["revision"] == "2"


def test_findings_and_themes_follow_the_engine(form: Any, office_example: Any) -> None:
    answers = office_example.answers
    grading = grade_assessment(form, answers)
    ctx = build_context(form, answers, "zh", {}, grading)
    assert [f["message"] for f in ctx["findings"]] == [form_text(f.message, "zh") for f in grading.findings]
    assert ctx["counts"]["total"] == len(grading.findings)
    assert set(ctx["themes"]) == set(THEME_ORDER)
    # Every finding is shown once in a theme: in the row of its question or in the extra list.
    shown = [r for th in ctx["themes"].values() for r in th["rows"] if r["measure"] != "—"]
    extra = [f for th in ctx["themes"].values() for f in th["extra"]]
    assert len(shown) + len(extra) <= len(grading.findings)
    s1 = next(f for f in grading.findings if f.severity == "S1")
    row = next(
        r
        for r in ctx["themes"][s1.theme]["rows"]
        if r["requirement"] == form.questions[s1.question_ids[0]].label["zh"]
    )
    assert row["finding"].startswith(f"差距{ctx['findings'][0]['no']}（S1）")
    assert row["color"] == LEVEL_HEX[3]
    # The office example's "face recognition is the only method" row concerns the same fact as
    # the S1 gap on the missing alternative: it refers to that gap instead of saying "no gap".
    sole = next(
        r
        for r in ctx["themes"]["face_recognition"]["rows"]
        if r["requirement"] == form.questions["h_sole_method"].label["zh"]
    )
    assert sole["finding"].startswith("差距") and sole["color"] == LEVEL_HEX[3]
    # And a row whose own rules look at a question with an open gap says so: with the gap
    # raised on the alternative method (d_alternative) instead, the sole-method row refers to it.
    moved = [
        dataclasses.replace(f, question_ids=("d_alternative",)) if f.question_ids[0] == "h_sole_method" else f
        for f in grading.findings
    ]
    related = build_context(form, answers, "zh", {}, dataclasses.replace(grading, findings=moved))
    sole = next(
        r
        for r in related["themes"]["face_recognition"]["rows"]
        if r["requirement"] == form.questions["h_sole_method"].label["zh"]
    )
    assert "同一事实" in sole["finding"] and sole["color"] == LEVEL_HEX[3]


def test_face_recognition_theme_not_applicable_without_fr(form: Any, office_example: Any) -> None:
    answers = dict(office_example.answers, b_uses_face_recognition=False)
    ctx = build_context(form, answers, "en", {})
    assert ctx["concl"]["fr_applicable"] is False
    assert "not applied" in ctx["concl"]["fr_note"]
    on = build_context(form, office_example.answers, "en", {})
    assert on["concl"]["fr_applicable"] is True


def test_references_approvers_and_cover(form: Any, full: dict[str, Any]) -> None:
    ctx = build_context(form, full, "zh", {})
    assert ctx["references"][0] == "《中华人民共和国个人信息保护法》"
    assert ctx["references"][-2:] == ["公司《生物识别信息管理办法》", "行业自律公约"]
    # A draft lists the planned approvers without dates: planned dates are not approvals.
    assert ctx["approval"]["rows"] == [
        {"name": "李明", "role": "个人信息保护负责人", "date": "", "opinion": ""}
    ]
    assert ctx["mark"] == "草稿（未经批准）"
    assert ctx["cover"]["report_date"] == "2026年11月10日"
    assert ctx["cover"]["assessors"] == "李明、王芳、赵强"
    nobody = build_context(form, {**full, "m_approval": []}, "zh", {})
    assert len(nobody["approval"]["rows"]) == 2 and all(v == "" for v in walk(nobody["approval"]["rows"]))
    # An approved revision shows the stored approval, and no draft marking.
    meta = {
        "status": "approved",
        "approved_by": "王芳",
        "approved_role": "总经理",
        "approved_at": "2026-11-20T08:00:00+00:00",
    }
    approved = build_context(form, full, "zh", meta)
    assert approved["approval"]["rows"] == [
        {"name": "王芳", "role": "总经理", "date": "2026年11月20日", "opinion": "—"}
    ]
    assert approved["mark"] == "" and "存档记录" in approved["approval"]["note"]
    assert "王芳" in approved["risk"]["residual_acceptance"]


def test_risk_items_with_dimensions_factors_and_reasons(form: Any, full: dict[str, Any]) -> None:
    ctx = build_context(form, full, "zh", {})
    risk = ctx["risk"]
    r1, r2 = risk["entries"]
    # likelihood = highest factor (高), impact high → matrix D.5 says 高 for R1.
    assert (r1["impact"], r1["likelihood"], r1["level"]) == ("高", "高", "高")
    assert r1["level_color"] == LEVEL_HEX[2]
    assert r1["residual"] == "中"  # from the treatment plan
    assert [d["reason"] for d in r1["dims"]][1:] == ["可能被区别对待", "精神压力", "冒用身份进入"]
    assert r1["dims"][0]["impact"] == "不适用"
    assert [f["reason"] for f in r1["factors"]] == [
        "内网部署",
        "流程规范",
        "供应商远程运维",
        "未发生事件",
    ]
    assert r2["likelihood"] == "中" and r2["level"] == "中"
    assert risk["overall"] == "高"
    assert risk["acceptance"] == "高及以上不可接受"
    # Criteria: D.5 printed with severe impact first, coloured like the chart.
    assert [c["label"] for c in risk["matrix_rows"][0]["cells"]] == ["中", "高", "严重", "严重"]
    assert risk["matrix_rows"][0]["cells"][3]["color"] == LEVEL_HEX[3]
    assert len(risk["impact_levels"]) == 4 and risk["impact_levels"][0]["label"] == "严重"
    assert ctx["treatments"][0]["option"] == "限期处置"


def test_review_changes_history_pass_through(form: Any, office_example: Any) -> None:
    ctx = build_context(
        form,
        office_example.answers,
        "en",
        {"review": {"based_on": 1, "reason": None}},
        changes=[{"kind": "Answer", "item": "Scope", "before": "a", "after": None}],
        history=[{"revision": 1, "status": "Approved"}],
    )
    assert ctx["review"] == {"is_rereview": True, "based_on": "1", "reason": "Not answered"}
    assert ctx["changes"] == [{"kind": "Answer", "item": "Scope", "before": "a", "after": ""}]
    assert ctx["history"][0] == {
        "revision": "1",
        "status": "Approved",
        "date": "",
        "approver": "",
        "reason": "",
    }
    first = build_context(form, office_example.answers, "en", {})
    assert first["review"]["is_rereview"] is False and first["changes"] == []


def test_change_rows_list_answers_findings_and_risks(form: Any, full: dict[str, Any]) -> None:
    # the card alternative is offered at the door: the sole-method S1 gap (H-23) is resolved
    new = dict(
        full,
        d_alternative="offered",
        h_sole_method=False,
        d_refusal_handling="offer_alternative",
        l_risks=[risk_row("R1", impact_d4="severe")],
    )
    rows = change_rows(form, full, new, "zh")
    kinds = {(r["kind"], r["item"]) for r in rows}
    assert ("回答", form.questions["d_alternative"].label["zh"]) in kinds
    resolved = [r for r in rows if r["kind"] == "差距" and r["after"] == "已消除"]
    assert any(r["before"] == "严重" for r in resolved)
    risk = {r["item"].split("：")[0]: r for r in rows if r["kind"] == "风险等级"}
    assert risk["R1"]["before"] == "风险高，剩余风险中" and risk["R1"]["after"].startswith("风险严重")
    assert risk["R2"]["after"].startswith("风险–")


# --- the rendered document ------------------------------------------------------------------


@pytest.fixture
def rendered(form: Any, full: dict[str, Any], tmp_path: Path) -> dict[str, Path]:
    return {
        lang: export_answers(
            form,
            full,
            tmp_path / f"r_{lang}.docx",
            lang,
            {"revision": 4, "generated": "2026-11-22"},
        )
        for lang in ("zh", "en")
    }


def body_text(path: Path) -> str:
    doc = Document(str(path))
    text = "\n".join(Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p")))
    return text.replace("\u2060", "")  # the invisible word joiners of report/nobreak.py


def test_outline_parts_are_all_there(rendered: dict[str, Path]) -> None:
    zh = body_text(rendered["zh"])
    for heading in (
        "审批页",
        "目　录",
        "一、评估范围、团队与依据",
        "（二）数据映射表（表C-1）",
        "三、合规性分析",
        "（六）人脸识别专项要求",
        "四、风险分析",
        "（三）风险热力图",
        "五、风险处置计划",
        "六、评估结论",
        "（二）人脸识别技术应用安全管理办法第九条规定的评估内容",
        "七、复评情况与修订记录",
        "八、附录：问卷回答全文",
        "风险项 R1：人脸模板泄露",
    ):
        assert heading in zh
    assert "评估结论：完成整改后开展" in zh
    assert "报告和处理情况记录保存至：2026-11-10" not in zh  # retention is +3 years, not the date
    en = body_text(rendered["en"])
    assert "4. Risk analysis" in en and "Conclusion: Proceed after remediation" in en
    assert "None" not in zh


def test_footer_fields_and_hash(rendered: dict[str, Path], form: Any, full: dict[str, Any]) -> None:
    from pia_app.canonical import content_hash

    with zipfile.ZipFile(rendered["zh"]) as z:
        footer = next(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        settings = z.read("word/settings.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "修订版 4" in footer and "第 " in footer and " 页 共 " in footer
    assert "办公楼人脸识别门禁系统个人信息保护影响评估" in footer
    assert 'w:updateFields w:val="true"' in settings
    assert media, "the heat map is embedded"
    assert content_hash(form.id, form.version, full) in body_text(rendered["zh"])


def test_toc_entries_point_at_heading_bookmarks(rendered: dict[str, Path]) -> None:
    doc = Document(str(rendered["zh"]))
    body = doc.element.body
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    refs = [i.text for i in body.iter(f"{W}instrText") if "PAGEREF" in (i.text or "")]
    assert len(refs) >= 30
    assert all(r.split()[1] in marks for r in refs)


def test_typography(rendered: dict[str, Path]) -> None:
    doc = Document(str(rendered["zh"]))
    styles = doc.styles

    def fonts(name: str) -> tuple[str | None, str | None, float | None]:
        st = styles[name]
        rf = st.element.rPr.find(qn("w:rFonts"))
        return (
            rf.get(qn("w:ascii")),
            rf.get(qn("w:eastAsia")),
            st.font.size.pt if st.font.size else None,
        )

    # Chinese in a CJK font, Latin text in a Latin font, Simplified Chinese as the language
    # of East Asian text and of the theme fonts.
    assert fonts("Normal") == ("Times New Roman", "SimSun", 12.0)
    assert fonts("Heading 1") == ("Arial", "SimHei", 16.0)
    assert fonts("Heading 2") == ("Arial", "SimHei", 14.0)
    assert fonts("Title") == ("Arial", "SimHei", 22.0)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme_lang.get(qn("w:eastAsia")) == "zh-CN" and theme_lang.get(qn("w:val")) == "zh-CN"
    lang = (
        doc.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    rf = styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert rf.get(qn("w:asciiTheme")) is None and rf.get(qn("w:eastAsiaTheme")) is None
    en = Document(str(rendered["en"]))
    rf = en.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rf.get(qn("w:ascii")) == "Times New Roman" and rf.get(qn("w:eastAsia")) == "SimSun"


def test_every_table_repeats_its_header_and_rows_do_not_split(rendered: dict[str, Path]) -> None:
    doc = Document(str(rendered["zh"]))
    tables = list(doc.element.body.iter(f"{W}tbl"))
    assert len(tables) > 15
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        for tr in rows:
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None
    headed = [t for t in tables if t.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
    assert len(headed) >= len(tables) - 5  # the key/value tables (cover, scope) have no header


def test_appendix_table_answer_is_a_word_table(rendered: dict[str, Path]) -> None:
    doc = Document(str(rendered["zh"]))
    item_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "个人信息项"]
    assert item_tables and len(item_tables[0].columns) == 4
    assert item_tables[0].rows[1].cells[0].text == "人脸特征模板"


def test_re_review_from_the_store(repo: Any, form: Any, full: dict[str, Any], tmp_path: Path) -> None:
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, full)
    out = export_revision(repo, form, aid, tmp_path / "r.docx", "zh")
    text = body_text(out)
    assert "本报告为首次评估" in text
    assert "修订版" in text
    events = [e["action"] for e in repo.audit()]
    assert "exported" in events


def test_re_review_report_shows_changes_and_history(
    repo: Any, form: Any, full: dict[str, Any], tmp_path: Path
) -> None:
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, full)
    repo.submit(aid)
    repo.approve(aid, "李明", "个人信息保护负责人", at="2026-11-12T08:00:00Z")
    number = repo.start_review(aid, "major_incident", "门禁服务器被入侵")
    changed = dict(repo.revision(aid, number).answers, d_alternative="exists_offered")
    repo.save_answers(aid, changed)
    out = export_revision(repo, form, aid, tmp_path / "r2.docx", "zh")
    text = body_text(out)
    assert "本次为复评（修订版 2，基于修订版 1）。复评原因：重大安全事件后重评；门禁服务器被入侵" in text
    doc = Document(str(out))
    changes = next(t for t in doc.tables if t.rows[0].cells[0].text == "类别")
    items = [(r.cells[0].text, r.cells[1].text) for r in changes.rows[1:]]
    assert ("回答", form.questions["d_alternative"].label["zh"]) in items
    assert ("回答", form.questions["a_assessment_type"].label["zh"]) in items
    history = next(t for t in doc.tables if t.rows[0].cells[0].text == "修订版")
    rows = [[c.text for c in r.cells] for r in history.rows[1:]]
    assert rows[0][:4] == ["1", "已批准", "2026年11月12日", "李明 个人信息保护负责人"]
    assert rows[1][0] == "2" and rows[1][4].startswith("重大安全事件后重评")


# --- the command ---------------------------------------------------------------------------------


def test_cli_report_en(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import EXAMPLES

    out = tmp_path / "office.docx"
    code = main(["report", str(EXAMPLES / "office_access_face.json"), "--out", str(out), "--lang", "en"])
    assert code == 0
    first, message = capsys.readouterr().out.strip().splitlines()
    # How the contents got their page numbers (the suite switches the layout pass off).
    assert first == str(out) and ("LibreOffice" in message or "PIA_APP_PAGINATE=0" in message)
    assert "1. Scope, team and references" in body_text(out)


def test_cli_pdf_without_libreoffice_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import EXAMPLES

    monkeypatch.setattr(export_mod, "find_soffice", lambda: None)
    out = tmp_path / "office.docx"
    code = main(["report", str(EXAMPLES / "office_access_face.json"), "--out", str(out), "--pdf"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "LibreOffice" in err and "Traceback" not in err
    assert out.is_file() and not out.with_suffix(".pdf").exists()


def test_cli_report_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import EXAMPLES

    code = main(
        [
            "report",
            str(EXAMPLES / "office_access_face.json"),
            "--out",
            str(tmp_path / "nope" / "x.docx"),
        ]
    )
    assert code == 2
    assert "文件夹不存在" in capsys.readouterr().err


def test_treatment_names_a_gap_by_its_number(form: Any, full: dict[str, Any]) -> None:
    rule = grade_assessment(form, full).findings[0]
    answers = dict(full, m_treatments=[*full["m_treatments"], {"ref_id": rule.rule_id, "measure": "x"}])
    ctx = build_context(form, answers, "zh", {})
    assert [m["ref"] for m in ctx["treatments"]][:2] == ["R1", f"差距{rule.number}（{rule.severity}）"]
    # The gap number the wizard shows works as a target too.
    by_number = dict(full, m_treatments=[{"ref_id": rule.number, "measure": "x"}])
    ctx = build_context(form, by_number, "zh", {})
    assert ctx["treatments"][0]["ref"] == f"差距{rule.number}（{rule.severity}）"


def test_every_open_s1_s2_gap_and_high_risk_is_in_the_treatment_plan(form: Any, full: dict[str, Any]) -> None:
    grading = grade_assessment(form, full)
    ctx = build_context(form, full, "zh", {}, grading)
    refs = " ".join(m["ref"] for m in ctx["treatments"])
    for f in ctx["findings"]:
        if f["severity"] in ("S1", "S2"):
            assert f"差距{f['no']}（{f['severity']}）" in refs
    untreated = [m for m in ctx["treatments"] if m["measure"] == "尚无处置措施"]
    assert untreated and all(m["color"] == LEVEL_HEX[3] for m in untreated)
    assert len(untreated) == ctx["summary"]["untreated"]
    # A high risk without a measure is listed too.
    no_plan = build_context(form, {**full, "m_treatments": []}, "zh", {})
    assert any(m["ref"].startswith("R1") and m["measure"] == "尚无处置措施" for m in no_plan["treatments"])


def test_appendix_blocks_keep_every_question_once(form: Any, full: dict[str, Any]) -> None:
    answers = dict(full, d_necessity="长" * 5000)
    ctx = build_context(form, answers, "zh", {"status": "approved", "approved_by": "李明"})
    for s in ctx["sections"]:
        labels = []
        for blk in s["blocks"]:
            if blk["kind"] == "qa":
                labels.extend(q["label"] for q in blk["questions"])
            else:
                labels.append(blk["label"])
        section = next(sec for sec in form.sections if sec.id == s["id"])
        shown = [q for q in section.questions if q.id in visible_question_ids(form, answers)]
        assert labels == [label(q, "zh") for q in shown]
    kinds = {b["kind"] for s in ctx["sections"] for b in s["blocks"]}
    assert kinds == {"qa", "table", "text", "records"}
    # The data map (18 columns) is printed row by row, every column of every row.
    data_map = next(
        b
        for s in ctx["sections"]
        for b in s["blocks"]
        if b["label"] == form.questions["c_activities"].label["zh"]
    )
    assert data_map["kind"] == "records"
    assert len(data_map["records"]) == len(full["c_activities"])
    first = data_map["records"][0]
    assert first["title"] == "1. P1"
    assert [f["label"] for f in first["fields"]] == data_map["columns"]
    text = next(b for s in ctx["sections"] for b in s["blocks"] if b["kind"] == "text")
    assert text["answer"] == "长" * 5000


def test_unanswered_required_questions_make_an_incomplete_draft(form: Any, full: dict[str, Any]) -> None:
    answers = {k: v for k, v in full.items() if k != "a_scope"}
    grading = grade_assessment(form, answers)
    assert "a_scope" in grading.unanswered_required
    ctx = build_context(form, answers, "en", {"status": "approved", "approved_by": "x"}, grading)
    assert ctx["mark"].startswith("INCOMPLETE DRAFT")
    complete = build_context(form, full, "en", {})
    assert complete["mark"] == "DRAFT (not approved)"


def test_residual_acceptance_is_shown_per_risk_item(form: Any) -> None:
    from pia_app.interchange import load_assessment_file
    from tests.conftest import EXAMPLES

    answers = load_assessment_file(EXAMPLES / "call_centre_voiceprint.json", form).answers
    ctx = build_context(form, answers, "zh", {})
    r2 = next(e for e in ctx["risk"]["entries"] if e["id"] == "R2")
    assert r2["residual"] == "中" and "黄伟" in r2["acceptance"] and "2026年10月28日" in r2["acceptance"]
    none = build_context(form, {**answers, "m_residual_acceptance": []}, "zh", {})
    r2 = next(e for e in none["risk"]["entries"] if e["id"] == "R2")
    assert "尚无书面接受记录" in r2["acceptance"]
    # The overall sentence agrees with the items: accepted item by item while the revision is
    # not approved yet; "not accepted" only when an item lacks its acceptance.
    assert ctx["risk"]["residual_acceptance"] == t("report.residual_per_item", "zh")
    assert none["risk"]["residual_acceptance"] == t("report.residual_not_accepted", "zh")


def test_adjusted_impacts_and_scale_floors_are_shown_as_applied(form: Any, full: dict[str, Any]) -> None:
    row = risk_row(
        "R1",
        impact_adjust=["vulnerable_group"],
        impact_adjust_reason="受影响者多为老年人",
        affected_scale=2_000_000,
    )
    ctx = build_context(form, {**full, "l_risks": [row]}, "zh", {})
    r1 = ctx["risk"]["entries"][0]
    dims = {d["name"]: d["impact"] for d in r1["dims"]}
    assert "中 → 高" in dims.values() and "高 → 严重" in dims.values()
    assert r1["impact"] == "高 → 严重"
    assert "+1" in r1["adjustments"] and "受影响者多为老年人" in r1["adjustments"]
    # A scale floor that raises the likelihood (all factors low, 2,000,000 people) says so too.
    low = risk_row("R1", lik_f1="low", lik_f3="low", affected_scale=2_000_000)
    r1 = build_context(form, {**full, "l_risks": [low]}, "zh", {})["risk"]["entries"][0]
    assert r1["likelihood"] == "低 → 中" and "涉及人数超过 1,000,000 人" in r1["adjustments"]


def test_document_control_draft_marking_and_short_footer_title_are_in_the_pages(
    form: Any, full: dict[str, Any], tmp_path: Path
) -> None:
    answers = {**full, "a_project_name": "很长的项目名称" * 20, "a_scope": "范围" * 400}
    out = export_answers(form, answers, tmp_path / "r.docx", "zh", {"revision": 2})
    doc = Document(str(out))
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    assert "PIA-" in header and "-R2" in header and "密级：内部" in header and "分发：内部留存" in header
    assert "草稿（未经批准）" in header
    footer = "".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert "…" in footer and answers["a_project_name"] not in footer
    cover = "\n".join(c.text for c in doc.tables[0]._cells)
    assert "（全文见第一部分）" in cover and answers["a_scope"] not in cover
    # The data-flow diagram and the heat map are pictures in the document.
    names = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("word/media/")]
    assert len(names) >= 2
